//! The stepper on the engine's in-memory adapters, driven by
//! `events/stepper-batch.json`: an SQS event in the shape "Using Lambda with
//! Amazon SQS" shows (<https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html>,
//! example standard queue message event, read 2026-11-25), whose two bodies
//! are step messages as `SqsQueue` sends them. The second carries the
//! `stepwise-due` attribute of a three-day Wait, due 2026-11-28T12:00:00Z.

use super::*;
use aws_lambda_events::sqs::SqsMessageAttribute;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use stepwise_asl::error::{Failure, names};
use stepwise_asl::interpret::TaskRequest;
use stepwise_engine::Config;
use stepwise_engine::memory::{ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::ports::Page;
use stepwise_engine::ports::TaskOutcome;
use stepwise_engine::records::{ExecutionStatus, MessageKind, StateMachineRecord, StateMachineType};

/// 2026-11-25T12:00:00Z, when the sample batch arrives.
const NOW: i64 = 1_795_608_000_000;
/// The second record's due time.
const DUE: i64 = 1_795_867_200_000;
const FIRST: &str = "059f36b4-87a3-44ab-83d2-661975830a7d";
const SECOND: &str = "2e1424d4-f796-459a-8184-9c92662be6da";

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

type TestEngine = Engine<MemoryStore, FlakyQueue, MemoryEvents, UnsupportedTasks, ManualClock>;

fn engine() -> TestEngine {
    let clock = ManualClock::at(NOW);
    let queue = FlakyQueue { inner: MemoryQueue::new(clock.clone()), failing: Arc::default() };
    let config = Config::new("us-east-1", "123456789012");
    Engine::new(MemoryStore::default(), queue, MemoryEvents::default(), UnsupportedTasks, clock, config)
}

fn batch() -> SqsEvent {
    let path = format!("{}/../../events/stepper-batch.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not an SQS event: {e}"))
}

/// Step messages as the SQS event source delivers them (the sample's first
/// record with another body).
fn records(messages: impl IntoIterator<Item = Message>) -> SqsEvent {
    let mut event = batch();
    let template = event.records.remove(0);
    event.records = messages
        .into_iter()
        .enumerate()
        .map(|(i, message)| {
            let mut record = template.clone();
            record.message_id = Some(format!("message-{i}"));
            record.body = Some(serde_json::to_string(&message).unwrap());
            record
        })
        .collect();
    event
}

async fn start(engine: &TestEngine, name: &str, definition: serde_json::Value) -> String {
    let sm = StateMachineRecord {
        arn: "arn:aws:states:us-east-1:123456789012:stateMachine:HelloWorld".into(),
        name: "HelloWorld".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/StepwiseExecutionRole".into(),
        kind: StateMachineType::Standard,
        creation_date: NOW - 60_000,
        revision_id: "1".into(),
        description: None,
        tags: Vec::new(),
    };
    if engine.store.get_state_machine(&sm.arn).await.unwrap().is_none() {
        engine.store.create_state_machine(sm.clone()).await.unwrap();
    }
    engine.start_execution(&sm, name, "{}").await.expect("started").arn
}

fn pass_pass() -> serde_json::Value {
    json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}})
}

/// Runs batches of whatever is queued until the queue is empty.
async fn drain(engine: &TestEngine) {
    while let Some(first) = engine.queue.inner.pop() {
        let mut messages = vec![first];
        while messages.len() < 10 {
            match engine.queue.inner.pop() {
                Some(m) => messages.push(m),
                None => break,
            }
        }
        let response = handle_batch(engine, &records(messages)).await;
        assert!(response.batch_item_failures.is_empty(), "{response:?}");
    }
}

#[tokio::test]
async fn a_batch_steps_due_messages_and_rechains_the_others() {
    let engine = engine();
    let first = start(&engine, "first", pass_pass()).await;
    let queued = engine.queue.inner.pop().expect("StartExecution queued the first step");
    assert_eq!(serde_json::to_string(&queued).unwrap(), batch().records[0].body.clone().unwrap(), "the sample's body");

    let response = handle_batch(&engine, &batch()).await;
    assert!(response.batch_item_failures.is_empty(), "{response:?}");
    let branch = &engine.store.branches(&first)[0];
    assert_eq!(branch.seq, 1, "the first record applied one step");

    // What is queued now: the first execution's next step, then the
    // second record again, due when its attribute said.
    let next = engine.queue.inner.pop().unwrap();
    assert_eq!((next.execution_arn.as_str(), next.seq), (first.as_str(), 1));
    let again = engine.queue.inner.pop().unwrap();
    assert_eq!(serde_json::to_string(&again).unwrap(), batch().records[1].body.clone().unwrap());
    assert_eq!(engine.clock.now_ms(), DUE, "re-sent with the remaining delay");
    assert!(engine.queue.inner.is_empty());
}

#[tokio::test]
async fn a_due_message_is_stepped_whatever_its_attribute() {
    let engine = engine();
    let mut event = batch();
    event.records.remove(0);
    engine.clock.advance_to(DUE);
    assert_eq!(handle_record(&engine, &event.records[0]).await.unwrap(), Outcome::Stepped);
    event.records[0].message_attributes.insert(DUE_ATTRIBUTE.into(), SqsMessageAttribute::default());
    assert_eq!(handle_record(&engine, &event.records[0]).await.unwrap(), Outcome::Stepped, "no value: due now");
    assert!(engine.queue.inner.is_empty(), "an unknown execution's message is acknowledged and dropped");
}

#[tokio::test]
async fn a_batch_delivered_twice_applies_each_step_once() {
    let engine = engine();
    let first = start(&engine, "first", pass_pass()).await;
    engine.queue.inner.pop();
    assert!(handle_batch(&engine, &batch()).await.batch_item_failures.is_empty());
    let (history, _) = engine.store.history(&first, Page { limit: 100, token: None }, false).await.unwrap();
    assert!(handle_batch(&engine, &batch()).await.batch_item_failures.is_empty(), "a duplicate is acknowledged");
    let (again, _) = engine.store.history(&first, Page { limit: 100, token: None }, false).await.unwrap();
    assert_eq!(history, again, "the duplicate changed nothing");
    assert_eq!(engine.store.branches(&first)[0].seq, 1);
}

#[tokio::test]
async fn failed_records_are_reported_by_message_id() {
    let engine = engine();
    start(&engine, "first", pass_pass()).await;
    engine.queue.inner.pop();
    engine.queue.failing.store(true, Ordering::SeqCst);
    let response = handle_batch(&engine, &batch()).await;
    let ids: Vec<&str> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(ids, [FIRST, SECOND], "the step's work and the re-chain could not be sent");
    let wire = serde_json::to_value(&response).unwrap();
    assert_eq!(wire, json!({"batchItemFailures": [{"itemIdentifier": FIRST}, {"itemIdentifier": SECOND}]}));

    // SQS delivers them again once the queue is back: the committed step
    // re-sends its work rather than applying twice.
    engine.queue.failing.store(false, Ordering::SeqCst);
    engine.clock.advance_to(NOW + 30_000);
    assert!(handle_batch(&engine, &batch()).await.batch_item_failures.is_empty());
    let next = engine.queue.inner.pop().unwrap();
    assert_eq!(next.seq, 1, "the lost send arrived with the redelivery");
}

#[tokio::test]
async fn a_body_that_is_not_a_step_message_fails_its_record_only() {
    let engine = engine();
    let mut event = batch();
    event.records[0].body = Some("Hello from SQS!".into());
    let response = handle_batch(&engine, &event).await;
    let ids: Vec<&str> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
    assert_eq!(ids, [FIRST]);
    assert!(matches!(handle_record(&engine, &event.records[0]).await, Err(RecordError::NotAMessage(_))));
}

#[tokio::test]
async fn an_execution_runs_to_its_end_through_batches() {
    let engine = engine();
    let arn = start(&engine, "first", pass_pass()).await;
    drain(&engine).await;
    let done = engine.store.get_execution(&arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some("{}"));
}

#[tokio::test]
async fn task_states_fail_visibly_until_task_integrations_exist() {
    let engine = engine();
    let definition = json!({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:hello", "End": true}}});
    let arn = start(&engine, "task", definition).await;
    drain(&engine).await;
    let done = engine.store.get_execution(&arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.TaskFailed"));
    assert!(
        done.cause.as_deref().unwrap().contains("cannot run 'arn:aws:lambda:us-east-1:123456789012:function:hello'")
    );
}

#[test]
fn the_sample_bodies_are_step_messages() {
    let event = batch();
    let kinds: Vec<MessageKind> = event
        .records
        .iter()
        .map(|r| serde_json::from_str::<Message>(r.body.as_deref().unwrap()).unwrap().kind)
        .collect();
    assert_eq!(kinds, [MessageKind::Enter, MessageKind::Timer]);
    let due = event.records[1].message_attributes[DUE_ATTRIBUTE].string_value.as_deref();
    assert_eq!(due_remaining(due, NOW), Some(3 * 86_400_000));
}

#[test]
fn steps_per_message_defaults_and_refuses_nonsense() {
    use crate::{DEFAULT_STEPS_PER_MESSAGE, steps_per_message};
    assert_eq!(steps_per_message(None), Ok(DEFAULT_STEPS_PER_MESSAGE));
    assert_eq!(steps_per_message(Some(" ")), Ok(DEFAULT_STEPS_PER_MESSAGE), "empty is unset");
    assert_eq!(steps_per_message(Some("1")), Ok(1));
    assert_eq!(steps_per_message(Some(" 32 ")), Ok(32));
    for bad in ["0", "-3", "many", "1001"] {
        assert!(steps_per_message(Some(bad)).is_err(), "{bad}");
    }
}

/// A task port for these tests, which run no Task states: each fails with
/// `States.TaskFailed`.
#[derive(Debug, Clone, Copy, Default)]
struct UnsupportedTasks;

impl TaskInvoker for UnsupportedTasks {
    async fn invoke(&self, request: &TaskRequest) -> TaskOutcome {
        TaskOutcome::Failed(Failure::new(
            names::TASK_FAILED,
            format!(
                "Stepwise's serverless stack cannot run '{}' (state '{}') yet: no task integration is deployed",
                request.resource, request.state_name
            ),
        ))
    }
}
