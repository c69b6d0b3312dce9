//! The `api` Lambda: API Gateway HTTP API requests (payload format 2.0,
//! <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html>)
//! answered by the engine's Step Functions API service.
//!
//! Routes (the HTTP API sends every request to this function through its
//! `$default` route, after checking its SigV4 signature: `AWS_IAM` auth):
//!
//! - `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`: the Step
//!   Functions API in its own protocol (AWS JSON 1.0), so `awscurl` and any
//!   client that signs for `execute-api` can call every action served.
//! - `POST /execution` with `{"input", "name", "stateMachineArn"}`: StartExecution,
//!   answered with its output, as the API Gateway tutorial's `/execution`
//!   resource does
//!   (<https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-api-gateway.html>).
//! - `POST /execution/sync` with the same body: StartSyncExecution of an
//!   EXPRESS state machine, answered with its result, as the "Invoke
//!   Synchronous Express Workflows through API Gateway" sample does.
//!
//! Anything else is a 404 with an AWS-style `{"__type", "message"}` body.

use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::{HeaderMap, HeaderValue, Method, header};
use base64::Engine as _;
use stepwise_engine::Engine;
use stepwise_engine::api::{self, ApiError, TARGET_PREFIX};
use stepwise_engine::ports::{Clock, EventSink, Queue, Store, TaskInvoker, TaskOutcome};

/// The content type of the `POST /execution` routes' answers.
pub const JSON: &str = "application/json";

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `POST /`: the operation named by `X-Amz-Target` (empty when absent).
    Api {
        /// The header's value.
        target: String,
    },
    /// `POST /execution`: StartExecution.
    StartExecution,
    /// `POST /execution/sync`: StartSyncExecution.
    StartSyncExecution,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route of a request: its method and path, with the stage's name
    /// taken off the front (a named stage's `rawPath` starts with it;
    /// `$default`'s does not). A trailing `/` is ignored.
    pub fn of(request: &ApiGatewayV2httpRequest) -> Route {
        let context = &request.request_context;
        let path = request.raw_path.as_deref().or(context.http.path.as_deref()).unwrap_or("/");
        let path = match context.stage.as_deref() {
            Some(stage) if stage != "$default" => path
                .strip_prefix('/')
                .and_then(|p| p.strip_prefix(stage))
                .filter(|p| p.is_empty() || p.starts_with('/'))
                .unwrap_or(path),
            _ => path,
        };
        let path = path.trim_end_matches('/');
        if context.http.method != Method::POST {
            return Route::NotFound;
        }
        match path {
            "" => Route::Api { target: header_text(&request.headers, "x-amz-target").to_owned() },
            "/execution" => Route::StartExecution,
            "/execution/sync" => Route::StartSyncExecution,
            _ => Route::NotFound,
        }
    }
}

/// A header's value as text; empty when absent or not visible ASCII.
fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> &'h str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The request body as bytes: HTTP APIs base64-encode bodies they take for
/// binary, and say so with `isBase64Encoded`.
fn body_bytes(request: &ApiGatewayV2httpRequest) -> Result<Vec<u8>, ApiError> {
    let body = request.body.as_deref().unwrap_or_default();
    if request.is_base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| ApiError::SerializationException(format!("the body is not valid base64: {e}")))
    } else {
        Ok(body.as_bytes().to_vec())
    }
}

/// Answers one HTTP API request. Never fails: every problem is an
/// AWS-shaped error response.
pub async fn handle<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    request: &ApiGatewayV2httpRequest,
) -> ApiGatewayV2httpResponse {
    let route = Route::of(request);
    let (target, content_type) = match &route {
        Route::Api { target } => (target.clone(), api::Response::CONTENT_TYPE),
        Route::StartExecution => (format!("{TARGET_PREFIX}StartExecution"), JSON),
        Route::StartSyncExecution => (format!("{TARGET_PREFIX}StartSyncExecution"), JSON),
        Route::NotFound => {
            let method = &request.request_context.http.method;
            let path = request.raw_path.as_deref().unwrap_or("/");
            let routes = "POST / (with X-Amz-Target), POST /execution or POST /execution/sync";
            let body = serde_json::json!({
                "__type": "NotFoundException",
                "message": format!("No route for {method} {path}: use {routes}"),
            });
            return response(request, 404, body.to_string().into_bytes(), JSON);
        }
    };
    let answer = match body_bytes(request) {
        Ok(body) => api::handle(engine, &target, &body).await,
        Err(error) => error.to_response(),
    };
    if answer.status >= 500 {
        // The caller gets AWS's generic wording (InternalFailure,
        // ServiceUnavailable); the log names the request that got it.
        let request_id = request.request_context.request_id.as_deref().unwrap_or_default();
        tracing::error!(target = %target, status = answer.status, request_id, "request failed");
    }
    response(request, answer.status, answer.body, content_type)
}

/// A payload-2.0 response with a JSON body and the request's id (as
/// `x-amzn-RequestId`, which AWS's own answers carry).
fn response(
    request: &ApiGatewayV2httpRequest,
    status: u16,
    body: Vec<u8>,
    content_type: &'static str,
) -> ApiGatewayV2httpResponse {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(id) = request.request_context.request_id.as_deref().and_then(|id| HeaderValue::from_str(id).ok()) {
        headers.insert("x-amzn-requestid", id);
    }
    let mut answer = ApiGatewayV2httpResponse::default();
    answer.status_code = i64::from(status);
    answer.headers = headers;
    // serde_json writes UTF-8; anything else would be a bug upstream, and is
    // still answered rather than dropped.
    answer.body = Some(Body::Text(String::from_utf8_lossy(&body).into_owned()));
    answer.is_base64_encoded = false;
    answer
}

/// The task port of the api function's engine: the api only starts, stops
/// and reads executions (their steps run in the stepper), so it never runs
/// a Task state. Were it asked to, it fails the task rather than run it in
/// the wrong function.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTasks;

impl TaskInvoker for NoTasks {
    async fn invoke(&self, request: &stepwise_asl::interpret::TaskRequest) -> TaskOutcome {
        TaskOutcome::Failed(stepwise_asl::error::Failure::new(
            stepwise_asl::error::names::TASK_FAILED,
            format!("the api function does not run Task states ('{}'); the stepper does", request.state_name),
        ))
    }
}

#[cfg(test)]
mod tests;
