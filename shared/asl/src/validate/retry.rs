//! `Retry` and `Catch` fields
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).

use super::scope::missing_target;
use super::{Diagnostic, Fields, codes};
use crate::error::names;
use crate::model::{Catcher, Retrier, StateId};
use serde_json::Value;
use std::collections::HashMap;

/// AWS's upper bound for IntervalSeconds and MaxAttempts.
const MAX_COUNT: u64 = 99_999_999;
/// MaxDelaySeconds may be at most one year (31,622,400 s).
const MAX_DELAY: u64 = 31_622_400;

fn error_equals(fields: &Fields<'_>, last: bool, d: &mut Vec<Diagnostic>) -> Vec<String> {
    let at = fields.at("ErrorEquals");
    let Some(list) = (if fields.require("ErrorEquals", d) { fields.array("ErrorEquals", d) } else { None }) else {
        return Vec::new();
    };
    if list.is_empty() {
        d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, at.clone(), "ErrorEquals must not be empty"));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        match v {
            Value::String(name) => {
                if name.starts_with("States.") && !names::PREDEFINED.contains(&name.as_str()) {
                    d.push(Diagnostic::error(
                        codes::SCHEMA_VALIDATION_FAILED,
                        format!("{at}[{i}]"),
                        format!("Value is not a valid error name: {name}"),
                    ));
                }
                out.push(name.clone());
            }
            _ => d.push(Diagnostic::error(
                codes::SCHEMA_VALIDATION_FAILED,
                format!("{at}[{i}]"),
                "Expected value of type String",
            )),
        }
    }
    if out.iter().any(|n| n == names::ALL) && (out.len() > 1 || !last) {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            at,
            "States.ALL must appear alone in ErrorEquals, in the last Retrier or Catcher",
        ));
    }
    out
}

fn entries<'a>(fields: &Fields<'a>, field: &str, d: &mut Vec<Diagnostic>) -> Vec<(Fields<'a>, bool)> {
    let Some(list) = fields.array(field, d) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let here = format!("{}[{i}]", fields.at(field));
        match v.as_object() {
            Some(o) => out.push((Fields::new(o, here), i + 1 == list.len())),
            None => d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, here, "Expected value of type Object")),
        }
    }
    out
}

/// Parses `Retry`.
pub(crate) fn retriers(state: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Vec<Retrier> {
    entries(state, "Retry", d)
        .into_iter()
        .map(|(f, last)| {
            f.only(
                &[
                    "ErrorEquals",
                    "IntervalSeconds",
                    "MaxAttempts",
                    "BackoffRate",
                    "MaxDelaySeconds",
                    "JitterStrategy",
                    "Comment",
                ],
                d,
            );
            let jitter = f.string("JitterStrategy", d);
            if let Some(j) = jitter
                && j != "FULL"
                && j != "NONE"
            {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    f.at("JitterStrategy"),
                    "JitterStrategy must be FULL or NONE",
                ));
            }
            Retrier {
                error_equals: error_equals(&f, last, d),
                interval_seconds: f.integer("IntervalSeconds", 1, MAX_COUNT, d).unwrap_or(1),
                max_attempts: f.integer("MaxAttempts", 0, MAX_COUNT, d).unwrap_or(3),
                backoff_rate: f.number("BackoffRate", 1.0, f64::MAX, d).unwrap_or(2.0),
                max_delay_seconds: f.integer("MaxDelaySeconds", 1, MAX_DELAY, d),
                full_jitter: jitter == Some("FULL"),
            }
        })
        .collect()
}

/// Parses `Catch`, resolving each `Next` within the scope.
pub(crate) fn catchers(state: &Fields<'_>, index: &HashMap<&str, StateId>, d: &mut Vec<Diagnostic>) -> Vec<Catcher> {
    let mut out = Vec::new();
    for (f, last) in entries(state, "Catch", d) {
        f.only(&["ErrorEquals", "Next", "ResultPath", "Comment"], d);
        let error_equals = error_equals(&f, last, d);
        let result_path = f.optional_path("ResultPath", true, d);
        let Some(next) = f.required_string("Next", d) else {
            continue;
        };
        match index.get(next) {
            Some(&next) => out.push(Catcher { error_equals, next, result_path }),
            None => d.push(missing_target(next, &f.at("Next"))),
        }
    }
    out
}
