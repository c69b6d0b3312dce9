//! `States.Base64Encode` and `States.Base64Decode`.
//!
//! AWS: "Intrinsics for data encoding and decoding"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-data-encode-decode>):
//! each takes a string of at most 10,000 characters. Text is taken as its
//! UTF-8 bytes and written as standard Base64 with padding.

use super::{Function, expect_string, fixed, invalid, java_length};
use crate::error::Failure;
use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde_json::Value;

/// The longest input either function takes, in characters.
const MAX_INPUT_CHARS: usize = 10_000;

/// Decoding as MIME Base64 decoders do: padding optional, trailing bits ignored.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn text_arg(f: Function, args: &[Value]) -> Result<&str, Failure> {
    let [text] = fixed(f, args)?;
    let text = expect_string(f, text, "the argument")?;
    if java_length(text) > MAX_INPUT_CHARS {
        return Err(invalid(f, format!("the input must be at most {MAX_INPUT_CHARS} characters long")));
    }
    Ok(text)
}

/// `States.Base64Encode(text)`.
pub(super) fn encode(args: &[Value]) -> Result<Value, Failure> {
    let text = text_arg(Function::Base64Encode, args)?;
    Ok(Value::String(STANDARD.encode(text.as_bytes())))
}

/// `States.Base64Decode(base64)`: the decoded bytes as UTF-8 text (invalid
/// sequences become U+FFFD, as Java's `new String(bytes, UTF_8)` does). Line
/// breaks and other whitespace are skipped, as in MIME.
pub(super) fn decode(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::Base64Decode;
    let text = text_arg(f, args)?;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes =
        LENIENT.decode(compact.as_bytes()).map_err(|e| invalid(f, format!("the input is not valid Base64: {e}")))?;
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok};

    #[test]
    #[rustfmt::skip]
    fn encodes_and_decodes() {
        check_ok(&[
            // The States.Base64Encode and States.Base64Decode examples of the AWS page.
            ("States.Base64Encode($.input)", r#"{"input":"Data to encode"}"#, r#""RGF0YSB0byBlbmNvZGU=""#),
            ("States.Base64Decode($.base64)", r#"{"base64":"RGF0YSB0byBlbmNvZGU="}"#, r#""Data to encode""#),
            // Recorded on AWS (conformance test_encode_decode__test_base_64_decode__*).
            ("States.Base64Decode($.v)", r#"{"v":""}"#, r#""""#),
            // Recorded on AWS (conformance assign/test_assign_reference_variables__*).
            ("States.Base64Encode('Hello World')", "{}", r#""SGVsbG8gV29ybGQ=""#),
            ("States.Base64Decode('SGVsbG8gV29ybGQ')", "{}", r#""Hello World""#),
            ("States.Base64Decode('SGVsbG8g\nV29ybGQ=')", "{}", r#""Hello World""#),
            ("States.Base64Encode('é')", "{}", r#""w6k=""#),
            ("States.Base64Decode(States.Base64Encode('é ü 🆗'))", "{}", r#""é ü 🆗""#),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn rejects_bad_input() {
        let long = format!(r#"{{"v":"{}"}}"#, "A".repeat(10_004));
        check_err(&[
            ("States.Base64Decode('a')", "{}", "States.IntrinsicFailure"),
            ("States.Base64Decode('ab!c')", "{}", "States.IntrinsicFailure"),
            ("States.Base64Decode(1)", "{}", "States.IntrinsicFailure"),
            ("States.Base64Encode(null)", "{}", "States.IntrinsicFailure"),
            ("States.Base64Decode($.v)", long.as_str(), "States.IntrinsicFailure"),
            ("States.Base64Encode($.v)", long.as_str(), "States.IntrinsicFailure"),
        ]);
    }
}
