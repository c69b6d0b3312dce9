//! Time.

/// The current time.
///
/// # Contract
/// `now_ms` never goes backwards within one process. Tests use a manual clock.
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}
