//! The table's keys: partition and sort key values for every item kind,
//! index keys, and page tokens (base64 of a `LastEvaluatedKey` in
//! DynamoDB's JSON shape, checked against the listing they page).

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::HashMap;
use stepwise_engine::ports::StoreError;
use stepwise_engine::records::ExecutionStatus;

/// An item: attribute name to value.
pub(crate) type Item = HashMap<String, AttributeValue>;

/// Partition key attribute.
pub(crate) const PK: &str = "pk";
/// Sort key attribute.
pub(crate) const SK: &str = "sk";
/// The index listing state machines by name and executions newest first.
pub(crate) const GSI1: &str = "gsi1";
/// `gsi1`'s partition key attribute.
pub(crate) const GSI1PK: &str = "gsi1pk";
/// `gsi1`'s sort key attribute.
pub(crate) const GSI1SK: &str = "gsi1sk";
/// The index listing a state machine's executions by status, newest first.
pub(crate) const GSI2: &str = "gsi2";
/// `gsi2`'s partition key attribute.
pub(crate) const GSI2PK: &str = "gsi2pk";
/// `gsi2`'s sort key attribute.
pub(crate) const GSI2SK: &str = "gsi2sk";

/// Sort key of a state machine item.
pub(crate) const STATE_MACHINE_SK: &str = "SM";
/// `gsi1pk` shared by every state machine, so one Query lists them by name.
pub(crate) const STATE_MACHINES: &str = "SM";
/// Sort key of an execution's head item (status, counter, small fields).
pub(crate) const HEAD_SK: &str = "X#H";
/// Sort key of an execution's data item (definition and input, written once)
/// when its head names none: the layout before data items had a nonce.
pub(crate) const DATA_SK: &str = "X#D";
/// Prefix shared by the head and data sort keys, so one Query reads both.
pub(crate) const EXECUTION_PREFIX: &str = "X#";
/// Prefix of history event sort keys.
pub(crate) const EVENT_PREFIX: &str = "E#";
/// Prefix of branch sort keys.
pub(crate) const BRANCH_PREFIX: &str = "B#";
/// Sort key of a token item.
pub(crate) const TOKEN_SK: &str = "TK";

/// Partition of a state machine.
pub(crate) fn state_machine_pk(arn: &str) -> String {
    format!("SM#{arn}")
}

/// Partition of an execution: its head, data, branches and history.
pub(crate) fn execution_pk(arn: &str) -> String {
    format!("EX#{arn}")
}

/// Partition of a task token.
pub(crate) fn token_pk(token: &str) -> String {
    format!("TK#{token}")
}

/// Sort key of an execution's data item written by creation attempt `nonce`:
/// each attempt writes its own, before the head that names it.
pub(crate) fn data_sk(nonce: u64) -> String {
    format!("{DATA_SK}#{nonce:016x}")
}

/// Sort key of a branch.
pub(crate) fn branch_sk(id: &str) -> String {
    format!("{BRANCH_PREFIX}{id}")
}

/// Sort key of history event `id`: 20 digits of the id shifted into
/// unsigned range, so string order is numeric order for every i64.
pub(crate) fn event_sk(id: i64) -> String {
    format!("{EVENT_PREFIX}{:020}", (id as u64) ^ (1 << 63))
}

/// `gsi1pk` of a state machine's executions.
pub(crate) fn executions_of(state_machine_arn: &str) -> String {
    format!("SMX#{state_machine_arn}")
}

/// `gsi2pk` of a state machine's executions with `status`.
pub(crate) fn executions_with_status(state_machine_arn: &str, status: ExecutionStatus) -> String {
    format!("SMX#{state_machine_arn}#{}", status.as_str())
}

/// `gsi1sk`/`gsi2sk` of an execution: start date (16 digits) then ARN, so
/// a descending Query lists newest first (ties by ARN, descending).
pub(crate) fn execution_order(start_date: i64, arn: &str) -> String {
    format!("{:016}#{arn}", start_date.max(0))
}

/// A string attribute value.
pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// A number attribute value.
pub(crate) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The key of item (`pk`, `sk`).
pub(crate) fn key(pk: String, sk: impl Into<String>) -> Item {
    HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
}

/// Which listing a page token belongs to: the key attributes DynamoDB puts
/// in its `LastEvaluatedKey`, the partition attribute and value queried,
/// and the prefix every sort key of the listing has.
pub(crate) struct Listing<'a> {
    /// Every attribute of the key (table keys, plus index keys on an index).
    pub attributes: &'a [&'a str],
    /// The partition key attribute of the table or index queried.
    pub partition: &'a str,
    /// Its value.
    pub value: String,
    /// The sort key attribute and the prefix every value in the listing has.
    pub sort_prefix: (&'a str, &'a str),
}

/// The key attributes of `item` for `listing`, as a page token.
pub(crate) fn encode_token(listing: &Listing<'_>, item: &Item) -> Result<String, StoreError> {
    let mut key = serde_json::Map::new();
    for name in listing.attributes {
        let value = item
            .get(*name)
            .and_then(|v| v.as_s().ok())
            .ok_or_else(|| StoreError::Unavailable(format!("a listed item lacks its key attribute {name}")))?;
        key.insert((*name).to_owned(), serde_json::json!({ "S": value }));
    }
    Ok(URL_SAFE_NO_PAD.encode(serde_json::Value::Object(key).to_string()))
}

/// The `ExclusiveStartKey` a token stands for, if `listing` issued it.
pub(crate) fn decode_token(listing: &Listing<'_>, token: &str) -> Result<Item, StoreError> {
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| StoreError::InvalidPageToken)?;
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| StoreError::InvalidPageToken)?;
    if json.len() != listing.attributes.len() {
        return Err(StoreError::InvalidPageToken);
    }
    let mut key = Item::new();
    for name in listing.attributes {
        let value = json
            .get(*name)
            .and_then(|v| v.as_object())
            .filter(|o| o.len() == 1)
            .and_then(|o| o.get("S"))
            .and_then(|v| v.as_str())
            .ok_or(StoreError::InvalidPageToken)?;
        key.insert((*name).to_owned(), s(value));
    }
    let partition = key.get(listing.partition).and_then(|v| v.as_s().ok());
    let (sort, prefix) = listing.sort_prefix;
    let sort = key.get(sort).and_then(|v| v.as_s().ok());
    if partition != Some(&listing.value) || !sort.is_some_and(|v| v.starts_with(prefix)) {
        return Err(StoreError::InvalidPageToken);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_sort_keys_sort_as_their_ids() {
        let ids = [i64::MIN, -5, -1, 0, 1, 2, 9, 10, 99, 100, 12_345, i64::MAX];
        let keys: Vec<String> = ids.iter().map(|id| event_sk(*id)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(event_sk(1), "E#09223372036854775809");
    }

    #[test]
    fn execution_order_sorts_by_start_date_then_arn() {
        let a = execution_order(999, "arn:z");
        let b = execution_order(1_000, "arn:a");
        let c = execution_order(1_000, "arn:b");
        assert!(a < b && b < c);
    }

    fn history(arn: &str) -> Listing<'static> {
        Listing { attributes: &[PK, SK], partition: PK, value: execution_pk(arn), sort_prefix: (SK, EVENT_PREFIX) }
    }

    #[test]
    fn a_token_round_trips_for_its_own_listing_only() {
        let item = key(execution_pk("arn:a"), event_sk(3));
        let token = encode_token(&history("arn:a"), &item).unwrap();
        assert_eq!(decode_token(&history("arn:a"), &token).unwrap(), item);
        assert_eq!(decode_token(&history("arn:b"), &token), Err(StoreError::InvalidPageToken), "another execution");
        let branch = encode_token(&history("arn:a"), &key(execution_pk("arn:a"), branch_sk("0"))).unwrap();
        assert_eq!(decode_token(&history("arn:a"), &branch), Err(StoreError::InvalidPageToken), "not an event key");
    }

    #[test]
    fn malformed_tokens_are_invalid() {
        let listing = history("arn:a");
        for bad in ["", "!!", "AAAA", "eyJwayI6MX0", "e30", "bnVsbA"] {
            assert_eq!(decode_token(&listing, bad), Err(StoreError::InvalidPageToken), "{bad:?}");
        }
    }
}
