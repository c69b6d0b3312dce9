//! An in-memory store: every call takes one mutex, so commits are atomic.

use crate::ports::{Commit, Page, Store, StoreError};
use crate::records::{BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, TokenRecord};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use stepwise_asl::history::HistoryEvent;

#[derive(Default)]
struct State {
    state_machines: BTreeMap<String, StateMachineRecord>,
    executions: HashMap<String, ExecutionRecord>,
    /// Execution ARNs per state machine, oldest first.
    by_state_machine: HashMap<String, Vec<String>>,
    branches: HashMap<(String, String), BranchRecord>,
    history: HashMap<String, Vec<HistoryEvent>>,
    tokens: HashMap<String, TokenRecord>,
}

/// The in-memory store. Clones share the data.
#[derive(Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
    commits: Arc<Mutex<u64>>,
    /// Refuse commits writing more items than this, as DynamoDB does.
    max_writes: Option<usize>,
    /// Refuse commits whose events weigh more than this (serialized).
    max_bytes: Option<usize>,
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A store that refuses commits of more than `max` items, like a
    /// DynamoDB transaction (100).
    pub fn with_max_commit_writes(max: usize) -> Self {
        MemoryStore { max_writes: Some(max), ..MemoryStore::default() }
    }

    /// A store that refuses commits whose history events weigh more than
    /// `max` bytes as JSON, as a DynamoDB transaction refuses more than 4 MB.
    pub fn with_max_commit_bytes(max: usize) -> Self {
        MemoryStore { max_bytes: Some(max), ..MemoryStore::default() }
    }

    /// Refuses a commit (plus `extra` items) over this store's limits.
    fn check_limits(&self, commit: &Commit, extra: usize) -> Result<(), StoreError> {
        let writes =
            extra + commit.execution.iter().count() + commit.branches.len() + commit.events.len() + commit.tokens.len();
        if self.max_writes.is_some_and(|max| writes > max) {
            return Err(StoreError::Unavailable(format!("a commit of {writes} writes is over the limit")));
        }
        if let Some(max) = self.max_bytes {
            let bytes: usize = commit.events.iter().map(|e| serde_json::to_vec(e).map_or(0, |v| v.len())).sum();
            if bytes > max {
                return Err(StoreError::Unavailable(format!("a commit of {bytes} bytes is over the limit")));
            }
        }
        Ok(())
    }

    /// How many commits succeeded (for cost and fault tests).
    pub fn commits(&self) -> u64 {
        *self.commits.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every branch of an execution (for tests).
    pub fn branches(&self, execution_arn: &str) -> Vec<BranchRecord> {
        let state = self.lock();
        let mut out: Vec<_> = state.branches.values().filter(|b| b.execution_arn == execution_arn).cloned().collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

/// Slices `items` by a numeric offset token.
fn page_of<T: Clone>(items: &[T], page: &Page) -> Result<(Vec<T>, Option<String>), StoreError> {
    let start = match &page.token {
        None => 0,
        Some(t) => t.parse::<usize>().map_err(|_| StoreError::InvalidPageToken)?,
    };
    if start > items.len() {
        return Err(StoreError::InvalidPageToken);
    }
    let limit = if page.limit == 0 { 100 } else { page.limit };
    let end = start.saturating_add(limit).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}

fn check(state: &State, commit: &Commit) -> Result<(), StoreError> {
    if let Some(w) = &commit.execution {
        match state.executions.get(&w.record.arn) {
            Some(e) if e.next_event_id == w.expected_next_event_id && e.status == ExecutionStatus::Running => {}
            _ => return Err(StoreError::Conflict),
        }
    }
    for w in &commit.branches {
        let key = (w.record.execution_arn.clone(), w.record.id.clone());
        let current = state.branches.get(&key).map(|b| b.version);
        if current != w.expected_version {
            return Err(StoreError::Conflict);
        }
    }
    Ok(())
}

fn apply(state: &mut State, commit: Commit) {
    if let Some(w) = commit.execution {
        state.executions.insert(w.record.arn.clone(), w.record);
    }
    for w in commit.branches {
        state.branches.insert((w.record.execution_arn.clone(), w.record.id.clone()), w.record);
    }
    for t in commit.tokens {
        state.tokens.insert(t.token.clone(), t);
    }
}

impl Store for MemoryStore {
    async fn create_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        let mut state = self.lock();
        if state.state_machines.values().any(|s| s.arn == record.arn) {
            return Err(StoreError::AlreadyExists);
        }
        state.state_machines.insert(record.name.clone(), record);
        Ok(())
    }

    async fn update_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        let mut state = self.lock();
        match state.state_machines.get_mut(&record.name) {
            Some(existing) if existing.arn == record.arn => {
                *existing = record;
                Ok(())
            }
            _ => Err(StoreError::NotFound),
        }
    }

    async fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>, StoreError> {
        Ok(self.lock().state_machines.values().find(|s| s.arn == arn).cloned())
    }

    async fn delete_state_machine(&self, arn: &str) -> Result<(), StoreError> {
        self.lock().state_machines.retain(|_, s| s.arn != arn);
        Ok(())
    }

    async fn list_state_machines(&self, page: Page) -> Result<(Vec<StateMachineRecord>, Option<String>), StoreError> {
        let all: Vec<StateMachineRecord> = self.lock().state_machines.values().cloned().collect();
        page_of(&all, &page)
    }

    async fn create_execution(&self, execution: ExecutionRecord, commit: Commit) -> Result<(), StoreError> {
        // The execution is written too, as DynamoDB's head and data items.
        self.check_limits(&commit, 2)?;
        let mut state = self.lock();
        if state.executions.contains_key(&execution.arn) {
            return Err(StoreError::AlreadyExists);
        }
        check(&state, &Commit { execution: None, ..commit.clone() })?;
        let arn = execution.arn.clone();
        state.by_state_machine.entry(execution.state_machine_arn.clone()).or_default().push(arn.clone());
        state.executions.insert(arn.clone(), execution);
        state.history.entry(arn).or_default().extend(commit.events.iter().cloned());
        apply(&mut state, Commit { events: Vec::new(), ..commit });
        *self.commits.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        Ok(())
    }

    async fn get_execution(&self, arn: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        Ok(self.lock().executions.get(arn).cloned())
    }

    async fn list_executions(
        &self,
        state_machine_arn: &str,
        status: Option<ExecutionStatus>,
        page: Page,
    ) -> Result<(Vec<ExecutionRecord>, Option<String>), StoreError> {
        let state = self.lock();
        let all: Vec<ExecutionRecord> = state
            .by_state_machine
            .get(state_machine_arn)
            .map(|arns| {
                arns.iter()
                    .rev()
                    .filter_map(|a| state.executions.get(a))
                    .filter(|e| status.is_none_or(|s| e.status == s))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        page_of(&all, &page)
    }

    async fn history(
        &self,
        execution_arn: &str,
        page: Page,
        reverse: bool,
    ) -> Result<(Vec<HistoryEvent>, Option<String>), StoreError> {
        let state = self.lock();
        let mut events = state.history.get(execution_arn).cloned().unwrap_or_default();
        if reverse {
            events.reverse();
        }
        page_of(&events, &page)
    }

    async fn get_branch(&self, execution_arn: &str, id: &str) -> Result<Option<BranchRecord>, StoreError> {
        Ok(self.lock().branches.get(&(execution_arn.to_owned(), id.to_owned())).cloned())
    }

    async fn commit(&self, commit: Commit) -> Result<(), StoreError> {
        self.check_limits(&commit, 0)?;
        let mut state = self.lock();
        check(&state, &commit)?;
        let arn = commit.branches.first().map(|b| b.record.execution_arn.clone());
        if let Some(arn) = arn.or_else(|| commit.execution.as_ref().map(|e| e.record.arn.clone())) {
            state.history.entry(arn).or_default().extend(commit.events.iter().cloned());
        }
        apply(&mut state, Commit { events: Vec::new(), ..commit });
        *self.commits.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        Ok(())
    }

    async fn get_token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self.lock().tokens.get(token).cloned())
    }

    fn max_commit_writes(&self) -> usize {
        self.max_writes.unwrap_or(usize::MAX)
    }

    fn max_commit_bytes(&self) -> usize {
        self.max_bytes.unwrap_or(usize::MAX)
    }

    async fn heartbeat(&self, token: &str, at: i64) -> Result<(), StoreError> {
        match self.lock().tokens.get_mut(token) {
            Some(t) => {
                t.heartbeat_at = at;
                Ok(())
            }
            None => Err(StoreError::NotFound),
        }
    }
}
