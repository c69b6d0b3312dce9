//! Port contract tests: each port's `# Contract` written once, generic over
//! the trait, and run against every adapter — the in-memory ones in
//! `shared/engine/tests/contract.rs`, DynamoDB, SQS and EventBridge (through
//! a local moto server) in `shared/aws/tests`.
//!
//! Each function takes a port implementation, exercises one rule of its
//! contract and panics, naming the rule, when the adapter breaks it: these
//! are test helpers, called only from tests. The store functions expect an
//! empty store each (listings see everything in it). Queues and event sinks
//! only send; reading back what arrived is adapter-specific, so those
//! functions also take an [`Inbox`] or a [`Published`] reader.
//!
//! Expected orders and errors follow the Step Functions API reference:
//! ListStateMachines by name, ListExecutions newest first, and
//! GetExecutionHistory by event id, forward or `reverseOrder`
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>),
//! with `InvalidToken` for a `nextToken` the service did not issue.

mod events;
mod fixtures;
mod queue;
mod store;

pub use events::{Published, event_sink_publishes_status_changes};
pub use fixtures::{branch, event, execution, state_machine, token};
pub use queue::{Inbox, MemoryInbox, queue_delivers_every_message, queue_holds_delayed_messages_back};
pub use store::{
    commit_is_all_or_nothing, executions_are_created_once_and_listed_newest_first, history_pages_forward_and_reverse,
    invalid_page_tokens_are_refused, state_machines_are_created_updated_and_listed_by_name,
    tokens_are_stored_and_heartbeats_recorded,
};

use crate::ports::Store;

/// Runs every store contract, each on a fresh store from `fresh`.
pub async fn store_contract<S, F, Fut>(mut fresh: F)
where
    S: Store,
    F: FnMut(&'static str) -> Fut,
    Fut: std::future::Future<Output = S>,
{
    state_machines_are_created_updated_and_listed_by_name(&fresh("state-machines").await).await;
    executions_are_created_once_and_listed_newest_first(&fresh("executions").await).await;
    history_pages_forward_and_reverse(&fresh("history").await).await;
    commit_is_all_or_nothing(&fresh("commit").await).await;
    tokens_are_stored_and_heartbeats_recorded(&fresh("tokens").await).await;
    invalid_page_tokens_are_refused(&fresh("page-tokens").await).await;
}
