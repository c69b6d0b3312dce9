//! SendTaskSuccess
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError};
use crate::callback::Callback;
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `SendTaskSuccessInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `taskToken` (required): the token the task was given.
    pub task_token: Option<String>,
    /// `output` (required): the task's result, JSON text of at most 256 KiB.
    pub output: Option<String>,
}

/// `SendTaskSuccessOutput`: empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Completes the task waiting on a token with `output`.
    pub async fn send_task_success(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let token = v.required("taskToken", constraints::TASK_TOKEN, request.task_token.as_deref());
        let output = v.required("output", constraints::SENSITIVE_DATA, request.output.as_deref());
        v.finish()?;
        // AWS's wording for InvalidOutput is not documented; this follows its
        // "Invalid State Machine Execution Input: '…'" for inputs.
        let output = serde_json::from_str(output)
            .map_err(|e| ApiError::InvalidOutput(format!("Invalid State Machine Execution Output: '{e}'")))?;
        self.engine.callback(token, Callback::Success(output)).await?;
        Ok(Response {})
    }
}
