//! DescribeExecution
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `DescribeExecutionInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `executionArn` (required).
    pub execution_arn: Option<String>,
    /// `includedData`: ALL_DATA (default) or METADATA_ONLY, which leaves out
    /// the input and output.
    pub included_data: Option<String>,
}

/// `CloudWatchEventsExecutionDataDetails`: "Always true for API calls".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ExecutionDataDetails {
    /// `included`.
    pub included: bool,
}

/// `DescribeExecutionOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `executionArn`.
    pub execution_arn: String,
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `status`: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: &'static str,
    /// `startDate`, epoch seconds.
    pub start_date: f64,
    /// `stopDate`, once it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<f64>,
    /// `input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// `inputDetails`.
    pub input_details: ExecutionDataDetails,
    /// `output`, once it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// `outputDetails`, with the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_details: Option<ExecutionDataDetails>,
    /// `error`, when it failed, timed out or was stopped with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `cause`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// `redriveCount`: 0, redrive is not offered.
    pub redrive_count: i64,
    /// `redriveStatus`: NOT_REDRIVABLE.
    pub redrive_status: &'static str,
    /// `redriveStatusReason`.
    pub redrive_status_reason: String,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Describes an execution.
    pub async fn describe_execution(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("executionArn", constraints::ARN, request.execution_arn.as_deref());
        let included = v.one_of("includedData", request.included_data.as_deref(), &["ALL_DATA", "METADATA_ONLY"]);
        v.finish()?;
        let e = self.execution(arn).await?;
        let data = included != Some("METADATA_ONLY");
        let output = e.output.filter(|_| data);
        let status = e.status.as_str();
        Ok(Response {
            execution_arn: e.arn,
            state_machine_arn: e.state_machine_arn,
            name: e.name,
            status,
            start_date: shapes::timestamp(e.start_date),
            stop_date: e.stop_date.map(shapes::timestamp),
            input: Some(e.input).filter(|_| data),
            input_details: ExecutionDataDetails { included: data },
            output_details: output.as_ref().map(|_| ExecutionDataDetails { included: true }),
            output,
            error: e.error,
            cause: e.cause,
            redrive_count: 0,
            // AWS, for a succeeded execution: "redriveStatus": "NOT_REDRIVABLE",
            // "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven"
            // (localstack test_sfn_api.snapshot.json). AWS would call a failed
            // one REDRIVABLE; Stepwise does not redrive yet.
            redrive_status: "NOT_REDRIVABLE",
            redrive_status_reason: format!("Execution is {status} and cannot be redriven"),
        })
    }
}
