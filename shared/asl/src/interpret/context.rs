//! The context object, `$$`
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html>).

use super::Branch;
use crate::model::StateMachine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// An execution's identity and input: the `Execution` and `StateMachine`
/// parts of the context object, fixed for the whole execution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionInfo {
    /// The execution ARN (`$$.Execution.Id`).
    pub execution_arn: String,
    /// The execution name.
    pub name: String,
    /// The execution input.
    pub input: Value,
    /// The input exactly as the caller sent it, when known: AWS records
    /// that text in `ExecutionStarted`, not a re-serialization.
    #[serde(default)]
    pub input_text: Option<String>,
    /// Start time, epoch ms.
    pub start_time: i64,
    /// The role the execution runs as.
    pub role_arn: String,
    /// The state machine ARN.
    pub state_machine_arn: String,
    /// The state machine name.
    pub state_machine_name: String,
    /// The region, as history events report it.
    pub region: String,
}

/// Builds `$$` for the branch's current state. `item` is `$$.Map.Item`
/// (index and value) while a Map state selects an item.
pub(crate) fn context_object(
    machine: &StateMachine,
    execution: &ExecutionInfo,
    branch: &Branch,
    item: Option<(u64, &Value)>,
) -> Value {
    let state = machine.state(branch.scope, branch.state);
    let mut state_obj = Map::new();
    state_obj.insert("Name".into(), json!(state.name));
    state_obj.insert("EnteredTime".into(), json!(crate::timestamp::format_rfc3339_millis(branch.entered_at)));
    if !state.io.retry.is_empty() {
        state_obj.insert("RetryCount".into(), json!(branch.retry_counts.iter().sum::<u32>()));
    }
    let mut ctx = json!({
        "Execution": {
            "Id": execution.execution_arn,
            "Input": execution.input,
            "StartTime": crate::timestamp::format_rfc3339_millis(execution.start_time),
            "Name": execution.name,
            "RoleArn": execution.role_arn,
            "RedriveCount": 0,
        },
        "StateMachine": {"Id": execution.state_machine_arn, "Name": execution.state_machine_name},
        "State": state_obj,
    });
    if let Some(token) = &branch.task_token {
        ctx["Task"] = json!({"Token": token});
    }
    if let Some((index, value)) = item {
        ctx["Map"] = json!({"Item": {"Index": index, "Value": value}});
    }
    ctx
}
