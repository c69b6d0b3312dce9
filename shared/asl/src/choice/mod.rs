//! Choice rules. Placeholder until the full implementation lands.

use crate::error::Failure;
use crate::validate::Diagnostic;
use serde_json::{Map, Value};

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
pub enum Condition {}

impl Condition {
    /// Evaluates the condition.
    pub fn eval(&self, _input: &Value, _context: &Value) -> Result<bool, Failure> {
        match *self {}
    }
}

/// Parses a Choice state's `Choices`, reporting every problem into `diagnostics`.
pub fn parse_choices(state: &Map<String, Value>, location: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<ChoiceRule> {
    let _ = (state, location, diagnostics);
    Vec::new()
}
