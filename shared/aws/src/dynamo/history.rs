//! History as chunks: the events of one commit are stored together, first in
//! the execution head's `tail` (written by the commit's one conditional
//! write) and, once a later commit replaces that tail, as an immutable chunk
//! item `E#<first event id>` in the execution's partition. A chunk is only
//! ever written from a committed tail (or inside the transaction that
//! commits it), so every writer of a chunk key writes the same events and a
//! reader can trust every chunk below the head's tail. Page tokens name the
//! chunk and the event a page ended at
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>).

use super::DynamoStore;
use super::items::*;
use super::keys::*;
use super::read::unavailable;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use stepwise_asl::history::HistoryEvent;
use stepwise_engine::ports::{Page, StoreError};

/// AWS's default and largest page sizes for GetExecutionHistory.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// Where a page ended: the chunk holding its last event, and that event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// First event id of the chunk (or tail) holding `event`.
    pub chunk: i64,
    /// The last event returned.
    pub event: i64,
}

/// A page token for `cursor` in the history of partition `pk`.
pub(crate) fn encode_cursor(pk: &str, cursor: Cursor) -> String {
    let json = serde_json::json!({ "pk": pk, "chunk": cursor.chunk, "event": cursor.event });
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// The cursor of `token`, if it was issued for partition `pk`'s history.
pub(crate) fn decode_cursor(pk: &str, token: &str) -> Result<Cursor, StoreError> {
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| StoreError::InvalidPageToken)?;
    let json: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| StoreError::InvalidPageToken)?;
    let field = |name: &str| json.get(name).and_then(|v| v.as_i64()).ok_or(StoreError::InvalidPageToken);
    if json.len() != 3 || json.get("pk").and_then(|v| v.as_str()) != Some(pk) {
        return Err(StoreError::InvalidPageToken);
    }
    let cursor = Cursor { chunk: field("chunk")?, event: field("event")? };
    if cursor.chunk > cursor.event {
        return Err(StoreError::InvalidPageToken);
    }
    Ok(cursor)
}

/// The committed tail of a head item: its first event id and events.
pub(crate) fn tail_of(head: &Item) -> Result<Option<(i64, Vec<HistoryEvent>)>, StoreError> {
    let (Some(first), Some(text)) = (number_of(head, TAIL_FIRST), head.get(TAIL).and_then(|v| v.as_s().ok())) else {
        return Ok(None);
    };
    let events = serde_json::from_str(text).map_err(|e| corrupt("history tail", e))?;
    Ok(Some((first, events)))
}

/// The chunk item that keeps the committed tail of `head` once a commit
/// replaces it; `None` without a tail.
pub(crate) fn tail_chunk(execution_arn: &str, head: &Item) -> Result<Option<Item>, StoreError> {
    let (Some(first), Some(text)) = (number_of(head, TAIL_FIRST), head.get(TAIL).and_then(|v| v.as_s().ok())) else {
        return Ok(None);
    };
    let at = tail_of(head)?.and_then(|(_, events)| events.first().map(|e| e.timestamp)).unwrap_or_default();
    Ok(Some(chunk_item(execution_arn, first, text.clone(), at)))
}

/// Splits `events` into runs whose JSON stays under `limit` bytes (one
/// event always fits: it holds one payload of at most 256 KiB).
pub(crate) fn split(events: &[HistoryEvent], limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
    let mut chunks = Vec::new();
    let mut run: Vec<&HistoryEvent> = Vec::new();
    let mut bytes = 0;
    for event in events {
        let size = to_json(event)?.len() + 1;
        if !run.is_empty() && bytes + size > limit {
            chunks.push((run[0].id, to_json(&run)?));
            run.clear();
            bytes = 0;
        }
        run.push(event);
        bytes += size;
    }
    if !run.is_empty() {
        chunks.push((run[0].id, to_json(&run)?));
    }
    Ok(chunks)
}

impl DynamoStore {
    /// One page of an execution's history: the head (consistent) gives the
    /// tail and the boundary below which chunks are trusted; chunks are read
    /// from the cursor's chunk on, in order, until the page is full.
    pub(crate) async fn read_history(
        &self,
        execution_arn: &str,
        page: &Page,
        reverse: bool,
    ) -> Result<(Vec<HistoryEvent>, Option<String>), StoreError> {
        let pk = execution_pk(execution_arn);
        let limit = match page.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        let cursor = page.token.as_deref().map(|t| decode_cursor(&pk, t)).transpose()?;
        let Some(head) = self.get_item(pk.clone(), HEAD_SK).await? else {
            return Ok((Vec::new(), None));
        };
        self.heads.put(execution_arn, head.clone(), item_size(&head));
        let tail = tail_of(&head)?;
        let next = number_of(&head, NEXT_EVENT_ID).ok_or_else(|| corrupt("execution head", "no next_event_id"))?;
        let boundary = tail.as_ref().map_or(next, |(first, _)| *first);
        // (chunk, event) in reading order, one more than the page.
        let mut found: Vec<(i64, HistoryEvent)> = Vec::new();
        let wanted = |chunk: i64, e: &HistoryEvent| match cursor {
            None => true,
            Some(c) if reverse => e.id < c.event && chunk <= c.chunk,
            Some(c) => e.id > c.event && chunk >= c.chunk,
        };
        if reverse && let Some((first, events)) = &tail {
            found.extend(events.iter().rev().filter(|e| wanted(*first, e)).map(|e| (*first, e.clone())));
        }
        let (lo, hi) = match (cursor, reverse) {
            (Some(c), false) => (c.chunk, boundary - 1),
            (Some(c), true) => (i64::MIN, c.chunk.min(boundary - 1)),
            (None, _) => (i64::MIN, boundary - 1),
        };
        if lo <= hi && found.len() <= limit {
            self.read_chunks(&pk, (lo, hi), reverse, limit + 1 - found.len(), &mut |chunk, events| {
                let events = events.into_iter().filter(|e| e.id < boundary && wanted(chunk, e));
                if reverse {
                    found.extend(events.rev().map(|e| (chunk, e)));
                } else {
                    found.extend(events.map(|e| (chunk, e)));
                }
                found.len() > limit
            })
            .await?;
        }
        if !reverse
            && found.len() <= limit
            && let Some((first, events)) = &tail
        {
            found.extend(events.iter().filter(|e| wanted(*first, e)).map(|e| (*first, e.clone())));
        }
        if found.len() <= limit {
            return Ok((found.into_iter().map(|(_, e)| e).collect(), None));
        }
        found.truncate(limit);
        let token = found.last().map(|(chunk, e)| encode_cursor(&pk, Cursor { chunk: *chunk, event: e.id }));
        Ok((found.into_iter().map(|(_, e)| e).collect(), token))
    }

    /// Reads the chunks whose first ids are in `range`, in order, handing
    /// each to `take` until it returns true; asks DynamoDB for at most
    /// `want` chunks a request (each holds at least one event).
    async fn read_chunks(
        &self,
        pk: &str,
        range: (i64, i64),
        reverse: bool,
        want: usize,
        take: &mut (dyn FnMut(i64, Vec<HistoryEvent>) -> bool + Send),
    ) -> Result<(), StoreError> {
        let mut start = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .consistent_read(true)
                .key_condition_expression("pk = :p AND sk BETWEEN :lo AND :hi")
                .expression_attribute_values(":p", s(pk))
                .expression_attribute_values(":lo", s(event_sk(range.0)))
                .expression_attribute_values(":hi", s(event_sk(range.1)))
                .scan_index_forward(!reverse)
                .limit(i32::try_from(want).unwrap_or(i32::MAX))
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| unavailable(&e))?;
            let items = output.items.unwrap_or_default();
            self.meter.read(items.iter().map(item_size).sum(), true, 1);
            for item in &items {
                let first = number_of(item, FIRST_EVENT_ID).ok_or_else(|| corrupt("history chunk", "no first id"))?;
                let events: Vec<HistoryEvent> = record_of(item, "history chunk")?;
                if take(first, events) {
                    return Ok(());
                }
            }
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_for_its_own_history_only() {
        let cursor = Cursor { chunk: 3, event: 5 };
        let token = encode_cursor("EX#a", cursor);
        assert_eq!(decode_cursor("EX#a", &token), Ok(cursor));
        assert_eq!(decode_cursor("EX#b", &token), Err(StoreError::InvalidPageToken));
        for bad in ["", "!!", "e30", "bnVsbA"] {
            assert_eq!(decode_cursor("EX#a", bad), Err(StoreError::InvalidPageToken), "{bad:?}");
        }
    }
}
