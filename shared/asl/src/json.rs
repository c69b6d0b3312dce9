//! JSON text as Step Functions writes it, and payload size limits.
//!
//! AWS: "Quotas related to state throttling … payload size: 256 KiB"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html>).

use serde_json::Value;

/// The largest input, output or result a state may carry: 256 KiB of UTF-8.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// Compact JSON text, keys in their original order, as Step Functions prints
/// inputs and outputs in history events and error causes.
pub fn to_text(value: &Value) -> String {
    serde_json::to_string(value).expect("serializing a serde_json::Value cannot fail")
}

/// The `{"Error", "Cause"}` object a Catch passes on (Cause only when there is one).
pub fn error_object(failure: &crate::error::Failure) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("Error".into(), Value::String(failure.error.clone()));
    if let Some(cause) = &failure.cause {
        o.insert("Cause".into(), Value::String(cause.clone()));
    }
    Value::Object(o)
}
