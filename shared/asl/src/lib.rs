//! The Amazon States Language, pure: the definition model, its validator,
//! JSONPath, intrinsic functions, Choice rules and the state interpreter.
//!
//! Nothing here performs I/O, reads a clock or spawns work: time, randomness
//! and task results are arguments, and the interpreter returns what should
//! happen next for the engine to carry out.

pub mod choice;
pub mod error;
pub mod history;
pub mod interpret;
pub mod intrinsics;
pub mod json;
pub mod model;
pub mod path;
pub mod rng;
pub mod timestamp;
pub mod validate;
