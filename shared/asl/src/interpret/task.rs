//! The Task state: request a task, then process its result or failure.
//! AWS: <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html> and
//! "Service integration patterns"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html>).

use super::io::{check_size, effective_input, filter, output, runtime};
use super::{Branch, Next, Phase, Recorder, exit_state, failure};
use crate::error::{Failure, names};
use crate::history::Details;
use crate::json::to_text;
use crate::model::{NumberOrPath, State, Task};
use serde_json::Value;

/// What kind of resource a Task calls, from its `Resource` ARN.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TaskKind {
    /// `arn:aws:lambda:…:function:…`: history shows `LambdaFunction…` events.
    LambdaFunction,
    /// An activity ARN (`arn:aws:states:…:activity:…`).
    Activity,
    /// A service integration `arn:aws:states:::<type>:<resource>`, such as
    /// `lambda` / `invoke` or `sqs` / `sendMessage.waitForTaskToken`.
    Service {
        /// `resourceType` in history, e.g. `lambda`.
        resource_type: String,
        /// `resource` in history, e.g. `invoke`.
        resource: String,
    },
}

/// How a service integration waits
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IntegrationPattern {
    /// Call and take the response.
    RequestResponse,
    /// `.sync`: run a job and wait for it.
    Sync,
    /// `.sync:2`: as `.sync`, with a JSON output.
    Sync2,
    /// `.waitForTaskToken`: wait for SendTaskSuccess/Failure with the token.
    WaitForTaskToken,
}

/// A task for the engine to run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TaskRequest {
    /// The Task state's name.
    pub state_name: String,
    /// The `Resource` ARN as written.
    pub resource: String,
    /// The kind of resource.
    pub kind: TaskKind,
    /// The integration pattern.
    pub pattern: IntegrationPattern,
    /// The effective input: the payload to send.
    pub parameters: Value,
    /// The task token, for `.waitForTaskToken` and activities.
    pub token: Option<String>,
    /// TimeoutSeconds, resolved.
    pub timeout_seconds: Option<u64>,
    /// HeartbeatSeconds, resolved.
    pub heartbeat_seconds: Option<u64>,
}

/// Reads a Task's `Resource` ARN.
pub fn classify(resource: &str) -> (TaskKind, IntegrationPattern) {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let (service, rest) = (parts.get(2).copied().unwrap_or(""), parts.get(5).copied().unwrap_or(""));
    if service == "lambda" {
        return (TaskKind::LambdaFunction, IntegrationPattern::RequestResponse);
    }
    if rest.starts_with("activity:") {
        return (TaskKind::Activity, IntegrationPattern::WaitForTaskToken);
    }
    let (resource_type, action) = match rest.split_once(':') {
        Some(("aws-sdk", tail)) => match tail.split_once(':') {
            Some((svc, action)) => (format!("aws-sdk:{svc}"), action.to_owned()),
            None => ("aws-sdk".to_owned(), tail.to_owned()),
        },
        Some((t, action)) => (t.to_owned(), action.to_owned()),
        None => (rest.to_owned(), String::new()),
    };
    let pattern = if action.ends_with(".waitForTaskToken") {
        IntegrationPattern::WaitForTaskToken
    } else if action.ends_with(".sync:2") {
        IntegrationPattern::Sync2
    } else if action.ends_with(".sync") {
        IntegrationPattern::Sync
    } else {
        IntegrationPattern::RequestResponse
    };
    (TaskKind::Service { resource_type, resource: action }, pattern)
}

fn seconds(
    branch: &Branch,
    state: &State,
    field: &str,
    value: Option<&NumberOrPath>,
    input: &Value,
    rec: &Recorder<'_, '_>,
) -> Result<Option<u64>, Failure> {
    match value {
        None => Ok(None),
        Some(NumberOrPath::Literal(n)) => Ok(Some(*n as u64)),
        Some(NumberOrPath::Path(p)) => {
            let v = super::io::select(branch, state, p, input, rec)?;
            match v.as_u64() {
                Some(n) if n > 0 => Ok(Some(n)),
                _ => Err(runtime(
                    branch,
                    state,
                    format!(
                        "The {field}Path field refers to value \"{}\" which is not a valid positive integer: {p}",
                        to_text(&v)
                    ),
                )),
            }
        }
    }
}

pub(crate) fn start(branch: &mut Branch, state: &State, task: &Task, rec: &mut Recorder<'_, '_>) -> Next {
    let (kind, pattern) = classify(&task.resource);
    // Each attempt waits for a token of its own: a retried callback task
    // must not be completed by the previous attempt's token.
    branch.task_token = (pattern == IntegrationPattern::WaitForTaskToken).then(|| (rec.env.new_token)());
    let prepared = (|| {
        let filtered = filter(branch, state, &state.io.input_path, branch.input.clone(), rec)?;
        let timeout = seconds(branch, state, "TimeoutSeconds", task.timeout.as_ref(), &filtered, rec)?;
        let heartbeat = seconds(branch, state, "HeartbeatSeconds", task.heartbeat.as_ref(), &filtered, rec)?;
        let parameters = effective_input(branch, state, rec)?;
        Ok::<_, Failure>((parameters, timeout, heartbeat))
    })();
    let (parameters, timeout_seconds, heartbeat_seconds) = match prepared {
        Ok(p) => p,
        Err(f) => return failure::handle(branch, state, f, rec),
    };
    let parameters_text = to_text(&parameters);
    match &kind {
        TaskKind::LambdaFunction => {
            let details = Details::LambdaFunctionScheduled {
                resource: task.resource.clone(),
                input: parameters_text,
                timeout_in_seconds: timeout_seconds,
            };
            rec.emit(branch, "LambdaFunctionScheduled", details);
            rec.emit(branch, "LambdaFunctionStarted", Details::None);
        }
        TaskKind::Activity => {
            rec.emit(branch, "ActivityScheduled", Details::None);
        }
        TaskKind::Service { resource_type, resource } => {
            let details = Details::TaskScheduled {
                resource_type: resource_type.clone(),
                resource: resource.clone(),
                region: rec.env.execution.region.clone(),
                parameters: parameters_text,
                timeout_in_seconds: timeout_seconds,
                heartbeat_in_seconds: heartbeat_seconds,
            };
            rec.emit(branch, "TaskScheduled", details);
            let started = Details::TaskStarted { resource_type: resource_type.clone(), resource: resource.clone() };
            rec.emit(branch, "TaskStarted", started);
        }
    }
    branch.phase = Phase::Task;
    Next::Task(Box::new(TaskRequest {
        state_name: state.name.clone(),
        resource: task.resource.clone(),
        kind,
        pattern,
        parameters,
        token: branch.task_token.clone(),
        timeout_seconds,
        heartbeat_seconds,
    }))
}

/// Records a task's failure (or time-out) and hands it to Retry/Catch.
pub(crate) fn failed(branch: &mut Branch, failure: Failure, timed_out: bool, rec: &mut Recorder<'_, '_>) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    let crate::model::Kind::Task(task) = &state.kind else {
        return Next::Failed(failure);
    };
    let (kind, _) = classify(&task.resource);
    let suffix = if timed_out { "TimedOut" } else { "Failed" };
    let (error, cause) = (Some(failure.error.clone()), failure.cause.clone());
    match kind {
        TaskKind::LambdaFunction => {
            rec.emit(branch, format!("LambdaFunction{suffix}"), Details::LambdaFunctionFailed { error, cause });
        }
        TaskKind::Activity => {
            rec.emit(branch, format!("Activity{suffix}"), Details::LambdaFunctionFailed { error, cause });
        }
        TaskKind::Service { resource_type, resource } => {
            rec.emit(branch, format!("Task{suffix}"), Details::TaskFailed { resource_type, resource, error, cause });
        }
    }
    failure::handle(branch, state, failure, rec)
}

pub(crate) fn succeeded(branch: &mut Branch, result: Value, rec: &mut Recorder<'_, '_>) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    let crate::model::Kind::Task(task) = &state.kind else {
        return Next::Failed(Failure::bare(names::RUNTIME));
    };
    let (kind, _) = classify(&task.resource);
    let what = match &kind {
        TaskKind::Service { resource_type, .. } => resource_type.clone(),
        _ => task.resource.clone(),
    };
    if let Err(f) = check_size(&what, &result) {
        return failed(branch, f, false, rec);
    }
    let output_text = to_text(&result);
    match kind {
        TaskKind::LambdaFunction => {
            rec.emit(branch, "LambdaFunctionSucceeded", Details::LambdaFunctionSucceeded { output: output_text });
        }
        TaskKind::Activity => {
            rec.emit(branch, "ActivitySucceeded", Details::LambdaFunctionSucceeded { output: output_text });
        }
        TaskKind::Service { resource_type, resource } => {
            rec.emit(branch, "TaskSucceeded", Details::TaskSucceeded { resource_type, resource, output: output_text });
        }
    }
    branch.task_token = None;
    match output(branch, state, result, rec) {
        Ok((out, text)) => exit_state(branch, state, out, Some(text), state.io.transition, rec),
        Err(f) => failure::handle(branch, state, f, rec),
    }
}
