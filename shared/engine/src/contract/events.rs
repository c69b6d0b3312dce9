//! The [`EventSink`] contract: published status changes reach consumers
//! as sent, and publishing the same change again is allowed
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html>).

use crate::memory::MemoryEvents;
use crate::ports::EventSink;
use crate::records::{ExecutionStatus, StatusChange};
use std::future::Future;

/// Reads back what an event sink delivered, for the contract tests.
pub trait Published: Send + Sync {
    /// Waits up to `wait_ms` for more changes to arrive and returns those
    /// that arrived since the last call.
    fn arrived(&self, wait_ms: u64) -> impl Future<Output = Result<Vec<StatusChange>, String>> + Send;
}

/// The in-memory sink delivers at once.
impl Published for MemoryEvents {
    async fn arrived(&self, _wait_ms: u64) -> Result<Vec<StatusChange>, String> {
        Ok(std::mem::take(&mut *self.published.lock().unwrap_or_else(|e| e.into_inner())))
    }
}

fn change(name: &str, status: ExecutionStatus) -> StatusChange {
    let ended = status != ExecutionStatus::Running;
    StatusChange {
        execution_arn: format!("arn:aws:states:us-east-1:123456789012:execution:Events:{name}"),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Events".to_owned(),
        name: name.to_owned(),
        status,
        start_date: 1_700_000_000_000,
        stop_date: ended.then_some(1_700_000_004_321),
        input: r#"{"greeting":"héllo ✓"}"#.to_owned(),
        output: (status == ExecutionStatus::Succeeded).then(|| r#"{"n":[1,2]}"#.to_owned()),
        error: (status == ExecutionStatus::Failed).then(|| "States.TaskFailed".to_owned()),
        cause: (status == ExecutionStatus::Failed).then(|| "it \"broke\"".to_owned()),
    }
}

/// RUNNING, SUCCEEDED and FAILED changes arrive with every field intact,
/// and a change published twice is accepted.
pub async fn event_sink_publishes_status_changes<E: EventSink, P: Published>(sink: &E, published: &P) {
    let sent = [
        change("e1", ExecutionStatus::Running),
        change("e1", ExecutionStatus::Succeeded),
        change("e2", ExecutionStatus::Failed),
    ];
    for c in &sent {
        sink.publish(c).await.expect("publishing succeeds");
    }
    sink.publish(&sent[2]).await.expect("publishing the same change again succeeds");
    let mut arrived = Vec::new();
    for _ in 0..60 {
        arrived.extend(published.arrived(1000).await.expect("reading back succeeds"));
        if sent.iter().all(|c| arrived.contains(c)) {
            break;
        }
    }
    for c in &sent {
        assert!(
            arrived.contains(c),
            "the {} change of {} arrived as sent (got {arrived:?})",
            c.status.as_str(),
            c.name
        );
    }
    assert!(arrived.iter().all(|c| sent.contains(c)), "only what was published arrives");
}
