//! Fuzzes the definition parser and validator: any text, as JSON or YAML,
//! must give a state machine or diagnostics, never a panic
//! (ValidateStateMachineDefinition,
//! <https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = stepwise_asl::validate::parse_text(text);
    }
});
