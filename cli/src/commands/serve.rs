//! `stepwise serve`: the Step Functions API on 127.0.0.1:8083, like Step
//! Functions Local, on the same engine the serverless stack runs.

use crate::runner::engine::TaskPort;
use crate::tasks::http::HttpLambda;
use crate::tasks::services::ServeTasks;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use stepwise_aws::Endpoints;
use stepwise_engine::memory::MemoryStore;
use stepwise_engine::ports::{Clock, Queue, Store};
use stepwise_engine::records::Work;
use stepwise_engine::{Config, Engine};
use stepwise_local::{JsonLinesSink, LocalQueue, RedbStore, SystemClock, spawn_workers};

/// States that finish at once (Pass, Choice, …) one message may advance
/// through before committing; a local server has no per-request price, so
/// it saves commits and queue round trips.
pub const STEPS_PER_MESSAGE: usize = 64;

/// Where `stepwise serve` keeps executions and runs their steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// An embedded database file (redb) and in-process queue: survives restarts.
    Local,
    /// The engine's in-memory adapters: lost when the server stops.
    Memory,
    /// DynamoDB, SQS and EventBridge through the AWS SDK (its standard
    /// settings: AWS_ENDPOINT_URL, AWS_REGION, credentials), with the
    /// stepper and callback handlers polling their queues in-process.
    Aws,
}

/// Arguments of `stepwise serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to bind; keep the default unless you mean to expose it.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port (Step Functions Local's is 8083).
    #[arg(long, default_value_t = 8083)]
    pub port: u16,
    /// Where executions are kept and stepped.
    #[arg(long, value_enum, default_value = "local")]
    pub backend: Backend,
    /// Keep everything in memory, lost when the server stops (the same as
    /// `--backend memory`).
    #[arg(long)]
    pub in_memory: bool,
    /// With `--backend aws`: create the DynamoDB table, the step and
    /// callback queues (with dead-letter queues) and the event bus if
    /// missing, as template.yaml defines them.
    #[arg(long)]
    pub bootstrap: bool,
    /// Where the durable store keeps its data (default: the per-user data
    /// directory, `$XDG_DATA_HOME/stepwise` or `~/.local/share/stepwise`).
    #[arg(long, conflicts_with = "in_memory")]
    pub data_dir: Option<PathBuf>,
    /// A Lambda Invoke endpoint for Lambda tasks (`sam local start-lambda`).
    #[arg(long, env = "LAMBDA_ENDPOINT")]
    pub lambda_endpoint: Option<String>,
    /// SQS tasks (`sqs:sendMessage`) go to this endpoint through the AWS SDK.
    #[arg(long, env = "SQS_ENDPOINT")]
    pub sqs_endpoint: Option<String>,
    /// SNS tasks (`sns:publish`) go to this endpoint through the AWS SDK.
    #[arg(long, env = "SNS_ENDPOINT")]
    pub sns_endpoint: Option<String>,
    /// DynamoDB tasks (`dynamodb:getItem`, …) go to this endpoint through the AWS SDK.
    #[arg(long, env = "DYNAMODB_ENDPOINT")]
    pub dynamodb_endpoint: Option<String>,
    /// EventBridge tasks (`events:putEvents`) go to this endpoint through the AWS SDK.
    #[arg(long, env = "EVENTBRIDGE_ENDPOINT")]
    pub eventbridge_endpoint: Option<String>,
    /// The account in ARNs (Step Functions Local's AWS_ACCOUNT_ID).
    #[arg(long, env = "AWS_ACCOUNT_ID", default_value = "123456789012")]
    pub account: String,
    /// The region in ARNs (Step Functions Local's AWS_DEFAULT_REGION).
    #[arg(long, env = "AWS_DEFAULT_REGION", default_value = "us-east-1")]
    pub region: String,
    /// Scales every wait (Step Functions Local's WAIT_TIME_SCALE).
    #[arg(long, env = "WAIT_TIME_SCALE", default_value_t = 1.0)]
    pub wait_time_scale: f64,
    /// Append execution status-change events (EventBridge's shape) to this file.
    #[arg(long)]
    pub events_file: Option<PathBuf>,
    /// Queue workers (with `--backend aws`: pollers per queue).
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
}

/// The per-user data directory: `$XDG_DATA_HOME/stepwise`, else
/// `~/.local/share/stepwise`, else `./.stepwise`.
fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("stepwise");
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/stepwise"),
        None => PathBuf::from(".stepwise"),
    }
}

/// Runs the server until interrupted.
pub fn run(args: ServeArgs) -> Result<ExitCode> {
    if !(args.wait_time_scale >= 0.0 && args.wait_time_scale.is_finite()) {
        bail!("--wait-time-scale must be a number of 0 or more");
    }
    // Requests that fail on our side answer with AWS's generic words; their
    // cause goes to stderr.
    // Only Stepwise's own: the AWS SDK's warnings (an IMDS region lookup,
    // say) are not the operator's business unless a request fails.
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let ours = tracing_subscriber::filter::Targets::new().with_target("stepwise", tracing::Level::WARN);
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::Layer::with_filter(
            tracing_subscriber::fmt::layer().with_writer(std::io::stderr),
            ours,
        ))
        .try_init();
    let backend = match (args.in_memory, args.backend) {
        (false, backend) | (true, backend @ Backend::Memory) => backend,
        (true, Backend::Local) => Backend::Memory,
        (true, Backend::Aws) => bail!("--in-memory is --backend memory; it cannot go with --backend aws"),
    };
    if args.bootstrap && backend != Backend::Aws {
        bail!("--bootstrap creates AWS resources; it goes with --backend aws");
    }
    if backend == Backend::Aws {
        // Each names something the AWS backend has elsewhere: the table, the
        // event bus, SQS's own delays.
        if args.data_dir.is_some() {
            bail!("--data-dir is for --backend local; --backend aws keeps its data in the DynamoDB table");
        }
        if args.events_file.is_some() {
            bail!("--events-file is for the local backends; --backend aws sends status changes to EventBridge");
        }
        if args.wait_time_scale != 1.0 {
            bail!("--wait-time-scale cannot scale SQS's delays; it is for the local backends");
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(async move {
        if backend == Backend::Aws {
            return serve_aws(&args).await;
        }
        if backend == Backend::Memory {
            return serve_on(MemoryStore::default(), "in memory".to_owned(), &args).await;
        }
        let dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
        let store =
            RedbStore::open(&dir).with_context(|| format!("cannot open the data directory {}", dir.display()))?;
        let running = store.running_branches().context("reading running executions")?;
        let queue = LocalQueue::new(args.wait_time_scale);
        resume(&queue, &running).await;
        let place = format!("data in {}, {} running branches resumed", dir.display(), running.len());
        serve_with(store, queue, place, &args).await
    })
}

/// Sends again the work of every branch of a running execution, with what
/// is left of its delays: after a restart every execution goes on from its
/// last committed step (a step's work is safe to send twice).
async fn resume(queue: &LocalQueue, branches: &[stepwise_engine::records::BranchRecord]) {
    let now = SystemClock.now_ms();
    for branch in branches {
        for work in &branch.last_work {
            if let Work::Send { message, delay_ms } = work {
                let left = branch.committed_at + delay_ms - now;
                let _ = queue.send(message.clone(), left.max(0)).await;
            }
        }
    }
}

/// The API on the AWS adapters, with `--workers` pollers on each queue.
async fn serve_aws(args: &ServeArgs) -> Result<ExitCode> {
    let listener = bind(args).await?;
    let (clients, resources) = crate::aws::from_env().await;
    let steps_per_message = stepwise_stepper::steps_per_message_from_env().map_err(anyhow::Error::msg)?;
    let config = Config { steps_per_message, ..Config::new(args.region.clone(), args.account.clone()) };
    let tasks = ServeTasks::aws(task_port(args), &sdk_config(args).await, endpoints(args));
    let backend = crate::aws::connect(clients, resources, args.bootstrap, tasks, config).await?;
    let _pollers = backend.spawn_pollers(args.workers);
    eprintln!("stepwise: Step Functions API on http://{} ({})", listener.local_addr()?, backend.description);
    tokio::select! {
        served = crate::serve::serve(listener, backend.engine.clone()) => served.context("serving")?,
        _ = tokio::signal::ctrl_c() => eprintln!("stepwise: stopping"),
    }
    Ok(ExitCode::SUCCESS)
}

async fn bind(args: &ServeArgs) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .with_context(|| format!("cannot bind {}:{}", args.host, args.port))
}

/// Lambda tasks go to `--lambda-endpoint`, if given.
fn task_port(args: &ServeArgs) -> TaskPort {
    let lambda =
        args.lambda_endpoint.as_deref().map(|e| Arc::new(HttpLambda::new(e)) as Arc<dyn crate::tasks::LambdaInvoker>);
    TaskPort::lambda(lambda)
}

/// The service endpoints the options name.
fn endpoints(args: &ServeArgs) -> Endpoints {
    Endpoints {
        lambda: args.lambda_endpoint.clone(),
        sqs: args.sqs_endpoint.clone(),
        sns: args.sns_endpoint.clone(),
        dynamodb: args.dynamodb_endpoint.clone(),
        eventbridge: args.eventbridge_endpoint.clone(),
    }
}

/// The SDK's standard configuration, in `--region` unless the environment
/// names one.
async fn sdk_config(args: &ServeArgs) -> aws_config::SdkConfig {
    let config = stepwise_aws::config::sdk_config().await;
    if config.region().is_some() {
        return config;
    }
    config.into_builder().region(aws_config::Region::new(args.region.clone())).build()
}

async fn serve_on<S: Store + 'static>(store: S, place: String, args: &ServeArgs) -> Result<ExitCode> {
    serve_with(store, LocalQueue::new(args.wait_time_scale), place, args).await
}

async fn serve_with<S: Store + 'static>(
    store: S,
    queue: LocalQueue,
    place: String,
    args: &ServeArgs,
) -> Result<ExitCode> {
    let listener = bind(args).await?;
    let events = match &args.events_file {
        Some(path) => JsonLinesSink::open(path, &args.region, &args.account)
            .with_context(|| format!("cannot open {}", path.display()))?,
        None => JsonLinesSink::discard(),
    };
    // The SDK's configuration is loaded only for services given an
    // endpoint: a plain local server reads no AWS settings at all.
    let endpoints = endpoints(args);
    let sdk = match ServeTasks::needs_sdk(&endpoints) {
        true => Some(sdk_config(args).await),
        false => None,
    };
    let tasks = ServeTasks::local(task_port(args), sdk.as_ref(), endpoints);
    let engine = Arc::new(Engine::new(
        store,
        queue,
        events,
        tasks,
        SystemClock,
        Config { steps_per_message: STEPS_PER_MESSAGE, ..Config::new(args.region.clone(), args.account.clone()) },
    ));
    let _workers = spawn_workers(engine.clone(), args.workers);
    eprintln!("stepwise: Step Functions API on http://{} ({place})", listener.local_addr()?);
    tokio::select! {
        served = crate::serve::serve(listener, engine) => served.context("serving")?,
        _ = tokio::signal::ctrl_c() => eprintln!("stepwise: stopping"),
    }
    Ok(ExitCode::SUCCESS)
}
