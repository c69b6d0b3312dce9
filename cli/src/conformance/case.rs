//! A test case file: a state machine, an input, Lambda mocks and the result
//! expected, in the format of `shared/conformance/README.md` ("Case format").
//!
//! The corpus' fields are read as documented there. For hand-written cases,
//! everything but `definition` and `expected.status` may be left out:
//!
//! - `name` defaults to the file stem, `category` to the parent directory's
//!   name, `input` to `{}`, `comparison` to snapshot-v1 with no placeholders
//!   and `"history_order": "exact"`;
//! - `definition` is either the ASL definition itself (a JSON object) or a
//!   **string: the path of a definition file, relative to the case file's
//!   directory** (`"definition": "../state_machines/order.asl.json"`). A
//!   `.yaml`/`.yml` definition file is read as YAML, anything else as JSON.
//!
//! What is checked: `status` always; `output` when given (and not
//! `output_masked`); `error` and `cause` always, where leaving one out means
//! the execution must not report it (as AWS reported none); `history` and
//! `history_detail` when given.

use super::mocks::MockFunction;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One case, loaded and checked.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique name (the corpus' file stem).
    pub name: String,
    /// The corpus category, or the directory the case file is in.
    pub category: String,
    /// The case file.
    pub path: PathBuf,
    /// The ASL definition.
    pub definition: Value,
    /// The definition file, when `definition` named one.
    pub definition_file: Option<PathBuf>,
    /// The execution input.
    pub input: Value,
    /// `mocks.lambda`: the Lambda functions that exist, by name.
    pub lambda_mocks: BTreeMap<String, MockFunction>,
    /// What AWS did.
    pub expected: Expected,
    /// The recorded history events (no timestamps), if any.
    pub history_detail: Option<Vec<Value>>,
    /// How to compare.
    pub comparison: Comparison,
    /// Features used (`state:Map`, `jsonata`, ...).
    pub tags: Vec<String>,
}

/// The recorded result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Expected {
    /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: Status,
    /// The output, decoded (may be JSON `null`); `None` when not given.
    #[serde(default, deserialize_with = "present")]
    pub output: Option<Value>,
    /// The recording replaced the output with a placeholder: don't compare it.
    #[serde(default)]
    pub output_masked: bool,
    /// The error name, when AWS reported one.
    #[serde(default)]
    pub error: Option<String>,
    /// The cause: a string, or an object when AWS's text began with `{`.
    #[serde(default, deserialize_with = "present")]
    pub cause: Option<Value>,
    /// The history event types in order, when recorded.
    #[serde(default)]
    pub history: Option<Vec<String>>,
}

/// An execution status, as DescribeExecution names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// SUCCEEDED
    Succeeded,
    /// FAILED
    Failed,
    /// TIMED_OUT
    TimedOut,
    /// ABORTED
    Aborted,
}

impl Status {
    /// The name as AWS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// The `comparison` block.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Comparison {
    /// Only `snapshot-v1` is known.
    pub normalization: Option<String>,
    /// JSON pointers into `{"output","error","cause"}` of strings holding
    /// placeholders; `#key` at the end means the key itself.
    pub placeholder_paths: Vec<String>,
    /// Placeholder tokens of output, error and cause.
    pub placeholders: Vec<String>,
    /// Placeholder tokens of `history_detail`.
    pub history_placeholders: Vec<String>,
    /// How history events are ordered.
    pub history_order: HistoryOrder,
}

/// `comparison.history_order`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryOrder {
    /// Events in the recorded order.
    #[default]
    Exact,
    /// Map/Parallel branch and iteration events may interleave differently.
    InterleavingNondeterministic,
    /// The recorder sorted the events inside each Parallel.
    ParallelSorted,
}

/// Why a case file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not JSON, or a field is missing or has the wrong type.
    #[error("{}: not a valid case file: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column where known.
        message: String,
    },
}

#[derive(Deserialize)]
struct RawCase {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    category: Option<String>,
    definition: Value,
    #[serde(default, deserialize_with = "present")]
    input: Option<Value>,
    #[serde(default)]
    mocks: Option<RawMocks>,
    expected: Expected,
    #[serde(default)]
    history_detail: Option<Vec<Value>>,
    #[serde(default)]
    comparison: Comparison,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct RawMocks {
    #[serde(default)]
    lambda: BTreeMap<String, MockFunction>,
}

/// Deserializes a field that may hold JSON `null` as `Some(Value::Null)`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Case {
    /// Reads and checks the case file at `path`.
    pub fn load(path: &Path) -> Result<Case, CaseError> {
        let text = std::fs::read_to_string(path).map_err(|source| CaseError::Read { path: path.to_owned(), source })?;
        Case::parse(path, &text)
    }

    /// Checks the case text read from `path` (definition files are read
    /// relative to it).
    pub fn parse(path: &Path, text: &str) -> Result<Case, CaseError> {
        let bad = |message: String| CaseError::Format { path: path.to_owned(), message };
        let raw: RawCase = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if let Some(norm) = raw.comparison.normalization.as_deref().filter(|n| *n != "snapshot-v1") {
            return Err(bad(format!("unknown comparison.normalization {norm:?} (only \"snapshot-v1\" is known)")));
        }
        let (definition, definition_file) = match raw.definition {
            Value::Object(map) => (Value::Object(map), None),
            Value::String(file) => {
                let file = path.parent().unwrap_or(Path::new("")).join(file);
                (read_definition(&file).map_err(bad)?, Some(file))
            }
            other => {
                return Err(bad(format!("`definition` must be an object or a file path, not {other}")));
            }
        };
        let lambda_mocks = raw.mocks.map(|m| m.lambda).unwrap_or_default();
        for (name, mock) in &lambda_mocks {
            mock.check().map_err(|e| bad(format!("mocks.lambda.{name}: {e}")))?;
        }
        Ok(Case {
            name: raw.name.unwrap_or_else(|| file_stem(path)),
            category: raw.category.unwrap_or_else(|| parent_name(path)),
            path: path.to_owned(),
            definition,
            definition_file,
            input: raw.input.unwrap_or_else(|| Value::Object(Map::new())),
            lambda_mocks,
            expected: raw.expected,
            history_detail: raw.history_detail,
            comparison: raw.comparison,
            tags: raw.tags,
        })
    }

    /// True when the case carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

fn read_definition(file: &Path) -> Result<Value, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("cannot read definition file {}: {e}", file.display()))?;
    let yaml = matches!(file.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
    let value: Value = if yaml {
        serde_yaml::from_str(&text).map_err(|e| format!("definition file {}: {e}", file.display()))?
    } else {
        serde_json::from_str(&text).map_err(|e| format!("definition file {} is not JSON: {e}", file.display()))?
    };
    if !value.is_object() {
        return Err(format!("definition file {} does not hold a JSON object", file.display()));
    }
    Ok(value)
}

/// The file name without its extension: the default case name.
pub fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// The name of the directory holding `path`: the default category.
pub fn parent_name(path: &Path) -> String {
    path.parent().and_then(Path::file_name).map_or_else(|| ".".to_owned(), |s| s.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Case, CaseError> {
        Case::parse(Path::new("/cases/mine/c1.json"), text)
    }

    #[test]
    fn minimal_case_gets_defaults() {
        let case = parse(r#"{"definition": {"StartAt": "A", "States": {}}, "expected": {"status": "SUCCEEDED"}}"#)
            .expect("valid case");
        assert_eq!(case.name, "c1");
        assert_eq!(case.category, "mine");
        assert_eq!(case.input, serde_json::json!({}));
        assert_eq!(case.expected.output, None);
        assert_eq!(case.comparison.history_order, HistoryOrder::Exact);
    }

    #[test]
    fn null_output_is_present() {
        let case =
            parse(r#"{"definition": {}, "expected": {"status": "SUCCEEDED", "output": null}}"#).expect("valid case");
        assert_eq!(case.expected.output, Some(Value::Null));
    }

    #[test]
    fn bad_cases_say_what_is_wrong() {
        let cases = [
            ("not json", "expected ident"),
            (r#"{"expected": {"status": "SUCCEEDED"}}"#, "missing field `definition`"),
            (r#"{"definition": {}}"#, "missing field `expected`"),
            (r#"{"definition": {}, "expected": {"status": "DONE"}}"#, "unknown variant `DONE`"),
            (r#"{"definition": 3, "expected": {"status": "FAILED"}}"#, "must be an object or a file path"),
            (r#"{"definition": "nope.asl.json", "expected": {"status": "FAILED"}}"#, "cannot read definition file"),
            (
                r#"{"definition": {}, "expected": {"status": "FAILED"}, "comparison": {"normalization": "v9"}}"#,
                "unknown comparison.normalization",
            ),
            (
                r#"{"definition": {}, "expected": {"status": "FAILED"}, "mocks": {"lambda": {"f": {"behavior": "dance"}}}}"#,
                "unknown variant `dance`",
            ),
        ];
        for (text, want) in cases {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains("/cases/mine/c1.json") && err.contains(want), "{text}: {err}");
        }
    }
}
