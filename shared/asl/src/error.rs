//! Errors that Retry and Catch can match: a name plus a cause.
//!
//! The predefined names are AWS's, from "Error handling in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).

use std::fmt;

/// Every predefined `States.*` error name, in one table.
pub mod names {
    /// Matches any error name except `States.DataLimitExceeded` and `States.Runtime`.
    pub const ALL: &str = "States.ALL";
    /// A branch of a Parallel or Map state failed (used for Map item failures past the tolerance).
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    /// A Task's result or an input/output exceeded the 256 KiB payload limit.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    /// A Map state failed more items than ToleratedFailurePercentage/Count allow.
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    /// A Task ran longer than HeartbeatSeconds without a heartbeat.
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    /// An intrinsic function failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// Not enough permissions to run the code.
    pub const PERMISSIONS: &str = "States.Permissions";
    /// A ResultPath cannot be applied to the state's input.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A Parameters or ResultSelector path failed to resolve.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    /// A Choice state found no matching rule and has no Default.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// The execution could not process input, for example an InputPath found nothing.
    pub const RUNTIME: &str = "States.Runtime";
    /// A Task failed during execution.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// A Task or the execution ran longer than TimeoutSeconds.
    pub const TIMEOUT: &str = "States.Timeout";
    /// An ItemReader could not read its source.
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    /// A ResultWriter could not write.
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    /// A JSONata expression failed to evaluate.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

    /// All predefined names; any other `States.` name in ErrorEquals is invalid.
    pub const PREDEFINED: &[&str] = &[
        ALL,
        BRANCH_FAILED,
        DATA_LIMIT_EXCEEDED,
        EXCEED_TOLERATED_FAILURE_THRESHOLD,
        HEARTBEAT_TIMEOUT,
        INTRINSIC_FAILURE,
        PERMISSIONS,
        RESULT_PATH_MATCH_FAILURE,
        PARAMETER_PATH_FAILURE,
        NO_CHOICE_MATCHED,
        RUNTIME,
        TASK_FAILED,
        TIMEOUT,
        ITEM_READER_FAILED,
        RESULT_WRITER_FAILED,
        QUERY_EVALUATION_ERROR,
    ];
}

/// A failure as Step Functions reports it: an error name and an optional cause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    /// The error name Retry and Catch match on, such as `States.Timeout`.
    pub error: String,
    /// Human-readable detail; absent when the failing state gave none.
    pub cause: Option<String>,
}

impl Failure {
    /// A failure with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        Failure { error: error.into(), cause: Some(cause.into()) }
    }

    /// A failure with a name and no cause.
    pub fn bare(error: impl Into<String>) -> Self {
        Failure { error: error.into(), cause: None }
    }

    /// `States.Runtime` with a cause.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Failure::new(names::RUNTIME, cause)
    }

    /// `States.IntrinsicFailure` with a cause.
    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Failure::new(names::INTRINSIC_FAILURE, cause)
    }

    /// Whether an ErrorEquals list matches this failure.
    ///
    /// Nothing matches `States.Runtime`. `States.ALL` matches every other error; a recorded AWS run
    /// (conformance `error_handling/..._catch_state_all_data_limit_exceeded_...`)
    /// shows it does catch a Task's `States.DataLimitExceeded`. `States.TaskFailed`
    /// matches any error except `States.Timeout`, as the error-handling page says.
    pub fn matches(&self, error_equals: &[String]) -> bool {
        // "A States.Runtime error isn't retriable, and will always cause the
        // execution to fail" (error-handling page); a recorded run
        // (scenarios/test_catch_states_runtime) shows even a Catch naming it
        // does not catch it.
        if self.error == names::RUNTIME {
            return false;
        }
        error_equals.iter().any(|name| {
            name == &self.error || name == names::ALL || (name == names::TASK_FAILED && self.error != names::TIMEOUT)
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(cause) => write!(f, "{}: {}", self.error, cause),
            None => f.write_str(&self.error),
        }
    }
}
