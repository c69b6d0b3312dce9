//! Input and output processing: InputPath, Parameters, ResultSelector,
//! ResultPath, OutputPath
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html>).

use super::context::context_object;
use super::{Branch, Recorder};
use crate::error::{Failure, names};
use crate::json::{MAX_PAYLOAD_BYTES, to_text};
use crate::model::{OptionalPath, State, Template};
use crate::path::{Path, Root};
use serde_json::{Map, Value};

/// A `States.Runtime` failure with AWS's prefix naming the state and the
/// event id it was entered at.
pub(crate) fn runtime(branch: &Branch, state: &State, message: impl std::fmt::Display) -> Failure {
    Failure::new(
        names::RUNTIME,
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {message}",
            state.name, branch.entered_event_id
        ),
    )
}

/// Adds the state prefix to a `States.Runtime` failure that lacks it.
pub(crate) fn in_state(branch: &Branch, state: &State, failure: Failure) -> Failure {
    if failure.error == names::RUNTIME { runtime(branch, state, failure.cause.unwrap_or_default()) } else { failure }
}

/// The context object for the branch's current state.
pub(crate) fn context(branch: &Branch, rec: &Recorder<'_, '_>) -> Value {
    context_object(rec.env.machine, rec.env.execution, branch, None)
}

/// Selects with a path, naming the path in the failure as AWS does:
/// `Invalid path '$.x' : No results for path: $['x']`.
pub(crate) fn select(
    branch: &Branch,
    state: &State,
    path: &Path,
    input: &Value,
    rec: &Recorder<'_, '_>,
) -> Result<Value, Failure> {
    let ctx = if path.root() == Root::Context { context(branch, rec) } else { Value::Null };
    path.select(input, &ctx)
        .map_err(|_| runtime(branch, state, format!("Invalid path '{path}' : {}", path.explain_missing(input, &ctx))))
}

/// InputPath or OutputPath: `$` by default, `{}` for `null`.
pub(crate) fn filter(
    branch: &Branch,
    state: &State,
    path: &OptionalPath,
    value: Value,
    rec: &Recorder<'_, '_>,
) -> Result<Value, Failure> {
    match path {
        OptionalPath::Default => Ok(value),
        OptionalPath::Null => Ok(Value::Object(Map::new())),
        OptionalPath::Path(p) => select(branch, state, p, &value, rec),
    }
}

/// Evaluates a payload template against `input` and the context object.
pub(crate) fn template(
    branch: &Branch,
    state: &State,
    t: &Template,
    input: &Value,
    rec: &mut Recorder<'_, '_>,
) -> Result<Value, Failure> {
    let ctx = if t.uses_context() { context(branch, rec) } else { Value::Null };
    t.eval(input, &ctx, &mut rec.env.rng).map_err(|f| in_state(branch, state, f))
}

/// InputPath then Parameters: the effective input.
pub(crate) fn effective_input(branch: &Branch, state: &State, rec: &mut Recorder<'_, '_>) -> Result<Value, Failure> {
    let filtered = filter(branch, state, &state.io.input_path, branch.input.clone(), rec)?;
    match &state.io.parameters {
        Some(t) => template(branch, state, t, &filtered, rec),
        None => Ok(filtered),
    }
}

/// ResultPath: merges `result` into the state's raw input.
pub(crate) fn merge_result(
    branch: &Branch,
    state: &State,
    path: &OptionalPath,
    result: Value,
) -> Result<Value, Failure> {
    match path {
        OptionalPath::Default => Ok(result),
        OptionalPath::Null => Ok(branch.input.clone()),
        OptionalPath::Path(p) => {
            let mut target = branch.input.clone();
            p.write(&mut target, result).map_err(|_| {
                Failure::new(
                    names::RESULT_PATH_MATCH_FAILURE,
                    format!(
                        "An error occurred while executing the state '{}' (entered at the event id #{}). Unable to apply ResultPath '{p}' to input '{}'",
                        state.name,
                        branch.entered_event_id,
                        to_text(&branch.input)
                    ),
                )
            })?;
            Ok(target)
        }
    }
}

/// ResultSelector, ResultPath and OutputPath: from a state's result to its
/// output, with the output's JSON text (serialized once, for the size check
/// and the history).
pub(crate) fn output(
    branch: &Branch,
    state: &State,
    result: Value,
    rec: &mut Recorder<'_, '_>,
) -> Result<(Value, String), Failure> {
    let selected = match &state.io.result_selector {
        Some(t) => template(branch, state, t, &result, rec)?,
        None => result,
    };
    let merged = merge_result(branch, state, &state.io.result_path, selected)?;
    let out = filter(branch, state, &state.io.output_path, merged, rec)?;
    let text = to_text(&out);
    check_size_text(&state.name, &text)?;
    Ok((out, text))
}

/// `States.DataLimitExceeded` when a payload is over 256 KiB.
pub(crate) fn check_size(what: &str, value: &Value) -> Result<(), Failure> {
    check_size_text(what, &to_text(value))
}

/// [`check_size`] on text already serialized.
pub(crate) fn check_size_text(what: &str, text: &str) -> Result<(), Failure> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(Failure::new(
            names::DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{what}' returned a result with a size exceeding the maximum number of bytes service limit."
            ),
        ));
    }
    Ok(())
}
