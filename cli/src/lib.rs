//! The `stepwise` command line: run, validate and test state machines.

pub mod aws;
pub mod commands;
pub mod conformance;
pub mod graph;
pub mod runner;
pub mod serve;
pub mod tasks;
