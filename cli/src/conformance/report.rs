//! What `stepwise test` prints and writes: each case's outcome, the failing
//! cases with their reasons, a table per category, the closing count line,
//! and JSON-lines records.
//!
//! A known-failures file lists cases expected to fail, one per line, as
//! `name` or `name  # reason`; blank lines and lines starting with `#` are
//! ignored. A listed case that fails is a *known failure* and does not fail
//! the run; a listed case that passes does (remove it from the list, so the
//! list only shrinks).

use super::Mismatch;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It matched AWS.
    Passed,
    /// It did not, and is not listed as a known failure.
    Failed,
    /// It did not, as the known-failures list says.
    KnownFailure,
    /// It is listed as a known failure but passed.
    UnexpectedPass,
    /// It was not run (`--skip-tag`).
    Skipped,
}

/// One case's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The case name.
    pub name: String,
    /// Its category.
    pub category: String,
    /// The case file.
    pub path: PathBuf,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it failed, or why it was skipped; empty when it passed.
    pub reasons: Vec<String>,
}

impl Record {
    /// A record for a case that ran, given its mismatches and the
    /// known-failures list.
    pub fn ran(
        name: String,
        category: String,
        path: PathBuf,
        mismatches: &[Mismatch],
        known: &KnownFailures,
    ) -> Record {
        let listed = known.reason(&name);
        let outcome = match (mismatches.is_empty(), listed.is_some()) {
            (true, false) => Outcome::Passed,
            (true, true) => Outcome::UnexpectedPass,
            (false, false) => Outcome::Failed,
            (false, true) => Outcome::KnownFailure,
        };
        let mut reasons: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
        if outcome == Outcome::UnexpectedPass {
            let why = listed.filter(|r| !r.is_empty()).map_or_else(String::new, |r| format!(" ({r})"));
            reasons.push(format!("listed as a known failure{why} but passed: remove it from the list"));
        }
        Record { name, category, path, outcome, reasons }
    }

    /// True when the comparison passed (skipped cases did not pass).
    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Passed | Outcome::UnexpectedPass)
    }

    /// True when this record makes the run fail.
    pub fn fails_run(&self) -> bool {
        matches!(self.outcome, Outcome::Failed | Outcome::UnexpectedPass)
    }

    /// The reasons on one line, if any.
    pub fn reason(&self) -> Option<String> {
        (!self.reasons.is_empty()).then(|| self.reasons.join("; "))
    }

    /// The JSON-lines record: `name`, `category`, `passed`, `reason` (null
    /// when it passed), plus `outcome` and `path`.
    pub fn json_line(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            name: &'a str,
            category: &'a str,
            passed: bool,
            reason: Option<String>,
            outcome: Outcome,
            path: String,
        }
        let line = Line {
            name: &self.name,
            category: &self.category,
            passed: self.passed(),
            reason: self.reason(),
            outcome: self.outcome,
            path: self.path.display().to_string(),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

/// The known-failures list: case name → reason (possibly empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownFailures {
    cases: BTreeMap<String, String>,
}

impl KnownFailures {
    /// Parses the list (see the module docs).
    pub fn parse(text: &str) -> KnownFailures {
        let cases = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| match line.split_once('#') {
                Some((name, reason)) => (name.trim().to_owned(), reason.trim().to_owned()),
                None => (line.to_owned(), String::new()),
            })
            .collect();
        KnownFailures { cases }
    }

    /// The reason a case is listed, if it is.
    pub fn reason(&self, name: &str) -> Option<&str> {
        self.cases.get(name).map(String::as_str)
    }

    /// Listed names for which `seen` is false.
    pub fn unmatched<'a>(&'a self, seen: impl Fn(&str) -> bool + 'a) -> impl Iterator<Item = &'a str> + 'a {
        self.cases.keys().map(String::as_str).filter(move |name| !seen(name))
    }
}

/// The failing cases (those that fail the run), each with its file and
/// reasons, one reason per line.
pub fn failures(records: &[Record]) -> String {
    let mut out = String::new();
    for r in records.iter().filter(|r| r.fails_run()) {
        let label = if r.outcome == Outcome::UnexpectedPass { "FIXED" } else { "FAIL" };
        let _ = writeln!(out, "{label} {} [{}]", r.name, r.category);
        let _ = writeln!(out, "  {}", r.path.display());
        for reason in &r.reasons {
            let _ = writeln!(out, "  {reason}");
        }
    }
    out
}

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
    known: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Passed | Outcome::UnexpectedPass => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::KnownFailure => {
                self.failed += 1;
                self.known += 1;
            }
            Outcome::Skipped => self.skipped += 1,
        }
    }
}

/// Passed and failed cases per category. `failed` counts every case that
/// did not match AWS, known failures included; the `known` and `skipped`
/// columns appear when there are any.
pub fn table(records: &[Record]) -> String {
    let mut by_category: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for r in records {
        by_category.entry(&r.category).or_default().add(r.outcome);
        total.add(r.outcome);
    }
    let show_known = total.known > 0;
    let show_skipped = total.skipped > 0;
    let width = by_category.keys().map(|c| c.chars().count()).chain([8]).max().unwrap_or(8);
    let mut out = String::new();
    let mut row = |name: &str, passed: &str, failed: &str, known: &str, skipped: &str| {
        let _ = write!(out, "{name:<width$}  {passed:>6}  {failed:>6}");
        if show_known {
            let _ = write!(out, "  {known:>6}");
        }
        if show_skipped {
            let _ = write!(out, "  {skipped:>7}");
        }
        out.push('\n');
    };
    row("category", "passed", "failed", "known", "skipped");
    let counts = |c: &Counts| [c.passed, c.failed, c.known, c.skipped].map(|n| n.to_string());
    for (category, c) in &by_category {
        let [p, f, k, s] = counts(c);
        row(category, &p, &f, &k, &s);
    }
    let [p, f, k, s] = counts(&total);
    row("total", &p, &f, &k, &s);
    out
}

/// The closing line: `N passed, N failed`, then `, N skipped` when any were.
pub fn closing_line(records: &[Record]) -> String {
    let mut total = Counts::default();
    for r in records {
        total.add(r.outcome);
    }
    let mut line = format!("{} passed, {} failed", total.passed, total.failed);
    if total.skipped > 0 {
        let _ = write!(line, ", {} skipped", total.skipped);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::MismatchKind;

    fn record(name: &str, category: &str, failed: bool, known: &KnownFailures) -> Record {
        let mismatches =
            if failed { vec![Mismatch::new(MismatchKind::Status, "expected FAILED, got SUCCEEDED")] } else { vec![] };
        Record::ran(
            name.to_owned(),
            category.to_owned(),
            PathBuf::from(format!("{category}/{name}.json")),
            &mismatches,
            known,
        )
    }

    #[test]
    fn known_failures_decide_outcomes() {
        let known = KnownFailures::parse("# header\n\ncase_a  # needs JSONata\ncase_b\n");
        assert_eq!(known.reason("case_a"), Some("needs JSONata"));
        assert_eq!(known.reason("case_b"), Some(""));
        let cases = [
            ("case_a", true, Outcome::KnownFailure, false),
            ("case_b", false, Outcome::UnexpectedPass, true),
            ("case_c", true, Outcome::Failed, true),
            ("case_d", false, Outcome::Passed, false),
        ];
        for (name, failed, outcome, fails_run) in cases {
            let r = record(name, "base", failed, &known);
            assert_eq!((r.outcome, r.fails_run()), (outcome, fails_run), "{name}");
        }
        let unmatched: Vec<&str> = known.unmatched(|n| n == "case_a").collect();
        assert_eq!(unmatched, ["case_b"]);
    }

    #[test]
    fn summary_counts_and_closing_line() {
        let known = KnownFailures::parse("k");
        let mut records = vec![
            record("p1", "base", false, &known),
            record("f1", "base", true, &known),
            record("k", "scenarios", true, &known),
        ];
        assert_eq!(closing_line(&records), "1 passed, 2 failed");
        records.push(Record {
            name: "s".into(),
            category: "assign".into(),
            path: "assign/s.json".into(),
            outcome: Outcome::Skipped,
            reasons: vec!["skipped: tag variables".into()],
        });
        assert_eq!(closing_line(&records), "1 passed, 2 failed, 1 skipped");
        let table = table(&records);
        assert!(table.contains("base            1       1       0        0"), "{table}");
        assert!(table.lines().last().is_some_and(|l| l.starts_with("total")), "{table}");
        let failures = failures(&records);
        assert!(failures.starts_with("FAIL f1 [base]\n  base/f1.json\n  status: expected FAILED"), "{failures}");
        assert!(!failures.contains("FAIL k "), "known failures are not listed: {failures}");
    }

    #[test]
    fn json_lines_have_the_documented_fields() {
        let r = record("f1", "base", true, &KnownFailures::default());
        let v: serde_json::Value = serde_json::from_str(&r.json_line()).expect("JSON");
        assert_eq!(v["name"], "f1");
        assert_eq!(v["category"], "base");
        assert_eq!(v["passed"], false);
        assert_eq!(v["reason"], "status: expected FAILED, got SUCCEEDED");
        assert_eq!(v["outcome"], "failed");
        let ok = record("p1", "base", false, &KnownFailures::default());
        let v: serde_json::Value = serde_json::from_str(&ok.json_line()).expect("JSON");
        assert_eq!((v["passed"].as_bool(), v["reason"].is_null()), (Some(true), true));
    }
}
