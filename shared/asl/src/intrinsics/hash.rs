//! `States.Hash`.
//!
//! AWS: "Intrinsic for hash calculation"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-hash-calc>):
//! the data is a string of at most 10,000 characters and the algorithm one of
//! `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512`. The result is the
//! digest of the UTF-8 bytes in lowercase hexadecimal.

use super::{Function, expect_string, fixed, invalid, java_length};
use crate::error::Failure;
use md5::Md5;
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::fmt::Write;

/// The longest input AWS hashes, in characters.
const MAX_INPUT_CHARS: usize = 10_000;

/// The algorithm names AWS accepts, exactly as written.
const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// `States.Hash(data, algorithm)`.
pub(super) fn hash(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::Hash;
    let [data, algorithm] = fixed(f, args)?;
    let data = expect_string(f, data, "the data")?;
    let algorithm = expect_string(f, algorithm, "the algorithm")?;
    if java_length(data) > MAX_INPUT_CHARS {
        return Err(invalid(f, format!("the data must be at most {MAX_INPUT_CHARS} characters long")));
    }
    let bytes = data.as_bytes();
    let digest = match algorithm {
        "MD5" => Md5::digest(bytes).to_vec(),
        "SHA-1" => Sha1::digest(bytes).to_vec(),
        "SHA-256" => Sha256::digest(bytes).to_vec(),
        "SHA-384" => Sha384::digest(bytes).to_vec(),
        "SHA-512" => Sha512::digest(bytes).to_vec(),
        other => {
            let supported = ALGORITHMS.join(", ");
            return Err(invalid(f, format!("the algorithm '{other}' is not supported; use one of {supported}")));
        }
    };
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(Value::String(hex))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok, run};

    #[test]
    #[rustfmt::skip]
    fn hashes_in_lowercase_hex() {
        check_ok(&[
            // The States.Hash example of the AWS page.
            ("States.Hash($.Data, $.Algorithm)", r#"{"Data":"input data","Algorithm":"SHA-1"}"#, r#""aaff4a450a104cd177d28d18d74485e8cae074b7""#),
            // Recorded on AWS (conformance test_hash_calculations__test_hash__*).
            ("States.Hash('input data', 'SHA-256')", "{}", r#""b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3""#),
            ("States.Hash('input data', 'SHA-384')", "{}", r#""d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562""#),
            ("States.Hash('input data', 'SHA-512')", "{}", r#""6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4""#),
            // Recorded on AWS (conformance assign/test_assign_reference_variables__*).
            ("States.Hash('Hash this string', 'SHA-256')", "{}", r#""1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e""#),
            // RFC 1321's test suite: MD5("abc").
            ("States.Hash('abc', 'MD5')", "{}", r#""900150983cd24fb0d6963f7d28e17f72""#),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn rejects_unknown_algorithms_and_long_input() {
        let long = format!(r#"{{"d":"{}"}}"#, "a".repeat(10_001));
        let limit = format!(r#"{{"d":"{}"}}"#, "a".repeat(10_000));
        assert!(run("States.Hash($.d, 'MD5')", &limit).is_ok());
        check_err(&[
            ("States.Hash('x', 'SHA-224')", "{}", "States.IntrinsicFailure"),
            ("States.Hash('x', 'sha-256')", "{}", "States.IntrinsicFailure"),
            ("States.Hash(1, 'MD5')", "{}", "States.IntrinsicFailure"),
            ("States.Hash($.d, 'MD5')", long.as_str(), "States.IntrinsicFailure"),
        ]);
    }
}
