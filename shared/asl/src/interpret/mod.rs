//! The state interpreter: one state of one branch at a time.
//!
//! `step(branch, event, env)` takes a branch's current state and what just
//! happened (it was entered, its task answered, its timer fired, its children
//! finished) and returns the history events to record and what the branch
//! waits for next. It performs nothing: tasks, timers and child branches are
//! requests the engine carries out and answers with another event.
//!
//! AWS: "States" and "Input and output processing" in the Developer Guide
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html>).

mod context;
mod failure;
mod io;
mod parallel;
mod simple;
mod task;

pub use context::ExecutionInfo;
pub use task::{IntegrationPattern, TaskKind, TaskRequest, classify};

use crate::error::Failure;
use crate::history::{Details, HistoryEvent};
use crate::model::{Kind, ScopeId, StateId, StateMachine, Transition};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a branch exists: the execution itself, or a child of a Parallel or Map state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    /// The top-level branch.
    Execution,
    /// Branch `index` of a Parallel state.
    ParallelBranch {
        /// Position in `Branches`.
        index: u32,
    },
    /// Iteration `index` of the Map state `map_state`.
    MapIteration {
        /// The Map state's name (`mapIteration*EventDetails.name`).
        map_state: String,
        /// The item's index.
        index: u64,
    },
}

/// What a branch is waiting for after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Entered a state; waiting to process it (answer: [`Event::Enter`]).
    Entering,
    /// Waiting for a task's result.
    Task,
    /// A Wait state's timer.
    Waiting,
    /// A retry back-off timer.
    RetryBackoff,
    /// Child branches of a Parallel or Map state.
    Children,
    /// Finished.
    Done,
}

/// A branch's durable state: everything a step needs besides the definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// The `States` scope the branch runs in.
    pub scope: ScopeId,
    /// The current state.
    pub state: StateId,
    /// The current state's raw input.
    pub input: Value,
    /// The effective input (after InputPath and Parameters), kept while the
    /// state waits for a task, a timer or children.
    pub effective: Option<Value>,
    /// Why the branch exists.
    pub origin: Origin,
    /// What the branch waits for.
    pub phase: Phase,
    /// The id of the current state's `…StateEntered` event.
    pub entered_event_id: i64,
    /// When the current state was entered, epoch ms (`$$.State.EnteredTime`).
    pub entered_at: i64,
    /// The last event this branch recorded (the next event's `previousEventId`).
    pub last_event_id: i64,
    /// Attempts made so far per retrier of the current state.
    pub retry_counts: Vec<u32>,
    /// The task token of the current task, for `$$.Task.Token`.
    pub task_token: Option<String>,
    /// `input` as JSON text when it is already known (the previous state's
    /// output text), so a transition serializes its payload once.
    #[serde(skip)]
    pub input_text: Option<String>,
}

/// What happened to a branch.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Process the current state (just entered, or moved to by a transition).
    Enter,
    /// The task returned a result.
    TaskSucceeded(Value),
    /// The task failed.
    TaskFailed(Failure),
    /// The task ran past its TimeoutSeconds or HeartbeatSeconds.
    TaskTimedOut(Failure),
    /// The timer the branch asked for is due.
    TimerFired,
    /// Every child branch succeeded; outputs in branch or item order.
    ChildrenSucceeded {
        /// Each child's output.
        outputs: Vec<Value>,
        /// The id of the last event the children recorded.
        last_event_id: i64,
    },
    /// A child failed beyond what the state tolerates.
    ChildrenFailed {
        /// The failure the state reports.
        failure: Failure,
        /// The event the state's `…StateFailed` follows: the failed child's
        /// last state event.
        last_event_id: i64,
    },
}

/// One child branch to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildStart {
    /// The scope it runs.
    pub scope: ScopeId,
    /// Its input.
    pub input: Value,
    /// Parallel branch or Map iteration.
    pub origin: Origin,
    /// A Distributed Map item: a child execution whose events are not part
    /// of the parent's history.
    pub detached: bool,
}

/// Children a Parallel or Map state waits for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Children {
    /// The branches, in order.
    pub branches: Vec<ChildStart>,
    /// How many may run at once; 0 means all.
    pub max_concurrency: u64,
    /// How many failed children a Map tolerates (`ToleratedFailureCount`).
    pub tolerated_failure_count: Option<u64>,
    /// What fraction a Map tolerates (`ToleratedFailurePercentage`).
    pub tolerated_failure_percentage: Option<f64>,
}

impl Children {
    /// Whether `failed` failures out of all children exceed the tolerance.
    /// With neither tolerance set, one failure fails the state.
    pub fn exceeded(&self, failed: u64) -> bool {
        let total = self.branches.len() as f64;
        let by_count = self.tolerated_failure_count.map(|c| failed > c);
        let by_percentage = self.tolerated_failure_percentage.map(|p| failed as f64 / total * 100.0 > p);
        match (by_count, by_percentage) {
            (None, None) => failed > 0,
            (Some(c), None) => c,
            (None, Some(p)) => p,
            (Some(c), Some(p)) => c && p,
        }
    }
}

/// What a branch waits for after a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// It moved to another state: answer with [`Event::Enter`].
    Continue,
    /// Run this task and answer with its result.
    Task(Box<TaskRequest>),
    /// Answer [`Event::TimerFired`] at or after this time (epoch ms).
    Timer {
        /// Due time, epoch ms.
        at: i64,
    },
    /// Start these children and answer when they are done.
    Children(Children),
    /// The branch ended with this output.
    Succeeded(Value),
    /// The branch failed.
    Failed(Failure),
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Events to append to the history, ids already assigned.
    pub history: Vec<HistoryEvent>,
    /// What happens next.
    pub next: Next,
}

/// Everything a step may read besides the branch.
pub struct Env<'a> {
    /// The definition.
    pub machine: &'a StateMachine,
    /// The execution's identity and input.
    pub execution: &'a ExecutionInfo,
    /// The current time, epoch ms.
    pub now: i64,
    /// The id the first event of this step gets.
    pub next_event_id: i64,
    /// Randomness for intrinsics and jitter.
    pub rng: Rng,
    /// Makes a new task token when a task waits for one (a plain function, so
    /// an `Env` can be held across an `await` in a `Send` future).
    pub new_token: fn() -> String,
}

/// Collects a step's events and assigns their ids.
pub(crate) struct Recorder<'e, 'a> {
    pub env: &'e mut Env<'a>,
    pub history: Vec<HistoryEvent>,
}

impl<'e, 'a> Recorder<'e, 'a> {
    /// Records an event after the branch's last one.
    pub fn emit(
        &mut self,
        branch: &mut Branch,
        event_type: impl Into<std::borrow::Cow<'static, str>>,
        details: Details,
    ) -> i64 {
        let id = self.env.next_event_id;
        self.env.next_event_id += 1;
        self.history.push(HistoryEvent {
            id,
            previous_event_id: branch.last_event_id,
            event_type: event_type.into(),
            timestamp: self.env.now,
            details,
        });
        branch.last_event_id = id;
        id
    }
}

impl Branch {
    /// A branch about to enter the first state of `scope` with `input`.
    /// `previous_event_id` is the event that started it (0 for the execution).
    pub fn new(machine: &StateMachine, scope: ScopeId, input: Value, origin: Origin, previous_event_id: i64) -> Branch {
        Branch {
            scope,
            state: machine.scope(scope).start_at,
            input,
            effective: None,
            origin,
            phase: Phase::Entering,
            entered_event_id: 0,
            entered_at: 0,
            last_event_id: previous_event_id,
            retry_counts: Vec::new(),
            task_token: None,
            input_text: None,
        }
    }
}

/// Advances `branch` by one event. Events that do not fit the branch's phase
/// (a duplicate timer, a late task result) are ignored: the step is empty and
/// `next` repeats what the branch still waits for.
pub fn step(branch: &mut Branch, event: Event, env: &mut Env<'_>) -> Step {
    let mut rec = Recorder { env, history: Vec::new() };
    let next = match (branch.phase, event) {
        (Phase::Entering, Event::Enter) => enter(branch, &mut rec),
        (Phase::Task, Event::TaskSucceeded(result)) => task::succeeded(branch, result, &mut rec),
        (Phase::Task, Event::TaskFailed(failure)) => task::failed(branch, failure, false, &mut rec),
        (Phase::Task, Event::TaskTimedOut(failure)) => task::failed(branch, failure, true, &mut rec),
        (Phase::Waiting, Event::TimerFired) => simple::wait_done(branch, &mut rec),
        (Phase::RetryBackoff, Event::TimerFired) => act(branch, &mut rec),
        (Phase::Children, Event::ChildrenSucceeded { outputs, last_event_id }) => {
            branch.last_event_id = branch.last_event_id.max(last_event_id);
            parallel::succeeded(branch, outputs, &mut rec)
        }
        (Phase::Children, Event::ChildrenFailed { failure, last_event_id }) => {
            branch.last_event_id = last_event_id;
            parallel::failed(branch, failure, &mut rec)
        }
        (_, _) => {
            return Step { history: Vec::new(), next: waiting_for(branch) };
        }
    };
    let next = finish_branch(branch, next, &mut rec);
    Step { history: rec.history, next }
}

/// What a branch still waits for, for an event that did not fit.
fn waiting_for(branch: &Branch) -> Next {
    match branch.phase {
        Phase::Entering => Next::Continue,
        _ => Next::Timer { at: i64::MAX },
    }
}

/// Records the `…StateEntered` event and processes the state.
fn enter(branch: &mut Branch, rec: &mut Recorder<'_, '_>) -> Next {
    let machine = rec.env.machine;
    let state = machine.state(branch.scope, branch.state);
    let input = branch.input_text.take().unwrap_or_else(|| crate::json::to_text(&branch.input));
    let details = Details::StateEntered { name: state.name.clone(), input };
    branch.entered_event_id = rec.emit(branch, state.entered_type(), details);
    branch.entered_at = rec.env.now;
    branch.retry_counts = vec![0; state.io.retry.len()];
    branch.effective = None;
    branch.task_token = None;
    act(branch, rec)
}

/// Does the state's work (again, after a retry back-off).
fn act(branch: &mut Branch, rec: &mut Recorder<'_, '_>) -> Next {
    let machine = rec.env.machine;
    let state = machine.state(branch.scope, branch.state);
    match &state.kind {
        Kind::Pass { result } => simple::pass(branch, state, result.as_ref(), rec),
        Kind::Succeed => simple::succeed(branch, state, rec),
        Kind::Fail { error, cause } => simple::fail(branch, error.as_ref(), cause.as_ref(), rec),
        Kind::Choice { choices, default } => simple::choice(branch, state, choices, *default, rec),
        Kind::Wait(wait) => simple::wait(branch, state, wait, rec),
        Kind::Task(task) => task::start(branch, state, task, rec),
        Kind::Parallel { branches } => parallel::start_parallel(branch, state, branches, rec),
        Kind::Map(map) => parallel::start_map(branch, state, map, rec),
    }
}

/// Moves to the state's successor after it exited with `output`.
pub(crate) fn transition(
    branch: &mut Branch,
    output: Value,
    output_text: Option<String>,
    to: Option<Transition>,
) -> Next {
    match to {
        Some(Transition::Next(next)) => {
            branch.state = next;
            branch.input = output;
            branch.input_text = output_text;
            branch.phase = Phase::Entering;
            Next::Continue
        }
        Some(Transition::End) | None => Next::Succeeded(output),
    }
}

/// Records `…StateExited` with `out` (whose text may already be known) and
/// follows `to`.
pub(crate) fn exit_state(
    branch: &mut Branch,
    state: &crate::model::State,
    out: Value,
    text: Option<String>,
    to: Option<Transition>,
    rec: &mut Recorder<'_, '_>,
) -> Next {
    let text = text.unwrap_or_else(|| crate::json::to_text(&out));
    let details = Details::StateExited { name: state.name.clone(), output: text.clone() };
    rec.emit(branch, state.exited_type(), details);
    transition(branch, out, Some(text), to)
}

/// Records how a finished branch ended: `MapIteration…` for a Map item,
/// `Execution…` for the top level.
fn finish_branch(branch: &mut Branch, next: Next, rec: &mut Recorder<'_, '_>) -> Next {
    match &next {
        Next::Succeeded(_) | Next::Failed(_) => branch.phase = Phase::Done,
        _ => return next,
    }
    let ok = matches!(next, Next::Succeeded(_));
    match (&branch.origin, &next) {
        (Origin::MapIteration { map_state, index }, _) => {
            let details = Details::MapIteration { name: map_state.clone(), index: *index };
            let event_type = if ok { "MapIterationSucceeded" } else { "MapIterationFailed" };
            let before = branch.last_event_id;
            rec.emit(branch, event_type, details);
            // The Map state's `MapStateFailed` follows the failed iteration's
            // last state event, not `MapIterationFailed` (scenarios
            // `test_map_state_catch`); keep that as the branch's last event.
            if !ok {
                branch.last_event_id = before;
            }
        }
        (Origin::Execution, Next::Succeeded(output)) => {
            let details = Details::ExecutionSucceeded { output: crate::json::to_text(output) };
            rec.emit(branch, "ExecutionSucceeded", details);
        }
        (Origin::Execution, Next::Failed(f)) => {
            // A Fail state without `Error` fails with no error name at all.
            let error = (!f.error.is_empty()).then(|| f.error.clone());
            rec.emit(branch, "ExecutionFailed", Details::ExecutionFailed { error, cause: f.cause.clone() });
        }
        _ => {}
    }
    next
}

/// Records `ExecutionStarted` and returns the top-level branch.
pub fn start_execution(machine: &StateMachine, execution: &ExecutionInfo, now: i64) -> (Branch, HistoryEvent) {
    let event = HistoryEvent {
        id: 1,
        previous_event_id: 0,
        event_type: "ExecutionStarted".into(),
        timestamp: now,
        details: Details::ExecutionStarted {
            input: execution.input_text.clone().unwrap_or_else(|| crate::json::to_text(&execution.input)),
            role_arn: execution.role_arn.clone(),
            state_machine_alias_arn: None,
        },
    };
    let mut branch = Branch::new(machine, 0, execution.input.clone(), Origin::Execution, 0);
    // The first state's input is the caller's text too, as AWS records it.
    branch.input_text = execution.input_text.clone();
    (branch, event)
}

/// Records `MapIterationStarted` for a Map child about to run.
pub fn start_child(branch: &mut Branch, env: &mut Env<'_>) -> Vec<HistoryEvent> {
    let mut rec = Recorder { env, history: Vec::new() };
    if let Origin::MapIteration { map_state, index } = &branch.origin {
        let details = Details::MapIteration { name: map_state.clone(), index: *index };
        rec.emit(branch, "MapIterationStarted", details);
    }
    rec.history
}

/// Records `MapIterationAborted` for a Map child cancelled because a sibling failed.
pub fn abort_child(branch: &mut Branch, env: &mut Env<'_>) -> Vec<HistoryEvent> {
    let mut rec = Recorder { env, history: Vec::new() };
    branch.phase = Phase::Done;
    if let Origin::MapIteration { map_state, index } = &branch.origin {
        let details = Details::MapIteration { name: map_state.clone(), index: *index };
        rec.emit(branch, "MapIterationAborted", details);
    }
    rec.history
}

#[cfg(test)]
mod tests;
