//! The typed definition model: what a state machine *is*, once parsed.
//!
//! AWS: "Amazon States Language" (<https://states-language.net/spec.html>) and
//! "State machine structure" in the Step Functions Developer Guide
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html>).
//!
//! Every nested `States` map (the top level, each Parallel branch, each Map
//! item processor) is a [`Scope`] in one arena, and transitions are resolved
//! to indexes, so the interpreter never looks a name up at run time.

mod template;

pub use template::{Template, TemplateError};

use crate::choice::ChoiceRule;
use crate::path::Path;
use serde_json::Value;

/// Index of a [`Scope`] in [`StateMachine::scopes`]; 0 is the top level.
pub type ScopeId = u32;
/// Index of a [`State`] within its scope.
pub type StateId = u32;

/// A parsed, valid state machine definition.
#[derive(Debug, Clone)]
pub struct StateMachine {
    /// `Comment`.
    pub comment: Option<String>,
    /// Every scope; `scopes[0]` is the top level.
    pub scopes: Vec<Scope>,
    /// The top-level `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
}

/// One `States` map with its `StartAt`.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Index of the `StartAt` state.
    pub start_at: StateId,
    /// The states, in definition order.
    pub states: Vec<State>,
}

/// One state.
#[derive(Debug, Clone)]
pub struct State {
    /// The state's name.
    pub name: String,
    /// Input and output processing and the transition, shared by state types.
    pub io: Io,
    /// What the state does.
    pub kind: Kind,
}

/// Where a state goes when it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// `Next`: the state's index in the same scope.
    Next(StateId),
    /// `End: true`.
    End,
}

/// A path field that may also be `null` (InputPath, OutputPath, ResultPath).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionalPath {
    /// Field absent: `$`.
    Default,
    /// `null`: InputPath/OutputPath give `{}`, ResultPath discards the result.
    Null,
    /// A path.
    Path(Path),
}

/// The input/output fields ("Input and Output Processing",
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html>).
#[derive(Debug, Clone)]
pub struct Io {
    /// `InputPath`.
    pub input_path: OptionalPath,
    /// `Parameters` (or `ItemSelector` for Map).
    pub parameters: Option<Template>,
    /// `ResultSelector`.
    pub result_selector: Option<Template>,
    /// `ResultPath`.
    pub result_path: OptionalPath,
    /// `OutputPath`.
    pub output_path: OptionalPath,
    /// `Next` or `End`; `None` for Choice, Succeed and Fail.
    pub transition: Option<Transition>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
}

/// A `Retry` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `IntervalSeconds`, default 1.
    pub interval_seconds: u64,
    /// `MaxAttempts`, default 3; 0 never retries.
    pub max_attempts: u64,
    /// `BackoffRate`, default 2.0.
    pub backoff_rate: f64,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<u64>,
    /// `JitterStrategy` is `FULL`.
    pub full_jitter: bool,
}

/// A `Catch` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Catcher {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `Next`.
    pub next: StateId,
    /// `ResultPath`, where `{Error, Cause}` goes.
    pub result_path: OptionalPath,
}

/// A number given literally or by a path (`TimeoutSeconds` / `TimeoutSecondsPath`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrPath {
    /// A literal.
    Literal(f64),
    /// A reference path into the effective input.
    Path(Path),
}

/// A string given literally or by a path (Fail `Error` / `ErrorPath`).
#[derive(Debug, Clone, PartialEq)]
pub enum StringOrPath {
    /// A literal.
    Literal(String),
    /// A path or intrinsic call (`ErrorPath` allows both).
    Template(Template),
}

/// What each state type does.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `Pass`, with its optional `Result`.
    Pass {
        /// `Result`.
        result: Option<Value>,
    },
    /// `Task`.
    Task(Box<Task>),
    /// `Choice`.
    Choice {
        /// `Choices`.
        choices: Vec<(ChoiceRule, StateId)>,
        /// `Default`.
        default: Option<StateId>,
    },
    /// `Wait`.
    Wait(Wait),
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail {
        /// `Error` or `ErrorPath`.
        error: Option<StringOrPath>,
        /// `Cause` or `CausePath`.
        cause: Option<StringOrPath>,
    },
    /// `Parallel`: one scope per branch.
    Parallel {
        /// `Branches`.
        branches: Vec<ScopeId>,
    },
    /// `Map`.
    Map(Box<Map>),
}

/// A Task state's own fields.
#[derive(Debug, Clone)]
pub struct Task {
    /// `Resource`, an ARN.
    pub resource: String,
    /// `TimeoutSeconds` or `TimeoutSecondsPath`.
    pub timeout: Option<NumberOrPath>,
    /// `HeartbeatSeconds` or `HeartbeatSecondsPath`.
    pub heartbeat: Option<NumberOrPath>,
}

/// How long a Wait state waits.
#[derive(Debug, Clone)]
pub enum Wait {
    /// `Seconds`.
    Seconds(u64),
    /// `Timestamp`, epoch milliseconds.
    Timestamp(i64),
    /// `SecondsPath`.
    SecondsPath(Path),
    /// `TimestampPath`.
    TimestampPath(Path),
}

/// A Map state's own fields.
#[derive(Debug, Clone)]
pub struct Map {
    /// The item processor's scope (`ItemProcessor` or the older `Iterator`).
    pub processor: ScopeId,
    /// `ItemsPath`.
    pub items_path: OptionalPath,
    /// `ItemSelector` (or the older `Parameters`).
    pub item_selector: Option<Template>,
    /// `MaxConcurrency` or `MaxConcurrencyPath`; 0 means no limit.
    pub max_concurrency: Option<NumberOrPath>,
    /// `ToleratedFailurePercentage` or its `Path`.
    pub tolerated_failure_percentage: Option<NumberOrPath>,
    /// `ToleratedFailureCount` or its `Path`.
    pub tolerated_failure_count: Option<NumberOrPath>,
    /// `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub distributed: bool,
    /// `Label`, which names a Distributed Map's runs in place of the state name.
    pub label: Option<String>,
}

impl StateMachine {
    /// The scope with this id.
    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id as usize]
    }

    /// The state at (`scope`, `state`).
    pub fn state(&self, scope: ScopeId, state: StateId) -> &State {
        &self.scopes[scope as usize].states[state as usize]
    }
}

impl State {
    /// The type's name and its two history event types, in one table.
    fn event_names(&self) -> [&'static str; 3] {
        match self.kind {
            Kind::Pass { .. } => ["Pass", "PassStateEntered", "PassStateExited"],
            Kind::Task(_) => ["Task", "TaskStateEntered", "TaskStateExited"],
            Kind::Choice { .. } => ["Choice", "ChoiceStateEntered", "ChoiceStateExited"],
            Kind::Wait(_) => ["Wait", "WaitStateEntered", "WaitStateExited"],
            Kind::Succeed => ["Succeed", "SucceedStateEntered", "SucceedStateExited"],
            Kind::Fail { .. } => ["Fail", "FailStateEntered", "FailStateExited"],
            Kind::Parallel { .. } => ["Parallel", "ParallelStateEntered", "ParallelStateExited"],
            Kind::Map(_) => ["Map", "MapStateEntered", "MapStateExited"],
        }
    }

    /// The state's `Type`: `Pass` for `PassStateEntered`.
    pub fn type_name(&self) -> &'static str {
        self.event_names()[0]
    }

    /// `…StateEntered` for this state's type.
    pub fn entered_type(&self) -> &'static str {
        self.event_names()[1]
    }

    /// `…StateExited` for this state's type.
    pub fn exited_type(&self) -> &'static str {
        self.event_names()[2]
    }
}
