//! A test driver for the pure interpreter: it plays the engine's part in one
//! process, answering each [`Next`] at once — tasks from a closure, timers by
//! moving a manual clock to their due time, Parallel branches and Map items
//! one after another, depth first — and records what it was asked for.
//!
//! The execution's identity is the "running execution" of AWS's context
//! object page
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html>),
//! so tests can take expected `$$` values from that page.

// Each test crate uses a part of the driver.
#![allow(dead_code)]

use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use stepwise_asl::error::{Failure, names};
use stepwise_asl::history::{Details, HistoryEvent};
use stepwise_asl::interpret::{
    Branch, Children, Env, Event, ExecutionInfo, Next, TaskRequest, start_child, start_execution, step,
};
use stepwise_asl::model::StateMachine;
use stepwise_asl::rng::Rng;

/// `$$.Execution.StartTime` of the context object page's example,
/// `2019-03-26T20:14:13.192Z`, in epoch milliseconds.
pub const START_TIME: i64 = 1_553_631_253_192;

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The execution succeeded with this output.
    Succeeded(Value),
    /// The execution failed.
    Failed(Failure),
    /// The driver stopped after its step budget.
    StepLimit,
}

/// A timer the interpreter asked for: when it asked and when it is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    /// The clock when the timer was requested, epoch ms.
    pub asked_at: i64,
    /// The due time, epoch ms.
    pub at: i64,
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct Run {
    /// How it ended (`None` only while running).
    pub outcome: Option<Outcome>,
    /// The history, `ExecutionStarted` first.
    pub history: Vec<HistoryEvent>,
    /// Every task request, in order.
    pub tasks: Vec<TaskRequest>,
    /// Every timer, in order.
    pub timers: Vec<Timer>,
    /// Every set of children a Parallel or Map state asked for.
    pub children: Vec<Children>,
    /// How many times `step` was called.
    pub steps: usize,
}

impl Run {
    /// The outcome.
    pub fn outcome(&self) -> &Outcome {
        self.outcome.as_ref().expect("the run finished")
    }

    /// The output of a run expected to succeed.
    pub fn output(&self) -> &Value {
        match self.outcome() {
            Outcome::Succeeded(v) => v,
            other => panic!("expected success, got {other:?}"),
        }
    }

    /// The failure of a run expected to fail.
    pub fn failure(&self) -> &Failure {
        match self.outcome() {
            Outcome::Failed(f) => f,
            other => panic!("expected failure, got {other:?}"),
        }
    }

    /// The history event types, in order.
    pub fn types(&self) -> Vec<&str> {
        self.history.iter().map(|e| e.event_type.as_ref()).collect()
    }

    /// Each timer's length, in milliseconds.
    pub fn delays(&self) -> Vec<i64> {
        self.timers.iter().map(|t| t.at - t.asked_at).collect()
    }

    /// The `(error, cause)` of the `ExecutionFailed` event.
    pub fn execution_failed(&self) -> (Option<String>, Option<String>) {
        self.history
            .iter()
            .find_map(|e| match &e.details {
                Details::ExecutionFailed { error, cause } => Some((error.clone(), cause.clone())),
                _ => None,
            })
            .expect("an ExecutionFailed event")
    }
}

/// The execution of the context object page's example, with `input`.
pub fn execution(input: Value) -> ExecutionInfo {
    ExecutionInfo {
        execution_arn: "arn:aws:states:us-east-1:123456789012:execution:stateMachineName:executionName".into(),
        name: "executionName".into(),
        input,
        input_text: None,
        start_time: START_TIME,
        role_arn: "arn:aws:iam::123456789012:role/service-role/StepFunctions-role".into(),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:stateMachineName".into(),
        state_machine_name: "stateMachineName".into(),
        region: "us-east-1".into(),
    }
}

/// Parses a definition that must be valid.
pub fn machine(definition: &Value) -> StateMachine {
    match stepwise_asl::validate::parse(definition) {
        Ok(m) => m,
        Err(d) => panic!("invalid definition {definition}: {d:?}"),
    }
}

/// A task answer for machines that must not run tasks.
pub fn no_tasks(request: &TaskRequest) -> Result<Value, Failure> {
    panic!("unexpected task {}", request.resource)
}

/// Runs `definition` on `input` to its end, answering tasks with `answer`.
pub fn run(definition: &Value, input: Value, answer: impl FnMut(&TaskRequest) -> Result<Value, Failure>) -> Run {
    run_machine(&machine(definition), input, 100_000, answer)
}

/// Runs a parsed machine for at most `max_steps` calls to `step`.
pub fn run_machine(
    machine: &StateMachine,
    input: Value,
    max_steps: usize,
    answer: impl FnMut(&TaskRequest) -> Result<Value, Failure>,
) -> Run {
    let execution = execution(input);
    let mut driver = Driver { machine, execution: &execution, answer, now: START_TIME, max_steps, run: Run::default() };
    let (mut root, started) = start_execution(machine, &execution, START_TIME);
    driver.run.history.push(started);
    let outcome = match driver.branch(&mut root, false) {
        Ok(Ok(output)) => Outcome::Succeeded(output),
        Ok(Err(failure)) => Outcome::Failed(failure),
        Err(StepLimit) => Outcome::StepLimit,
    };
    driver.run.outcome = Some(outcome);
    driver.run
}

/// Task tokens `token-1`, `token-2`, …, unique within the test process.
fn new_token() -> String {
    static ISSUED: AtomicU64 = AtomicU64::new(0);
    format!("token-{}", ISSUED.fetch_add(1, Ordering::Relaxed) + 1)
}

/// The step budget ran out.
struct StepLimit;

struct Driver<'a, F> {
    machine: &'a StateMachine,
    execution: &'a ExecutionInfo,
    answer: F,
    now: i64,
    max_steps: usize,
    run: Run,
}

impl<F: FnMut(&TaskRequest) -> Result<Value, Failure>> Driver<'_, F> {
    /// Calls `f` with an environment at the driver's clock and event count.
    fn with_env<R>(&mut self, f: impl FnOnce(&mut Env<'_>) -> R) -> R {
        let mut env = Env {
            machine: self.machine,
            execution: self.execution,
            now: self.now,
            next_event_id: self.run.history.len() as i64 + 1,
            rng: Rng::new(self.run.steps as u64),
            new_token,
        };
        f(&mut env)
    }

    /// Keeps a branch's events, unless they belong to a Distributed Map
    /// item's own execution.
    fn record(&mut self, events: Vec<HistoryEvent>, detached: bool) {
        if !detached {
            self.run.history.extend(events);
        }
    }

    /// Steps a branch until it ends.
    fn branch(&mut self, branch: &mut Branch, detached: bool) -> Result<Result<Value, Failure>, StepLimit> {
        let mut event = Event::Enter;
        loop {
            if self.run.steps >= self.max_steps {
                return Err(StepLimit);
            }
            let s = self.with_env(|env| step(branch, event, env));
            self.run.steps += 1;
            self.record(s.history, detached);
            event = match s.next {
                Next::Continue => Event::Enter,
                Next::Timer { at } => {
                    self.run.timers.push(Timer { asked_at: self.now, at });
                    self.now = self.now.max(at);
                    Event::TimerFired
                }
                Next::Task(request) => {
                    let answer = (self.answer)(&request);
                    self.run.tasks.push(*request);
                    match answer {
                        Ok(result) => Event::TaskSucceeded(result),
                        Err(f) if f.error == names::TIMEOUT || f.error == names::HEARTBEAT_TIMEOUT => {
                            Event::TaskTimedOut(f)
                        }
                        Err(f) => Event::TaskFailed(f),
                    }
                }
                Next::Children(children) => self.children(children, detached)?,
                Next::Succeeded(output) => return Ok(Ok(output)),
                Next::Failed(failure) => return Ok(Err(failure)),
            };
        }
    }

    /// Runs each child in order; the first failure past the tolerance fails
    /// them all, as the engine's join does.
    fn children(&mut self, children: Children, detached: bool) -> Result<Event, StepLimit> {
        self.run.children.push(children.clone());
        let tolerant = children.tolerated_failure_count.is_some() || children.tolerated_failure_percentage.is_some();
        let mut outputs = Vec::with_capacity(children.branches.len());
        let mut failed = 0;
        for start in &children.branches {
            let child_detached = detached || start.detached;
            let previous = if child_detached { 0 } else { self.last_event_id() };
            let mut branch =
                Branch::new(self.machine, start.scope, start.input.clone(), start.origin.clone(), previous);
            let events = self.with_env(|env| start_child(&mut branch, env));
            self.record(events, child_detached);
            match self.branch(&mut branch, child_detached)? {
                Ok(output) => outputs.push(output),
                Err(failure) => {
                    failed += 1;
                    if children.exceeded(failed) {
                        let failure = if tolerant {
                            Failure::new(
                                names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                                "The specified tolerated failure threshold was exceeded",
                            )
                        } else {
                            failure
                        };
                        return Ok(Event::ChildrenFailed { failure, last_event_id: self.last_event_id() });
                    }
                    outputs.push(stepwise_asl::json::error_object(&failure));
                }
            }
        }
        Ok(Event::ChildrenSucceeded { outputs, last_event_id: self.last_event_id() })
    }

    fn last_event_id(&self) -> i64 {
        self.run.history.last().map_or(0, |e| e.id)
    }
}

/// A one-state definition whose state is named `S`; `End: true` is added
/// to a state that needs an ending and has no `Next`.
pub fn single(state: Value) -> Value {
    single_named("S", state)
}

/// [`single`] with the state named `name`.
pub fn single_named(name: &str, state: Value) -> Value {
    let mut state = state;
    let terminal = matches!(state["Type"].as_str(), Some("Choice" | "Succeed" | "Fail"));
    if let Some(o) = state.as_object_mut()
        && !terminal
        && !o.contains_key("Next")
    {
        o.insert("End".into(), Value::Bool(true));
    }
    serde_json::json!({"StartAt": name, "States": {name: state}})
}

/// Parses JSON text written in a test.
pub fn j(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("test JSON {text}: {e}"))
}

/// The words of `text`: a list of history event types written on one line.
pub fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// The rows of a test table: one case a line, columns separated by ` | `;
/// blank lines and lines starting with `#` (notes) are skipped.
pub fn table(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split(" | ").map(str::trim).collect())
        .collect()
}
