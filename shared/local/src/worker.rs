//! Workers: take messages from the local queue and hand them to the engine,
//! as Lambda's event source mapping does for the stepper function.

use crate::LocalQueue;
use std::sync::Arc;
use stepwise_engine::Engine;
use stepwise_engine::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use tokio::task::JoinHandle;

/// How long a message whose handling failed waits before it is tried again
/// (the visibility timeout of a local queue).
const RETRY_DELAY_MS: i64 = 1_000;

/// The running workers; dropping this does not stop them, `abort` does.
pub struct Workers(Vec<JoinHandle<()>>);

impl Workers {
    /// Stops every worker.
    pub fn abort(&self) {
        self.0.iter().for_each(JoinHandle::abort);
    }
}

/// Starts `count` workers feeding `queue` to `engine`.
pub fn spawn_workers<S, E, T, C>(engine: Arc<Engine<S, LocalQueue, E, T, C>>, count: usize) -> Workers
where
    S: Store + 'static,
    E: EventSink + 'static,
    T: TaskInvoker + 'static,
    C: Clock + 'static,
{
    let handles = (0..count.max(1))
        .map(|_| {
            let engine = engine.clone();
            tokio::spawn(async move {
                loop {
                    let message = engine.queue.recv().await;
                    if engine.handle(&message).await.is_err() {
                        let _ = engine.queue.send(message, RETRY_DELAY_MS).await;
                    }
                }
            })
        })
        .collect();
    Workers(handles)
}
