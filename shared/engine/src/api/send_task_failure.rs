//! SendTaskFailure
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError};
use crate::callback::Callback;
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `SendTaskFailureInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `taskToken` (required): the token the task was given.
    pub task_token: Option<String>,
    /// `error`: the error name Retry and Catch match, up to 256 characters.
    pub error: Option<String>,
    /// `cause`: up to 32768 characters.
    pub cause: Option<String>,
}

/// `SendTaskFailureOutput`: empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Fails the task waiting on a token.
    pub async fn send_task_failure(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let token = v.required("taskToken", constraints::TASK_TOKEN, request.task_token.as_deref());
        v.optional("error", constraints::SENSITIVE_ERROR, request.error.as_deref());
        v.optional("cause", constraints::SENSITIVE_CAUSE, request.cause.as_deref());
        v.finish()?;
        let failure = Callback::Failure { error: request.error.clone(), cause: request.cause.clone() };
        self.engine.callback(token, failure).await?;
        Ok(Response {})
    }
}
