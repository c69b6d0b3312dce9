//! The redb store under the engine: executions run to the end through it,
//! everything survives reopening the file, listings page as AWS pages.

use serde_json::json;
use stepwise_engine::memory::{FnTasks, ManualClock, MemoryEvents, MemoryQueue};
use stepwise_engine::ports::{Page, Store, TaskOutcome};
use stepwise_engine::records::{ExecutionStatus, StateMachineRecord, StateMachineType};
use stepwise_engine::{Config, Engine};
use stepwise_local::RedbStore;

fn machine() -> StateMachineRecord {
    let definition = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "MaxConcurrency": 2, "Next": "Wait",
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work", "End": true}}}},
        "Wait": {"Type": "Wait", "Seconds": 5, "End": true}}});
    StateMachineRecord {
        arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Durable".into(),
        name: "Durable".into(),
        definition: definition.to_string(),
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        kind: StateMachineType::Standard,
        creation_date: 0,
        revision_id: String::new(),
        description: None,
        tags: Vec::new(),
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-redb-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn executions_run_through_redb_and_survive_reopening() {
    let dir = temp_dir("reopen");
    let arns = {
        let store = RedbStore::open(&dir).unwrap();
        let clock = ManualClock::at(1_700_000_000_000);
        let queue = MemoryQueue::new(clock.clone());
        let tasks = FnTasks::new(|r| TaskOutcome::Succeeded(json!({"got": r.parameters})));
        let engine = Engine::new(
            store,
            queue.clone(),
            MemoryEvents::default(),
            tasks,
            clock,
            Config::new("us-east-1", "123456789012"),
        );
        engine.store.create_state_machine(machine()).await.unwrap();
        let mut arns = Vec::new();
        for i in 0..5 {
            let e = engine
                .start_execution(&machine(), &format!("run-{i}"), &json!([i, i + 1, i + 2]).to_string())
                .await
                .unwrap();
            arns.push(e.arn);
        }
        while let Some(m) = queue.pop() {
            engine.handle(&m).await.unwrap();
        }
        arns
    };
    let store = RedbStore::open(&dir).unwrap();
    for (i, arn) in arns.iter().enumerate() {
        let e = store.get_execution(arn).await.unwrap().unwrap();
        assert_eq!(e.status, ExecutionStatus::Succeeded);
        let output: serde_json::Value = serde_json::from_str(e.output.as_deref().unwrap()).unwrap();
        assert_eq!(output, json!([{"got": i}, {"got": i + 1}, {"got": i + 2}]));
    }
    // ListExecutions: newest first, pages of two.
    let sm = machine().arn;
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let (page, next) = store.list_executions(&sm, None, Page { limit: 2, token }).await.unwrap();
        names.extend(page.into_iter().map(|e| e.name));
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    assert_eq!(names, ["run-4", "run-3", "run-2", "run-1", "run-0"]);
    // History forward and reverse, paged.
    let (forward, next) = store.history(&arns[0], Page { limit: 3, token: None }, false).await.unwrap();
    assert_eq!(forward.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3]);
    let (rest, _) = store.history(&arns[0], Page { limit: 1000, token: next }, false).await.unwrap();
    let (backward, _) = store.history(&arns[0], Page { limit: 2, token: None }, true).await.unwrap();
    assert_eq!(backward[0].id, 3 + rest.len() as i64);
    assert_eq!(backward[0].event_type, "ExecutionSucceeded");
    assert_eq!(backward[1].id, backward[0].id - 1);
    let bad = store.history(&arns[0], Page { limit: 2, token: Some("zz".into()) }, false).await;
    assert_eq!(bad.unwrap_err(), stepwise_engine::ports::StoreError::InvalidPageToken);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_closed_store_can_be_reopened() {
    let dir = temp_dir("close");
    let store = RedbStore::open(&dir).unwrap();
    store.create_state_machine(machine()).await.unwrap();
    drop(store);
    let store = RedbStore::open(&dir).unwrap();
    assert!(store.get_state_machine(&machine().arn).await.unwrap().is_some());
}
