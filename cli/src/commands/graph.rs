//! `stepwise graph FILE [--format svg|dot|mermaid]`: the workflow graph
//! the console draws, for READMEs and code review.

use crate::graph::Graph;
use crate::graph::render::{Format, render};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use stepwise_asl::validate;

/// Arguments of `stepwise graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The definition (JSON or YAML).
    pub file: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value = "svg")]
    pub format: Format,
    /// Write here instead of to standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs the command: an invalid definition prints its diagnostics, as
/// `stepwise validate` does, and draws nothing.
pub fn run(args: GraphArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let definition = match validate::definition_value(&text) {
        Ok(value) => value,
        Err(diagnostic) => {
            eprintln!("{}: {diagnostic}", args.file.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    if let Err(diagnostics) = validate::parse(&definition) {
        for d in &diagnostics {
            eprintln!("{}: {d}", args.file.display());
        }
        return Ok(ExitCode::FAILURE);
    }
    let drawn = render(&Graph::of(&definition), args.format);
    match &args.output {
        Some(path) => std::fs::write(path, drawn).with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{drawn}"),
    }
    Ok(ExitCode::SUCCESS)
}
