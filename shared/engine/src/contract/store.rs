//! The [`Store`] contract: creation is exclusive, listings are ordered and
//! paged as AWS pages them, and a commit is all or nothing.

use super::fixtures::{branch, event, execution, state_machine, token};
use crate::ports::{BranchWrite, Commit, ExecutionWrite, Page, Store, StoreError};
use crate::records::{ExecutionRecord, ExecutionStatus, StateMachineRecord};
use stepwise_asl::history::HistoryEvent;

fn page(limit: usize, token: Option<String>) -> Page {
    Page { limit, token }
}

/// Every item of a listing, `limit` at a time; panics past 1000 pages.
async fn collect<T, F, Fut>(limit: usize, mut list: F) -> (Vec<T>, usize)
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>), StoreError>>,
{
    let (mut all, mut pages, mut token) = (Vec::new(), 0, None);
    loop {
        let (items, next) = list(page(limit, token)).await.expect("listing succeeds");
        assert!(items.len() <= limit, "a page holds at most `limit` items, got {}", items.len());
        all.extend(items);
        pages += 1;
        assert!(pages <= 1000, "paging ends");
        match next {
            Some(next) => token = Some(next),
            None => return (all, pages),
        }
    }
}

/// Creates `execution` with its root branch and `ExecutionStarted`.
async fn start<S: Store>(store: &S, execution: &ExecutionRecord) -> Result<(), StoreError> {
    let commit = Commit {
        branches: vec![BranchWrite { record: branch(&execution.arn, "0", 0), expected_version: None }],
        events: vec![event(1)],
        ..Commit::default()
    };
    store.create_execution(execution.clone(), commit).await
}

/// Ends `execution` with `status`, recording one event.
async fn finish<S: Store>(store: &S, execution: &mut ExecutionRecord, status: ExecutionStatus) {
    let expected_next_event_id = execution.next_event_id;
    execution.status = status;
    execution.stop_date = Some(execution.start_date + 1000);
    execution.output = (status == ExecutionStatus::Succeeded).then(|| r#"{"done":"ja ✓"}"#.to_owned());
    execution.error = (status == ExecutionStatus::Failed).then(|| "States.TaskFailed".to_owned());
    execution.cause = (status == ExecutionStatus::Failed).then(|| "the cause".to_owned());
    execution.next_event_id += 1;
    let commit = Commit {
        execution: Some(ExecutionWrite { record: execution.clone(), expected_next_event_id }),
        events: vec![event(expected_next_event_id)],
        ..Commit::default()
    };
    store.commit(commit).await.expect("ending a running execution at its counter succeeds");
}

/// CreateStateMachine is exclusive by ARN, UpdateStateMachine needs one to
/// exist, DescribeStateMachine reads back exactly what was written, and
/// ListStateMachines pages by name.
pub async fn state_machines_are_created_updated_and_listed_by_name<S: Store>(store: &S) {
    let names = ["Charlie", "alpha", "Bravo", "delta-1", "delta_0"];
    for name in names {
        store.create_state_machine(state_machine(name)).await.expect("a new state machine is created");
    }
    let again = store.create_state_machine(state_machine("alpha")).await;
    assert_eq!(again, Err(StoreError::AlreadyExists), "creating an existing ARN");
    let got = store.get_state_machine(&state_machine("Bravo").arn).await.unwrap();
    assert_eq!(got, Some(state_machine("Bravo")), "a state machine reads back as written");
    assert_eq!(store.get_state_machine(&state_machine("nope").arn).await.unwrap(), None);

    let mut updated = state_machine("Bravo");
    updated.definition = r#"{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}"#.to_owned();
    updated.revision_id = "2".to_owned();
    updated.description = None;
    store.update_state_machine(updated.clone()).await.expect("an existing state machine is updated");
    assert_eq!(store.get_state_machine(&updated.arn).await.unwrap(), Some(updated));
    let missing = store.update_state_machine(state_machine("nope")).await;
    assert_eq!(missing, Err(StoreError::NotFound), "updating a missing state machine");

    let mut sorted = names.map(str::to_owned).to_vec();
    sorted.sort();
    for limit in [1, 2, 5, 100] {
        let (all, pages) = collect(limit, |p| store.list_state_machines(p)).await;
        let listed: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
        assert_eq!(listed, sorted, "ListStateMachines by name, {limit} a page");
        assert_eq!(pages, names.len().div_ceil(limit), "no empty last page at {limit} a page");
    }
    let (all, _) = store.list_state_machines(page(0, None)).await.unwrap();
    assert_eq!(all.len(), names.len(), "limit 0 means the default page size");

    store.delete_state_machine(&state_machine("Charlie").arn).await.unwrap();
    assert_eq!(store.get_state_machine(&state_machine("Charlie").arn).await.unwrap(), None);
    let (all, _) = collect(100, |p| store.list_state_machines(p)).await;
    assert_eq!(all.len(), names.len() - 1, "a deleted state machine is not listed");
    store.delete_state_machine(&state_machine("Charlie").arn).await.expect("deleting twice is fine");
}

/// StartExecution creates an execution once with its first writes;
/// ListExecutions lists a state machine's executions newest first, by status
/// on request, in pages.
pub async fn executions_are_created_once_and_listed_newest_first<S: Store>(store: &S) {
    let sm = state_machine("Orders");
    let other = state_machine("Other");
    let mut executions: Vec<ExecutionRecord> =
        (0..7).map(|i| execution(&sm, &format!("run-{i}"), 1_700_000_000_000 + i * 60_000)).collect();
    for e in &executions {
        start(store, e).await.expect("a new execution is created");
    }
    start(store, &execution(&other, "run-0", 1_700_000_000_000)).await.unwrap();

    let mut twice = executions[0].clone();
    twice.input = "{}".to_owned();
    let again = start(store, &twice).await;
    assert_eq!(again, Err(StoreError::AlreadyExists), "creating an existing execution ARN");
    assert_eq!(store.get_execution(&twice.arn).await.unwrap().as_ref(), Some(&executions[0]), "left unchanged");
    let (history, _) = store.history(&twice.arn, page(100, None), false).await.unwrap();
    assert_eq!(history, vec![event(1)], "the refused creation wrote no events");
    assert_eq!(store.get_execution("arn:aws:states:us-east-1:123456789012:execution:Orders:x").await.unwrap(), None);

    for (i, status) in [(1, ExecutionStatus::Succeeded), (4, ExecutionStatus::Failed), (5, ExecutionStatus::Succeeded)]
    {
        finish(store, &mut executions[i], status).await;
    }
    for e in &executions {
        let got = store.get_execution(&e.arn).await.unwrap();
        assert_eq!(got.as_ref(), Some(e), "DescribeExecution reads back what was written");
        let root = store.get_branch(&e.arn, "0").await.unwrap();
        assert_eq!(root, Some(branch(&e.arn, "0", 0)), "the creation's branch was written");
    }

    let newest_first: Vec<&ExecutionRecord> = executions.iter().rev().collect();
    for limit in [1, 3, 7, 1000] {
        let (all, pages) = collect(limit, |p| store.list_executions(&sm.arn, None, p)).await;
        assert_eq!(all.iter().collect::<Vec<_>>(), newest_first, "ListExecutions newest first, {limit} a page");
        assert_eq!(pages, executions.len().div_ceil(limit), "no empty last page at {limit} a page");
    }
    for status in
        [ExecutionStatus::Running, ExecutionStatus::Succeeded, ExecutionStatus::Failed, ExecutionStatus::Aborted]
    {
        let expected: Vec<&ExecutionRecord> = newest_first.iter().copied().filter(|e| e.status == status).collect();
        let (all, _) = collect(2, |p| store.list_executions(&sm.arn, Some(status), p)).await;
        assert_eq!(all.iter().collect::<Vec<_>>(), expected, "ListExecutions with statusFilter {}", status.as_str());
    }
    let (all, _) = store.list_executions(&other.arn, None, page(100, None)).await.unwrap();
    assert_eq!(all.len(), 1, "only the state machine's own executions");
    let (none, next) = store.list_executions(&state_machine("Nobody").arn, None, page(100, None)).await.unwrap();
    assert!(none.is_empty() && next.is_none(), "no executions, no token");
}

/// GetExecutionHistory pages by event id, forward and in reverse.
pub async fn history_pages_forward_and_reverse<S: Store>(store: &S) {
    let sm = state_machine("History");
    let mut e = execution(&sm, "h", 1_700_000_000_000);
    start(store, &e).await.unwrap();
    // Commits of one, two and three events after ExecutionStarted.
    for n in 1..=3 {
        let expected_next_event_id = e.next_event_id;
        let events: Vec<HistoryEvent> = (0..n).map(|k| event(expected_next_event_id + k)).collect();
        e.next_event_id += n;
        let commit = Commit {
            execution: Some(ExecutionWrite { record: e.clone(), expected_next_event_id }),
            events,
            ..Commit::default()
        };
        store.commit(commit).await.expect("a commit at the execution's counter succeeds");
    }
    let all: Vec<HistoryEvent> = (1..=7).map(event).collect();
    let reversed: Vec<HistoryEvent> = all.iter().rev().cloned().collect();
    for limit in [1, 3, 7, 100] {
        let (forward, pages) = collect(limit, |p| store.history(&e.arn, p, false)).await;
        assert_eq!(forward, all, "history by id, {limit} a page");
        assert_eq!(pages, all.len().div_ceil(limit), "no empty last page at {limit} a page");
        let (backward, _) = collect(limit, |p| store.history(&e.arn, p, true)).await;
        assert_eq!(backward, reversed, "history in reverse, {limit} a page");
    }
    let (none, next) = store.history(&format!("{}-missing", e.arn), page(10, None), false).await.unwrap();
    assert!(none.is_empty() && next.is_none(), "an unknown execution has no history");
}

/// A commit applies every write or none: a stale counter, an ended
/// execution, a moved branch version, or a branch that exists (or not)
/// against expectations each fail the whole commit with `Conflict`.
pub async fn commit_is_all_or_nothing<S: Store>(store: &S) {
    let sm = state_machine("Atomic");
    let e = execution(&sm, "a", 1_700_000_000_000);
    start(store, &e).await.unwrap();
    let arn = e.arn.clone();

    // A good commit: the execution, a branch update, a new branch, events, a token.
    let mut next = e.clone();
    next.next_event_id = 4;
    let good = Commit {
        execution: Some(ExecutionWrite { record: next.clone(), expected_next_event_id: 2 }),
        branches: vec![
            BranchWrite { record: branch(&arn, "0", 1), expected_version: Some(0) },
            BranchWrite { record: branch(&arn, "0.1.0", 0), expected_version: None },
        ],
        events: vec![event(2), event(3)],
        tokens: vec![token("a1b2c3d4e5f60718293a4b5c6d7e8f90", &arn, "0", 1)],
    };
    store.commit(good.clone()).await.expect("a commit whose conditions hold succeeds");

    let mut stale = next.clone();
    stale.next_event_id = 5;
    let attempts = [
        (
            "a stale next_event_id",
            Some(ExecutionWrite { record: stale.clone(), expected_next_event_id: 2 }),
            "0",
            1,
            Some(1),
        ),
        (
            "a stale branch version",
            Some(ExecutionWrite { record: stale.clone(), expected_next_event_id: 4 }),
            "0",
            2,
            Some(0),
        ),
        (
            "creating a branch that exists",
            Some(ExecutionWrite { record: stale.clone(), expected_next_event_id: 4 }),
            "0",
            2,
            None,
        ),
        ("updating a branch that does not exist", None, "0.9.9", 2, Some(1)),
    ];
    // Each also creates a branch and writes an event and a token, which
    // must not appear.
    for (why, execution, id, version, expected_version) in attempts {
        let bad = Commit {
            execution,
            branches: vec![
                BranchWrite { record: branch(&arn, "0.1.1", 0), expected_version: None },
                BranchWrite { record: branch(&arn, id, version), expected_version },
            ],
            events: vec![event(4)],
            tokens: vec![token("ffffffffffffffffffffffffffffffff", &arn, "0", 2)],
        };
        assert_eq!(store.commit(bad).await, Err(StoreError::Conflict), "{why} fails the commit");
        assert_no_change(store, &next, why).await;
    }

    // A commit without an execution write needs only its branch conditions.
    let branch_only = Commit {
        branches: vec![BranchWrite { record: branch(&arn, "0", 2), expected_version: Some(1) }],
        ..Commit::default()
    };
    store.commit(branch_only).await.expect("a branch-only commit at the read version succeeds");
    assert_eq!(store.get_branch(&arn, "0").await.unwrap(), Some(branch(&arn, "0", 2)));

    // An ended execution refuses every later commit that writes it.
    let mut ended = next.clone();
    finish(store, &mut ended, ExecutionStatus::Aborted).await;
    let mut late = ended.clone();
    late.status = ExecutionStatus::Running;
    late.next_event_id += 1;
    let after_end = Commit {
        execution: Some(ExecutionWrite { record: late, expected_next_event_id: ended.next_event_id }),
        events: vec![event(ended.next_event_id)],
        ..Commit::default()
    };
    assert_eq!(store.commit(after_end).await, Err(StoreError::Conflict), "an ended execution takes no commits");
    assert_eq!(store.get_execution(&arn).await.unwrap(), Some(ended), "the ended execution is unchanged");
}

/// Nothing of a refused commit is visible.
async fn assert_no_change<S: Store>(store: &S, execution: &ExecutionRecord, why: &str) {
    let arn = &execution.arn;
    assert_eq!(store.get_execution(arn).await.unwrap().as_ref(), Some(execution), "{why}: execution unchanged");
    assert_eq!(store.get_branch(arn, "0").await.unwrap(), Some(branch(arn, "0", 1)), "{why}: branch unchanged");
    assert_eq!(store.get_branch(arn, "0.1.1").await.unwrap(), None, "{why}: no branch created");
    let (history, _) = store.history(arn, page(100, None), false).await.unwrap();
    assert_eq!(history, (1..=3).map(event).collect::<Vec<_>>(), "{why}: no events appended");
    assert_eq!(store.get_token("ffffffffffffffffffffffffffffffff").await.unwrap(), None, "{why}: no token stored");
}

/// Task tokens read back as written; heartbeats record their time.
pub async fn tokens_are_stored_and_heartbeats_recorded<S: Store>(store: &S) {
    let sm = state_machine("Tokens");
    let e = execution(&sm, "t", 1_700_000_000_000);
    start(store, &e).await.unwrap();
    let issued = token("0123456789abcdef0123456789abcdef", &e.arn, "0", 1);
    let commit = Commit {
        branches: vec![BranchWrite { record: branch(&e.arn, "0", 1), expected_version: Some(0) }],
        tokens: vec![issued.clone()],
        ..Commit::default()
    };
    store.commit(commit).await.unwrap();
    assert_eq!(store.get_token(&issued.token).await.unwrap().as_ref(), Some(&issued), "a token reads back");
    assert_eq!(store.get_token("00000000000000000000000000000000").await.unwrap(), None, "an unknown token");
    store.heartbeat(&issued.token, 1_700_000_123_456).await.expect("a heartbeat on a known token");
    let beaten = store.get_token(&issued.token).await.unwrap().expect("the token is still there");
    assert_eq!(beaten.heartbeat_at, 1_700_000_123_456, "the heartbeat's time is recorded");
    assert_eq!(beaten.seq, issued.seq);
    let unknown = store.heartbeat("00000000000000000000000000000000", 1).await;
    assert_eq!(unknown, Err(StoreError::NotFound), "a heartbeat on an unknown token");
}

/// Every listing refuses a page token it did not issue.
pub async fn invalid_page_tokens_are_refused<S: Store>(store: &S) {
    let sm: StateMachineRecord = state_machine("Tokens");
    store.create_state_machine(sm.clone()).await.unwrap();
    let e = execution(&sm, "p", 1_700_000_000_000);
    start(store, &e).await.unwrap();
    for bad in ["not a token", "", "%%%", "eyJwayI6MX0", "-1", "AAAA"] {
        let token = Some(bad.to_owned());
        let listed = store.list_state_machines(page(10, token.clone())).await;
        assert_eq!(listed.err(), Some(StoreError::InvalidPageToken), "ListStateMachines with {bad:?}");
        let listed = store.list_executions(&sm.arn, None, page(10, token.clone())).await;
        assert_eq!(listed.err(), Some(StoreError::InvalidPageToken), "ListExecutions with {bad:?}");
        let listed = store.history(&e.arn, page(10, token), false).await;
        assert_eq!(listed.err(), Some(StoreError::InvalidPageToken), "GetExecutionHistory with {bad:?}");
    }
}
