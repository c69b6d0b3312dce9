//! Intrinsic functions (`States.Format`, `States.Array`, ...). Placeholder
//! until the full implementation lands; every call is rejected at parse time.

use crate::error::Failure;
use crate::rng::Rng;
use serde_json::Value;

/// A parsed intrinsic function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    text: String,
}

/// A call that does not parse or breaks an argument rule known at parse time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid intrinsic function '{text}': {reason}")]
pub struct IntrinsicSyntaxError {
    /// The text parsed.
    pub text: String,
    /// What is wrong.
    pub reason: String,
}

impl Intrinsic {
    /// Parses `States.Name(args...)`.
    pub fn parse(text: &str) -> Result<Intrinsic, IntrinsicSyntaxError> {
        Err(IntrinsicSyntaxError { text: text.to_owned(), reason: "not supported yet".to_owned() })
    }

    /// Evaluates against the effective input (`$`) and the context object (`$$`).
    pub fn eval(&self, _input: &Value, _context: &Value, _rng: &mut Rng) -> Result<Value, Failure> {
        Err(Failure::intrinsic(self.text.clone()))
    }
}
