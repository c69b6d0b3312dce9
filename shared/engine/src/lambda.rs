//! Lambda results as Step Functions shapes them, shared by every place a
//! Lambda function is invoked (the CLI's Invoke endpoint, the AWS SDK):
//! "Invoke an AWS Lambda function with Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html>):
//! a Lambda ARN resource returns the function's payload; the optimized
//! `arn:aws:states:::lambda:invoke` returns `{ExecutedVersion, Payload,
//! SdkHttpMetadata, SdkResponseMetadata, StatusCode}`.

use serde_json::{Value, json};
use stepwise_asl::error::Failure;

/// Which resource form called the function, and so the result's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `arn:aws:lambda:…:function:…`: the function's payload.
    Classic,
    /// `arn:aws:states:::lambda:invoke`: the Invoke response with metadata;
    /// `log_tail` for `LogType: Tail`.
    Optimized {
        /// `LogType: Tail` was asked for.
        log_tail: bool,
    },
}

/// A Lambda Invoke answer as the Task sees it: `payload` is the response
/// body, `function_error` says the `X-Amz-Function-Error` header was set
/// (the function raised), `log_result` is `X-Amz-Log-Result`.
pub fn lambda_result(
    shape: Shape,
    payload: &[u8],
    function_error: bool,
    log_result: Option<String>,
) -> Result<Value, Failure> {
    let text = String::from_utf8_lossy(payload).into_owned();
    if function_error {
        let error = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("errorType").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_else(|| "Lambda.Unknown".to_owned());
        // The optimized integration re-serializes the error payload compactly;
        // the classic Lambda resource passes the runtime's text through
        // (recorded runs: conformance error_handling/test_task_service_lambda_*
        // vs scenarios/test_lambda_invoke_with_retry_extended_input).
        let cause = match serde_json::from_str::<Value>(&text) {
            Ok(v) if shape != Shape::Classic => stepwise_asl::json::to_text(&v),
            _ => text,
        };
        return Err(Failure::new(error, cause));
    }
    let result = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text.clone()));
    match shape {
        Shape::Classic => Ok(result),
        Shape::Optimized { .. } => Ok(invoke_result(result, text.len(), log_result)),
    }
}

/// The optimized integration's result around a payload, with the response
/// metadata fields AWS returns.
pub fn invoke_result(payload: Value, length: usize, log_result: Option<String>) -> Value {
    let request_id = new_request_id();
    let date = httpdate_now();
    let mut result = json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [length.to_string()],
                "Date": [date],
                "X-Amzn-Trace-Id": ["Root=1-00000000-000000000000000000000000;Sampled=0"],
                "Content-Type": ["application/json"]
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": length.to_string(),
                "Content-Type": "application/json",
                "Date": date,
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "X-Amzn-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0"
            },
            "HttpStatusCode": 200
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200
    });
    if let (Some(log), Some(fields)) = (log_result, result.as_object_mut()) {
        // `LogType: Tail` adds the log tail as `LogResult` and its header.
        fields.shift_insert(1, "LogResult".to_owned(), json!(log));
        result["SdkHttpMetadata"]["AllHttpHeaders"]["X-Amz-Log-Result"] = json!([log]);
        result["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Log-Result"] = json!(log);
    }
    result
}

fn new_request_id() -> String {
    use std::hash::{BuildHasher, RandomState};
    let seed = RandomState::new().hash_one(0u8);
    stepwise_asl::rng::Rng::new(seed).uuid_v4()
}

/// The HTTP `Date` header value for now (RFC 7231 IMF-fixdate).
fn httpdate_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let iso = stepwise_asl::timestamp::format_rfc3339_millis(secs * 1000);
    // `YYYY-MM-DDThh:mm:ss.000Z` → `Www, DD Mon YYYY hh:mm:ss GMT`
    let days = secs.div_euclid(86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = iso.get(5..7).and_then(|m| m.parse::<usize>().ok()).unwrap_or(1);
    format!(
        "{weekday}, {} {} {} {} GMT",
        iso.get(8..10).unwrap_or("01"),
        month_names[(month.clamp(1, 12)) - 1],
        iso.get(0..4).unwrap_or("1970"),
        iso.get(11..19).unwrap_or("00:00:00")
    )
}
