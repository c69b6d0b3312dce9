//! An SQS event source as Lambda runs one, in-process: long-poll the queue
//! for batches, hand each batch to a handler as the `SqsEvent` Lambda would
//! send, delete the records the handler did not report in
//! `batchItemFailures`, and leave those for SQS to deliver again after the
//! visibility timeout ("Using Lambda with Amazon SQS" and "Handling errors
//! for an SQS event source in Lambda",
//! <https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html>,
//! <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html>).

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage, SqsMessageAttribute};
use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName, QueueAttributeName};
use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

/// The most records ReceiveMessage returns, and the template's `BatchSize`.
pub const BATCH_SIZE: i32 = 10;
/// The longest long poll SQS allows (`WaitTimeSeconds`).
pub const WAIT_SECONDS: i32 = 20;

/// Why polling stopped or a batch could not be finished.
#[derive(Debug, thiserror::Error)]
pub enum EventSourceError {
    /// An SQS request failed.
    #[error("{action} on {queue}: {message}")]
    Sqs {
        /// The action (`ReceiveMessage`, …).
        action: &'static str,
        /// The queue's URL.
        queue: String,
        /// What SQS or the connection said.
        message: String,
    },
}

/// One queue read as a Lambda event source mapping reads it.
#[derive(Debug, Clone)]
pub struct EventSource {
    client: Client,
    queue_url: String,
    queue_arn: String,
    region: String,
    wait_seconds: i32,
}

/// What one poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Polled {
    /// Records received and handed to the handler.
    pub received: usize,
    /// Records the handler reported failed (left on the queue).
    pub failed: usize,
}

impl EventSource {
    /// The event source on the queue at `queue_url`; asks SQS for its ARN
    /// (each record's `eventSourceARN`).
    pub async fn new(client: Client, queue_url: &str, region: &str) -> Result<Self, EventSourceError> {
        let attributes = client
            .get_queue_attributes()
            .queue_url(queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| sqs_error("GetQueueAttributes", queue_url, &e))?;
        let queue_arn =
            attributes.attributes.and_then(|mut a| a.remove(&QueueAttributeName::QueueArn)).unwrap_or_default();
        Ok(EventSource {
            client,
            queue_url: queue_url.to_owned(),
            queue_arn,
            region: region.to_owned(),
            wait_seconds: WAIT_SECONDS,
        })
    }

    /// Long-polls at most `seconds` (0 to 20) per ReceiveMessage.
    pub fn with_wait_seconds(mut self, seconds: i32) -> Self {
        self.wait_seconds = seconds.clamp(0, WAIT_SECONDS);
        self
    }

    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.queue_url
    }

    /// One ReceiveMessage; if it brings records, one call of `handler` with
    /// them and one DeleteMessageBatch of those it did not report failed.
    pub async fn poll_once<H, F>(&self, handler: &H) -> Result<Polled, EventSourceError>
    where
        H: Fn(SqsEvent) -> F,
        F: Future<Output = SqsBatchResponse>,
    {
        let received = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(BATCH_SIZE)
            .wait_time_seconds(self.wait_seconds)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| sqs_error("ReceiveMessage", &self.queue_url, &e))?;
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            return Ok(Polled::default());
        }
        let mut event = SqsEvent::default();
        event.records = messages.into_iter().map(|m| self.record(m)).collect();
        let handles: Vec<(String, String)> = event
            .records
            .iter()
            .map(|r| (r.message_id.clone().unwrap_or_default(), r.receipt_handle.clone().unwrap_or_default()))
            .collect();
        let response = handler(event).await;
        let failed: HashSet<&str> = response.batch_item_failures.iter().map(|f| f.item_identifier.as_str()).collect();
        // An empty identifier fails the whole batch, as on Lambda.
        let whole_batch_failed = failed.contains("");
        let done: Vec<&(String, String)> =
            handles.iter().filter(|(id, _)| !whole_batch_failed && !failed.contains(id.as_str())).collect();
        self.delete(&done).await?;
        Ok(Polled { received: handles.len(), failed: handles.len() - done.len() })
    }

    /// Polls until the task is dropped, as a Lambda poller does; an SQS
    /// error is logged and polling resumes after a second.
    pub async fn run<H, F>(&self, handler: H)
    where
        H: Fn(SqsEvent) -> F,
        F: Future<Output = SqsBatchResponse>,
    {
        loop {
            if let Err(error) = self.poll_once(&handler).await {
                eprintln!("stepwise: {error}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }

    async fn delete(&self, done: &[&(String, String)]) -> Result<(), EventSourceError> {
        if done.is_empty() {
            return Ok(());
        }
        let entries = done
            .iter()
            .enumerate()
            .map(|(i, (_, handle))| {
                DeleteMessageBatchRequestEntry::builder().id(i.to_string()).receipt_handle(handle).build()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| EventSourceError::Sqs {
                action: "DeleteMessageBatch",
                queue: self.queue_url.clone(),
                message: e.to_string(),
            })?;
        let out = self
            .client
            .delete_message_batch()
            .queue_url(&self.queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| sqs_error("DeleteMessageBatch", &self.queue_url, &e))?;
        // A record whose delete failed comes back after the visibility
        // timeout; the engine drops it as a duplicate.
        for failed in out.failed() {
            eprintln!("stepwise: DeleteMessageBatch on {}: {:?}", self.queue_url, failed.message());
        }
        Ok(())
    }

    /// A received message as Lambda's SQS event shows it.
    fn record(&self, m: Message) -> SqsMessage {
        let mut record = SqsMessage::default();
        record.message_id = m.message_id;
        record.receipt_handle = m.receipt_handle;
        record.body = m.body;
        record.md5_of_body = m.md5_of_body;
        record.md5_of_message_attributes = m.md5_of_message_attributes;
        record.attributes =
            m.attributes.unwrap_or_default().into_iter().map(|(k, v)| (k.as_str().to_owned(), v)).collect();
        record.message_attributes = m
            .message_attributes
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| {
                let mut attribute = SqsMessageAttribute::default();
                attribute.string_value = v.string_value;
                attribute.data_type = Some(v.data_type);
                (k, attribute)
            })
            .collect();
        record.event_source_arn = Some(self.queue_arn.clone());
        record.event_source = Some("aws:sqs".to_owned());
        record.aws_region = Some(self.region.clone());
        record
    }
}

fn sqs_error(action: &'static str, queue: &str, error: &(dyn std::error::Error + 'static)) -> EventSourceError {
    EventSourceError::Sqs { action, queue: queue.to_owned(), message: error_chain(error) }
}

/// An SDK error's text with its sources (the SDK's own says "service error").
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        message.push_str(": ");
        message.push_str(&e.to_string());
        source = e.source();
    }
    message
}
