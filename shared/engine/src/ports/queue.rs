//! The step queue.

use crate::records::Message;
use std::future::Future;

/// Delivers messages to the engine's step handler.
///
/// # Contract
/// At-least-once: a message may arrive more than once and out of order; the
/// engine applies each step once by its sequence number. `delay_ms` holds a
/// message back (timers); an adapter whose queue caps delays (SQS: 900 s)
/// re-chains longer ones. Sending is safe to repeat.
pub trait Queue: Send + Sync {
    /// Sends `message` after `delay_ms` (0 for now).
    fn send(&self, message: Message, delay_ms: i64) -> impl Future<Output = Result<(), String>> + Send;
}
