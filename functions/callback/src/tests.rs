//! The callback handler on the engine's in-memory adapters, driven by
//! `events/callback-success.json`: an SQS event in the shape "Using Lambda
//! with Amazon SQS" shows (<https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html>,
//! read 2026-11-25) carrying a worker's success. Each test first runs an
//! execution to a `.waitForTaskToken` task and puts its real token in the
//! sample's body.

use super::*;
use aws_lambda_events::sqs::SqsEvent;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use stepwise_engine::Config;
use stepwise_engine::memory::{FnTasks, ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::records::{ExecutionRecord, ExecutionStatus, Message, StateMachineRecord, StateMachineType};

const NOW: i64 = 1_795_608_000_000;
const SAMPLE_ID: &str = "19dd0b57-b21e-4ac1-bd88-01bbb068cb78";

/// A step queue whose sends can be made to fail.
#[derive(Clone)]
struct FlakyQueue {
    inner: MemoryQueue,
    failing: Arc<AtomicBool>,
}

impl Queue for FlakyQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        if self.failing.load(Ordering::SeqCst) {
            return Err("SendMessage: ServiceUnavailable".into());
        }
        self.inner.send(message, delay_ms).await
    }
}

type TestEngine = Engine<MemoryStore, FlakyQueue, MemoryEvents, FnTasks, ManualClock>;

/// An engine whose tasks hand their tokens over and wait, as an
/// `sqs:sendMessage.waitForTaskToken` task does.
struct Env {
    engine: TestEngine,
    tokens: Arc<Mutex<Vec<String>>>,
}

impl Env {
    fn new() -> Self {
        let clock = ManualClock::at(NOW);
        let queue = FlakyQueue { inner: MemoryQueue::new(clock.clone()), failing: Arc::default() };
        let tokens: Arc<Mutex<Vec<String>>> = Arc::default();
        let handed = tokens.clone();
        let tasks = FnTasks::new(move |request| {
            handed.lock().unwrap().extend(request.token.clone());
            TaskOutcome::Waiting
        });
        let engine = Engine::new(
            MemoryStore::default(),
            queue,
            MemoryEvents::default(),
            tasks,
            clock,
            Config::new("us-east-1", "123456789012"),
        );
        Env { engine, tokens }
    }

    /// Starts an execution and steps it until its task waits; its token.
    async fn waiting_task(&self) -> (String, String) {
        let definition = json!({"StartAt": "Ask for approval", "States": {"Ask for approval": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": true}}});
        let sm = StateMachineRecord {
            arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Approval".into(),
            name: "Approval".into(),
            definition: definition.to_string(),
            role_arn: "arn:aws:iam::123456789012:role/StepwiseExecutionRole".into(),
            kind: StateMachineType::Standard,
            creation_date: NOW,
            revision_id: "1".into(),
            description: None,
            tags: Vec::new(),
        };
        self.engine.store.create_state_machine(sm.clone()).await.unwrap();
        let arn = self.engine.start_execution(&sm, "order-7", "{\"order\": 7}").await.unwrap().arn;
        while self.tokens.lock().unwrap().is_empty() {
            let message = self.engine.queue.inner.pop().expect("the task is reached");
            self.engine.handle(&message).await.unwrap();
        }
        let token = self.tokens.lock().unwrap()[0].clone();
        (arn, token)
    }

    /// Steps the execution until it ends.
    async fn finish(&self, arn: &str) -> ExecutionRecord {
        while let Some(message) = self.engine.queue.inner.pop() {
            self.engine.handle(&message).await.unwrap();
        }
        let done = self.engine.store.get_execution(arn).await.unwrap().unwrap();
        assert_ne!(done.status, ExecutionStatus::Running, "the execution ended");
        done
    }
}

/// The sample event with `body` (the sample's, with `token` in it, when `None`).
fn event(token: &str, body: Option<Value>) -> SqsEvent {
    let path = format!("{}/../../events/callback-success.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut event: SqsEvent = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sample: Value = serde_json::from_str(event.records[0].body.as_deref().unwrap()).unwrap();
    sample["taskToken"] = json!(token);
    event.records[0].body = Some(body.unwrap_or(sample).to_string());
    event
}

async fn outcome(env: &Env, body: &str) -> Result<Outcome, ApiError> {
    let mut record = event("", None).records.remove(0);
    record.body = Some(body.to_owned());
    handle_record(&env.engine, &record).await
}

#[tokio::test]
async fn the_sample_success_completes_the_waiting_task() {
    let env = Env::new();
    let (arn, token) = env.waiting_task().await;
    let response = handle_batch(&env.engine, &event(&token, None)).await;
    assert!(response.batch_item_failures.is_empty(), "{response:?}");
    let done = env.finish(&arn).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(output, json!({"approved": true, "approver": "jane@example.com"}));
}

#[tokio::test]
async fn a_failure_fails_the_task_with_its_error_and_cause() {
    let env = Env::new();
    let (arn, token) = env.waiting_task().await;
    let body = json!({"taskToken": token, "error": "Rejected", "cause": "over budget"});
    assert!(handle_batch(&env.engine, &event(&token, Some(body))).await.batch_item_failures.is_empty());
    let done = env.finish(&arn).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!((done.error.as_deref(), done.cause.as_deref()), (Some("Rejected"), Some("over budget")));
}

#[tokio::test]
async fn string_output_is_json_text_as_send_task_success_takes_it() {
    let env = Env::new();
    let (arn, token) = env.waiting_task().await;
    let body = json!({"taskToken": token, "output": "{\"approved\": false}"});
    assert!(handle_batch(&env.engine, &event(&token, Some(body))).await.batch_item_failures.is_empty());
    let done = env.finish(&arn).await;
    assert_eq!(serde_json::from_str::<Value>(done.output.as_deref().unwrap()).unwrap(), json!({"approved": false}));
}

#[tokio::test]
async fn a_heartbeat_is_recorded_and_the_task_still_waits() {
    let env = Env::new();
    let (arn, token) = env.waiting_task().await;
    env.engine.clock.advance_to(NOW + 60_000);
    let body = json!({"taskToken": token, "heartbeat": true});
    assert_eq!(outcome(&env, &body.to_string()).await.unwrap(), Outcome::Applied("SendTaskHeartbeat"));
    assert_eq!(env.engine.store.get_token(&token).await.unwrap().unwrap().heartbeat_at, NOW + 60_000);
    let execution = env.engine.store.get_execution(&arn).await.unwrap().unwrap();
    assert_eq!(execution.status, ExecutionStatus::Running);
}

#[tokio::test]
async fn bodies_that_are_not_callbacks_are_dropped_not_retried() {
    let env = Env::new();
    let (_, token) = env.waiting_task().await;
    for body in [
        "Hello from SQS!".to_owned(),
        "[]".to_owned(),
        json!({"taskToken": 5, "output": {}}).to_string(),
        json!({"taskToken": token, "output": {}, "error": "E"}).to_string(),
        json!({"taskToken": token, "heartbeat": false}).to_string(),
        json!({"taskToken": token, "heartbeat": "yes"}).to_string(),
    ] {
        assert!(matches!(outcome(&env, &body).await, Ok(Outcome::BadBody(_))), "{body}");
        let mut sample = event(&token, None);
        sample.records[0].body = Some(body.clone());
        assert!(handle_batch(&env.engine, &sample).await.batch_item_failures.is_empty(), "{body}");
    }
    assert!(env.engine.queue.inner.is_empty(), "the task still waits");
}

#[tokio::test]
async fn callbacks_the_api_refuses_are_dropped_with_its_error() {
    let env = Env::new();
    let (_, token) = env.waiting_task().await;
    let refused = |outcome: Result<Outcome, ApiError>| match outcome {
        Ok(Outcome::Refused(_, error)) => error.name(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let unknown = json!({"taskToken": "0000", "output": {}}).to_string();
    assert_eq!(refused(outcome(&env, &unknown).await), "TaskDoesNotExist");
    let no_token = json!({"output": {}}).to_string();
    assert_eq!(refused(outcome(&env, &no_token).await), "ValidationException");
    let not_json = json!({"taskToken": token, "output": "{oops"}).to_string();
    assert_eq!(refused(outcome(&env, &not_json).await), "InvalidOutput");

    let success = json!({"taskToken": token, "output": {}}).to_string();
    assert_eq!(outcome(&env, &success).await.unwrap(), Outcome::Applied("SendTaskSuccess"));
    assert_eq!(refused(outcome(&env, &success).await), "TaskTimedOut", "a token answers once");
}

#[tokio::test]
async fn failures_on_our_side_are_reported_for_redelivery() {
    let env = Env::new();
    let (_, token) = env.waiting_task().await;
    env.engine.queue.failing.store(true, Ordering::SeqCst);
    let response = handle_batch(&env.engine, &event(&token, None)).await;
    let wire = serde_json::to_value(&response).unwrap();
    assert_eq!(wire, json!({"batchItemFailures": [{"itemIdentifier": SAMPLE_ID}]}));
}

#[test]
fn bodies_map_to_the_three_calls() {
    let token = Some("t".to_owned());
    let success = |output: &str| {
        Request::Success(send_task_success::Request { task_token: token.clone(), output: Some(output.into()) })
    };
    let cases = [
        (r#"{"taskToken":"t","output":{"a":1}}"#, success(r#"{"a":1}"#)),
        (r#"{"taskToken":"t","output":"{\"a\":1}"}"#, success(r#"{"a":1}"#)),
        (r#"{"taskToken":"t","output":null}"#, success("null")),
        (r#"{"taskToken":"t","output":"\"hi\""}"#, success(r#""hi""#)),
        (
            r#"{"taskToken":"t","error":"E","cause":"C"}"#,
            Request::Failure(send_task_failure::Request {
                task_token: token.clone(),
                error: Some("E".into()),
                cause: Some("C".into()),
            }),
        ),
        (
            r#"{"taskToken":"t","error":null}"#,
            Request::Failure(send_task_failure::Request { task_token: token.clone(), error: None, cause: None }),
        ),
        (
            r#"{"taskToken":"t","heartbeat":true}"#,
            Request::Heartbeat(send_task_heartbeat::Request { task_token: token.clone() }),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(Request::parse(body), Ok(expected), "{body}");
    }
    assert_eq!(Request::parse(r#"{"taskToken":"t","output":1,"heartbeat":true}"#), Err(BodyError::Ambiguous));
}
