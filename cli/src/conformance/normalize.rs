//! snapshot-v1 normalization (`shared/conformance/README.md`, "How to
//! compare"): rewrites our own results the way the recorder rewrote AWS's, so
//! the two can be compared.
//!
//! 1. JSON text fields: a string that begins with `{` and parses is replaced
//!    by the parsed object. This is applied to every string value of the
//!    response's objects (and of objects directly inside its lists), but not
//!    again inside the values it produced: that is why a Catch output's
//!    `Cause` stays a string while `taskFailedEventDetails.cause` and the
//!    texts of `assignedVariables` become objects.
//! 2. Timestamp keys: in those objects (nested objects and objects directly
//!    inside lists included), a key matching `/timestamp/i` whose value is not
//!    a string starting with an ISO-8601 timestamp gets the value
//!    `"timestamp"` (Python's `str()` of any other JSON value cannot start with
//!    a digit followed by `-`, so only strings need checking).
//! 3. ISO-8601 timestamps anywhere, keys included, become `date`
//!    ([`super::iso8601`]).
//!
//! Placeholders (rule 4) are applied when comparing, in [`super::placeholder`].

use super::iso8601::{self, DATE};
use serde_json::{Map, Value};

/// The value given to timestamp keys by rule 2.
pub const TIMESTAMP: &str = "timestamp";

/// Normalizes a JSON text field of our result (`cause`, or the text inside an
/// event): an object when it begins with `{` and parses, the text otherwise.
pub fn text_field(text: &str) -> Value {
    match parse_object_text(text) {
        Some(mut value) => {
            timestamp_keys(&mut value, false);
            replace_dates(value)
        }
        None => Value::String(iso8601::replace_dates(text).into_owned()),
    }
}

/// Normalizes our execution output as the case's `expected.output` holds it:
/// like [`text_field`], but any other JSON text is decoded as well (the
/// README: "`expected.output` is already decoded to a JSON value").
pub fn output_field(text: &str) -> Value {
    match text_field(text) {
        Value::String(raw) => serde_json::from_str(&raw).unwrap_or(Value::String(raw)),
        parsed => parsed,
    }
}

/// Normalizes one of our history events (GetExecutionHistory shape): drops its
/// `timestamp`, then applies rules 1 to 3.
pub fn event(event: &Value) -> Value {
    let mut event = event.clone();
    if let Value::Object(map) = &mut event {
        map.shift_remove("timestamp");
        parse_text_fields(map);
    }
    timestamp_keys(&mut event, false);
    replace_dates(event)
}

/// Normalizes a value a case expects (recorded or hand-written): rules 2 and
/// 3 only, so that a user may write real timestamps. It leaves recorded
/// values as they are: dates are already `date`, and rule 2 keeps a value
/// that already is `date` or `timestamp`.
pub fn expected(value: &Value) -> Value {
    let mut value = value.clone();
    timestamp_keys(&mut value, true);
    replace_dates(value)
}

fn parse_object_text(text: &str) -> Option<Value> {
    if !text.starts_with('{') {
        return None;
    }
    serde_json::from_str::<Value>(text).ok().filter(Value::is_object)
}

/// Rule 1 over an object of the response: recurse first, then parse, so
/// parsed values are not parsed again.
fn parse_text_fields(map: &mut Map<String, Value>) {
    for value in map.values_mut() {
        match value {
            Value::Object(inner) => parse_text_fields(inner),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        parse_text_fields(inner);
                    }
                }
            }
            Value::String(text) => {
                if let Some(parsed) = parse_object_text(text) {
                    *value = parsed;
                }
            }
            _ => {}
        }
    }
}

/// Rule 2. With `keep_normalized`, values already equal to `date` or
/// `timestamp` are kept (for expected values, see [`expected`]).
fn timestamp_keys(value: &mut Value, keep_normalized: bool) {
    let Value::Object(map) = value else { return };
    for (key, item) in map.iter_mut() {
        if key.to_lowercase().contains(TIMESTAMP) {
            let keep = match item {
                Value::String(s) => iso8601::starts_with_date(s) || (keep_normalized && (s == DATE || s == TIMESTAMP)),
                _ => false,
            };
            if !keep {
                *item = Value::String(TIMESTAMP.to_owned());
            }
            continue;
        }
        match item {
            Value::Object(_) => timestamp_keys(item, keep_normalized),
            Value::Array(items) => {
                for inner in items.iter_mut().filter(|inner| inner.is_object()) {
                    timestamp_keys(inner, keep_normalized);
                }
            }
            _ => {}
        }
    }
}

/// Rule 3 over every string and key, at any depth.
fn replace_dates(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(iso8601::replace_dates(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(replace_dates).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter().map(|(k, v)| (iso8601::replace_dates(&k).into_owned(), replace_dates(v))).collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Our event for `test_wait_timestamp_path_INVALID_DATE`'s first event,
    /// as GetExecutionHistory returns it, becomes the recorded event.
    #[test]
    fn event_text_fields_are_parsed_and_timestamp_keys_replaced() {
        let ours = json!({
            "timestamp": "2024-05-01T10:00:00.000Z",
            "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
            "executionStartedEventDetails": {
                "input": "{\"TimestampValue\":\"2016-13-05T21:29:29Z\"}",
                "inputDetails": {"truncated": false},
                "roleArn": "arn:aws:iam::111111111111:role/r"
            }
        });
        let want = json!({
            "type": "ExecutionStarted", "id": 1, "previousEventId": 0,
            "executionStartedEventDetails": {
                "input": {"TimestampValue": "timestamp"},
                "inputDetails": {"truncated": false},
                "roleArn": "arn:aws:iam::111111111111:role/r"
            }
        });
        assert_eq!(event(&ours), want);
    }

    #[test]
    fn only_object_text_is_parsed_and_never_twice() {
        let cases = [
            // A Catch output: parsed once, the Cause inside stays text.
            (
                json!({"output": "{\"Error\":\"E\",\"Cause\":\"{\\\"a\\\":1}\"}"}),
                json!({"output": {"Error": "E", "Cause": "{\"a\":1}"}}),
            ),
            // Arrays, strings and numbers stay raw JSON text.
            (json!({"output": "[1,2]"}), json!({"output": "[1,2]"})),
            (json!({"output": "\"s\""}), json!({"output": "\"s\""})),
            (json!({"output": "42"}), json!({"output": "42"})),
            // Text that only looks like an object stays as it is.
            (json!({"cause": "{not json"}), json!({"cause": "{not json"})),
            // assignedVariables values are text fields too.
            (
                json!({"d": {"assignedVariables": {"x": "{\"k\":1}", "y": "1"}}}),
                json!({"d": {"assignedVariables": {"x": {"k": 1}, "y": "1"}}}),
            ),
            // Objects directly in lists are visited, strings in lists are not.
            (json!({"l": [{"t": "{}"}, "{}"]}), json!({"l": [{"t": {}}, "{}"]})),
        ];
        for (ours, want) in cases {
            assert_eq!(event(&ours), want, "{ours}");
        }
    }

    /// README rule 2, with values from the `test_wait_timestamp_*` cases.
    #[test]
    fn timestamp_key_rule() {
        let ours = r#"{"TimestampValue":"2016-03-14T01:59:00Z","timestamp":1700000000,
            "myTimeStamp":"2016-12-05 21:29:29Z","nested":{"Timestamp":null},
            "list":[{"timestamps":[1]}],"deep":[[{"timestamp":1}]],"other":"2016-03-14T01:59:00Z"}"#;
        let want = json!({
            "TimestampValue": "date", "timestamp": "timestamp", "myTimeStamp": "timestamp",
            "nested": {"Timestamp": "timestamp"}, "list": [{"timestamps": "timestamp"}],
            "deep": [[{"timestamp": 1}]], "other": "date"
        });
        assert_eq!(text_field(ours), want);
    }

    #[test]
    fn non_object_text_only_gets_dates_replaced() {
        assert_eq!(text_field("[{\"timestamp\":1}]"), json!("[{\"timestamp\":1}]"));
        assert_eq!(text_field("at 2016-03-14T01:59:00Z"), json!("at date"));
        assert_eq!(output_field("[{\"timestamp\":\"2016-03-14T01:59:00Z\"}]"), json!([{"timestamp": "date"}]));
        assert_eq!(output_field("\"2016-03-14T01:59:00Z\""), json!("date"));
        assert_eq!(output_field("1.5"), json!(1.5));
    }

    #[test]
    fn dates_in_keys_are_replaced() {
        assert_eq!(text_field(r#"{"2016-03-14T01:59:00Z":1}"#), json!({"date": 1}));
    }

    #[test]
    fn expected_values_are_left_as_recorded() {
        let recorded = json!({"TimestampValue": "date", "Timestamp": "timestamp", "at": "date"});
        assert_eq!(expected(&recorded), recorded);
        let written = json!({"timestamp": 5, "at": "2016-03-14T01:59:00Z"});
        assert_eq!(expected(&written), json!({"timestamp": "timestamp", "at": "date"}));
    }
}
