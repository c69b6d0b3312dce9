//! Parallel and Map: start child branches, then join their results.
//! AWS: <https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html>
//! and <https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html>.

use super::context::context_object;
use super::io::{effective_input, filter, in_state, output, runtime, select};
use super::{Branch, ChildStart, Children, Next, Origin, Phase, Recorder, exit_state, failure};
use crate::error::Failure;
use crate::history::Details;
use crate::json::to_text;
use crate::model::{Kind, Map, NumberOrPath, OptionalPath, ScopeId, State};
use serde_json::Value;

pub(crate) fn start_parallel(
    branch: &mut Branch,
    state: &State,
    scopes: &[ScopeId],
    rec: &mut Recorder<'_, '_>,
) -> Next {
    let effective = match effective_input(branch, state, rec) {
        Ok(v) => v,
        Err(f) => return failure::handle(branch, state, f, rec),
    };
    rec.emit(branch, "ParallelStateStarted", Details::None);
    let branches = scopes
        .iter()
        .enumerate()
        .map(|(i, &scope)| ChildStart {
            scope,
            input: effective.clone(),
            origin: Origin::ParallelBranch { index: i as u32 },
            detached: false,
        })
        .collect();
    branch.phase = Phase::Children;
    Next::Children(Children {
        branches,
        max_concurrency: 0,
        tolerated_failure_count: None,
        tolerated_failure_percentage: None,
    })
}

/// Reads MaxConcurrency / ToleratedFailure* from a literal or a path, with
/// AWS's causes for values that are not numbers.
fn number(
    branch: &Branch,
    state: &State,
    field: &str,
    value: Option<&NumberOrPath>,
    integer: bool,
    input: &Value,
    rec: &Recorder<'_, '_>,
) -> Result<Option<f64>, Failure> {
    match value {
        None => Ok(None),
        Some(NumberOrPath::Literal(n)) => Ok(Some(*n)),
        Some(NumberOrPath::Path(p)) => {
            let v = select(branch, state, p, input, rec)?;
            let n = if integer { v.as_i64().map(|n| n as f64) } else { v.as_f64() };
            n.map(Some).ok_or_else(|| {
                let shown = v.as_str().map_or_else(|| to_text(&v), str::to_owned);
                let kind = if integer { "integer" } else { "float" };
                runtime(
                    branch,
                    state,
                    format!("The {field}Path field refers to value \"{shown}\" which is not a valid {kind}: {p}"),
                )
            })
        }
    }
}

/// The items and MaxConcurrency, which AWS reads before `MapStateStarted`.
fn map_items(
    branch: &Branch,
    state: &State,
    map: &Map,
    rec: &mut Recorder<'_, '_>,
) -> Result<(Value, Vec<Value>, u64), Failure> {
    let effective = filter(branch, state, &state.io.input_path, branch.input.clone(), rec)?;
    let max_concurrency = number(branch, state, "MaxConcurrency", map.max_concurrency.as_ref(), true, &effective, rec)?;
    let max_concurrency = max_concurrency.map_or(0, |m| m.max(0.0) as u64);
    let items = match &map.items_path {
        OptionalPath::Path(p) => select(branch, state, p, &effective, rec)?,
        _ => effective.clone(),
    };
    match items {
        Value::Array(items) => Ok((effective, items, max_concurrency)),
        other => Err(runtime(branch, state, format!("Map state input must be an array, but was: {}", to_text(&other)))),
    }
}

/// After `MapStateStarted`, as AWS orders it: the limits, then each item's input.
fn map_children(
    branch: &Branch,
    state: &State,
    map: &Map,
    effective: &Value,
    items: Vec<Value>,
    max_concurrency: u64,
    rec: &mut Recorder<'_, '_>,
) -> Result<Children, Failure> {
    let count =
        number(branch, state, "ToleratedFailureCount", map.tolerated_failure_count.as_ref(), true, effective, rec)?;
    if count.is_some_and(|c| c < 0.0) {
        return Err(runtime(branch, state, "ToleratedFailureCount cannot be negative."));
    }
    let percentage = number(
        branch,
        state,
        "ToleratedFailurePercentage",
        map.tolerated_failure_percentage.as_ref(),
        false,
        effective,
        rec,
    )?;
    if percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
        return Err(runtime(branch, state, "ToleratedFailurePercentage must be between 0 and 100."));
    }
    let machine = rec.env.machine;
    let mut branches = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let input = match &map.item_selector {
            Some(selector) => {
                let ctx = context_object(machine, rec.env.execution, branch, Some((index as u64, &item)));
                selector.eval(effective, &ctx, &mut rec.env.rng).map_err(|f| in_state(branch, state, f))?
            }
            None => item,
        };
        let origin = Origin::MapIteration { map_state: state.name.clone(), index: index as u64 };
        branches.push(ChildStart { scope: map.processor, input, origin, detached: map.distributed });
    }
    Ok(Children {
        branches,
        max_concurrency,
        tolerated_failure_count: count.map(|c| c as u64),
        tolerated_failure_percentage: percentage,
    })
}

pub(crate) fn start_map(branch: &mut Branch, state: &State, map: &Map, rec: &mut Recorder<'_, '_>) -> Next {
    let (effective, items, max_concurrency) = match map_items(branch, state, map, rec) {
        Ok(found) => found,
        Err(f) => return failure::handle(branch, state, f, rec),
    };
    let length = items.len() as u64;
    rec.emit(branch, "MapStateStarted", Details::MapStateStarted { length });
    let children = match map_children(branch, state, map, &effective, items, max_concurrency, rec) {
        Ok(c) => c,
        Err(f) => return failure::handle(branch, state, f, rec),
    };
    if map.distributed {
        // A Distributed Map runs its items as child executions of a Map Run;
        // the parent's history shows only the run
        // (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
        // arn:aws:states:<region>:<account>:mapRun:<state machine>/<label>:<id>
        let map_run_arn = format!(
            "{}/{}:{}",
            rec.env.execution.state_machine_arn.replacen(":stateMachine:", ":mapRun:", 1),
            map.label.as_deref().unwrap_or(&state.name),
            rec.env.rng.uuid_v4()
        );
        rec.emit(branch, "MapRunStarted", Details::MapRunStarted { map_run_arn });
    }
    branch.phase = Phase::Children;
    if length == 0 {
        return succeeded(branch, Vec::new(), rec);
    }
    Next::Children(children)
}

fn kind_prefix(state: &State) -> &'static str {
    if matches!(state.kind, Kind::Map(_)) { "Map" } else { "Parallel" }
}

/// Records `…StateSucceeded`/`…StateFailed` (after `MapRun…` for a
/// Distributed Map). AWS's recorded histories link a successful state's
/// `…StateExited` to the same event as `…StateSucceeded` (scenarios
/// `test_map_state`, `test_parallel_state_order`,
/// `test_map_state_tolerated_failure_count_path_0`); after a
/// failure the next event follows the `…Failed` one (`test_map_state_catch`).
fn record_outcome(branch: &mut Branch, state: &State, outcome: &str, rec: &mut Recorder<'_, '_>) {
    if let Kind::Map(map) = &state.kind
        && map.distributed
    {
        rec.emit(branch, format!("MapRun{outcome}"), Details::None);
    }
    let before = branch.last_event_id;
    rec.emit(branch, format!("{}State{outcome}", kind_prefix(state)), Details::None);
    if outcome == "Succeeded" {
        branch.last_event_id = before;
    }
}

pub(crate) fn succeeded(branch: &mut Branch, outputs: Vec<Value>, rec: &mut Recorder<'_, '_>) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    record_outcome(branch, state, "Succeeded", rec);
    match output(branch, state, Value::Array(outputs), rec) {
        Ok((out, text)) => exit_state(branch, state, out, Some(text), state.io.transition, rec),
        Err(f) => failure::handle(branch, state, f, rec),
    }
}

pub(crate) fn failed(branch: &mut Branch, failure: Failure, rec: &mut Recorder<'_, '_>) -> Next {
    let state = rec.env.machine.state(branch.scope, branch.state);
    // A retried Map or Parallel state starts again without a `…StateFailed`
    // event (recorded: scenarios/test_map_state_retry).
    if let Some(next) = failure::retry(branch, state, &failure, rec) {
        return next;
    }
    record_outcome(branch, state, "Failed", rec);
    failure::catch(branch, state, failure, rec)
}
