//! Starting and stopping executions
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html>,
//! `API_StopExecution.html`).

use crate::engine::{Engine, EngineError, MAX_ATTEMPTS, execution_info};
use crate::ports::{BranchWrite, Clock, Commit, EventSink, ExecutionWrite, Queue, Store, StoreError, TaskInvoker};
use crate::records::{
    BranchRecord, ExecutionRecord, ExecutionStatus, Message, MessageKind, StateMachineRecord, StateMachineType,
    StatusChange, Work,
};
use stepwise_asl::history::{Details, HistoryEvent};
use stepwise_asl::interpret;

/// Why an execution could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// An execution with this name exists with a different input
    /// (`ExecutionAlreadyExists`).
    #[error("Execution Already Exists: '{0}'")]
    AlreadyExists(String),
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// The status change event for an execution record.
pub(crate) fn status_change(record: &ExecutionRecord) -> StatusChange {
    StatusChange {
        execution_arn: record.arn.clone(),
        state_machine_arn: record.state_machine_arn.clone(),
        name: record.name.clone(),
        status: record.status,
        start_date: record.start_date,
        stop_date: record.stop_date,
        input: record.input.clone(),
        output: record.output.clone(),
        error: record.error.clone(),
        cause: record.cause.clone(),
    }
}

/// The root branch's id.
pub const ROOT: &str = "0";

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Engine<S, Q, E, T, C> {
    /// The ARN of execution `name` of `state_machine`: `…:execution:<sm>:<name>`
    /// for STANDARD; an EXPRESS execution is `…:express:<sm>:<name>:<id>`, a
    /// new one every time (EXPRESS starts are not idempotent).
    pub fn execution_arn(&self, state_machine: &StateMachineRecord, name: &str) -> String {
        let (region, account, sm) = (&self.config.region, &self.config.account, &state_machine.name);
        match state_machine.kind {
            StateMachineType::Standard => format!("arn:aws:states:{region}:{account}:execution:{sm}:{name}"),
            StateMachineType::Express => {
                let id = stepwise_asl::rng::Rng::new(crate::engine::new_seed()).uuid_v4();
                format!("arn:aws:states:{region}:{account}:express:{sm}:{name}:{id}")
            }
        }
    }

    /// Starts an execution of `state_machine` named `name` with `input`
    /// (JSON text, already validated). Starting again with the same name and
    /// input returns the existing execution, as AWS does for STANDARD
    /// machines, and re-sends its first work in case the first call crashed
    /// before sending it.
    pub async fn start_execution(
        &self,
        state_machine: &StateMachineRecord,
        name: &str,
        input: &str,
    ) -> Result<ExecutionRecord, StartError> {
        let arn = self.execution_arn(state_machine, name);
        if let Some(existing) = self.store.get_execution(&arn).await.map_err(EngineError::from)? {
            return self.existing(existing, input).await;
        }
        let machine = self.machine(&state_machine.definition)?;
        let now = self.clock.now_ms();
        let mut record = ExecutionRecord {
            arn: arn.clone(),
            state_machine_arn: state_machine.arn.clone(),
            name: name.to_owned(),
            status: ExecutionStatus::Running,
            start_date: now,
            stop_date: None,
            input: input.to_owned(),
            output: None,
            error: None,
            cause: None,
            definition: state_machine.definition.clone(),
            role_arn: state_machine.role_arn.clone(),
            next_event_id: 1,
        };
        let info = execution_info(&record, &self.config.region);
        let (branch, started) = interpret::start_execution(&machine, &info, now);
        record.next_event_id = 2;
        let enter = Message { execution_arn: arn.clone(), branch: ROOT.to_owned(), seq: 0, kind: MessageKind::Enter };
        let mut work = vec![Work::Send { message: enter, delay_ms: 0 }, Work::Status(status_change(&record))];
        if let Some(seconds) = machine.timeout_seconds {
            let message = Message {
                execution_arn: arn.clone(),
                branch: ROOT.to_owned(),
                seq: 0,
                kind: MessageKind::ExecutionTimeout,
            };
            work.push(Work::Send { message, delay_ms: seconds as i64 * 1000 });
        }
        let root = BranchRecord {
            execution_arn: arn.clone(),
            id: ROOT.to_owned(),
            seq: 0,
            version: 0,
            branch,
            parent: None,
            task: None,
            pending: None,
            join: None,
            last_work: work.clone(),
            committed_at: now,
            detached: false,
        };
        let (record, commit, work) = if self.config.steps_per_message > 1 {
            self.start_inline(record, root, started, work).await?
        } else {
            let commit = Commit {
                execution: None,
                branches: vec![BranchWrite { record: root, expected_version: None }],
                events: vec![started],
                tokens: Vec::new(),
            };
            (record, commit, work)
        };
        match self.store.create_execution(record.clone(), commit).await {
            Ok(()) => {
                self.send(&work).await?;
                Ok(record)
            }
            Err(StoreError::AlreadyExists) => {
                let existing = self.store.get_execution(&arn).await.map_err(EngineError::from)?;
                match existing {
                    Some(existing) => self.existing(existing, input).await,
                    None => Err(EngineError::Store(StoreError::Conflict).into()),
                }
            }
            Err(e) => Err(EngineError::from(e).into()),
        }
    }

    /// Runs the first message's steps before the execution is created, so
    /// one commit creates it and takes it as far as its first wait: a
    /// one-state execution ends within its StartExecution call.
    async fn start_inline(
        &self,
        record: ExecutionRecord,
        root: BranchRecord,
        started: HistoryEvent,
        mut work: Vec<Work>,
    ) -> Result<(ExecutionRecord, Commit, Vec<Work>), EngineError> {
        let plan = self.plan(record.clone(), root, stepwise_asl::interpret::Event::Enter).await?;
        let mut commit = plan.commit;
        let created = commit.execution.take().map_or(record, |w| w.record);
        commit.events.insert(0, started);
        // The Enter that plan consumed was the first item of the start's work.
        work.remove(0);
        work.extend(plan.work);
        if let Some(root) = commit.branches.first_mut() {
            root.expected_version = None;
            root.record.last_work = work.clone();
        }
        Ok((created, commit, work))
    }

    async fn existing(&self, existing: ExecutionRecord, input: &str) -> Result<ExecutionRecord, StartError> {
        // "If StartExecution is called with the same name and input as a
        // running execution, the call succeeds and returns the same response
        // as the original request. If the execution is closed or if the input
        // is different, it returns a 400 ExecutionAlreadyExists error."
        if existing.input != input || existing.status != ExecutionStatus::Running {
            return Err(StartError::AlreadyExists(existing.arn));
        }
        if let Some(root) = self.store.get_branch(&existing.arn, ROOT).await.map_err(EngineError::from)?
            && root.seq <= 1
        {
            self.send(&root.last_work).await?;
        }
        Ok(existing)
    }

    /// Ends a running execution with `status` (ABORTED by StopExecution,
    /// TIMED_OUT by its TimeoutSeconds), recording the matching event.
    /// Returns the record as it ends up; an execution already ended is
    /// returned unchanged.
    pub async fn end_execution(
        &self,
        arn: &str,
        status: ExecutionStatus,
        error: Option<String>,
        cause: Option<String>,
    ) -> Result<Option<ExecutionRecord>, EngineError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(mut record) = self.store.get_execution(arn).await? else { return Ok(None) };
            if record.status != ExecutionStatus::Running {
                return Ok(Some(record));
            }
            let now = self.clock.now_ms();
            let expected = record.next_event_id;
            let (event_type, details) = match status {
                ExecutionStatus::TimedOut => {
                    ("ExecutionTimedOut", Details::ExecutionTimedOut { error: error.clone(), cause: cause.clone() })
                }
                _ => ("ExecutionAborted", Details::ExecutionAborted { error: error.clone(), cause: cause.clone() }),
            };
            let event = HistoryEvent {
                id: expected,
                previous_event_id: expected - 1,
                event_type: event_type.into(),
                timestamp: now,
                details,
            };
            record.next_event_id += 1;
            record.status = status;
            record.stop_date = Some(now);
            record.error = error.clone();
            record.cause = cause.clone();
            let commit = Commit {
                execution: Some(ExecutionWrite { record: record.clone(), expected_next_event_id: expected }),
                branches: Vec::new(),
                events: vec![event],
                tokens: Vec::new(),
            };
            match self.store.commit(commit).await {
                Ok(()) => {
                    self.send(&[Work::Status(status_change(&record))]).await?;
                    return Ok(Some(record));
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(EngineError::Contention(MAX_ATTEMPTS))
    }
}
