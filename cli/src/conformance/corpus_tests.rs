//! Every recorded case must compare equal with its own recording re-encoded
//! the way AWS's API returns it (JSON text fields, timestamps, real ids,
//! Parallel end events, interleavings shuffled): a check of normalization and
//! comparison against all 729 recordings, independent of the interpreter.
//!
//! The corpus is read where `STEPWISE_CONFORMANCE_CASES` points, by default
//! `shared/conformance/cases` next to the repository; the test says so and
//! passes when it is absent.

use super::case::{HistoryOrder, Status};
use super::compare::compare_report;
use super::discover::{self, Found};
use crate::runner::{ExecutionReport, ExecutionStatus};
use serde_json::{Value, json};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("STEPWISE_CONFORMANCE_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/cases"));
    dir.is_dir().then_some(dir)
}

#[test]
fn every_recording_matches_itself_in_api_shape() {
    let Some(dir) = corpus() else {
        eprintln!("conformance corpus not found; set STEPWISE_CONFORMANCE_CASES");
        return;
    };
    let found = discover::load(&[dir]).expect("corpus readable");
    assert!(found.len() >= 700, "only {} cases found", found.len());
    let mut failures = Vec::new();
    for f in &found {
        let case = match f {
            Found::Case(case) => case,
            Found::Bad { error, .. } => {
                failures.push(error.to_string());
                continue;
            }
        };
        let report = ExecutionReport {
            status: match case.expected.status {
                Status::Succeeded => ExecutionStatus::Succeeded,
                Status::Failed => ExecutionStatus::Failed,
                Status::TimedOut => ExecutionStatus::TimedOut,
                Status::Aborted => ExecutionStatus::Aborted,
            },
            output: case.expected.output.as_ref().map(Value::to_string),
            error: case.expected.error.clone(),
            cause: case.expected.cause.as_ref().map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned)),
            events: api_events(case.history_detail.as_deref().unwrap_or(&[]), case.comparison.history_order),
        };
        let mismatches = compare_report(case, &report);
        if !mismatches.is_empty() {
            failures.push(format!("{}: {}", case.name, mismatches[0]));
        }
        // And the comparison is not vacuous: a lost event or a changed output is seen.
        let mut short = report.clone();
        if short.events.pop().is_some() && compare_report(case, &short).is_empty() {
            failures.push(format!("{}: a missing last event went unnoticed", case.name));
        }
        let mut changed = report.clone();
        if case.expected.output.is_some() && !case.expected.output_masked {
            changed.output = Some("{\"changed\":true}".to_owned());
            if compare_report(case, &changed).is_empty() {
                failures.push(format!("{}: a changed output went unnoticed", case.name));
            }
        }
    }
    assert!(failures.is_empty(), "{} cases differ from themselves:\n{}", failures.len(), failures.join("\n"));
}

/// The recorded events as GetExecutionHistory returns them.
fn api_events(detail: &[Value], order: HistoryOrder) -> Vec<Value> {
    let mut events: Vec<Value> = detail.iter().map(api_event).collect();
    if order == HistoryOrder::ParallelSorted {
        // Give the sorted events real ids and put back the end event the recorder dropped.
        let mut out: Vec<Value> = Vec::new();
        let mut next_id = 0;
        for mut e in events {
            if e["id"].is_array() {
                next_id += 1;
                e["id"] = json!(next_id);
            } else {
                let id = e["id"].as_u64().unwrap_or(0);
                if e["type"] == "ParallelStateExited" && id > next_id + 1 {
                    out.push(json!({"timestamp": "2024-01-01T00:00:00Z", "type": "ParallelStateSucceeded",
                        "id": id - 1, "previousEventId": next_id}));
                }
                next_id = id;
            }
            out.push(e);
        }
        events = out;
    }
    if order == HistoryOrder::InterleavingNondeterministic {
        // Another interleaving: runs of inner events reversed.
        let types: Vec<&str> = detail.iter().map(|e| e["type"].as_str().unwrap_or("")).collect();
        let top = super::history::classify(&types, false);
        let mut i = 0;
        while i < events.len() {
            let start = i;
            while i < events.len() && !top[i] {
                i += 1;
            }
            // Reversing a nested Map or Parallel would put its end before its start.
            let structural =
                |t: &&str| ["MapState", "ParallelState"].iter().any(|p| t.starts_with(p)) && !t.ends_with("Exited");
            if !types[start..i].iter().any(structural) {
                events[start..i].reverse();
            }
            i = i.max(start + 1);
        }
    }
    events
}

fn api_event(recorded: &Value) -> Value {
    let mut event = recorded.clone();
    let Value::Object(map) = &mut event else {
        return event;
    };
    map.insert("timestamp".to_owned(), json!("2024-05-01T10:00:00.123Z"));
    for (key, details) in map.iter_mut() {
        let Value::Object(details) = details else {
            continue;
        };
        if !key.ends_with("EventDetails") {
            continue;
        }
        for (field, value) in details.iter_mut() {
            match field.as_str() {
                "input" | "output" | "cause" | "parameters" => to_text(value),
                "assignedVariables" => value.as_object_mut().into_iter().flat_map(|m| m.values_mut()).for_each(to_text),
                _ => {}
            }
        }
    }
    event
}

fn to_text(value: &mut Value) {
    if !value.is_string() {
        *value = Value::String(value.to_string());
    }
}
