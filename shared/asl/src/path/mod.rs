//! JSONPath as Step Functions uses it: paths into the state input (`$`) and
//! into the context object (`$$`).
//!
//! AWS: "Using JSONPath paths" and "Reference paths"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html>).
//! Step Functions evaluates paths with Jayway JsonPath, so a *definite* path
//! (names and indexes only) selects one value and fails when it is missing,
//! while an *indefinite* path (wildcard, slice, union, filter, deep scan)
//! selects a list, empty when nothing matches.
//!
//! Paths are parsed once, when a definition is loaded, into a [`Path`].

mod eval;
mod parse;

pub use parse::PathSyntaxError;

use serde_json::Value;
use std::fmt;

/// What a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// `$`: the effective input of the field being evaluated.
    Input,
    /// `$$`: the context object.
    Context,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.name` or `['name']`.
    Child(String),
    /// `[n]`, negative counts from the end.
    Index(i64),
    /// `.*` or `[*]`.
    Wildcard,
    /// `['a','b']`.
    Names(Vec<String>),
    /// `[1,2]`.
    Indexes(Vec<i64>),
    /// `[start:end:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `..name`, `..*` or `..[n]`: the segment applied at every depth.
    Descendant(Box<Segment>),
    /// `[?(expr)]`.
    Filter(Filter),
}

/// A filter expression of `[?(...)]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `@.a` alone: true when the path exists (and is not `false`/`null`, as Jayway).
    Exists(Operand),
    /// `left op right`.
    Compare(Operand, CompareOp, Operand),
    /// `a && b`.
    And(Box<Filter>, Box<Filter>),
    /// `a || b`.
    Or(Box<Filter>, Box<Filter>),
    /// `!a`.
    Not(Box<Filter>),
}

/// A side of a filter comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `@...`: relative to the element being filtered.
    Current(Vec<Segment>),
    /// `$...`: relative to the whole input.
    Root(Vec<Segment>),
    /// A JSON literal: number, string, `true`, `false`, `null`.
    Literal(Value),
}

/// A comparison in a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A parsed JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    root: Root,
    segments: Vec<Segment>,
}

/// Why a path selected nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the path '{path}' could not be found")]
pub struct PathNotFound {
    /// The path as written.
    pub path: String,
}

/// Why a value cannot be written at a reference path (ResultPath).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathWriteError {
    /// An intermediate value is not an object, or an index is out of range.
    #[error("unable to apply ResultPath '{path}'")]
    Mismatch {
        /// The path as written.
        path: String,
    },
}

impl Path {
    /// Parses a path that starts with `$` or `$$`.
    pub fn parse(text: &str) -> Result<Path, PathSyntaxError> {
        parse::parse_path(text)
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the path starts at the context object (`$$`).
    pub fn root(&self) -> Root {
        self.root
    }

    /// The steps after the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether the path selects at most one node (Jayway's "definite path"):
    /// only names and single indexes.
    pub fn is_definite(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Child(_) | Segment::Index(_)))
    }

    /// Whether this is a *reference path* as AWS defines it: only `.name` and
    /// `[n]` steps, so it identifies a single node (required by ResultPath and
    /// Choice `Variable`).
    pub fn is_reference_path(&self) -> bool {
        self.is_definite()
    }

    /// Selects from `input` (for `$`) or `context` (for `$$`).
    ///
    /// A definite path returns its one value or [`PathNotFound`]; an indefinite
    /// path returns an array of every match.
    pub fn select(&self, input: &Value, context: &Value) -> Result<Value, PathNotFound> {
        let root = match self.root {
            Root::Input => input,
            Root::Context => context,
        };
        if self.is_definite() {
            eval::select_definite(root, &self.segments).cloned().ok_or_else(|| PathNotFound { path: self.text.clone() })
        } else {
            let mut out = Vec::new();
            eval::select_all(root, root, &self.segments, &mut out);
            Ok(Value::Array(out.into_iter().cloned().collect()))
        }
    }

    /// Why this path selected nothing from `input`/`context`, in Jayway's words
    /// (AWS quotes them in `States.Runtime` causes).
    pub fn explain_missing(&self, input: &Value, context: &Value) -> String {
        let root = match self.root {
            Root::Input => input,
            Root::Context => context,
        };
        eval::explain_missing(root, &self.segments)
    }

    /// Writes `value` into `target` at this reference path, creating objects
    /// for missing names, as ResultPath does. `$` replaces the whole target.
    pub fn write(&self, target: &mut Value, value: Value) -> Result<(), PathWriteError> {
        eval::write(target, &self.segments, value).map_err(|()| PathWriteError::Mismatch { path: self.text.clone() })
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Path {
    type Err = PathSyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Path::parse(s)
    }
}

#[cfg(test)]
mod tests;
