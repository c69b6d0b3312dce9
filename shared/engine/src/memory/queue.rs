//! An in-memory step queue on a manual clock.

use crate::ports::{Clock, Queue};
use crate::records::Message;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A clock that moves only when told to.
#[derive(Clone, Default)]
pub struct ManualClock(pub Arc<AtomicI64>);

impl ManualClock {
    /// A clock at `ms`.
    pub fn at(ms: i64) -> Self {
        ManualClock(Arc::new(AtomicI64::new(ms)))
    }

    /// Moves to `ms` if that is later.
    pub fn advance_to(&self, ms: i64) {
        self.0.fetch_max(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Due time, send order, message: the smallest pops first.
type Timed = Reverse<(i64, u64, Entry)>;

/// Messages by due time, then by send order.
#[derive(Clone)]
pub struct MemoryQueue {
    clock: ManualClock,
    heap: Arc<Mutex<BinaryHeap<Timed>>>,
    sent: Arc<AtomicU64>,
}

/// A queued message (ordered only by its position in the heap key).
#[derive(Clone, PartialEq, Eq)]
struct Entry(Message);

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl MemoryQueue {
    /// An empty queue on `clock`.
    pub fn new(clock: ManualClock) -> Self {
        MemoryQueue { clock, heap: Arc::default(), sent: Arc::default() }
    }

    /// The next message, advancing the clock to its due time if nothing is
    /// due yet; `None` when the queue is empty.
    pub fn pop(&self) -> Option<Message> {
        let mut heap = self.heap.lock().unwrap_or_else(|e| e.into_inner());
        let Reverse((due, _, Entry(message))) = heap.pop()?;
        self.clock.advance_to(due);
        Some(message)
    }

    /// How many messages were ever sent.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::SeqCst)
    }

    /// How many messages wait.
    pub fn len(&self) -> usize {
        self.heap.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts a message back as if sent now (for redelivery tests).
    pub fn push(&self, message: Message, delay_ms: i64) {
        let n = self.sent.fetch_add(1, Ordering::SeqCst);
        let due = self.clock.now_ms().saturating_add(delay_ms.max(0));
        self.heap.lock().unwrap_or_else(|e| e.into_inner()).push(Reverse((due, n, Entry(message))));
    }
}

impl Queue for MemoryQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        self.push(message, delay_ms);
        Ok(())
    }
}
