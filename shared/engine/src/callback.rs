//! Task tokens: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html>).

use crate::engine::{Engine, EngineError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::{ExecutionStatus, Pending, TokenRecord};
use stepwise_asl::interpret::Phase;

/// Why a callback was refused, named as the API names it.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// The token is not one Stepwise could have issued (`InvalidToken`).
    #[error("Invalid Token: '{0}'")]
    InvalidToken(String),
    /// No task has this token (`TaskDoesNotExist`).
    #[error("Task Does Not Exist")]
    TaskDoesNotExist,
    /// The task already ended: answered, timed out, or its execution ended
    /// (`TaskTimedOut`).
    #[error("Task Timed Out")]
    TaskTimedOut,
    /// The engine failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// What a callback reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// SendTaskSuccess with its output (JSON, already validated).
    Success(serde_json::Value),
    /// SendTaskFailure with its error and cause.
    Failure {
        /// `error`.
        error: Option<String>,
        /// `cause`.
        cause: Option<String>,
    },
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Engine<S, Q, E, T, C> {
    async fn waiting_task(&self, token: &str) -> Result<(TokenRecord, crate::records::BranchRecord), CallbackError> {
        if token.is_empty() || token.len() > 1024 {
            return Err(CallbackError::InvalidToken(token.to_owned()));
        }
        let record =
            self.store.get_token(token).await.map_err(EngineError::from)?.ok_or(CallbackError::TaskDoesNotExist)?;
        let execution = self.store.get_execution(&record.execution_arn).await.map_err(EngineError::from)?;
        if execution.is_none_or(|e| e.status != ExecutionStatus::Running) {
            return Err(CallbackError::TaskTimedOut);
        }
        let branch = self
            .store
            .get_branch(&record.execution_arn, &record.branch)
            .await
            .map_err(EngineError::from)?
            .ok_or(CallbackError::TaskDoesNotExist)?;
        if branch.seq != record.seq || branch.branch.phase != Phase::Task {
            return Err(CallbackError::TaskTimedOut);
        }
        Ok((record, branch))
    }

    /// Completes the task waiting on `token`.
    pub async fn callback(&self, token: &str, callback: Callback) -> Result<(), CallbackError> {
        let (_, branch) = self.waiting_task(token).await?;
        let pending = match callback {
            Callback::Success(output) => Pending::TaskSucceeded(output),
            // SendTaskFailure without an error name fails with no name, as AWS does.
            Callback::Failure { error, cause } => Pending::TaskFailed { error: error.unwrap_or_default(), cause },
        };
        if branch.pending.is_some() {
            // The task is answered already, so this call is too late, as on
            // AWS. But the first answer's Resume may have been lost (its
            // caller got a 500 and is retrying): send it again, or the task
            // would wait forever. Resume is applied once whatever arrives.
            self.send(&[crate::step::resume(&branch)]).await?;
            return Err(CallbackError::TaskTimedOut);
        }
        self.deliver(branch, pending).await?;
        Ok(())
    }

    /// Records a heartbeat for the task waiting on `token`.
    pub async fn heartbeat(&self, token: &str) -> Result<(), CallbackError> {
        let (_, branch) = self.waiting_task(token).await?;
        if branch.pending.is_some() {
            return Err(CallbackError::TaskTimedOut);
        }
        self.store.heartbeat(token, self.clock.now_ms()).await.map_err(EngineError::from)?;
        Ok(())
    }
}
