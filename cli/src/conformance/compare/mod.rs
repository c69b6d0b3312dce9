//! Compares our normalized result with a case's recorded one: status,
//! output, error and cause here, the history in [`super::history`].
//!
//! Values are compared structurally (object key order does not matter, the
//! JSON number kind does: AWS wrote `1.0` or `1`, and we should too). A
//! recorded string may hold placeholder tokens ([`super::placeholder`]):
//! in the output, error and cause only at `placeholder_paths`, in the history
//! everywhere. Besides, anywhere:
//!
//! - a recorded string that is exactly one (unnumbered) token matches any
//!   value: the recorder replaced the whole value (`"Date": "date"` in
//!   `lambda:invoke` headers, `"output": "stateExitedEventDetails.output"`);
//! - a recorded string equal to its own key matches any value: LocalStack's
//!   key-value transformer wrote `"RequestId": "RequestId"` and
//!   `"X-Amzn-Trace-Id": "X-Amzn-Trace-Id"`, listed in no placeholder list;
//! - the values of `lambda:invoke` response headers
//!   (`SdkHttpMetadata.HttpHeaders.*`, `SdkHttpMetadata.AllHttpHeaders.*`)
//!   match any value, as the README says they are placeholders;
//! - where the recorder decoded a value that we hold as JSON text (a few
//!   `assign` cases record `output: [1, 2, 3]` where history texts are kept
//!   raw), our text is decoded before comparing.

use super::case::Case;
use super::placeholder::{self, Bindings, Tokens};
use super::{Mismatch, MismatchKind, history, iso8601, normalize};
use crate::runner::ExecutionReport;
use serde_json::{Map, Number, Value};
use std::collections::{BTreeSet, HashSet};
use std::fmt;

/// Compares our `report` with what `case` expects; empty when it passes.
pub fn compare_report(case: &Case, report: &ExecutionReport) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let mut bindings = Bindings::default();
    let tokens = Tokens::new(case.comparison.placeholders.iter().cloned());
    let paths: BTreeSet<String> = case.comparison.placeholder_paths.iter().cloned().collect();
    let matcher = Matcher { tokens: &tokens, scope: Scope::Paths(&paths) };

    let ours = serde_json::to_value(report.status).ok();
    let ours = ours.as_ref().and_then(Value::as_str).unwrap_or("?");
    if ours != case.expected.status.as_str() {
        out.push(Mismatch::new(
            MismatchKind::Status,
            format!("expected {}, got {ours}", case.expected.status.as_str()),
        ));
    }
    if let Some(expected) = case.expected.output.as_ref().filter(|_| !case.expected.output_masked) {
        let expected = normalize::expected(expected);
        let actual = report.output.as_deref().map(normalize::output_field);
        out.extend(matcher.compare_root(
            MismatchKind::Output,
            "output",
            Some(&expected),
            actual.as_ref(),
            &mut bindings,
        ));
    }
    let error = case.expected.error.clone().map(Value::String);
    let our_error = report.error.as_deref().map(|e| Value::String(iso8601::replace_dates(e).into_owned()));
    out.extend(matcher.compare_root(MismatchKind::Error, "error", error.as_ref(), our_error.as_ref(), &mut bindings));
    let cause = case.expected.cause.as_ref().map(normalize::expected);
    let our_cause = report.cause.as_deref().map(normalize::text_field);
    out.extend(matcher.compare_root(MismatchKind::Cause, "cause", cause.as_ref(), our_cause.as_ref(), &mut bindings));
    out.extend(history::compare(case, &report.events, &mut bindings));
    out
}

/// Where recorded strings may hold placeholder tokens.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// In every string and key (history).
    Everywhere,
    /// At these JSON pointers (`placeholder_paths`; `#key` for keys).
    Paths(&'a BTreeSet<String>),
}

/// Compares recorded values with ours.
#[derive(Debug, Clone, Copy)]
pub struct Matcher<'a> {
    /// The placeholder tokens.
    pub tokens: &'a Tokens,
    /// Where they apply.
    pub scope: Scope<'a>,
}

/// The first difference found, at a JSON pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// Where, as a JSON pointer (`/Payload/0`); empty for the whole value.
    pub path: String,
    /// What differs, with both values shortened.
    pub what: String,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.what) } else { write!(f, "at {}: {}", self.path, self.what) }
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Matcher<'_> {
    /// Compares a top-level field (`output`, `error`, `cause`), either side
    /// possibly absent; bindings are kept only when it matches.
    fn compare_root(
        &self,
        kind: MismatchKind,
        name: &str,
        expected: Option<&Value>,
        actual: Option<&Value>,
        bindings: &mut Bindings,
    ) -> Option<Mismatch> {
        let message = match (expected, actual) {
            (None, None) => return None,
            (Some(e), None) => format!("expected {}, got none", shorten(e)),
            (None, Some(a)) => format!("expected none, got {}", shorten(a)),
            (Some(e), Some(a)) => {
                let mut path = vec![Segment::Key(name.to_owned())];
                let diff = self.attempt(e, a, &mut path, bindings).err()?;
                // Show the path below the field's own name.
                let path = diff.path.strip_prefix(&format!("/{name}")).unwrap_or(&diff.path).to_owned();
                Diff { path, what: diff.what }.to_string()
            }
        };
        Some(Mismatch::new(kind, message))
    }

    /// Compares `expected` (recorded) with `actual` (ours), both normalized;
    /// bindings are kept only when they match.
    pub fn compare(&self, expected: &Value, actual: &Value, bindings: &mut Bindings) -> Result<(), Diff> {
        self.attempt(expected, actual, &mut Vec::new(), bindings)
    }

    fn attempt(&self, e: &Value, a: &Value, path: &mut Vec<Segment>, b: &mut Bindings) -> Result<(), Diff> {
        let saved = b.clone();
        let result = self.value(e, a, path, b);
        if result.is_err() {
            *b = saved;
        }
        result
    }

    fn value(&self, e: &Value, a: &Value, path: &mut Vec<Segment>, b: &mut Bindings) -> Result<(), Diff> {
        if is_header_value(path) {
            return Ok(());
        }
        match (e, a) {
            (Value::String(es), _) => self.string(es, a, path, b),
            (Value::Object(em), Value::Object(am)) => self.object(em, am, path, b),
            (Value::Array(ea), Value::Array(aa)) => {
                for (i, (ev, av)) in ea.iter().zip(aa).enumerate() {
                    path.push(Segment::Index(i));
                    self.value(ev, av, path, b)?;
                    path.pop();
                }
                match ea.len().cmp(&aa.len()) {
                    std::cmp::Ordering::Equal => Ok(()),
                    std::cmp::Ordering::Greater => Err(diff(
                        path,
                        format!("{} items expected, got {}; missing {}", ea.len(), aa.len(), shorten(&ea[aa.len()])),
                    )),
                    std::cmp::Ordering::Less => Err(diff(
                        path,
                        format!("{} items expected, got {}; extra {}", ea.len(), aa.len(), shorten(&aa[ea.len()])),
                    )),
                }
            }
            (Value::Number(en), Value::Number(an)) => numbers(en, an, path),
            (_, Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(decoded) => self.value(e, &decoded, path, b),
                Err(_) => Err(mismatch(path, e, a)),
            },
            _ if e == a => Ok(()),
            _ => Err(mismatch(path, e, a)),
        }
    }

    fn string(&self, es: &str, a: &Value, path: &[Segment], b: &mut Bindings) -> Result<(), Diff> {
        if matches!(path.last(), Some(Segment::Key(k)) if k == es) || self.tokens.is_whole_wildcard(es) {
            return Ok(());
        }
        let Value::String(text) = a else {
            return Err(mismatch(path, &Value::String(es.to_owned()), a));
        };
        let matched = if self.in_scope(&pointer(path)) && self.tokens.occur_in(es) {
            placeholder::matches(self.tokens, es, text, b)
        } else {
            es == text
        };
        if matched { Ok(()) } else { Err(string_diff(path, es, text)) }
    }

    fn object(
        &self,
        em: &Map<String, Value>,
        am: &Map<String, Value>,
        path: &mut Vec<Segment>,
        b: &mut Bindings,
    ) -> Result<(), Diff> {
        let here = pointer(path);
        let is_pattern = |k: &str| self.tokens.occur_in(k) && self.in_scope(&format!("{here}/{}#key", escape(k)));
        let mut used: HashSet<&str> = HashSet::new();
        for (k, ev) in em.iter().filter(|(k, _)| !is_pattern(k)) {
            let Some(av) = am.get(k) else {
                return Err(diff(path, format!("missing key {k:?} (expected {})", shorten(ev))));
            };
            used.insert(k);
            path.push(Segment::Key(k.clone()));
            self.value(ev, av, path, b)?;
            path.pop();
        }
        for (k, ev) in em.iter().filter(|(k, _)| is_pattern(k)) {
            let found = am.iter().find(|(ak, av)| {
                if used.contains(ak.as_str()) {
                    return false;
                }
                let saved = b.clone();
                path.push(Segment::Key((*ak).clone()));
                let ok = placeholder::matches(self.tokens, k, ak, b) && self.value(ev, av, path, b).is_ok();
                path.pop();
                if !ok {
                    *b = saved;
                }
                ok
            });
            match found {
                Some((ak, _)) => {
                    used.insert(ak);
                }
                None => {
                    return Err(diff(path, format!("no key matching {k:?} (expected {})", shorten(ev))));
                }
            }
        }
        match am.iter().find(|(ak, _)| !used.contains(ak.as_str())) {
            Some((ak, av)) => Err(diff(path, format!("unexpected key {ak:?} (got {})", shorten(av)))),
            None => Ok(()),
        }
    }

    fn in_scope(&self, pointer: &str) -> bool {
        match self.scope {
            Scope::Everywhere => true,
            Scope::Paths(paths) => paths.contains(pointer),
        }
    }
}

/// `…/SdkHttpMetadata/HttpHeaders/<name>` or `…/AllHttpHeaders/<name>`: the
/// README says of `lambda:invoke` response metadata that "its header values
/// are placeholders" (`Date`, request ids, and `Content-Length`, which
/// changed when the corpus renamed the functions), so only the header names
/// are compared.
fn is_header_value(path: &[Segment]) -> bool {
    let key = |i: usize| match path.get(i) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    let n = path.len();
    n >= 3 && matches!(key(n - 2), Some("HttpHeaders" | "AllHttpHeaders")) && key(n - 3) == Some("SdkHttpMetadata")
}

fn numbers(e: &Number, a: &Number, path: &[Segment]) -> Result<(), Diff> {
    let same_kind = e.is_f64() == a.is_f64();
    let same = match (e.as_i64(), a.as_i64(), e.as_u64(), a.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => e.as_f64() == a.as_f64(),
    };
    match (same, same_kind) {
        (true, true) => Ok(()),
        (true, false) => Err(diff(path, format!("expected {e}, got {a} (the same number, written differently)"))),
        _ => Err(diff(path, format!("expected {e}, got {a}"))),
    }
}

fn diff(path: &[Segment], what: String) -> Diff {
    Diff { path: pointer(path), what }
}

fn mismatch(path: &[Segment], e: &Value, a: &Value) -> Diff {
    diff(path, format!("expected {}, got {}", shorten(e), shorten(a)))
}

/// Two strings: shows both around the first difference.
fn string_diff(path: &[Segment], e: &str, a: &str) -> Diff {
    let at = e.char_indices().zip(a.chars()).find(|((_, x), y)| x != y).map(|((i, _), _)| i);
    let at = at.unwrap_or_else(|| e.len().min(a.len()));
    diff(path, format!("expected {}, got {}", excerpt(e, at), excerpt(a, at)))
}

const WIDTH: usize = 100;

/// A value as compact JSON, at most about [`WIDTH`] characters.
pub fn shorten(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= WIDTH {
        return text;
    }
    let body: String = text.chars().take(WIDTH).collect();
    format!("{body}…")
}

/// A string as JSON, cut around byte offset `at` when long.
fn excerpt(s: &str, at: usize) -> String {
    if s.chars().count() <= WIDTH {
        return Value::String(s.to_owned()).to_string();
    }
    let start = s.char_indices().map(|(i, _)| i).rfind(|i| *i + 40 <= at).unwrap_or(0);
    let body: String = s[start..].chars().take(WIDTH).collect();
    let more = start + body.len() < s.len();
    format!("{}{}{}", if start > 0 { "…" } else { "" }, Value::String(body), if more { "…" } else { "" })
}

fn pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|s| match s {
            Segment::Key(k) => format!("/{}", escape(k)),
            Segment::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// RFC 6901 escaping of one reference token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests;
