//! ValidateStateMachineDefinition
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>).

use super::constraints::{self, Constraints};
use super::{Api, ApiError, definition, shapes};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};
use stepwise_asl::validate::Severity;

/// `ValidateStateMachineDefinitionInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `definition` (required).
    pub definition: Option<String>,
    /// `type`: STANDARD (default) or EXPRESS.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `severity`: ERROR (default) returns errors only, WARNING returns both.
    pub severity: Option<String>,
    /// `maxResults`: 0–100; 0 or absent means 100.
    pub max_results: Option<i64>,
}

/// `ValidateStateMachineDefinitionDiagnostic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `severity`: ERROR or WARNING.
    pub severity: &'static str,
    /// `code`, e.g. MISSING_TRANSITION_TARGET.
    pub code: &'static str,
    /// `message`.
    pub message: String,
    /// `location`, a JSON pointer such as `/States/A/Next`.
    pub location: String,
}

/// `ValidateStateMachineDefinitionOutput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    /// `result`: OK, or FAIL when there is an error.
    pub result: &'static str,
    /// `diagnostics`: empty when OK.
    pub diagnostics: Vec<Diagnostic>,
    /// `truncated`: whether more than `maxResults` were found.
    pub truncated: bool,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Validates a definition without creating anything; problems are
    /// answered as diagnostics, not as an error.
    pub async fn validate_state_machine_definition(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let text = v.required("definition", constraints::DEFINITION, request.definition.as_deref());
        let kind = v.one_of("type", request.kind.as_deref(), &shapes::STATE_MACHINE_TYPES);
        let severity = v.one_of("severity", request.severity.as_deref(), &["ERROR", "WARNING"]);
        let max_results = v.range("maxResults", request.max_results, 0, 100);
        v.finish()?;
        let found = definition::diagnostics(text, shapes::state_machine_type(kind));
        let failed = found.iter().any(|d| d.severity == Severity::Error);
        let wanted: Vec<Diagnostic> = found
            .into_iter()
            .filter(|d| severity == Some("WARNING") || d.severity == Severity::Error)
            .map(|d| Diagnostic {
                severity: match d.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                },
                code: d.code,
                message: d.message,
                location: d.location,
            })
            .collect();
        let limit = usize::try_from(max_results).ok().filter(|n| *n > 0).unwrap_or(100);
        let truncated = wanted.len() > limit;
        let diagnostics = wanted.into_iter().take(limit).collect();
        Ok(Response { result: if failed { "FAIL" } else { "OK" }, diagnostics, truncated })
    }
}
