//! The pieces of a step's commit: conditional `Put`s of branch items and the
//! conditional update of the execution head, sent as one UpdateItem,
//! PutItem or `TransactWriteItems`
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html>).

use super::items::*;
use super::keys::*;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use std::collections::HashMap;
use stepwise_engine::ports::{BranchWrite, StoreError};

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

/// A conditional `Put` of a branch item: at its read version, or absent.
pub(crate) fn branch_put(table: &str, b: &BranchWrite) -> Result<Write, StoreError> {
    let item = branch_item(&b.record)?;
    match b.expected_version {
        Some(v) => {
            let values = Item::from([(":v".to_owned(), AttributeValue::N(v.to_string()))]);
            put(table, item, Some("version = :v"), &[], values)
        }
        None => put(table, item, Some("attribute_not_exists(pk)"), &[], Item::new()),
    }
}

/// An update of an execution head: what it sets and removes, the
/// conditions it holds under, and their names and values.
#[derive(Debug, Default)]
pub(crate) struct HeadUpdate {
    sets: Vec<String>,
    removes: Vec<String>,
    conditions: Vec<String>,
    names: HashMap<String, String>,
    values: Item,
    changes: Vec<(String, Option<AttributeValue>)>,
    placeholders: usize,
}

impl HeadUpdate {
    /// Sets attribute `name` to `value`.
    pub(crate) fn set(&mut self, name: &str, value: AttributeValue) {
        let i = self.placeholder();
        self.sets.push(format!("#a{i} = :a{i}"));
        self.names.insert(format!("#a{i}"), name.to_owned());
        self.values.insert(format!(":a{i}"), value.clone());
        self.changes.push((name.to_owned(), Some(value)));
    }

    /// Removes attribute `name`.
    pub(crate) fn remove(&mut self, name: &str) {
        let i = self.placeholder();
        self.removes.push(format!("#a{i}"));
        self.names.insert(format!("#a{i}"), name.to_owned());
        self.changes.push((name.to_owned(), None));
    }

    /// Leaves attribute `name` as it is, on condition that it is `value`: a
    /// write that does not touch an indexed attribute writes no index.
    pub(crate) fn keep(&mut self, name: &str, value: AttributeValue) {
        let i = self.placeholder();
        self.conditions.push(format!("#a{i} = :a{i}"));
        self.names.insert(format!("#a{i}"), name.to_owned());
        self.values.insert(format!(":a{i}"), value);
    }

    fn placeholder(&mut self) -> usize {
        self.placeholders += 1;
        self.placeholders
    }

    /// Adds a condition, with its own names and values.
    pub(crate) fn condition(&mut self, text: &str, names: &[(&str, &str)], values: Item) {
        self.conditions.push(text.to_owned());
        self.names.extend(names.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        self.values.extend(values);
    }

    /// `head` as the update leaves it.
    pub(crate) fn apply(&self, head: &mut Item) {
        for (name, value) in &self.changes {
            match value {
                Some(v) => head.insert(name.clone(), v.clone()),
                None => head.remove(name),
            };
        }
    }

    /// The update expression.
    pub(crate) fn expression(&self) -> String {
        let mut text = String::new();
        if !self.sets.is_empty() {
            text = format!("SET {}", self.sets.join(", "));
        }
        if !self.removes.is_empty() {
            text = format!("{text} REMOVE {}", self.removes.join(", "));
        }
        text
    }

    /// The condition expression (every condition must hold).
    pub(crate) fn condition_expression(&self) -> String {
        self.conditions.join(" AND ")
    }

    /// The update as a transaction's action on the head at `key`.
    pub(crate) fn transact_item(&self, table: &str, key: Item) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(table)
            .set_key(Some(key))
            .update_expression(self.expression())
            .condition_expression(self.condition_expression())
            .set_expression_attribute_names(Some(self.names.clone()))
            .set_expression_attribute_values((!self.values.is_empty()).then(|| self.values.clone()))
            .build()
            .map_err(|e| StoreError::Unavailable(format!("building an Update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// The names and values, for an UpdateItem.
    pub(crate) fn parts(&self) -> (HashMap<String, String>, Option<Item>) {
        (self.names.clone(), (!self.values.is_empty()).then(|| self.values.clone()))
    }
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
