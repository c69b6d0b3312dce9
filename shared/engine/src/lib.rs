//! The durable Step Functions engine, written against ports.
//!
//! Layout: [`ports`] holds the traits adapters implement (store, queue,
//! event sink, task invoker, clock), [`records`] what is stored and sent,
//! [`engine`] the engine itself, `start`/`step`/`join`/`callback` its
//! operations, and [`memory`] an in-memory adapter set for tests. The
//! interpreter it drives is `stepwise_asl`, which is pure: the engine loads a
//! branch, asks the interpreter for one step, commits, then sends.

pub mod api;
pub mod contract;
pub mod engine;
pub mod lambda;
pub mod memory;
pub mod ports;
pub mod records;

pub mod callback;
mod join;
mod start;
mod step;

pub use engine::{Config, Engine, EngineError};
pub use start::{ROOT, StartError};
