//! Matching the events of one run (inside a Map or Parallel, in any order)
//! with ours: each recorded event with a distinct event of ours.
//!
//! A plain greedy match can go wrong when events differ only by numbered
//! placeholders: two iterations' `TaskFailed` events with `<uuid:1>` and
//! `<uuid:2>` look alike until a later `TaskStateExited` ties a request id to
//! an item. So the match backtracks, within a budget of comparisons, and
//! recorded events identical to their predecessor take candidates in order
//! (their assignments are interchangeable, which keeps duplicates linear).

use super::event_type;
use crate::conformance::compare::{Diff, Matcher};
use crate::conformance::placeholder::Bindings;
use serde_json::Value;

/// How many event comparisons one run may cost before giving up.
const BUDGET: usize = 50_000;

/// Matches `recorded` (normalized, without ids) with `ours` (likewise);
/// `None` when every recorded event found a partner, else why not.
/// `first` is the recorded run's position in the history, for messages.
pub(super) fn match_run(
    matcher: &Matcher<'_>,
    recorded: &[Value],
    first: usize,
    ours: &[Value],
    bindings: &mut Bindings,
) -> Option<String> {
    let mut search = Search {
        matcher,
        recorded,
        ours,
        used: vec![false; ours.len()],
        chosen: Vec::with_capacity(recorded.len()),
        budget: BUDGET,
        stuck: None,
    };
    if search.from(0, bindings) {
        return None;
    }
    let (k, nearest) = search.stuck.unwrap_or((0, None));
    let kind = recorded.get(k).map_or("", event_type);
    let nearest = nearest.map_or_else(|| "none left of that type".to_owned(), |d| d.to_string());
    let budget = if search.budget == 0 { " (search budget exhausted)" } else { "" };
    Some(format!(
        "event #{} ({kind}, inside a Map or Parallel): none of ours matches{budget}; nearest: {nearest}",
        first + k + 1
    ))
}

struct Search<'a, 'm> {
    matcher: &'a Matcher<'m>,
    recorded: &'a [Value],
    ours: &'a [Value],
    used: Vec<bool>,
    chosen: Vec<usize>,
    budget: usize,
    /// The furthest recorded event that found no partner, and the first
    /// difference seen for it.
    stuck: Option<(usize, Option<Diff>)>,
}

impl Search<'_, '_> {
    fn from(&mut self, k: usize, bindings: &mut Bindings) -> bool {
        let Some(want) = self.recorded.get(k) else { return true };
        let kind = event_type(want);
        let start = match k.checked_sub(1) {
            Some(prev) if self.recorded[prev] == *want => self.chosen[prev] + 1,
            _ => 0,
        };
        let mut first_diff = None;
        for o in start..self.ours.len() {
            if self.used[o] || event_type(&self.ours[o]) != kind {
                continue;
            }
            if self.budget == 0 {
                return false;
            }
            self.budget -= 1;
            let saved = bindings.clone();
            match self.matcher.compare(want, &self.ours[o], bindings) {
                Ok(()) => {
                    self.used[o] = true;
                    self.chosen.push(o);
                    if self.from(k + 1, bindings) {
                        return true;
                    }
                    self.chosen.pop();
                    self.used[o] = false;
                    *bindings = saved;
                }
                Err(d) => {
                    first_diff.get_or_insert(d);
                }
            }
        }
        if self.stuck.as_ref().is_none_or(|(at, _)| k >= *at) {
            let keep = self.stuck.take().filter(|(at, d)| *at == k && d.is_some()).and_then(|(_, d)| d);
            self.stuck = Some((k, keep.or(first_diff)));
        }
        false
    }
}
