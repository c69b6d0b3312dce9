//! Durable state: state machines, executions, branches, history, tokens.

use crate::records::{BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, TokenRecord};
use std::future::Future;
use stepwise_asl::history::HistoryEvent;

/// Why a store call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost: something it depended on changed. Nothing
    /// was written; the caller reloads and tries again.
    #[error("a conditional write lost to a concurrent one")]
    Conflict,
    /// The item to create exists already.
    #[error("already exists")]
    AlreadyExists,
    /// The item to change does not exist.
    #[error("not found")]
    NotFound,
    /// A paging token this store did not issue.
    #[error("invalid pagination token")]
    InvalidPageToken,
    /// The store could not be reached or refused the request.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// One page of a listing: at most `limit` items after the opaque `token`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// Items per page (AWS: 1–1000, default 100).
    pub limit: usize,
    /// Where the previous page ended.
    pub token: Option<String>,
}

/// An execution write, conditional on the history counter it was read with.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutionWrite {
    /// The new record.
    pub record: ExecutionRecord,
    /// The `next_event_id` the writer read; the write fails with
    /// [`StoreError::Conflict`] if it changed or the execution ended.
    pub expected_next_event_id: i64,
}

/// A branch write, conditional on the version it was read with.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchWrite {
    /// The new record (its `version` already incremented).
    pub record: BranchRecord,
    /// The version read, or `None` to create a branch that must not exist.
    pub expected_version: Option<u64>,
}

/// Everything one step writes, all or nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Commit {
    /// The execution, when the step records events or ends it.
    pub execution: Option<ExecutionWrite>,
    /// Branches written or created.
    pub branches: Vec<BranchWrite>,
    /// History events, ids from the execution's counter.
    pub events: Vec<HistoryEvent>,
    /// Task tokens issued.
    pub tokens: Vec<TokenRecord>,
}

/// The engine's storage.
///
/// # Contract
/// [`Store::commit`] and [`Store::create_execution`] are atomic: every
/// condition holds and everything is written, or nothing is and the call
/// returns [`StoreError::Conflict`] (or `AlreadyExists`). Reads see every
/// commit that returned `Ok`. Listings are ordered as AWS orders them: state
/// machines by name, executions newest first, history by event id.
pub trait Store: Send + Sync {
    /// Creates a state machine; `AlreadyExists` if its ARN is taken.
    fn create_state_machine(&self, record: StateMachineRecord) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Replaces a state machine; `NotFound` if it does not exist.
    fn update_state_machine(&self, record: StateMachineRecord) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Reads a state machine.
    fn get_state_machine(
        &self,
        arn: &str,
    ) -> impl Future<Output = Result<Option<StateMachineRecord>, StoreError>> + Send;
    /// Deletes a state machine (its executions stay readable).
    fn delete_state_machine(&self, arn: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Lists state machines by name.
    fn list_state_machines(
        &self,
        page: Page,
    ) -> impl Future<Output = Result<(Vec<StateMachineRecord>, Option<String>), StoreError>> + Send;

    /// Creates an execution with its first writes; `AlreadyExists` if its ARN is taken.
    fn create_execution(
        &self,
        execution: ExecutionRecord,
        commit: Commit,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Reads an execution.
    fn get_execution(&self, arn: &str) -> impl Future<Output = Result<Option<ExecutionRecord>, StoreError>> + Send;
    /// Lists a state machine's executions, newest first, optionally by status.
    fn list_executions(
        &self,
        state_machine_arn: &str,
        status: Option<ExecutionStatus>,
        page: Page,
    ) -> impl Future<Output = Result<(Vec<ExecutionRecord>, Option<String>), StoreError>> + Send;
    /// Reads history events in id order (or reverse).
    fn history(
        &self,
        execution_arn: &str,
        page: Page,
        reverse: bool,
    ) -> impl Future<Output = Result<(Vec<HistoryEvent>, Option<String>), StoreError>> + Send;

    /// Reads a branch.
    fn get_branch(
        &self,
        execution_arn: &str,
        id: &str,
    ) -> impl Future<Output = Result<Option<BranchRecord>, StoreError>> + Send;
    /// Applies a step's writes atomically.
    fn commit(&self, commit: Commit) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Reads a task token.
    fn get_token(&self, token: &str) -> impl Future<Output = Result<Option<TokenRecord>, StoreError>> + Send;
    /// Records a heartbeat on a token.
    fn heartbeat(&self, token: &str, at: i64) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The most items one [`Store::commit`] may write (DynamoDB's
    /// transactions take 100); the engine starts a Map's children in chunks
    /// to stay under it.
    fn max_commit_writes(&self) -> usize {
        usize::MAX
    }

    /// The most bytes one [`Store::commit`] may write (DynamoDB's
    /// transactions take 4 MB); the engine stops advancing through states
    /// within one message before its commit could pass it.
    fn max_commit_bytes(&self) -> usize {
        usize::MAX
    }
}
