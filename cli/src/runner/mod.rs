//! Runs one execution of a state machine to its end, in-process: the pure
//! interpreter driven by a small scheduler, tasks answered by mocks or a
//! Lambda endpoint, time real (scaled) or virtual.

mod clock;
pub mod engine;
mod scheduler;
mod tasks;

pub use clock::Clock;

use crate::tasks::LambdaInvoker;
use crate::tasks::mock_config::MockCase;
use scheduler::{End, Scheduler};
use serde::Serialize;
use serde_json::Value;
use std::sync::Arc;
use stepwise_asl::interpret::ExecutionInfo;

/// How an execution ended, as DescribeExecution's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Finished with an output.
    Succeeded,
    /// Failed with an error and cause.
    Failed,
    /// Exceeded the state machine's TimeoutSeconds.
    TimedOut,
    /// Stopped.
    Aborted,
}

/// What to run and with what.
#[derive(Clone)]
pub struct RunOptions {
    /// The state machine's name (appears in ARNs and `$$.StateMachine.Name`).
    pub state_machine_name: String,
    /// The execution's name (`$$.Execution.Name`).
    pub execution_name: String,
    /// Where Lambda tasks go; `None` makes them fail with `Lambda.ResourceNotFoundException`... or per mock config.
    pub lambda: Option<Arc<dyn LambdaInvoker>>,
    /// How time passes.
    pub clock: Clock,
    /// A mock configuration document and the test case to answer tasks from.
    pub mock: Option<(Arc<Value>, String)>,
    /// The input as the caller wrote it, recorded verbatim in `ExecutionStarted`.
    pub input_text: Option<String>,
    /// What runs the execution.
    pub backend: Backend,
    /// Sees each history event as it happens (the local backend only).
    pub observer: Option<Observer>,
}

/// A watcher of history events as they happen, such as a progress line.
pub type Observer = Arc<dyn Fn(&stepwise_asl::history::HistoryEvent) + Send + Sync>;

/// What runs an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Backend {
    /// The in-process scheduler: the interpreter driven directly.
    #[default]
    Local,
    /// The durable engine (the one the serverless stack runs) on in-memory
    /// adapters: one step per queued message, with virtual time.
    Engine,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            state_machine_name: "StateMachine".to_owned(),
            execution_name: "execution".to_owned(),
            lambda: None,
            clock: Clock::Virtual,
            mock: None,
            input_text: None,
            backend: Backend::Local,
            observer: None,
        }
    }
}

/// The account and region in ARNs of in-process runs (Step Functions Local's defaults).
pub const ACCOUNT: &str = "123456789012";
/// See [`ACCOUNT`].
pub const REGION: &str = "us-east-1";

/// The end of a run: DescribeExecution's fields plus the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionReport {
    /// How it ended.
    pub status: ExecutionStatus,
    /// The output as JSON text, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The error name, when it failed and one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed and one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The events as GetExecutionHistory returns them: objects with
    /// `timestamp`, `type`, `id`, `previousEventId` and one `*EventDetails`.
    pub events: Vec<Value>,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The definition has validation errors.
    #[error("invalid definition: {0}")]
    InvalidDefinition(String),
    /// The input is not valid for an execution.
    #[error("invalid execution input: {0}")]
    InvalidExecutionInput(String),
    /// The mock configuration cannot be used.
    #[error("{0}")]
    MockConfig(#[from] crate::tasks::mock_config::MockConfigError),
}

/// Runs `definition` on `input` to its end.
pub fn run(definition: &Value, input: &Value, options: &RunOptions) -> Result<ExecutionReport, RunError> {
    let machine = stepwise_asl::validate::parse(definition).map_err(|diagnostics| {
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        RunError::InvalidDefinition(text.join("; "))
    })?;
    let input_text = stepwise_asl::json::to_text(input);
    if input_text.len() > stepwise_asl::json::MAX_PAYLOAD_BYTES {
        return Err(RunError::InvalidExecutionInput(format!(
            "the input is {} bytes; the limit is 262144",
            input_text.len()
        )));
    }
    let mocks = match &options.mock {
        Some((config, case)) => Some(MockCase::from_config(config, &options.state_machine_name, case)?),
        None => None,
    };
    let tasks = tasks::Tasks { lambda: options.lambda.clone(), mocks };
    if options.backend == Backend::Engine {
        return engine::run(definition, input, options, tasks);
    }
    let clock = clock::RunClock::new(options.clock);
    let (sm, ex) = (&options.state_machine_name, &options.execution_name);
    let execution = ExecutionInfo {
        execution_arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:execution:{sm}:{ex}"),
        name: ex.clone(),
        input: input.clone(),
        input_text: options.input_text.clone(),
        start_time: clock.now(),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/StepwiseExecutionRole"),
        state_machine_arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{sm}"),
        state_machine_name: sm.clone(),
        region: REGION.to_owned(),
    };
    let seed = clock.now() as u64;
    let mut scheduler = Scheduler::new(&machine, &execution, clock, &tasks, seed);
    scheduler.observer = options.observer.clone();
    let end = scheduler.run();
    let events = scheduler.history.iter().map(|e| e.to_api_json()).collect();
    let (status, output, error, cause) = match end {
        End::Succeeded(v) => (ExecutionStatus::Succeeded, Some(stepwise_asl::json::to_text(&v)), None, None),
        End::Failed(f) => {
            let error = (!f.error.is_empty()).then_some(f.error);
            (ExecutionStatus::Failed, None, error, f.cause)
        }
        End::TimedOut => (ExecutionStatus::TimedOut, None, Some("States.Timeout".to_owned()), None),
    };
    Ok(ExecutionReport { status, output, error, cause, events })
}
