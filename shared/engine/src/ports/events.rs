//! Where execution status changes go.

use crate::records::StatusChange;
use std::future::Future;

/// Publishes "Step Functions Execution Status Change" events.
///
/// # Contract
/// `publish` may be called more than once for the same change (after a
/// crash between commit and send); consumers must tolerate duplicates, as
/// EventBridge delivers at least once anyway.
pub trait EventSink: Send + Sync {
    /// Publishes one change.
    fn publish(&self, change: &StatusChange) -> impl Future<Output = Result<(), String>> + Send;
}
