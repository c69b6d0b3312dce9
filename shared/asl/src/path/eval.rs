//! Evaluating parsed paths: selecting values and writing at reference paths.

use super::{CompareOp, Filter, Operand, Segment};
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// Follows names and indexes only; `None` when a step is missing.
pub(super) fn select_definite<'v>(mut value: &'v Value, segments: &[Segment]) -> Option<&'v Value> {
    for segment in segments {
        value = match segment {
            Segment::Child(name) => value.as_object()?.get(name)?,
            Segment::Index(i) => {
                let array = value.as_array()?;
                array.get(resolve_index(*i, array.len())?)?
            }
            _ => return None,
        };
    }
    Some(value)
}

fn resolve_index(i: i64, len: usize) -> Option<usize> {
    if i >= 0 { usize::try_from(i).ok() } else { len.checked_sub(usize::try_from(i.unsigned_abs()).ok()?) }
}

/// Collects every node `segments` reaches from `value` into `out`.
pub(super) fn select_all<'v>(root: &'v Value, value: &'v Value, segments: &[Segment], out: &mut Vec<&'v Value>) {
    let Some((first, rest)) = segments.split_first() else {
        out.push(value);
        return;
    };
    let mut next = Vec::new();
    step(root, value, first, &mut next);
    for v in next {
        select_all(root, v, rest, out);
    }
}

fn step<'v>(root: &'v Value, value: &'v Value, segment: &Segment, out: &mut Vec<&'v Value>) {
    match segment {
        Segment::Child(name) => out.extend(value.as_object().and_then(|o| o.get(name))),
        Segment::Index(i) => {
            if let Some(a) = value.as_array() {
                out.extend(resolve_index(*i, a.len()).and_then(|i| a.get(i)));
            }
        }
        Segment::Wildcard => match value {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(o) => out.extend(o.values()),
            _ => {}
        },
        Segment::Names(names) => {
            if let Some(o) = value.as_object() {
                out.extend(names.iter().filter_map(|n| o.get(n)));
            }
        }
        Segment::Indexes(indexes) => {
            if let Some(a) = value.as_array() {
                out.extend(indexes.iter().filter_map(|i| resolve_index(*i, a.len()).and_then(|i| a.get(i))));
            }
        }
        Segment::Slice(start, end, stride) => {
            if let Some(a) = value.as_array() {
                slice(a, *start, *end, *stride, out);
            }
        }
        Segment::Descendant(inner) => descend(root, value, inner, out),
        Segment::Filter(filter) => {
            let candidates: Vec<&Value> = match value {
                Value::Array(a) => a.iter().collect(),
                Value::Object(_) => vec![value],
                _ => Vec::new(),
            };
            out.extend(candidates.into_iter().filter(|v| test(root, v, filter)));
        }
    }
}

fn slice<'v>(a: &'v [Value], start: Option<i64>, end: Option<i64>, stride: Option<i64>, out: &mut Vec<&'v Value>) {
    let len = i64::try_from(a.len()).unwrap_or(i64::MAX);
    let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let stride = stride.unwrap_or(1);
    if stride <= 0 {
        return;
    }
    let (from, to) = (clamp(start.unwrap_or(0)), clamp(end.unwrap_or(len)));
    let mut i = from;
    while i < to {
        out.extend(usize::try_from(i).ok().and_then(|i| a.get(i)));
        i += stride;
    }
}

fn descend<'v>(root: &'v Value, value: &'v Value, inner: &Segment, out: &mut Vec<&'v Value>) {
    step(root, value, inner, out);
    match value {
        Value::Array(a) => a.iter().for_each(|v| descend(root, v, inner, out)),
        Value::Object(o) => o.values().for_each(|v| descend(root, v, inner, out)),
        _ => {}
    }
}

fn test(root: &Value, current: &Value, filter: &Filter) -> bool {
    match filter {
        Filter::And(a, b) => test(root, current, a) && test(root, current, b),
        Filter::Or(a, b) => test(root, current, a) || test(root, current, b),
        Filter::Not(a) => !test(root, current, a),
        Filter::Exists(operand) => operand_value(root, current, operand).is_some(),
        Filter::Compare(left, op, right) => {
            let (Some(l), Some(r)) = (operand_value(root, current, left), operand_value(root, current, right)) else {
                return false;
            };
            compare(&l, *op, &r)
        }
    }
}

fn operand_value(root: &Value, current: &Value, operand: &Operand) -> Option<Value> {
    let (base, segments) = match operand {
        Operand::Literal(v) => return Some(v.clone()),
        Operand::Current(s) => (current, s),
        Operand::Root(s) => (root, s),
    };
    if segments.iter().all(|s| matches!(s, Segment::Child(_) | Segment::Index(_))) {
        select_definite(base, segments).cloned()
    } else {
        let mut out = Vec::new();
        select_all(root, base, segments, &mut out);
        Some(Value::Array(out.into_iter().cloned().collect()))
    }
}

fn compare(l: &Value, op: CompareOp, r: &Value) -> bool {
    let ordering = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => {
            return match op {
                CompareOp::Eq => l == r,
                CompareOp::Ne => l != r,
                _ => false,
            };
        }
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
    }
}

/// Writes at a reference path, creating objects for missing names.
pub(super) fn write(target: &mut Value, segments: &[Segment], value: Value) -> Result<(), ()> {
    let Some((first, rest)) = segments.split_first() else {
        *target = value;
        return Ok(());
    };
    match first {
        Segment::Child(name) => {
            let object = target.as_object_mut().ok_or(())?;
            if rest.is_empty() {
                object.insert(name.clone(), value);
                return Ok(());
            }
            let slot = object.entry(name.clone()).or_insert_with(|| Value::Object(Map::new()));
            write(slot, rest, value)
        }
        Segment::Index(i) => {
            let array = target.as_array_mut().ok_or(())?;
            let i = resolve_index(*i, array.len()).ok_or(())?;
            let slot = array.get_mut(i).ok_or(())?;
            write(slot, rest, value)
        }
        _ => Err(()),
    }
}

/// Jayway's explanation of why a definite path selected nothing:
/// `Missing property in path $['a']` when a step before the last is
/// missing, `No results for path: $['a']['b']` when only the last is.
pub(super) fn explain_missing(root: &Value, segments: &[Segment]) -> String {
    let mut value = root;
    let mut walked = String::from("$");
    for (i, segment) in segments.iter().enumerate() {
        let next = match segment {
            Segment::Child(name) => {
                walked.push_str(&format!("['{name}']"));
                value.as_object().and_then(|o| o.get(name))
            }
            Segment::Index(n) => {
                walked.push_str(&format!("[{n}]"));
                value.as_array().and_then(|a| resolve_index(*n, a.len()).and_then(|i| a.get(i)))
            }
            _ => None,
        };
        match next {
            Some(v) => value = v,
            None if i + 1 == segments.len() => return format!("No results for path: {walked}"),
            None => return format!("Missing property in path {walked}"),
        }
    }
    format!("No results for path: {walked}")
}
