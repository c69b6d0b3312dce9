//! `stepwise serve`'s Task states: Lambda through `--lambda-endpoint` (or
//! the mock configuration) as `stepwise run` does, and the other service
//! integrations (SQS, SNS, DynamoDB, EventBridge) through the AWS SDK to
//! the endpoints Step Functions Local's options name (`--sqs-endpoint`,
//! `SQS_ENDPOINT`, …). With `--backend aws` they go where the deployed
//! stepper's would: the SDK's configured endpoints (`AWS_ENDPOINT_URL`).

use crate::runner::engine::TaskPort;
use stepwise_asl::interpret::{TaskKind, TaskRequest};
use stepwise_aws::{AwsTasks, Endpoints};
use stepwise_engine::ports::{TaskInvoker, TaskOutcome};

/// Which port answers a Task.
pub struct ServeTasks {
    port: TaskPort,
    aws: Option<AwsTasks>,
    endpoints: Endpoints,
    /// Every non-Lambda integration goes to the SDK (`--backend aws`), not
    /// only those with an endpoint.
    all_services: bool,
}

impl ServeTasks {
    /// Whether any service besides Lambda has an endpoint, so the SDK is
    /// needed at all.
    pub fn needs_sdk(endpoints: &Endpoints) -> bool {
        [&endpoints.sqs, &endpoints.sns, &endpoints.dynamodb, &endpoints.eventbridge].iter().any(|e| e.is_some())
    }

    /// Lambda (and mocks) through `port`; each service with an endpoint in
    /// `endpoints` through the SDK on `config` (none without one).
    pub fn local(port: TaskPort, config: Option<&aws_config::SdkConfig>, endpoints: Endpoints) -> Self {
        let aws = config.filter(|_| Self::needs_sdk(&endpoints)).map(|c| AwsTasks::new(c, &endpoints));
        ServeTasks { port, aws, endpoints, all_services: false }
    }

    /// As the deployed stepper: every service integration through the SDK
    /// on `config`; Lambda through `port` when it has an endpoint, else the SDK.
    pub fn aws(port: TaskPort, config: &aws_config::SdkConfig, endpoints: Endpoints) -> Self {
        ServeTasks { aws: Some(AwsTasks::new(config, &endpoints)), port, endpoints, all_services: true }
    }

    fn to_sdk(&self, request: &TaskRequest) -> bool {
        if !AwsTasks::serves(request) {
            return false;
        }
        match &request.kind {
            TaskKind::Service { resource_type, .. } => match resource_type.as_str() {
                "lambda" => self.all_services && self.endpoints.lambda.is_none(),
                "sqs" => self.all_services || self.endpoints.sqs.is_some(),
                "sns" => self.all_services || self.endpoints.sns.is_some(),
                "dynamodb" => self.all_services || self.endpoints.dynamodb.is_some(),
                "events" => self.all_services || self.endpoints.eventbridge.is_some(),
                _ => false,
            },
            TaskKind::LambdaFunction => self.all_services && self.endpoints.lambda.is_none(),
            TaskKind::Activity => false,
        }
    }
}

impl TaskInvoker for ServeTasks {
    async fn invoke(&self, request: &TaskRequest) -> TaskOutcome {
        match &self.aws {
            Some(aws) if self.to_sdk(request) => aws.invoke(request).await,
            _ => self.port.invoke(request).await,
        }
    }
}
