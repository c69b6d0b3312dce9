//! ListExecutions
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::{ExecutionStatus, StateMachineType};
use serde::{Deserialize, Serialize};

/// `ExecutionStatus`'s values in the order AWS lists them in its
/// ValidationException (recorded in localstack's test_sfn_api.snapshot.json).
const STATUSES: [&str; 6] = ["SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"];

/// `ListExecutionsInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn`: required here, as map runs are not listed.
    pub state_machine_arn: Option<String>,
    /// `statusFilter`: only executions with this status.
    pub status_filter: Option<String>,
    /// `maxResults`: 0–1000; 0 or absent means 100.
    pub max_results: Option<i64>,
    /// `nextToken` from the previous page.
    pub next_token: Option<String>,
    /// `mapRunArn` (map runs are not kept).
    pub map_run_arn: Option<String>,
    /// `redriveFilter`: REDRIVEN (none are) or NOT_REDRIVEN (all are).
    pub redrive_filter: Option<String>,
}

/// `ExecutionListItem`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionListItem {
    /// `executionArn`.
    pub execution_arn: String,
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `status`.
    pub status: &'static str,
    /// `startDate`, epoch seconds.
    pub start_date: f64,
    /// `stopDate`, once it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<f64>,
    /// `redriveCount`: 0.
    pub redrive_count: i64,
}

/// `ListExecutionsOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `executions`, most recent first.
    pub executions: Vec<ExecutionListItem>,
    /// `nextToken`, when there are more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

fn status(name: &str) -> Option<ExecutionStatus> {
    Some(match name {
        "RUNNING" => ExecutionStatus::Running,
        "SUCCEEDED" => ExecutionStatus::Succeeded,
        "FAILED" => ExecutionStatus::Failed,
        "TIMED_OUT" => ExecutionStatus::TimedOut,
        "ABORTED" => ExecutionStatus::Aborted,
        _ => return None,
    })
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Lists a STANDARD state machine's executions, most recent first.
    pub async fn list_executions(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.optional("stateMachineArn", constraints::ARN, request.state_machine_arn.as_deref());
        let filter = v.one_of("statusFilter", request.status_filter.as_deref(), &STATUSES);
        let max_results = v.range("maxResults", request.max_results, 0, 1000);
        let next_token =
            v.optional("nextToken", constraints::LIST_EXECUTIONS_PAGE_TOKEN, request.next_token.as_deref());
        let map_run = v.optional("mapRunArn", constraints::LONG_ARN, request.map_run_arn.as_deref());
        let redrive = v.one_of("redriveFilter", request.redrive_filter.as_deref(), &["REDRIVEN", "NOT_REDRIVEN"]);
        v.finish()?;
        let arn = match (arn, map_run) {
            (Some(arn), _) => arn,
            (None, Some(map_run)) => {
                return Err(ApiError::ResourceNotFound(format!("Resource not found: '{map_run}'")));
            }
            (None, None) => {
                return Err(ApiError::ValidationException("Must provide a StateMachine ARN or MapRun ARN".into()));
            }
        };
        let sm = self.state_machine(arn).await?;
        if sm.kind == StateMachineType::Express {
            // AWS's wording, recorded in localstack's test_sfn_api.snapshot.json.
            return Err(ApiError::StateMachineTypeNotSupported(
                "This operation is not supported by this type of state machine".into(),
            ));
        }
        // No execution is ever PENDING_REDRIVE or redriven here.
        if (filter.is_some() && filter.and_then(status).is_none()) || redrive == Some("REDRIVEN") {
            return Ok(Response { executions: Vec::new(), next_token: None });
        }
        let page = shapes::page(max_results, next_token);
        let (records, next_token) = self.engine.store.list_executions(arn, filter.and_then(status), page).await?;
        let executions = records
            .into_iter()
            .map(|e| ExecutionListItem {
                execution_arn: e.arn,
                state_machine_arn: e.state_machine_arn,
                name: e.name,
                status: e.status.as_str(),
                start_date: shapes::timestamp(e.start_date),
                stop_date: e.stop_date.map(shapes::timestamp),
                redrive_count: 0,
            })
            .collect();
        Ok(Response { executions, next_token })
    }
}
