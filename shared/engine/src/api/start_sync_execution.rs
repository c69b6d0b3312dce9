//! StartSyncExecution: run an EXPRESS state machine and answer with its end
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html>).
//!
//! The execution runs on the engine like any other; the call waits for it to
//! end (EXPRESS executions last at most five minutes).

use super::constraints::{self, Constraints};
use super::describe_execution::ExecutionDataDetails;
use super::start_execution::check_input;
use super::{Api, ApiError, names, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::{ExecutionStatus, StateMachineType};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// EXPRESS executions run for at most five minutes (Step Functions quotas).
const EXPRESS_LIMIT_MS: i64 = 5 * 60 * 1000;

/// `StartSyncExecutionInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn` (required).
    pub state_machine_arn: Option<String>,
    /// `name`: a UUID when absent.
    pub name: Option<String>,
    /// `input`: JSON text; `{}` when absent.
    pub input: Option<String>,
    /// `traceHeader`: accepted, not used.
    pub trace_header: Option<String>,
}

/// `BillingDetails`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingDetails {
    /// `billedMemoryUsedInMB`: EXPRESS bills 64 MB blocks; one block here.
    #[serde(rename = "billedMemoryUsedInMB")]
    pub billed_memory_used_in_mb: i64,
    /// `billedDurationInMilliseconds`: rounded up to the next 100 ms, as
    /// Express Workflows are billed.
    pub billed_duration_in_milliseconds: i64,
}

/// `StartSyncExecutionOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `executionArn`.
    pub execution_arn: String,
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `startDate`.
    pub start_date: f64,
    /// `stopDate`.
    pub stop_date: f64,
    /// `status`: SUCCEEDED, FAILED or TIMED_OUT.
    pub status: &'static str,
    /// `input`.
    pub input: String,
    /// `inputDetails`.
    pub input_details: ExecutionDataDetails,
    /// `output`, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// `outputDetails`, with the output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_details: Option<ExecutionDataDetails>,
    /// `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `cause`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// `billingDetails`.
    pub billing_details: BillingDetails,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Runs an EXPRESS execution to its end.
    pub async fn start_sync_execution(&self, request: Request) -> Result<Response, ApiError> {
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
        if sm.kind != StateMachineType::Express {
            // AWS's wording, recorded in localstack's test_sfn_api.snapshot.json.
            return Err(ApiError::StateMachineTypeNotSupported(
                "This operation is not supported by this type of state machine".into(),
            ));
        }
        let started = self.engine.start_execution(&sm, name, input).await?;
        let mut pause = 1;
        let done = loop {
            let record = self.engine.store.get_execution(&started.arn).await?;
            match record {
                Some(r) if r.status != ExecutionStatus::Running => break r,
                _ if self.engine.clock.now_ms() - started.start_date > EXPRESS_LIMIT_MS => {
                    let ended = self
                        .engine
                        .end_execution(&started.arn, ExecutionStatus::TimedOut, Some("States.Timeout".into()), None)
                        .await?;
                    break ended.unwrap_or(started.clone());
                }
                _ => {
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                    pause = (pause * 2).min(50);
                }
            }
        };
        let stop = done.stop_date.unwrap_or(done.start_date);
        let billed = ((stop - done.start_date).max(1) + 99) / 100 * 100;
        let output_details = done.output.as_ref().map(|_| ExecutionDataDetails { included: true });
        Ok(Response {
            execution_arn: done.arn,
            state_machine_arn: done.state_machine_arn,
            name: done.name,
            start_date: shapes::timestamp(done.start_date),
            stop_date: shapes::timestamp(stop),
            status: done.status.as_str(),
            input: done.input,
            input_details: ExecutionDataDetails { included: true },
            output: done.output,
            output_details,
            error: done.error,
            cause: done.cause,
            billing_details: BillingDetails { billed_memory_used_in_mb: 64, billed_duration_in_milliseconds: billed },
        })
    }
}
