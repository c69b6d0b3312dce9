//! StartExecution
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, names, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `StartExecutionInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn` (required).
    pub state_machine_arn: Option<String>,
    /// `name`: 1–80 allowed characters; a UUID when absent.
    pub name: Option<String>,
    /// `input`: JSON text, at most 256 KiB; `{}` when absent.
    pub input: Option<String>,
    /// `traceHeader`: accepted (ASCII, at most 256), not used.
    pub trace_header: Option<String>,
}

/// `StartExecutionOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `executionArn`.
    pub execution_arn: String,
    /// `startDate`, epoch seconds.
    pub start_date: f64,
}

/// `InvalidExecutionInput` unless `input` is JSON. AWS words it "Invalid
/// State Machine Execution Input: '<parser message>'" (recorded in
/// localstack's test_sfn_api.snapshot.json; the parser's words are ours).
pub(crate) fn check_input(input: &str) -> Result<(), ApiError> {
    if input.is_empty() {
        return Err(ApiError::InvalidExecutionInput(
            "Invalid State Machine Execution Input: 'Invalid execution input.'".into(),
        ));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(input)
        .map(|_| ())
        .map_err(|e| ApiError::InvalidExecutionInput(format!("Invalid State Machine Execution Input: '{e}'")))
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Starts an execution. Starting again with the same name and input while
    /// it runs returns it again; a different input, or a name whose execution
    /// ended, is `ExecutionAlreadyExists`.
    pub async fn start_execution(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("stateMachineArn", constraints::ARN, request.state_machine_arn.as_deref());
        let name = v.optional("name", constraints::NAME, request.name.as_deref());
        let input = v.optional("input", constraints::SENSITIVE_DATA, request.input.as_deref());
        if let Some(header) = v.optional("traceHeader", constraints::TRACE_HEADER, request.trace_header.as_deref()) {
            v.pattern("traceHeader", header, header.is_ascii(), "\\p{ASCII}*");
        }
        v.finish()?;
        let generated;
        let name = match name {
            Some(name) => {
                names::check(name)?;
                name
            }
            None => {
                generated = names::new_uuid();
                &generated
            }
        };
        let input = input.unwrap_or("{}");
        check_input(input)?;
        let sm = self.state_machine(arn).await?;
        let execution = self.engine.start_execution(&sm, name, input).await?;
        Ok(Response { execution_arn: execution.arn, start_date: shapes::timestamp(execution.start_date) })
    }
}
