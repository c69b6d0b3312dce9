//! The engine's ports: a trait per file, each with its contract. Adapters
//! (in memory here, DynamoDB/SQS/EventBridge in `shared/aws`, embedded in
//! `shared/local`) implement them; the engine never names an adapter.

mod clock;
mod events;
mod queue;
mod store;
mod tasks;

pub use clock::Clock;
pub use events::EventSink;
pub use queue::Queue;
pub use store::{BranchWrite, Commit, ExecutionWrite, Page, Store, StoreError};
pub use tasks::{TaskInvoker, TaskOutcome};
