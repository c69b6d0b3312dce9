//! The subcommands, a file each.

pub mod bench;
pub mod graph;
pub mod progress;
pub mod run;
pub mod serve;
pub mod test;
pub mod validate;

use anyhow::{Context, Result};
use serde_json::Value;
use std::path::Path;

/// Reads a definition file (JSON or YAML) into a JSON value, with a clear
/// error naming the file and the problem.
pub fn read_definition(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    stepwise_asl::validate::definition_value(&text).map_err(|d| anyhow::anyhow!("{}: {}", path.display(), d.message))
}

/// Reads a JSON file with a clear error naming the file.
pub fn read_json_file(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}
