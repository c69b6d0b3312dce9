//! SendTaskHeartbeat
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `SendTaskHeartbeatInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `taskToken` (required): the token the task was given.
    pub task_token: Option<String>,
}

/// `SendTaskHeartbeatOutput`: empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Tells the task waiting on a token that its worker is still at it,
    /// restarting its HeartbeatSeconds.
    pub async fn send_task_heartbeat(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let token = v.required("taskToken", constraints::TASK_TOKEN, request.task_token.as_deref());
        v.finish()?;
        self.engine.heartbeat(token).await?;
        Ok(Response {})
    }
}
