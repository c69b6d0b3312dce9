//! The stepper Lambda's entry point: clients and adapters from the
//! environment, then every SQS batch of the step queue to
//! [`stepwise_stepper::handle_batch`].

use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use stepwise_aws::{AwsTasks, Endpoints};
use stepwise_aws::{Clients, DynamoStore, EventBridgeSink, Resources, SqsQueue, SystemClock};
use stepwise_engine::{Config, Engine};

/// An environment variable the template sets, or an error naming it.
fn var(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| format!("environment variable {name} is not set").into())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let resources = Resources::from_env();
    let steps_per_message = stepwise_stepper::steps_per_message_from_env()?;
    let config = Config { steps_per_message, ..Config::new(var("AWS_REGION")?, var("STEPWISE_ACCOUNT_ID")?) };
    let queue_url = resources.queue_url.ok_or("environment variable STEPWISE_QUEUE_URL is not set")?;
    let sdk = stepwise_aws::config::sdk_config().await;
    let clients = Clients::new(&sdk);
    let engine = Engine::new(
        DynamoStore::new(clients.dynamodb, resources.table),
        SqsQueue::new(clients.sqs, queue_url),
        EventBridgeSink::new(clients.eventbridge, resources.event_bus),
        AwsTasks::new(&sdk, &Endpoints::default()),
        SystemClock,
        config,
    );
    let engine = &engine;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, Error>(stepwise_stepper::handle_batch(engine, &event.payload).await)
    }))
    .await
}
