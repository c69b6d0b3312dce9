//! A problem found in a definition, shaped like one entry of
//! ValidateStateMachineDefinition's `diagnostics` list
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>).

use std::fmt;

/// How bad a problem is: an `ERROR` makes the definition invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// The definition cannot be created.
    Error,
    /// Allowed, but probably not what was meant.
    Warning,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// `ERROR` or `WARNING`.
    pub severity: Severity,
    /// AWS's code, such as `SCHEMA_VALIDATION_FAILED` or `MISSING_TRANSITION_TARGET`.
    pub code: &'static str,
    /// What is wrong, in AWS's wording where known.
    pub message: String,
    /// A JSON pointer into the definition, such as `/States/Foo/Next`.
    pub location: String,
}

/// AWS's diagnostic codes.
pub mod codes {
    /// A field is missing, has the wrong type, or holds a bad value.
    pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
    /// `Next`, `Default`, a Catch `Next` or `StartAt` names no state.
    pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
    /// No path from `StartAt` reaches a state.
    pub const UNREACHABLE_STATE: &str = "UNREACHABLE_STATE";
    /// The text is not JSON (or YAML) at all.
    pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
    /// A state has neither `Next` nor `End`, or both.
    pub const MISSING_END_STATE: &str = "MISSING_END_STATE";
    /// Two states share a name across the definition.
    pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
    /// A `Resource` that is not a valid ARN.
    pub const INVALID_RESOURCE: &str = "INVALID_RESOURCE";
    /// A path or intrinsic call that does not parse.
    pub const INVALID_JSON_PATH: &str = "INVALID_JSON_PATH";
    /// A malformed intrinsic function call.
    pub const INVALID_INTRINSIC_FUNCTION: &str = "INVALID_INTRINSIC_FUNCTION";
}

impl Diagnostic {
    /// An `ERROR` diagnostic. The definition as a whole is located at `/`, as AWS does.
    pub fn error(code: &'static str, location: impl Into<String>, message: impl Into<String>) -> Self {
        let mut location = location.into();
        if location.is_empty() {
            location.push('/');
        }
        Diagnostic { severity: Severity::Error, code, message: message.into(), location }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}] {}: {}", self.code, self.location, self.message)
    }
}

/// Escapes a name for use in a JSON pointer (RFC 6901).
pub fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
