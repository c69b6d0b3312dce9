//! Stepwise's AWS adapters: the engine's ports over the AWS SDK for Rust.
//!
//! Layout: [`config`] reads resource names from the environment and builds
//! SDK clients (rustls on tokio, endpoint and credentials from the SDK's
//! standard configuration); [`dynamo`] is the [`Store`](stepwise_engine::ports::Store)
//! on one DynamoDB table; [`sqs`] the step [`Queue`](stepwise_engine::ports::Queue)
//! with re-chained long delays; [`eventbridge`] the
//! [`EventSink`](stepwise_engine::ports::EventSink) publishing "Step Functions
//! Execution Status Change" events; [`bootstrap`] creates the table, queues
//! and bus if missing; [`clock`] is the wall clock; [`metrics`] counts
//! requests for cost measurements.
//!
//! The rest of this page is the crate's README: the table's key design,
//! access patterns, item sizes and the cost of a step.
#![doc = include_str!("../README.md")]

pub mod bootstrap;
pub mod clock;
pub mod config;
pub mod dynamo;
pub mod eventbridge;
pub mod metrics;
pub mod sqs;
pub mod tasks;

pub use bootstrap::{Bootstrap, BootstrapError};
pub use clock::SystemClock;
pub use config::{Clients, Resources};
pub use dynamo::DynamoStore;
pub use eventbridge::EventBridgeSink;
pub use metrics::RequestCounter;
pub use sqs::SqsQueue;
pub use tasks::{AwsTasks, Endpoints};

/// The text of an SDK error with its whole source chain (the SDK's own
/// `Display` says only "service error").
pub(crate) fn error_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}
