//! GetExecutionHistory
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GetExecutionHistoryInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `executionArn` (required).
    pub execution_arn: Option<String>,
    /// `maxResults`: 0–1000; 0 or absent means 100.
    pub max_results: Option<i64>,
    /// `reverseOrder`: newest event first.
    pub reverse_order: Option<bool>,
    /// `nextToken` from the previous page.
    pub next_token: Option<String>,
    /// `includeExecutionData`: false leaves out each event's input and output
    /// (default true).
    pub include_execution_data: Option<bool>,
}

/// `GetExecutionHistoryOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `events`: `HistoryEvent`s, each with its `*EventDetails`.
    pub events: Vec<Value>,
    /// `nextToken`, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Removes the execution data (`input`, `output`) from an event's details.
fn without_data(mut event: Value) -> Value {
    if let Some(fields) = event.as_object_mut() {
        for (key, details) in fields.iter_mut() {
            if key.ends_with("EventDetails")
                && let Some(details) = details.as_object_mut()
            {
                details.remove("input");
                details.remove("output");
            }
        }
    }
    event
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// An execution's history, a page at a time, oldest event first unless
    /// `reverseOrder`.
    pub async fn get_execution_history(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("executionArn", constraints::ARN, request.execution_arn.as_deref());
        let max_results = v.range("maxResults", request.max_results, 0, 1000);
        let next_token = v.optional("nextToken", constraints::PAGE_TOKEN, request.next_token.as_deref());
        v.finish()?;
        self.execution(arn).await?;
        let page = shapes::page(max_results, next_token);
        let reverse = request.reverse_order.unwrap_or(false);
        let (events, next_token) = self.engine.store.history(arn, page, reverse).await?;
        let data = request.include_execution_data.unwrap_or(true);
        let events = events.iter().map(|e| e.to_api_json()).map(|e| if data { e } else { without_data(e) }).collect();
        Ok(Response { events, next_token })
    }
}
