//! Finding what an ARN names, with AWS's errors: `InvalidArn` for text that
//! is not an ARN of this region and account, `StateMachineDoesNotExist` and
//! `ExecutionDoesNotExist` (`State Machine Does Not Exist: '<arn>'`, as AWS
//! words them) for ARNs that name nothing.

use super::arn::{ArnError, ExecutionArn, StateMachineArn};
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use crate::records::{ExecutionRecord, StateMachineRecord};

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// An ARN of another region or account cannot name anything here.
    fn home(&self, text: &str, region: &str, account: &str) -> Result<(), ApiError> {
        let config = &self.engine.config;
        if region == config.region && account == config.account {
            Ok(())
        } else {
            Err(ArnError::Malformed(text.to_owned()).into())
        }
    }

    /// Parses a state machine ARN of this region and account.
    pub(crate) fn state_machine_arn(&self, text: &str) -> Result<StateMachineArn, ApiError> {
        let arn: StateMachineArn = text.parse()?;
        self.home(text, &arn.region, &arn.account)?;
        Ok(arn)
    }

    /// Parses an execution ARN of this region and account.
    pub(crate) fn execution_arn(&self, text: &str) -> Result<ExecutionArn, ApiError> {
        let arn: ExecutionArn = text.parse()?;
        self.home(text, &arn.region, &arn.account)?;
        Ok(arn)
    }

    /// The state machine `text` names. Versions, aliases and Map labels are
    /// not kept, so a qualified ARN names nothing.
    pub(crate) async fn state_machine(&self, text: &str) -> Result<StateMachineRecord, ApiError> {
        let arn = self.state_machine_arn(text)?;
        let found = match arn.qualifier {
            None => self.engine.store.get_state_machine(text).await?,
            Some(_) => None,
        };
        found.ok_or_else(|| ApiError::StateMachineDoesNotExist(format!("State Machine Does Not Exist: '{text}'")))
    }

    /// The execution `text` names.
    pub(crate) async fn execution(&self, text: &str) -> Result<ExecutionRecord, ApiError> {
        self.execution_arn(text)?;
        let found = self.engine.store.get_execution(text).await?;
        found.ok_or_else(|| ApiError::ExecutionDoesNotExist(format!("Execution Does Not Exist: '{text}'")))
    }
}
