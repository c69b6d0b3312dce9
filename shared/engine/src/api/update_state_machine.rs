//! UpdateStateMachine
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html>).

use super::constraints::{self, Constraints};
use super::shapes::{self, LoggingConfiguration, TracingConfiguration};
use super::{Api, ApiError, arn, definition, names};
use crate::ports::{Clock, EventSink, Queue, Store, StoreError, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `UpdateStateMachineInput`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn` (required).
    pub state_machine_arn: Option<String>,
    /// `definition`: the new definition.
    pub definition: Option<String>,
    /// `roleArn`: the new role.
    pub role_arn: Option<String>,
    /// `loggingConfiguration` (checked, not acted on).
    pub logging_configuration: Option<LoggingConfiguration>,
    /// `tracingConfiguration` (accepted, not acted on).
    pub tracing_configuration: Option<TracingConfiguration>,
    /// `publish` (versions are not kept yet).
    pub publish: Option<bool>,
    /// `versionDescription`.
    pub version_description: Option<String>,
}

/// `UpdateStateMachineOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `updateDate`, epoch seconds.
    pub update_date: f64,
    /// `revisionId`: new when the definition or role changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Changes a state machine's definition or role. Running executions keep
    /// the definition they started with.
    pub async fn update_state_machine(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("stateMachineArn", constraints::ARN, request.state_machine_arn.as_deref());
        let text = v.optional("definition", constraints::DEFINITION, request.definition.as_deref());
        let role_arn = v.optional("roleArn", constraints::ARN, request.role_arn.as_deref());
        v.optional("versionDescription", constraints::VERSION_DESCRIPTION, request.version_description.as_deref());
        let logging = request.logging_configuration.as_ref().map(|l| l.check(&mut v)).transpose();
        v.finish()?;
        logging?;
        if text.is_none()
            && role_arn.is_none()
            && request.logging_configuration.is_none()
            && request.tracing_configuration.is_none()
        {
            // Recorded from AWS (localstack test_sfn_api.snapshot.json).
            return Err(ApiError::MissingRequiredParameter(
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified"
                    .into(),
            ));
        }
        if let Some(role_arn) = role_arn {
            arn::check_role(role_arn)?;
        }
        let mut sm = self.state_machine(arn).await?;
        if let Some(text) = text {
            definition::check(text, sm.kind)?;
        }
        let changed = text.is_some_and(|t| t != sm.definition) || role_arn.is_some_and(|r| r != sm.role_arn);
        if changed {
            sm.definition = text.unwrap_or(&sm.definition).to_owned();
            sm.role_arn = role_arn.unwrap_or(&sm.role_arn).to_owned();
            sm.revision_id = names::new_uuid();
            match self.engine.store.update_state_machine(sm.clone()).await {
                Ok(()) => {}
                Err(StoreError::NotFound) => {
                    return Err(ApiError::StateMachineDoesNotExist(format!("State Machine Does Not Exist: '{arn}'")));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Response {
            update_date: shapes::timestamp(self.engine.clock.now_ms()),
            revision_id: Some(sm.revision_id).filter(|r| !r.is_empty()),
        })
    }
}
