//! A step's commit with as few and as cheap writes as exactly-once allows.
//!
//! The commit point is one conditional write of the execution head, which
//! holds the root branch and the latest commit's events (its `tail`): a
//! top-level step is one UpdateItem. Before it, the one idempotent write: the
//! tail the head holds now, already committed, is copied into its history
//! chunk (any writer of that key writes the same events). A commit that also
//! writes child branches (Parallel, Map) or task tokens, which must appear
//! only if it commits, is one `TransactWriteItems` of the head update and
//! those `Put`s.

use super::DynamoStore;
use super::commit::{HeadUpdate, Write, branch_put, check_limit, classify, commit_error, put};
use super::history::{split, tail_chunk};
use super::items::*;
use super::keys::*;
use super::read::unavailable;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::AttributeValue;
use stepwise_engine::ROOT;
use stepwise_engine::ports::{Commit, StoreError};
use stepwise_engine::records::ExecutionStatus;

/// The most bytes an execution head may reach with its tail; above it the
/// commit's events go to chunk items in the transaction instead (DynamoDB
/// items are at most 400 KB).
const HEAD_LIMIT: usize = 300_000;
/// The most bytes of events in one chunk written by such a commit.
const CHUNK_LIMIT: usize = 300_000;

impl DynamoStore {
    /// The head item of execution `arn` as last read or written here, if its
    /// counter is `expected` (or no counter is expected), else read anew; a
    /// counter other than `expected` is a lost race.
    async fn head_for(&self, arn: &str, expected: Option<i64>) -> Result<Item, StoreError> {
        let fits = |head: &Item| expected.is_none_or(|e| number_of(head, NEXT_EVENT_ID) == Some(e));
        if let Some(head) = self.heads.get(arn).filter(fits) {
            return Ok(head);
        }
        let head = self.get_item(execution_pk(arn), HEAD_SK).await?.ok_or(StoreError::Conflict)?;
        self.heads.put(arn, head.clone(), item_size(&head));
        if !fits(&head) {
            return Err(StoreError::Conflict);
        }
        Ok(head)
    }

    /// Applies `commit` (see the module's documentation).
    pub(crate) async fn write_commit(&self, commit: Commit) -> Result<(), StoreError> {
        let arn =
            commit.execution.as_ref().map(|w| w.record.arn.clone()).or_else(|| {
                commit.branches.iter().find(|b| b.record.id == ROOT).map(|b| b.record.execution_arn.clone())
            });
        let is_root = |b: &&stepwise_engine::ports::BranchWrite| {
            b.record.id == ROOT && Some(&b.record.execution_arn) == arn.as_ref()
        };
        let root = commit.branches.iter().find(is_root);
        let mut others: Vec<Write> = Vec::new();
        for b in commit.branches.iter().filter(|b| !is_root(b)) {
            if b.record.id == ROOT {
                return Err(StoreError::Unavailable("a commit writes the root branches of two executions".into()));
            }
            others.push(branch_put(&self.table, b)?);
        }
        for token in &commit.tokens {
            others.push(put(&self.table, token_item(token)?, None, &[], Item::new())?);
        }
        if commit.execution.is_none() && !commit.events.is_empty() {
            // Events without the counter's guard (the engine always writes
            // the execution with its events): chunks written only if the
            // branches' conditions hold, as before.
            let owner = arn.clone().or_else(|| commit.branches.first().map(|b| b.record.execution_arn.clone()));
            let owner = owner.ok_or_else(|| StoreError::Unavailable("history events without an execution".into()))?;
            for (first, events) in split(&commit.events, CHUNK_LIMIT)? {
                let at = commit.events[0].timestamp;
                others.push(put(&self.table, chunk_item(&owner, first, events, at), None, &[], Item::new())?);
            }
        }
        let Some(arn) = arn.filter(|_| commit.execution.is_some() || root.is_some()) else {
            check_limit(others.len())?;
            return if others.is_empty() { Ok(()) } else { self.transact(others).await.map_err(commit_error) };
        };

        let expected = commit.execution.as_ref().map(|w| w.expected_next_event_id);
        let head = self.head_for(&arn, expected).await?;
        let mut update = HeadUpdate::default();
        update.condition("attribute_exists(pk)", &[], Item::new());
        if let Some(w) = &commit.execution {
            // What is unchanged (the record, status and index keys while it
            // runs) is kept under a condition rather than rewritten.
            for (name, value) in head_item(&w.record)? {
                if name == PK || name == SK {
                    continue;
                }
                if name != NEXT_EVENT_ID && head.get(&name) == Some(&value) {
                    update.keep(&name, value);
                } else {
                    update.set(&name, value);
                }
            }
            let values = Item::from([
                (":expected".to_owned(), n(w.expected_next_event_id)),
                (":running".to_owned(), s("RUNNING")),
            ]);
            update.condition("next_event_id = :expected AND #status = :running", &[("#status", STATUS)], values);
        }
        if let Some(b) = root {
            for (name, value) in root_attributes(&b.record)? {
                update.set(name, value);
            }
            match b.expected_version {
                Some(v) => {
                    let values = Item::from([(":bv".to_owned(), AttributeValue::N(v.to_string()))]);
                    update.condition("branch_version = :bv", &[], values)
                }
                None => update.condition("attribute_not_exists(branch_version)", &[], Item::new()),
            }
        }
        if let Some(first) = commit.events.first().filter(|_| commit.execution.is_some()) {
            // The tail being replaced is committed: keep it as its chunk.
            if let Some(chunk) = tail_chunk(&arn, &head)? {
                self.put_plain(chunk).await?;
            }
            let text = to_json(&commit.events)?;
            let mut after = head.clone();
            update.apply(&mut after);
            if item_size(&after) + text.len() + TAIL.len() + TAIL_FIRST.len() + 12 <= HEAD_LIMIT {
                update.set(TAIL, s(text));
                update.set(TAIL_FIRST, n(first.id));
            } else {
                update.remove(TAIL);
                update.remove(TAIL_FIRST);
                for (first, events) in split(&commit.events, CHUNK_LIMIT)? {
                    let at = commit.events[0].timestamp;
                    others.push(put(&self.table, chunk_item(&arn, first, events, at), None, &[], Item::new())?);
                }
            }
        }
        check_limit(others.len() + 1)?;
        let mut after = head.clone();
        update.apply(&mut after);
        let size = item_size(&head).max(item_size(&after));
        if others.is_empty() {
            self.update_head(&arn, &update).await?;
            self.meter.write(size, 1);
        } else {
            let mut items = vec![update.transact_item(&self.table, key(execution_pk(&arn), HEAD_SK))?];
            let sizes: Vec<usize> = others.iter().map(|w| w.size).collect();
            items.extend(others.into_iter().map(|w| w.put));
            let result = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
            result.map_err(classify).map_err(commit_error)?;
            for bytes in std::iter::once(size).chain(sizes) {
                self.meter.write(bytes, 2);
            }
        }
        if commit.execution.as_ref().is_some_and(|w| w.record.status != ExecutionStatus::Running) {
            // gsi2's key moves (a delete and a put); gsi1's projected record changes.
            let record = after.get(RECORD).and_then(|v| v.as_s().ok()).map_or(0, String::len);
            self.meter.index_write(record + 200, 3);
        }
        self.heads.put(&arn, after, size);
        Ok(())
    }

    /// The conditional UpdateItem of a head; a failed condition is a lost race.
    async fn update_head(&self, arn: &str, update: &HeadUpdate) -> Result<(), StoreError> {
        let (names, values) = update.parts();
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(execution_pk(arn), HEAD_SK)))
            .update_expression(update.expression())
            .condition_expression(update.condition_expression())
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(values)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.into_service_error() {
                UpdateItemError::ConditionalCheckFailedException(_) => Err(StoreError::Conflict),
                other => Err(unavailable(&other)),
            },
        }
    }

    /// An unconditional PutItem of an item whose every writer writes the same.
    pub(crate) async fn put_plain(&self, item: Item) -> Result<(), StoreError> {
        let size = item_size(&item);
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        self.meter.write(size, 1);
        Ok(())
    }
}
