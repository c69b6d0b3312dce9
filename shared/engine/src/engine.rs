//! The engine: ports plus the parsed-definition cache, and the entry points
//! that start, advance and stop executions.

use crate::ports::{Clock, EventSink, Queue, Store, StoreError, TaskInvoker};
use crate::records::{ExecutionRecord, Work};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use stepwise_asl::interpret::ExecutionInfo;
use stepwise_asl::model::StateMachine;

/// Why the engine could not finish handling a request or message. A message
/// that fails this way is left for the queue to deliver again.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Sending outgoing work failed after the commit; redelivery resends it.
    #[error("sending work failed: {0}")]
    Send(String),
    /// A stored definition no longer parses (it did when it was created).
    #[error("stored definition is invalid: {0}")]
    Definition(String),
    /// Too many concurrent writers on one execution; try the message again.
    #[error("gave up after {0} conflicting commits")]
    Contention(usize),
}

/// Where ARNs point: the region and account this engine serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// e.g. `us-east-1`.
    pub region: String,
    /// e.g. `123456789012`.
    pub account: String,
    /// How old a step must be before a repeat of its message re-sends its
    /// work. A repeat that soon is a duplicate delivery racing the work
    /// already sent, not a redelivery after a crash (which comes after the
    /// queue's visibility timeout); re-sending then would make every
    /// duplicate echo down the rest of the execution.
    pub redelivery_grace_ms: i64,
    /// How many states that finish at once one message may advance through
    /// before committing: 1 is "one state per message" (the serverless
    /// stack); more saves commits and queue round trips (the local server).
    pub steps_per_message: usize,
}

impl Config {
    /// A config for `region` and `account` with a 30 s redelivery grace.
    pub fn new(region: impl Into<String>, account: impl Into<String>) -> Self {
        Config { region: region.into(), account: account.into(), redelivery_grace_ms: 30_000, steps_per_message: 1 }
    }
}

/// How many times a step is recomputed after losing a conditional write.
pub(crate) const MAX_ATTEMPTS: usize = 64;

/// The durable Step Functions engine over its ports.
pub struct Engine<S, Q, E, T, C> {
    /// Durable state.
    pub store: S,
    /// The step queue.
    pub queue: Q,
    /// Status-change events.
    pub events: E,
    /// Task integrations.
    pub tasks: T,
    /// Time.
    pub clock: C,
    /// Region and account.
    pub config: Config,
    machines: Mutex<HashMap<String, Arc<StateMachine>>>,
}

/// The most parsed definitions kept; past it the cache starts over.
const CACHE_LIMIT: usize = 1024;

impl<S: Store, Q: Queue, E: EventSink, T: TaskInvoker, C: Clock> Engine<S, Q, E, T, C> {
    /// An engine over these adapters.
    pub fn new(store: S, queue: Q, events: E, tasks: T, clock: C, config: Config) -> Self {
        Engine { store, queue, events, tasks, clock, config, machines: Mutex::new(HashMap::new()) }
    }

    /// The parsed definition, parsed once per definition text.
    pub(crate) fn machine(&self, definition: &str) -> Result<Arc<StateMachine>, EngineError> {
        let mut cache = self.machines.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = cache.get(definition) {
            return Ok(m.clone());
        }
        let machine = stepwise_asl::validate::parse_text(definition)
            .map_err(|d| EngineError::Definition(d.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let machine = Arc::new(machine);
        cache.insert(definition.to_owned(), machine.clone());
        Ok(machine)
    }

    /// Sends committed work. Safe to repeat.
    pub(crate) async fn send(&self, work: &[Work]) -> Result<(), EngineError> {
        for w in work {
            match w {
                Work::Send { message, delay_ms } => {
                    self.queue.send(message.clone(), *delay_ms).await.map_err(EngineError::Send)?;
                }
                Work::Status(change) => self.events.publish(change).await.map_err(EngineError::Send)?,
            }
        }
        Ok(())
    }
}

/// The interpreter's view of an execution record.
pub(crate) fn execution_info(record: &ExecutionRecord, region: &str) -> ExecutionInfo {
    let state_machine_name = record.state_machine_arn.rsplit(':').next().unwrap_or_default().to_owned();
    ExecutionInfo {
        execution_arn: record.arn.clone(),
        name: record.name.clone(),
        input: serde_json::from_str(&record.input).unwrap_or(serde_json::Value::Null),
        input_text: Some(record.input.clone()),
        start_time: record.start_date,
        role_arn: record.role_arn.clone(),
        state_machine_arn: record.state_machine_arn.clone(),
        state_machine_name,
        region: region.to_owned(),
    }
}

/// A fresh task token: 128 bits from the operating system, as hex.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 16];
    // The OS generator failing is not something a caller can act on; a
    // token made from zeros would be guessable, so refuse to go on.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A seed for the interpreter's generator (intrinsics, jitter).
pub(crate) fn new_seed() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    u64::from_le_bytes(bytes)
}
