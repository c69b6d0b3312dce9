//! `stepwise`: run, validate and test Amazon States Language state machines.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use stepwise::commands;

/// mimalloc: executions allocate many small JSON values and history events;
/// glibc malloc spent half the Map benchmark consolidating free chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "stepwise", version, about = "Run AWS Step Functions state machines locally")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one execution to its end and print its output.
    Run(commands::run::RunArgs),
    /// Validate definitions like ValidateStateMachineDefinition.
    Validate(commands::validate::ValidateArgs),
    /// Run state-machine test cases (files or directories of JSON cases).
    Test(commands::test::TestArgs),
    /// Serve the Step Functions API on 127.0.0.1:8083.
    Serve(commands::serve::ServeArgs),
    /// Measure durable transitions per second and start-to-end latency through the server.
    Bench(commands::bench::BenchArgs),
    /// Draw a state machine's workflow graph as SVG, Graphviz DOT or Mermaid.
    Graph(commands::graph::GraphArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => commands::run::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Test(args) => commands::test::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Graph(args) => commands::graph::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("stepwise: {e:#}");
        ExitCode::from(2)
    })
}
