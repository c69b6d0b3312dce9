//! The recorded-AWS conformance corpus, through `stepwise test`.
//!
//! Reads `../shared/conformance/cases` beside the repository at run time
//! (override with `STEPWISE_CONFORMANCE`). JSONata and variables cases are
//! left out until issue 6. Known failures are listed with their reasons in
//! `tests/conformance/known-failures.txt`; the run fails on any other failure
//! and on a listed case that passes. Both backends run it.

use std::path::PathBuf;
use std::process::Command;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_corpus(backend: &str) {
    let cases = std::env::var_os("STEPWISE_CONFORMANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/conformance/cases"));
    assert!(cases.is_dir(), "conformance cases not found at {} (set STEPWISE_CONFORMANCE)", cases.display());
    let output = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("test")
        .arg(&cases)
        .args(["--skip-tag", "jsonata", "--skip-tag", "variables", "--backend", backend])
        .arg("--known-failures")
        .arg(workspace().join("tests/conformance/known-failures.txt"))
        .output()
        .expect("stepwise runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "conformance run failed; see the report above");
    let summary = stdout.lines().last().unwrap_or_default();
    let passed: u32 = summary.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed >= 500, "suspiciously few cases ran: {summary}");
}

#[test]
fn conformance_corpus_passes_on_the_in_process_interpreter() {
    run_corpus("local");
}

/// The same corpus through the durable engine (one step per queued message,
/// conditional commits) on in-memory adapters: the engine the serverless
/// stack runs must behave as AWS recorded, case for case.
#[test]
fn conformance_corpus_passes_on_the_durable_engine() {
    run_corpus("engine");
}
