//! StopExecution
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::ExecutionStatus;
use serde::{Deserialize, Serialize};

/// `StopExecutionInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `executionArn` (required).
    pub execution_arn: Option<String>,
    /// `error`: up to 256 characters.
    pub error: Option<String>,
    /// `cause`: up to 32768 characters.
    pub cause: Option<String>,
}

/// `StopExecutionOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `stopDate`, epoch seconds.
    pub stop_date: f64,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Stops a running execution: it ends ABORTED with an `ExecutionAborted`
    /// event. Stopping one that already ended changes nothing and answers
    /// with its stop date.
    pub async fn stop_execution(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("executionArn", constraints::ARN, request.execution_arn.as_deref());
        let error = v.optional("error", constraints::SENSITIVE_ERROR, request.error.as_deref());
        let cause = v.optional("cause", constraints::SENSITIVE_CAUSE, request.cause.as_deref());
        v.finish()?;
        self.execution_arn(arn)?;
        let (error, cause) = (error.map(str::to_owned), cause.map(str::to_owned));
        let stopped = self.engine.end_execution(arn, ExecutionStatus::Aborted, error, cause).await?;
        let stopped =
            stopped.ok_or_else(|| ApiError::ExecutionDoesNotExist(format!("Execution Does Not Exist: '{arn}'")))?;
        let stop_date = stopped.stop_date.unwrap_or_else(|| self.engine.clock.now_ms());
        Ok(Response { stop_date: shapes::timestamp(stop_date) })
    }
}
