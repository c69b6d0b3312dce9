//! Shapes several actions share: timestamps, tags, logging and tracing
//! configuration, state machine types and paging
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_Types.html>).

use super::ApiError;
use super::constraints::{Constraints, TAG_KEY, TAG_VALUE};
use crate::ports::Page;
use crate::records::StateMachineType;
use serde::{Deserialize, Serialize};

/// A `Timestamp` as the AWS JSON protocol sends it: epoch seconds, fractional.
pub fn timestamp(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// `StateMachineType`'s values.
pub const STATE_MACHINE_TYPES: [&str; 2] = ["STANDARD", "EXPRESS"];

/// The type a checked `type` member names (STANDARD when absent, the default).
pub fn state_machine_type(value: Option<&str>) -> StateMachineType {
    if value == Some("EXPRESS") { StateMachineType::Express } else { StateMachineType::Standard }
}

/// AWS's spelling of a state machine type.
pub fn type_name(kind: StateMachineType) -> &'static str {
    match kind {
        StateMachineType::Standard => "STANDARD",
        StateMachineType::Express => "EXPRESS",
    }
}

/// A `Tag`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// `key`, 1–128 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `value`, 0–256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Checks `tags` and returns them as key/value pairs.
pub fn tags(tags: Option<&[Tag]>, v: &mut Constraints) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, tag) in tags.unwrap_or_default().iter().enumerate() {
        let key = v.optional(&format!("tags.{}.member.key", i + 1), TAG_KEY, tag.key.as_deref());
        let value = v.optional(&format!("tags.{}.member.value", i + 1), TAG_VALUE, tag.value.as_deref());
        out.push((key.unwrap_or_default().to_owned(), value.unwrap_or_default().to_owned()));
    }
    out
}

/// `LoggingConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggingConfiguration {
    /// `level`: ALL, ERROR, FATAL or OFF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// `includeExecutionData`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_execution_data: Option<bool>,
    /// `destinations`: at most one CloudWatch Logs log group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destinations: Option<Vec<serde_json::Value>>,
}

impl LoggingConfiguration {
    /// What DescribeStateMachine reports when logging is off (AWS's default:
    /// `{"includeExecutionData": false, "level": "OFF"}`).
    pub fn off() -> Self {
        LoggingConfiguration { level: Some("OFF".into()), include_execution_data: Some(false), destinations: None }
    }

    /// Checks the level against the model and the destinations against the
    /// level (`InvalidLoggingConfiguration`).
    pub fn check(&self, v: &mut Constraints) -> Result<(), ApiError> {
        let level = v.one_of("loggingConfiguration.level", self.level.as_deref(), &["ALL", "ERROR", "FATAL", "OFF"]);
        let destinations = self.destinations.as_ref().map_or(0, Vec::len);
        if destinations > 1 || (destinations == 0 && level.is_some_and(|l| l != "OFF")) {
            return Err(ApiError::InvalidLoggingConfiguration(
                "Invalid Logging Configuration: Must specify exactly one Log Destination.".into(),
            ));
        }
        Ok(())
    }
}

/// `TracingConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracingConfiguration {
    /// `enabled`: X-Ray tracing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The store page for `maxResults` (already checked; 0 or absent is the
/// default of 100) and `nextToken`.
pub fn page(max_results: i64, next_token: Option<&str>) -> Page {
    // "The default is 100 and the maximum allowed page size is 1000. A value of 0 uses the default."
    let limit = usize::try_from(max_results).ok().filter(|n| *n > 0).unwrap_or(100);
    Page { limit, token: next_token.map(str::to_owned) }
}
