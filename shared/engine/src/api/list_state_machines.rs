//! ListStateMachines
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachines.html>).

use super::constraints::{self, Constraints};
use super::shapes;
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `ListStateMachinesInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `maxResults`: 0–1000; 0 or absent means 100.
    pub max_results: Option<i64>,
    /// `nextToken` from the previous page.
    pub next_token: Option<String>,
}

/// `StateMachineListItem`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachineListItem {
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `type`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `creationDate`, epoch seconds.
    pub creation_date: f64,
}

/// `ListStateMachinesOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `stateMachines`, by name.
    pub state_machines: Vec<StateMachineListItem>,
    /// `nextToken`, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Lists state machines, a page at a time.
    pub async fn list_state_machines(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let max_results = v.range("maxResults", request.max_results, 0, 1000);
        let next_token = v.optional("nextToken", constraints::PAGE_TOKEN, request.next_token.as_deref());
        v.finish()?;
        let (machines, next_token) =
            self.engine.store.list_state_machines(shapes::page(max_results, next_token)).await?;
        let state_machines = machines
            .into_iter()
            .map(|sm| StateMachineListItem {
                state_machine_arn: sm.arn,
                name: sm.name,
                kind: shapes::type_name(sm.kind),
                creation_date: shapes::timestamp(sm.creation_date),
            })
            .collect();
        Ok(Response { state_machines, next_token })
    }
}
