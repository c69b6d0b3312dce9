//! One message, one step: load the branch, drop a duplicate or stale
//! message by sequence number, run the pure interpreter, commit the branch,
//! its history events and its outgoing work in one conditional write, then
//! send the work.

use crate::engine::{Engine, EngineError, MAX_ATTEMPTS, execution_info, new_seed, new_token};
use crate::join;
use crate::ports::{
    BranchWrite, Clock, Commit, EventSink, ExecutionWrite, Queue, Store, StoreError, TaskInvoker, TaskOutcome,
};
use crate::records::{
    BranchRecord, ExecutionRecord, ExecutionStatus, Message, MessageKind, Pending, TokenRecord, Work,
};
use crate::start::status_change;
use stepwise_asl::error::{Failure, names};
use stepwise_asl::interpret::{self, Env, Event, IntegrationPattern, Next, Phase};
use stepwise_asl::rng::Rng;

/// What a step decided, before it is committed.
pub(crate) struct Plan {
    pub commit: Commit,
    pub work: Vec<Work>,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Engine<S, Q, E, T, C> {
    /// Handles one message from the step queue. `Ok` means the message may
    /// be acknowledged: it was applied, or it was a duplicate or stale and is
    /// dropped (after re-sending the work of a step it already applied).
    pub async fn handle(&self, message: &Message) -> Result<(), EngineError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(execution) = self.store.get_execution(&message.execution_arn).await? else { return Ok(()) };
            if execution.status != ExecutionStatus::Running {
                return Ok(());
            }
            if message.kind == MessageKind::ExecutionTimeout {
                let error = Some(names::TIMEOUT.to_owned());
                self.end_execution(&execution.arn, ExecutionStatus::TimedOut, error, None).await?;
                return Ok(());
            }
            let Some(record) = self.store.get_branch(&message.execution_arn, &message.branch).await? else {
                return Ok(());
            };
            if message.kind == MessageKind::Abort {
                return self.abort(execution, record).await;
            }
            if message.seq < record.seq {
                // Already applied. If it was this branch's latest step, the
                // crash may have come before its work was sent: send it again.
                let age = self.clock.now_ms() - record.committed_at;
                if message.seq + 1 == record.seq && age >= self.config.redelivery_grace_ms {
                    self.send(&record.last_work).await?;
                }
                return Ok(());
            }
            if message.seq > record.seq || record.branch.phase == Phase::Done {
                return Ok(());
            }
            let event = match message.kind {
                MessageKind::Enter if record.branch.phase == Phase::Entering => Event::Enter,
                MessageKind::Timer => Event::TimerFired,
                MessageKind::TaskTimeout if record.pending.is_none() => {
                    Event::TaskTimedOut(Failure::bare(names::TIMEOUT))
                }
                MessageKind::Resume => match &record.pending {
                    Some(pending) => pending_event(pending.clone()),
                    None => return Ok(()),
                },
                MessageKind::RunTask => return self.run_task(execution, record).await,
                MessageKind::StartChildren => return self.start_children(execution, record).await,
                _ => return Ok(()),
            };
            let plan = self.plan(execution, record, event).await?;
            match self.store.commit(plan.commit).await {
                Ok(()) => return self.send(&plan.work).await,
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(EngineError::Contention(MAX_ATTEMPTS))
    }

    /// Runs the interpreter for one event and decides the writes and work.
    pub(crate) async fn plan(
        &self,
        mut execution: ExecutionRecord,
        mut record: BranchRecord,
        event: Event,
    ) -> Result<Plan, EngineError> {
        let machine = self.machine(&execution.definition)?;
        let info = execution_info(&execution, &self.config.region);
        let now = self.clock.now_ms();
        let expected_next_event_id = execution.next_event_id;
        let detached = record.detached;
        let token: fn() -> String = new_token;
        let mut env = Env {
            machine: &machine,
            execution: &info,
            now,
            next_event_id: if detached { join::DETACHED_EVENT_IDS } else { execution.next_event_id },
            rng: Rng::new(new_seed()),
            new_token: token,
        };
        // States that finish at once (Pass, Choice, …) may follow each other
        // within one message, up to `steps_per_message`: one commit then
        // covers them all. Each is still applied exactly once; only the
        // commit and the queue round trip between them are saved.
        let mut events = Vec::new();
        let mut event = event;
        let mut steps = 0;
        let next = loop {
            let step = interpret::step(&mut record.branch, event, &mut env);
            events.extend(step.history);
            steps += 1;
            match step.next {
                Next::Continue if steps < self.config.steps_per_message && self.room_for_another_state(&events) => {
                    event = Event::Enter
                }
                next => break next,
            }
        };
        let expected_version = record.version;
        record.seq += 1;
        record.version += 1;
        record.pending = None;
        record.committed_at = now;
        let mut work = Vec::new();
        let mut branches = Vec::new();
        let mut tokens = Vec::new();
        let message = |kind| Message {
            execution_arn: record.execution_arn.clone(),
            branch: record.id.clone(),
            seq: record.seq,
            kind,
        };
        let budget = self.children_budget(events.len());
        match next {
            Next::Continue => work.push(Work::Send { message: message(MessageKind::Enter), delay_ms: 0 }),
            Next::Timer { at } => {
                work.push(Work::Send { message: message(MessageKind::Timer), delay_ms: (at - now).max(0) })
            }
            Next::Task(request) => {
                if let Some(token) = &request.token {
                    tokens.push(TokenRecord {
                        token: token.clone(),
                        execution_arn: record.execution_arn.clone(),
                        branch: record.id.clone(),
                        seq: record.seq,
                        heartbeat_at: now,
                    });
                }
                if let Some(seconds) = request.timeout_seconds {
                    work.push(Work::Send {
                        message: message(MessageKind::TaskTimeout),
                        delay_ms: seconds as i64 * 1000,
                    });
                }
                work.push(Work::Send { message: message(MessageKind::RunTask), delay_ms: 0 });
                record.task = Some(*request);
            }
            Next::Children(children) => {
                let budget = self.children_budget(events.len());
                let started = join::start(&machine, &mut record, children, &mut env, &mut events, budget);
                for child in started {
                    work.push(Work::Send { message: child.enter_message(), delay_ms: 0 });
                    branches.push(BranchWrite { record: child, expected_version: None });
                }
                if record.join.as_ref().is_some_and(join::can_start_more) {
                    work.push(join::start_children_message(&record));
                }
            }
            Next::Succeeded(output) => match record.parent.clone() {
                None => {
                    execution.status = ExecutionStatus::Succeeded;
                    execution.output = Some(stepwise_asl::json::to_text(&output));
                    execution.stop_date = Some(now);
                    work.push(Work::Status(status_change(&execution)));
                }
                Some((parent, slot)) => {
                    let last = if detached { expected_next_event_id - 1 } else { env.next_event_id - 1 };
                    let parent = self.parent(&record, &parent).await?;
                    join::finish(
                        &machine,
                        parent,
                        slot,
                        Ok(output),
                        last,
                        &mut env,
                        &mut events,
                        &mut branches,
                        &mut work,
                        budget,
                    );
                }
            },
            Next::Failed(failure) => match record.parent.clone() {
                None => {
                    execution.status = ExecutionStatus::Failed;
                    execution.error = (!failure.error.is_empty()).then_some(failure.error);
                    execution.cause = failure.cause;
                    execution.stop_date = Some(now);
                    work.push(Work::Status(status_change(&execution)));
                }
                Some((parent, slot)) => {
                    let last = record.branch.last_event_id;
                    let parent = self.parent(&record, &parent).await?;
                    join::finish(
                        &machine,
                        parent,
                        slot,
                        Err(failure),
                        last,
                        &mut env,
                        &mut events,
                        &mut branches,
                        &mut work,
                        budget,
                    );
                }
            },
        }
        record.last_work = work.clone();
        branches.insert(0, BranchWrite { record, expected_version: Some(expected_version) });
        let execution = if detached {
            // A Distributed Map item records nothing in this history.
            events.clear();
            None
        } else {
            execution.next_event_id = env.next_event_id;
            Some(ExecutionWrite { record: execution, expected_next_event_id })
        };
        let commit = Commit { execution, branches, events, tokens };
        Ok(Plan { commit, work })
    }

    /// Whether a commit holding `events` has room for one more state's
    /// writes within the store's limits: its events (a state records two,
    /// each with at most one 256 KiB payload) besides the step's own writes
    /// (the execution, the branch, a parent, tokens: at most 8 items of at
    /// most 400 KB, DynamoDB's item limit). Only a store with a byte limit
    /// pays for measuring the events.
    fn room_for_another_state(&self, events: &[stepwise_asl::history::HistoryEvent]) -> bool {
        const STATE_EVENTS: usize = 2;
        const OWN_WRITES: usize = 8;
        const STATE_BYTES: usize = STATE_EVENTS * (256 * 1024 + 1024);
        const OWN_BYTES: usize = 2 * 400 * 1024;
        if events.len() + STATE_EVENTS + OWN_WRITES > self.store.max_commit_writes() {
            return false;
        }
        let limit = self.store.max_commit_bytes();
        if limit == usize::MAX {
            return true;
        }
        let written: usize = events.iter().map(|e| serde_json::to_vec(e).map_or(limit, |bytes| bytes.len())).sum();
        written.saturating_add(STATE_BYTES + OWN_BYTES) <= limit
    }

    /// How many children one commit may create besides `events` events: each
    /// costs a branch write and a `MapIterationStarted` event, and the step
    /// keeps room for the execution, the parent and its own few writes.
    pub(crate) fn children_budget(&self, events: usize) -> usize {
        (self.store.max_commit_writes().saturating_sub(8 + events) / 2).max(1)
    }

    /// Starts the next chunk of a join too large for one commit. The chunk's
    /// work is added to the parent's `last_work`, so a redelivered message
    /// re-sends it.
    async fn start_children(
        &self,
        mut execution: ExecutionRecord,
        mut record: BranchRecord,
    ) -> Result<(), EngineError> {
        for _ in 0..MAX_ATTEMPTS {
            if !record.join.as_ref().is_some_and(join::can_start_more) {
                let age = self.clock.now_ms() - record.committed_at;
                if age >= self.config.redelivery_grace_ms {
                    self.send(&record.last_work).await?;
                }
                return Ok(());
            }
            let machine = self.machine(&execution.definition)?;
            let info = execution_info(&execution, &self.config.region);
            let expected_next_event_id = execution.next_event_id;
            let mut env = Env {
                machine: &machine,
                execution: &info,
                now: self.clock.now_ms(),
                next_event_id: execution.next_event_id,
                rng: Rng::new(new_seed()),
                new_token,
            };
            let mut events = Vec::new();
            let started = join::continue_start(&machine, &mut record, &mut env, &mut events, self.children_budget(0));
            let mut work: Vec<Work> =
                started.iter().map(|c| Work::Send { message: c.enter_message(), delay_ms: 0 }).collect();
            if record.join.as_ref().is_some_and(join::can_start_more) {
                work.push(join::start_children_message(&record));
            }
            let expected_version = Some(record.version);
            record.version += 1;
            record.last_work.extend(work.iter().cloned());
            let mut branches = vec![BranchWrite { record: record.clone(), expected_version }];
            branches.extend(started.into_iter().map(|c| BranchWrite { record: c, expected_version: None }));
            let execution_write = (!record.detached).then(|| {
                execution.next_event_id = env.next_event_id;
                ExecutionWrite { record: execution.clone(), expected_next_event_id }
            });
            if record.detached {
                events.clear();
            }
            let commit = Commit { execution: execution_write, branches, events, tokens: Vec::new() };
            match self.store.commit(commit).await {
                Ok(()) => return self.send(&work).await,
                Err(StoreError::Conflict) => {
                    let Some(e) = self.store.get_execution(&record.execution_arn).await? else { return Ok(()) };
                    let Some(r) = self.store.get_branch(&record.execution_arn, &record.id).await? else {
                        return Ok(());
                    };
                    if e.status != ExecutionStatus::Running {
                        return Ok(());
                    }
                    (execution, record) = (e, r);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(EngineError::Contention(MAX_ATTEMPTS))
    }

    async fn parent(&self, child: &BranchRecord, id: &str) -> Result<BranchRecord, EngineError> {
        self.store.get_branch(&child.execution_arn, id).await?.ok_or(EngineError::Store(StoreError::NotFound))
    }

    /// Calls the task the branch waits for and applies its result at once,
    /// as the step a `Resume` would have taken; when that commit loses to a
    /// concurrent one (a sibling branch, the task's timeout), the result is
    /// stored for a `Resume` instead, which sorts the race out. A task handed
    /// off to a callback stores nothing.
    async fn run_task(&self, execution: ExecutionRecord, record: BranchRecord) -> Result<(), EngineError> {
        if record.branch.phase != Phase::Task {
            return Ok(());
        }
        if record.pending.is_some() {
            return self.send(&[resume(&record)]).await;
        }
        let Some(request) = &record.task else { return Ok(()) };
        let pending = match self.tasks.invoke(request).await {
            TaskOutcome::Waiting => return Ok(()),
            TaskOutcome::Succeeded(v) if request.pattern != IntegrationPattern::WaitForTaskToken => {
                Pending::TaskSucceeded(v)
            }
            TaskOutcome::Succeeded(_) => return Ok(()),
            TaskOutcome::Failed(f) => Pending::TaskFailed { error: f.error, cause: f.cause },
        };
        // Applied here, the result costs no write of its own, no Resume
        // message and no second load of the branch.
        let plan = self.plan(execution, record.clone(), pending_event(pending.clone())).await?;
        match self.store.commit(plan.commit).await {
            Ok(()) => self.send(&plan.work).await,
            Err(StoreError::Conflict) => match self.store.get_branch(&record.execution_arn, &record.id).await? {
                Some(fresh) if fresh.seq == record.seq && fresh.branch.phase == Phase::Task => {
                    self.deliver(fresh, pending).await
                }
                _ => Ok(()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a task's result on the branch (if it still waits for it) and
    /// sends the `Resume` that applies it.
    pub(crate) async fn deliver(&self, mut record: BranchRecord, pending: Pending) -> Result<(), EngineError> {
        for _ in 0..MAX_ATTEMPTS {
            if record.pending.is_some() {
                return self.send(&[resume(&record)]).await;
            }
            let expected_version = Some(record.version);
            record.version += 1;
            record.pending = Some(pending.clone());
            let commit = Commit {
                branches: vec![BranchWrite { record: record.clone(), expected_version }],
                ..Commit::default()
            };
            match self.store.commit(commit).await {
                Ok(()) => return self.send(&[resume(&record)]).await,
                Err(StoreError::Conflict) => {
                    let seq = record.seq;
                    match self.store.get_branch(&record.execution_arn, &record.id).await? {
                        Some(fresh) if fresh.seq == seq && fresh.branch.phase == Phase::Task => record = fresh,
                        _ => return Ok(()),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(EngineError::Contention(MAX_ATTEMPTS))
    }

    /// Cancels a child whose sibling failed, and its own children.
    async fn abort(&self, mut execution: ExecutionRecord, mut record: BranchRecord) -> Result<(), EngineError> {
        for _ in 0..MAX_ATTEMPTS {
            if record.branch.phase == Phase::Done {
                return Ok(());
            }
            let machine = self.machine(&execution.definition)?;
            let info = execution_info(&execution, &self.config.region);
            let expected_next_event_id = execution.next_event_id;
            let token: fn() -> String = new_token;
            let mut env = Env {
                machine: &machine,
                execution: &info,
                now: self.clock.now_ms(),
                next_event_id: execution.next_event_id,
                rng: Rng::new(new_seed()),
                new_token: token,
            };
            let events = interpret::abort_child(&mut record.branch, &mut env);
            execution.next_event_id = env.next_event_id;
            let work: Vec<Work> = record.join.as_ref().map(|j| join::abort_messages(&record, j)).unwrap_or_default();
            let expected_version = Some(record.version);
            record.version += 1;
            record.last_work = work.clone();
            let commit = Commit {
                execution: Some(ExecutionWrite { record: execution.clone(), expected_next_event_id }),
                branches: vec![BranchWrite { record: record.clone(), expected_version }],
                events,
                tokens: Vec::new(),
            };
            match self.store.commit(commit).await {
                Ok(()) => return self.send(&work).await,
                Err(StoreError::Conflict) => {
                    let Some(e) = self.store.get_execution(&record.execution_arn).await? else { return Ok(()) };
                    let Some(r) = self.store.get_branch(&record.execution_arn, &record.id).await? else {
                        return Ok(());
                    };
                    (execution, record) = (e, r);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(EngineError::Contention(MAX_ATTEMPTS))
    }
}

/// The `Resume` message for a branch's pending result.
pub(crate) fn resume(record: &BranchRecord) -> Work {
    let message = Message {
        execution_arn: record.execution_arn.clone(),
        branch: record.id.clone(),
        seq: record.seq,
        kind: MessageKind::Resume,
    };
    Work::Send { message, delay_ms: 0 }
}

fn pending_event(pending: Pending) -> Event {
    match pending {
        Pending::TaskSucceeded(v) => Event::TaskSucceeded(v),
        Pending::TaskFailed { error, cause } => Event::TaskFailed(Failure { error, cause }),
        Pending::TaskTimedOut { error } => Event::TaskTimedOut(Failure::bare(error)),
        Pending::ChildrenSucceeded { outputs, last_event_id } => Event::ChildrenSucceeded { outputs, last_event_id },
        Pending::ChildrenFailed { error, cause, last_event_id } => {
            Event::ChildrenFailed { failure: Failure { error, cause }, last_event_id }
        }
    }
}

impl BranchRecord {
    /// The message that enters this branch's current state.
    pub(crate) fn enter_message(&self) -> Message {
        Message {
            execution_arn: self.execution_arn.clone(),
            branch: self.id.clone(),
            seq: self.seq,
            kind: MessageKind::Enter,
        }
    }
}
