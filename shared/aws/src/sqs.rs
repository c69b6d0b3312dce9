//! The [`SqsQueue`] is the step [`Queue`] on an SQS standard queue. A message's
//! body is the engine's [`Message`] as JSON (a reference, never a payload).
//!
//! Delays: SQS holds a message back at most 900 seconds
//! (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html>,
//! `DelaySeconds`). A delay up to that is sent as `DelaySeconds`, rounded up
//! to whole seconds so a timer never fires early. A longer one is sent with
//! `DelaySeconds` = 900 and its due time (epoch ms) in the message attribute
//! [`DUE_ATTRIBUTE`]; whoever receives it asks [`due_remaining`] and, while
//! time remains, sends the same message again with the remaining delay and
//! deletes the one received, so a one-year Wait is a chain of about 35,000
//! 900-second hops. [`SqsQueue::receive_due`] does this for pollers; the
//! stepper Lambda calls [`due_remaining`] on each record of its SQS event.

pub use crate::clock::wall_clock_ms;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::MessageAttributeValue;
use stepwise_engine::ports::Queue;
use stepwise_engine::records::Message;

/// The message attribute holding a long-delayed message's due time, epoch ms.
pub const DUE_ATTRIBUTE: &str = "stepwise-due";
/// SQS's largest `DelaySeconds`.
pub const MAX_DELAY_SECONDS: i64 = 900;

/// How to send a delay of `delay_ms` at `now_ms` when the queue holds
/// messages back at most `max_seconds`: the `DelaySeconds`, and the due time
/// to carry when the delay is longer than that.
pub fn plan_delay(delay_ms: i64, now_ms: i64, max_seconds: i64) -> (i32, Option<i64>) {
    let delay_ms = delay_ms.max(0);
    // Rounded up: a timer may fire late, never early.
    let seconds = delay_ms / 1000 + i64::from(delay_ms % 1000 != 0);
    if seconds <= max_seconds {
        return (seconds as i32, None);
    }
    (max_seconds.clamp(0, MAX_DELAY_SECONDS) as i32, Some(now_ms.saturating_add(delay_ms)))
}

/// How much longer a received message must wait, in ms, from its
/// [`DUE_ATTRIBUTE`] value; `None` when it is due (or carries no due time,
/// or one that does not parse: better early than never).
pub fn due_remaining(due: Option<&str>, now_ms: i64) -> Option<i64> {
    let due: i64 = due?.trim().parse().ok()?;
    (due > now_ms).then(|| due - now_ms)
}

/// A received message.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The body as received.
    pub body: String,
    /// The step message, or why the body is not one (left for the
    /// dead-letter queue: it is not deleted).
    pub message: Result<Message, String>,
    /// The handle that deletes it.
    pub receipt_handle: String,
    /// Its [`DUE_ATTRIBUTE`], if it has one.
    pub due: Option<String>,
}

/// The step queue. Clones share the client.
#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: Client,
    queue_url: String,
    max_delay_seconds: i64,
}

impl SqsQueue {
    /// The queue at `queue_url`.
    pub fn new(client: Client, queue_url: impl Into<String>) -> Self {
        SqsQueue { client, queue_url: queue_url.into(), max_delay_seconds: MAX_DELAY_SECONDS }
    }

    /// Holds messages back at most `seconds` per hop (tests use a few
    /// seconds to exercise re-chaining); clamped to SQS's 900.
    pub fn with_max_delay_seconds(mut self, seconds: i64) -> Self {
        self.max_delay_seconds = seconds.clamp(0, MAX_DELAY_SECONDS);
        self
    }

    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.queue_url
    }

    /// Sends `message` after `delay_ms`, measured from `now_ms`.
    pub async fn send_at(&self, message: &Message, delay_ms: i64, now_ms: i64) -> Result<(), String> {
        let body = serde_json::to_string(message).map_err(|e| format!("message does not serialize: {e}"))?;
        let (seconds, due) = plan_delay(delay_ms, now_ms, self.max_delay_seconds);
        let mut request =
            self.client.send_message().queue_url(&self.queue_url).message_body(body).delay_seconds(seconds);
        if let Some(due) = due {
            let value = MessageAttributeValue::builder()
                .data_type("Number")
                .string_value(due.to_string())
                .build()
                .map_err(|e| e.to_string())?;
            request = request.message_attributes(DUE_ATTRIBUTE, value);
        }
        request.send().await.map_err(|e| crate::error_text(&e))?;
        Ok(())
    }

    /// Receives up to 10 messages, waiting up to `wait_seconds` (long
    /// polling, at most 20).
    pub async fn receive(&self, wait_seconds: i32) -> Result<Vec<Delivery>, String> {
        let output = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait_seconds.clamp(0, 20))
            .message_attribute_names(DUE_ATTRIBUTE)
            .send()
            .await
            .map_err(|e| crate::error_text(&e))?;
        let deliveries = output
            .messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                let body = m.body.unwrap_or_default();
                let message = serde_json::from_str(&body).map_err(|e| format!("not a step message: {e}"));
                let due = m.message_attributes.and_then(|mut a| a.remove(DUE_ATTRIBUTE)).and_then(|v| v.string_value);
                Delivery { body, message, receipt_handle: m.receipt_handle.unwrap_or_default(), due }
            })
            .collect();
        Ok(deliveries)
    }

    /// Receives as [`SqsQueue::receive`] does, re-chaining messages not yet
    /// due (sent again with the remaining delay, the received copy deleted);
    /// returns the due ones, not yet deleted.
    pub async fn receive_due(&self, wait_seconds: i32) -> Result<Vec<Delivery>, String> {
        let mut due = Vec::new();
        for delivery in self.receive(wait_seconds).await? {
            let now = wall_clock_ms();
            match (&delivery.message, due_remaining(delivery.due.as_deref(), now)) {
                (Ok(message), Some(remaining)) => {
                    self.send_at(message, remaining, now).await?;
                    self.delete(&delivery.receipt_handle).await?;
                }
                _ => due.push(delivery),
            }
        }
        Ok(due)
    }

    /// Deletes a received message (acknowledges it).
    pub async fn delete(&self, receipt_handle: &str) -> Result<(), String> {
        self.client
            .delete_message()
            .queue_url(&self.queue_url)
            .receipt_handle(receipt_handle)
            .send()
            .await
            .map_err(|e| crate::error_text(&e))?;
        Ok(())
    }
}

impl Queue for SqsQueue {
    async fn send(&self, message: Message, delay_ms: i64) -> Result<(), String> {
        self.send_at(&message, delay_ms, wall_clock_ms()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_delays_round_up_to_whole_seconds() {
        assert_eq!(plan_delay(0, 0, 900), (0, None));
        assert_eq!(plan_delay(-5, 0, 900), (0, None));
        assert_eq!(plan_delay(1, 0, 900), (1, None));
        assert_eq!(plan_delay(1000, 0, 900), (1, None));
        assert_eq!(plan_delay(1001, 0, 900), (2, None));
        assert_eq!(plan_delay(900_000, 0, 900), (900, None));
    }

    #[test]
    fn long_delays_hop_900_seconds_and_carry_their_due_time() {
        assert_eq!(plan_delay(900_001, 5, 900), (900, Some(900_006)));
        assert_eq!(plan_delay(365 * 86_400_000, 0, 900), (900, Some(365 * 86_400_000)));
        assert_eq!(plan_delay(i64::MAX, 10, 900), (900, Some(i64::MAX)));
        assert_eq!(plan_delay(3_500, 0, 1), (1, Some(3_500)), "a test queue hopping every second");
    }

    #[test]
    fn remaining_time_comes_from_the_due_attribute() {
        assert_eq!(due_remaining(Some("10000"), 4_000), Some(6_000));
        assert_eq!(due_remaining(Some("10000"), 10_000), None, "due exactly now");
        assert_eq!(due_remaining(Some("10000"), 20_000), None);
        assert_eq!(due_remaining(None, 0), None);
        assert_eq!(due_remaining(Some("soon"), 0), None, "an unreadable due time delivers now");
    }
}
