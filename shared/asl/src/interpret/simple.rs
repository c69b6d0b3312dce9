//! States that finish in one step: Pass, Succeed, Fail, Choice, and Wait's
//! two halves.
//! AWS: <https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html>,
//! `state-succeed.html`, `state-fail.html`, `state-choice.html`, `state-wait.html`.

use super::io::{context, effective_input, filter, in_state, output, runtime, select};
use super::{Branch, Next, Phase, Recorder, exit_state};
use crate::choice::ChoiceRule;
use crate::error::{Failure, names};
use crate::history::Details;
use crate::json::to_text;
use crate::model::{State, StateId, StringOrPath, Wait};
use serde_json::Value;

fn exited(branch: &mut Branch, state: &State, out: &Value, rec: &mut Recorder<'_, '_>) {
    let details = Details::StateExited { name: state.name.clone(), output: to_text(out) };
    rec.emit(branch, state.exited_type(), details);
}

pub(crate) fn pass(branch: &mut Branch, state: &State, result: Option<&Value>, rec: &mut Recorder<'_, '_>) -> Next {
    let run = |branch: &mut Branch, rec: &mut Recorder<'_, '_>| -> Result<(Value, String), Failure> {
        let effective = effective_input(branch, state, rec)?;
        let result = result.cloned().unwrap_or(effective);
        output(branch, state, result, rec)
    };
    match run(branch, rec) {
        Ok((out, text)) => exit_state(branch, state, out, Some(text), state.io.transition, rec),
        Err(f) => Next::Failed(f),
    }
}

pub(crate) fn succeed(branch: &mut Branch, state: &State, rec: &mut Recorder<'_, '_>) -> Next {
    let out = filter(branch, state, &state.io.input_path, branch.input.clone(), rec)
        .and_then(|v| filter(branch, state, &state.io.output_path, v, rec));
    match out {
        Ok(out) => {
            exited(branch, state, &out, rec);
            Next::Succeeded(out)
        }
        Err(f) => Next::Failed(f),
    }
}

pub(crate) fn fail(
    branch: &mut Branch,
    error: Option<&StringOrPath>,
    cause: Option<&StringOrPath>,
    rec: &mut Recorder<'_, '_>,
) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    let mut part = |field: &str, value: Option<&StringOrPath>| -> Result<Option<String>, Failure> {
        match value {
            None => Ok(None),
            Some(StringOrPath::Literal(s)) => Ok(Some(s.clone())),
            Some(StringOrPath::Template(t)) => {
                let ctx = context(branch, rec);
                let v = t
                    .eval_field(&branch.input, &ctx, &mut rec.env.rng, field)
                    .map_err(|f| in_state(branch, state, f))?;
                Ok(Some(match v {
                    Value::String(s) => s,
                    other => to_text(&other),
                }))
            }
        }
    };
    let error = part("ErrorPath", error);
    let cause = part("CausePath", cause);
    match (error, cause) {
        (Ok(error), Ok(cause)) => Next::Failed(Failure { error: error.unwrap_or_default(), cause }),
        (Err(f), _) | (_, Err(f)) => Next::Failed(f),
    }
}

pub(crate) fn choice(
    branch: &mut Branch,
    state: &State,
    choices: &[(ChoiceRule, StateId)],
    default: Option<StateId>,
    rec: &mut Recorder<'_, '_>,
) -> Next {
    let effective = match filter(branch, state, &state.io.input_path, branch.input.clone(), rec) {
        Ok(v) => v,
        Err(f) => return Next::Failed(f),
    };
    let ctx =
        if choices.iter().any(|(rule, _)| rule.condition.uses_context()) { context(branch, rec) } else { Value::Null };
    let mut target = default;
    for (rule, next) in choices {
        match rule.condition.eval(&effective, &ctx) {
            Ok(true) => {
                target = Some(*next);
                break;
            }
            Ok(false) => {}
            Err(f) => return Next::Failed(in_state(branch, state, f)),
        }
    }
    let Some(target) = target else {
        return Next::Failed(Failure::new(
            names::NO_CHOICE_MATCHED,
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). Failed to transition out of the state. The state does not point to a next state.",
                state.name, branch.entered_event_id
            ),
        ));
    };
    match filter(branch, state, &state.io.output_path, effective, rec) {
        Ok(out) => exit_state(branch, state, out, None, Some(crate::model::Transition::Next(target)), rec),
        Err(f) => Next::Failed(f),
    }
}

pub(crate) fn wait(branch: &mut Branch, state: &State, wait: &Wait, rec: &mut Recorder<'_, '_>) -> Next {
    let effective = match filter(branch, state, &state.io.input_path, branch.input.clone(), rec) {
        Ok(v) => v,
        Err(f) => return Next::Failed(f),
    };
    let now = rec.env.now;
    let at = match wait {
        Wait::Seconds(s) => Ok(now.saturating_add(*s as i64 * 1000)),
        Wait::Timestamp(t) => Ok(*t),
        Wait::SecondsPath(p) => select(branch, state, p, &effective, rec).and_then(|v| match v.as_i64() {
            Some(s) if s >= 0 => Ok(now.saturating_add(s.saturating_mul(1000))),
            _ => Err(runtime(
                branch,
                state,
                format!("The SecondsPath parameter cannot be parsed as a long value: {p} == {}", to_text(&v)),
            )),
        }),
        Wait::TimestampPath(p) => select(branch, state, p, &effective, rec).and_then(|v| {
            match v.as_str().and_then(crate::timestamp::parse) {
                Some(t) => Ok(t.epoch_millis()),
                None => Err(runtime(
                    branch,
                    state,
                    format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {}",
                        v.as_str().map_or_else(|| to_text(&v), str::to_owned)
                    ),
                )),
            }
        }),
    };
    match at {
        Ok(at) => {
            branch.effective = Some(effective);
            branch.phase = Phase::Waiting;
            Next::Timer { at }
        }
        Err(f) => Next::Failed(f),
    }
}

pub(crate) fn wait_done(branch: &mut Branch, rec: &mut Recorder<'_, '_>) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    let effective = branch.effective.take().unwrap_or_else(|| branch.input.clone());
    match filter(branch, state, &state.io.output_path, effective, rec) {
        Ok(out) => exit_state(branch, state, out, None, state.io.transition, rec),
        Err(f) => Next::Failed(f),
    }
}
