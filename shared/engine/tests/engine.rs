//! The engine on in-memory adapters: executions end right, each transition
//! applies once under duplicate, reordered and replayed messages, and
//! callbacks resume the right step.

use serde_json::{Value, json};
use std::sync::Arc;
use stepwise_asl::error::Failure;
use stepwise_engine::memory::{FnTasks, ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::ports::{Page, Store, TaskOutcome};
use stepwise_engine::records::{ExecutionRecord, ExecutionStatus, Message, StateMachineRecord, StateMachineType};
use stepwise_engine::{Config, Engine};

type TestEngine = Engine<MemoryStore, MemoryQueue, MemoryEvents, FnTasks, ManualClock>;

fn engine(tasks: FnTasks) -> (TestEngine, MemoryQueue) {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let config = Config::new("us-east-1", "123456789012");
    (Engine::new(MemoryStore::default(), queue.clone(), MemoryEvents::default(), tasks, clock, config), queue)
}

fn no_tasks() -> FnTasks {
    FnTasks::new(|_| TaskOutcome::Failed(Failure::new("States.TaskFailed", "no tasks here")))
}

fn machine(definition: Value) -> StateMachineRecord {
    StateMachineRecord {
        arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Test".into(),
        name: "Test".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        kind: StateMachineType::Standard,
        creation_date: 0,
        revision_id: "1".into(),
        description: None,
        tags: Vec::new(),
    }
}

/// Delivers every message (each `copies` times, the copies at once), until
/// the queue is empty.
async fn drain(engine: &TestEngine, queue: &MemoryQueue, copies: usize) {
    let mut guard = 0;
    while let Some(message) = queue.pop() {
        for _ in 0..copies {
            engine.handle(&message).await.expect("handled");
        }
        guard += 1;
        assert!(guard < 1_000_000, "runaway execution");
    }
}

async fn run(
    engine: &TestEngine,
    queue: &MemoryQueue,
    definition: Value,
    input: Value,
    copies: usize,
) -> ExecutionRecord {
    let sm = machine(definition);
    let started = engine.start_execution(&sm, "e1", &input.to_string()).await.expect("started");
    drain(engine, queue, copies).await;
    engine.store.get_execution(&started.arn).await.unwrap().unwrap()
}

async fn history_types(engine: &TestEngine, arn: &str) -> Vec<String> {
    let page = Page { limit: 1000, token: None };
    let (events, _) = engine.store.history(arn, page, false).await.unwrap();
    events.iter().map(|e| e.event_type.to_string()).collect()
}

fn hello_world() -> Value {
    json!({"StartAt": "Pass", "States": {
        "Pass": {"Type": "Pass", "Next": "Hello World example?"},
        "Hello World example?": {"Type": "Choice", "Choices": [
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": true, "Next": "Yes"},
            {"Variable": "$.IsHelloWorldExample", "BooleanEquals": false, "Next": "No"}], "Default": "Yes"},
        "Yes": {"Type": "Pass", "Next": "Wait 3 sec"},
        "No": {"Type": "Fail", "Cause": "Not Hello World"},
        "Wait 3 sec": {"Type": "Wait", "Seconds": 3, "Next": "Parallel State"},
        "Parallel State": {"Type": "Parallel", "Next": "Hello World", "Branches": [
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": true}}},
            {"StartAt": "World", "States": {"World": {"Type": "Pass", "End": true}}}]},
        "Hello World": {"Type": "Pass", "End": true}}})
}

// The console's HelloWorld sample: a Parallel's output is the array of its
// branches' outputs (AWS Developer Guide, "Parallel workflow state").
#[tokio::test]
async fn hello_world_succeeds_with_both_branch_outputs_and_waits_three_seconds() {
    let (engine, queue) = engine(no_tasks());
    let started_at = engine.clock.0.load(std::sync::atomic::Ordering::SeqCst);
    let done = run(&engine, &queue, hello_world(), json!({"IsHelloWorldExample": true}), 1).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(output, json!([{"IsHelloWorldExample": true}, {"IsHelloWorldExample": true}]));
    assert_eq!(done.stop_date.unwrap() - started_at, 3000);
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.first().map(String::as_str), Some("ExecutionStarted"));
    assert_eq!(types.last().map(String::as_str), Some("ExecutionSucceeded"));
    assert!(types.contains(&"ParallelStateSucceeded".to_owned()));
    let ids = engine.store.history(&done.arn, Page { limit: 1000, token: None }, false).await.unwrap().0;
    assert!(ids.iter().enumerate().all(|(i, e)| e.id == i as i64 + 1), "event ids are 1..n without gaps");
}

#[tokio::test]
async fn every_message_delivered_twice_applies_each_transition_once() {
    let (once, queue_once) = engine(no_tasks());
    let (twice, queue_twice) = engine(no_tasks());
    let a = run(&once, &queue_once, hello_world(), json!({"IsHelloWorldExample": true}), 1).await;
    let b = run(&twice, &queue_twice, hello_world(), json!({"IsHelloWorldExample": true}), 2).await;
    assert_eq!(b.status, ExecutionStatus::Succeeded);
    assert_eq!(a.output, b.output);
    assert_eq!(history_types(&once, &a.arn).await, history_types(&twice, &b.arn).await);
}

#[tokio::test]
async fn a_replayed_old_message_resends_its_work_and_changes_nothing() {
    let (engine, queue) = engine(no_tasks());
    let sm = machine(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}),
    );
    let started = engine.start_execution(&sm, "e1", "{}").await.unwrap();
    let first = queue.pop().unwrap();
    engine.handle(&first).await.unwrap();
    // The commit happened; pretend the send was lost by dropping what it sent.
    while queue.pop().is_some() {}
    // A duplicate right away races the work already sent: nothing is re-sent.
    engine.handle(&first).await.unwrap();
    assert!(queue.is_empty());
    // Redelivery after the visibility timeout: the lost work goes out again.
    let now = stepwise_engine::ports::Clock::now_ms(&engine.clock);
    engine.clock.advance_to(now + engine.config.redelivery_grace_ms);
    engine.handle(&first).await.unwrap();
    assert_eq!(queue.len(), 1, "the lost Enter for B is sent again");
    drain(&engine, &queue, 1).await;
    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(history_types(&engine, &done.arn).await.len(), 6);
}

#[tokio::test]
async fn map_with_max_concurrency_runs_every_item_once() {
    let calls = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = calls.clone();
    let tasks = FnTasks::new(move |request| {
        seen.lock().unwrap().push(request.parameters.clone());
        TaskOutcome::Succeeded(json!({"doubled": request.parameters["n"].as_i64().unwrap() * 2}))
    });
    let (engine, queue) = engine(tasks);
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 3, "End": true,
        "ItemSelector": {"n.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}}}});
    let items: Vec<i64> = (0..25).collect();
    let done = run(&engine, &queue, definition, json!(items), 2).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    let expected: Vec<Value> = (0..25).map(|n| json!({"doubled": n * 2})).collect();
    assert_eq!(output, json!(expected));
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.iter().filter(|t| *t == "MapIterationSucceeded").count(), 25);
    assert_eq!(types.iter().filter(|t| *t == "LambdaFunctionSucceeded").count(), 25);
}

// "A failed child fails the parent once; the others are cancelled" (DESIGN);
// AWS records MapIterationAborted for the cancelled ones.
#[tokio::test]
async fn a_failed_iteration_fails_the_map_once_and_aborts_the_rest() {
    let tasks = FnTasks::new(|request| {
        if request.parameters == json!(3) {
            TaskOutcome::Failed(Failure::new("Boom", "item 3"))
        } else {
            TaskOutcome::Waiting
        }
    });
    let (engine, queue) = engine(tasks);
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}}}});
    let done = run(&engine, &queue, definition, json!([0, 1, 2, 3, 4]), 1).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Boom"));
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.iter().filter(|t| *t == "MapStateFailed").count(), 1);
    assert_eq!(types.iter().filter(|t| *t == "MapIterationAborted").count(), 4);
}

#[tokio::test]
async fn a_callback_resumes_the_waiting_task_once() {
    let tokens = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let tasks = FnTasks::new(move |request| {
        seen.lock().unwrap().push(request.token.clone().unwrap());
        TaskOutcome::Waiting
    });
    let (engine, queue) = engine(tasks);
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}});
    let sm = machine(definition);
    let started = engine.start_execution(&sm, "cb", "{}").await.unwrap();
    drain(&engine, &queue, 1).await;
    let token = tokens.lock().unwrap()[0].clone();
    assert_eq!(token.len(), 32, "128 random bits as hex");
    use stepwise_engine::callback::{Callback, CallbackError};
    engine.callback(&token, Callback::Success(json!({"approved": true}))).await.unwrap();
    let again = engine.callback(&token, Callback::Success(json!({"approved": false}))).await;
    assert!(matches!(again, Err(CallbackError::TaskTimedOut)), "{again:?}");
    drain(&engine, &queue, 1).await;
    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"approved":true}"#));
    let unknown = engine.callback(&"0".repeat(32), Callback::Success(json!(1))).await;
    assert!(matches!(unknown, Err(CallbackError::TaskDoesNotExist)), "{unknown:?}");
}

// StartExecution: "If StartExecution is called with the same name and input
// as a running execution, the call succeeds and returns the same response as
// the original request. If the execution is closed or if the input is
// different, it returns a 400 ExecutionAlreadyExists error." (API reference)
#[tokio::test]
async fn start_is_idempotent_by_name_and_input() {
    let (engine, queue) = engine(no_tasks());
    let sm = machine(json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}));
    let a = engine.start_execution(&sm, "same", r#"{"a":1}"#).await.unwrap();
    let b = engine.start_execution(&sm, "same", r#"{"a":1}"#).await.unwrap();
    assert_eq!(a, b);
    let different = engine.start_execution(&sm, "same", r#"{"a":2}"#).await;
    assert!(matches!(different, Err(stepwise_engine::StartError::AlreadyExists(_))));
    drain(&engine, &queue, 1).await;
    let closed = engine.start_execution(&sm, "same", r#"{"a":1}"#).await;
    assert!(matches!(closed, Err(stepwise_engine::StartError::AlreadyExists(_))));
}

#[tokio::test]
async fn stop_execution_aborts_and_later_messages_do_nothing() {
    let (engine, queue) = engine(no_tasks());
    let sm = machine(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "P"}, "P": {"Type": "Pass", "End": true}}}),
    );
    let started = engine.start_execution(&sm, "stop-me", "{}").await.unwrap();
    let first: Message = queue.pop().unwrap();
    engine.handle(&first).await.unwrap();
    let stopped = engine
        .end_execution(&started.arn, ExecutionStatus::Aborted, Some("Operator".into()), Some("stopped by hand".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stopped.status, ExecutionStatus::Aborted);
    drain(&engine, &queue, 1).await;
    let types = history_types(&engine, &started.arn).await;
    assert_eq!(types, ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]);
}

#[tokio::test]
async fn execution_timeout_times_the_execution_out() {
    let (engine, queue) = engine(no_tasks());
    let definition =
        json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let done = run(&engine, &queue, definition, json!({}), 1).await;
    assert_eq!(done.status, ExecutionStatus::TimedOut);
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(history_types(&engine, &done.arn).await.last().map(String::as_str), Some("ExecutionTimedOut"));
}

/// With several states per message, the first message's states run inside
/// StartExecution: a one-state execution has ended when the call returns.
#[tokio::test]
async fn with_inline_steps_a_one_state_execution_ends_within_start() {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let config = Config { steps_per_message: 64, ..Config::new("us-east-1", "123456789012") };
    let engine = Engine::new(MemoryStore::default(), queue.clone(), MemoryEvents::default(), no_tasks(), clock, config);
    let sm = machine(json!({"StartAt": "Only", "States": {"Only": {"Type": "Pass", "Result": 7, "End": true}}}));
    let started = engine.start_execution(&sm, "fast", "{}").await.unwrap();
    assert_eq!(started.status, ExecutionStatus::Succeeded);
    let stored = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(stored.output.as_deref(), Some("7"));
    assert_eq!(
        history_types(&engine, &started.arn).await,
        ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    );
    // The same HelloWorld result as one state per message.
    let (hello, hello_queue) = (
        Engine::new(
            MemoryStore::default(),
            queue.clone(),
            MemoryEvents::default(),
            no_tasks(),
            engine.clock.clone(),
            Config { steps_per_message: 64, ..Config::new("us-east-1", "123456789012") },
        ),
        queue.clone(),
    );
    let done = run(&hello, &hello_queue, hello_world(), json!({"IsHelloWorldExample": true}), 1).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"[{"IsHelloWorldExample":true},{"IsHelloWorldExample":true}]"#));
}

/// DynamoDB writes at most 100 items per transaction: a Map of 500 items
/// with no MaxConcurrency starts its children in chunks that fit.
#[tokio::test]
async fn a_wide_map_starts_its_children_in_commits_that_fit() {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let engine = Engine::new(
        MemoryStore::with_max_commit_writes(100),
        queue.clone(),
        MemoryEvents::default(),
        no_tasks(),
        clock,
        Config::new("us-east-1", "123456789012"),
    );
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let items: Vec<i64> = (0..500).collect();
    let done = run(&engine, &queue, definition, json!(items), 1).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let output: Value = serde_json::from_str(done.output.as_deref().unwrap()).unwrap();
    assert_eq!(output, json!(items));
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.iter().filter(|t| *t == "MapIterationStarted").count(), 500);
}

/// A queue whose next send is lost once asked to: a crash between the
/// callback's commit and its Resume send.
#[derive(Clone)]
struct LosingQueue {
    inner: MemoryQueue,
    lose_next: Arc<std::sync::atomic::AtomicBool>,
}

impl stepwise_engine::ports::Queue for LosingQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        if self.lose_next.swap(false, std::sync::atomic::Ordering::SeqCst) {
            return Err("lost".into());
        }
        self.inner.send(message, delay_ms).await
    }
}

// SendTaskSuccess answers 500 when its Resume could not be sent. The
// caller's retry finds the task answered and gets TaskTimedOut, as AWS
// answers for a closed task ("TaskTimedOut: the task associated with the
// token has already been closed", SendTaskSuccess API reference), but it
// must also send the lost Resume, or the execution waits forever.
#[tokio::test]
async fn a_callback_retried_after_a_lost_resume_send_gets_the_task_resumed() {
    use stepwise_engine::callback::{Callback, CallbackError};
    let tokens = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let tasks = FnTasks::new(move |request| {
        seen.lock().unwrap().push(request.token.clone().unwrap());
        TaskOutcome::Waiting
    });
    let clock = ManualClock::at(1_700_000_000_000);
    let inner = MemoryQueue::new(clock.clone());
    let queue = LosingQueue { inner: inner.clone(), lose_next: Arc::default() };
    let config = Config::new("us-east-1", "123456789012");
    let engine = Engine::new(MemoryStore::default(), queue.clone(), MemoryEvents::default(), tasks, clock, config);
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}});
    let started = engine.start_execution(&machine(definition), "lost", "{}").await.unwrap();
    while let Some(message) = inner.pop() {
        engine.handle(&message).await.unwrap();
    }
    let token = tokens.lock().unwrap()[0].clone();

    queue.lose_next.store(true, std::sync::atomic::Ordering::SeqCst);
    let answer = Callback::Success(json!({"approved": true}));
    assert!(engine.callback(&token, answer.clone()).await.is_err(), "the lost send is reported");
    assert!(inner.pop().is_none(), "nothing reached the queue");
    let retried = engine.callback(&token, answer).await;
    assert!(matches!(retried, Err(CallbackError::TaskTimedOut)), "{retried:?}");
    while let Some(message) = inner.pop() {
        engine.handle(&message).await.unwrap();
    }
    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"approved":true}"#));
}

/// A chain of `n` Pass states, each passing its input on.
fn pass_chain(n: usize) -> Value {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if i + 1 == n {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("P{}", i + 1)})
        };
        states.insert(format!("P{i}"), state);
    }
    json!({"StartAt": "P0", "States": states})
}

fn engine_on(store: MemoryStore, steps_per_message: usize) -> (TestEngine, MemoryQueue) {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let config = Config { steps_per_message, ..Config::new("us-east-1", "123456789012") };
    (Engine::new(store, queue.clone(), MemoryEvents::default(), no_tasks(), clock, config), queue)
}

/// Many states per message stop short of DynamoDB's 100 items per
/// transaction: 60 Pass states record 120 events, more than one commit holds.
#[tokio::test]
async fn states_sharing_a_message_commit_early_rather_than_pass_the_item_limit() {
    let (engine, queue) = engine_on(MemoryStore::with_max_commit_writes(100), 1000);
    let done = run(&engine, &queue, pass_chain(60), json!({"k": 1}), 1).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"k":1}"#));
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.iter().filter(|t| *t == "PassStateEntered").count(), 60);
    assert!(engine.store.commits() >= 2, "the chain took more than one commit");
}

/// ... and short of its 4 MB per transaction: ten states passing a 200 KB
/// payload record 4 MB of events, more than one commit of 3 MB holds.
#[tokio::test]
async fn states_sharing_a_message_commit_early_rather_than_pass_the_byte_limit() {
    let (engine, queue) = engine_on(MemoryStore::with_max_commit_bytes(3_000_000), 1000);
    let payload = "x".repeat(200 * 1024);
    let done = run(&engine, &queue, pass_chain(10), json!({"payload": payload}), 1).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let types = history_types(&engine, &done.arn).await;
    assert_eq!(types.iter().filter(|t| *t == "PassStateExited").count(), 10);
}

/// A task that answers at once is applied by the step that called it: after
/// the start, the Task state's entry, then its call and result: two messages
/// and three commits in all, with no stored result and no Resume message.
#[tokio::test]
async fn a_task_that_answers_at_once_is_applied_without_a_resume_message() {
    let tasks = FnTasks::new(|request| TaskOutcome::Succeeded(json!({"got": request.parameters.clone()})));
    let (engine, queue) = engine(tasks);
    let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}});
    let sm = machine(definition);
    let started = engine.start_execution(&sm, "quick", r#"{"a": 1}"#).await.unwrap();
    let mut kinds = Vec::new();
    while let Some(message) = queue.pop() {
        kinds.push(format!("{:?}", message.kind));
        engine.handle(&message).await.unwrap();
    }
    assert_eq!(kinds, ["Enter", "RunTask"]);
    assert_eq!(engine.store.commits(), 3, "the start, the entry, the result");
    let done = engine.store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"got":{"a":1}}"#));
    // The history AWS records for a Task on a Lambda function ARN
    // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
    assert_eq!(
        history_types(&engine, &started.arn).await,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
}
