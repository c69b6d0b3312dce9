//! DescribeStateMachine
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachine.html>).

use super::constraints::{self, Constraints};
use super::shapes::{self, LoggingConfiguration, TracingConfiguration};
use super::{Api, ApiError};
use crate::ports::{Clock, EventSink, Queue, Store, TaskInvoker};
use serde::{Deserialize, Serialize};

/// `DescribeStateMachineInput`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `stateMachineArn` (required).
    pub state_machine_arn: Option<String>,
    /// `includedData`: ALL_DATA or METADATA_ONLY (the definition is always
    /// returned: it is never encrypted here).
    pub included_data: Option<String>,
}

/// `DescribeStateMachineOutput`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// `stateMachineArn`.
    pub state_machine_arn: String,
    /// `name`.
    pub name: String,
    /// `status`: ACTIVE (deletion is immediate here).
    pub status: &'static str,
    /// `definition`, as created or last updated.
    pub definition: String,
    /// `roleArn`.
    pub role_arn: String,
    /// `type`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `creationDate`, epoch seconds.
    pub creation_date: f64,
    /// `loggingConfiguration`: always off.
    pub logging_configuration: LoggingConfiguration,
    /// `tracingConfiguration`: always disabled.
    pub tracing_configuration: TracingConfiguration,
    /// `revisionId`, once the state machine was updated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Api<'_, S, Q, E, T, C> {
    /// Describes a state machine.
    pub async fn describe_state_machine(&self, request: Request) -> Result<Response, ApiError> {
        let mut v = Constraints::default();
        let arn = v.required("stateMachineArn", constraints::ARN, request.state_machine_arn.as_deref());
        v.one_of("includedData", request.included_data.as_deref(), &["ALL_DATA", "METADATA_ONLY"]);
        v.finish()?;
        let sm = self.state_machine(arn).await?;
        Ok(Response {
            state_machine_arn: sm.arn,
            name: sm.name,
            status: "ACTIVE",
            definition: sm.definition,
            role_arn: sm.role_arn,
            kind: shapes::type_name(sm.kind),
            creation_date: shapes::timestamp(sm.creation_date),
            // AWS describes a state machine without logging or tracing as
            // {"includeExecutionData": false, "level": "OFF"} and {"enabled": false}.
            logging_configuration: LoggingConfiguration::off(),
            tracing_configuration: TracingConfiguration { enabled: Some(false) },
            revision_id: Some(sm.revision_id).filter(|r| !r.is_empty()),
            description: sm.description,
        })
    }
}
