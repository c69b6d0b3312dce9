//! The port contracts (`stepwise_engine::contract`) on the in-memory
//! adapters, the reference every other adapter is held to.

use stepwise_engine::contract;
use stepwise_engine::memory::{ManualClock, MemoryEvents, MemoryQueue, MemoryStore};

#[tokio::test]
async fn memory_store_creates_updates_and_lists_state_machines_by_name() {
    contract::state_machines_are_created_updated_and_listed_by_name(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_creates_executions_once_and_lists_them_newest_first() {
    contract::executions_are_created_once_and_listed_newest_first(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_pages_history_forward_and_reverse() {
    contract::history_pages_forward_and_reverse(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_commits_all_or_nothing() {
    contract::commit_is_all_or_nothing(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_keeps_tokens_and_heartbeats() {
    contract::tokens_are_stored_and_heartbeats_recorded(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_refuses_page_tokens_it_did_not_issue() {
    contract::invalid_page_tokens_are_refused(&MemoryStore::default()).await;
}

#[tokio::test]
async fn memory_store_passes_the_whole_store_contract() {
    contract::store_contract(|_| async { MemoryStore::default() }).await;
}

fn memory_queue() -> (MemoryQueue, contract::MemoryInbox) {
    let clock = ManualClock::at(1_700_000_000_000);
    let queue = MemoryQueue::new(clock.clone());
    (queue.clone(), contract::MemoryInbox { queue, clock })
}

#[tokio::test]
async fn memory_queue_delivers_every_message() {
    let (queue, inbox) = memory_queue();
    contract::queue_delivers_every_message(&queue, &inbox).await;
}

#[tokio::test]
async fn memory_queue_holds_delayed_messages_back_exactly() {
    let (queue, inbox) = memory_queue();
    contract::queue_holds_delayed_messages_back(&queue, &inbox, 3_600_000, 0).await;
}

#[tokio::test]
async fn memory_events_publish_status_changes() {
    let events = MemoryEvents::default();
    contract::event_sink_publishes_status_changes(&events, &events).await;
}
