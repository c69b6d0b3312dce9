//! Reads: paged Queries on the table or an index, and batched gets with
//! their unprocessed keys retried
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html>,
//! `API_BatchGetItem.html`).

use super::DynamoStore;
use super::keys::*;
use aws_sdk_dynamodb::types::KeysAndAttributes;
use std::collections::HashMap;
use std::time::Duration;
use stepwise_engine::ports::{Page, StoreError};

/// AWS's default and largest page sizes for the Step Functions list APIs.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
/// BatchGetItem's limit on keys per request.
const BATCH_KEYS: usize = 100;
/// How often unprocessed keys are asked for again before giving up.
const BATCH_ATTEMPTS: u32 = 8;

/// A Query: the table or an index, the key condition and its values, and
/// the listing its page tokens belong to.
pub(crate) struct Query<'a> {
    pub index: Option<&'a str>,
    pub condition: &'a str,
    pub values: Item,
    pub listing: Listing<'a>,
    pub forward: bool,
}

pub(crate) fn unavailable(error: &(dyn std::error::Error + 'static)) -> StoreError {
    StoreError::Unavailable(crate::error_text(error))
}

impl DynamoStore {
    /// One page of `query`: at most `page.limit` items after `page.token`,
    /// and a token only when more items follow (one item more is read to
    /// know), so the last page is never empty.
    pub(crate) async fn query_page(
        &self,
        query: Query<'_>,
        page: &Page,
    ) -> Result<(Vec<Item>, Option<String>), StoreError> {
        let limit = match page.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let mut start = page.token.as_deref().map(|t| decode_token(&query.listing, t)).transpose()?;
        let mut items: Vec<Item> = Vec::new();
        loop {
            let want = limit + 1 - items.len();
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(query.index.map(str::to_owned))
                // Index reads are eventually consistent; DynamoDB refuses
                // consistent reads on global secondary indexes.
                .consistent_read(query.index.is_none())
                .key_condition_expression(query.condition)
                .set_expression_attribute_values(Some(query.values.clone()))
                .scan_index_forward(query.forward)
                .limit(i32::try_from(want).unwrap_or(i32::MAX))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| unavailable(&e))?;
            let got = output.items.unwrap_or_default();
            self.meter.read(got.iter().map(super::items::item_size).sum(), query.index.is_none(), 1);
            items.extend(got);
            match output.last_evaluated_key {
                Some(key) if items.len() <= limit => start = Some(key),
                _ => break,
            }
        }
        if items.len() <= limit {
            return Ok((items, None));
        }
        items.truncate(limit);
        let token = items.last().map(|last| encode_token(&query.listing, last)).transpose()?;
        Ok((items, token))
    }

    /// The items at `keys` (consistent reads), by (pk, sk); missing ones
    /// are absent from the map.
    pub(crate) async fn batch_get(&self, keys: Vec<Item>) -> Result<HashMap<(String, String), Item>, StoreError> {
        let mut found = HashMap::new();
        for chunk in keys.chunks(BATCH_KEYS) {
            let mut pending = chunk.to_vec();
            for attempt in 0.. {
                if pending.is_empty() {
                    break;
                }
                if attempt == BATCH_ATTEMPTS {
                    return Err(StoreError::Unavailable(format!("{} keys stayed unprocessed", pending.len())));
                }
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(25 << attempt)).await;
                }
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(|e| unavailable(&e))?;
                for item in output.responses.unwrap_or_default().remove(&self.table).unwrap_or_default() {
                    self.meter.read(super::items::item_size(&item), true, 1);
                    let key = (string(&item, PK), string(&item, SK));
                    found.insert(key, item);
                }
                pending =
                    output.unprocessed_keys.unwrap_or_default().remove(&self.table).map(|k| k.keys).unwrap_or_default();
            }
        }
        Ok(found)
    }
}

/// A string attribute, or empty.
pub(crate) fn string(item: &Item, name: &str) -> String {
    item.get(name).and_then(|v| v.as_s().ok()).cloned().unwrap_or_default()
}
