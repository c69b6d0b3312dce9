//! Execution history events, in GetExecutionHistory's shape
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html>).
//!
//! The interpreter emits these with ids already assigned, so `previousEventId`
//! links and the "entered at the event id #N" of runtime errors are pure.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow;

/// One history event. `details` holds the `*EventDetails` object; its key
/// in GetExecutionHistory is derived from `event_type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEvent {
    /// `id`, from 1, in order of occurrence within the execution.
    pub id: i64,
    /// `previousEventId`: the event this one follows in its branch; 0 for none.
    pub previous_event_id: i64,
    /// `type`, such as `PassStateEntered`.
    pub event_type: Cow<'static, str>,
    /// When it happened, epoch milliseconds.
    pub timestamp: i64,
    /// The event's details, or none.
    pub details: Details,
}

/// The `*EventDetails` payloads Stepwise records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(missing_docs)] // each variant mirrors the AWS shape of the same name
pub enum Details {
    None,
    ExecutionStarted {
        input: String,
        role_arn: String,
        state_machine_alias_arn: Option<String>,
    },
    ExecutionSucceeded {
        output: String,
    },
    ExecutionFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionAborted {
        error: Option<String>,
        cause: Option<String>,
    },
    ExecutionTimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    StateEntered {
        name: String,
        input: String,
    },
    StateExited {
        name: String,
        output: String,
    },
    MapRunStarted {
        map_run_arn: String,
    },
    MapStateStarted {
        length: u64,
    },
    MapIteration {
        name: String,
        index: u64,
    },
    TaskScheduled {
        resource_type: String,
        resource: String,
        region: String,
        parameters: String,
        timeout_in_seconds: Option<u64>,
        heartbeat_in_seconds: Option<u64>,
    },
    TaskStarted {
        resource_type: String,
        resource: String,
    },
    TaskSucceeded {
        resource_type: String,
        resource: String,
        output: String,
    },
    TaskFailed {
        resource_type: String,
        resource: String,
        error: Option<String>,
        cause: Option<String>,
    },
    LambdaFunctionScheduled {
        resource: String,
        input: String,
        timeout_in_seconds: Option<u64>,
    },
    LambdaFunctionSucceeded {
        output: String,
    },
    LambdaFunctionFailed {
        error: Option<String>,
        cause: Option<String>,
    },
}

fn error_cause(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut o = serde_json::Map::new();
    if let Some(e) = error {
        o.insert("error".into(), json!(e));
    }
    if let Some(c) = cause {
        o.insert("cause".into(), json!(c));
    }
    Value::Object(o)
}

fn not_truncated() -> Value {
    json!({"truncated": false})
}

impl HistoryEvent {
    /// The `*EventDetails` key for this event type, per API_HistoryEvent.
    fn details_key(&self) -> Option<&'static str> {
        let t = self.event_type.as_ref();
        Some(match t {
            _ if t.ends_with("StateEntered") => "stateEnteredEventDetails",
            _ if t.ends_with("StateExited") => "stateExitedEventDetails",
            "MapStateStarted" => "mapStateStartedEventDetails",
            "MapRunStarted" => "mapRunStartedEventDetails",
            "MapIterationStarted" => "mapIterationStartedEventDetails",
            "MapIterationSucceeded" => "mapIterationSucceededEventDetails",
            "MapIterationFailed" => "mapIterationFailedEventDetails",
            "MapIterationAborted" => "mapIterationAbortedEventDetails",
            "ExecutionStarted" => "executionStartedEventDetails",
            "ExecutionSucceeded" => "executionSucceededEventDetails",
            "ExecutionFailed" => "executionFailedEventDetails",
            "ExecutionAborted" => "executionAbortedEventDetails",
            "ExecutionTimedOut" => "executionTimedOutEventDetails",
            "TaskScheduled" => "taskScheduledEventDetails",
            "TaskStarted" => "taskStartedEventDetails",
            "TaskSucceeded" => "taskSucceededEventDetails",
            "TaskFailed" => "taskFailedEventDetails",
            "TaskTimedOut" => "taskTimedOutEventDetails",
            "LambdaFunctionScheduled" => "lambdaFunctionScheduledEventDetails",
            "LambdaFunctionSucceeded" => "lambdaFunctionSucceededEventDetails",
            "LambdaFunctionFailed" => "lambdaFunctionFailedEventDetails",
            "LambdaFunctionTimedOut" => "lambdaFunctionTimedOutEventDetails",
            _ => return None,
        })
    }

    fn details_json(&self) -> Option<Value> {
        Some(match &self.details {
            Details::None => return None,
            Details::ExecutionStarted { input, role_arn, state_machine_alias_arn } => {
                let mut v = json!({"input": input, "inputDetails": not_truncated(), "roleArn": role_arn});
                if let Some(alias) = state_machine_alias_arn {
                    v["stateMachineAliasArn"] = json!(alias);
                }
                v
            }
            Details::ExecutionSucceeded { output } => {
                json!({"output": output, "outputDetails": not_truncated()})
            }
            Details::ExecutionFailed { error, cause }
            | Details::ExecutionAborted { error, cause }
            | Details::ExecutionTimedOut { error, cause }
            | Details::LambdaFunctionFailed { error, cause } => error_cause(error, cause),
            Details::StateEntered { name, input } => {
                json!({"name": name, "input": input, "inputDetails": not_truncated()})
            }
            Details::StateExited { name, output } => {
                json!({"name": name, "output": output, "outputDetails": not_truncated()})
            }
            Details::MapStateStarted { length } => json!({"length": length}),
            Details::MapRunStarted { map_run_arn } => json!({"mapRunArn": map_run_arn}),
            Details::MapIteration { name, index } => json!({"name": name, "index": index}),
            Details::TaskScheduled {
                resource_type,
                resource,
                region,
                parameters,
                timeout_in_seconds,
                heartbeat_in_seconds,
            } => {
                let mut v = json!({"resourceType": resource_type, "resource": resource, "region": region, "parameters": parameters});
                if let Some(t) = timeout_in_seconds {
                    v["timeoutInSeconds"] = json!(t);
                }
                if let Some(h) = heartbeat_in_seconds {
                    v["heartbeatInSeconds"] = json!(h);
                }
                v
            }
            Details::TaskStarted { resource_type, resource } => {
                json!({"resourceType": resource_type, "resource": resource})
            }
            Details::TaskSucceeded { resource_type, resource, output } => json!({
                "resourceType": resource_type, "resource": resource, "output": output, "outputDetails": not_truncated()
            }),
            Details::TaskFailed { resource_type, resource, error, cause } => {
                let mut v = error_cause(error, cause);
                v["resourceType"] = json!(resource_type);
                v["resource"] = json!(resource);
                v
            }
            Details::LambdaFunctionScheduled { resource, input, timeout_in_seconds } => {
                let mut v = json!({"resource": resource, "input": input, "inputDetails": not_truncated()});
                if let Some(t) = timeout_in_seconds {
                    v["timeoutInSeconds"] = json!(t);
                }
                v
            }
            Details::LambdaFunctionSucceeded { output } => {
                json!({"output": output, "outputDetails": not_truncated()})
            }
        })
    }

    /// The event as GetExecutionHistory returns it, with `timestamp` in epoch
    /// seconds (fractional), as the AWS JSON protocol encodes timestamps.
    pub fn to_api_json(&self) -> Value {
        let mut v = json!({
            "timestamp": self.timestamp as f64 / 1000.0,
            "type": self.event_type,
            "id": self.id,
            "previousEventId": self.previous_event_id,
        });
        if let (Some(key), Some(details)) = (self.details_key(), self.details_json()) {
            v[key] = details;
        }
        v
    }
}
