//! When a state fails: Retry, then Catch, then the branch fails
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).

use super::io::merge_result;
use super::{Branch, Next, Phase, Recorder, exit_state};
use crate::error::Failure;
use crate::json::error_object;
use crate::model::{Retrier, State, Transition};

/// Retries, catches or propagates `failure` raised by the branch's current state.
pub(crate) fn handle(branch: &mut Branch, state: &State, failure: Failure, rec: &mut Recorder<'_, '_>) -> Next {
    match retry(branch, state, &failure, rec) {
        Some(next) => next,
        None => catch(branch, state, failure, rec),
    }
}

/// Schedules a retry when the first Retrier matching `failure` has attempts
/// left; `None` when the failure is not retried.
pub(crate) fn retry(branch: &mut Branch, state: &State, failure: &Failure, rec: &mut Recorder<'_, '_>) -> Option<Next> {
    let i = state.io.retry.iter().position(|r| failure.matches(&r.error_equals))?;
    let retrier = &state.io.retry[i];
    let attempts = branch.retry_counts.get(i).copied().unwrap_or(0);
    if u64::from(attempts) >= retrier.max_attempts {
        return None;
    }
    if let Some(count) = branch.retry_counts.get_mut(i) {
        *count += 1;
    }
    let delay = retry_delay_ms(retrier, attempts, rec.env.rng.next_f64());
    branch.phase = Phase::RetryBackoff;
    Some(Next::Timer { at: rec.env.now.saturating_add(delay) })
}

/// Follows the first Catcher matching `failure`, or fails the branch.
pub(crate) fn catch(branch: &mut Branch, state: &State, failure: Failure, rec: &mut Recorder<'_, '_>) -> Next {
    let Some(catcher) = state.io.catch.iter().find(|c| failure.matches(&c.error_equals)) else {
        return Next::Failed(failure);
    };
    match merge_result(branch, state, &catcher.result_path, error_object(&failure)) {
        Ok(output) => exit_state(branch, state, output, None, Some(Transition::Next(catcher.next)), rec),
        Err(f) => Next::Failed(f),
    }
}

/// The wait before retry number `attempts + 1`: IntervalSeconds ×
/// BackoffRate^attempts, capped by MaxDelaySeconds, and with `FULL` jitter a
/// uniformly random fraction of that (`unit` in `[0, 1)`).
pub(crate) fn retry_delay_ms(retrier: &Retrier, attempts: u32, unit: f64) -> i64 {
    let mut seconds = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(attempts as i32);
    if let Some(max) = retrier.max_delay_seconds {
        seconds = seconds.min(max as f64);
    }
    if retrier.full_jitter {
        seconds *= unit;
    }
    (seconds * 1000.0).min(i64::MAX as f64 / 2.0) as i64
}
