//! Parallel and Map children: starting them within MaxConcurrency, and the
//! join a finishing child updates in the same commit as its last step.
//!
//! The parent records how many children it waits for; a finishing child
//! writes its output slot; the one that completes the set (or fails beyond
//! the tolerance) stores the parent's pending result and sends its `Resume`.
//! A failure closes the join and aborts the siblings still running.

use crate::ports::BranchWrite;
use crate::records::{BranchRecord, Join, Message, MessageKind, Pending, Work};
use crate::step::resume;
use serde_json::Value;
use stepwise_asl::error::{Failure, names};
use stepwise_asl::history::HistoryEvent;
use stepwise_asl::interpret::{self, Branch, Children, Env};
use stepwise_asl::model::StateMachine;

/// An id far from any real event id, for the events of Distributed Map
/// items, which belong to their own child executions and are not recorded.
pub(crate) const DETACHED_EVENT_IDS: i64 = i64::MIN / 2;

/// Opens the join on `parent` and creates the first children.
pub(crate) fn start(
    machine: &StateMachine,
    parent: &mut BranchRecord,
    spec: Children,
    env: &mut Env<'_>,
    events: &mut Vec<HistoryEvent>,
    budget: usize,
) -> Vec<BranchRecord> {
    let count = spec.branches.len();
    let mut join =
        Join { spec, outputs: vec![None; count], next_to_start: 0, running: Vec::new(), failed: 0, closed: false };
    let started = start_more(machine, parent, &mut join, env, events, budget);
    parent.join = Some(join);
    started
}

/// Whether the join may start more children right now (MaxConcurrency
/// allows and some wait): the rest of a set too large for one commit.
pub(crate) fn can_start_more(join: &Join) -> bool {
    let limit = match join.spec.max_concurrency {
        0 => usize::MAX,
        n => n as usize,
    };
    !join.closed && join.running.len() < limit && join.next_to_start < join.spec.branches.len()
}

/// Starts the next children of `parent`'s join, at most `budget` of them.
pub(crate) fn continue_start(
    machine: &StateMachine,
    parent: &mut BranchRecord,
    env: &mut Env<'_>,
    events: &mut Vec<HistoryEvent>,
    budget: usize,
) -> Vec<BranchRecord> {
    let Some(mut join) = parent.join.take() else { return Vec::new() };
    let started = start_more(machine, parent, &mut join, env, events, budget);
    parent.join = Some(join);
    started
}

/// Creates children while MaxConcurrency allows.
fn start_more(
    machine: &StateMachine,
    parent: &BranchRecord,
    join: &mut Join,
    env: &mut Env<'_>,
    events: &mut Vec<HistoryEvent>,
    budget: usize,
) -> Vec<BranchRecord> {
    let mut started = Vec::new();
    while can_start_more(join) && started.len() < budget {
        let slot = join.next_to_start;
        join.next_to_start += 1;
        join.running.push(slot);
        let start = &join.spec.branches[slot];
        let detached = start.detached || parent.detached;
        let real_next = env.next_event_id;
        if detached {
            env.next_event_id = DETACHED_EVENT_IDS;
        }
        let previous = if detached { 0 } else { env.next_event_id - 1 };
        let mut branch = Branch::new(machine, start.scope, start.input.clone(), start.origin.clone(), previous);
        let child_events = interpret::start_child(&mut branch, env);
        if detached {
            env.next_event_id = real_next;
        } else {
            events.extend(child_events);
        }
        let child = BranchRecord {
            execution_arn: parent.execution_arn.clone(),
            id: format!("{}.{}.{slot}", parent.id, parent.seq),
            seq: 0,
            version: 0,
            branch,
            parent: Some((parent.id.clone(), slot)),
            task: None,
            pending: None,
            join: None,
            last_work: Vec::new(),
            committed_at: env.now,
            detached,
        };
        started.push(child);
    }
    started
}

/// Records a finished child in its parent's join, deciding the parent's
/// result when the set is complete or a failure exceeds the tolerance.
#[allow(clippy::too_many_arguments)] // one call site; the pieces are the step's own
pub(crate) fn finish(
    machine: &StateMachine,
    mut parent: BranchRecord,
    slot: usize,
    result: Result<Value, Failure>,
    last_event_id: i64,
    env: &mut Env<'_>,
    events: &mut Vec<HistoryEvent>,
    branches: &mut Vec<BranchWrite>,
    work: &mut Vec<Work>,
    budget: usize,
) {
    let Some(mut join) = parent.join.take() else { return };
    if join.closed {
        return;
    }
    join.running.retain(|s| *s != slot);
    let mut decided = None;
    match result {
        Ok(output) => join.outputs[slot] = Some(output),
        Err(failure) => {
            join.failed += 1;
            join.outputs[slot] = Some(stepwise_asl::json::error_object(&failure));
            if join.spec.exceeded(join.failed) {
                let tolerant =
                    join.spec.tolerated_failure_count.is_some() || join.spec.tolerated_failure_percentage.is_some();
                let failure = if tolerant {
                    Failure::new(
                        names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold was exceeded",
                    )
                } else {
                    failure
                };
                work.extend(abort_messages(&parent, &join));
                decided = Some(Pending::ChildrenFailed { error: failure.error, cause: failure.cause, last_event_id });
            }
        }
    }
    if decided.is_none() && join.next_to_start == join.spec.branches.len() && join.running.is_empty() {
        let outputs = join.outputs.iter_mut().map(|o| o.take().unwrap_or(Value::Null)).collect();
        decided = Some(Pending::ChildrenSucceeded { outputs, last_event_id });
    }
    match decided {
        Some(pending) => {
            join.closed = true;
            parent.pending = Some(pending);
            work.push(resume(&parent));
        }
        None => {
            for child in start_more(machine, &parent, &mut join, env, events, budget) {
                work.push(Work::Send { message: child.enter_message(), delay_ms: 0 });
                branches.push(BranchWrite { record: child, expected_version: None });
            }
            if can_start_more(&join) {
                work.push(start_children_message(&parent));
            }
        }
    }
    parent.join = Some(join);
    let expected_version = Some(parent.version);
    parent.version += 1;
    branches.push(BranchWrite { record: parent, expected_version });
}

/// The message that starts the next children of a join too large for one
/// commit.
pub(crate) fn start_children_message(parent: &BranchRecord) -> Work {
    let message = Message {
        execution_arn: parent.execution_arn.clone(),
        branch: parent.id.clone(),
        seq: parent.seq,
        kind: MessageKind::StartChildren,
    };
    Work::Send { message, delay_ms: 0 }
}

/// `Abort` messages for the children still running.
pub(crate) fn abort_messages(parent: &BranchRecord, join: &Join) -> Vec<Work> {
    join.running
        .iter()
        .map(|slot| {
            let message = Message {
                execution_arn: parent.execution_arn.clone(),
                branch: format!("{}.{}.{slot}", parent.id, parent.seq),
                seq: 0,
                kind: MessageKind::Abort,
            };
            Work::Send { message, delay_ms: 0 }
        })
        .collect()
}
