//! State-machine test cases: load them, run them in-process against mocked
//! Lambda functions, and compare the result with what AWS Step Functions
//! recorded (`stepwise test`).
//!
//! The case format and the "snapshot-v1" comparison rules are those of
//! `shared/conformance/README.md`; users write their own cases in the same
//! format ([`case`] lists the defaults and the `definition` file form).
//!
//! - [`discover`]: finds and loads case files;
//! - [`case`]: one case file;
//! - [`mocks`] (with [`python`]): the cases' Lambda functions;
//! - [`normalize`] (with [`iso8601`]): snapshot-v1 rewriting of our results;
//! - [`compare`], [`history`] (with [`placeholder`]): the comparison;
//! - [`report`]: outcomes, known failures, the summary and JSON records.

pub mod case;
pub mod compare;
pub mod discover;
pub mod history;
pub mod iso8601;
pub mod mocks;
pub mod normalize;
pub mod placeholder;
pub mod python;
pub mod report;

#[cfg(test)]
mod corpus_tests;

pub use case::{Case, CaseError};

use crate::runner::{self, Clock, ExecutionReport, RunOptions};
use mocks::LambdaMocks;
use std::cell::RefCell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use stepwise_asl::rng::Rng;

/// What part of a case did not match, for grouping and labelling reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MismatchKind {
    /// The case file could not be used.
    CaseFile,
    /// The run did not start (invalid definition or input).
    Run,
    /// The runner panicked.
    Panic,
    /// The execution status.
    Status,
    /// The execution output.
    Output,
    /// The error name.
    Error,
    /// The cause.
    Cause,
    /// The history event types.
    History,
    /// A history event's fields.
    HistoryDetail,
    /// A history event's `id` or `previousEventId`.
    HistoryIds,
}

impl MismatchKind {
    /// The label printed before the reason.
    pub fn label(self) -> &'static str {
        match self {
            MismatchKind::CaseFile => "case file",
            MismatchKind::Run => "run error",
            MismatchKind::Panic => "panic",
            MismatchKind::Status => "status",
            MismatchKind::Output => "output",
            MismatchKind::Error => "error",
            MismatchKind::Cause => "cause",
            MismatchKind::History => "history",
            MismatchKind::HistoryDetail => "history detail",
            MismatchKind::HistoryIds => "history ids",
        }
    }
}

/// One reason a case failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Which part.
    pub kind: MismatchKind,
    /// What differs, shortened.
    pub message: String,
}

impl Mismatch {
    /// A reason of `kind`.
    pub fn new(kind: MismatchKind, message: impl Into<String>) -> Mismatch {
        Mismatch { kind, message: message.into() }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.label(), self.message)
    }
}

/// One case's run: our result (when the run got that far) and how it
/// differs from the recording.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// What the runner returned.
    pub report: Option<ExecutionReport>,
    /// Why the case failed; empty when it passed.
    pub mismatches: Vec<Mismatch>,
}

/// Runs `case` with its mocks on a virtual clock and compares the result.
/// A panic in the runner is caught and reported.
///
/// The state machine is named after the case (characters AWS does not allow
/// in names become `_`, at most 80); the execution name is a UUID derived
/// The input text the recorded caller sent. AWS echoes it verbatim in
/// `ExecutionStarted`, and the recorder kept non-object texts as they were, so
/// that echo is the caller's request itself; otherwise LocalStack's tests sent
/// `json.dumps(input)`.
fn caller_input_text(case: &Case) -> String {
    let recorded = case.history_detail.as_ref().and_then(|events| {
        let started =
            events.iter().find(|e| e.get("type").and_then(serde_json::Value::as_str) == Some("ExecutionStarted"))?;
        started.pointer("/executionStartedEventDetails/input")?.as_str().map(str::to_owned)
    });
    match recorded {
        Some(text) if serde_json::from_str::<serde_json::Value>(&text).ok().as_ref() == Some(&case.input) => text,
        _ => python::json_dumps(&case.input),
    }
}

/// from the case name, so reruns are identical.
pub fn run_case(case: &Case, backend: crate::runner::Backend) -> CaseRun {
    let seed = fnv1a(&case.name);
    let mut rng = Rng::new(seed);
    let options = RunOptions {
        state_machine_name: state_machine_name(&case.name),
        execution_name: rng.uuid_v4(),
        lambda: Some(Arc::new(LambdaMocks::new(case.lambda_mocks.clone(), rng.next_u64()))),
        clock: Clock::Virtual,
        input_text: Some(caller_input_text(case)),
        backend,
        ..RunOptions::default()
    };
    LAST_PANIC.with(|p| p.borrow_mut().take());
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| runner::run(&case.definition, &case.input, &options)));
    let failed = |kind, message: String| CaseRun { report: None, mismatches: vec![Mismatch::new(kind, message)] };
    match outcome {
        Ok(Ok(report)) => {
            let mismatches = panic::catch_unwind(AssertUnwindSafe(|| compare::compare_report(case, &report)))
                .unwrap_or_else(|_| {
                    vec![Mismatch::new(MismatchKind::Panic, "the comparison panicked (a bug in stepwise test)")]
                });
            CaseRun { report: Some(report), mismatches }
        }
        Ok(Err(e)) => failed(MismatchKind::Run, e.to_string()),
        Err(payload) => {
            let message = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| {
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "(no message)".to_owned())
            });
            failed(MismatchKind::Panic, message.replace('\n', " "))
        }
    }
}

thread_local! {
    /// The last panic's message and location, recorded by [`with_quiet_panics`].
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f` with a panic hook that records panics for [`run_case`]'s report
/// instead of printing them (which would garble the progress bar), then puts
/// the previous hook back.
pub fn with_quiet_panics<R>(f: impl FnOnce() -> R) -> R {
    type Hook = Box<dyn Fn(&panic::PanicHookInfo<'_>) + Sync + Send + 'static>;
    struct Restore(Option<Hook>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                panic::set_hook(previous);
            }
        }
    }
    let _restore = Restore(Some(panic::take_hook()));
    panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
    }));
    f()
}

fn state_machine_name(case_name: &str) -> String {
    let name: String = case_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(80)
        .collect();
    if name.is_empty() { "stepwise-test".to_owned() } else { name }
}

/// FNV-1a, to seed a case's randomness from its name.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
