//! Definition validation, like ValidateStateMachineDefinition.

mod diagnostic;

pub use diagnostic::{Diagnostic, Severity, codes, pointer_token};
