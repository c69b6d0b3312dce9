//! Fuzzes JSONPath: any text that parses as a path must select from, explain
//! a miss in, and write into a fixed value without panicking
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html>).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::sync::LazyLock;
use stepwise_asl::path::Path;

/// An input with every kind of node: nested objects and arrays, strings,
/// numbers, booleans and null.
static INPUT: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "a": {"b": [1, 2.5, -3, "x", null, true, {"c": "d"}], "e": {"f": {"g": []}}},
        "items": [{"id": 1, "tags": ["x", "y"]}, {"id": 2, "price": 9.99}, {"id": "3"}],
        "x y": "spaced", "": "empty key", "n": 0, "s": "text"
    })
});

/// A context object shaped like the interpreter's.
static CONTEXT: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e", "Input": *INPUT, "Name": "e"},
        "State": {"Name": "S", "EnteredTime": "2019-03-26T20:14:13.192Z", "RetryCount": 0},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "Name": "M"},
        "Task": {"Token": "token"},
        "Map": {"Item": {"Index": 1, "Value": {"id": 2}}}
    })
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(path) = Path::parse(text) else { return };
    let _ = path.select(&INPUT, &CONTEXT);
    let _ = path.explain_missing(&INPUT, &CONTEXT);
    let mut target = INPUT.clone();
    let _ = path.write(&mut target, json!({"written": true}));
});
