//! `stepwise test PATH...`: runs state-machine test cases (the format of
//! `shared/conformance/README.md`, see [`crate::conformance::case`]) on all
//! cores and reports how many matched AWS.
//!
//! Output (stdout): each case that fails the run with its file and reasons,
//! a passed/failed table per category, and last the line
//! `N passed, N failed` (`, N skipped` when tags were skipped). A progress
//! bar goes to stderr when it is a terminal. The exit code is 1 when a case
//! failed that is not a known failure, or a known failure passed.

use crate::conformance::discover::{self, Found};
use crate::conformance::report::{self, KnownFailures, Outcome, Record};
use crate::conformance::{self, Case, CaseRun, Mismatch, MismatchKind};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal as _, Write as _};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Arguments of `stepwise test`.
#[derive(Debug, Clone, clap::Args)]
pub struct TestArgs {
    /// Case files, or directories searched recursively for `*.json` cases.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write one JSON record per case to FILE (JSON lines: name, category,
    /// passed, reason, outcome, path).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Cases expected to fail, one name per line, optionally followed by
    /// `# reason`. They do not fail the run; listed cases that pass do.
    #[arg(long, value_name = "FILE")]
    pub known_failures: Option<PathBuf>,
    /// Do not run cases with this tag (repeatable), e.g. `--skip-tag jsonata`.
    #[arg(long = "skip-tag", value_name = "TAG")]
    pub skip_tags: Vec<String>,
    /// Only run cases whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Write our result (status, output, error, cause, events) for each
    /// failing case to DIR/<name>.json, to compare with the case file.
    #[arg(long, value_name = "DIR")]
    pub dump_failures: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// What runs the executions: the in-process interpreter (`local`) or the
    /// durable engine on in-memory adapters (`engine`).
    #[arg(long, value_enum, default_value = "local")]
    pub backend: crate::runner::Backend,
}

/// Stack for worker threads: deeply nested definitions and inputs recurse.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// Runs `stepwise test`.
pub fn run(args: TestArgs) -> anyhow::Result<ExitCode> {
    let known = match &args.known_failures {
        Some(file) => KnownFailures::parse(
            &std::fs::read_to_string(file).with_context(|| format!("reading known failures {}", file.display()))?,
        ),
        None => KnownFailures::default(),
    };
    let found = discover::load(&args.paths)?;
    let found: Vec<Found> = found.into_iter().filter(|f| selected(f, args.filter.as_deref())).collect();
    if found.is_empty() {
        anyhow::bail!("no test cases found under {}", display_paths(&args.paths));
    }

    let mut records: Vec<Option<Record>> = vec![None; found.len()];
    let mut to_run: Vec<(usize, &Case)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        match f {
            Found::Bad { path, error } => {
                let mismatch = Mismatch::new(MismatchKind::CaseFile, error.to_string());
                let name = conformance::case::file_stem(path);
                let category = conformance::case::parent_name(path);
                records[i] = Some(Record::ran(name, category, path.clone(), &[mismatch], &known));
            }
            Found::Case(case) => match args.skip_tags.iter().find(|t| case.has_tag(t)) {
                Some(tag) => {
                    records[i] = Some(Record {
                        name: case.name.clone(),
                        category: case.category.clone(),
                        path: case.path.clone(),
                        outcome: Outcome::Skipped,
                        reasons: vec![format!("skipped: tag {tag}")],
                    });
                }
                None => to_run.push((i, case)),
            },
        }
    }

    let jobs = args.jobs.or_else(|| std::thread::available_parallelism().ok()).map_or(1, NonZeroUsize::get);
    let progress = progress_bar(to_run.len() as u64);
    let results = conformance::with_quiet_panics(|| run_all(&to_run, jobs, args.backend, &progress))?;
    progress.finish_and_clear();
    if let Some(dir) = &args.dump_failures {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    for (i, run) in results {
        let Some(Found::Case(case)) = found.get(i) else { continue };
        if let (Some(dir), Some(report), false) = (&args.dump_failures, &run.report, run.mismatches.is_empty()) {
            let file = dir.join(format!("{}.json", case.name.replace(['/', '\\'], "_")));
            let text = serde_json::to_string_pretty(report)?;
            std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
        }
        let (name, category, path) = (case.name.clone(), case.category.clone(), case.path.clone());
        records[i] = Some(Record::ran(name, category, path, &run.mismatches, &known));
    }
    let records: Vec<Record> = records.into_iter().flatten().collect();

    if let Some(file) = &args.json {
        write_json(file, &records)?;
    }
    let mut out = std::io::stdout().lock();
    let failures = report::failures(&records);
    if !failures.is_empty() {
        writeln!(out, "{failures}")?;
    }
    let unmatched: Vec<&str> = known.unmatched(|name| records.iter().any(|r| r.name == name)).collect();
    if !unmatched.is_empty() && args.filter.is_none() {
        writeln!(
            out,
            "note: {} known-failure entries name no case found here: {}\n",
            unmatched.len(),
            unmatched.join(", ")
        )?;
    }
    write!(out, "{}", report::table(&records))?;
    let known_count = records.iter().filter(|r| r.outcome == Outcome::KnownFailure).count();
    if known_count > 0 {
        writeln!(out, "\n{known_count} of the failures are known failures")?;
    }
    writeln!(out, "\n{}", report::closing_line(&records))?;
    out.flush()?;
    Ok(if records.iter().any(Record::fails_run) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Runs the cases on `jobs` threads; returns each case's index and run.
fn run_all(
    cases: &[(usize, &Case)],
    jobs: usize,
    backend: crate::runner::Backend,
    progress: &ProgressBar,
) -> anyhow::Result<Vec<(usize, CaseRun)>> {
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some((i, case)) = cases.get(k) else { break };
            progress.set_message(case.name.clone());
            done.push((*i, conformance::run_case(case, backend)));
            progress.inc(1);
        }
        done
    };
    std::thread::scope(|scope| {
        let handles = (0..jobs.min(cases.len()).max(1))
            .map(|_| std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, worker))
            .collect::<Result<Vec<_>, _>>()
            .context("starting worker threads")?;
        let mut results = Vec::with_capacity(cases.len());
        for handle in handles {
            // `run_case` catches the runner's panics; a panic here would be ours.
            let done = handle.join().map_err(|_| anyhow::anyhow!("a test worker thread panicked"))?;
            results.extend(done);
        }
        Ok(results)
    })
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

fn selected(found: &Found, filter: Option<&str>) -> bool {
    let Some(filter) = filter else { return true };
    match found {
        Found::Case(case) => case.name.contains(filter),
        Found::Bad { path, .. } => path.to_string_lossy().contains(filter),
    }
}

fn write_json(file: &Path, records: &[Record]) -> anyhow::Result<()> {
    let mut text = String::new();
    for r in records {
        text.push_str(&r.json_line());
        text.push('\n');
    }
    std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
