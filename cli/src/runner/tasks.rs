//! Answering Task requests in-process: mock-config responses first, then
//! Lambda functions through a [`LambdaInvoker`].
//!
//! Result shapes follow "Invoke an AWS Lambda function with Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html>):
//! a Lambda ARN resource returns the function's payload; the optimized
//! `arn:aws:states:::lambda:invoke` returns `{ExecutedVersion, Payload,
//! SdkHttpMetadata, SdkResponseMetadata, StatusCode}`.

use super::clock::RunClock;
use crate::tasks::mock_config::{MockCase, MockedResponse};
use crate::tasks::{LambdaInvoker, LambdaResponse};
use serde_json::Value;
use std::sync::Arc;
use stepwise_asl::error::{Failure, names};
use stepwise_asl::interpret::{Event, IntegrationPattern, TaskKind, TaskRequest};
use stepwise_engine::lambda::{Shape, lambda_result};

/// Where tasks go.
#[derive(Default)]
pub(crate) struct Tasks {
    pub lambda: Option<Arc<dyn LambdaInvoker>>,
    pub mocks: Option<MockCase>,
}

/// A task's answer and how long after now it arrives.
pub(crate) struct TaskOutcome {
    pub event: Event,
    pub after_ms: i64,
}

impl Tasks {
    pub fn run(&self, request: &TaskRequest, clock: &RunClock) -> TaskOutcome {
        if let Some(mocked) = self.mocks.as_ref().and_then(|m| m.next(&request.state_name)) {
            let event = match mocked {
                Ok(MockedResponse::Return(v)) => Event::TaskSucceeded(v),
                Ok(MockedResponse::Throw(f)) => Event::TaskFailed(f),
                Err(e) => Event::TaskFailed(Failure::new(names::TASK_FAILED, e.to_string())),
            };
            return TaskOutcome { event, after_ms: 0 };
        }
        let (result, ran_ms) = self.call(request);
        let ran_ms = if clock.is_virtual() { ran_ms } else { 0 };
        match request.timeout_seconds {
            Some(t) if ran_ms > t as i64 * 1000 => {
                TaskOutcome { event: Event::TaskTimedOut(Failure::bare(names::TIMEOUT)), after_ms: t as i64 * 1000 }
            }
            _ => TaskOutcome {
                event: match result {
                    Ok(v) => Event::TaskSucceeded(v),
                    Err(f) => Event::TaskFailed(f),
                },
                after_ms: ran_ms,
            },
        }
    }

    fn call(&self, request: &TaskRequest) -> (Result<Value, Failure>, i64) {
        let unsupported = || {
            Failure::new(
                names::TASK_FAILED,
                format!(
                    "Stepwise cannot call '{}' in-process; answer state '{}' with a --mock-config response",
                    request.resource, request.state_name
                ),
            )
        };
        if request.pattern == IntegrationPattern::WaitForTaskToken {
            return (Err(unsupported()), 0);
        }
        let Some(lambda) = &self.lambda else {
            return (Err(unsupported()), 0);
        };
        match &request.kind {
            TaskKind::LambdaFunction => {
                let body = stepwise_asl::json::to_text(&request.parameters).into_bytes();
                invoke(lambda.as_ref(), &request.resource, &body, Shape::Classic)
            }
            TaskKind::Service { resource_type, resource } if resource_type == "lambda" && resource == "invoke" => {
                match request.parameters.get("FunctionName").and_then(Value::as_str) {
                    Some(function) => {
                        // AWS sends a string Payload as its raw text, and no
                        // Payload (or null) as an empty body (recorded runs:
                        // conformance services/test_invoke_json_values_*).
                        let body = match request.parameters.get("Payload") {
                            None | Some(Value::Null) => Vec::new(),
                            Some(Value::String(s)) => s.clone().into_bytes(),
                            Some(v) => stepwise_asl::json::to_text(v).into_bytes(),
                        };
                        let log_tail = request.parameters.get("LogType").and_then(Value::as_str) == Some("Tail");
                        invoke(lambda.as_ref(), function, &body, Shape::Optimized { log_tail })
                    }
                    None => (Err(Failure::new(names::RUNTIME, "lambda:invoke needs a FunctionName string")), 0),
                }
            }
            _ => (Err(unsupported()), 0),
        }
    }
}

/// Invokes a function and shapes its answer as Step Functions does.
fn invoke(lambda: &dyn LambdaInvoker, function: &str, body: &[u8], shape: Shape) -> (Result<Value, Failure>, i64) {
    let log_tail = shape == Shape::Optimized { log_tail: true };
    let response = match lambda.invoke(function, body, log_tail) {
        Ok(r) => r,
        Err(e) => return (Err(Failure::new(e.error, e.message)), 0),
    };
    let ran_ms = response.duration.as_millis() as i64;
    let LambdaResponse { payload, function_error, log_result, .. } = response;
    (lambda_result(shape, &payload, function_error.is_some(), log_result), ran_ms)
}
