//! CreateStateMachine
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html>).

use super::constraints::{self, Constraints};
use super::shapes::{self, LoggingConfiguration, Tag, TracingConfiguration};
use super::{Api, ApiError, StateMachineArn, arn, definition, names};
use crate::ports::{Clock, EventSink, Queue, Store, StoreError, TaskInvoker};
use crate::records::StateMachineRecord;
use serde::{Deserialize, Serialize};

/// `CreateStateMachineInput`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `name` (required): 1–80 characters AWS allows in names.
    pub name: Option<String>,
    /// `definition` (required): the Amazon States Language text.
    pub definition: Option<String>,
    /// `roleArn` (required): the IAM role executions run as.
    pub role_arn: Option<String>,
    /// `type`: STANDARD (default) or EXPRESS.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `loggingConfiguration` (checked, not acted on: Stepwise keeps history itself).
    pub logging_configuration: Option<LoggingConfiguration>,
    /// `tags`.
    pub tags: Option<Vec<Tag>>,
    /// `tracingConfiguration` (accepted; Stepwise does not trace to X-Ray).
    pub tracing_configuration: Option<TracingConfiguration>,
    /// `publish` (versions are not kept yet).
    pub publish: Option<bool>,
    /// `versionDescription`.
    pub version_description: Option<String>,
}

/// `CreateStateMachineOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `creationDate`, epoch seconds.
    pub creation_date: f64,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Creates a state machine; creating it again with the same definition
    /// and type returns the first one ("CreateStateMachine is an idempotent
    /// API … If a following request has a different roleArn or tags, Step
    /// Functions will ignore these differences").
    pub async fn create_state_machine(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let name = v.required("name", constraints::NAME, request.name.as_deref());
        let text = v.required("definition", constraints::DEFINITION, request.definition.as_deref());
        let role_arn = v.required("roleArn", constraints::ARN, request.role_arn.as_deref());
        let kind = v.one_of("type", request.kind.as_deref(), &shapes::STATE_MACHINE_TYPES);
        let tags = shapes::tags(request.tags.as_deref(), &mut v);
        v.optional("versionDescription", constraints::VERSION_DESCRIPTION, request.version_description.as_deref());
        let logging = request.logging_configuration.as_ref().map(|l| l.check(&mut v)).transpose();
        v.finish()?;
        logging?;
        names::check(name)?;
        arn::check_role(role_arn)?;
        let kind = shapes::state_machine_type(kind);
        definition::check(text, kind)?;

        let engine = self.engine;
        let arn = StateMachineArn::new(&engine.config, name).to_string();
        let record = StateMachineRecord {
            arn: arn.clone(),
            name: name.to_owned(),
            definition: text.to_owned(),
            role_arn: role_arn.to_owned(),
            kind,
            creation_date: engine.clock.now_ms(),
            // AWS gives a state machine a revisionId with its first update.
            revision_id: String::new(),
            description: None,
            tags,
        };
        let created = match engine.store.create_state_machine(record.clone()).await {
            Ok(()) => record,
            Err(StoreError::AlreadyExists) => {
                let existing = engine.store.get_state_machine(&arn).await?;
                match existing {
                    Some(e) if e.definition == record.definition && e.kind == record.kind => e,
                    _ => {
                        return Err(ApiError::StateMachineAlreadyExists(format!(
                            "State Machine Already Exists: '{arn}'"
                        )));
                    }
                }
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Response { state_machine_arn: created.arn, creation_date: shapes::timestamp(created.creation_date) })
    }
}
