//! Faults at scale on the in-memory adapters: every message delivered
//! twice, messages reordered, a crash between each pair of I/O calls (a
//! store write that fails before or after applying, a send that is lost),
//! and two steppers racing on one message. Every execution must end as it
//! does without faults, with a complete history and no transition applied
//! twice.

use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use stepwise_asl::history::HistoryEvent;
use stepwise_asl::rng::Rng;
use stepwise_engine::memory::{FnTasks, ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::ports::{Clock, Commit, Page, Queue, Store, StoreError, TaskOutcome};
use stepwise_engine::records::{
    BranchRecord, ExecutionRecord, ExecutionStatus, Message, StateMachineRecord, StateMachineType, TokenRecord,
};
use stepwise_engine::{Config, Engine};

/// A deterministic fault plan shared by the faulty adapters.
#[derive(Clone)]
struct Faults {
    rng: Arc<Mutex<Rng>>,
    /// Out of 1000.
    rate: u64,
    injected: Arc<AtomicU64>,
}

impl Faults {
    fn new(seed: u64, rate: u64) -> Self {
        Faults { rng: Arc::new(Mutex::new(Rng::new(seed))), rate, injected: Arc::default() }
    }

    fn strike(&self) -> bool {
        let hit = self.rng.lock().unwrap().next_u64() % 1000 < self.rate;
        if hit {
            self.injected.fetch_add(1, Ordering::Relaxed);
        }
        hit
    }
}

/// A store whose commits sometimes fail before applying and sometimes fail
/// after applying (the caller cannot tell which), as a crash would.
#[derive(Clone)]
struct FaultyStore {
    inner: MemoryStore,
    faults: Faults,
}

impl Store for FaultyStore {
    async fn create_state_machine(&self, r: StateMachineRecord) -> Result<(), StoreError> {
        self.inner.create_state_machine(r).await
    }
    async fn update_state_machine(&self, r: StateMachineRecord) -> Result<(), StoreError> {
        self.inner.update_state_machine(r).await
    }
    async fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>, StoreError> {
        self.inner.get_state_machine(arn).await
    }
    async fn delete_state_machine(&self, arn: &str) -> Result<(), StoreError> {
        self.inner.delete_state_machine(arn).await
    }
    async fn list_state_machines(&self, page: Page) -> Result<(Vec<StateMachineRecord>, Option<String>), StoreError> {
        self.inner.list_state_machines(page).await
    }
    async fn create_execution(&self, e: ExecutionRecord, c: Commit) -> Result<(), StoreError> {
        self.inner.create_execution(e, c).await
    }
    async fn get_execution(&self, arn: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        if self.faults.strike() {
            return Err(StoreError::Unavailable("injected read failure".into()));
        }
        self.inner.get_execution(arn).await
    }
    async fn list_executions(
        &self,
        sm: &str,
        status: Option<ExecutionStatus>,
        page: Page,
    ) -> Result<(Vec<ExecutionRecord>, Option<String>), StoreError> {
        self.inner.list_executions(sm, status, page).await
    }
    async fn history(
        &self,
        arn: &str,
        page: Page,
        reverse: bool,
    ) -> Result<(Vec<HistoryEvent>, Option<String>), StoreError> {
        self.inner.history(arn, page, reverse).await
    }
    async fn get_branch(&self, arn: &str, id: &str) -> Result<Option<BranchRecord>, StoreError> {
        if self.faults.strike() {
            return Err(StoreError::Unavailable("injected read failure".into()));
        }
        self.inner.get_branch(arn, id).await
    }
    async fn commit(&self, commit: Commit) -> Result<(), StoreError> {
        if self.faults.strike() {
            return Err(StoreError::Unavailable("injected failure before the write".into()));
        }
        self.inner.commit(commit).await?;
        if self.faults.strike() {
            return Err(StoreError::Unavailable("injected failure after the write".into()));
        }
        Ok(())
    }
    async fn get_token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.inner.get_token(token).await
    }
    async fn heartbeat(&self, token: &str, at: i64) -> Result<(), StoreError> {
        self.inner.heartbeat(token, at).await
    }
}

/// A queue that sometimes loses a send (a crash between commit and send).
#[derive(Clone)]
struct FaultyQueue {
    inner: MemoryQueue,
    faults: Faults,
}

impl Queue for FaultyQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        if self.faults.strike() {
            return Err("injected lost send".into());
        }
        self.inner.send(message, delay_ms).await
    }
}

type FaultyEngine = Engine<FaultyStore, FaultyQueue, MemoryEvents, FnTasks, ManualClock>;

fn definition() -> Value {
    json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"items.$": "States.ArrayRange(1, $.n, 1)", "n.$": "$.n"}, "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.results",
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
                "Parameters": {"item.$": "$", "retry.$": "$$.State.RetryCount"},
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 5}],
                "End": true}}}, "Next": "Both"},
        "Both": {"Type": "Parallel", "ResultPath": "$.both", "Branches": [
            {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 2, "End": true}}},
            {"StartAt": "Sum", "States": {"Sum": {"Type": "Pass", "Parameters": {"count.$": "States.ArrayLength($.results)"}, "End": true}}}],
            "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
        "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": true},
        "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n <= 2"}}})
}

/// A task that fails with `Flaky` on the first attempt for odd items (the
/// attempt comes from `$$.State.RetryCount`, so a repeated call of the same
/// attempt answers the same).
fn tasks() -> FnTasks {
    FnTasks::new(|request| {
        let item = request.parameters["item"].as_i64().unwrap_or(0);
        if item % 2 == 1 && request.parameters["retry"] == json!(0) {
            TaskOutcome::Failed(stepwise_asl::error::Failure::new("Flaky", "first try"))
        } else {
            TaskOutcome::Succeeded(json!(item * 10))
        }
    })
}

fn engine(seed: u64, rate: u64) -> (FaultyEngine, MemoryQueue, MemoryStore) {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    let store = MemoryStore::default();
    let faults = Faults::new(seed, rate);
    let engine = Engine::new(
        FaultyStore { inner: store.clone(), faults: faults.clone() },
        FaultyQueue { inner: queue.clone(), faults },
        MemoryEvents::default(),
        tasks(),
        clock,
        // The faulty run also advances up to four states per message: it must
        // end exactly as the clean run, which takes one per message.
        Config { steps_per_message: if rate > 0 { 4 } else { 1 }, ..Config::new("us-east-1", "123456789012") },
    );
    (engine, queue, store)
}

fn state_machine() -> StateMachineRecord {
    StateMachineRecord {
        arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Faults".into(),
        name: "Faults".into(),
        definition: definition().to_string(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        kind: StateMachineType::Standard,
        creation_date: 0,
        revision_id: "1".into(),
        description: None,
        tags: Vec::new(),
    }
}

/// Delivers messages in batches, shuffled, each possibly twice, a pair
/// possibly raced; a message whose handling fails comes back after the
/// queue's visibility timeout, as SQS redelivers it.
async fn drain(engine: &FaultyEngine, queue: &MemoryQueue, seed: u64, duplicate_every: u64) {
    let mut rng = Rng::new(seed);
    let grace = engine.config.redelivery_grace_ms;
    let mut handled = 0u64;
    loop {
        let mut batch = Vec::new();
        while batch.len() < 8 {
            match queue.pop() {
                Some(m) => batch.push(m),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        for i in (1..batch.len()).rev() {
            batch.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        for message in batch {
            let copies = if duplicate_every > 0 && rng.next_u64().is_multiple_of(duplicate_every) { 2 } else { 1 };
            for _ in 0..copies {
                let (a, b) = tokio::join!(engine.handle(&message), engine.handle(&message));
                if a.is_err() || b.is_err() {
                    queue.push(message.clone(), grace + 1);
                }
                handled += 1;
                assert!(handled < 50_000_000, "runaway");
            }
        }
    }
}

/// Status, output, and the sorted event types.
type Outcome = (ExecutionStatus, Option<String>, Vec<String>);

async fn outcome(store: &MemoryStore, arn: &str) -> Outcome {
    let execution = store.get_execution(arn).await.unwrap().unwrap();
    let (events, _) = store.history(arn, Page { limit: 100_000, token: None }, false).await.unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.id, i as i64 + 1, "history ids are 1..n without gaps or repeats");
    }
    let mut types: Vec<String> = events.iter().map(|e| e.event_type.to_string()).collect();
    types.sort();
    (execution.status, execution.output, types)
}

/// Every execution's outcome, and how many faults were injected.
async fn run_many(count: u64, seed: u64, rate: u64, duplicate_every: u64) -> (Vec<Outcome>, u64) {
    let (engine, queue, store) = engine(seed, rate);
    let sm = state_machine();
    let mut arns = Vec::new();
    for i in 0..count {
        let input = json!({"n": i % 5 + 1}).to_string();
        let name = format!("e{i}");
        let record = loop {
            match engine.start_execution(&sm, &name, &input).await {
                Ok(r) => break r,
                Err(_) => continue,
            }
        };
        arns.push(record.arn);
    }
    drain(&engine, &queue, seed ^ 0x5eed, duplicate_every).await;
    let mut out = Vec::new();
    for arn in &arns {
        out.push(outcome(&store, arn).await);
    }
    (out, engine.store.faults.injected.load(Ordering::Relaxed) + engine.queue.faults.injected.load(Ordering::Relaxed))
}

#[tokio::test]
async fn ten_thousand_executions_end_the_same_under_duplicates_reordering_crashes_and_races() {
    let count = 10_000;
    let (clean, none) = run_many(count, 1, 0, 0).await;
    let (faulty, injected) = run_many(count, 2, 20, 3).await;
    assert_eq!(none, 0);
    assert!(injected > 10_000, "only {injected} faults were injected");
    for (i, (a, b)) in clean.iter().zip(&faulty).enumerate() {
        assert_eq!(a, b, "execution e{i} differs under faults");
    }
    // The plan: inputs n = 1..=5; n <= 2 fails with TooSmall, the rest succeed.
    let succeeded = clean.iter().filter(|o| o.0 == ExecutionStatus::Succeeded).count();
    assert_eq!(succeeded as u64, count / 5 * 3);
    let example = clean.iter().find(|o| o.0 == ExecutionStatus::Succeeded).unwrap();
    let output: Value = serde_json::from_str(example.1.as_deref().unwrap()).unwrap();
    assert_eq!(output["results"], json!([10, 20, 30]));
    assert_eq!(output["both"], json!([{"items": [1, 2, 3], "n": 3, "results": [10, 20, 30]}, {"count": 3}]));
    assert_eq!(output["size"], json!("big"));
}

#[tokio::test]
async fn a_clock_far_ahead_still_delivers_timers_in_order() {
    // Wait states and retry back-offs are delayed messages: the queue's
    // clock advances to each due time, and the execution ends when it should.
    let (engine, queue, store) = engine(3, 0);
    let started = engine.start_execution(&state_machine(), "timed", r#"{"n": 3}"#).await.unwrap();
    let start = engine.clock.now_ms();
    drain(&engine, &queue, 4, 0).await;
    let done = store.get_execution(&started.arn).await.unwrap().unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    // One retry back-off of 1 s (odd items fail once; MaxConcurrency 2 runs
    // items 1 and 2 together, then 3) twice, then the 2 s Wait.
    assert!(done.stop_date.unwrap() - start >= 3000, "{}", done.stop_date.unwrap() - start);
}
