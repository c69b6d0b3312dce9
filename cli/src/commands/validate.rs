//! `stepwise validate FILE...`: diagnostics as ValidateStateMachineDefinition gives them.

use anyhow::Result;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use stepwise_asl::validate::{self, Diagnostic};

/// Arguments of `stepwise validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Definition files (JSON or YAML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print JSON: one object per file with `result` (OK/FAIL) and `diagnostics`.
    #[arg(long)]
    pub json: bool,
}

fn diagnostics_of(path: &std::path::Path) -> Vec<Diagnostic> {
    match std::fs::read_to_string(path) {
        Ok(text) => validate::parse_text(&text).err().unwrap_or_default(),
        Err(e) => vec![Diagnostic::error("MISSING_DESCRIPTION", "/", format!("cannot read {}: {e}", path.display()))],
    }
}

/// Runs the command.
pub fn run(args: ValidateArgs) -> Result<ExitCode> {
    let mut failed = false;
    let mut records = Vec::new();
    for file in &args.files {
        let diagnostics = diagnostics_of(file);
        failed |= !diagnostics.is_empty();
        if args.json {
            let result = if diagnostics.is_empty() { "OK" } else { "FAIL" };
            records.push(json!({"file": file, "result": result, "diagnostics": diagnostics}));
        } else if diagnostics.is_empty() {
            println!("{}: OK", file.display());
        } else {
            for d in &diagnostics {
                println!("{}: {d}", file.display());
            }
        }
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&records)?);
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
