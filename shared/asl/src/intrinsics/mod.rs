//! Intrinsic functions of JSONPath states: `States.Format`, `States.Array`, ….
//!
//! AWS: "Intrinsic functions for JSONPath states in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>).
//!
//! A call is parsed once, when the definition is loaded, into an [`Intrinsic`]:
//! a function and its arguments (string, number, boolean and null literals,
//! paths, variables and nested calls). Evaluating it reads the effective input
//! (`$`), the context object (`$$`) and, for `States.MathRandom` and
//! `States.UUID`, the caller's [`Rng`].
//!
//! Layout: `parse` turns text into the tree; a file per family, grouped as the
//! AWS page groups them, holds the functions: `array`, `encoding` (Base64),
//! `hash`, `json` (JSON manipulation), `math` and `string` (`States.Format`,
//! `States.StringSplit`). `States.UUID` is a single line of [`Intrinsic::eval`].
//!
//! Failures are `States.IntrinsicFailure`, except a path argument that selects
//! nothing, which is `States.Runtime` like every other missing path.

mod array;
mod encoding;
mod hash;
mod json;
mod math;
mod parse;
mod string;

use crate::error::Failure;
use crate::path::{Path, Root};
use crate::rng::Rng;
use serde_json::{Map, Value};
use std::fmt;

/// A parsed intrinsic function call, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    text: String,
    call: Call,
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
    ///
    /// Unknown functions, argument counts AWS does not accept, bad literals
    /// and paths, and calls nested more than 10 deep are rejected here.
    pub fn parse(text: &str) -> Result<Intrinsic, IntrinsicSyntaxError> {
        let call = parse::parse(text).map_err(|reason| IntrinsicSyntaxError { text: text.to_owned(), reason })?;
        Ok(Intrinsic { text: text.to_owned(), call })
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Evaluates against the effective input (`$`) and the context object (`$$`).
    pub fn eval(&self, input: &Value, context: &Value, rng: &mut Rng) -> Result<Value, Failure> {
        self.eval_with_variables(input, context, &Map::new(), rng)
    }

    /// Evaluates with workflow variables in scope, for arguments such as
    /// `$name` or `$name.field` ("Passing data between states with variables",
    /// <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>).
    pub fn eval_with_variables(
        &self,
        input: &Value,
        context: &Value,
        variables: &Map<String, Value>,
        rng: &mut Rng,
    ) -> Result<Value, Failure> {
        let scope = Scope { input, context, variables };
        eval_call(&self.call, &scope, rng)
    }
}

impl fmt::Display for Intrinsic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One function application.
#[derive(Debug, Clone, PartialEq)]
struct Call {
    function: Function,
    args: Vec<Arg>,
}

/// An argument as written.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// A number, `true`, `false` or `null`.
    Literal(Value),
    /// A string in single quotes, escapes resolved.
    Str(StrLiteral),
    /// `$…` or `$$…`.
    Path(Path),
    /// `$name…`: a workflow variable, then a path into it (`$` when bare).
    Variable {
        /// The variable's name, without the `$`.
        name: String,
        /// The rest, rewritten to start at `$`.
        path: Path,
    },
    /// A nested call.
    Call(Box<Call>),
}

/// A string literal and where its unescaped `{}` pairs are, so that
/// `States.Format` can tell `{}` from the escaped `\{\}`.
#[derive(Debug, Clone, PartialEq)]
struct StrLiteral {
    value: String,
    /// Byte offsets in `value` of each unescaped `{}`.
    placeholders: Vec<usize>,
}

macro_rules! functions {
    ($($variant:ident = $name:literal, $min:literal ..= $max:expr;)*) => {
        /// Every intrinsic function AWS offers to JSONPath states.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Function { $($variant,)* }

        impl Function {
            fn from_name(name: &str) -> Option<Function> {
                match name { $($name => Some(Function::$variant),)* _ => None }
            }

            fn name(self) -> &'static str {
                match self { $(Function::$variant => $name,)* }
            }

            /// The fewest and the most arguments (`None`: no limit).
            fn arity(self) -> (usize, Option<usize>) {
                match self { $(Function::$variant => ($min, $max),)* }
            }
        }
    };
}

// Argument counts as the AWS page states them.
functions! {
    Format = "States.Format", 1..=None;
    StringToJson = "States.StringToJson", 1..=Some(1);
    JsonToString = "States.JsonToString", 1..=Some(1);
    Array = "States.Array", 0..=None;
    ArrayPartition = "States.ArrayPartition", 2..=Some(2);
    ArrayContains = "States.ArrayContains", 2..=Some(2);
    ArrayRange = "States.ArrayRange", 3..=Some(3);
    ArrayGetItem = "States.ArrayGetItem", 2..=Some(2);
    ArrayLength = "States.ArrayLength", 1..=Some(1);
    ArrayUnique = "States.ArrayUnique", 1..=Some(1);
    Base64Encode = "States.Base64Encode", 1..=Some(1);
    Base64Decode = "States.Base64Decode", 1..=Some(1);
    Hash = "States.Hash", 2..=Some(2);
    JsonMerge = "States.JsonMerge", 3..=Some(3);
    MathRandom = "States.MathRandom", 2..=Some(3);
    MathAdd = "States.MathAdd", 2..=Some(2);
    StringSplit = "States.StringSplit", 2..=Some(2);
    Uuid = "States.UUID", 0..=Some(0);
}

/// What paths and variables read from.
struct Scope<'a> {
    input: &'a Value,
    context: &'a Value,
    variables: &'a Map<String, Value>,
}

fn eval_call(call: &Call, scope: &Scope<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    let args = call.args.iter().map(|a| eval_arg(a, scope, rng)).collect::<Result<Vec<_>, _>>()?;
    let f = call.function;
    match f {
        Function::Format => {
            let literal = match call.args.first() {
                Some(Arg::Str(s)) => Some(s.placeholders.as_slice()),
                _ => None,
            };
            string::format(literal, &args)
        }
        Function::StringSplit => string::split(&args),
        Function::StringToJson => json::string_to_json(&args),
        Function::JsonToString => json::json_to_string(&args),
        Function::JsonMerge => json::merge(&args),
        Function::Array => Ok(Value::Array(args)),
        Function::ArrayPartition => array::partition(&args),
        Function::ArrayContains => array::contains(&args),
        Function::ArrayRange => array::range(&args),
        Function::ArrayGetItem => array::get_item(&args),
        Function::ArrayLength => array::length(&args),
        Function::ArrayUnique => array::unique(&args),
        Function::Base64Encode => encoding::encode(&args),
        Function::Base64Decode => encoding::decode(&args),
        Function::Hash => hash::hash(&args),
        Function::MathRandom => math::random(&args, rng),
        Function::MathAdd => math::add(&args),
        Function::Uuid => Ok(Value::String(rng.uuid_v4())),
    }
}

fn eval_arg(arg: &Arg, scope: &Scope<'_>, rng: &mut Rng) -> Result<Value, Failure> {
    match arg {
        Arg::Literal(v) => Ok(v.clone()),
        Arg::Str(s) => Ok(Value::String(s.value.clone())),
        Arg::Call(call) => eval_call(call, scope, rng),
        Arg::Path(path) => path.select(scope.input, scope.context).map_err(|_| {
            let source = match path.root() {
                Root::Input => scope.input,
                Root::Context => scope.context,
            };
            not_found(path.as_str(), source)
        }),
        Arg::Variable { name, path } => {
            let Some(value) = scope.variables.get(name) else {
                return Err(Failure::runtime(format!("The variable '${name}' is not defined")));
            };
            path.select(value, scope.context).map_err(|_| {
                let tail = path.as_str().get(1..).unwrap_or_default();
                let written = format!("${name}{tail}");
                not_found(&written, value)
            })
        }
    }
}

/// A path argument that selects nothing: `States.Runtime`, as for a missing
/// path in a payload template. AWS's exact cause for an intrinsic argument is
/// not in the recorded corpus; this wording is our best recollection of it.
fn not_found(path: &str, source: &Value) -> Failure {
    Failure::runtime(format!(
        "The JsonPath argument for the field '{path}' could not be found in the input '{}'",
        crate::json::to_text(source)
    ))
}

/// `States.IntrinsicFailure` for arguments a function cannot use.
fn invalid(f: Function, detail: impl fmt::Display) -> Failure {
    Failure::intrinsic(format!("Invalid arguments in {}: {detail}", f.name()))
}

/// The arguments as an array of the count the parser guaranteed.
fn fixed<const N: usize>(f: Function, args: &[Value]) -> Result<&[Value; N], Failure> {
    args.try_into().map_err(|_| invalid(f, format!("expected {N} arguments, got {}", args.len())))
}

/// The JSON type name of a value, for messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn expect_string<'v>(f: Function, v: &'v Value, what: &str) -> Result<&'v str, Failure> {
    v.as_str().ok_or_else(|| invalid(f, format!("{what} must be a string, but was {}", type_name(v))))
}

fn expect_array<'v>(f: Function, v: &'v Value, what: &str) -> Result<&'v [Value], Failure> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| invalid(f, format!("{what} must be an array, but was {}", type_name(v))))
}

/// A whole number: an integer, or a decimal with no fractional part.
fn expect_integer(f: Function, v: &Value, what: &str) -> Result<i64, Failure> {
    let n = match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 9.0e18).map(|x| x as i64))
        }
        _ => None,
    };
    n.ok_or_else(|| invalid(f, format!("{what} must be an integer, but was {}", crate::json::to_text(v))))
}

/// How many characters Java counts in a string (UTF-16 code units): AWS's
/// 10,000-character limits are in these.
fn java_length(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod testing {
    //! The one-line-per-case helpers the family tests share.
    use super::*;

    /// Parses `expr` and evaluates it on `input` (JSON text), with a fixed
    /// context and seed.
    pub(super) fn run(expr: &str, input: &str) -> Result<Value, Failure> {
        let input: Value = serde_json::from_str(input).expect("test input is JSON");
        let context = serde_json::json!({
            "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:sm:exec", "Name": "exec", "Input": input.clone()},
            "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"}
        });
        let call = Intrinsic::parse(expr).unwrap_or_else(|e| panic!("{e}"));
        call.eval(&input, &context, &mut Rng::new(7))
    }

    /// Asserts that each `(expression, input, expected output)` succeeds.
    pub(super) fn check_ok(cases: &[(&str, &str, &str)]) {
        for (expr, input, expected) in cases {
            let expected: Value = serde_json::from_str(expected).expect("expected value is JSON");
            assert_eq!(run(expr, input), Ok(expected), "{expr} on {input}");
        }
    }

    /// Asserts that each `(expression, input, error name)` fails so.
    pub(super) fn check_err(cases: &[(&str, &str, &str)]) {
        for (expr, input, error) in cases {
            match run(expr, input) {
                Err(failure) => assert_eq!(failure.error, *error, "{expr} on {input}: {failure}"),
                Ok(v) => panic!("{expr} on {input}: expected {error}, got {v}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{check_err, check_ok, run};
    use super::*;
    use serde_json::json;

    #[test]
    #[rustfmt::skip]
    fn paths_read_input_and_context() {
        check_ok(&[
            ("States.Array($, $.a[1], $$.Execution.Name, $$.Execution.Input.a[0])", r#"{"a":[1,2]}"#, r#"[{"a":[1,2]},2,"exec",1]"#),
            ("States.Array($.a[*].b)", r#"{"a":[{"b":1},{"b":2}]}"#, "[[1,2]]"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn a_missing_path_is_a_runtime_error() {
        check_err(&[("States.Array($.missing)", r#"{"a":1}"#, "States.Runtime")]);
        let failure = run("States.Array($.missing)", r#"{"a":1}"#).unwrap_err();
        let cause = "The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'";
        assert_eq!(failure.cause.as_deref(), Some(cause));
    }

    #[test]
    fn variables_are_read_from_scope() {
        let call = Intrinsic::parse("States.Format('{} {}', $name, $obj.k[0])").unwrap();
        let variables = json!({"name": "x", "obj": {"k": [7]}});
        let variables = variables.as_object().unwrap();
        let got = call.eval_with_variables(&json!({}), &json!({}), variables, &mut Rng::new(0));
        assert_eq!(got, Ok(json!("x 7")));
        let missing = call.eval(&json!({}), &json!({}), &mut Rng::new(0)).unwrap_err();
        assert_eq!(missing.error, "States.Runtime");
    }

    #[test]
    fn uuid_is_version_4() {
        let id = run("States.UUID()", "{}").unwrap();
        let id = id.as_str().unwrap();
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(id.as_bytes()[14], b'4');
        assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn display_is_the_text() {
        let text = "States.Format('{}', $.a)";
        let call = Intrinsic::parse(text).unwrap();
        assert_eq!(call.to_string(), text);
        assert_eq!(call.as_str(), text);
    }
}
