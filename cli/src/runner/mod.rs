//! Runs one execution of a state machine to its end, in-process.

use crate::tasks::LambdaInvoker;
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;

/// How an execution ended, as DescribeExecution's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Finished with an output.
    Succeeded,
    /// Failed with an error and cause.
    Failed,
    /// Exceeded the state machine's TimeoutSeconds.
    TimedOut,
    /// Stopped.
    Aborted,
}

/// How Wait states and task durations pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    /// Real time; every wait is multiplied by the scale (`--wait-time-scale`).
    Real {
        /// 1.0 waits as written, 0.0 not at all.
        scale: f64,
    },
    /// Virtual time: waits end at once while the clock jumps forward, so timeouts
    /// and timestamps behave as if they had really waited. Used by `stepwise test`.
    Virtual,
}

/// What to run and with what.
#[derive(Clone)]
pub struct RunOptions {
    /// The state machine's name (appears in ARNs and `$$.StateMachine.Name`).
    pub state_machine_name: String,
    /// The execution's name (`$$.Execution.Name`).
    pub execution_name: String,
    /// Where Lambda tasks go; `None` makes them fail with `Lambda.ResourceNotFoundException`... or per mock config.
    pub lambda: Option<Arc<dyn LambdaInvoker>>,
    /// How time passes.
    pub clock: Clock,
}

/// The end of a run: DescribeExecution's fields plus the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionReport {
    /// How it ended.
    pub status: ExecutionStatus,
    /// The output as JSON text, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error name, when it failed and one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed and one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The events as GetExecutionHistory returns them: objects with
    /// `timestamp`, `type`, `id`, `previousEventId` and one `*EventDetails`.
    pub events: Vec<Value>,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The definition has validation errors.
    #[error("invalid definition: {0}")]
    InvalidDefinition(String),
    /// The input is not valid for an execution.
    #[error("invalid execution input: {0}")]
    InvalidExecutionInput(String),
}

/// Runs `definition` on `input` to its end.
pub fn run(definition: &Value, input: &Value, options: &RunOptions) -> Result<ExecutionReport, RunError> {
    let _ = (definition, input, options);
    Err(RunError::InvalidDefinition("the interpreter is not wired in yet".to_owned()))
}
