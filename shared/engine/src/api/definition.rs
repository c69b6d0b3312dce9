//! Checking a definition for CreateStateMachine, UpdateStateMachine and
//! ValidateStateMachineDefinition
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html>):
//! the validator's diagnostics plus the rules that depend on the state
//! machine's type, and the `InvalidDefinition` message built from them.

use super::ApiError;
use crate::records::StateMachineType;
use serde_json::Value;
use stepwise_asl::validate::{self, Diagnostic, Severity, codes, pointer_token};

/// Every problem with `definition` for a state machine of type `kind`.
pub(crate) fn diagnostics(definition: &str, kind: StateMachineType) -> Vec<Diagnostic> {
    let mut found = validate::parse_text(definition).err().unwrap_or_default();
    if kind == StateMachineType::Express
        && let Ok(value) = validate::definition_value(definition)
    {
        express_rules(&value, "", &mut found);
    }
    found
}

/// EXPRESS state machines cannot wait: AWS reports a Task whose resource
/// ends in `.waitForTaskToken` with "Express state machine does not support
/// '.waitForTaskToken' service integration " (sic, recorded from AWS in
/// localstack's test_sfn_api_validation.snapshot.json); `.sync` likewise.
fn express_rules(scope: &Value, prefix: &str, found: &mut Vec<Diagnostic>) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else { return };
    for (name, state) in states {
        let at = format!("{prefix}/States/{}", pointer_token(name));
        if state.get("Type").and_then(Value::as_str) == Some("Task")
            && let Some(resource) = state.get("Resource").and_then(Value::as_str)
        {
            for pattern in [".waitForTaskToken", ".sync"] {
                if resource.ends_with(pattern) || resource.contains(&format!("{pattern}:")) {
                    let message = format!("Express state machine does not support '{pattern}' service integration ");
                    found.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, format!("{at}/Resource"), message));
                }
            }
        }
        for (i, branch) in state.get("Branches").and_then(Value::as_array).into_iter().flatten().enumerate() {
            express_rules(branch, &format!("{at}/Branches/{i}"), found);
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(processor) = state.get(key) {
                express_rules(processor, &format!("{at}/{key}"), found);
            }
        }
    }
}

/// `InvalidDefinition` when `definition` has errors, worded as AWS words it:
/// "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing
/// 'Next' target: pass3 at /States/pass1/Next, …'" (quoted from AWS in
/// localstack/localstack#12487).
pub(crate) fn check(definition: &str, kind: StateMachineType) -> Result<(), ApiError> {
    let errors: Vec<String> = diagnostics(definition, kind)
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {} at {}", d.code, d.message, d.location))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::InvalidDefinition(format!("Invalid State Machine Definition: '{}'", errors.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn express_machines_cannot_wait_for_callbacks_even_in_branches() {
        let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "W", "States": {"W": {"Type": "Task", "End": true,
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}}}}]}}}"#;
        assert!(diagnostics(definition, StateMachineType::Standard).is_empty());
        let found = diagnostics(definition, StateMachineType::Express);
        let found: Vec<_> = found.iter().map(|d| (d.location.as_str(), d.message.as_str())).collect();
        assert_eq!(
            found,
            [(
                "/States/P/Branches/0/States/W/Resource",
                "Express state machine does not support '.waitForTaskToken' service integration "
            )]
        );
    }
}
