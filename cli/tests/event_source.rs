//! The in-process SQS event source on moto behaves as Lambda's event source
//! mapping with `ReportBatchItemFailures` ("Handling errors for an SQS event
//! source in Lambda",
//! <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html>):
//! the records the handler reports in `batchItemFailures` stay on the queue
//! (in flight until their visibility timeout), the others are deleted, and
//! an empty item identifier fails the whole batch.

#[path = "../../shared/aws/tests/support/moto.rs"]
#[allow(dead_code)] // the shared server is for the aws crate's tests
mod moto;

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse};
use aws_sdk_sqs::types::QueueAttributeName;
use std::sync::Mutex;
use stepwise::aws::EventSource;
use stepwise_aws::config::local_sdk_config;

/// (visible, in flight) messages of the queue at `url`.
async fn depth(sqs: &aws_sdk_sqs::Client, url: &str) -> (u32, u32) {
    let out = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap();
    let attributes = out.attributes.unwrap_or_default();
    let n = |k| attributes.get(&k).and_then(|v| v.parse().ok()).unwrap_or(u32::MAX);
    (n(QueueAttributeName::ApproximateNumberOfMessages), n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible))
}

async fn queue_with(sqs: &aws_sdk_sqs::Client, name: &str, bodies: &[&str]) -> String {
    let url = sqs.create_queue().queue_name(name).send().await.unwrap().queue_url.unwrap();
    for body in bodies {
        sqs.send_message().queue_url(&url).message_body(*body).send().await.unwrap();
    }
    url
}

#[tokio::test]
async fn reported_failures_stay_on_the_queue_and_the_rest_are_deleted() {
    let moto = moto::Moto::start();
    let sqs = aws_sdk_sqs::Client::new(&local_sdk_config(&moto.endpoint).await);

    let url = queue_with(&sqs, "partial", &["ok-1", "fail", "ok-2"]).await;
    let source = EventSource::new(sqs.clone(), &url, "us-east-1").await.unwrap().with_wait_seconds(1);
    let seen = Mutex::new(Vec::new());
    let mut received = 0;
    while received < 3 {
        let polled = source
            .poll_once(&|event: aws_lambda_events::sqs::SqsEvent| {
                let mut response = SqsBatchResponse::default();
                for record in &event.records {
                    assert_eq!(record.event_source.as_deref(), Some("aws:sqs"));
                    assert!(record.event_source_arn.as_deref().is_some_and(|a| a.ends_with(":partial")));
                    assert_eq!(record.aws_region.as_deref(), Some("us-east-1"));
                    assert!(record.attributes.contains_key("ApproximateReceiveCount"));
                    let body = record.body.clone().unwrap();
                    if body == "fail" {
                        let mut failure = BatchItemFailure::default();
                        failure.item_identifier = record.message_id.clone().unwrap();
                        response.batch_item_failures.push(failure);
                    }
                    seen.lock().unwrap().push(body);
                }
                async move { response }
            })
            .await
            .unwrap();
        received += polled.received;
    }
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, ["fail", "ok-1", "ok-2"]);
    assert_eq!(depth(&sqs, &url).await, (0, 1), "only the failed record is left, in flight");

    let url = queue_with(&sqs, "whole", &["a", "b"]).await;
    let source = EventSource::new(sqs.clone(), &url, "us-east-1").await.unwrap().with_wait_seconds(1);
    let mut received = 0;
    while received < 2 {
        let polled = source
            .poll_once(&|_| async {
                let mut failure = BatchItemFailure::default();
                failure.item_identifier = String::new();
                let mut response = SqsBatchResponse::default();
                response.batch_item_failures.push(failure);
                response
            })
            .await
            .unwrap();
        assert_eq!(polled.failed, polled.received, "an empty identifier fails the whole batch");
        received += polled.received;
    }
    assert_eq!(depth(&sqs, &url).await, (0, 2), "nothing was deleted");
}
