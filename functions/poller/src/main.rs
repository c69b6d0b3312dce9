//! The poller Lambda's entry point: every scheduled tick to
//! [`stepwise_poller::handle`]. It builds no AWS clients, because it calls
//! nothing yet (see the library's documentation).

use aws_lambda_events::eventbridge::EventBridgeEvent;
use lambda_runtime::{Error, LambdaEvent, run, service_fn};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    run(service_fn(|event: LambdaEvent<EventBridgeEvent>| async move {
        Ok::<_, Error>(stepwise_poller::handle(&event.payload).await)
    }))
    .await
}
