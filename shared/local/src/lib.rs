//! Local adapters for the engine, used by `stepwise serve`: an in-process
//! queue with timers ([`LocalQueue`]), the system clock, a JSON-lines event
//! sink, and the workers that feed queued messages to the engine.

mod clock;
mod events;
mod queue;
mod store;
mod worker;

pub use clock::SystemClock;
pub use events::JsonLinesSink;
pub use queue::LocalQueue;
pub use store::RedbStore;
pub use worker::{Workers, spawn_workers};
