//! The api handler on the engine's in-memory adapters, driven by the sample
//! events in `events/`. Their shape is API Gateway's payload format 2.0 as
//! "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway"
//! (<https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html>,
//! read 2026-11-25) shows it, with the `authorizer.iam` block an `AWS_IAM`
//! route adds; the `/execution` body is the one of the API Gateway tutorial
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/tutorial-api-gateway.html>).

use super::*;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use stepwise_engine::Config;
use stepwise_engine::memory::{ManualClock, MemoryEvents, MemoryQueue, MemoryStore};

type TestEngine = Engine<MemoryStore, MemoryQueue, MemoryEvents, NoTasks, ManualClock>;

const HELLO_WORLD: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld";
const MY_EXECUTION: &str = "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:MyExecution";

fn engine() -> TestEngine {
    let clock = ManualClock::at(1_795_608_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let config = Config::new("us-east-1", "123456789012");
    Engine::new(MemoryStore::default(), queue, MemoryEvents::default(), NoTasks, clock, config)
}

/// A sample event from `events/`.
fn event(name: &str) -> ApiGatewayV2httpRequest {
    let path = format!("{}/../../events/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not an HTTP API event: {e}"))
}

async fn create_state_machine(engine: &TestEngine, name: &str, kind: &str, definition: Value) {
    let body = json!({
        "name": name,
        "type": kind,
        "definition": definition.to_string(),
        "roleArn": "arn:aws:iam::123456789012:role/StepwiseExecutionRole",
    });
    let answer = api::handle(engine, "AWSStepFunctions.CreateStateMachine", body.to_string().as_bytes()).await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
}

fn hello_world() -> Value {
    json!({"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "Hello World!", "End": true}}})
}

fn body(response: &ApiGatewayV2httpResponse) -> Value {
    match &response.body {
        Some(Body::Text(text)) => serde_json::from_str(text).expect("a JSON body"),
        other => panic!("expected a text body, got {other:?}"),
    }
}

fn content_type(response: &ApiGatewayV2httpResponse) -> &str {
    header_text(&response.headers, "content-type")
}

#[tokio::test]
async fn post_execution_starts_the_tutorial_execution() {
    let engine = engine();
    create_state_machine(&engine, "HelloWorld", "STANDARD", hello_world()).await;
    let response = handle(&engine, &event("api-start-execution.json")).await;
    assert_eq!(response.status_code, 200, "{:?}", response.body);
    assert_eq!(content_type(&response), JSON);
    assert_eq!(header_text(&response.headers, "x-amzn-requestid"), "Vx3VhgTNIAMEVxQ=");
    let answer = body(&response);
    // The tutorial's answer: {"executionArn": "…:execution:HelloWorld:MyExecution", "startDate": 1486768956.878}.
    assert_eq!(answer["executionArn"], MY_EXECUTION);
    assert_eq!(answer["startDate"], json!(1_795_608_000.0));
    assert_eq!(engine.queue.len(), 1, "the first step is queued for the stepper");
}

#[tokio::test]
async fn post_root_with_x_amz_target_answers_describe_execution() {
    let engine = engine();
    create_state_machine(&engine, "HelloWorld", "STANDARD", hello_world()).await;
    handle(&engine, &event("api-start-execution.json")).await;
    let response = handle(&engine, &event("api-describe.json")).await;
    assert_eq!(response.status_code, 200, "{:?}", response.body);
    assert_eq!(content_type(&response), "application/x-amz-json-1.0");
    let answer = body(&response);
    assert_eq!(answer["executionArn"], MY_EXECUTION);
    assert_eq!(answer["stateMachineArn"], HELLO_WORLD);
    assert_eq!(answer["name"], "MyExecution");
    assert_eq!(answer["status"], "RUNNING", "nothing has stepped it yet");
    assert_eq!(answer["input"], "{}");
}

#[tokio::test]
async fn api_errors_keep_their_aws_shape_and_status() {
    let engine = engine();
    let response = handle(&engine, &event("api-describe.json")).await;
    assert_eq!(response.status_code, 400);
    assert_eq!(content_type(&response), "application/x-amz-json-1.0");
    assert_eq!(body(&response)["__type"], "ExecutionDoesNotExist");

    let response = handle(&engine, &event("api-start-execution.json")).await;
    assert_eq!(response.status_code, 400);
    assert_eq!(body(&response)["__type"], "StateMachineDoesNotExist");

    let mut unknown = event("api-describe.json");
    unknown.headers.insert("x-amz-target", HeaderValue::from_static("AWSStepFunctions.Nope"));
    let response = handle(&engine, &unknown).await;
    assert_eq!(response.status_code, 400);
    assert_eq!(body(&response)["__type"], "UnknownOperationException");
}

#[tokio::test]
async fn post_execution_sync_answers_with_the_express_execution_s_result() {
    let engine = engine();
    create_state_machine(&engine, "HelloExpress", "EXPRESS", hello_world()).await;
    let mut request = event("api-start-execution.json");
    request.raw_path = Some("/execution/sync".into());
    request.body = Some(
        json!({"input": "{\"who\": \"you\"}", "stateMachineArn": HELLO_WORLD.replace("HelloWorld", "HelloExpress")})
            .to_string(),
    );
    // The stepper runs beside the waiting request, as it does in AWS.
    let done = AtomicBool::new(false);
    let call = async {
        let response = handle(&engine, &request).await;
        done.store(true, Ordering::SeqCst);
        response
    };
    let stepper = async {
        while !done.load(Ordering::SeqCst) {
            match engine.queue.pop() {
                Some(message) => engine.handle(&message).await.expect("a step"),
                None => tokio::time::sleep(Duration::from_millis(1)).await,
            }
        }
    };
    let (response, ()) = tokio::join!(call, stepper);
    assert_eq!(response.status_code, 200, "{:?}", response.body);
    assert_eq!(content_type(&response), JSON);
    let answer = body(&response);
    assert_eq!(answer["status"], "SUCCEEDED");
    assert_eq!(answer["output"], "\"Hello World!\"");
    assert_eq!(answer["input"], "{\"who\": \"you\"}");
    assert!(
        answer["executionArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:states:us-east-1:123456789012:express:HelloExpress:")
    );
    assert!(answer["billingDetails"]["billedDurationInMilliseconds"].is_i64());
}

#[tokio::test]
async fn post_execution_sync_refuses_a_standard_machine() {
    let engine = engine();
    create_state_machine(&engine, "HelloWorld", "STANDARD", hello_world()).await;
    let mut request = event("api-start-execution.json");
    request.raw_path = Some("/execution/sync".into());
    let response = handle(&engine, &request).await;
    assert_eq!(response.status_code, 400);
    assert_eq!(body(&response)["__type"], "StateMachineTypeNotSupported");
}

#[tokio::test]
async fn other_routes_are_404_with_an_aws_style_error() {
    let engine = engine();
    for (method, path) in [
        (Method::POST, "/executions"),
        (Method::GET, "/execution"),
        (Method::GET, "/"),
        (Method::POST, "/execution/sync/x"),
    ] {
        let mut request = event("api-start-execution.json");
        request.raw_path = Some(path.into());
        request.request_context.http.method = method.clone();
        let response = handle(&engine, &request).await;
        assert_eq!(response.status_code, 404, "{method} {path}");
        assert_eq!(content_type(&response), JSON);
        let answer = body(&response);
        assert_eq!(answer["__type"], "NotFoundException");
        assert!(answer["message"].as_str().unwrap().contains(&format!("{method} {path}")), "{answer}");
    }
    assert!(engine.queue.is_empty(), "nothing started");
}

#[test]
fn routes_ignore_a_named_stage_and_a_trailing_slash() {
    let mut request = event("api-start-execution.json");
    request.request_context.stage = Some("prod".into());
    request.raw_path = Some("/prod/execution/".into());
    assert_eq!(Route::of(&request), Route::StartExecution);
    request.raw_path = Some("/prod".into());
    assert_eq!(Route::of(&request), Route::Api { target: String::new() });
    request.raw_path = Some("/production/execution".into());
    assert_eq!(Route::of(&request), Route::NotFound, "only the stage's own path segment is taken off");
    assert_eq!(
        Route::of(&event("api-describe.json")),
        Route::Api { target: "AWSStepFunctions.DescribeExecution".into() }
    );
}

#[tokio::test]
async fn base64_bodies_are_decoded() {
    let engine = engine();
    create_state_machine(&engine, "HelloWorld", "STANDARD", hello_world()).await;
    let mut request = event("api-start-execution.json");
    let text = request.body.take().unwrap();
    request.body = Some(base64::engine::general_purpose::STANDARD.encode(text));
    request.is_base64_encoded = true;
    let response = handle(&engine, &request).await;
    assert_eq!(response.status_code, 200, "{:?}", response.body);
    assert_eq!(body(&response)["executionArn"], MY_EXECUTION);

    request.body = Some("not base64!".into());
    let response = handle(&engine, &request).await;
    assert_eq!(response.status_code, 400);
    assert_eq!(body(&response)["__type"], "SerializationException");
}

#[tokio::test]
async fn the_response_is_payload_format_2_0() {
    let engine = engine();
    let response = handle(&engine, &event("api-describe.json")).await;
    let wire = serde_json::to_value(&response).unwrap();
    assert_eq!(wire["statusCode"], 400);
    assert_eq!(wire["headers"]["content-type"], "application/x-amz-json-1.0");
    assert_eq!(wire["isBase64Encoded"], false);
    let text = wire["body"].as_str().expect("the body is a string");
    assert_eq!(serde_json::from_str::<Value>(text).unwrap()["__type"], "ExecutionDoesNotExist");
}
