//! In-memory adapters: a store behind one mutex, a queue with a manual
//! clock, a recording event sink and a task invoker from a closure. Fast,
//! deterministic, and exactly as strict as the port contracts, so engine
//! tests (duplicates, reordering, crashes, races) run on them.

mod queue;
mod store;

pub use queue::{ManualClock, MemoryQueue};
pub use store::MemoryStore;

use crate::ports::{EventSink, TaskInvoker, TaskOutcome};
use crate::records::StatusChange;
use std::sync::{Arc, Mutex};
use stepwise_asl::interpret::TaskRequest;

/// Records every published status change.
#[derive(Clone, Default)]
pub struct MemoryEvents {
    /// What was published, in order.
    pub published: Arc<Mutex<Vec<StatusChange>>>,
}

impl EventSink for MemoryEvents {
    async fn publish(&self, change: &StatusChange) -> Result<(), String> {
        self.published.lock().unwrap_or_else(|e| e.into_inner()).push(change.clone());
        Ok(())
    }
}

/// Answers tasks with a function.
#[derive(Clone)]
pub struct FnTasks(pub Arc<dyn Fn(&TaskRequest) -> TaskOutcome + Send + Sync>);

impl FnTasks {
    /// Tasks answered by `f`.
    pub fn new(f: impl Fn(&TaskRequest) -> TaskOutcome + Send + Sync + 'static) -> Self {
        FnTasks(Arc::new(f))
    }
}

impl TaskInvoker for FnTasks {
    async fn invoke(&self, request: &TaskRequest) -> TaskOutcome {
        (self.0)(request)
    }
}
