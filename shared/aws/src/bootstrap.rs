//! The [`Bootstrap`] creates what the adapters need, if missing, and is safe
//! to run again: the table with its indexes and TTL
//! (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html>),
//! the step queue and the callback queue, each with a dead-letter queue and
//! redrive policy
//! (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html>),
//! and the event bus. In AWS, `template.yaml` creates these; this is for
//! local servers, tests, and accounts set up by hand, and makes them as the
//! template does (`tests/template.rs` compares the two).

use crate::config::{Clients, Resources};
use aws_sdk_dynamodb::operation::create_table::CreateTableError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TableStatus, TimeToLiveSpecification, TimeToLiveStatus,
};
use aws_sdk_eventbridge::operation::create_event_bus::CreateEventBusError;
use aws_sdk_sqs::operation::create_queue::CreateQueueError;
use aws_sdk_sqs::types::QueueAttributeName;
use std::time::Duration;

/// What could not be created or checked.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The DynamoDB table.
    #[error("table {table}: {message}")]
    Table {
        /// The table's name.
        table: String,
        /// What went wrong.
        message: String,
    },
    /// The step queue or its dead-letter queue.
    #[error("queue {queue}: {message}")]
    Queue {
        /// The queue's name.
        queue: String,
        /// What went wrong.
        message: String,
    },
    /// The event bus.
    #[error("event bus {bus}: {message}")]
    Bus {
        /// The bus's name.
        bus: String,
        /// What went wrong.
        message: String,
    },
}

/// What exists after [`Bootstrap::ensure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisioned {
    /// The table's name.
    pub table: String,
    /// The step queue's URL.
    pub queue_url: String,
    /// The dead-letter queue's URL, when this run created or found it.
    pub dead_letter_queue_url: Option<String>,
    /// The event bus's name.
    pub event_bus: String,
    /// The callback queue's URL.
    pub callback_queue_url: String,
    /// The callback queue's dead-letter queue's URL, when this run created
    /// or found it.
    pub callback_dead_letter_queue_url: Option<String>,
}

/// How many times a step message is received before it goes to the
/// dead-letter queue.
pub const MAX_RECEIVE_COUNT: u32 = 5;
/// The step and callback queues' visibility timeout: six times the
/// stepper's and the callback function's 15 s timeout, as Lambda advises for
/// SQS event sources ("Configuring a queue to use with Lambda",
/// <https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html>).
/// A message whose handler crashed comes back after it; the engine's
/// redelivery grace (30 s) is shorter, so a redelivery re-sends lost work.
pub const VISIBILITY_TIMEOUT_SECONDS: u32 = 90;
/// How long every queue keeps messages: SQS's maximum, 14 days.
pub const MESSAGE_RETENTION_SECONDS: u32 = 14 * 24 * 3600;
/// How long the dead-letter queues keep messages (the same 14 days).
pub const DEAD_LETTER_RETENTION_SECONDS: u32 = MESSAGE_RETENTION_SECONDS;

/// Creates the table, queues and bus named by [`Resources`].
#[derive(Debug, Clone)]
pub struct Bootstrap {
    clients: Clients,
    resources: Resources,
}

impl Bootstrap {
    /// A bootstrap of `resources` through `clients`.
    pub fn new(clients: Clients, resources: Resources) -> Self {
        Bootstrap { clients, resources }
    }

    /// Ensures everything exists.
    pub async fn ensure(&self) -> Result<Provisioned, BootstrapError> {
        self.ensure_table().await?;
        let (queue_url, dead_letter_queue_url) = self.ensure_queue().await?;
        let (callback_queue_url, callback_dead_letter_queue_url) = self.ensure_callback_queue().await?;
        self.ensure_bus().await?;
        Ok(Provisioned {
            table: self.resources.table.clone(),
            queue_url,
            dead_letter_queue_url,
            event_bus: self.resources.event_bus.clone(),
            callback_queue_url,
            callback_dead_letter_queue_url,
        })
    }

    fn table_error(&self, message: impl Into<String>) -> BootstrapError {
        BootstrapError::Table { table: self.resources.table.clone(), message: message.into() }
    }

    /// Creates the table (pk/sk, `gsi1` and `gsi2`, on demand) if missing,
    /// waits until it is ACTIVE, and turns on TTL on `ttl`.
    pub async fn ensure_table(&self) -> Result<(), BootstrapError> {
        let db = &self.clients.dynamodb;
        let table = &self.resources.table;
        let attr = |name: &str| {
            AttributeDefinition::builder().attribute_name(name).attribute_type(ScalarAttributeType::S).build()
        };
        let key = |name: &str, kind| KeySchemaElement::builder().attribute_name(name).key_type(kind).build();
        let index = |name: &str, projection: Projection| {
            GlobalSecondaryIndex::builder()
                .index_name(name)
                .key_schema(key(&format!("{name}pk"), KeyType::Hash)?)
                .key_schema(key(&format!("{name}sk"), KeyType::Range)?)
                .projection(projection)
                .build()
        };
        let build = || -> Result<_, aws_sdk_dynamodb::error::BuildError> {
            let records = Projection::builder().projection_type(ProjectionType::Include).non_key_attributes("record");
            let keys_only = Projection::builder().projection_type(ProjectionType::KeysOnly);
            Ok(db
                .create_table()
                .table_name(table)
                .billing_mode(BillingMode::PayPerRequest)
                .key_schema(key("pk", KeyType::Hash)?)
                .key_schema(key("sk", KeyType::Range)?)
                .set_attribute_definitions(Some(
                    ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]
                        .map(attr)
                        .into_iter()
                        .collect::<Result<_, _>>()?,
                ))
                .global_secondary_indexes(index("gsi1", records.build())?)
                .global_secondary_indexes(index("gsi2", keys_only.build())?))
        };
        let request = build().map_err(|e| self.table_error(e.to_string()))?;
        match request.send().await {
            Ok(_) => {}
            Err(e) => match e.into_service_error() {
                CreateTableError::ResourceInUseException(_) => {}
                other => return Err(self.table_error(crate::error_text(&other))),
            },
        }
        for attempt in 0.. {
            let described = db.describe_table().table_name(table).send().await;
            let status =
                described.map_err(|e| self.table_error(crate::error_text(&e)))?.table.and_then(|t| t.table_status);
            if status == Some(TableStatus::Active) {
                break;
            }
            if attempt == 120 {
                return Err(self.table_error("not ACTIVE after two minutes"));
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let ttl = db.describe_time_to_live().table_name(table).send().await;
        let ttl_status = ttl
            .map_err(|e| self.table_error(crate::error_text(&e)))?
            .time_to_live_description
            .and_then(|d| d.time_to_live_status);
        if matches!(ttl_status, Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)) {
            return Ok(());
        }
        let spec = TimeToLiveSpecification::builder()
            .attribute_name("ttl")
            .enabled(true)
            .build()
            .map_err(|e| self.table_error(e.to_string()))?;
        db.update_time_to_live()
            .table_name(table)
            .time_to_live_specification(spec)
            .send()
            .await
            .map_err(|e| self.table_error(crate::error_text(&e)))?;
        Ok(())
    }

    /// Creates (or finds) the dead-letter queue and the step queue with its
    /// redrive policy; with `STEPWISE_QUEUE_URL` set, that queue is used as is.
    pub async fn ensure_queue(&self) -> Result<(String, Option<String>), BootstrapError> {
        match &self.resources.queue_url {
            Some(url) => Ok((url.clone(), None)),
            None => self.ensure_queue_with_dead_letters(&self.resources.queue_name).await,
        }
    }

    /// Creates (or finds) the callback queue and its dead-letter queue, as
    /// the step queue; with `STEPWISE_CALLBACK_QUEUE_URL` set, that queue is
    /// used as is.
    pub async fn ensure_callback_queue(&self) -> Result<(String, Option<String>), BootstrapError> {
        match &self.resources.callback_queue_url {
            Some(url) => Ok((url.clone(), None)),
            None => self.ensure_queue_with_dead_letters(&self.resources.callback_queue_name).await,
        }
    }

    /// The queue `name` and `<name>-dlq` with the attributes `template.yaml`
    /// gives the `StepQueue` and `DeadLetterQueue` (and the callback pair):
    /// 14 days' retention, SQS-managed encryption, and on the queue the
    /// visibility timeout and a redrive policy after [`MAX_RECEIVE_COUNT`]
    /// receives.
    async fn ensure_queue_with_dead_letters(&self, name: &str) -> Result<(String, Option<String>), BootstrapError> {
        let dlq_name = format!("{name}-dlq");
        let retention = (QueueAttributeName::MessageRetentionPeriod, MESSAGE_RETENTION_SECONDS.to_string());
        let encrypted = (QueueAttributeName::SqsManagedSseEnabled, "true".to_owned());
        let dlq_url = self.create_queue(&dlq_name, vec![retention.clone(), encrypted.clone()]).await?;
        let dlq_arn = self
            .clients
            .sqs
            .get_queue_attributes()
            .queue_url(&dlq_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| BootstrapError::Queue { queue: dlq_name.clone(), message: crate::error_text(&e) })?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| BootstrapError::Queue { queue: dlq_name.clone(), message: "no QueueArn".into() })?;
        let redrive =
            serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT.to_string()});
        let attributes = vec![
            (QueueAttributeName::RedrivePolicy, redrive.to_string()),
            (QueueAttributeName::VisibilityTimeout, VISIBILITY_TIMEOUT_SECONDS.to_string()),
            retention,
            encrypted,
        ];
        let url = self.create_queue(name, attributes).await?;
        Ok((url, Some(dlq_url)))
    }

    /// CreateQueue is idempotent for equal attributes; a queue that exists
    /// with other attributes is used as it is.
    async fn create_queue(
        &self,
        name: &str,
        attributes: Vec<(QueueAttributeName, String)>,
    ) -> Result<String, BootstrapError> {
        let sqs = &self.clients.sqs;
        let error = |message: String| BootstrapError::Queue { queue: name.to_owned(), message };
        let mut request = sqs.create_queue().queue_name(name);
        for (k, v) in attributes {
            request = request.attributes(k, v);
        }
        match request.send().await {
            Ok(out) => out.queue_url.ok_or_else(|| error("CreateQueue returned no URL".into())),
            Err(e) => match e.into_service_error() {
                CreateQueueError::QueueNameExists(_) => {
                    let found = sqs.get_queue_url().queue_name(name).send().await;
                    found.map_err(|e| error(crate::error_text(&e)))?.queue_url.ok_or_else(|| error("no URL".into()))
                }
                other => Err(error(crate::error_text(&other))),
            },
        }
    }

    /// Creates the event bus unless it is `default` (every account has it).
    pub async fn ensure_bus(&self) -> Result<(), BootstrapError> {
        let bus = &self.resources.event_bus;
        if bus == "default" || bus.starts_with("arn:") {
            return Ok(());
        }
        match self.clients.eventbridge.create_event_bus().name(bus).send().await {
            Ok(_) => Ok(()),
            Err(e) => match e.into_service_error() {
                CreateEventBusError::ResourceAlreadyExistsException(_) => Ok(()),
                other => Err(BootstrapError::Bus { bus: bus.clone(), message: crate::error_text(&other) }),
            },
        }
    }
}
