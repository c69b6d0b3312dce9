//! Test support: a moto server, clients on it, fresh resources per test,
//! and readers that bring back what the queue and the event sink sent.

#![allow(dead_code)] // each test binary uses part of it

pub mod moto;

use moto::Moto;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use stepwise_aws::bootstrap::Provisioned;
use stepwise_aws::config::local_sdk_config;
use stepwise_aws::eventbridge::{DETAIL_TYPE, SOURCE};
use stepwise_aws::sqs::wall_clock_ms;
use stepwise_aws::{Bootstrap, Clients, DynamoStore, EventBridgeSink, RequestCounter, Resources, SqsQueue};
use stepwise_engine::contract::{Inbox, Published};
use stepwise_engine::records::{Message, StatusChange};

/// Clients on a shared moto server, which lives as long as this does.
pub struct Local {
    pub moto: Arc<Moto>,
    pub clients: Clients,
    pub counter: RequestCounter,
}

impl Local {
    /// Clients on the shared server, counting their requests.
    pub async fn new() -> Local {
        let moto = Moto::shared();
        let config = local_sdk_config(&moto.endpoint).await;
        let counter = RequestCounter::new();
        let clients = Clients::counted(&config, &counter);
        Local { moto, clients, counter }
    }

    /// Fresh resources, named `<what>-<n>`, created by [`Bootstrap`].
    pub async fn provision(&self, what: &str) -> Provisioned {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = format!("{what}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        self.provision_named(&n).await
    }

    /// The resources named `n` (table and step queue `n`, bus `n-bus`,
    /// callback queue `n-callbacks`), created by [`Bootstrap`] if missing.
    pub async fn provision_named(&self, n: &str) -> Provisioned {
        let n = n.to_owned();
        let resources = Resources {
            table: n.clone(),
            queue_name: n.clone(),
            event_bus: format!("{n}-bus"),
            callback_queue_name: format!("{n}-callbacks"),
            ..Resources::default()
        };
        Bootstrap::new(self.clients.clone(), resources).ensure().await.expect("bootstrap on moto")
    }

    /// A store on a fresh table.
    pub async fn store(&self, what: &str) -> DynamoStore {
        let provisioned = self.provision(what).await;
        DynamoStore::new(self.clients.dynamodb.clone(), provisioned.table)
    }

    /// A queue on a fresh step queue.
    pub async fn queue(&self, what: &str) -> SqsQueue {
        let provisioned = self.provision(what).await;
        SqsQueue::new(self.clients.sqs.clone(), provisioned.queue_url)
    }

    /// An event sink on a fresh bus, and a reader of what reaches it
    /// through a rule matching Stepwise's events into an SQS queue.
    pub async fn events(&self, what: &str) -> (EventBridgeSink, RuleReader) {
        let provisioned = self.provision(what).await;
        let reader = RuleReader::new(self, &provisioned.event_bus, what).await;
        (EventBridgeSink::new(self.clients.eventbridge.clone(), provisioned.event_bus), reader)
    }
}

/// Reads a step queue back, re-chaining long delays as the stepper does.
pub struct SqsInbox(pub SqsQueue);

impl Inbox for SqsInbox {
    async fn receive(&self, wait_ms: u64) -> Result<Vec<Message>, String> {
        let wait = i32::try_from(wait_ms.div_ceil(1000)).unwrap_or(20);
        let mut messages = Vec::new();
        for delivery in self.0.receive_due(wait).await? {
            self.0.delete(&delivery.receipt_handle).await?;
            messages.push(delivery.message?);
        }
        Ok(messages)
    }

    fn now_ms(&self) -> i64 {
        wall_clock_ms()
    }
}

/// Status changes that reached an SQS queue through an EventBridge rule.
pub struct RuleReader {
    pub queue: SqsQueue,
}

impl RuleReader {
    /// A rule on `bus` matching Stepwise's status changes, targeting a new queue.
    pub async fn new(local: &Local, bus: &str, what: &str) -> RuleReader {
        let queue = local.queue(&format!("{what}-target")).await;
        let arn = local
            .clients
            .sqs
            .get_queue_attributes()
            .queue_url(queue.queue_url())
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .expect("queue attributes")
            .attributes
            .and_then(|mut a| a.remove(&aws_sdk_sqs::types::QueueAttributeName::QueueArn))
            .expect("a queue ARN");
        let pattern = serde_json::json!({"source": [SOURCE], "detail-type": [DETAIL_TYPE]});
        let eb = &local.clients.eventbridge;
        let rule = format!("{what}-status-changes");
        eb.put_rule().name(&rule).event_bus_name(bus).event_pattern(pattern.to_string()).send().await.expect("PutRule");
        let target = aws_sdk_eventbridge::types::Target::builder().id("queue").arn(arn).build().expect("a target");
        let put = eb.put_targets().rule(&rule).event_bus_name(bus).targets(target).send().await.expect("PutTargets");
        assert_eq!(put.failed_entry_count, 0, "PutTargets");
        RuleReader { queue }
    }

    /// The full events that arrived since the last call, waiting up to `wait_seconds`.
    pub async fn events(&self, wait_seconds: i32) -> Result<Vec<serde_json::Value>, String> {
        let mut events = Vec::new();
        for delivery in self.queue.receive(wait_seconds).await? {
            self.queue.delete(&delivery.receipt_handle).await?;
            events.push(serde_json::from_str(&delivery.body).map_err(|e| format!("{e}: {}", delivery.body))?);
        }
        Ok(events)
    }
}

impl Published for RuleReader {
    async fn arrived(&self, wait_ms: u64) -> Result<Vec<StatusChange>, String> {
        let wait = i32::try_from(wait_ms.div_ceil(1000)).unwrap_or(20);
        let events = self.events(wait).await?;
        events.into_iter().map(|e| serde_json::from_value(e["detail"].clone()).map_err(|e| e.to_string())).collect()
    }
}
