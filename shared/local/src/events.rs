//! Status-change events as JSON lines, in EventBridge's event shape
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html>).

use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use stepwise_engine::ports::EventSink;
use stepwise_engine::records::StatusChange;

/// Appends one EventBridge-shaped event per status change to a file, or
/// discards them when there is no file.
#[derive(Clone, Default)]
pub struct JsonLinesSink {
    file: Option<Arc<Mutex<std::fs::File>>>,
    region: String,
    account: String,
}

impl JsonLinesSink {
    /// A sink appending to `path` (created if missing).
    pub fn open(path: &Path, region: &str, account: &str) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        Ok(JsonLinesSink { file: Some(Arc::new(Mutex::new(file))), region: region.into(), account: account.into() })
    }

    /// A sink that drops every event.
    pub fn discard() -> Self {
        JsonLinesSink::default()
    }
}

/// The EventBridge event for a change: AWS's envelope and detail fields,
/// with Stepwise's own source (`aws.*` sources are reserved for AWS).
pub fn eventbridge_event(change: &StatusChange, region: &str, account: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "detail-type": "Step Functions Execution Status Change",
        "source": "stepwise.states",
        "account": account,
        "region": region,
        "resources": [change.execution_arn],
        "detail": {
            "executionArn": change.execution_arn,
            "stateMachineArn": change.state_machine_arn,
            "name": change.name,
            "status": change.status.as_str(),
            "startDate": change.start_date,
            "stopDate": change.stop_date,
            "input": change.input,
            "output": change.output,
            "inputDetails": {"included": true},
            "outputDetails": change.output.as_ref().map(|_| json!({"included": true})),
            "error": change.error,
            "cause": change.cause,
        }
    })
}

impl EventSink for JsonLinesSink {
    async fn publish(&self, change: &StatusChange) -> Result<(), String> {
        let Some(file) = &self.file else { return Ok(()) };
        let line = eventbridge_event(change, &self.region, &self.account).to_string();
        let mut file = file.lock().map_err(|_| "event file lock poisoned".to_owned())?;
        writeln!(file, "{line}").map_err(|e| e.to_string())
    }
}
