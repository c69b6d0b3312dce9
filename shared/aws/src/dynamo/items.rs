//! Records to items and back. Each record is JSON text in the `record`
//! attribute, beside the attributes that keys, indexes, conditions and TTL
//! need. An execution is two items: its head (everything but the definition
//! and input, rewritten by each step) and its data (definition and input,
//! written once), so a step's write costs what the small head weighs.

use super::keys::*;
use aws_sdk_dynamodb::types::AttributeValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use stepwise_engine::ports::StoreError;
use stepwise_engine::records::{BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, TokenRecord};

/// The JSON record.
pub(crate) const RECORD: &str = "record";
/// An execution head's history counter, for the commit condition.
pub(crate) const NEXT_EVENT_ID: &str = "next_event_id";
/// An execution head's status, for the commit condition.
pub(crate) const STATUS: &str = "status";
/// A branch's version, for the commit condition.
pub(crate) const VERSION: &str = "version";
/// A token's last heartbeat (updated in place by SendTaskHeartbeat).
pub(crate) const HEARTBEAT_AT: &str = "heartbeat_at";
/// The sort key of the data item an execution head goes with.
pub(crate) const DATA_REF: &str = "data";
/// An execution head's root branch (branch `0`), JSON: a top-level step
/// rewrites only the head.
pub(crate) const BRANCH: &str = "branch";
/// The root branch's version, for the commit condition.
pub(crate) const BRANCH_VERSION: &str = "branch_version";
/// An execution head's latest commit's history events, a JSON array.
pub(crate) const TAIL: &str = "tail";
/// The id of the tail's first event.
pub(crate) const TAIL_FIRST: &str = "tail_first";
/// A history chunk's first event id.
pub(crate) const FIRST_EVENT_ID: &str = "first";
/// Expiry, epoch seconds; the table's TTL attribute.
pub(crate) const TTL: &str = "ttl";

/// How long an ended execution stays readable, as on AWS: 90 days.
pub(crate) const RETENTION_SECS: i64 = 90 * 24 * 3600;
/// The longest a Standard execution (and so any of its tasks) may run: a year.
pub(crate) const MAX_RUN_SECS: i64 = 365 * 24 * 3600;

/// The fields kept in an execution's data item; all others are in its head.
const DATA_FIELDS: [&str; 2] = ["definition", "input"];

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Unavailable(format!("record does not serialize: {e}")))
}

pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("stored {what} is unreadable: {e}"))
}

/// Expiry for an item written at `at_ms` that must outlive its execution.
fn expires_after_run(at_ms: i64) -> AttributeValue {
    n(at_ms / 1000 + MAX_RUN_SECS + RETENTION_SECS)
}

/// The record in an item's `record` attribute.
pub(crate) fn record_of<T: DeserializeOwned>(item: &Item, what: &str) -> Result<T, StoreError> {
    let text = item.get(RECORD).and_then(|v| v.as_s().ok()).ok_or_else(|| corrupt(what, "no record attribute"))?;
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

/// A number attribute.
pub(crate) fn number_of(item: &Item, name: &str) -> Option<i64> {
    item.get(name).and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok())
}

/// A state machine item, listed by name in `gsi1`.
pub(crate) fn state_machine_item(record: &StateMachineRecord) -> Result<Item, StoreError> {
    let mut item = key(state_machine_pk(&record.arn), STATE_MACHINE_SK);
    item.insert(GSI1PK.to_owned(), s(STATE_MACHINES));
    item.insert(GSI1SK.to_owned(), s(&record.name));
    item.insert(RECORD.to_owned(), s(to_json(record)?));
    Ok(item)
}

/// An execution's data item at sort key `sk`, written once when it starts.
pub(crate) fn data_item(record: &ExecutionRecord, sk: &str) -> Result<Item, StoreError> {
    let mut data = Map::new();
    data.insert("definition".to_owned(), Value::String(record.definition.clone()));
    data.insert("input".to_owned(), Value::String(record.input.clone()));
    let mut item = key(execution_pk(&record.arn), sk);
    item.insert(RECORD.to_owned(), s(Value::Object(data).to_string()));
    item.insert(TTL.to_owned(), expires_after_run(record.start_date));
    Ok(item)
}

/// An execution's head item: listed newest first in `gsi1` and by status in
/// `gsi2`, and expiring 90 days after it ends.
pub(crate) fn head_item(record: &ExecutionRecord) -> Result<Item, StoreError> {
    let Value::Object(mut head) = serde_json::to_value(record).map_err(|e| corrupt("execution", e))? else {
        return Err(corrupt("execution", "not an object"));
    };
    for field in DATA_FIELDS {
        head.remove(field);
    }
    head.remove(NEXT_EVENT_ID);
    let order = execution_order(record.start_date, &record.arn);
    let mut item = key(execution_pk(&record.arn), HEAD_SK);
    item.insert(RECORD.to_owned(), s(Value::Object(head).to_string()));
    item.insert(NEXT_EVENT_ID.to_owned(), n(record.next_event_id));
    item.insert(STATUS.to_owned(), s(record.status.as_str()));
    item.insert(GSI1PK.to_owned(), s(executions_of(&record.state_machine_arn)));
    item.insert(GSI1SK.to_owned(), s(order.clone()));
    item.insert(GSI2PK.to_owned(), s(executions_with_status(&record.state_machine_arn, record.status)));
    item.insert(GSI2SK.to_owned(), s(order));
    if record.status != ExecutionStatus::Running {
        let stop = record.stop_date.unwrap_or(record.start_date);
        item.insert(TTL.to_owned(), n(stop / 1000 + RETENTION_SECS));
    }
    Ok(item)
}

/// The sort key of the data item `head` goes with.
pub(crate) fn data_sk_of(head: &Item) -> String {
    head.get(DATA_REF).and_then(|v| v.as_s().ok()).cloned().unwrap_or_else(|| DATA_SK.to_owned())
}

/// The execution stored in its data and head items.
pub(crate) fn execution_of(data: &Item, head: &Item) -> Result<ExecutionRecord, StoreError> {
    let Value::Object(mut record) = record_of::<Value>(head, "execution head")? else {
        return Err(corrupt("execution head", "not an object"));
    };
    let Value::Object(data) = record_of::<Value>(data, "execution data")? else {
        return Err(corrupt("execution data", "not an object"));
    };
    record.extend(data);
    let next = number_of(head, NEXT_EVENT_ID).ok_or_else(|| corrupt("execution head", "no next_event_id"))?;
    record.insert(NEXT_EVENT_ID.to_owned(), Value::from(next));
    serde_json::from_value(Value::Object(record)).map_err(|e| corrupt("execution", e))
}

/// A branch item, with its version for conditional writes.
pub(crate) fn branch_item(record: &BranchRecord) -> Result<Item, StoreError> {
    let mut item = key(execution_pk(&record.execution_arn), branch_sk(&record.id));
    item.insert(RECORD.to_owned(), s(to_json(record)?));
    item.insert(VERSION.to_owned(), AttributeValue::N(record.version.to_string()));
    item.insert(TTL.to_owned(), expires_after_run(record.committed_at));
    Ok(item)
}

/// A history chunk in its execution's partition: the events of one commit
/// (`events`, a JSON array) from id `first` on, written at `at_ms`.
pub(crate) fn chunk_item(execution_arn: &str, first: i64, events: String, at_ms: i64) -> Item {
    let mut item = key(execution_pk(execution_arn), event_sk(first));
    item.insert(RECORD.to_owned(), s(events));
    item.insert(FIRST_EVENT_ID.to_owned(), n(first));
    item.insert(TTL.to_owned(), expires_after_run(at_ms));
    item
}

/// The root branch's attributes in its execution's head.
pub(crate) fn root_attributes(record: &BranchRecord) -> Result<[(&'static str, AttributeValue); 2], StoreError> {
    Ok([(BRANCH, s(to_json(record)?)), (BRANCH_VERSION, AttributeValue::N(record.version.to_string()))])
}

/// The root branch kept in an execution's head.
pub(crate) fn root_of(head: &Item) -> Result<Option<BranchRecord>, StoreError> {
    head.get(BRANCH)
        .and_then(|v| v.as_s().ok())
        .map(|text| serde_json::from_str(text).map_err(|e| corrupt("root branch", e)))
        .transpose()
}

/// A task token item, expiring when no task could still wait on it.
pub(crate) fn token_item(record: &TokenRecord) -> Result<Item, StoreError> {
    let mut item = key(token_pk(&record.token), TOKEN_SK);
    item.insert(RECORD.to_owned(), s(to_json(record)?));
    item.insert(HEARTBEAT_AT.to_owned(), n(record.heartbeat_at));
    item.insert(TTL.to_owned(), n(record.heartbeat_at / 1000 + MAX_RUN_SECS));
    Ok(item)
}

/// The token stored in an item, with its latest heartbeat.
pub(crate) fn token_of(item: &Item) -> Result<TokenRecord, StoreError> {
    let mut record: TokenRecord = record_of(item, "token")?;
    if let Some(at) = number_of(item, HEARTBEAT_AT) {
        record.heartbeat_at = at;
    }
    Ok(record)
}

/// An item's size as DynamoDB bills it: attribute names plus values
/// (strings in UTF-8 bytes, numbers about one byte per two digits plus one;
/// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html>).
pub(crate) fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| {
            name.len()
                + match value {
                    AttributeValue::S(v) => v.len(),
                    AttributeValue::N(v) => v.len().div_ceil(2) + 1,
                    _ => 1,
                }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_engine::contract;

    #[test]
    fn an_execution_splits_into_head_and_data_and_joins_back() {
        let sm = contract::state_machine("Split");
        let mut record = contract::execution(&sm, "x", 1_700_000_000_000);
        record.next_event_id = 42;
        let (data, head) = (data_item(&record, DATA_SK).unwrap(), head_item(&record).unwrap());
        assert!(!head[RECORD].as_s().unwrap().contains("definition"), "the head leaves the definition out");
        assert_eq!(execution_of(&data, &head).unwrap(), record);
        assert!(!head.contains_key(TTL), "a running execution does not expire");
        record.status = ExecutionStatus::Succeeded;
        record.stop_date = Some(1_700_000_100_000);
        let head = head_item(&record).unwrap();
        assert_eq!(number_of(&head, TTL), Some(1_700_000_100 + RETENTION_SECS), "ended: kept 90 days");
        assert_eq!(head[GSI2PK].as_s().unwrap(), &format!("SMX#{}#SUCCEEDED", sm.arn));
    }

    #[test]
    fn a_token_reads_back_with_its_latest_heartbeat() {
        let token = contract::token("abc", "arn:x", "0", 3);
        let mut item = token_item(&token).unwrap();
        assert_eq!(token_of(&item).unwrap(), token);
        item.insert(HEARTBEAT_AT.to_owned(), n(5));
        assert_eq!(token_of(&item).unwrap().heartbeat_at, 5);
    }

    #[test]
    fn item_size_counts_names_and_utf8_bytes() {
        let item = Item::from([("ab".to_owned(), s("é")), ("n".to_owned(), n(12345))]);
        assert_eq!(item_size(&item), 2 + 2 + 1 + 3 + 1);
    }
}
