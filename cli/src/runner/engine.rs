//! Running an execution on the durable engine with in-memory adapters:
//! every step goes through the queue and a conditional commit, exactly as
//! in the serverless stack, with virtual time.

use super::clock::{Clock, RunClock};
use super::tasks::Tasks;
use super::{ACCOUNT, ExecutionReport, ExecutionStatus, REGION, RunError, RunOptions};
use serde_json::Value;
use std::sync::Arc;
use stepwise_asl::interpret::{Event, TaskRequest};
use stepwise_engine::memory::{ManualClock, MemoryEvents, MemoryQueue, MemoryStore};
use stepwise_engine::ports::{Page, Store, TaskInvoker, TaskOutcome};
use stepwise_engine::records::{self, StateMachineRecord, StateMachineType};
use stepwise_engine::{Config, Engine};

/// The runner's task answers (Lambda endpoint, mock config) as the
/// engine's task port.
pub struct TaskPort {
    tasks: Arc<Tasks>,
    /// Virtual time: answer inline, a task slower than its TimeoutSeconds
    /// never answers. Real time: call on a blocking thread.
    virtual_time: bool,
}

impl TaskPort {
    /// Tasks sent to a Lambda Invoke endpoint, if any, in real time.
    pub fn lambda(lambda: Option<Arc<dyn crate::tasks::LambdaInvoker>>) -> Self {
        TaskPort { tasks: Arc::new(Tasks { lambda, mocks: None }), virtual_time: false }
    }
}

fn outcome(event: Event) -> TaskOutcome {
    match event {
        Event::TaskSucceeded(v) => TaskOutcome::Succeeded(v),
        Event::TaskFailed(f) => TaskOutcome::Failed(f),
        // A task slower than its TimeoutSeconds never answers in time:
        // the engine's own TaskTimeout message times it out.
        _ => TaskOutcome::Waiting,
    }
}

impl TaskInvoker for TaskPort {
    async fn invoke(&self, request: &TaskRequest) -> TaskOutcome {
        if self.virtual_time {
            return outcome(self.tasks.run(request, &RunClock::new(Clock::Virtual)).event);
        }
        let (tasks, request) = (self.tasks.clone(), request.clone());
        let answer =
            tokio::task::spawn_blocking(move || tasks.run(&request, &RunClock::new(Clock::Real { scale: 1.0 })));
        match answer.await {
            Ok(answer) => outcome(answer.event),
            Err(e) => TaskOutcome::Failed(stepwise_asl::error::Failure::new("States.TaskFailed", e.to_string())),
        }
    }
}

/// Runs one execution to its end on a fresh in-memory engine.
pub(super) fn run(
    definition: &Value,
    input: &Value,
    options: &RunOptions,
    tasks: Tasks,
) -> Result<ExecutionReport, RunError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| RunError::InvalidExecutionInput(format!("cannot start the engine: {e}")))?;
    runtime.block_on(run_async(definition, input, options, tasks))
}

async fn run_async(
    definition: &Value,
    input: &Value,
    options: &RunOptions,
    tasks: Tasks,
) -> Result<ExecutionReport, RunError> {
    let start = RunClock::new(Clock::Virtual).now();
    let clock = ManualClock::at(start);
    let queue = MemoryQueue::new(clock.clone());
    let tasks = TaskPort { tasks: Arc::new(tasks), virtual_time: true };
    let engine = Engine::new(
        MemoryStore::default(),
        queue.clone(),
        MemoryEvents::default(),
        tasks,
        clock,
        Config::new(REGION, ACCOUNT),
    );
    let state_machine = StateMachineRecord {
        arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{}", options.state_machine_name),
        name: options.state_machine_name.clone(),
        definition: stepwise_asl::json::to_text(definition),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/StepwiseExecutionRole"),
        kind: StateMachineType::Standard,
        creation_date: start,
        revision_id: "1".to_owned(),
        description: None,
        tags: Vec::new(),
    };
    let input_text = options.input_text.clone().unwrap_or_else(|| stepwise_asl::json::to_text(input));
    let failed = |e: &dyn std::fmt::Display| RunError::InvalidExecutionInput(format!("the engine failed: {e}"));
    let execution =
        engine.start_execution(&state_machine, &options.execution_name, &input_text).await.map_err(|e| failed(&e))?;
    while let Some(message) = queue.pop() {
        engine.handle(&message).await.map_err(|e| failed(&e))?;
    }
    let done = engine.store.get_execution(&execution.arn).await.map_err(|e| failed(&e))?;
    let done = done.ok_or_else(|| failed(&"the execution vanished"))?;
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let page = Page { limit: 1000, token };
        let (batch, next) = engine.store.history(&execution.arn, page, false).await.map_err(|e| failed(&e))?;
        events.extend(batch.iter().map(|e| e.to_api_json()));
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    let status = match done.status {
        records::ExecutionStatus::Succeeded => ExecutionStatus::Succeeded,
        records::ExecutionStatus::TimedOut => ExecutionStatus::TimedOut,
        records::ExecutionStatus::Aborted => ExecutionStatus::Aborted,
        _ => ExecutionStatus::Failed,
    };
    Ok(ExecutionReport { status, output: done.output, error: done.error, cause: done.cause, events })
}
