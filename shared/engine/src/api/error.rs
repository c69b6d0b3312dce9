//! The API's errors: one variant per AWS exception, named as the API model
//! names it (each action's "Errors" section, e.g.
//! <https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html#API_StartExecution_Errors>,
//! and <https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html>),
//! and the one function that turns them into `{"__type", "message"}`.

use super::Response;
use crate::callback::CallbackError;
use crate::engine::EngineError;
use crate::ports::StoreError;
use crate::start::StartError;

macro_rules! api_errors {
    ($($(#[$doc:meta])* $name:ident = $status:literal,)*) => {
        /// An API failure. Each variant carries the message AWS would send,
        /// except the internal ones, whose text is for logs and never sent.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum ApiError {
            $($(#[$doc])* #[error("{0}")] $name(String),)*
        }

        impl ApiError {
            /// The exception's name, sent as `__type`.
            pub fn name(&self) -> &'static str {
                match self { $(ApiError::$name(_) => stringify!($name),)* }
            }

            /// The HTTP status it is sent with.
            pub fn status(&self) -> u16 {
                match self { $(ApiError::$name(_) => $status,)* }
            }

            /// The text the variant carries.
            pub(crate) fn detail(&self) -> &str {
                match self { $(ApiError::$name(text) => text,)* }
            }
        }
    };
}

api_errors! {
    /// An execution with this name exists with a different input, or has ended.
    ExecutionAlreadyExists = 400,
    /// No execution has this ARN.
    ExecutionDoesNotExist = 400,
    /// Too many executions are running.
    ExecutionLimitExceeded = 400,
    /// An ARN that is malformed, of the wrong resource type, or not of this
    /// region and account.
    InvalidArn = 400,
    /// The definition does not validate.
    InvalidDefinition = 400,
    /// The execution input is not JSON.
    InvalidExecutionInput = 400,
    /// The logging configuration is inconsistent.
    InvalidLoggingConfiguration = 400,
    /// A name with characters AWS does not allow.
    InvalidName = 400,
    /// SendTaskSuccess's output is not JSON.
    InvalidOutput = 400,
    /// A task token or paging token this service did not issue.
    InvalidToken = 400,
    /// UpdateStateMachine with nothing to update.
    MissingRequiredParameter = 400,
    /// A referenced resource (a map run) does not exist.
    ResourceNotFound = 400,
    /// A state machine with this name exists with a different definition or type.
    StateMachineAlreadyExists = 400,
    /// The state machine is being deleted.
    StateMachineDeleting = 400,
    /// No state machine has this ARN.
    StateMachineDoesNotExist = 400,
    /// The action does not apply to this type of state machine.
    StateMachineTypeNotSupported = 400,
    /// No task has this token.
    TaskDoesNotExist = 400,
    /// A resource would carry more tags than allowed.
    TooManyTags = 400,
    /// The task of this token already ended.
    TaskTimedOut = 400,
    /// The request breaks the API model's constraints.
    ValidationException = 400,
    /// The `X-Amz-Target` names no operation this service serves.
    UnknownOperationException = 400,
    /// The body is not JSON, or a member has the wrong JSON type.
    SerializationException = 400,
    /// Something failed on our side (the text is the internal detail).
    InternalFailure = 500,
    /// The store is unavailable or overloaded; try again (the text is the
    /// internal detail).
    ServiceUnavailable = 503,
}

impl ApiError {
    /// The message sent to the caller: internal details are replaced by
    /// AWS's generic wording.
    pub fn message(&self) -> &str {
        match self {
            // CommonErrors: "The request processing has failed because of an
            // unknown error, exception or failure."
            ApiError::InternalFailure(_) => {
                "The request processing has failed because of an unknown error, exception or failure."
            }
            // CommonErrors: "The request has failed due to a temporary failure of the server."
            ApiError::ServiceUnavailable(_) => "The request has failed due to a temporary failure of the server.",
            other => other.detail(),
        }
    }

    /// The error as AWS's JSON protocol sends it: `{"__type": …, "message": …}`.
    pub fn to_response(&self) -> Response {
        let body = serde_json::json!({"__type": self.name(), "message": self.message()});
        Response { status: self.status(), body: body.to_string().into_bytes() }
    }

    /// `InvalidToken` for a paging token this service did not issue.
    pub(crate) fn invalid_page_token() -> Self {
        ApiError::InvalidToken("Invalid Token: 'Invalid token'".into())
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::Store(StoreError::InvalidPageToken) => ApiError::invalid_page_token(),
            EngineError::Store(StoreError::Unavailable(_)) | EngineError::Contention(_) => {
                ApiError::ServiceUnavailable(error.to_string())
            }
            _ => ApiError::InternalFailure(error.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        EngineError::Store(error).into()
    }
}

impl From<StartError> for ApiError {
    fn from(error: StartError) -> Self {
        match error {
            StartError::AlreadyExists(arn) => {
                ApiError::ExecutionAlreadyExists(format!("Execution Already Exists: '{arn}'"))
            }
            StartError::Engine(e) => e.into(),
        }
    }
}

impl From<CallbackError> for ApiError {
    fn from(error: CallbackError) -> Self {
        match error {
            // AWS answers a token it cannot read with "Invalid Token: 'Invalid token'".
            CallbackError::InvalidToken(_) => ApiError::InvalidToken("Invalid Token: 'Invalid token'".into()),
            // AWS's wording for this case is not documented.
            CallbackError::TaskDoesNotExist => ApiError::TaskDoesNotExist("Task Does Not Exist".into()),
            // AWS: "Task Timed Out: 'Provided task does not exist anymore'".
            CallbackError::TaskTimedOut => {
                ApiError::TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'".into())
            }
            CallbackError::Engine(e) => e.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_answer_without_their_text() {
        let error = ApiError::from(StoreError::Unavailable("table arn:secret throttled".into()));
        let response = error.to_response();
        assert_eq!(response.status, 503);
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["__type"], "ServiceUnavailable");
        assert!(!String::from_utf8_lossy(&response.body).contains("secret"));
        let internal = ApiError::from(EngineError::Definition("line 3: secret".into())).to_response();
        assert_eq!(internal.status, 500);
        assert!(!String::from_utf8_lossy(&internal.body).contains("secret"));
    }

    #[test]
    fn client_errors_are_400_with_their_name_and_message() {
        let response = ApiError::InvalidArn("Invalid Arn: 'Invalid ARN prefix: x'".into()).to_response();
        assert_eq!(response.status, 400);
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"__type": "InvalidArn", "message": "Invalid Arn: 'Invalid ARN prefix: x'"})
        );
    }
}
