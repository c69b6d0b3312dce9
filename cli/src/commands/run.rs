//! `stepwise run FILE`: one execution, in-process, to its end.

use super::{read_definition, read_json_file};
use crate::runner::{self, Clock, ExecutionReport, ExecutionStatus, RunOptions};
use crate::tasks::http::HttpLambda;
use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `stepwise run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The state machine definition (JSON or YAML).
    pub file: PathBuf,
    /// The execution input, as JSON text.
    #[arg(long, conflicts_with = "input_file")]
    pub input: Option<String>,
    /// A file holding the execution input.
    #[arg(long)]
    pub input_file: Option<PathBuf>,
    /// A Step Functions Local mock configuration file.
    #[arg(long, requires = "test_case")]
    pub mock_config: Option<PathBuf>,
    /// The test case in the mock configuration to answer tasks from.
    #[arg(long, requires = "mock_config")]
    pub test_case: Option<String>,
    /// The state machine's name (ARNs, `$$.StateMachine.Name`, mock config
    /// lookup); defaults to the file name without its extensions.
    #[arg(long)]
    pub name: Option<String>,
    /// The execution's name.
    #[arg(long, default_value = "local")]
    pub execution_name: String,
    /// A Lambda Invoke endpoint, such as `sam local start-lambda`'s
    /// `http://127.0.0.1:3001`.
    #[arg(long)]
    pub lambda_endpoint: Option<String>,
    /// Scales every wait: 0 skips waits, 0.1 waits a tenth.
    #[arg(long, default_value_t = 1.0)]
    pub wait_time_scale: f64,
    /// Print the execution history.
    #[arg(long)]
    pub history: bool,
    /// Print one JSON object: status, output, error, cause (and events with --history).
    #[arg(long)]
    pub json: bool,
}

/// The state machine name a file gives: `hello.asl.json` → `hello`.
fn default_name(file: &std::path::Path) -> String {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("StateMachine");
    name.split('.').next().filter(|s| !s.is_empty()).unwrap_or("StateMachine").to_owned()
}

/// Runs the command.
pub fn run(args: RunArgs) -> Result<ExitCode> {
    let definition = read_definition(&args.file)?;
    let input_text = match (&args.input, &args.input_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => {
            Some(std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?)
        }
        (None, None) => None,
    };
    let input: Value = match &input_text {
        Some(text) => serde_json::from_str(text).with_context(|| match &args.input_file {
            Some(path) => format!("{} is not valid JSON", path.display()),
            None => "--input is not valid JSON".to_owned(),
        })?,
        None => Value::Object(Default::default()),
    };
    if !(args.wait_time_scale >= 0.0 && args.wait_time_scale.is_finite()) {
        bail!("--wait-time-scale must be a number of 0 or more");
    }
    let mock = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => Some((Arc::new(read_json_file(path)?), case.clone())),
        _ => None,
    };
    // A progress line on a terminal, for runs that last.
    let display = super::progress::Display::for_terminal();
    let options = RunOptions {
        state_machine_name: args.name.clone().unwrap_or_else(|| default_name(&args.file)),
        execution_name: args.execution_name.clone(),
        lambda: args
            .lambda_endpoint
            .as_deref()
            .map(|e| Arc::new(HttpLambda::new(e)) as Arc<dyn crate::tasks::LambdaInvoker>),
        clock: Clock::Real { scale: args.wait_time_scale },
        mock,
        input_text,
        observer: display.clone().map(|d| Arc::new(move |e: &_| d.observe(e)) as runner::Observer),
        ..RunOptions::default()
    };
    let report = runner::run(&definition, &input, &options);
    if let Some(display) = &display {
        display.finish();
    }
    let report = report.with_context(|| format!("cannot run {}", args.file.display()))?;
    print_report(&report, &args)?;
    Ok(if report.status == ExecutionStatus::Succeeded { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn print_report(report: &ExecutionReport, args: &RunArgs) -> Result<()> {
    if args.json {
        let mut v = serde_json::to_value(report)?;
        if !args.history {
            v.as_object_mut().map(|o| o.remove("events"));
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    if args.history {
        for e in &report.events {
            let details = e.as_object().and_then(|o| o.iter().find(|(k, _)| k.ends_with("EventDetails")));
            let summary = details.map(|(_, d)| stepwise_asl::json::to_text(d)).unwrap_or_default();
            let summary: String = summary.chars().take(120).collect();
            println!("{:>4} {:<28} {}", e["id"], e["type"].as_str().unwrap_or(""), summary);
        }
    }
    match report.status {
        ExecutionStatus::Succeeded => {
            let output: Value = serde_json::from_str(report.output.as_deref().unwrap_or("null"))?;
            println!("{}", serde_json::to_string_pretty(&output)?);
        }
        status => {
            eprintln!("{}", serde_json::to_value(status)?.as_str().unwrap_or("FAILED"));
            eprintln!("error: {}", report.error.as_deref().unwrap_or("(none)"));
            eprintln!("cause: {}", report.cause.as_deref().unwrap_or("(none)"));
        }
    }
    Ok(())
}
