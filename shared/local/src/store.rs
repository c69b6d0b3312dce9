//! The embedded durable store: redb (a well-kept, pure-Rust, ACID key-value
//! store), one file in the data directory.
//!
//! Writes go through one committer thread that takes every write waiting and
//! applies them in a single transaction: group commit, one fsync for many
//! steps. Each write checks its conditions against the transaction's view
//! (so the batch is equivalent to applying them one by one) and a write
//! whose condition fails writes nothing. Reads use redb's snapshots and
//! never wait for the committer.
//!
//! Keys are text: `\u{1}` separates an execution ARN from what belongs to it,
//! numbers are zero-padded so text order is numeric order.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use stepwise_asl::history::HistoryEvent;
use stepwise_engine::ports::{Commit, Page, Store, StoreError};
use stepwise_engine::records::{BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, TokenRecord};
use tokio::sync::oneshot;

const STATE_MACHINES: TableDefinition<&str, &[u8]> = TableDefinition::new("state_machines");
const EXECUTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("executions");
/// `<state machine ARN>\u{1}<creation order, 20 digits>` → execution ARN.
const EXECUTIONS_BY_MACHINE: TableDefinition<&str, &str> = TableDefinition::new("executions_by_machine");
const BRANCHES: TableDefinition<&str, &[u8]> = TableDefinition::new("branches");
const HISTORY: TableDefinition<&str, &[u8]> = TableDefinition::new("history");
const TOKENS: TableDefinition<&str, &[u8]> = TableDefinition::new("tokens");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");

/// How many waiting writes one transaction takes at most.
const MAX_BATCH: usize = 512;

type Job = Box<dyn FnOnce(&WriteTransaction) -> Result<(), StoreError> + Send>;

/// The redb store. Clones share the database and its committer.
#[derive(Clone)]
pub struct RedbStore {
    db: Arc<Database>,
    jobs: mpsc::Sender<(Job, oneshot::Sender<Result<(), StoreError>>)>,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(io)
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(io)
}

fn key(owner: &str, part: &str) -> String {
    format!("{owner}\u{1}{part}")
}

fn event_key(execution: &str, id: i64) -> String {
    key(execution, &format!("{id:020}"))
}

/// The state machine name an ARN ends with.
fn machine_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or_default()
}

impl RedbStore {
    /// Opens (or creates) `dir/stepwise.redb`.
    pub fn open(dir: &Path) -> Result<RedbStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(io)?;
        let db = Arc::new(Database::create(dir.join("stepwise.redb")).map_err(io)?);
        let setup = db.begin_write().map_err(io)?;
        for table in [STATE_MACHINES, EXECUTIONS, BRANCHES, HISTORY, TOKENS] {
            setup.open_table(table).map_err(io)?;
        }
        setup.open_table(EXECUTIONS_BY_MACHINE).map_err(io)?;
        setup.open_table(COUNTERS).map_err(io)?;
        setup.commit().map_err(io)?;
        let (jobs, receiver) = mpsc::channel::<(Job, oneshot::Sender<Result<(), StoreError>>)>();
        // The committer holds the database weakly, so dropping the last store
        // handle closes the file at once (a restart in the same process can
        // reopen it).
        let committer = Arc::downgrade(&db);
        std::thread::Builder::new()
            .name("stepwise-committer".into())
            .spawn(move || commit_loop(&committer, &receiver))
            .map_err(io)?;
        Ok(RedbStore { db, jobs })
    }

    async fn write(&self, job: Job) -> Result<(), StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send((job, reply)).map_err(|_| io("the committer stopped"))?;
        answer.await.map_err(|_| io("the committer stopped"))?
    }

    fn get<T: serde::de::DeserializeOwned>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        k: &str,
    ) -> Result<Option<T>, StoreError> {
        let read = self.db.begin_read().map_err(io)?;
        let table = read.open_table(table).map_err(io)?;
        match table.get(k).map_err(io)? {
            Some(v) => decode(v.value()).map(Some),
            None => Ok(None),
        }
    }

    /// Every branch record of every running execution (to resume after a restart).
    pub fn running_branches(&self) -> Result<Vec<BranchRecord>, StoreError> {
        let read = self.db.begin_read().map_err(io)?;
        let executions = read.open_table(EXECUTIONS).map_err(io)?;
        let branches = read.open_table(BRANCHES).map_err(io)?;
        let mut out = Vec::new();
        for entry in executions.iter().map_err(io)? {
            let (_, v) = entry.map_err(io)?;
            let execution: ExecutionRecord = decode(v.value())?;
            if execution.status != ExecutionStatus::Running {
                continue;
            }
            let (from, to) = (key(&execution.arn, ""), key(&execution.arn, "\u{10ffff}"));
            for entry in branches.range(from.as_str()..to.as_str()).map_err(io)? {
                let (_, v) = entry.map_err(io)?;
                out.push(decode(v.value())?);
            }
        }
        Ok(out)
    }
}

/// Takes every waiting write, applies them in one transaction, commits once.
fn commit_loop(
    db: &std::sync::Weak<Database>,
    receiver: &mpsc::Receiver<(Job, oneshot::Sender<Result<(), StoreError>>)>,
) {
    while let Ok(first) = receiver.recv() {
        let Some(db) = db.upgrade() else { return };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let transaction = match db.begin_write() {
            Ok(t) => t,
            Err(e) => {
                batch.into_iter().for_each(|(_, reply)| drop(reply.send(Err(io(&e)))));
                continue;
            }
        };
        let mut results = Vec::with_capacity(batch.len());
        let mut replies = Vec::with_capacity(batch.len());
        for (job, reply) in batch {
            results.push(job(&transaction));
            replies.push(reply);
        }
        let committed = transaction.commit().map_err(io);
        // Let go of the database before answering, so a caller that drops
        // its last handle on the answer really closes the file.
        drop(db);
        for (result, reply) in results.into_iter().zip(replies) {
            let answer = match (&committed, result) {
                (Err(e), _) => Err(e.clone()),
                (Ok(()), r) => r,
            };
            let _ = reply.send(answer);
        }
    }
}

/// A paging token: the key to continue from, hex-encoded.
fn token_to_key(token: &Option<String>, prefix: &str) -> Result<Option<String>, StoreError> {
    let Some(token) = token else { return Ok(None) };
    let bytes: Option<Vec<u8>> =
        (0..token.len()).step_by(2).map(|i| token.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    let key = bytes.and_then(|b| String::from_utf8(b).ok()).ok_or(StoreError::InvalidPageToken)?;
    if !key.starts_with(prefix) {
        return Err(StoreError::InvalidPageToken);
    }
    Ok(Some(key))
}

fn key_to_token(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Reads one page of `(key, value)` pairs under `prefix`, from the token's
/// key on, forward or backward.
fn scan<V: redb::Value + 'static>(
    table: &impl ReadableTable<&'static str, V>,
    prefix: &str,
    page: &Page,
    reverse: bool,
    mut decode_value: impl FnMut(V::SelfType<'_>) -> Result<Vec<u8>, StoreError>,
) -> Result<(Vec<Vec<u8>>, Option<String>), StoreError> {
    let limit = if page.limit == 0 { 100 } else { page.limit };
    let start = token_to_key(&page.token, prefix)?;
    let end = format!("{prefix}\u{10ffff}");
    let range = match (&start, reverse) {
        (Some(s), false) => table.range(s.as_str()..end.as_str()),
        (Some(s), true) => table.range(prefix..=s.as_str()),
        (None, _) => table.range(prefix..end.as_str()),
    }
    .map_err(io)?;
    let mut out = Vec::new();
    let mut next = None;
    let mut visit = |entry: Result<(redb::AccessGuard<'_, &str>, redb::AccessGuard<'_, V>), redb::StorageError>| {
        let (k, v) = entry.map_err(io)?;
        if out.len() == limit {
            next = Some(key_to_token(k.value()));
            return Ok::<bool, StoreError>(false);
        }
        out.push(decode_value(v.value())?);
        Ok(true)
    };
    if reverse {
        for entry in range.rev() {
            if !visit(entry)? {
                break;
            }
        }
    } else {
        for entry in range {
            if !visit(entry)? {
                break;
            }
        }
    }
    Ok((out, next))
}

/// Checks a commit's conditions inside the transaction, then writes it.
fn apply_commit(t: &WriteTransaction, commit: &Commit, create: Option<&ExecutionRecord>) -> Result<(), StoreError> {
    let mut executions = t.open_table(EXECUTIONS).map_err(io)?;
    let mut branches = t.open_table(BRANCHES).map_err(io)?;
    if let Some(e) = create
        && executions.get(e.arn.as_str()).map_err(io)?.is_some()
    {
        return Err(StoreError::AlreadyExists);
    }
    if let Some(w) = &commit.execution {
        let current: Option<ExecutionRecord> =
            executions.get(w.record.arn.as_str()).map_err(io)?.map(|v| decode(v.value())).transpose()?;
        match current {
            Some(e) if e.next_event_id == w.expected_next_event_id && e.status == ExecutionStatus::Running => {}
            _ => return Err(StoreError::Conflict),
        }
    }
    for w in &commit.branches {
        let k = key(&w.record.execution_arn, &w.record.id);
        let current: Option<BranchRecord> =
            branches.get(k.as_str()).map_err(io)?.map(|v| decode(v.value())).transpose()?;
        if current.map(|b| b.version) != w.expected_version {
            return Err(StoreError::Conflict);
        }
    }
    // Every condition holds: write.
    if let Some(e) = create {
        executions.insert(e.arn.as_str(), encode(e)?.as_slice()).map_err(io)?;
        let mut counters = t.open_table(COUNTERS).map_err(io)?;
        let n = counters.get("executions").map_err(io)?.map_or(0, |v| v.value()) + 1;
        counters.insert("executions", n).map_err(io)?;
        let mut index = t.open_table(EXECUTIONS_BY_MACHINE).map_err(io)?;
        index.insert(key(&e.state_machine_arn, &format!("{n:020}")).as_str(), e.arn.as_str()).map_err(io)?;
    }
    if let Some(w) = &commit.execution {
        executions.insert(w.record.arn.as_str(), encode(&w.record)?.as_slice()).map_err(io)?;
    }
    for w in &commit.branches {
        let k = key(&w.record.execution_arn, &w.record.id);
        branches.insert(k.as_str(), encode(&w.record)?.as_slice()).map_err(io)?;
    }
    let owner = create
        .map(|e| e.arn.clone())
        .or_else(|| commit.execution.as_ref().map(|e| e.record.arn.clone()))
        .or_else(|| commit.branches.first().map(|b| b.record.execution_arn.clone()));
    if let Some(owner) = owner {
        let mut history = t.open_table(HISTORY).map_err(io)?;
        for event in &commit.events {
            history.insert(event_key(&owner, event.id).as_str(), encode(event)?.as_slice()).map_err(io)?;
        }
    }
    let mut tokens = t.open_table(TOKENS).map_err(io)?;
    for token in &commit.tokens {
        tokens.insert(token.token.as_str(), encode(token)?.as_slice()).map_err(io)?;
    }
    Ok(())
}

impl Store for RedbStore {
    async fn create_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        self.write(Box::new(move |t| {
            let mut table = t.open_table(STATE_MACHINES).map_err(io)?;
            if table.get(record.name.as_str()).map_err(io)?.is_some() {
                return Err(StoreError::AlreadyExists);
            }
            table.insert(record.name.as_str(), encode(&record)?.as_slice()).map_err(io)?;
            Ok(())
        }))
        .await
    }

    async fn update_state_machine(&self, record: StateMachineRecord) -> Result<(), StoreError> {
        self.write(Box::new(move |t| {
            let mut table = t.open_table(STATE_MACHINES).map_err(io)?;
            let current: Option<StateMachineRecord> =
                table.get(record.name.as_str()).map_err(io)?.map(|v| decode(v.value())).transpose()?;
            if current.is_none_or(|c| c.arn != record.arn) {
                return Err(StoreError::NotFound);
            }
            table.insert(record.name.as_str(), encode(&record)?.as_slice()).map_err(io)?;
            Ok(())
        }))
        .await
    }

    async fn get_state_machine(&self, arn: &str) -> Result<Option<StateMachineRecord>, StoreError> {
        let found: Option<StateMachineRecord> = self.get(STATE_MACHINES, machine_name(arn))?;
        Ok(found.filter(|s| s.arn == arn))
    }

    async fn delete_state_machine(&self, arn: &str) -> Result<(), StoreError> {
        let arn = arn.to_owned();
        self.write(Box::new(move |t| {
            let mut table = t.open_table(STATE_MACHINES).map_err(io)?;
            let current: Option<StateMachineRecord> =
                table.get(machine_name(&arn)).map_err(io)?.map(|v| decode(v.value())).transpose()?;
            if current.is_some_and(|c| c.arn == arn) {
                table.remove(machine_name(&arn)).map_err(io)?;
            }
            Ok(())
        }))
        .await
    }

    async fn list_state_machines(&self, page: Page) -> Result<(Vec<StateMachineRecord>, Option<String>), StoreError> {
        let read = self.db.begin_read().map_err(io)?;
        let table = read.open_table(STATE_MACHINES).map_err(io)?;
        let (values, next) = scan(&table, "", &page, false, |v| Ok(v.to_vec()))?;
        Ok((values.iter().map(|v| decode(v)).collect::<Result<_, _>>()?, next))
    }

    async fn create_execution(&self, execution: ExecutionRecord, commit: Commit) -> Result<(), StoreError> {
        self.write(Box::new(move |t| apply_commit(t, &commit, Some(&execution)))).await
    }

    async fn get_execution(&self, arn: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        self.get(EXECUTIONS, arn)
    }

    async fn list_executions(
        &self,
        state_machine_arn: &str,
        status: Option<ExecutionStatus>,
        page: Page,
    ) -> Result<(Vec<ExecutionRecord>, Option<String>), StoreError> {
        let read = self.db.begin_read().map_err(io)?;
        let index = read.open_table(EXECUTIONS_BY_MACHINE).map_err(io)?;
        let executions = read.open_table(EXECUTIONS).map_err(io)?;
        let prefix = key(state_machine_arn, "");
        let limit = if page.limit == 0 { 100 } else { page.limit };
        let start = token_to_key(&page.token, &prefix)?;
        let end = format!("{prefix}\u{10ffff}");
        let range = match &start {
            Some(s) => index.range(prefix.as_str()..=s.as_str()),
            None => index.range(prefix.as_str()..end.as_str()),
        }
        .map_err(io)?;
        let mut out = Vec::new();
        let mut next = None;
        for entry in range.rev() {
            let (k, arn) = entry.map_err(io)?;
            let Some(v) = executions.get(arn.value()).map_err(io)? else { continue };
            let record: ExecutionRecord = decode(v.value())?;
            if status.is_some_and(|s| s != record.status) {
                continue;
            }
            if out.len() == limit {
                next = Some(key_to_token(k.value()));
                break;
            }
            out.push(record);
        }
        Ok((out, next))
    }

    async fn history(
        &self,
        execution_arn: &str,
        page: Page,
        reverse: bool,
    ) -> Result<(Vec<HistoryEvent>, Option<String>), StoreError> {
        let read = self.db.begin_read().map_err(io)?;
        let table = read.open_table(HISTORY).map_err(io)?;
        let (values, next) = scan(&table, &key(execution_arn, ""), &page, reverse, |v| Ok(v.to_vec()))?;
        Ok((values.iter().map(|v| decode(v)).collect::<Result<_, _>>()?, next))
    }

    async fn get_branch(&self, execution_arn: &str, id: &str) -> Result<Option<BranchRecord>, StoreError> {
        self.get(BRANCHES, &key(execution_arn, id))
    }

    async fn commit(&self, commit: Commit) -> Result<(), StoreError> {
        self.write(Box::new(move |t| apply_commit(t, &commit, None))).await
    }

    async fn get_token(&self, token: &str) -> Result<Option<TokenRecord>, StoreError> {
        self.get(TOKENS, token)
    }

    async fn heartbeat(&self, token: &str, at: i64) -> Result<(), StoreError> {
        let token = token.to_owned();
        self.write(Box::new(move |t| {
            let mut table = t.open_table(TOKENS).map_err(io)?;
            let current: Option<TokenRecord> =
                table.get(token.as_str()).map_err(io)?.map(|v| decode(v.value())).transpose()?;
            let mut record = current.ok_or(StoreError::NotFound)?;
            record.heartbeat_at = at;
            table.insert(token.as_str(), encode(&record)?.as_slice()).map_err(io)?;
            Ok(())
        }))
        .await
    }
}
