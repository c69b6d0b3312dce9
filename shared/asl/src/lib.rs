//! The Amazon States Language, pure: the definition model, its validator,
//! JSONPath, intrinsic functions, Choice rules and the state interpreter.
//!
//! Nothing here performs I/O, reads a clock or spawns work: time, randomness
//! and task results are arguments, and the interpreter returns what should
//! happen next for the engine to carry out.
//!
//! Parse and validate a definition, then step an execution through it:
//!
//! ```
//! use serde_json::json;
//! use stepwise_asl::interpret::{self, Env, Event, ExecutionInfo, Next};
//! use stepwise_asl::rng::Rng;
//!
//! let machine = stepwise_asl::validate::parse_text(r#"{
//!     "StartAt": "Greet",
//!     "States": {"Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('Hello, {}!', $.name)"}, "End": true}}
//! }"#).expect("a valid definition");
//!
//! let execution = ExecutionInfo {
//!     execution_arn: "arn:aws:states:us-east-1:123456789012:execution:Hello:run-1".into(),
//!     name: "run-1".into(),
//!     input: json!({"name": "Ada"}),
//!     input_text: None,
//!     start_time: 0,
//!     role_arn: "arn:aws:iam::123456789012:role/StepFunctions".into(),
//!     state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:Hello".into(),
//!     state_machine_name: "Hello".into(),
//!     region: "us-east-1".into(),
//! };
//! let (mut branch, started) = interpret::start_execution(&machine, &execution, 0);
//! let new_token: fn() -> String = String::new;
//! let mut env = Env { machine: &machine, execution: &execution, now: 0, next_event_id: 2, rng: Rng::new(1), new_token };
//! let step = interpret::step(&mut branch, Event::Enter, &mut env);
//!
//! assert_eq!(step.next, Next::Succeeded(json!({"greeting": "Hello, Ada!"})));
//! let events = [vec![started], step.history].concat();
//! let types: Vec<&str> = events.iter().map(|e| e.event_type.as_ref()).collect();
//! assert_eq!(types, ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
//! ```

pub mod choice;
pub mod error;
pub mod history;
pub mod interpret;
pub mod intrinsics;
pub mod json;
pub mod jsonata;
pub mod model;
pub mod path;
pub mod rng;
pub mod timestamp;
pub mod validate;
