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
use serde_json::{Value, json};
use std::sync::Arc;
use stepwise_asl::error::{Failure, names};
use stepwise_asl::interpret::{Event, IntegrationPattern, TaskKind, TaskRequest};

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

/// Which resource form called the function, and so the result's shape.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// `arn:aws:lambda:…:function:…`: the function's payload.
    Classic,
    /// `arn:aws:states:::lambda:invoke`: the Invoke response with metadata;
    /// `log_tail` for `LogType: Tail`.
    Optimized { log_tail: bool },
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
    let text = String::from_utf8_lossy(&payload).into_owned();
    if function_error.is_some() {
        let error = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("errorType").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| "Lambda.Unknown".to_owned());
        // The optimized integration re-serializes the error payload compactly;
        // the classic Lambda resource passes the runtime's text through
        // (recorded runs: conformance error_handling/test_task_service_lambda_*
        // vs scenarios/test_lambda_invoke_with_retry_extended_input).
        let cause = match serde_json::from_str::<Value>(&text) {
            Ok(v) if shape != Shape::Classic => stepwise_asl::json::to_text(&v),
            _ => text,
        };
        return (Err(Failure::new(error, cause)), ran_ms);
    }
    let result = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text.clone()));
    match shape {
        Shape::Classic => (Ok(result), ran_ms),
        Shape::Optimized { .. } => (Ok(invoke_result(result, text.len(), log_result)), ran_ms),
    }
}

/// The optimized integration's result around a payload, with the response
/// metadata fields AWS returns.
fn invoke_result(payload: Value, length: usize, log_result: Option<String>) -> Value {
    let request_id = new_request_id();
    let date = httpdate_now();
    let mut result = json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length.to_string()],
                "Date": [date],
                "X-Amzn-Trace-Id": ["Root=1-00000000-000000000000000000000000;Sampled=0"],
                "Content-Type": ["application/json"]
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length.to_string(),
                "Content-Type": "application/json",
                "Date": date,
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0"
            },
            "HttpStatusCode": 200
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200
    });
    if let (Some(log), Some(fields)) = (log_result, result.as_object_mut()) {
        // `LogType: Tail` adds the log tail as `LogResult` and its header.
        fields.shift_insert(1, "LogResult".to_owned(), json!(log));
        result["SdkHttpMetadata"]["AllHttpHeaders"]["X-Amz-Log-Result"] = json!([log]);
        result["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Log-Result"] = json!(log);
    }
    result
}

fn new_request_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    let seed = RandomState::new().hash_one(0u8);
    stepwise_asl::rng::Rng::new(seed).uuid_v4()
}

/// The HTTP `Date` header value for now (RFC 7231 IMF-fixdate).
fn httpdate_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let iso = stepwise_asl::timestamp::format_rfc3339_millis(secs * 1000);
    // `YYYY-MM-DDThh:mm:ss.000Z` → `Www, DD Mon YYYY hh:mm:ss GMT`
    let days = secs.div_euclid(86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = iso.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    format!(
        "{weekday}, {} {} {} {} GMT",
        iso.get(8..10).unwrap_or("01"),
        month_names[(month.clamp(1, 12)) - 1],
        iso.get(0..4).unwrap_or("1970"),
        iso.get(11..19).unwrap_or("00:00:00")
    )
}
