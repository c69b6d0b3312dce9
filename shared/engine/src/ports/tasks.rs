//! Running Task states' work.

use serde_json::Value;
use std::future::Future;
use stepwise_asl::error::Failure;
use stepwise_asl::interpret::TaskRequest;

/// What became of a task.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    /// It finished with a result.
    Succeeded(Value),
    /// It failed; Retry and Catch see this error.
    Failed(Failure),
    /// It was handed off and answers later through its task token
    /// (`.waitForTaskToken`, activities) or a `.sync` poller.
    Waiting,
}

/// Calls Lambda and the other service integrations.
///
/// # Contract
/// Called once per task attempt, but a redelivered message may call it again
/// for the same attempt: integrations are at-least-once, as on AWS. It never
/// panics; service errors come back as `Failed` with AWS's error names
/// (`Lambda.ResourceNotFoundException`, …).
pub trait TaskInvoker: Send + Sync {
    /// Runs `request`.
    fn invoke(&self, request: &TaskRequest) -> impl Future<Output = TaskOutcome> + Send;
}
