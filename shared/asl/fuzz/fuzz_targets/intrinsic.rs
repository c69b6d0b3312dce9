//! Fuzzes intrinsic functions: any text that parses as a call must evaluate
//! to a value or a `States.*` failure, never a panic
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>).

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::sync::LazyLock;
use stepwise_asl::intrinsics::Intrinsic;
use stepwise_asl::rng::Rng;

/// An input with a value of each type the functions take.
static INPUT: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "s": "a,b,c", "json": "{\"k\":[1,2]}", "b64": "aGVsbG8=", "n": 3, "f": 2.5, "big": 9007199254740993i64,
        "a": [1, "1", 1.0, [1], {"k": 1}, null, true], "o": {"k": {"deep": [1]}}, "empty": [], "t": true
    })
});

/// A context object shaped like the interpreter's.
static CONTEXT: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e", "Input": *INPUT, "Name": "e"},
        "State": {"Name": "S", "EnteredTime": "2019-03-26T20:14:13.192Z"},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "Name": "M"},
        "Map": {"Item": {"Index": 0, "Value": "v"}}
    })
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(call) = Intrinsic::parse(text) else { return };
    let _ = call.eval(&INPUT, &CONTEXT, &mut Rng::new(0));
});
