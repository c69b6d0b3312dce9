//! The port contracts (`stepwise_engine::contract`) on the AWS adapters,
//! against a local moto server (started by `support::moto`).

mod support;

use stepwise_engine::contract;
use support::{Local, SqsInbox};

#[tokio::test]
async fn dynamo_store_creates_updates_and_lists_state_machines_by_name() {
    let local = Local::new().await;
    contract::state_machines_are_created_updated_and_listed_by_name(&local.store("sm").await).await;
}

#[tokio::test]
async fn dynamo_store_creates_executions_once_and_lists_them_newest_first() {
    let local = Local::new().await;
    contract::executions_are_created_once_and_listed_newest_first(&local.store("ex").await).await;
}

#[tokio::test]
async fn dynamo_store_pages_history_forward_and_reverse() {
    let local = Local::new().await;
    contract::history_pages_forward_and_reverse(&local.store("hist").await).await;
}

#[tokio::test]
async fn dynamo_store_commits_all_or_nothing() {
    let local = Local::new().await;
    contract::commit_is_all_or_nothing(&local.store("commit").await).await;
}

#[tokio::test]
async fn dynamo_store_keeps_tokens_and_heartbeats() {
    let local = Local::new().await;
    contract::tokens_are_stored_and_heartbeats_recorded(&local.store("tokens").await).await;
}

#[tokio::test]
async fn dynamo_store_refuses_page_tokens_it_did_not_issue() {
    let local = Local::new().await;
    contract::invalid_page_tokens_are_refused(&local.store("pages").await).await;
}

#[tokio::test]
async fn sqs_queue_delivers_every_message() {
    let local = Local::new().await;
    let queue = local.queue("deliver").await;
    contract::queue_delivers_every_message(&queue, &SqsInbox(queue.clone())).await;
}

// DelaySeconds has whole-second granularity and moto checks it when asked,
// so the message comes within a few seconds after it is due.
#[tokio::test]
async fn sqs_queue_holds_delayed_messages_back() {
    let local = Local::new().await;
    let queue = local.queue("delay").await;
    contract::queue_holds_delayed_messages_back(&queue, &SqsInbox(queue.clone()), 2_000, 5_000).await;
}

// A queue whose hops are capped at one second stands in for SQS's 900: a
// 3.5 s delay takes four hops, each re-sent by the receiver with the time
// remaining, and still arrives no earlier than asked.
#[tokio::test]
async fn sqs_queue_rechains_delays_longer_than_a_hop() {
    let local = Local::new().await;
    let queue = local.queue("rechain").await.with_max_delay_seconds(1);
    contract::queue_holds_delayed_messages_back(&queue, &SqsInbox(queue.clone()), 3_500, 5_000).await;
    let sends = local.counter.count("AmazonSQS.SendMessage");
    assert!(sends >= 4, "the delayed message was re-sent for each hop ({sends} sends)");
}

#[tokio::test]
async fn eventbridge_sink_publishes_status_changes() {
    let local = Local::new().await;
    let (sink, reader) = local.events("events").await;
    contract::event_sink_publishes_status_changes(&sink, &reader).await;
}
