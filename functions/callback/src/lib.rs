//! The `callback` Lambda: SendTaskSuccess, SendTaskFailure and
//! SendTaskHeartbeat for workers that can send to an SQS queue but cannot
//! sign HTTP requests to the api.
//!
//! Each record's body is one JSON object naming the task by its token:
//!
//! | body | call |
//! | --- | --- |
//! | `{"taskToken": T, "output": O}` | SendTaskSuccess |
//! | `{"taskToken": T, "error": E, "cause": C}` (both optional) | SendTaskFailure |
//! | `{"taskToken": T, "heartbeat": true}` | SendTaskHeartbeat |
//!
//! `output` is the task's result: a JSON object, array, number, boolean or
//! null is taken as it is; a string is JSON text, as SendTaskSuccess's
//! `output` is (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html>),
//! so `"output": "{\"ok\": true}"` and `"output": {"ok": true}` are the
//! same result.
//!
//! Each call goes through the API service, with its checks and errors. A
//! record the API refuses (a bad body, an unknown or ended task, output
//! that is not JSON: the 400s) is logged and acknowledged, since sending it
//! again would be refused again; a record that failed on our side (the
//! 500s: the store or the step queue) is reported in `batchItemFailures`
//! and delivered again.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use futures_util::future::join_all;
use serde_json::{Map, Value};
use stepwise_engine::Engine;
use stepwise_engine::api::{Api, ApiError, send_task_failure, send_task_heartbeat, send_task_success};
use stepwise_engine::ports::{Clock, EventSink, Queue, Store, TaskInvoker, TaskOutcome};

/// A callback read from a record's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// SendTaskSuccess.
    Success(send_task_success::Request),
    /// SendTaskFailure.
    Failure(send_task_failure::Request),
    /// SendTaskHeartbeat.
    Heartbeat(send_task_heartbeat::Request),
}

/// Why a body is not a callback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Not a JSON object with members of the expected types.
    #[error("the body is not a callback object: {0}")]
    NotACallback(String),
    /// Members of more than one call, or `"heartbeat": false`.
    #[error("a callback carries exactly one of `output`, `error`/`cause`, or `\"heartbeat\": true`")]
    Ambiguous,
}

impl Request {
    /// Reads a record's body (see the module documentation for the shapes).
    /// A member that is JSON `null` counts as absent, as in the API's JSON
    /// protocol, except `output`: `"output": null` is the result `null`.
    pub fn parse(body: &str) -> Result<Request, BodyError> {
        let not_a_callback = |detail: String| BodyError::NotACallback(detail);
        let mut object: Map<String, Value> = serde_json::from_str(body).map_err(|e| not_a_callback(e.to_string()))?;
        let mut text = |name: &str| match object.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(not_a_callback(format!("`{name}` must be a string, not {other}"))),
        };
        let (task_token, error, cause) = (text("taskToken")?, text("error")?, text("cause")?);
        let heartbeat = match object.remove("heartbeat") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(b),
            Some(other) => return Err(not_a_callback(format!("`heartbeat` must be true, not {other}"))),
        };
        let output = object.remove("output");
        match (output, error.is_some() || cause.is_some(), heartbeat) {
            (Some(output), false, None) => {
                let output = match output {
                    Value::String(text) => text,
                    value => value.to_string(),
                };
                Ok(Request::Success(send_task_success::Request { task_token, output: Some(output) }))
            }
            (None, _, None) => Ok(Request::Failure(send_task_failure::Request { task_token, error, cause })),
            (None, false, Some(true)) => Ok(Request::Heartbeat(send_task_heartbeat::Request { task_token })),
            _ => Err(BodyError::Ambiguous),
        }
    }

    /// The API action it calls.
    pub fn action(&self) -> &'static str {
        match self {
            Request::Success(_) => "SendTaskSuccess",
            Request::Failure(_) => "SendTaskFailure",
            Request::Heartbeat(_) => "SendTaskHeartbeat",
        }
    }
}

/// What became of a record that is acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The call succeeded (`SendTaskSuccess`, …).
    Applied(&'static str),
    /// The body is not a callback; dropped.
    BadBody(BodyError),
    /// The API refused the call with a client error (`InvalidToken`,
    /// `TaskDoesNotExist`, `TaskTimedOut`, `InvalidOutput`,
    /// `ValidationException`); dropped.
    Refused(&'static str, ApiError),
}

/// Handles one record. `Err` is a failure on our side, worth delivering again.
pub async fn handle_record<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    record: &SqsMessage,
) -> Result<Outcome, ApiError> {
    let request = match Request::parse(record.body.as_deref().unwrap_or_default()) {
        Ok(request) => request,
        Err(error) => return Ok(Outcome::BadBody(error)),
    };
    let action = request.action();
    let api = Api::new(engine);
    let result = match request {
        Request::Success(r) => api.send_task_success(r).await.map(drop),
        Request::Failure(r) => api.send_task_failure(r).await.map(drop),
        Request::Heartbeat(r) => api.send_task_heartbeat(r).await.map(drop),
    };
    match result {
        Ok(()) => Ok(Outcome::Applied(action)),
        Err(error) if error.status() < 500 => Ok(Outcome::Refused(action, error)),
        Err(error) => Err(error),
    }
}

/// Handles a batch of callback records concurrently and answers with the
/// ones to deliver again.
pub async fn handle_batch<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    event: &SqsEvent,
) -> SqsBatchResponse {
    let outcomes = join_all(event.records.iter().map(|record| handle_record(engine, record))).await;
    let mut response = SqsBatchResponse::default();
    for (record, outcome) in event.records.iter().zip(outcomes) {
        let id = record.message_id.as_deref().unwrap_or_default();
        match outcome {
            Ok(Outcome::Applied(action)) => tracing::info!(message_id = id, action, "applied"),
            Ok(Outcome::BadBody(error)) => tracing::error!(message_id = id, %error, "dropped: not a callback"),
            Ok(Outcome::Refused(action, error)) => {
                tracing::error!(
                    message_id = id,
                    action,
                    error = error.name(),
                    detail = error.message(),
                    "dropped: refused"
                );
            }
            Err(error) => {
                // The detail is internal (ApiError's Display); it goes to the
                // log only.
                tracing::error!(message_id = id, %error, "failed; SQS delivers it again");
                response.add_failure(id);
            }
        }
    }
    response
}

/// The task port of the callback function's engine: a callback stores a
/// task's result and queues the step that applies it; it never runs a Task
/// state (the stepper does). Were it asked to, it fails the task.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTasks;

impl TaskInvoker for NoTasks {
    async fn invoke(&self, request: &stepwise_asl::interpret::TaskRequest) -> TaskOutcome {
        TaskOutcome::Failed(stepwise_asl::error::Failure::new(
            stepwise_asl::error::names::TASK_FAILED,
            format!("the callback function does not run Task states ('{}'); the stepper does", request.state_name),
        ))
    }
}

#[cfg(test)]
mod tests;
