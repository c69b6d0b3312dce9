//! DeleteStateMachine
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `DeleteStateMachineInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn` (required).
    pub state_machine_arn: Option<String>,
}

/// `DeleteStateMachineOutput`: empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Deletes a state machine; its executions stay readable. Deleting one
    /// that does not exist succeeds, as on AWS (recorded in localstack's
    /// test_sfn_api.snapshot.json, test_delete_nonexistent_sm).
    pub async fn delete_state_machine(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("stateMachineArn", constraints::ARN, request.state_machine_arn.as_deref());
        v.finish()?;
        self.state_machine_arn(arn)?;
        self.engine.store.delete_state_machine(arn).await?;
        Ok(Response {})
    }
}
