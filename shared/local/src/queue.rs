//! The in-process step queue: ready messages in order, delayed ones in a
//! timer heap, waking receivers when either has work.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stepwise_engine::ports::{Clock, Queue};
use stepwise_engine::records::Message;
use tokio::sync::Notify;

use crate::SystemClock;

/// A message held until `due`; the sequence keeps equal due times in order.
struct Delayed {
    due: i64,
    seq: u64,
    message: Message,
}

impl PartialEq for Delayed {
    fn eq(&self, other: &Self) -> bool {
        (self.due, self.seq) == (other.due, other.seq)
    }
}
impl Eq for Delayed {}
impl PartialOrd for Delayed {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Delayed {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.due, self.seq).cmp(&(other.due, other.seq))
    }
}

#[derive(Default)]
struct Lists {
    ready: VecDeque<Message>,
    delayed: BinaryHeap<Reverse<Delayed>>,
    seq: u64,
}

/// The queue. Clones share it.
#[derive(Clone)]
pub struct LocalQueue {
    lists: Arc<Mutex<Lists>>,
    notify: Arc<Notify>,
    /// Multiplies every delay (`--wait-time-scale`).
    scale: f64,
}

impl LocalQueue {
    /// An empty queue; delays are multiplied by `scale` (1.0 as written).
    pub fn new(scale: f64) -> Self {
        LocalQueue { lists: Arc::default(), notify: Arc::new(Notify::new()), scale: scale.max(0.0) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lists> {
        self.lists.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next ready or due message, or how long until one is due.
    fn try_take(&self) -> Result<Message, Option<i64>> {
        let mut lists = self.lock();
        let now = SystemClock.now_ms();
        while lists.delayed.peek().is_some_and(|Reverse(d)| d.due <= now) {
            let Reverse(d) = lists.delayed.pop().expect("peeked just now");
            lists.ready.push_back(d.message);
        }
        match lists.ready.pop_front() {
            Some(m) => Ok(m),
            None => Err(lists.delayed.peek().map(|Reverse(d)| d.due - now)),
        }
    }

    /// Waits for the next message.
    pub async fn recv(&self) -> Message {
        loop {
            let notified = self.notify.notified();
            match self.try_take() {
                Ok(m) => return m,
                Err(None) => notified.await,
                Err(Some(wait)) => {
                    let _ = tokio::time::timeout(Duration::from_millis(wait.max(1) as u64), notified).await;
                }
            }
        }
    }

    /// Messages waiting, ready or delayed.
    pub fn len(&self) -> usize {
        let lists = self.lock();
        lists.ready.len() + lists.delayed.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Queue for LocalQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        {
            let mut lists = self.lock();
            if delay_ms <= 0 {
                lists.ready.push_back(message);
            } else {
                let due = SystemClock.now_ms() + (delay_ms as f64 * self.scale) as i64;
                lists.seq += 1;
                let seq = lists.seq;
                lists.delayed.push(Reverse(Delayed { due, seq, message }));
            }
        }
        self.notify.notify_one();
        Ok(())
    }
}
