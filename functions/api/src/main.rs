//! The api Lambda's entry point: clients and adapters from the environment,
//! then every HTTP API request to [`stepwise_api::handle`].

use aws_lambda_events::apigw::ApiGatewayV2httpRequest;
use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use stepwise_api::NoTasks;
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
    let config = Config::new(var("AWS_REGION")?, var("STEPWISE_ACCOUNT_ID")?);
    let queue_url = resources.queue_url.ok_or("environment variable STEPWISE_QUEUE_URL is not set")?;
    let clients = Clients::from_env().await;
    let engine = Engine::new(
        DynamoStore::new(clients.dynamodb, resources.table),
        SqsQueue::new(clients.sqs, queue_url),
        EventBridgeSink::new(clients.eventbridge, resources.event_bus),
        NoTasks,
        SystemClock,
        config,
    );
    let engine = &engine;
    run(service_fn(move |event: LambdaEvent<ApiGatewayV2httpRequest>| async move {
        // Boxed: the API's future (one state per action) is too deeply
        // nested for rustc to lay out inside the runtime's own future.
        Ok::<_, Error>(Box::pin(stepwise_api::handle(engine, &event.payload)).await)
    }))
    .await
}
