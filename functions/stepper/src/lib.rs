//! The `stepper` Lambda: each SQS record of the step queue is one engine
//! [`Message`] (a reference to one step of one branch, never a payload),
//! handed to [`Engine::handle`].
//!
//! The batch answers with the records that failed, so SQS deletes the rest
//! and delivers only those again ("Handling errors for an SQS event source
//! in Lambda", `ReportBatchItemFailures`:
//! <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html>).
//! A record fails when the engine could not finish its step (the store or
//! a send failed; the engine applies each step once, so a redelivery is
//! safe), when a message that is not due yet could not be re-sent, or when
//! its body is not a step message at all (after the queue's
//! `maxReceiveCount` receives it moves to the dead-letter queue to be
//! looked at).
//!
//! Long delays: SQS holds a message back at most 900 s, so a longer timer
//! is sent with its due time in the [`DUE_ATTRIBUTE`] message attribute.
//! A record whose due time is still ahead is sent again with the remaining
//! delay and acknowledged, without stepping anything.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use futures_util::future::join_all;
use stepwise_aws::sqs::{DUE_ATTRIBUTE, due_remaining};
use stepwise_engine::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use stepwise_engine::records::Message;
use stepwise_engine::{Engine, EngineError};

/// The variable that sets how many states one step message may advance
/// through before committing (the engine's `Config::steps_per_message`).
pub const STEPS_PER_MESSAGE_VAR: &str = "STEPWISE_STEPS_PER_MESSAGE";

/// The stepper's `steps_per_message` when [`STEPS_PER_MESSAGE_VAR`] is unset.
///
/// States that finish at once (Pass, Choice, Succeed, …) share a commit and
/// skip a queue round trip each, which is most of a transition's price
/// (README, "What it costs"). Bounded by what one commit can hold: the
/// engine commits early whenever the next state might not fit DynamoDB's
/// transaction limits (100 items, 4 MB), so the bound is a latency one: a
/// Lambda invocation of ten records at 16 states each stays far within the
/// function's 15 s timeout.
pub const DEFAULT_STEPS_PER_MESSAGE: usize = 16;

/// Reads `steps_per_message` from a value of [`STEPS_PER_MESSAGE_VAR`]:
/// unset or empty is [`DEFAULT_STEPS_PER_MESSAGE`], otherwise a whole number
/// from 1 to 1000.
pub fn steps_per_message(value: Option<&str>) -> Result<usize, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(DEFAULT_STEPS_PER_MESSAGE),
        Some(v) => match v.parse::<usize>() {
            Ok(n @ 1..=1000) => Ok(n),
            _ => Err(format!("{STEPS_PER_MESSAGE_VAR} must be a whole number from 1 to 1000, not {v:?}")),
        },
    }
}

/// [`steps_per_message`] of the environment's [`STEPS_PER_MESSAGE_VAR`].
pub fn steps_per_message_from_env() -> Result<usize, String> {
    steps_per_message(std::env::var(STEPS_PER_MESSAGE_VAR).ok().as_deref())
}

/// What became of a record that did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The engine handled the message: applied its step, or dropped it as a
    /// duplicate or stale one.
    Stepped,
    /// The message is not due yet; it was sent again to arrive in
    /// `remaining_ms`.
    Rechained {
        /// How long it still waits.
        remaining_ms: i64,
    },
}

/// Why a record failed (it is reported in `batchItemFailures`).
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The body is not an engine message; it goes to the dead-letter queue
    /// once the queue's `maxReceiveCount` is reached.
    #[error("the body is not a step message: {0}")]
    NotAMessage(String),
    /// A message that is not due yet could not be sent again.
    #[error("re-sending a message that is not due yet failed: {0}")]
    Rechain(String),
    /// The engine could not finish the step; the redelivery finishes it.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Handles one record of the step queue.
pub async fn handle_record<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    record: &SqsMessage,
) -> Result<Outcome, RecordError> {
    let body = record.body.as_deref().unwrap_or_default();
    let message: Message = serde_json::from_str(body).map_err(|e| RecordError::NotAMessage(e.to_string()))?;
    let due = record.message_attributes.get(DUE_ATTRIBUTE).and_then(|a| a.string_value.as_deref());
    if let Some(remaining_ms) = due_remaining(due, engine.clock.now_ms()) {
        // The queue adapter carries a new due time when the rest is still
        // longer than SQS allows.
        engine.queue.send(message, remaining_ms).await.map_err(RecordError::Rechain)?;
        return Ok(Outcome::Rechained { remaining_ms });
    }
    engine.handle(&message).await?;
    Ok(Outcome::Stepped)
}

/// Handles a batch of step-queue records concurrently and answers with the
/// ones that failed.
pub async fn handle_batch<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock>(
    engine: &Engine<S, Q, E, T, C>,
    event: &SqsEvent,
) -> SqsBatchResponse {
    let outcomes = join_all(event.records.iter().map(|record| handle_record(engine, record))).await;
    let mut response = SqsBatchResponse::default();
    for (record, outcome) in event.records.iter().zip(outcomes) {
        let id = record.message_id.as_deref().unwrap_or_default();
        match outcome {
            Ok(Outcome::Stepped) => tracing::debug!(message_id = id, "stepped"),
            Ok(Outcome::Rechained { remaining_ms }) => tracing::debug!(message_id = id, remaining_ms, "not due yet"),
            Err(error) => {
                tracing::error!(message_id = id, %error, "step failed; SQS delivers it again");
                // An empty id makes Lambda retry the whole batch: the safe
                // answer for a record it cannot name.
                response.add_failure(id);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests;
