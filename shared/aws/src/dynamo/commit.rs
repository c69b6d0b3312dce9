//! A step's commit as one `TransactWriteItems`: a `Put` per item, the
//! execution head conditional on its counter and RUNNING status, each branch
//! on its version or absence
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html>).

use super::items::*;
use super::keys::*;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use std::collections::HashMap;
use stepwise_engine::ports::{Commit, StoreError};

/// DynamoDB's limit on the actions in one transaction.
pub const MAX_TRANSACTION_ITEMS: usize = 100;
/// DynamoDB's limit on the aggregate size of the items in one transaction
/// (4 MB, `API_TransactWriteItems.html`).
pub const MAX_TRANSACTION_BYTES: usize = 4_000_000;

/// One `Put` of a transaction, with the size its write is billed at.
pub(crate) struct Write {
    pub put: TransactWriteItem,
    pub size: usize,
}

/// Builds a `Put` of `item` under `condition` with its names and values.
pub(crate) fn put(
    table: &str,
    item: Item,
    condition: Option<&str>,
    names: &[(&str, &str)],
    values: Item,
) -> Result<Write, StoreError> {
    let size = item_size(&item);
    let mut builder = Put::builder().table_name(table).set_item(Some(item));
    if let Some(condition) = condition {
        builder = builder.condition_expression(condition);
    }
    let names: HashMap<String, String> = names.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    if !names.is_empty() {
        builder = builder.set_expression_attribute_names(Some(names));
    }
    if !values.is_empty() {
        builder = builder.set_expression_attribute_values(Some(values));
    }
    let put = builder.build().map_err(|e| StoreError::Unavailable(format!("building a Put: {e}")))?;
    Ok(Write { put: TransactWriteItem::builder().put(put).build(), size })
}

/// The writes of `commit`, in order: the execution head, branches, events,
/// tokens. Events belong to the execution written, else to the first
/// branch's execution.
pub(crate) fn writes(table: &str, commit: &Commit) -> Result<Vec<Write>, StoreError> {
    let mut writes = Vec::with_capacity(1 + commit.branches.len() + commit.events.len() + commit.tokens.len());
    if let Some(w) = &commit.execution {
        let values =
            Item::from([(":expected".to_owned(), n(w.expected_next_event_id)), (":running".to_owned(), s("RUNNING"))]);
        let condition = "next_event_id = :expected AND #status = :running";
        writes.push(put(table, head_item(&w.record)?, Some(condition), &[("#status", STATUS)], values)?);
    }
    for b in &commit.branches {
        let item = branch_item(&b.record)?;
        writes.push(match b.expected_version {
            Some(v) => {
                let values = Item::from([(":v".to_owned(), aws_sdk_dynamodb::types::AttributeValue::N(v.to_string()))]);
                put(table, item, Some("version = :v"), &[], values)?
            }
            None => put(table, item, Some("attribute_not_exists(pk)"), &[], Item::new())?,
        });
    }
    if !commit.events.is_empty() {
        let arn = commit
            .execution
            .as_ref()
            .map(|e| e.record.arn.as_str())
            .or_else(|| commit.branches.first().map(|b| b.record.execution_arn.as_str()))
            .ok_or_else(|| StoreError::Unavailable("history events without an execution to record them in".into()))?;
        for event in &commit.events {
            writes.push(put(table, event_item(arn, event)?, None, &[], Item::new())?);
        }
    }
    for token in &commit.tokens {
        writes.push(put(table, token_item(token)?, None, &[], Item::new())?);
    }
    Ok(writes)
}

/// Refuses a transaction DynamoDB would refuse for its size, before
/// sending it, so a commit is never split into partial writes.
pub(crate) fn check_limit(count: usize) -> Result<(), StoreError> {
    if count > MAX_TRANSACTION_ITEMS {
        return Err(StoreError::Unavailable(format!(
            "a commit of {count} writes exceeds DynamoDB's {MAX_TRANSACTION_ITEMS}-item transaction limit; \
             nothing was written"
        )));
    }
    Ok(())
}

/// What a failed transaction means: which of its actions failed a condition
/// (by index), or another failure.
pub(crate) enum Failure {
    /// A condition failed on these actions; nothing was written.
    Conditions(Vec<usize>),
    /// Another transaction held an item; nothing was written.
    Contended,
    /// Anything else (throttling, validation, size, network).
    Other(String),
}

/// Classifies a `TransactWriteItems` error by its cancellation reasons.
pub(crate) fn classify(error: SdkError<TransactWriteItemsError>) -> Failure {
    let text = crate::error_text(&error);
    match error.into_service_error() {
        TransactWriteItemsError::TransactionCanceledException(e) => {
            let codes: Vec<&str> = e.cancellation_reasons().iter().map(|r| r.code().unwrap_or("None")).collect();
            let failed: Vec<usize> =
                codes.iter().enumerate().filter(|(_, c)| **c == "ConditionalCheckFailed").map(|(i, _)| i).collect();
            if !failed.is_empty() {
                Failure::Conditions(failed)
            } else if codes.contains(&"TransactionConflict") {
                Failure::Contended
            } else {
                Failure::Other(format!("transaction cancelled ({}): {text}", codes.join(", ")))
            }
        }
        _ => Failure::Other(text),
    }
}

/// A commit's failure as the port names it.
pub(crate) fn commit_error(failure: Failure) -> StoreError {
    match failure {
        Failure::Conditions(_) | Failure::Contended => StoreError::Conflict,
        Failure::Other(text) => StoreError::Unavailable(text),
    }
}
