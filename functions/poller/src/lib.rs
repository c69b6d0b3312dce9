//! The `poller` Lambda: an EventBridge schedule ticks it every minute
//! ("Scheduled Event", <https://docs.aws.amazon.com/eventbridge/latest/userguide/event-reference.html>).
//!
//! What it is for: Task states with the "Run a Job" pattern (`.sync`, e.g.
//! `arn:aws:states:::states:startExecution.sync:2`,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html>)
//! start a job and wait for it to end. The poller will list the tasks
//! waiting on such jobs (child executions first), ask each job's status,
//! and deliver the result of those that ended to the engine, as
//! SendTaskSuccess and SendTaskFailure do for callbacks.
//!
//! What it does today: nothing, and it says so. No task integration
//! dispatches `.sync` jobs yet (the stepper fails such Task states with
//! `States.TaskFailed`), so there is nothing to poll: each tick is logged
//! and answered with `{"polled": 0}`. Timers longer than SQS's 900 s need
//! no poller: the stepper re-sends them until they are due.

use aws_lambda_events::eventbridge::EventBridgeEvent;
use serde::Serialize;

/// What one tick did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PollReport {
    /// How many waiting jobs were polled.
    pub polled: usize,
}

/// Handles one scheduled tick: polls nothing (see the module documentation).
pub async fn handle(event: &EventBridgeEvent) -> PollReport {
    let rule = event.resources.as_ref().and_then(|r| r.first()).map(String::as_str).unwrap_or_default();
    let time = event.time.map(|t| t.to_rfc3339()).unwrap_or_default();
    let detail_type = event.detail_type.as_str();
    tracing::info!(rule, time, detail_type, "tick: no `.sync` jobs are dispatched yet, nothing to poll");
    PollReport { polled: 0 }
}

#[cfg(test)]
mod tests {
    //! Driven by `events/poller-tick.json`, the "Example Scheduled Event
    //! event" of the EventBridge events detail reference
    //! (<https://docs.aws.amazon.com/eventbridge/latest/userguide/event-reference.html>,
    //! read 2026-11-25) with this stack's rule and time.

    use super::*;

    fn tick() -> EventBridgeEvent {
        let path = format!("{}/../../events/poller-tick.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not an EventBridge event: {e}"))
    }

    #[test]
    fn the_sample_tick_is_a_scheduled_event() {
        let event = tick();
        assert_eq!((event.source.as_str(), event.detail_type.as_str()), ("aws.events", "Scheduled Event"));
        assert_eq!(event.detail, serde_json::json!({}));
    }

    #[tokio::test]
    async fn a_tick_polls_nothing_yet_and_says_so() {
        let report = handle(&tick()).await;
        assert_eq!(serde_json::to_value(report).unwrap(), serde_json::json!({"polled": 0}));
    }
}
