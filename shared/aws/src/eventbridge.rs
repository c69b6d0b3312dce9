//! The [`EventBridgeSink`] publishes "Step Functions Execution Status Change"
//! events with PutEvents, in the shape Step Functions gives them
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html>).
//!
//! The detail is DescribeExecution's fields: `executionArn`,
//! `stateMachineArn`, `name`, `status`, `startDate` and `stopDate` (epoch ms
//! numbers, `stopDate` null while running), `input`, `output`,
//! `inputDetails`/`outputDetails` (`{"included": true}`), `error`, `cause`.
//! As on AWS, when the escaped input and output together exceed 248 KB the
//! input is left out (`inputDetails.included` false), and an output that
//! alone exceeds 248 KB is left out too. `source` cannot be `aws.states`
//! (AWS reserves `aws.*` for its services), so it is [`SOURCE`]; rules match
//! on it and on `detail-type`.

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::primitives::DateTime;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use serde_json::{Value, json};
use stepwise_engine::ports::EventSink;
use stepwise_engine::records::StatusChange;

/// The events' `source`.
pub const SOURCE: &str = "stepwise.states";
/// The events' `detail-type`, as AWS names it.
pub const DETAIL_TYPE: &str = "Step Functions Execution Status Change";
/// Escaped payload bytes an event may carry (AWS: 248 KB).
pub const PAYLOAD_LIMIT: usize = 248 * 1024;

/// The escaped length of `text` as a JSON string.
fn escaped_len(text: &str) -> usize {
    serde_json::to_string(text).map_or(text.len(), |s| s.len())
}

/// The event detail for `change`.
pub fn detail(change: &StatusChange) -> Value {
    let input_len = escaped_len(&change.input);
    let output_len = change.output.as_deref().map_or(0, escaped_len);
    let input_included = input_len + output_len <= PAYLOAD_LIMIT;
    let output_included = output_len <= PAYLOAD_LIMIT;
    json!({
        "executionArn": change.execution_arn,
        "stateMachineArn": change.state_machine_arn,
        "name": change.name,
        "status": change.status.as_str(),
        "startDate": change.start_date,
        "stopDate": change.stop_date,
        "input": if input_included { Some(&change.input) } else { None },
        "output": if output_included { change.output.as_ref() } else { None },
        "inputDetails": {"included": input_included},
        "outputDetails": change.output.as_ref().map(|_| json!({"included": output_included})),
        "error": change.error,
        "cause": change.cause,
    })
}

/// Publishes status changes to an event bus.
#[derive(Debug, Clone)]
pub struct EventBridgeSink {
    client: Client,
    bus: String,
}

impl EventBridgeSink {
    /// Publishes to `bus` (a name or ARN; `default` for the account's bus).
    pub fn new(client: Client, bus: impl Into<String>) -> Self {
        EventBridgeSink { client, bus: bus.into() }
    }

    /// The bus.
    pub fn bus(&self) -> &str {
        &self.bus
    }

    /// The PutEvents entry for `change`.
    pub fn entry(&self, change: &StatusChange) -> PutEventsRequestEntry {
        // The event's time is the change's own, so a repeated publish of the
        // same change is the same event.
        let at = change.stop_date.unwrap_or(change.start_date);
        PutEventsRequestEntry::builder()
            .source(SOURCE)
            .detail_type(DETAIL_TYPE)
            .detail(detail(change).to_string())
            .resources(&change.execution_arn)
            .time(DateTime::from_millis(at))
            .event_bus_name(&self.bus)
            .build()
    }
}

impl EventSink for EventBridgeSink {
    async fn publish(&self, change: &StatusChange) -> Result<(), String> {
        let output =
            self.client.put_events().entries(self.entry(change)).send().await.map_err(|e| crate::error_text(&e))?;
        if output.failed_entry_count > 0 {
            let why: Vec<String> = output
                .entries()
                .iter()
                .filter_map(|e| e.error_code().map(|c| format!("{c}: {}", e.error_message().unwrap_or_default())))
                .collect();
            return Err(format!("PutEvents refused the event: {}", why.join("; ")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_engine::records::ExecutionStatus;

    fn change(input: String, output: Option<String>) -> StatusChange {
        StatusChange {
            execution_arn: "arn:aws:states:us-east-1:123456789012:execution:sm:e".into(),
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:sm".into(),
            name: "e".into(),
            status: ExecutionStatus::Succeeded,
            start_date: 1_551_225_271_984,
            stop_date: Some(1_551_225_272_984),
            input,
            output,
            error: None,
            cause: None,
        }
    }

    // The "Execution Succeeded" example of the Developer Guide page above.
    #[test]
    fn detail_has_the_aws_fields() {
        let d = detail(&change("{}".into(), Some(r#""Hello""#.into())));
        assert_eq!(d["status"], "SUCCEEDED");
        assert_eq!(d["startDate"], 1_551_225_271_984_i64);
        assert_eq!(d["stopDate"], 1_551_225_272_984_i64);
        assert_eq!(d["input"], "{}");
        assert_eq!(d["output"], r#""Hello""#);
        assert_eq!(d["inputDetails"], json!({"included": true}));
        assert_eq!(d["outputDetails"], json!({"included": true}));
        assert_eq!(d["error"], Value::Null);
        let back: StatusChange = serde_json::from_value(d).unwrap();
        assert_eq!(back, change("{}".into(), Some(r#""Hello""#.into())), "consumers read it back whole");
    }

    #[test]
    fn a_running_execution_has_no_stop_date_or_output_details() {
        let mut running = change("{}".into(), None);
        running.status = ExecutionStatus::Running;
        running.stop_date = None;
        let d = detail(&running);
        assert_eq!(d["stopDate"], Value::Null);
        assert_eq!(d["outputDetails"], Value::Null);
    }

    #[test]
    fn large_payloads_leave_the_input_out_first() {
        let big = format!("\"{}\"", "x".repeat(200 * 1024));
        let d = detail(&change(big.clone(), Some(big.clone())));
        assert_eq!((d["input"].clone(), d["inputDetails"]["included"].clone()), (Value::Null, json!(false)));
        assert_eq!(d["output"], big.as_str());
        let huge = format!("\"{}\"", "x".repeat(250 * 1024));
        let d = detail(&change("{}".into(), Some(huge)));
        assert_eq!(d["outputDetails"]["included"], false);
        assert_eq!(d["output"], Value::Null);
    }
}
