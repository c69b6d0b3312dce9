//! The Step Functions API as a service of the engine, in the AWS JSON 1.0
//! protocol (<https://docs.aws.amazon.com/step-functions/latest/apireference/Welcome.html>).
//!
//! A request is `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`
//! and a JSON body; [`handle`] dispatches on the operation name, as
//! mini-redis dispatches commands, to a file per action. Each action has a
//! typed `Request` and `Response` named as AWS names them, checks its input
//! against the API model's constraints ([`constraints`]), and answers
//! failures with the exception AWS would raise ([`error`]). [`Api`] offers
//! the same actions as typed methods.
//!
//! Not served yet: activities, tagging, versions and
//! aliases, DescribeStateMachineForExecution, map runs and redrive.

mod arn;
pub mod constraints;
mod definition;
pub mod error;
mod lookup;
mod names;
pub mod shapes;

pub mod create_state_machine;
pub mod delete_state_machine;
pub mod describe_execution;
pub mod describe_state_machine;
pub mod get_execution_history;
pub mod list_executions;
pub mod list_state_machines;
pub mod send_task_failure;
pub mod send_task_heartbeat;
pub mod send_task_success;
pub mod start_execution;
pub mod start_sync_execution;
pub mod stop_execution;
pub mod tags;
pub mod update_state_machine;
pub mod validate_state_machine_definition;

pub use arn::{ArnError, ExecutionArn, StateMachineArn};
pub use error::ApiError;

use crate::engine::Engine;
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// The `X-Amz-Target` prefix of every Step Functions operation (the model's
/// `metadata.targetPrefix`).
pub const TARGET_PREFIX: &str = "AWSStepFunctions.";

/// An HTTP answer: status and JSON body, sent with [`Response::CONTENT_TYPE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// 200, 400 for a client error, 500 or 503 for ours.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
}

impl Response {
    /// The AWS JSON 1.0 content type, for requests and responses alike.
    pub const CONTENT_TYPE: &'static str = "application/x-amz-json-1.0";
}

/// The API's actions over an engine, as typed methods (one file each).
pub struct Api<'e, S, Q, E, T, C> {
    engine: &'e Engine<S, Q, E, T, C>,
}

impl<'e, S, Q, E, T, C> Api<'e, S, Q, E, T, C> {
    /// The API of `engine`.
    pub fn new(engine: &'e Engine<S, Q, E, T, C>) -> Self {
        Api { engine }
    }
}

/// Answers one request: `target` is the `X-Amz-Target` header's value (empty
/// when absent) and `body` the request body. Never panics on input: every
/// failure is an AWS-shaped error response.
pub async fn handle<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    target: &str,
    body: &[u8],
) -> Response {
    let api = Api::new(engine);
    let result = match target.strip_prefix(TARGET_PREFIX).unwrap_or_default() {
        "CreateStateMachine" => call(body, |r| api.create_state_machine(r)).await,
        "DescribeStateMachine" => call(body, |r| api.describe_state_machine(r)).await,
        "UpdateStateMachine" => call(body, |r| api.update_state_machine(r)).await,
        "DeleteStateMachine" => call(body, |r| api.delete_state_machine(r)).await,
        "ListStateMachines" => call(body, |r| api.list_state_machines(r)).await,
        "ValidateStateMachineDefinition" => call(body, |r| api.validate_state_machine_definition(r)).await,
        "StartExecution" => call(body, |r| api.start_execution(r)).await,
        "StartSyncExecution" => call(body, |r| api.start_sync_execution(r)).await,
        "DescribeExecution" => call(body, |r| api.describe_execution(r)).await,
        "StopExecution" => call(body, |r| api.stop_execution(r)).await,
        "ListExecutions" => call(body, |r| api.list_executions(r)).await,
        "GetExecutionHistory" => call(body, |r| api.get_execution_history(r)).await,
        "SendTaskSuccess" => call(body, |r| api.send_task_success(r)).await,
        "SendTaskFailure" => call(body, |r| api.send_task_failure(r)).await,
        "SendTaskHeartbeat" => call(body, |r| api.send_task_heartbeat(r)).await,
        "TagResource" => call(body, |r| api.tag_resource(r)).await,
        "UntagResource" => call(body, |r| api.untag_resource(r)).await,
        "ListTagsForResource" => call(body, |r| api.list_tags_for_resource(r)).await,
        _ => Err(ApiError::UnknownOperationException(format!("Unknown operation: '{target}'"))),
    };
    match result {
        Ok(body) => Response { status: 200, body },
        Err(error) => {
            // The caller sees AWS's generic words for a failure on our side;
            // the operator needs the cause.
            if error.status() >= 500 {
                tracing::error!(target: "stepwise::api", operation = target, cause = error.detail(), "request failed");
            }
            error.to_response()
        }
    }
}

/// Decodes the request, runs the action and encodes its answer.
async fn call<Req, Resp, F, Fut>(body: &[u8], action: F) -> Result<Vec<u8>, ApiError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(Req) -> Fut,
    Fut: Future<Output = Result<Resp, ApiError>>,
{
    let response = action(decode(body)?).await?;
    serde_json::to_vec(&response).map_err(|e| ApiError::InternalFailure(e.to_string()))
}

/// Reads a request body. An empty body is an empty structure; a body that is
/// not a JSON object, or a member of the wrong JSON type, is a
/// `SerializationException`, as AWS's JSON protocol answers (a JSON `null`
/// member counts as absent). Unknown members are ignored, as AWS does.
pub fn decode<Req: DeserializeOwned>(body: &[u8]) -> Result<Req, ApiError> {
    let text = if body.iter().all(u8::is_ascii_whitespace) { b"{}".as_slice() } else { body };
    let value: serde_json::Value =
        serde_json::from_slice(text).map_err(|e| ApiError::SerializationException(e.to_string()))?;
    if !value.is_object() {
        return Err(ApiError::SerializationException("Start of structure expected".into()));
    }
    serde_json::from_value(value).map_err(|e| ApiError::SerializationException(e.to_string()))
}
