//! The [`Queue`] contract: what is sent arrives (at least once), and a
//! delayed message is held back about as long as asked, never less.

use crate::ports::Queue;
use crate::records::{Message, MessageKind};
use std::future::Future;

/// Reads a queue back for the contract tests.
pub trait Inbox: Send + Sync {
    /// Waits up to `wait_ms` for messages that are due, acknowledges and
    /// returns them (possibly none).
    fn receive(&self, wait_ms: u64) -> impl Future<Output = Result<Vec<Message>, String>> + Send;
    /// The time as the queue sees it, epoch ms (a manual clock in memory).
    fn now_ms(&self) -> i64;
}

fn message(execution: &str, seq: u64) -> Message {
    Message {
        execution_arn: format!("arn:aws:states:us-east-1:123456789012:execution:Queue:{execution}"),
        branch: "0.3.1".to_owned(),
        seq,
        kind: MessageKind::Enter,
    }
}

/// Every message sent arrives, unchanged; duplicates are allowed.
pub async fn queue_delivers_every_message<Q: Queue, I: Inbox>(queue: &Q, inbox: &I) {
    let sent: Vec<Message> = (0..5).map(|seq| message("deliver", seq)).collect();
    for m in &sent {
        queue.send(m.clone(), 0).await.expect("sending succeeds");
    }
    let mut received = Vec::new();
    for _ in 0..60 {
        received.extend(inbox.receive(1000).await.expect("receiving succeeds"));
        if sent.iter().all(|m| received.contains(m)) {
            break;
        }
    }
    for m in &sent {
        assert!(received.contains(m), "message {} arrived (got {received:?})", m.seq);
    }
    assert!(received.iter().all(|m| sent.contains(m)), "only what was sent arrives");
}

/// A message sent with `delay_ms` arrives no earlier than that and within
/// `slack_ms` after it; one sent at the same time without delay comes first.
pub async fn queue_holds_delayed_messages_back<Q: Queue, I: Inbox>(queue: &Q, inbox: &I, delay_ms: i64, slack_ms: i64) {
    let delayed = message("delayed", 1);
    let prompt = message("prompt", 1);
    let sent_at = inbox.now_ms();
    queue.send(delayed.clone(), delay_ms).await.expect("sending a delayed message succeeds");
    queue.send(prompt.clone(), 0).await.expect("sending succeeds");
    let mut prompt_seen = false;
    for _ in 0..1000 {
        let batch = inbox.receive(1000).await.expect("receiving succeeds");
        let now = inbox.now_ms();
        prompt_seen |= batch.contains(&prompt);
        if batch.contains(&delayed) {
            let waited = now - sent_at;
            assert!(prompt_seen, "the undelayed message arrived first");
            assert!(waited >= delay_ms, "held back {waited} ms, asked for {delay_ms}");
            assert!(waited <= delay_ms + slack_ms, "held back {waited} ms, asked for {delay_ms} (+{slack_ms})");
            return;
        }
        assert!(now - sent_at <= delay_ms + slack_ms, "the delayed message had not arrived after {} ms", now - sent_at);
    }
    panic!("the delayed message never arrived");
}

/// The in-memory queue read back on its manual clock: each receive pops the
/// next message, moving the clock to its due time.
#[derive(Clone)]
pub struct MemoryInbox {
    /// The queue.
    pub queue: crate::memory::MemoryQueue,
    /// The clock the queue was made with.
    pub clock: crate::memory::ManualClock,
}

impl Inbox for MemoryInbox {
    async fn receive(&self, _wait_ms: u64) -> Result<Vec<Message>, String> {
        Ok(self.queue.pop().into_iter().collect())
    }

    fn now_ms(&self) -> i64 {
        crate::ports::Clock::now_ms(&self.clock)
    }
}
