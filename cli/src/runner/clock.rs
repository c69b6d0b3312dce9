//! Time for an in-process run: real (scaled) or virtual.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How time passes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    /// Real time; every wait is multiplied by the scale (`--wait-time-scale`).
    Real {
        /// 1.0 waits as written, 0.0 not at all.
        scale: f64,
    },
    /// Virtual time: waits end at once while the clock jumps forward, so
    /// timeouts and timestamps behave as if they had really waited.
    Virtual,
}

/// A running clock for one execution.
pub(crate) struct RunClock {
    mode: Clock,
    started: Instant,
    epoch_ms: i64,
    virtual_now: AtomicI64,
}

impl RunClock {
    pub fn new(mode: Clock) -> Self {
        let epoch_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        RunClock { mode, started: Instant::now(), epoch_ms, virtual_now: AtomicI64::new(epoch_ms) }
    }

    /// Epoch milliseconds now.
    pub fn now(&self) -> i64 {
        match self.mode {
            Clock::Virtual => self.virtual_now.load(Ordering::Relaxed),
            Clock::Real { .. } => self.epoch_ms + self.started.elapsed().as_millis() as i64,
        }
    }

    /// Whether tasks' reported durations should be waited out on this clock.
    pub fn is_virtual(&self) -> bool {
        self.mode == Clock::Virtual
    }

    /// When something `delay_ms` from now is due, after scaling.
    pub fn due(&self, delay_ms: i64) -> i64 {
        let delay = delay_ms.max(0);
        match self.mode {
            Clock::Virtual => self.now().saturating_add(delay),
            Clock::Real { scale } => self.now().saturating_add((delay as f64 * scale) as i64),
        }
    }

    /// Moves to `at`: jumps on a virtual clock, sleeps on a real one.
    pub fn advance_to(&self, at: i64) {
        match self.mode {
            Clock::Virtual => {
                self.virtual_now.fetch_max(at, Ordering::Relaxed);
            }
            Clock::Real { .. } => {
                let wait = at - self.now();
                if wait > 0 {
                    std::thread::sleep(Duration::from_millis(wait as u64));
                }
            }
        }
    }
}
