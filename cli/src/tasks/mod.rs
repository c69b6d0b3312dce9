//! How Task states reach the outside world when `stepwise` runs a state
//! machine in-process: Lambda functions behind a [`LambdaInvoker`].

pub mod http;
pub mod mock_config;
pub mod services;

use std::time::Duration;

/// A Lambda Invoke response, as the Lambda `Invoke` API returns it
/// (<https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaResponse {
    /// The raw response payload bytes.
    pub payload: Vec<u8>,
    /// The `X-Amz-Function-Error` header: `Some("Unhandled")` when the function
    /// raised, in which case `payload` holds `{"errorMessage", "errorType", ...}`.
    pub function_error: Option<String>,
    /// The `X-Amz-Log-Result` header: the base64 tail of the function's log,
    /// when the caller asked for it with `LogType: Tail`.
    pub log_result: Option<String>,
    /// How long the function ran. The runner compares it with the Task's
    /// `TimeoutSeconds` on its own clock, so mocks can model slow functions.
    pub duration: Duration,
}

/// A failure of the Lambda service itself (not of the function), named as
/// Step Functions names it, such as `Lambda.ResourceNotFoundException`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {message}")]
pub struct LambdaError {
    /// The error name Retry/Catch see, e.g. `Lambda.ResourceNotFoundException`.
    pub error: String,
    /// The cause text.
    pub message: String,
}

/// Something that can invoke Lambda functions by name or ARN.
///
/// # Contract
/// `invoke` is called once per Task attempt and may be called concurrently
/// from several threads. It never panics on any input.
pub trait LambdaInvoker: Send + Sync {
    /// Invokes `function` (a name, partial ARN or full ARN) with `payload`;
    /// `log_tail` asks for the log tail (`X-Amz-Log-Type: Tail`).
    fn invoke(&self, function: &str, payload: &[u8], log_tail: bool) -> Result<LambdaResponse, LambdaError>;
}
