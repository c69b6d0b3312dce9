//! Compares our history events with a case's `expected.history` (event
//! types) and `history_detail` (whole events), honouring
//! `comparison.history_order`.
//!
//! Three things are checked, each reported as its own reason:
//!
//! 1. **history**: the event types, in order;
//! 2. **history detail**: each event's fields but `id`, `previousEventId`
//!    (and `timestamp`, which the recording has not), placeholders applying
//!    everywhere; checked when the types agree;
//! 3. **history ids**: `id` and `previousEventId`, wherever their order is
//!    meaningful.
//!
//! Order modes. Both lists are cut into top-level events and *runs*: the
//! events between the start of a top-level Map or Parallel
//! (`MapStateStarted`, `ParallelStateStarted`) and its end
//! (`…StateSucceeded`, `…Failed`, `…Aborted`, or the end of the execution).
//!
//! - `exact`: every event in order, ids included.
//! - `interleaving_nondeterministic`: top-level events in order, ids
//!   included; each run as a multiset (same events, any order), ids ignored.
//!   The order *within* a branch or iteration is not checked: AWS's events
//!   carry no branch id, and `previousEventId` links depend on the
//!   interleaving itself.
//! - `parallel_sorted`: the recording's runs are the events whose `id` is
//!   `[0]`, compared as multisets; the recorder also dropped the Parallel's
//!   end event (`ParallelStateSucceeded`/`Failed`, note the gap in the ids),
//!   so ours are left out when the recording has no event of that type.
//!
//! A retried Map (`MapStateStarted` again without a new `MapStateEntered`,
//! `test_map_state_retry`) stays one run; nested Maps and Parallels inside a
//! run stay inside it.

use super::case::{Case, HistoryOrder};
use super::compare::{Matcher, Scope};
use super::placeholder::{Bindings, Tokens};
use super::{Mismatch, MismatchKind, normalize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;

mod runs;

/// Compares our `events` (GetExecutionHistory shape) with the case's
/// recorded history; empty when they agree or nothing was recorded.
pub fn compare(case: &Case, events: &[Value], bindings: &mut Bindings) -> Vec<Mismatch> {
    let expected_types: Vec<String> = match (&case.expected.history, &case.history_detail) {
        (Some(types), _) => types.clone(),
        (None, Some(detail)) => detail.iter().map(|e| event_type(e).to_owned()).collect(),
        (None, None) => return Vec::new(),
    };
    let order = case.comparison.history_order;
    let ours: Vec<Value> = events.iter().map(normalize::event).collect();
    let our_types: Vec<&str> = ours.iter().map(event_type).collect();
    let mut our_top = classify(&our_types, false);
    let mut keep = vec![true; ours.len()];
    if order == HistoryOrder::ParallelSorted {
        for (i, t) in our_types.iter().enumerate() {
            keep[i] = !PARALLEL_ENDS.contains(t) || expected_types.iter().any(|e| e == t);
        }
    }
    let kept: Vec<usize> = (0..ours.len()).filter(|i| keep[*i]).collect();
    let ours: Vec<&Value> = kept.iter().map(|i| &ours[*i]).collect();
    let our_types: Vec<&str> = kept.iter().map(|i| our_types[*i]).collect();
    our_top = kept.iter().map(|i| our_top[*i]).collect();

    let expected_refs: Vec<&str> = expected_types.iter().map(String::as_str).collect();
    let expected_top = match (order, &case.history_detail) {
        (HistoryOrder::Exact, _) => {
            our_top = vec![true; ours.len()];
            vec![true; expected_refs.len()]
        }
        (HistoryOrder::InterleavingNondeterministic, _) => classify(&expected_refs, false),
        (HistoryOrder::ParallelSorted, Some(detail)) if detail.len() == expected_refs.len() => {
            detail.iter().map(|e| !e.get("id").is_some_and(Value::is_array)).collect()
        }
        (HistoryOrder::ParallelSorted, _) => classify(&expected_refs, true),
    };
    let expected_blocks = blocks(&expected_top);
    let our_blocks = blocks(&our_top);
    if let Some(m) = compare_types(&expected_refs, &expected_blocks, &our_types, &our_blocks) {
        return vec![m];
    }
    let Some(detail) = &case.history_detail else {
        return Vec::new();
    };
    if detail.len() != expected_refs.len() {
        let what = format!("the case lists {} event types but {} events", expected_refs.len(), detail.len());
        return vec![Mismatch::new(MismatchKind::HistoryDetail, what)];
    }
    let tokens = Tokens::new(case.comparison.history_placeholders.iter().cloned());
    let matcher = Matcher { tokens: &tokens, scope: Scope::Everywhere };
    compare_details(&matcher, detail, &expected_blocks, &ours, &our_blocks, bindings)
}

const STARTS: [&str; 2] = ["MapStateStarted", "ParallelStateStarted"];
const ENTERS: [&str; 2] = ["MapStateEntered", "ParallelStateEntered"];
const PARALLEL_ENDS: [&str; 3] = ["ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted"];
const MAP_ENDS: [&str; 3] = ["MapStateSucceeded", "MapStateFailed", "MapStateAborted"];
const EXECUTION_ENDS: [&str; 4] = ["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"];

/// Marks each event top-level (`true`) or inside a run. With
/// `exited_closes`, `ParallelStateExited` also ends a run (for recordings
/// whose Parallel end events were dropped).
pub(super) fn classify(types: &[&str], exited_closes: bool) -> Vec<bool> {
    #[derive(PartialEq)]
    enum Outer {
        None,
        Entered,
        Started,
    }
    let mut outer = Outer::None;
    let (mut nested, mut nested_pending) = (0usize, 0usize);
    let mut top = Vec::with_capacity(types.len());
    for t in types {
        let is_end = PARALLEL_ENDS.contains(t) || MAP_ENDS.contains(t);
        if EXECUTION_ENDS.contains(t) {
            (outer, nested, nested_pending) = (Outer::None, 0, 0);
            top.push(true);
            continue;
        }
        if outer != Outer::Started {
            top.push(true);
            if ENTERS.contains(t) {
                outer = Outer::Entered;
            } else if STARTS.contains(t) && outer == Outer::Entered {
                outer = Outer::Started;
            } else if is_end || t.ends_with("StateExited") {
                outer = Outer::None;
            }
            continue;
        }
        let closes = is_end || (exited_closes && *t == "ParallelStateExited");
        if ENTERS.contains(t) {
            nested_pending += 1;
        } else if STARTS.contains(t) && nested_pending > 0 {
            nested_pending -= 1;
            nested += 1;
        } else if closes && nested > 0 {
            nested -= 1;
        } else if closes && nested_pending > 0 {
            nested_pending -= 1;
        } else if closes {
            (outer, nested_pending) = (Outer::None, 0);
            top.push(true);
            continue;
        }
        top.push(false);
    }
    top
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    One(usize),
    Run(Range<usize>),
}

fn blocks(top: &[bool]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < top.len() {
        if top[i] {
            out.push(Block::One(i));
            i += 1;
        } else {
            let start = i;
            while i < top.len() && !top[i] {
                i += 1;
            }
            out.push(Block::Run(start..i));
        }
    }
    out
}

fn compare_types(expected: &[&str], eb: &[Block], ours: &[&str], ob: &[Block]) -> Option<Mismatch> {
    let history = |what: String| Some(Mismatch::new(MismatchKind::History, what));
    for (e, o) in eb.iter().zip(ob) {
        match (e, o) {
            (Block::One(e), Block::One(o)) if expected[*e] != ours[*o] => {
                return history(format!("event #{}: expected {}, got {}", e + 1, expected[*e], ours[*o]));
            }
            (Block::Run(er), Block::Run(or)) => {
                let (missing, extra) = multiset_difference(&expected[er.clone()], &ours[or.clone()]);
                if !missing.is_empty() || !extra.is_empty() {
                    return history(format!(
                        "events #{}-#{} (inside a Map or Parallel, any order): {}",
                        er.start + 1,
                        er.end,
                        describe_difference(&missing, &extra)
                    ));
                }
            }
            (Block::One(e), Block::Run(or)) => {
                return history(format!(
                    "event #{}: expected {}, got {} events inside a Map or Parallel, starting with {}",
                    e + 1,
                    expected[*e],
                    or.len(),
                    ours[or.start]
                ));
            }
            (Block::Run(er), Block::One(o)) => {
                return history(format!(
                    "event #{}: expected {} events inside a Map or Parallel, starting with {}, got {}",
                    er.start + 1,
                    er.len(),
                    expected[er.start],
                    ours[*o]
                ));
            }
            _ => {}
        }
    }
    if eb.len() == ob.len() {
        return None;
    }
    let first = |b: &Block| match b {
        Block::One(i) => *i,
        Block::Run(r) => r.start,
    };
    if eb.len() > ob.len() {
        let from = first(&eb[ob.len()]);
        history(format!(
            "{} events expected, got {}; missing from #{}: {}",
            expected.len(),
            ours.len(),
            from + 1,
            list(&expected[from..])
        ))
    } else {
        let from = first(&ob[eb.len()]);
        history(format!(
            "{} events expected, got {}; extra from #{}: {}",
            expected.len(),
            ours.len(),
            from + 1,
            list(&ours[from..])
        ))
    }
}

/// Event types with how many more (or fewer) there are.
type Counts<'a> = Vec<(&'a str, usize)>;

fn multiset_difference<'a>(expected: &[&'a str], ours: &[&'a str]) -> (Counts<'a>, Counts<'a>) {
    let mut counts: BTreeMap<&str, isize> = BTreeMap::new();
    for t in expected {
        *counts.entry(t).or_default() += 1;
    }
    for t in ours {
        *counts.entry(t).or_default() -= 1;
    }
    let missing = counts.iter().filter(|(_, n)| **n > 0).map(|(t, n)| (*t, n.unsigned_abs())).collect();
    let extra = counts.iter().filter(|(_, n)| **n < 0).map(|(t, n)| (*t, n.unsigned_abs())).collect();
    (missing, extra)
}

fn describe_difference(missing: &[(&str, usize)], extra: &[(&str, usize)]) -> String {
    let part = |items: &[(&str, usize)]| items.iter().map(|(t, n)| format!("{n} × {t}")).collect::<Vec<_>>().join(", ");
    match (missing.is_empty(), extra.is_empty()) {
        (false, false) => format!("missing {}; extra {}", part(missing), part(extra)),
        (false, true) => format!("missing {}", part(missing)),
        _ => format!("extra {}", part(extra)),
    }
}

fn list(types: &[&str]) -> String {
    let shown: Vec<&str> = types.iter().take(4).copied().collect();
    let more = if types.len() > shown.len() { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

fn compare_details(
    matcher: &Matcher<'_>,
    detail: &[Value],
    eb: &[Block],
    ours: &[&Value],
    ob: &[Block],
    bindings: &mut Bindings,
) -> Vec<Mismatch> {
    let strip = |event: &Value| {
        let mut event = event.clone();
        if let Value::Object(map) = &mut event {
            map.shift_remove("id");
            map.shift_remove("previousEventId");
        }
        event
    };
    let our_stripped: Vec<Value> = ours.iter().map(|e| strip(e)).collect();
    let (mut detail_diff, mut id_diff) = (None, None);
    for (e, o) in eb.iter().zip(ob) {
        if detail_diff.is_some() && id_diff.is_some() {
            break;
        }
        match (e, o) {
            (Block::One(e), Block::One(o)) => {
                let recorded = strip(&normalize::expected(&detail[*e]));
                if detail_diff.is_none() {
                    detail_diff = matcher
                        .compare(&recorded, &our_stripped[*o], bindings)
                        .err()
                        .map(|d| format!("event #{} ({}): {d}", e + 1, event_type(&detail[*e])));
                }
                if id_diff.is_none() {
                    id_diff = ["id", "previousEventId"].iter().find_map(|key| {
                        let (want, got) = (detail[*e].get(*key), ours[*o].get(*key));
                        (want != got).then(|| {
                            let show = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), Value::to_string);
                            format!(
                                "event #{} ({}): {key} expected {}, got {}",
                                e + 1,
                                event_type(&detail[*e]),
                                show(want),
                                show(got)
                            )
                        })
                    });
                }
            }
            (Block::Run(er), Block::Run(or)) if detail_diff.is_none() => {
                let recorded: Vec<Value> = detail[er.clone()].iter().map(|e| strip(&normalize::expected(e))).collect();
                detail_diff = runs::match_run(matcher, &recorded, er.start, &our_stripped[or.clone()], bindings);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    out.extend(detail_diff.map(|d| Mismatch::new(MismatchKind::HistoryDetail, d)));
    out.extend(id_diff.map(|d| Mismatch::new(MismatchKind::HistoryIds, d)));
    out
}

pub(super) fn event_type(event: &Value) -> &str {
    event.get("type").and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests;
