//! The wall clock, as the engine's [`Clock`] in AWS: Lambda hosts keep it
//! in sync, and SQS delays run on it too.

use std::time::{SystemTime, UNIX_EPOCH};
use stepwise_engine::ports::Clock;

/// Milliseconds since the Unix epoch by the system clock (0 before 1970).
pub fn wall_clock_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        wall_clock_ms()
    }
}
