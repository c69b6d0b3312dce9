//! Tests of [`super::compare_report`] on hand-built reports. Expected values
//! are the corpus' recordings (case named at each test); our side is what
//! AWS's raw API responses look like before snapshot-v1 normalization.

use super::*;
use crate::conformance::case::Case;
use crate::runner::{ExecutionReport, ExecutionStatus};
use serde_json::json;
use std::path::Path;

fn case(text: Value) -> Case {
    Case::parse(Path::new("/cases/t/c.json"), &text.to_string()).expect("valid case")
}

fn report(status: ExecutionStatus, output: Option<&str>, error: Option<&str>, cause: Option<&str>) -> ExecutionReport {
    ExecutionReport {
        status,
        output: output.map(str::to_owned),
        error: error.map(str::to_owned),
        cause: cause.map(str::to_owned),
        events: Vec::new(),
    }
}

fn reasons(case: &Case, report: &ExecutionReport) -> Vec<String> {
    compare_report(case, report).iter().map(ToString::to_string).collect()
}

const NOT_FOUND: &str = "Function not found: arn:<partition>:lambda:<region>:111111111111:function:no_such_<lambda_function_name>:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)";

/// error_handling/test_task_service_lambda__test_no_such_function_catch.
fn no_such_function_case() -> Case {
    case(json!({
        "definition": {},
        "expected": {"status": "SUCCEEDED", "output": {
            "Error": "Lambda.ResourceNotFoundException", "Cause": NOT_FOUND,
            "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": NOT_FOUND}}},
        "comparison": {
            "placeholder_paths": ["/output/Cause", "/output/task_failed_error/Cause"],
            "placeholders": ["111111111111", "<lambda_function_name>", "<partition>", "<region>", "<request_id>", "arn:<partition>"]
        }
    }))
}

#[test]
fn placeholders_match_at_their_paths() {
    let cause = "Function not found: arn:aws:lambda:us-east-1:123456789012:function:no_such_raise_exception:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: 0d1e7f39-6c55-4a59-8f0a-2b6c5a0f5f01; Proxy: null)";
    let output = json!({"Error": "Lambda.ResourceNotFoundException", "Cause": cause,
        "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": cause}});
    let ours = report(ExecutionStatus::Succeeded, Some(&output.to_string()), None, None);
    assert_eq!(reasons(&no_such_function_case(), &ours), Vec::<String>::new());

    let wrong = cause.replace("404", "400");
    let output = json!({"Error": "Lambda.ResourceNotFoundException", "Cause": wrong,
        "task_failed_error": {"Error": "Lambda.ResourceNotFoundException", "Cause": cause}});
    let ours = report(ExecutionStatus::Succeeded, Some(&output.to_string()), None, None);
    let got = reasons(&no_such_function_case(), &ours);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("output: at /Cause: expected \"Function not found"), "{got:?}");
}

#[test]
fn placeholders_elsewhere_are_literal() {
    let c = case(json!({
        "definition": {}, "expected": {"status": "SUCCEEDED", "output": {"a": "<region>", "b": "x-<region>"}},
        "comparison": {"placeholder_paths": ["/output/a"], "placeholders": ["<region>"]}
    }));
    let ok = report(ExecutionStatus::Succeeded, Some(r#"{"a":"us-east-1","b":"x-<region>"}"#), None, None);
    assert_eq!(reasons(&c, &ok), Vec::<String>::new());
    let bad = report(ExecutionStatus::Succeeded, Some(r#"{"a":"us-east-1","b":"x-us-east-1"}"#), None, None);
    assert_eq!(reasons(&c, &bad), ["output: at /b: expected \"x-<region>\", got \"x-us-east-1\""]);
}

/// services/test_lambda_task_service__test_invoke_unsupported_param: `/output/LogResult#key`.
#[test]
fn key_placeholders() {
    let c = case(json!({
        "definition": {}, "expected": {"status": "SUCCEEDED", "output": {"<LogResult:1>": 1, "LogResult": "<LogResult:1>"}},
        "comparison": {"placeholder_paths": ["/output/<LogResult:1>#key", "/output/LogResult"], "placeholders": ["<LogResult:1>"]}
    }));
    let ok = report(ExecutionStatus::Succeeded, Some(r#"{"LogResult":"abc","abc":1}"#), None, None);
    assert_eq!(reasons(&c, &ok), Vec::<String>::new());
    let bad = report(ExecutionStatus::Succeeded, Some(r#"{"LogResult":"abc","abd":1}"#), None, None);
    assert_eq!(reasons(&c, &bad), ["output: no key matching \"<LogResult:1>\" (expected 1)"]);
}

/// services/test_lambda_task_service__test_invoke: header values are
/// placeholders (README), and other values replaced by their own key.
#[test]
fn whole_value_replacements_match_anything() {
    let c = case(json!({
        "definition": {}, "expected": {"status": "SUCCEEDED", "output": {"SdkHttpMetadata": {"HttpHeaders": {
            "Date": "date", "x-amzn-RequestId": "x-amzn-RequestId", "Content-Length": "2"},
            "AllHttpHeaders": {"x-amzn-RequestId": "x-amzn-RequestId"}}, "SdkResponseMetadata": {"RequestId": "RequestId"},
            "Other": {"Date": "date", "n": "2"}}},
        "comparison": {"placeholders": ["date"]}
    }));
    let ours = r#"{"SdkHttpMetadata":{"HttpHeaders":{"Date":"Tue, 07 May 2024 10:00:00 GMT",
        "x-amzn-RequestId":"5b0e","Content-Length":"82"},"AllHttpHeaders":{"x-amzn-RequestId":["5b0e"]}},
        "SdkResponseMetadata":{"RequestId":"5b0e"},"Other":{"Date":"Tue","n":"2"}}"#;
    assert_eq!(reasons(&c, &report(ExecutionStatus::Succeeded, Some(ours), None, None)), Vec::<String>::new());
    let changed = ours.replace(r#""n":"2""#, r#""n":"3""#);
    assert_eq!(
        reasons(&c, &report(ExecutionStatus::Succeeded, Some(&changed), None, None)),
        ["output: at /Other/n: expected \"2\", got \"3\""]
    );
    let renamed = ours.replace(r#""Content-Length":"82""#, r#""Content-Size":"82""#);
    assert_eq!(reasons(&c, &report(ExecutionStatus::Succeeded, Some(&renamed), None, None)).len(), 1);
}

/// error_handling/test_task_lambda__test_no_such_function: an object cause
/// with a `<uuid:1>` request id, and our cause as Lambda's raw error text.
#[test]
fn object_causes_and_uuid_bindings() {
    let c = case(json!({
        "definition": {},
        "expected": {"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "Some exception was raised.",
            "errorType": "Exception", "requestId": "<uuid:1>", "stackTrace": ["  File \"/var/task/handler.py\", line 2"]}},
        "comparison": {"placeholder_paths": ["/cause/requestId"], "placeholders": ["<uuid:1>"]}
    }));
    let cause = r#"{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": "6b3c", "stackTrace": ["  File \"/var/task/handler.py\", line 2"]}"#;
    let ours = report(ExecutionStatus::Failed, None, Some("Exception"), Some(cause));
    assert_eq!(reasons(&c, &ours), Vec::<String>::new());
    let ours = report(ExecutionStatus::Failed, None, Some("Exception"), None);
    assert_eq!(reasons(&c, &ours).len(), 1);
}

#[test]
fn status_error_and_cause_are_each_reported() {
    let c = case(json!({"definition": {}, "expected": {"status": "FAILED", "error": "States.Timeout"}}));
    let ours = report(ExecutionStatus::Succeeded, Some("{}"), None, Some("why"));
    assert_eq!(
        reasons(&c, &ours),
        [
            "status: expected FAILED, got SUCCEEDED",
            "error: expected \"States.Timeout\", got none",
            "cause: expected none, got \"why\""
        ]
    );
}

#[test]
fn outputs_compare_as_decoded_values() {
    let cases = [
        (json!(null), "null", true),
        (json!([1, 2]), "[1,2]", true),
        (json!("s"), "\"s\"", true),
        (json!({"a": 1, "b": 2}), r#"{"b":2,"a":1}"#, true),
        (json!({"TimestampValue": "date"}), r#"{"TimestampValue":"2016-03-14T01:59:00Z"}"#, true),
        (json!({"a": 1.0}), r#"{"a":1}"#, false),
        (json!({"a": [1, 2]}), r#"{"a":[1,2,3]}"#, false),
        (json!({"a": 1}), r#"{"a":1,"b":2}"#, false),
    ];
    for (expected, ours, pass) in cases {
        let c = case(json!({"definition": {}, "expected": {"status": "SUCCEEDED", "output": expected}}));
        let got = reasons(&c, &report(ExecutionStatus::Succeeded, Some(ours), None, None));
        assert_eq!(got.is_empty(), pass, "{expected} vs {ours}: {got:?}");
    }
    let c = case(json!({"definition": {}, "expected": {"status": "SUCCEEDED", "output": {"a": 1.0}}}));
    let got = reasons(&c, &report(ExecutionStatus::Succeeded, Some(r#"{"a":1}"#), None, None));
    assert_eq!(got, ["output: at /a: expected 1.0, got 1 (the same number, written differently)"]);
}

#[test]
fn masked_outputs_are_not_compared() {
    let c = case(json!({"definition": {}, "expected": {"status": "SUCCEEDED", "output_masked": true}}));
    assert!(reasons(&c, &report(ExecutionStatus::Succeeded, Some("{\"x\":1}"), None, None)).is_empty());
}

#[test]
fn long_strings_are_shown_around_the_difference() {
    let long = "x".repeat(300);
    let c = case(json!({"definition": {}, "expected": {"status": "SUCCEEDED", "output": format!("{long}A{long}")}}));
    let ours = Value::String(format!("{long}B{long}")).to_string();
    let got = reasons(&c, &report(ExecutionStatus::Succeeded, Some(&ours), None, None));
    assert_eq!(got.len(), 1);
    assert!(got[0].contains("…\"xxxx") && got[0].contains("A") && got[0].contains("B"), "{got:?}");
    assert!(got[0].len() < 300, "{}", got[0]);
}
