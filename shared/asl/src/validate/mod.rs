//! Parsing a definition into the typed model while validating it, like
//! ValidateStateMachineDefinition
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>).
//!
//! Every problem is reported with AWS's code, message and location (messages
//! and locations follow what AWS returns, e.g. `Missing 'Next' target: X` at
//! `/States/A/Next`, `State "C" is not reachable.` at `/States/C`). A model is
//! only built when there are no errors.

mod diagnostic;
mod fields;
mod retry;
mod scope;
mod states;

pub use diagnostic::{Diagnostic, Severity, codes, pointer_token};

use crate::model::StateMachine;
use fields::Fields;
use serde_json::Value;

/// The most states a definition may hold (AWS quota: none documented for
/// count, but definitions are limited to 1 MB; this guards recursion depth).
const MAX_NESTING: usize = 64;

/// Parses a definition from JSON or YAML text.
pub fn parse_text(text: &str) -> Result<StateMachine, Vec<Diagnostic>> {
    let value = definition_value(text).map_err(|d| vec![d])?;
    parse(&value)
}

/// Reads definition text as JSON, or as YAML when it is not JSON (SAM users
/// keep definitions in `.asl.yaml` files).
pub fn definition_value(text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error("MISSING_DESCRIPTION", "/", "Received a null or empty workflow input"));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Ok(v),
        Err(json_error) => {
            let looks_like_json = text.trim_start().starts_with(['{', '[']);
            match serde_yaml::from_str::<Value>(text) {
                Ok(v) if !looks_like_json => Ok(v),
                _ => {
                    Err(Diagnostic::error(codes::INVALID_JSON_DESCRIPTION, "/", format!("Invalid JSON: {json_error}")))
                }
            }
        }
    }
}

/// Parses and validates a definition value.
pub fn parse(definition: &Value) -> Result<StateMachine, Vec<Diagnostic>> {
    let mut d = Vec::new();
    let Some(obj) = definition.as_object() else {
        return Err(vec![Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            "/",
            "The definition must be a JSON object",
        )]);
    };
    let top = Fields::new(obj, "");
    top.only(&["Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"], &mut d);
    let comment = top.string("Comment", &mut d).map(str::to_owned);
    if let Some(v) = top.string("Version", &mut d)
        && v != "1.0"
    {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            "/Version",
            "The value for the field 'Version' must be '1.0'",
        ));
    }
    if let Some(q) = top.string("QueryLanguage", &mut d)
        && q != "JSONPath"
    {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            "/QueryLanguage",
            format!("QueryLanguage '{q}' is not supported by Stepwise yet (JSONata is issue 6)"),
        ));
    }
    let timeout_seconds = top.integer("TimeoutSeconds", 1, 99_999_999, &mut d);
    let mut builder = scope::Builder::default();
    builder.scope(obj, "", 0, &mut d);
    if d.is_empty() { Ok(StateMachine { comment, scopes: builder.finish(), timeout_seconds }) } else { Err(d) }
}

/// Validates a definition and returns every diagnostic (empty when valid).
pub fn validate(definition: &Value) -> Vec<Diagnostic> {
    parse(definition).err().unwrap_or_default()
}

#[cfg(test)]
mod tests;
