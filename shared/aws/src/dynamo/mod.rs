//! The [`DynamoStore`] is the engine's [`Store`] on one DynamoDB table. The key
//! design, access patterns, item sizes and costs are in the crate's README
//! (the crate documentation's front page).

mod cache;
mod commit;
mod history;
mod items;
mod keys;
mod meter;
mod read;
mod step;

pub use commit::{MAX_TRANSACTION_BYTES, MAX_TRANSACTION_ITEMS};
pub use meter::Capacity;

use self::cache::DataCache;
use self::commit::{Failure, branch_put, check_limit, classify, commit_error, put};
use self::items::*;
use self::keys::*;
use self::meter::Meter;
use self::read::{Query, string, unavailable};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;
use stepwise_asl::history::HistoryEvent;
use stepwise_engine::ports::{Commit, Page, Store, StoreError};
use stepwise_engine::records::{BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, TokenRecord};

/// The store on one DynamoDB table (see [`crate::Bootstrap`] for its schema).
/// Clones share the client, the caches of execution data and heads, and the
/// meter.
#[derive(Debug, Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    meter: Arc<Meter>,
    data: Arc<DataCache>,
    /// Each execution's head as last read or written here: a commit takes
    /// the committed tail it moves to a chunk from it when its counter is
    /// the one the commit expects (a tail is a function of the counter).
    heads: Arc<DataCache>,
}

impl DynamoStore {
    /// The store on `table` through `client`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        DynamoStore { client, table: table.into(), meter: Arc::default(), data: Arc::default(), heads: Arc::default() }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Capacity consumed so far, estimated from item sizes by DynamoDB's
    /// rules (moto does not report it).
    pub fn capacity(&self) -> Capacity {
        self.meter.capacity()
    }

    async fn put_state_machine(&self, record: StateMachineRecord, condition: &str) -> Result<(), PutFailure> {
        let item = state_machine_item(&record).map_err(PutFailure::Store)?;
        let size = item_size(&item);
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .send()
            .await;
        match result {
            Ok(_) => {
                self.meter.write(size, 1);
                self.meter.index_write(size, 1);
                Ok(())
            }
            Err(e) => match e.into_service_error() {
                PutItemError::ConditionalCheckFailedException(_) => Err(PutFailure::Condition),
                other => Err(PutFailure::Store(unavailable(&other))),
            },
        }
    }

    /// A consistent GetItem of (`pk`, `sk`).
    async fn get_item(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        self.meter.read(output.item.as_ref().map_or(0, item_size), true, 1);
        Ok(output.item)
    }

    async fn transact(&self, mut writes: Vec<commit::Write>) -> Result<(), Failure> {
        if writes.len() == 1 {
            // One item needs no transaction: a conditional PutItem is as
            // atomic and costs half the write units (a transactional write
            // is billed twice: "Pricing for On-Demand Capacity",
            // <https://aws.amazon.com/dynamodb/pricing/on-demand/>).
            let write = writes.remove(0);
            return self.put_one(write).await;
        }
        let size: Vec<usize> = writes.iter().map(|w| w.size).collect();
        let items = writes.into_iter().map(|w| w.put).collect();
        self.client.transact_write_items().set_transact_items(Some(items)).send().await.map_err(classify)?;
        for bytes in size {
            self.meter.write(bytes, 2);
        }
        Ok(())
    }
}

impl DynamoStore {
    /// The one `Put` of a commit as a conditional PutItem; a failed
    /// condition is reported as the transaction's would be.
    async fn put_one(&self, write: commit::Write) -> Result<(), Failure> {
        let Some(put) = write.put.put else {
            return Err(Failure::Other("a commit's write is not a Put".into()));
        };
        let result = self
            .client
            .put_item()
            .table_name(put.table_name)
            .set_item(Some(put.item))
            .set_condition_expression(put.condition_expression)
            .set_expression_attribute_names(put.expression_attribute_names)
            .set_expression_attribute_values(put.expression_attribute_values)
            .send()
            .await;
        match result {
            Ok(_) => {
                self.meter.write(write.size, 1);
                Ok(())
            }
            Err(e) => match e.into_service_error() {
                PutItemError::ConditionalCheckFailedException(_) => Err(Failure::Conditions(vec![0])),
                other => Err(Failure::Other(crate::error_text(&other))),
            },
        }
    }
}

/// A number no other creation attempt of `arn` draws: std's per-instance
/// random hash keys, over the ARN and the time.
fn nonce(arn: &str) -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    std::collections::hash_map::RandomState::new().hash_one((arn, now))
}

enum PutFailure {
    Condition,
    Store(StoreError),
}

impl Store for DynamoStore {
    fn max_commit_writes(&self) -> usize {
        MAX_TRANSACTION_ITEMS
    }

    fn max_commit_bytes(&self) -> usize {
        MAX_TRANSACTION_BYTES
    }

    async fn create_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        match self.put_state_machine(record, "attribute_not_exists(pk)").await {
            Ok(()) => Ok(()),
            Err(PutFailure::Condition) => Err(StoreError::AlreadyExists),
            Err(PutFailure::Store(e)) => Err(e),
        }
    }

    async fn update_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        match self.put_state_machine(record, "attribute_exists(pk)").await {
            Ok(()) => Ok(()),
            Err(PutFailure::Condition) => Err(StoreError::NotFound),
            Err(PutFailure::Store(e)) => Err(e),
        }
    }

    async fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>, StoreError> {
        self.get_item(state_machine_pk(arn), STATE_MACHINE_SK)
            .await?
            .map(|item| record_of(&item, "state machine"))
            .transpose()
    }

    async fn delete_state_machine(&self, arn: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(state_machine_pk(arn), STATE_MACHINE_SK)))
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        self.meter.write(0, 1);
        Ok(())
    }

    async fn list_state_machines(&self, page: Page) -> Result<(Vec<StateMachineRecord>, Option<String>), StoreError> {
        let query = Query {
            index: Some(GSI1),
            condition: "gsi1pk = :p",
            values: Item::from([(":p".to_owned(), s(STATE_MACHINES))]),
            listing: Listing {
                attributes: &[PK, SK, GSI1PK, GSI1SK],
                partition: GSI1PK,
                value: STATE_MACHINES.to_owned(),
                sort_prefix: (GSI1SK, ""),
            },
            forward: true,
        };
        let (items, next) = self.query_page(query, &page).await?;
        let records = items.iter().map(|item| record_of(item, "state machine")).collect::<Result<_, _>>()?;
        Ok((records, next))
    }

    async fn create_execution(&self, execution: ExecutionRecord, commit: Commit) -> Result<(), StoreError> {
        // The data item goes first, at a key of this attempt's own: if the
        // head's conditional write then fails, it is an orphan no head
        // names (deleted at once, or by TTL after a crash), never another
        // execution's data.
        let data_key = data_sk(nonce(&execution.arn));
        let data = data_item(&execution, &data_key)?;
        let mut head = head_item(&execution)?;
        head.insert(DATA_REF.to_owned(), s(data_key.clone()));
        let mut rest = Vec::new();
        for b in &commit.branches {
            if b.record.id == stepwise_engine::ROOT && b.record.execution_arn == execution.arn {
                head.extend(root_attributes(&b.record)?.map(|(name, value)| (name.to_owned(), value)));
            } else {
                rest.push(branch_put(&self.table, b)?);
            }
        }
        if let Some(first) = commit.events.first() {
            head.insert(TAIL.to_owned(), s(to_json(&commit.events)?));
            head.insert(TAIL_FIRST.to_owned(), n(first.id));
        }
        for token in &commit.tokens {
            rest.push(put(&self.table, token_item(token)?, None, &[], Item::new())?);
        }
        let mut all = vec![put(&self.table, head.clone(), Some("attribute_not_exists(pk)"), &[], Item::new())?];
        all.extend(rest);
        check_limit(all.len())?;
        let (head_size, data_size) = (all[0].size, item_size(&data));
        self.put_plain(data.clone()).await?;
        match self.transact(all).await {
            Ok(()) => {
                let record = head.get(RECORD).and_then(|v| v.as_s().ok()).map_or(0, String::len);
                self.meter.index_write(record + 200, 2);
                self.data.put(&execution.arn, data, data_size);
                self.heads.put(&execution.arn, head, head_size);
                Ok(())
            }
            Err(failure) => {
                let orphan = self.client.delete_item().table_name(&self.table);
                let _ = orphan.set_key(Some(key(execution_pk(&execution.arn), data_key))).send().await;
                self.meter.write(data_size, 1);
                match failure {
                    Failure::Conditions(failed) if failed.contains(&0) => Err(StoreError::AlreadyExists),
                    failure => Err(commit_error(failure)),
                }
            }
        }
    }

    async fn get_execution(&self, arn: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        if let Some(data) = self.data.get(arn) {
            let Some(head) = self.get_item(execution_pk(arn), HEAD_SK).await? else {
                return Ok(None);
            };
            self.heads.put(arn, head.clone(), item_size(&head));
            return execution_of(&data, &head).map(Some);
        }
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :p AND begins_with(sk, :x)")
            .expression_attribute_values(":p", s(execution_pk(arn)))
            .expression_attribute_values(":x", s(EXECUTION_PREFIX))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        let items = output.items.unwrap_or_default();
        self.meter.read(items.iter().map(item_size).sum(), true, 1);
        let head = items.iter().find(|i| string(i, SK) == HEAD_SK);
        let data = head.and_then(|head| items.iter().find(|i| string(i, SK) == data_sk_of(head)));
        match (head, data) {
            (Some(head), Some(data)) => {
                self.data.put(arn, data.clone(), item_size(data));
                self.heads.put(arn, head.clone(), item_size(head));
                execution_of(data, head).map(Some)
            }
            (None, _) => Ok(None),
            (Some(_), None) => Err(StoreError::Unavailable(format!("execution {arn} has a head but no data item"))),
        }
    }

    async fn list_executions(
        &self,
        state_machine_arn: &str,
        status: Option<ExecutionStatus>,
        page: Page,
    ) -> Result<(Vec<ExecutionRecord>, Option<String>), StoreError> {
        let query = match status {
            None => Query {
                index: Some(GSI1),
                condition: "gsi1pk = :p",
                values: Item::from([(":p".to_owned(), s(executions_of(state_machine_arn)))]),
                listing: Listing {
                    attributes: &[PK, SK, GSI1PK, GSI1SK],
                    partition: GSI1PK,
                    value: executions_of(state_machine_arn),
                    sort_prefix: (SK, HEAD_SK),
                },
                forward: false,
            },
            Some(status) => Query {
                index: Some(GSI2),
                condition: "gsi2pk = :p",
                values: Item::from([(":p".to_owned(), s(executions_with_status(state_machine_arn, status)))]),
                listing: Listing {
                    attributes: &[PK, SK, GSI2PK, GSI2SK],
                    partition: GSI2PK,
                    value: executions_with_status(state_machine_arn, status),
                    sort_prefix: (SK, HEAD_SK),
                },
                forward: false,
            },
        };
        let (heads, next) = self.query_page(query, &page).await?;
        let partitions: Vec<String> = heads.iter().map(|h| string(h, PK)).collect();
        let heads = self.batch_get(partitions.iter().map(|pk| key(pk.clone(), HEAD_SK)).collect()).await?;
        // Data items never change: those kept here are not read again.
        let mut data: HashMap<String, Item> = HashMap::new();
        let mut missing = Vec::new();
        for pk in &partitions {
            let Some(head) = heads.get(&(pk.clone(), HEAD_SK.to_owned())) else { continue };
            let arn = pk.strip_prefix("EX#").unwrap_or(pk);
            match self.data.get(arn) {
                Some(item) => _ = data.insert(pk.clone(), item),
                None => missing.push(key(pk.clone(), data_sk_of(head))),
            }
        }
        for ((pk, _), item) in self.batch_get(missing).await? {
            data.insert(pk, item);
        }
        let mut records = Vec::with_capacity(partitions.len());
        for pk in partitions {
            let head = heads.get(&(pk.clone(), HEAD_SK.to_owned()));
            let data = data.get(&pk);
            // An execution the index lists but the table no longer has
            // (expired between the two reads) is left out.
            if let (Some(head), Some(data)) = (head, data) {
                records.push(execution_of(data, head)?);
            }
        }
        Ok((records, next))
    }

    async fn history(
        &self,
        execution_arn: &str,
        page: Page,
        reverse: bool,
    ) -> Result<(Vec<HistoryEvent>, Option<String>), StoreError> {
        self.read_history(execution_arn, &page, reverse).await
    }

    async fn get_branch(&self, execution_arn: &str, id: &str) -> Result<Option<BranchRecord>, StoreError> {
        if id == stepwise_engine::ROOT {
            // The root branch lives in the execution's head.
            let Some(head) = self.get_item(execution_pk(execution_arn), HEAD_SK).await? else {
                return Ok(None);
            };
            self.heads.put(execution_arn, head.clone(), item_size(&head));
            return root_of(&head);
        }
        self.get_item(execution_pk(execution_arn), &branch_sk(id))
            .await?
            .map(|item| record_of(&item, "branch"))
            .transpose()
    }

    async fn commit(&self, commit: Commit) -> Result<(), StoreError> {
        self.write_commit(commit).await
    }

    async fn get_token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.get_item(token_pk(token), TOKEN_SK).await?.map(|item| token_of(&item)).transpose()
    }

    async fn heartbeat(&self, token: &str, at: i64) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(token_pk(token), TOKEN_SK)))
            .update_expression("SET heartbeat_at = :at")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", n(at))
            .send()
            .await;
        match result {
            Ok(_) => {
                self.meter.write(1024, 1);
                Ok(())
            }
            Err(e) => match e.into_service_error() {
                UpdateItemError::ConditionalCheckFailedException(_) => Err(StoreError::NotFound),
                other => Err(unavailable(&other)),
            },
        }
    }
}
