//! What the engine stores: state machines, executions, branches and task
//! tokens, and the messages and work that move executions forward.
//!
//! Field names follow the Step Functions API where one exists
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html>).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use stepwise_asl::interpret::{Branch, Children, TaskRequest};

/// `STANDARD` or `EXPRESS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StateMachineType {
    /// Durable, exactly-once, up to a year.
    Standard,
    /// Short-lived, at-least-once; started synchronously or asynchronously.
    Express,
}

/// A state machine (CreateStateMachine / DescribeStateMachine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateMachineRecord {
    /// `stateMachineArn`.
    pub arn: String,
    /// `name`.
    pub name: String,
    /// `definition`, as the caller sent it.
    pub definition: String,
    /// `roleArn`.
    pub role_arn: String,
    /// `type`.
    pub kind: StateMachineType,
    /// `creationDate`, epoch ms.
    pub creation_date: i64,
    /// `revisionId`, changed by every update.
    pub revision_id: String,
    /// `description`.
    pub description: Option<String>,
    /// Tags, in order.
    pub tags: Vec<(String, String)>,
}

/// An execution's status (`status` of DescribeExecution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran past its TimeoutSeconds.
    TimedOut,
    /// Stopped by StopExecution.
    Aborted,
}

impl ExecutionStatus {
    /// AWS's spelling, e.g. `SUCCEEDED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }
}

/// An execution (StartExecution / DescribeExecution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionRecord {
    /// `executionArn`.
    pub arn: String,
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `status`.
    pub status: ExecutionStatus,
    /// `startDate`, epoch ms.
    pub start_date: i64,
    /// `stopDate`, epoch ms.
    pub stop_date: Option<i64>,
    /// `input`, as the caller sent it.
    pub input: String,
    /// `output`, when it succeeded.
    pub output: Option<String>,
    /// `error`, when it failed.
    pub error: Option<String>,
    /// `cause`, when it failed.
    pub cause: Option<String>,
    /// The definition it runs, fixed when it started.
    pub definition: String,
    /// `roleArn` of the state machine when it started.
    pub role_arn: String,
    /// The id the next history event gets.
    pub next_event_id: i64,
}

/// Identifies a branch within its execution: `0` is the top level; a child
/// is `<parent>.<parent step>.<slot>`, unique even when a retried Map starts
/// its items again.
pub type BranchId = String;

/// A result waiting to be applied to a branch by a [`MessageKind::Resume`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Pending {
    /// The task returned this.
    TaskSucceeded(Value),
    /// The task failed.
    TaskFailed {
        /// Error name.
        error: String,
        /// Cause.
        cause: Option<String>,
    },
    /// The task ran past TimeoutSeconds or HeartbeatSeconds.
    TaskTimedOut {
        /// `States.Timeout` or `States.HeartbeatTimeout`.
        error: String,
    },
    /// All children succeeded.
    ChildrenSucceeded {
        /// Their outputs, in order.
        outputs: Vec<Value>,
        /// The event the state's next event follows.
        last_event_id: i64,
    },
    /// A child failed beyond the state's tolerance.
    ChildrenFailed {
        /// Error name.
        error: String,
        /// Cause.
        cause: Option<String>,
        /// The event the state's `…StateFailed` follows.
        last_event_id: i64,
    },
}

/// A Parallel or Map state's bookkeeping while its children run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Join {
    /// The children to run, MaxConcurrency and tolerance.
    pub spec: Children,
    /// Each child's output once it finished.
    pub outputs: Vec<Option<Value>>,
    /// The next child to start.
    pub next_to_start: usize,
    /// Slots of children started and not finished.
    pub running: Vec<usize>,
    /// Children that failed.
    pub failed: u64,
    /// Set once the state has its answer; later child results are ignored.
    pub closed: bool,
}

/// A branch of an execution and what it last did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchRecord {
    /// The execution.
    pub execution_arn: String,
    /// This branch.
    pub id: BranchId,
    /// Steps applied so far; a message applies only at its own `seq`.
    pub seq: u64,
    /// Writes so far, for conditional writes (children update a parent's
    /// join without stepping it).
    pub version: u64,
    /// The interpreter's state.
    pub branch: Branch,
    /// The parent branch and this branch's slot in its join.
    pub parent: Option<(BranchId, usize)>,
    /// The task this branch waits for, if any.
    pub task: Option<TaskRequest>,
    /// A result waiting to be applied.
    pub pending: Option<Pending>,
    /// Children of a Parallel or Map state in progress.
    pub join: Option<Join>,
    /// The work the last step produced; sent again when that step's message
    /// is delivered again, so a crash between commit and send loses nothing.
    pub last_work: Vec<Work>,
    /// When the last step committed, epoch ms.
    #[serde(default)]
    pub committed_at: i64,
    /// A Distributed Map item: its events belong to its own child execution
    /// and are not recorded in this one's history.
    #[serde(default)]
    pub detached: bool,
}

/// A task token and the branch step it resumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The token (at least 128 random bits, hex).
    pub token: String,
    /// The execution.
    pub execution_arn: String,
    /// The branch waiting.
    pub branch: BranchId,
    /// The step it waits at.
    pub seq: u64,
    /// When the last heartbeat arrived, epoch ms.
    pub heartbeat_at: i64,
}

/// What a message asks the engine to do with a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MessageKind {
    /// Process the state the branch is at.
    Enter,
    /// The branch's timer is due.
    Timer,
    /// Run the task the branch waits for.
    RunTask,
    /// Apply the branch's pending result.
    Resume,
    /// The task's TimeoutSeconds passed.
    TaskTimeout,
    /// A sibling failed: abort this child.
    Abort,
    /// Start the next children of a Parallel or Map whose set was too large
    /// for one commit.
    StartChildren,
    /// The execution's TimeoutSeconds passed.
    ExecutionTimeout,
}

/// A reference to one step of one branch; never a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The execution.
    pub execution_arn: String,
    /// The branch.
    pub branch: BranchId,
    /// The step this message applies at.
    pub seq: u64,
    /// What to do.
    pub kind: MessageKind,
}

/// A "Step Functions Execution Status Change" event's detail
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    /// `executionArn`.
    pub execution_arn: String,
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `status`.
    pub status: ExecutionStatus,
    /// `startDate`, epoch ms.
    pub start_date: i64,
    /// `stopDate`, epoch ms.
    pub stop_date: Option<i64>,
    /// `input`.
    pub input: String,
    /// `output`.
    pub output: Option<String>,
    /// `error`.
    pub error: Option<String>,
    /// `cause`.
    pub cause: Option<String>,
}

/// Outgoing work a step produces, sent only after its commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// Send a message, after `delay_ms`.
    Send {
        /// The message.
        message: Message,
        /// How long to hold it back.
        delay_ms: i64,
    },
    /// Publish a status change.
    Status(StatusChange),
}
