//! Resource names from the environment and SDK clients from the SDK's
//! standard configuration (`AWS_ENDPOINT_URL`, `AWS_REGION`, credentials:
//! <https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html>).

use crate::metrics::RequestCounter;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

/// Where Stepwise keeps its state in an AWS account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    /// The DynamoDB table (`STEPWISE_TABLE`, default `stepwise`).
    pub table: String,
    /// The step queue's URL (`STEPWISE_QUEUE_URL`), when known; otherwise
    /// it is looked up (or created) by name.
    pub queue_url: Option<String>,
    /// The step queue's name (`STEPWISE_QUEUE_NAME`, default `stepwise-steps`);
    /// its dead-letter queue is this name with `-dlq`.
    pub queue_name: String,
    /// The EventBridge bus status changes go to (`STEPWISE_EVENT_BUS`,
    /// default `default`).
    pub event_bus: String,
    /// The callback queue's URL (`STEPWISE_CALLBACK_QUEUE_URL`), when known;
    /// otherwise it is looked up (or created) by name.
    pub callback_queue_url: Option<String>,
    /// The callback queue's name (`STEPWISE_CALLBACK_QUEUE_NAME`, default
    /// `stepwise-callbacks`); its dead-letter queue is this name with `-dlq`.
    pub callback_queue_name: String,
}

impl Default for Resources {
    fn default() -> Self {
        Resources {
            table: "stepwise".to_owned(),
            queue_url: None,
            queue_name: "stepwise-steps".to_owned(),
            event_bus: "default".to_owned(),
            callback_queue_url: None,
            callback_queue_name: "stepwise-callbacks".to_owned(),
        }
    }
}

impl Resources {
    /// Reads `STEPWISE_TABLE`, `STEPWISE_QUEUE_URL`, `STEPWISE_QUEUE_NAME`,
    /// `STEPWISE_EVENT_BUS`, `STEPWISE_CALLBACK_QUEUE_URL` and
    /// `STEPWISE_CALLBACK_QUEUE_NAME`; unset or empty ones take the defaults.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`Resources::from_env`], reading variables through `var`.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        let defaults = Resources::default();
        Resources {
            table: var("STEPWISE_TABLE").unwrap_or(defaults.table),
            queue_url: var("STEPWISE_QUEUE_URL"),
            queue_name: var("STEPWISE_QUEUE_NAME").unwrap_or(defaults.queue_name),
            event_bus: var("STEPWISE_EVENT_BUS").unwrap_or(defaults.event_bus),
            callback_queue_url: var("STEPWISE_CALLBACK_QUEUE_URL"),
            callback_queue_name: var("STEPWISE_CALLBACK_QUEUE_NAME").unwrap_or(defaults.callback_queue_name),
        }
    }
}

/// Loads the SDK's standard configuration with an HTTPS client on rustls
/// (ring) and tokio. No network call happens until a client is used.
pub async fn sdk_config() -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https();
    aws_config::defaults(BehaviorVersion::latest()).http_client(http).load().await
}

/// The configuration for a local server of the AWS wire protocols (moto,
/// DynamoDB Local, LocalStack) at `endpoint_url`: region `us-east-1` and
/// fixed test credentials, whatever the environment says.
pub async fn local_sdk_config(endpoint_url: &str) -> SdkConfig {
    let http = aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https();
    let credentials = aws_sdk_dynamodb::config::Credentials::new("testing", "testing", None, None, "stepwise-local");
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .endpoint_url(endpoint_url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .load()
        .await
}

/// The three service clients the adapters use.
#[derive(Debug, Clone)]
pub struct Clients {
    /// DynamoDB.
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// SQS.
    pub sqs: aws_sdk_sqs::Client,
    /// EventBridge.
    pub eventbridge: aws_sdk_eventbridge::Client,
}

impl Clients {
    /// Clients from `config`.
    pub fn new(config: &SdkConfig) -> Self {
        Clients {
            dynamodb: aws_sdk_dynamodb::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            eventbridge: aws_sdk_eventbridge::Client::new(config),
        }
    }

    /// Clients from `config` whose every HTTP request `counter` counts.
    pub fn counted(config: &SdkConfig, counter: &RequestCounter) -> Self {
        let dynamodb = aws_sdk_dynamodb::config::Builder::from(config).interceptor(counter.clone()).build();
        let sqs = aws_sdk_sqs::config::Builder::from(config).interceptor(counter.clone()).build();
        let eventbridge = aws_sdk_eventbridge::config::Builder::from(config).interceptor(counter.clone()).build();
        Clients {
            dynamodb: aws_sdk_dynamodb::Client::from_conf(dynamodb),
            sqs: aws_sdk_sqs::Client::from_conf(sqs),
            eventbridge: aws_sdk_eventbridge::Client::from_conf(eventbridge),
        }
    }

    /// Clients from the environment's standard configuration.
    pub async fn from_env() -> Self {
        Self::new(&sdk_config().await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_take_env_values_and_default_the_rest() {
        let vars = |name: &str| match name {
            "STEPWISE_TABLE" => Some("t".to_owned()),
            "STEPWISE_QUEUE_URL" => Some(String::new()),
            "STEPWISE_EVENT_BUS" => Some("bus".to_owned()),
            _ => None,
        };
        let r = Resources::from_lookup(vars);
        assert_eq!(r.table, "t");
        assert_eq!(r.queue_url, None, "an empty variable counts as unset");
        assert_eq!(r.queue_name, "stepwise-steps");
        assert_eq!(r.event_bus, "bus");
        assert_eq!((r.callback_queue_url, r.callback_queue_name.as_str()), (None, "stepwise-callbacks"));
    }
}
