//! `stepwise serve --backend aws`: the Step Functions API on the AWS
//! adapters (DynamoDB table, SQS step queue, EventBridge bus), with the
//! stepper and callback functions' handlers run in-process, each fed by an
//! [`EventSource`] that reads its queue as Lambda's SQS event source
//! mapping would. What the deployed stack does with four Lambda functions,
//! one process does here, against AWS or a local server of its wire
//! protocols (moto, LocalStack).
//!
//! Configuration is the functions': the SDK's standard settings
//! (`AWS_ENDPOINT_URL`, `AWS_REGION`, credentials) and the resource names of
//! [`Resources::from_env`] (`STEPWISE_TABLE`, `STEPWISE_QUEUE_URL` or
//! `STEPWISE_QUEUE_NAME`, `STEPWISE_CALLBACK_QUEUE_URL` or
//! `STEPWISE_CALLBACK_QUEUE_NAME`, `STEPWISE_EVENT_BUS`), and
//! `STEPWISE_STEPS_PER_MESSAGE` as the stepper reads it.

pub mod event_source;

use crate::runner::engine::TaskPort;
use anyhow::{Context, Result};
pub use event_source::{EventSource, EventSourceError, Polled};
use std::sync::Arc;
use stepwise_aws::config::sdk_config;
use stepwise_aws::{Bootstrap, Clients, DynamoStore, EventBridgeSink, Resources, SqsQueue, SystemClock};
use stepwise_engine::ports::TaskInvoker;
use stepwise_engine::{Config, Engine};
use tokio::task::JoinHandle;

/// The engine on the AWS adapters.
pub type AwsEngine<T = TaskPort> = Engine<DynamoStore, SqsQueue, EventBridgeSink, T, SystemClock>;

/// The engine and the two queues its handlers read.
pub struct AwsBackend<T: TaskInvoker + 'static = TaskPort> {
    /// The engine the API, the stepper and the callback handler share.
    pub engine: Arc<AwsEngine<T>>,
    /// The step queue, read for the stepper.
    pub steps: EventSource,
    /// The callback queue, read for the callback handler.
    pub callbacks: EventSource,
    /// Where everything is, for the start-up line.
    pub description: String,
}

/// Finds (or, with `bootstrap`, creates) the resources `resources` names and
/// builds the engine over them with `tasks` and `config` (whose
/// `steps_per_message` the stepper function reads from
/// `STEPWISE_STEPS_PER_MESSAGE`: [`stepwise_stepper::steps_per_message_from_env`]).
pub async fn connect<T: TaskInvoker + 'static>(
    clients: Clients,
    resources: Resources,
    bootstrap: bool,
    tasks: T,
    config: Config,
) -> Result<AwsBackend<T>> {
    let (queue_url, callback_queue_url) = if bootstrap {
        let made = Bootstrap::new(clients.clone(), resources.clone()).ensure().await.context("bootstrap")?;
        (made.queue_url, made.callback_queue_url)
    } else {
        let step = queue_url(&clients, resources.queue_url.as_deref(), &resources.queue_name).await?;
        let callback =
            queue_url(&clients, resources.callback_queue_url.as_deref(), &resources.callback_queue_name).await?;
        (step, callback)
    };
    let (region, steps_per_message) = (config.region.clone(), config.steps_per_message);
    let engine = Arc::new(Engine::new(
        DynamoStore::new(clients.dynamodb.clone(), &resources.table),
        SqsQueue::new(clients.sqs.clone(), &queue_url),
        EventBridgeSink::new(clients.eventbridge.clone(), &resources.event_bus),
        tasks,
        SystemClock,
        config,
    ));
    let steps = EventSource::new(clients.sqs.clone(), &queue_url, &region).await?;
    let callbacks = EventSource::new(clients.sqs.clone(), &callback_queue_url, &region).await?;
    let description = format!(
        "DynamoDB table {}, step queue {queue_url}, callback queue {callback_queue_url}, event bus {}, \
         {steps_per_message} state(s) per step message",
        resources.table, resources.event_bus
    );
    Ok(AwsBackend { engine, steps, callbacks, description })
}

/// A queue's URL: the one given, else GetQueueUrl of its name.
async fn queue_url(clients: &Clients, url: Option<&str>, name: &str) -> Result<String> {
    if let Some(url) = url {
        return Ok(url.to_owned());
    }
    let found = clients.sqs.get_queue_url().queue_name(name).send().await;
    let found = found.map_err(|e| anyhow::anyhow!("{}", event_source::error_chain(&e))).with_context(|| {
        format!("the queue {name} was not found (create it with --bootstrap, or set its URL in the environment)")
    })?;
    found.queue_url.with_context(|| format!("GetQueueUrl of {name} returned no URL"))
}

impl<T: TaskInvoker + 'static> AwsBackend<T> {
    /// Starts `pollers` pollers on each queue (Lambda starts five per
    /// event source and scales from there), running the stepper's and the
    /// callback function's batch handlers.
    pub fn spawn_pollers(&self, pollers: usize) -> Vec<JoinHandle<()>> {
        let mut handles = Vec::new();
        for _ in 0..pollers.max(1) {
            let (engine, source) = (self.engine.clone(), self.steps.clone());
            handles.push(tokio::spawn(async move {
                source
                    .run(|event| {
                        let engine = engine.clone();
                        async move { stepwise_stepper::handle_batch(&*engine, &event).await }
                    })
                    .await
            }));
            let (engine, source) = (self.engine.clone(), self.callbacks.clone());
            handles.push(tokio::spawn(async move {
                source
                    .run(|event| {
                        let engine = engine.clone();
                        async move { stepwise_callback::handle_batch(&*engine, &event).await }
                    })
                    .await
            }));
        }
        handles
    }
}

/// Clients from the SDK's standard configuration and resource names from
/// the environment, as the functions build theirs.
pub async fn from_env() -> (Clients, Resources) {
    (Clients::new(&sdk_config().await), Resources::from_env())
}
