//! Choice Rules in the JSONPath query language: their compiled form and how
//! they evaluate against a state's input and the context object.
//!
//! AWS: "Choice workflow state", section "Choice Rules (JSONPath)"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>;
//! the older page is
//! <https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-choice-state.html>).
//!
//! Rules are parsed once, when the definition is loaded ([`parse_choices`]);
//! paths become [`Path`]s, timestamps [`Timestamp`]s and `StringMatches`
//! patterns [`Pattern`]s, so evaluation never re-parses text.
//!
//! Evaluation follows AWS:
//!
//! - A `Variable` (or a `...Path` operand) that selects nothing fails the
//!   state with `States.Runtime`, cause
//!   `Invalid path '$.x': The choice state's condition path references an
//!   invalid value.`; only `IsPresent` turns a missing value into `false`.
//!   (The interpreter prefixes the cause with "An error occurred while
//!   executing the state '…' (entered at the event id #…). " as it does for
//!   every runtime error.)
//! - A value of the wrong type for the operator makes the test false, never
//!   an error: `BooleanEquals: true` on `1` or `"true"` is false, and so is
//!   `NumericEquals: 0` on `null`, `""`, `[]` or `false` (recorded AWS runs,
//!   conformance `choice_operators`).
//! - `And` and `Or` stop at the first rule that decides them.

mod compare;
mod parse;
#[cfg(test)]
mod tests;

pub use compare::Pattern;
pub use parse::parse_choices;

use crate::error::Failure;
use crate::path::Path;
use crate::timestamp::Timestamp;
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::cmp::Ordering;

/// One entry of a Choice state's `Choices`: a condition and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    /// The top-level condition.
    pub condition: Condition,
    /// The state to go to when it matches.
    pub next: String,
}

/// A boolean condition over the input and the context object.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `And`: every rule is true (a non-empty list).
    And(Vec<Condition>),
    /// `Or`: some rule is true (a non-empty list).
    Or(Vec<Condition>),
    /// `Not`: the rule is false.
    Not(Box<Condition>),
    /// A data-test expression: `Variable` and one comparison operator.
    Test {
        /// The value under test, a reference path into the input (`$`) or
        /// the context object (`$$`).
        variable: Path,
        /// The comparison operator and its operand.
        test: Test,
    },
}

/// A comparison operator with its operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `StringEquals`, `StringLessThan`, … and their `Path` forms: strings
    /// compare by UTF-16 code units, like Java's `String.compareTo`, which
    /// the AWS page points to.
    String(Relation, Operand<String>),
    /// `StringMatches`: a pattern where `*` matches any run of characters.
    StringMatches(Pattern),
    /// `NumericEquals`, `NumericLessThan`, … and their `Path` forms: `1`
    /// equals `1.0`.
    Numeric(Relation, Operand<Number>),
    /// `BooleanEquals` and `BooleanEqualsPath`.
    BooleanEquals(Operand<bool>),
    /// `TimestampEquals`, `TimestampLessThan`, … and their `Path` forms:
    /// both sides must be RFC 3339 timestamps, compared as instants.
    Timestamp(Relation, Operand<Timestamp>),
    /// `IsNull`, `IsPresent`, `IsNumeric`, `IsString`, `IsBoolean`,
    /// `IsTimestamp`: whether the value has the property, compared with the
    /// operator's boolean.
    Is(Is, bool),
}

/// The relation an ordered comparison tests, from the operator's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// `…Equals`
    Equals,
    /// `…LessThan`
    LessThan,
    /// `…GreaterThan`
    GreaterThan,
    /// `…LessThanEquals`
    LessThanEquals,
    /// `…GreaterThanEquals`
    GreaterThanEquals,
}

impl Relation {
    /// Whether `variable <relation> operand` holds, given how they order.
    pub fn holds(self, ordering: Ordering) -> bool {
        match self {
            Relation::Equals => ordering.is_eq(),
            Relation::LessThan => ordering.is_lt(),
            Relation::GreaterThan => ordering.is_gt(),
            Relation::LessThanEquals => ordering.is_le(),
            Relation::GreaterThanEquals => ordering.is_ge(),
        }
    }
}

/// The right-hand side of a comparison: a literal, or (for the `…Path`
/// operators) a reference path read at evaluation time.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<T> {
    /// The literal from the definition, already checked for type.
    Value(T),
    /// A reference path into the input or the context object.
    Path(Path),
}

/// The property an `Is…` operator tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    /// `IsNull`: the value is JSON `null`.
    Null,
    /// `IsPresent`: the Variable path selects a value.
    Present,
    /// `IsNumeric`: the value is a JSON number (a numeric string is not).
    Numeric,
    /// `IsString`: the value is a JSON string.
    String,
    /// `IsBoolean`: the value is `true` or `false`.
    Boolean,
    /// `IsTimestamp`: the value is a string holding an RFC 3339 timestamp.
    Timestamp,
}

impl Condition {
    /// Whether evaluating reads the context object (`$$`), so callers can
    /// skip building it.
    pub fn uses_context(&self) -> bool {
        let is_context = |p: &Path| p.root() == crate::path::Root::Context;
        match self {
            Condition::And(rules) | Condition::Or(rules) => rules.iter().any(Condition::uses_context),
            Condition::Not(rule) => rule.uses_context(),
            Condition::Test { variable, test } => {
                is_context(variable)
                    || match test {
                        Test::String(_, Operand::Path(p))
                        | Test::Numeric(_, Operand::Path(p))
                        | Test::BooleanEquals(Operand::Path(p))
                        | Test::Timestamp(_, Operand::Path(p)) => is_context(p),
                        _ => false,
                    }
            }
        }
    }

    /// Evaluates the condition against the effective input (`$`) and the
    /// context object (`$$`).
    ///
    /// Fails with `States.Runtime` when a path other than an `IsPresent`
    /// Variable selects nothing.
    pub fn eval(&self, input: &Value, context: &Value) -> Result<bool, Failure> {
        match self {
            Condition::And(all) => {
                for condition in all {
                    if !condition.eval(input, context)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Condition::Or(any) => {
                for condition in any {
                    if condition.eval(input, context)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Condition::Not(inner) => Ok(!inner.eval(input, context)?),
            Condition::Test { variable, test } => test.eval(variable, input, context),
        }
    }
}

impl Test {
    fn eval(&self, variable: &Path, input: &Value, context: &Value) -> Result<bool, Failure> {
        let selected = variable.select(input, context).ok();
        if let Test::Is(Is::Present, expected) = self {
            return Ok(selected.is_some() == *expected);
        }
        let value = selected.ok_or_else(|| invalid_path(variable))?;
        Ok(match self {
            Test::String(relation, operand) => {
                let other = operand.resolve(
                    input,
                    context,
                    |s| Cow::Borrowed(s.as_str()),
                    |v| match v {
                        Value::String(s) => Some(Cow::Owned(s)),
                        _ => None,
                    },
                )?;
                match (value.as_str(), other) {
                    (Some(a), Some(b)) => relation.holds(compare::strings(a, &b)),
                    _ => false,
                }
            }
            Test::StringMatches(pattern) => value.as_str().is_some_and(|s| pattern.matches(s)),
            Test::Numeric(relation, operand) => {
                let other = operand.resolve(input, context, Number::clone, |v| match v {
                    Value::Number(n) => Some(n),
                    _ => None,
                })?;
                match (value.as_number(), other) {
                    (Some(a), Some(b)) => compare::numbers(a, &b).is_some_and(|o| relation.holds(o)),
                    _ => false,
                }
            }
            Test::BooleanEquals(operand) => {
                let other = operand.resolve(input, context, |b| *b, |v| v.as_bool())?;
                matches!((value.as_bool(), other), (Some(a), Some(b)) if a == b)
            }
            Test::Timestamp(relation, operand) => {
                let other = operand.resolve(input, context, |t| *t, |v| v.as_str().and_then(Timestamp::parse))?;
                match (value.as_str().and_then(Timestamp::parse), other) {
                    (Some(a), Some(b)) => relation.holds(a.cmp(&b)),
                    _ => false,
                }
            }
            Test::Is(is, expected) => is.holds(&value) == *expected,
        })
    }
}

impl<T> Operand<T> {
    /// The operand's value: the literal through `literal`, or the value its
    /// path selects through `convert` (`None` when of the wrong type).
    fn resolve<'a, R>(
        &'a self,
        input: &Value,
        context: &Value,
        literal: impl FnOnce(&'a T) -> R,
        convert: impl FnOnce(Value) -> Option<R>,
    ) -> Result<Option<R>, Failure> {
        match self {
            Operand::Value(v) => Ok(Some(literal(v))),
            Operand::Path(path) => {
                let value = path.select(input, context).map_err(|_| invalid_path(path))?;
                Ok(convert(value))
            }
        }
    }
}

impl Is {
    /// Whether a (present) value has this property.
    fn holds(self, value: &Value) -> bool {
        match self {
            Is::Null => value.is_null(),
            Is::Present => true,
            Is::Numeric => value.is_number(),
            Is::String => value.is_string(),
            Is::Boolean => value.is_boolean(),
            Is::Timestamp => value.as_str().and_then(Timestamp::parse).is_some(),
        }
    }
}

/// AWS's runtime error for a Choice path that selects nothing.
fn invalid_path(path: &Path) -> Failure {
    Failure::runtime(format!("Invalid path '{path}': The choice state's condition path references an invalid value."))
}
