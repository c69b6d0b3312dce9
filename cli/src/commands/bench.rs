//! `stepwise bench`: durable state transitions per second through the
//! server, and StartExecution-to-SUCCEEDED latency of a one-state machine,
//! both over loopback HTTP against an in-process `stepwise serve` on a
//! temporary data directory.

use crate::runner::engine::TaskPort;
use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::{Value, json};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use stepwise_engine::{Config, Engine};
use stepwise_local::{JsonLinesSink, LocalQueue, RedbStore, SystemClock, spawn_workers};

/// Arguments of `stepwise bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Executions started for the throughput run.
    #[arg(long, default_value_t = 200)]
    pub executions: usize,
    /// Pass states per execution in the throughput run.
    #[arg(long, default_value_t = 50)]
    pub states: usize,
    /// Executions timed one by one for the latency run.
    #[arg(long, default_value_t = 200)]
    pub latency_runs: usize,
    /// Queue workers.
    #[arg(long, default_value_t = 8)]
    pub workers: usize,
}

fn call(endpoint: &str, action: &str, body: &Value) -> Result<Value> {
    let response = ureq::post(endpoint)
        .set("X-Amz-Target", &format!("AWSStepFunctions.{action}"))
        .set("Content-Type", "application/x-amz-json-1.0")
        .send_string(&body.to_string());
    match response {
        Ok(r) => Ok(serde_json::from_str(&r.into_string()?)?),
        Err(ureq::Error::Status(code, r)) => bail!("{action}: HTTP {code}: {}", r.into_string().unwrap_or_default()),
        Err(e) => bail!("{action}: {e}"),
    }
}

fn create(endpoint: &str, name: &str, states: usize) -> Result<String> {
    let mut map = serde_json::Map::new();
    for i in 0..states {
        let state = if i + 1 == states {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        };
        map.insert(format!("S{i}"), state);
    }
    let definition = json!({"StartAt": "S0", "States": map}).to_string();
    let body = json!({"name": name, "definition": definition, "roleArn": "arn:aws:iam::123456789012:role/bench"});
    Ok(call(endpoint, "CreateStateMachine", &body)?["stateMachineArn"].as_str().unwrap_or_default().to_owned())
}

fn wait_done(endpoint: &str, arn: &str, pause: Duration) -> Result<()> {
    loop {
        let d = call(endpoint, "DescribeExecution", &json!({"executionArn": arn}))?;
        match d["status"].as_str() {
            Some("RUNNING") => std::thread::sleep(pause),
            Some("SUCCEEDED") => return Ok(()),
            other => bail!("execution ended {other:?}"),
        }
    }
}

/// Runs the benchmark and prints its numbers.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("stepwise-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let endpoint = runtime.block_on(async {
        let store = RedbStore::open(&dir).context("opening the bench store")?;
        let engine = Arc::new(Engine::new(
            store,
            LocalQueue::new(1.0),
            JsonLinesSink::discard(),
            TaskPort::lambda(None),
            SystemClock,
            Config { steps_per_message: super::serve::STEPS_PER_MESSAGE, ..Config::new("us-east-1", "123456789012") },
        ));
        spawn_workers(engine.clone(), args.workers);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        tokio::spawn(crate::serve::serve(listener, engine));
        Ok::<_, anyhow::Error>(endpoint)
    })?;

    let chain = create(&endpoint, "Chain", args.states)?;
    let started = Instant::now();
    let arns: Vec<String> = (0..args.executions)
        .map(|i| {
            let body = json!({"stateMachineArn": chain, "name": format!("t{i}")});
            Ok(call(&endpoint, "StartExecution", &body)?["executionArn"].as_str().unwrap_or_default().to_owned())
        })
        .collect::<Result<_>>()?;
    for arn in &arns {
        wait_done(&endpoint, arn, Duration::from_millis(5))?;
    }
    let elapsed = started.elapsed();
    // Each execution: one transition per state, plus its start and end.
    let transitions = (args.executions * (args.states + 2)) as f64;
    println!(
        "throughput: {} executions x {} Pass states = {} durable transitions in {:.2} s: {:.0} transitions/s",
        args.executions,
        args.states,
        transitions,
        elapsed.as_secs_f64(),
        transitions / elapsed.as_secs_f64()
    );

    let single = create(&endpoint, "Single", 1)?;
    let mut latencies = Vec::with_capacity(args.latency_runs);
    for i in 0..args.latency_runs {
        let t = Instant::now();
        let body = json!({"stateMachineArn": single, "name": format!("l{i}")});
        let arn = call(&endpoint, "StartExecution", &body)?["executionArn"].as_str().unwrap_or_default().to_owned();
        wait_done(&endpoint, &arn, Duration::from_micros(100))?;
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "latency: StartExecution to SUCCEEDED of a one-state machine over loopback, {} runs: median {:.2} ms, p90 {:.2} ms, p99 {:.2} ms",
        latencies.len(),
        at(0.5),
        at(0.9),
        at(0.99)
    );
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}
