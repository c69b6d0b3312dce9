//! `stepwise serve`: the Step Functions API on 127.0.0.1:8083, like Step
//! Functions Local, on the same engine the serverless stack runs.

use crate::runner::engine::TaskPort;
use crate::tasks::http::HttpLambda;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use stepwise_engine::memory::MemoryStore;
use stepwise_engine::{Config, Engine};
use stepwise_local::{JsonLinesSink, LocalQueue, SystemClock, spawn_workers};

/// Arguments of `stepwise serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to bind; keep the default unless you mean to expose it.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port (Step Functions Local's is 8083).
    #[arg(long, default_value_t = 8083)]
    pub port: u16,
    /// Keep everything in memory, lost when the server stops.
    #[arg(long)]
    pub in_memory: bool,
    /// Where the durable store keeps its data.
    #[arg(long, conflicts_with = "in_memory")]
    pub data_dir: Option<PathBuf>,
    /// A Lambda Invoke endpoint for Lambda tasks (`sam local start-lambda`).
    #[arg(long, env = "LAMBDA_ENDPOINT")]
    pub lambda_endpoint: Option<String>,
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
    /// Queue workers.
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
}

/// Runs the server until interrupted.
pub fn run(args: ServeArgs) -> Result<ExitCode> {
    if !args.in_memory {
        bail!("the embedded durable store is not built yet (issue 5); run `stepwise serve --in-memory`");
    }
    if !(args.wait_time_scale >= 0.0 && args.wait_time_scale.is_finite()) {
        bail!("--wait-time-scale must be a number of 0 or more");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting tokio")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .with_context(|| format!("cannot bind {}:{}", args.host, args.port))?;
        let events = match &args.events_file {
            Some(path) => JsonLinesSink::open(path, &args.region, &args.account)
                .with_context(|| format!("cannot open {}", path.display()))?,
            None => JsonLinesSink::discard(),
        };
        let lambda = args
            .lambda_endpoint
            .as_deref()
            .map(|e| Arc::new(HttpLambda::new(e)) as Arc<dyn crate::tasks::LambdaInvoker>);
        let engine = Arc::new(Engine::new(
            MemoryStore::default(),
            LocalQueue::new(args.wait_time_scale),
            events,
            TaskPort::lambda(lambda),
            SystemClock,
            Config::new(args.region.clone(), args.account.clone()),
        ));
        let _workers = spawn_workers(engine.clone(), args.workers);
        eprintln!("stepwise: Step Functions API on http://{} (in memory)", listener.local_addr()?);
        tokio::select! {
            served = crate::serve::serve(listener, engine) => served.context("serving")?,
            _ = tokio::signal::ctrl_c() => eprintln!("stepwise: stopping"),
        }
        Ok(ExitCode::SUCCESS)
    })
}
