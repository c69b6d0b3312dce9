//! Request counting: an SDK interceptor that counts every HTTP attempt by
//! service and operation, read from the `X-Amz-Target` header that the
//! JSON protocols of DynamoDB (`DynamoDB_20120810.PutItem`), SQS
//! (`AmazonSQS.SendMessage`) and EventBridge (`AWSEvents.PutEvents`) send
//! (<https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html>).

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Counts requests per `Target` (e.g. `DynamoDB_20120810.TransactWriteItems`).
/// Clones share the counts. Retries count again: this is what is billed.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter {
    counts: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl RequestCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// The counts so far, by target.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Requests so far whose target starts with `prefix` (a service, such as
    /// `DynamoDB_20120810.`, or one operation).
    pub fn count(&self, prefix: &str) -> u64 {
        self.snapshot().iter().filter(|(k, _)| k.starts_with(prefix)).map(|(_, v)| v).sum()
    }

    /// Sets every count back to zero.
    pub fn reset(&self) {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn record(&self, target: &str) {
        *self.counts.lock().unwrap_or_else(|e| e.into_inner()).entry(target.to_owned()).or_default() += 1;
    }
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "StepwiseRequestCounter"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = context.request().headers().get("x-amz-target").unwrap_or("unknown");
        self.record(target);
        Ok(())
    }
}
