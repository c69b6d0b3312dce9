//! The Lambda functions of a case (`mocks.lambda`), as a [`LambdaInvoker`]:
//! what the corpus' small Python handlers return, byte for byte, without
//! running them.
//!
//! | `behavior` | returns |
//! |---|---|
//! | `identity` | the event, re-serialized as Python's `json.dumps` does |
//! | `constant` | `result` |
//! | `constant_payload` | the raw bytes of `payload`, or `payload_repeat.char` × `count` |
//! | `python_format` | `template` (default `input-event-{event}`) with `{event}` replaced by Python's `str(event)` |
//! | `raise` | a function error (`Unhandled`): `{"errorMessage", "errorType", "requestId", "stackTrace"}` |
//!
//! Every behaviour takes `delay_seconds`: the invocation is reported as
//! having run that long (nothing sleeps; the runner's clock decides whether
//! a Task timed out). A name that is not listed does not exist:
//! `Lambda.ResourceNotFoundException`, worded as AWS words it.
//!
//! Payloads are what the Lambda *function* returns, so they are formatted as
//! the Python runtime formats them (`", "` and `": "` separators, as the
//! recorded `Content-Length` headers show). Step Functions re-serializes them
//! compactly for `lambda:invoke` results, but passes a classic Lambda
//! resource's error payload on as the cause text, which is why the corpus
//! records both forms of the same error.

use super::python;
use crate::runner;
use crate::tasks::{LambdaError, LambdaInvoker, LambdaResponse};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;
use stepwise_asl::rng::Rng;

/// One mocked function (`mocks.lambda.<name>`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "behavior", rename_all = "snake_case")]
pub enum MockFunction {
    /// Returns its event.
    Identity {
        /// How long it runs.
        #[serde(default)]
        delay_seconds: f64,
    },
    /// Returns `result`.
    Constant {
        /// The value returned.
        result: Value,
        /// How long it runs.
        #[serde(default)]
        delay_seconds: f64,
    },
    /// Returns raw bytes, JSON or not.
    ConstantPayload {
        /// The bytes, as text.
        #[serde(default)]
        payload: Option<String>,
        /// Or a character repeated.
        #[serde(default)]
        payload_repeat: Option<Repeat>,
        /// How long it runs.
        #[serde(default)]
        delay_seconds: f64,
    },
    /// Returns a string built from Python's `str()` of the event.
    PythonFormat {
        /// `{event}` is replaced; defaults to `input-event-{event}`.
        #[serde(default)]
        template: Option<String>,
        /// How long it runs.
        #[serde(default)]
        delay_seconds: f64,
    },
    /// Raises an exception.
    Raise {
        /// The exception class.
        #[serde(rename = "errorType")]
        error_type: String,
        /// `str()` of the exception.
        #[serde(rename = "errorMessage", default)]
        error_message: String,
        /// The traceback lines; taken from `recorded_failures` when absent.
        #[serde(rename = "stackTrace", default)]
        stack_trace: Option<Vec<String>>,
        /// What AWS recorded when it raised.
        #[serde(default)]
        recorded_failures: Vec<RecordedFailure>,
        /// How long it runs.
        #[serde(default)]
        delay_seconds: f64,
    },
}

/// `payload_repeat`: `char` repeated `count` times.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repeat {
    /// The text repeated (one character in the corpus).
    pub char: String,
    /// How many times.
    pub count: usize,
}

/// An error AWS recorded for a `raise` function.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RecordedFailure {
    /// The error name.
    #[serde(default)]
    pub error: Option<String>,
    /// The cause, decoded.
    #[serde(default)]
    pub cause: Value,
}

impl MockFunction {
    /// Checks what serde cannot: a usable delay, one payload source.
    pub fn check(&self) -> Result<(), String> {
        let delay = self.delay_seconds();
        if !(delay.is_finite() && delay >= 0.0) {
            return Err(format!("delay_seconds must be a non-negative number, not {delay}"));
        }
        if matches!(self, MockFunction::ConstantPayload { payload, payload_repeat, .. }
            if payload.is_some() == payload_repeat.is_some())
        {
            return Err("constant_payload needs exactly one of `payload` and `payload_repeat`".to_owned());
        }
        Ok(())
    }

    fn delay_seconds(&self) -> f64 {
        match self {
            MockFunction::Identity { delay_seconds }
            | MockFunction::Constant { delay_seconds, .. }
            | MockFunction::ConstantPayload { delay_seconds, .. }
            | MockFunction::PythonFormat { delay_seconds, .. }
            | MockFunction::Raise { delay_seconds, .. } => *delay_seconds,
        }
    }
}

/// The functions of one case, invoked by name or ARN.
#[derive(Debug)]
pub struct LambdaMocks {
    functions: BTreeMap<String, MockFunction>,
    region: String,
    account: String,
    rng: Mutex<Rng>,
}

impl LambdaMocks {
    /// Functions in the runner's region and account (used in ARNs built from
    /// bare names); request ids come from `seed`.
    pub fn new(functions: BTreeMap<String, MockFunction>, seed: u64) -> LambdaMocks {
        LambdaMocks {
            functions,
            region: runner::REGION.to_owned(),
            account: runner::ACCOUNT.to_owned(),
            rng: Mutex::new(Rng::new(seed)),
        }
    }

    fn request_id(&self) -> String {
        // A panic elsewhere cannot leave an Rng half-updated in a way that matters.
        self.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).uuid_v4()
    }

    fn not_found(&self, function: &FunctionRef<'_>) -> LambdaError {
        let arn = format!(
            "arn:aws:lambda:{}:{}:function:{}:{}",
            function.region.unwrap_or(&self.region),
            function.account.unwrap_or(&self.account),
            function.name,
            function.qualifier.unwrap_or("$LATEST"),
        );
        LambdaError {
            error: "Lambda.ResourceNotFoundException".to_owned(),
            // The text AWS recorded (test_task_service_lambda__test_no_such_function_catch).
            message: format!(
                "Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: \
                 ResourceNotFoundException; Request ID: {}; Proxy: null)",
                self.request_id()
            ),
        }
    }
}

impl LambdaInvoker for LambdaMocks {
    fn invoke(&self, function: &str, payload: &[u8], log_tail: bool) -> Result<LambdaResponse, LambdaError> {
        let function = FunctionRef::parse(function);
        let Some(mock) = self.functions.get(function.name) else {
            return Err(self.not_found(&function));
        };
        // Lambda hands a function `{}` when invoked without a payload
        // (`test_lambda_task_service__test_invoke` records `Payload: {}`).
        let event = || match payload {
            [] => Ok(Value::Object(Map::new())),
            bytes => serde_json::from_slice::<Value>(bytes),
        };
        let ok = |bytes: Vec<u8>| (bytes, None);
        let (bytes, function_error) = match mock {
            MockFunction::Identity { .. } => match event() {
                Ok(event) => ok(python::json_dumps(&event).into_bytes()),
                Err(_) => ok(payload.to_vec()),
            },
            MockFunction::Constant { result, .. } => ok(python::json_dumps(result).into_bytes()),
            MockFunction::ConstantPayload { payload, payload_repeat, .. } => ok(match (payload, payload_repeat) {
                (Some(text), _) => text.clone().into_bytes(),
                (None, Some(r)) => r.char.repeat(r.count).into_bytes(),
                (None, None) => Vec::new(),
            }),
            MockFunction::PythonFormat { template, .. } => match event() {
                Ok(event) => {
                    let template = template.as_deref().unwrap_or("input-event-{event}");
                    let text = template.replace("{event}", &python::str_of(&event));
                    ok(python::json_dumps(&Value::String(text)).into_bytes())
                }
                Err(e) => raised(
                    "Runtime.UnmarshalError",
                    &format!("Unable to unmarshal input: {e}"),
                    Vec::new(),
                    self.request_id(),
                ),
            },
            MockFunction::Raise { error_type, error_message, stack_trace, recorded_failures, .. } => {
                let trace = stack_trace
                    .clone()
                    .or_else(|| recorded_trace(recorded_failures))
                    .unwrap_or_else(|| default_trace(error_type, error_message));
                raised(error_type, error_message, trace, self.request_id())
            }
        };
        // The log tail Lambda returns: the runtime's START/END/REPORT lines, base64.
        let log_result = log_tail.then(|| {
            let id = self.request_id();
            let log = format!("START RequestId: {id} Version: $LATEST\nEND RequestId: {id}\nREPORT RequestId: {id}\n");
            base64::engine::general_purpose::STANDARD.encode(log)
        });
        Ok(LambdaResponse {
            payload: bytes,
            function_error,
            log_result,
            duration: Duration::from_secs_f64(mock.delay_seconds().max(0.0)),
        })
    }
}

/// A Python function error as the Lambda runtime reports it.
fn raised(error_type: &str, message: &str, trace: Vec<String>, request_id: String) -> (Vec<u8>, Option<String>) {
    let mut body = Map::new();
    body.insert("errorMessage".to_owned(), json!(message));
    body.insert("errorType".to_owned(), json!(error_type));
    body.insert("requestId".to_owned(), json!(request_id));
    body.insert("stackTrace".to_owned(), json!(trace));
    (python::json_dumps(&Value::Object(body)).into_bytes(), Some("Unhandled".to_owned()))
}

fn recorded_trace(failures: &[RecordedFailure]) -> Option<Vec<String>> {
    failures.iter().find_map(|f| serde_json::from_value(f.cause.get("stackTrace")?.clone()).ok())
}

/// The corpus' one-line handlers: `raise Exception("Some exception was raised.")` on line 2.
fn default_trace(error_type: &str, message: &str) -> Vec<String> {
    let args = if message.is_empty() { String::new() } else { Value::String(message.to_owned()).to_string() };
    vec![format!("  File \"/var/task/handler.py\", line 2, in handler\n    raise {error_type}({args})\n")]
}

/// The parts of a function name or ARN: `name`, `name:qualifier`,
/// `account:function:name[:qualifier]` or
/// `arn:partition:lambda:region:account:function:name[:qualifier]`.
#[derive(Debug, PartialEq, Eq)]
struct FunctionRef<'a> {
    name: &'a str,
    qualifier: Option<&'a str>,
    region: Option<&'a str>,
    account: Option<&'a str>,
}

impl<'a> FunctionRef<'a> {
    fn parse(function: &'a str) -> FunctionRef<'a> {
        let parts: Vec<&str> = function.split(':').collect();
        let at = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());
        match parts.as_slice() {
            ["arn", _, "lambda", region, account, "function", name, ..] => {
                FunctionRef { name, qualifier: at(7), region: Some(region), account: Some(account) }
            }
            [account, "function", name, ..] => {
                FunctionRef { name, qualifier: at(3), region: None, account: Some(account) }
            }
            [name, ..] => FunctionRef { name, qualifier: at(1), region: None, account: None },
            [] => FunctionRef { name: function, qualifier: None, region: None, account: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mocks(config: Value) -> LambdaMocks {
        LambdaMocks::new(serde_json::from_value(config).expect("mock config"), 7)
    }

    fn text(response: &LambdaResponse) -> &str {
        std::str::from_utf8(&response.payload).expect("utf-8 payload")
    }

    #[test]
    fn functions_are_found_by_name_or_arn() {
        let cases = [
            ("f", "f", None),
            ("f:live", "f", Some("live")),
            ("111111111111:function:f", "f", None),
            ("arn:aws:lambda:us-east-1:111111111111:function:f", "f", None),
            ("arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST", "f", Some("$LATEST")),
        ];
        for (input, name, qualifier) in cases {
            let r = FunctionRef::parse(input);
            assert_eq!((r.name, r.qualifier), (name, qualifier), "{input}");
        }
    }

    /// Payloads and Content-Lengths recorded in `local_mocking/test_base_scenarios__test_parallel_state_lambda`.
    #[test]
    fn behaviours_return_what_the_python_handlers_return() {
        let m = mocks(json!({
            "id_function": {"behavior": "identity"},
            "return_decorated_input": {"behavior": "python_format", "template": "input-event-{event}"},
            "return_bytes_str": {"behavior": "constant_payload", "payload": "\"HelloWorld!\""},
            "big": {"behavior": "constant_payload", "payload_repeat": {"char": "a", "count": 5}},
            "answer": {"behavior": "constant", "result": {"theAnswer": 42}},
            "wait_60_seconds": {"behavior": "identity", "delay_seconds": 60}
        }));
        let arn = "arn:aws:lambda:us-east-1:111111111111:function:";
        let cases = [
            ("id_function", br#"["string-literal"]"#.as_slice(), r#"["string-literal"]"#),
            ("id_function", br#"{"a":1,"b":[true,null]}"#, r#"{"a": 1, "b": [true, null]}"#),
            ("return_decorated_input", br#"["string-literal"]"#, r#""input-event-['string-literal']""#),
            ("return_decorated_input", br#"{"k":"it's"}"#, r#""input-event-{'k': \"it's\"}""#),
            ("return_bytes_str", b"{}", r#""HelloWorld!""#),
            ("big", b"{}", "aaaaa"),
            ("answer", b"null", r#"{"theAnswer": 42}"#),
        ];
        for (name, payload, want) in cases {
            for function in [name.to_owned(), format!("{arn}{name}")] {
                let r = m.invoke(&function, payload, false).expect("function exists");
                assert_eq!((text(&r), r.function_error.as_deref()), (want, None), "{function}");
                assert_eq!(r.duration, Duration::ZERO);
            }
        }
        let slow = m.invoke("wait_60_seconds", b"{}", false).expect("function exists");
        assert_eq!(slow.duration, Duration::from_secs(60));
    }

    /// The shape AWS recorded for `raise_exception` and `raise_custom_exception`.
    #[test]
    fn raise_returns_a_function_error() {
        let m = mocks(json!({
            "raise_exception": {"behavior": "raise", "errorType": "Exception", "errorMessage": "Some exception was raised."},
            "raise_custom_exception": {"behavior": "raise", "errorType": "CustomException", "errorMessage": "",
                "recorded_failures": [{"error": "CustomException", "cause": {"errorMessage": "", "errorType": "CustomException",
                    "requestId": "<uuid:1>", "stackTrace": ["  File \"/var/task/handler.py\", line 9, in handler\n    raise CustomException()\n"]}}]}
        }));
        let r = m.invoke("raise_exception", b"null", false).expect("function exists");
        assert_eq!(r.function_error.as_deref(), Some("Unhandled"));
        let body: Value = serde_json::from_slice(&r.payload).expect("JSON error body");
        let keys: Vec<&str> = body.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys, ["errorMessage", "errorType", "requestId", "stackTrace"]);
        assert_eq!(body["errorMessage"], "Some exception was raised.");
        assert_eq!(
            body["stackTrace"],
            json!([
                "  File \"/var/task/handler.py\", line 2, in handler\n    raise Exception(\"Some exception was raised.\")\n"
            ])
        );
        assert!(
            text(&r).starts_with(
                r#"{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": ""#
            )
        );
        let custom = m.invoke("raise_custom_exception", b"{}", false).expect("function exists");
        let body: Value = serde_json::from_slice(&custom.payload).expect("JSON error body");
        assert_eq!(
            body["stackTrace"][0],
            "  File \"/var/task/handler.py\", line 9, in handler\n    raise CustomException()\n"
        );
        let again = m.invoke("raise_custom_exception", b"{}", false).expect("function exists");
        let again: Value = serde_json::from_slice(&again.payload).expect("JSON error body");
        assert_ne!(body["requestId"], again["requestId"], "each invocation has its own request id");
    }

    #[test]
    fn unknown_functions_are_not_found() {
        let m = mocks(json!({}));
        let err = m.invoke("no_such_raise_exception", b"null", false).expect_err("no such function");
        assert_eq!(err.error, "Lambda.ResourceNotFoundException");
        let prefix = format!(
            "Function not found: arn:aws:lambda:{}:{}:function:no_such_raise_exception:$LATEST \
             (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ",
            runner::REGION,
            runner::ACCOUNT
        );
        assert!(err.message.starts_with(&prefix) && err.message.ends_with("; Proxy: null)"), "{}", err.message);
        let err = m
            .invoke("arn:aws:lambda:eu-west-1:222222222222:function:g:v2", b"null", false)
            .expect_err("no such function");
        assert!(err.message.starts_with("Function not found: arn:aws:lambda:eu-west-1:222222222222:function:g:v2 ("));
    }

    #[test]
    fn checks_reject_unusable_configs() {
        let bad: MockFunction = serde_json::from_value(json!({"behavior": "constant_payload"})).expect("parses");
        assert!(bad.check().is_err());
        let bad: MockFunction =
            serde_json::from_value(json!({"behavior": "identity", "delay_seconds": -1})).expect("parses");
        assert!(bad.check().is_err());
    }
}
