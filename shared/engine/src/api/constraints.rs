//! The API model's member constraints (botocore `stepfunctions/2016-11-23/service-2.json`),
//! checked and reported as AWS's request validation reports them, e.g.
//! "1 validation error detected: Value null at 'stateMachineArn' failed to
//! satisfy constraint: Member must not be null", or, for several,
//! "2 validation errors detected: …; …" (`ValidationException`).
//!
//! String lengths count UTF-16 code units, as the model's `min`/`max` do;
//! execution data (`input`, `output`) counts UTF-8 bytes, as the 256 KiB
//! payload quota does. Members the model marks `sensitive` are reported
//! without their value ("Value at 'input' failed to satisfy constraint: …").

use super::ApiError;

/// A string shape of the model: its length bounds and whether it is sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    min: usize,
    max: usize,
    sensitive: bool,
    bytes: bool,
}

const fn text(min: usize, max: usize) -> Shape {
    Shape { min, max, sensitive: false, bytes: false }
}

const fn secret(min: usize, max: usize) -> Shape {
    Shape { min, max, sensitive: true, bytes: false }
}

/// `Name`: 1–80.
pub const NAME: Shape = text(1, 80);
/// `Arn`: 1–256.
pub const ARN: Shape = text(1, 256);
/// `LongArn`: 1–2000.
pub const LONG_ARN: Shape = text(1, 2000);
/// `Definition`: 1–1048576, sensitive.
pub const DEFINITION: Shape = secret(1, 1_048_576);
/// `SensitiveData` (execution input, task output): at most 256 KiB, sensitive.
pub const SENSITIVE_DATA: Shape = Shape { min: 0, max: 262_144, sensitive: true, bytes: true };
/// `SensitiveError`: 0–256, sensitive.
pub const SENSITIVE_ERROR: Shape = secret(0, 256);
/// `SensitiveCause`: 0–32768, sensitive.
pub const SENSITIVE_CAUSE: Shape = secret(0, 32_768);
/// `TaskToken`: 1–2048, sensitive.
pub const TASK_TOKEN: Shape = secret(1, 2048);
/// `PageToken`: 1–1024.
pub const PAGE_TOKEN: Shape = text(1, 1024);
/// `ListExecutionsPageToken`: 1–3096.
pub const LIST_EXECUTIONS_PAGE_TOKEN: Shape = text(1, 3096);
/// `VersionDescription`: 0–256, sensitive.
pub const VERSION_DESCRIPTION: Shape = secret(0, 256);
/// `TraceHeader`: 0–256 (and ASCII).
pub const TRACE_HEADER: Shape = text(0, 256);
/// `TagKey`: 1–128.
pub const TAG_KEY: Shape = text(1, 128);
/// `TagValue`: 0–256.
pub const TAG_VALUE: Shape = text(0, 256);

/// Collects every violation of a request, then reports them together.
#[derive(Debug, Default)]
pub struct Constraints {
    violations: Vec<String>,
}

impl Constraints {
    fn violation(&mut self, member: &str, value: Option<&str>, constraint: &str) {
        let value = match value {
            Some(v) => format!("Value '{v}' at"),
            None => "Value at".to_owned(),
        };
        self.violations.push(format!("{value} '{member}' failed to satisfy constraint: {constraint}"));
    }

    /// Records a missing required member.
    pub fn missing(&mut self, member: &str) {
        self.violations.push(format!("Value null at '{member}' failed to satisfy constraint: Member must not be null"));
    }

    /// A required string member: returns it, or `""` after recording it missing.
    pub fn required<'a>(&mut self, member: &str, shape: Shape, value: Option<&'a str>) -> &'a str {
        match value {
            Some(v) => {
                self.check(member, shape, v);
                v
            }
            None => {
                self.missing(member);
                ""
            }
        }
    }

    /// An optional string member.
    pub fn optional<'a>(&mut self, member: &str, shape: Shape, value: Option<&'a str>) -> Option<&'a str> {
        if let Some(v) = value {
            self.check(member, shape, v);
        }
        value
    }

    fn check(&mut self, member: &str, shape: Shape, value: &str) {
        let len = if shape.bytes { value.len() } else { value.encode_utf16().count() };
        let shown = (!shape.sensitive).then_some(value);
        if len < shape.min {
            let constraint = format!("Member must have length greater than or equal to {}", shape.min);
            self.violation(member, shown, &constraint);
        } else if len > shape.max {
            let constraint = format!("Member must have length less than or equal to {}", shape.max);
            self.violation(member, shown, &constraint);
        }
    }

    /// An optional integer member within `min..=max`; absent is 0.
    pub fn range(&mut self, member: &str, value: Option<i64>, min: i64, max: i64) -> i64 {
        let Some(v) = value else { return 0 };
        let shown = v.to_string();
        if v < min {
            self.violation(member, Some(&shown), &format!("Member must have value greater than or equal to {min}"));
        } else if v > max {
            self.violation(member, Some(&shown), &format!("Member must have value less than or equal to {max}"));
        }
        v
    }

    /// An optional enum member: one of `allowed`, listed in the message in
    /// the order given.
    pub fn one_of<'a>(&mut self, member: &str, value: Option<&'a str>, allowed: &[&str]) -> Option<&'a str> {
        let v = value?;
        if allowed.contains(&v) {
            return Some(v);
        }
        let constraint = format!("Member must satisfy enum value set: [{}]", allowed.join(", "));
        self.violation(member, Some(v), &constraint);
        None
    }

    /// Records a value that does not match the member's `pattern`.
    pub fn pattern(&mut self, member: &str, value: &str, matches: bool, pattern: &str) {
        if !matches {
            self.violation(member, Some(value), &format!("Member must satisfy regular expression pattern: {pattern}"));
        }
    }

    /// `Ok` when nothing was violated, else the `ValidationException`.
    pub fn finish(self) -> Result<(), ApiError> {
        match self.violations.len() {
            0 => Ok(()),
            1 => Err(ApiError::ValidationException(format!("1 validation error detected: {}", self.violations[0]))),
            n => Err(ApiError::ValidationException(format!(
                "{n} validation errors detected: {}",
                self.violations.join("; ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(c: Constraints) -> String {
        match c.finish() {
            Err(ApiError::ValidationException(m)) => m,
            other => panic!("expected a ValidationException, got {other:?}"),
        }
    }

    // Recorded from AWS in localstack's test_sfn_api.snapshot.json
    // (test_list_sms_pagination, test_state_machine_status_filter).
    #[test]
    fn messages_match_aws_wording() {
        let mut c = Constraints::default();
        c.range("maxResults", Some(1001), 0, 1000);
        assert_eq!(
            message(c),
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: \
             Member must have value less than or equal to 1000"
        );
        let mut c = Constraints::default();
        let statuses = ["SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"];
        c.one_of("statusFilter", Some("succeeded"), &statuses);
        assert_eq!(
            message(c),
            "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: \
             Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"
        );
    }

    #[test]
    fn several_violations_are_counted_and_joined() {
        let mut c = Constraints::default();
        c.required("name", NAME, None);
        c.required("definition", DEFINITION, Some(""));
        assert_eq!(
            message(c),
            "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; \
             Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn lengths_count_utf16_units_and_payloads_count_bytes() {
        let mut c = Constraints::default();
        c.optional("name", NAME, Some(&"é".repeat(80)));
        assert!(c.finish().is_ok());
        let mut c = Constraints::default();
        c.optional("input", SENSITIVE_DATA, Some(&"é".repeat(131_073)));
        assert!(message(c).ends_with("Member must have length less than or equal to 262144"));
    }
}
