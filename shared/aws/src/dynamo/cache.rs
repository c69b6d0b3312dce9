//! Execution data items (definition and input) never change once written,
//! so a warm process keeps those it has read or written and afterwards
//! reads only the small head: a step's read then costs what the head
//! weighs, not what the definition does. Bounded by total size; when full
//! it starts over.

use super::keys::Item;
use std::collections::HashMap;
use std::sync::Mutex;

/// The most bytes of data items kept.
const LIMIT_BYTES: usize = 16 << 20;

/// Data items by execution ARN.
#[derive(Debug, Default)]
pub(crate) struct DataCache {
    state: Mutex<(HashMap<String, Item>, usize)>,
}

impl DataCache {
    /// The data item of execution `arn`, if kept.
    pub(crate) fn get(&self, arn: &str) -> Option<Item> {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0.get(arn).cloned()
    }

    /// Keeps the data item of execution `arn`.
    pub(crate) fn put(&self, arn: &str, item: Item, size: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.1 + size > LIMIT_BYTES {
            *state = (HashMap::new(), 0);
        }
        if size <= LIMIT_BYTES && state.0.insert(arn.to_owned(), item).is_none() {
            state.1 += size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamo::keys::s;

    #[test]
    fn kept_items_come_back_until_the_cache_starts_over() {
        let cache = DataCache::default();
        let item = Item::from([("record".to_owned(), s("{}"))]);
        cache.put("a", item.clone(), 10);
        assert_eq!(cache.get("a"), Some(item.clone()));
        assert_eq!(cache.get("b"), None);
        cache.put("big", item.clone(), LIMIT_BYTES);
        assert_eq!(cache.get("a"), None, "full: started over");
        assert_eq!(cache.get("big"), Some(item));
    }
}
