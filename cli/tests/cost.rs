//! What a state transition costs on AWS, counted on moto: the engine on
//! the AWS adapters with the stepper's batch handler fed by the in-process
//! event source (ReceiveMessage, the handler, DeleteMessageBatch: what
//! Lambda's SQS event source mapping does), for the console's HelloWorld
//! sample and a 10-state Pass/Choice/Task workflow, at 1 state per message
//! and at the stepper's default. Every AWS request is counted by an SDK
//! interceptor; DynamoDB capacity is computed from item sizes by DynamoDB's
//! rounding (moto reports a fixed number); the price uses the us-east-1 list
//! prices of README "What it costs". Run with `--nocapture` for the table
//! (benchmarks/reports/cost-2026-11-25.md keeps a run).

#[path = "../../shared/aws/tests/support/moto.rs"]
#[allow(dead_code)] // the per-test server is for the other binaries
mod moto;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stepwise::aws::{AwsBackend, connect};
use stepwise_aws::config::local_sdk_config;
use stepwise_aws::{Clients, RequestCounter, Resources};
use stepwise_engine::Config;
use stepwise_engine::memory::FnTasks;
use stepwise_engine::ports::{Page, Store, TaskOutcome};
use stepwise_engine::records::ExecutionStatus;

/// us-east-1 list prices, read 2026-11-25 (README, "What it costs").
mod price {
    /// DynamoDB on demand, per write request unit.
    pub const WRU: f64 = 0.625e-6;
    /// DynamoDB on demand, per read request unit.
    pub const RRU: f64 = 0.125e-6;
    /// SQS standard, per request (64 KB chunk).
    pub const SQS_REQUEST: f64 = 0.40e-6;
    /// Lambda, per request.
    pub const LAMBDA_REQUEST: f64 = 0.20e-6;
    /// Lambda on arm64, per GB-second.
    pub const LAMBDA_ARM_GB_SECOND: f64 = 0.000_013_333_4;
    /// EventBridge, per custom event (64 KB chunk).
    pub const EVENT: f64 = 1.00e-6;
}

/// The stepper's memory in template.yaml (Globals: MemorySize 256).
const LAMBDA_GB: f64 = 0.25;
/// Executions run at once: enough to fill batches the way a busy queue does.
const EXECUTIONS: usize = 10;

fn hello_world() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/hello-world.asl.json")).unwrap()
}

/// Ten states: four Pass, three Choice, three Task (answered in-process:
/// the user's own functions are not Stepwise's cost, as on Step Functions).
fn ten_states() -> String {
    let task = |next: &str| {
        json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
               "ResultPath": "$.last", "Next": next})
    };
    let choice = |next: &str| {
        json!({"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true, "Next": next}],
               "Default": "Stop"})
    };
    json!({"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Result": true, "ResultPath": "$.go", "Next": "Route"},
        "Route": choice("Fetch"),
        "Fetch": task("Shape"),
        "Shape": {"Type": "Pass", "Parameters": {"go.$": "$.go", "shaped": true}, "Next": "Check"},
        "Check": choice("Enrich"),
        "Enrich": task("Merge"),
        "Merge": {"Type": "Pass", "Next": "Decide"},
        "Decide": choice("Store"),
        "Store": task("Done"),
        "Done": {"Type": "Succeed"},
        "Stop": {"Type": "Fail", "Error": "Stopped"}}})
    .to_string()
}

/// What one workload consumed.
#[derive(Debug, Default)]
struct Usage {
    transitions: usize,
    requests: BTreeMap<String, u64>,
    read_units: f64,
    write_units: f64,
    invocations: usize,
    records: usize,
    handler_ms: f64,
}

impl Usage {
    fn per(&self, n: f64) -> f64 {
        n / self.transitions as f64
    }
    fn count(&self, target: &str) -> f64 {
        self.requests.iter().filter(|(k, _)| k.starts_with(target)).map(|(_, v)| *v as f64).sum()
    }
    /// SQS requests billed per transition: sends, deletes, and the receives
    /// that brought messages (an idle poller's empty long polls are a fixed
    /// cost per month, not per transition).
    fn sqs(&self, productive_receives: f64) -> f64 {
        self.count("AmazonSQS.SendMessage") + self.count("AmazonSQS.DeleteMessage") + productive_receives
    }
    /// Dollars per million transitions, and the parts.
    fn price(&self) -> (f64, [(&'static str, f64); 5]) {
        let m = 1e6 / self.transitions as f64;
        let lambda_seconds = self.handler_ms / 1000.0;
        let parts = [
            ("DynamoDB", (self.read_units * price::RRU + self.write_units * price::WRU) * m),
            ("SQS", self.sqs(self.invocations as f64) * price::SQS_REQUEST * m),
            ("Lambda requests", self.invocations as f64 * price::LAMBDA_REQUEST * m),
            ("Lambda duration", lambda_seconds * LAMBDA_GB * price::LAMBDA_ARM_GB_SECOND * m),
            ("EventBridge", self.count("AWSEvents.PutEvents") * price::EVENT * m),
        ];
        (parts.iter().map(|p| p.1).sum(), parts)
    }
}

/// Runs `EXECUTIONS` executions of `definition` to their end on fresh
/// resources, with `steps_per_message` states per step message, and
/// returns what they consumed from StartExecution on.
async fn measure(name: &str, definition: &str, input: Value, steps_per_message: usize) -> Usage {
    let moto = moto::Moto::start();
    let counter = RequestCounter::new();
    let clients = Clients::counted(&local_sdk_config(&moto.endpoint).await, &counter);
    let n = format!("cost-{name}-{steps_per_message}");
    let resources = Resources {
        table: n.clone(),
        queue_name: n.clone(),
        event_bus: format!("{n}-bus"),
        callback_queue_name: format!("{n}-callbacks"),
        ..Resources::default()
    };
    let tasks = FnTasks::new(|request| TaskOutcome::Succeeded(json!({"worked": request.state_name})));
    let config = Config { steps_per_message, ..Config::new("us-east-1", "123456789012") };
    let backend = connect(clients, resources, true, tasks, config).await.expect("the backend connects to moto");
    let backend = AwsBackend { steps: backend.steps.with_wait_seconds(1), ..backend };
    let engine = backend.engine.clone();
    let create = json!({"name": name, "definition": definition, "roleArn": "arn:aws:iam::123456789012:role/r"});
    let created = api(&backend, "CreateStateMachine", create).await;
    let arn = created["stateMachineArn"].as_str().unwrap().to_owned();

    counter.reset();
    let before = engine.store.capacity();
    let mut executions = Vec::new();
    for i in 0..EXECUTIONS {
        let start = json!({"stateMachineArn": arn, "name": format!("e{i}"), "input": input.to_string()});
        executions.push(api(&backend, "StartExecution", start).await["executionArn"].as_str().unwrap().to_owned());
    }
    let usage = Arc::new(Mutex::new(Usage::default()));
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if Instant::now() > deadline {
            let mut running = Vec::new();
            for arn in &executions {
                let e = engine.store.get_execution(arn).await.unwrap().unwrap();
                let (events, _) = engine.store.history(arn, Page { limit: 1000, token: None }, false).await.unwrap();
                let last = events.last().map(|e| e.event_type.to_string());
                running.push(format!("{arn}: {:?} after {last:?}", e.status));
            }
            let attributes = backend.engine.queue.queue_url();
            panic!("{name} did not finish in 90 s (queue {attributes}):\n{}", running.join("\n"));
        }
        let polled = backend
            .steps
            .poll_once(&|event| {
                let (engine, usage) = (engine.clone(), usage.clone());
                async move {
                    let started = Instant::now();
                    let response = stepwise_stepper::handle_batch(&*engine, &event).await;
                    let mut u = usage.lock().unwrap();
                    u.invocations += 1;
                    u.records += event.records.len();
                    u.handler_ms += started.elapsed().as_secs_f64() * 1000.0;
                    response
                }
            })
            .await
            .expect("polling the step queue");
        assert_eq!(polled.failed, 0, "a clean run fails no record");
        if polled.received == 0 && all_ended(&backend, &executions).await {
            break;
        }
    }
    let after = engine.store.capacity();
    let mut usage = Arc::try_unwrap(usage).unwrap().into_inner().unwrap();
    usage.requests = counter.snapshot();
    usage.read_units = after.read_units - before.read_units;
    usage.write_units = (after.write_units + after.index_write_units) - (before.write_units + before.index_write_units);
    for arn in &executions {
        let (events, _) = engine.store.history(arn, Page { limit: 1000, token: None }, false).await.unwrap();
        let done = engine.store.get_execution(arn).await.unwrap().unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded, "{arn}");
        usage.transitions += events.iter().filter(|e| e.event_type.ends_with("StateEntered")).count();
    }
    usage
}

async fn api(backend: &AwsBackend<FnTasks>, action: &str, body: Value) -> Value {
    let target = format!("AWSStepFunctions.{action}");
    let response = stepwise_engine::api::handle(&*backend.engine, &target, body.to_string().as_bytes()).await;
    assert_eq!(response.status, 200, "{action}: {}", String::from_utf8_lossy(&response.body));
    serde_json::from_slice(&response.body).unwrap()
}

async fn all_ended(backend: &AwsBackend<FnTasks>, arns: &[String]) -> bool {
    for arn in arns {
        let e = backend.engine.store.get_execution(arn).await.unwrap().unwrap();
        if e.status == ExecutionStatus::Running {
            return false;
        }
    }
    true
}

fn report(name: &str, n: usize, u: &Usage) -> f64 {
    let (total, parts) = u.price();
    println!("\n{name}, {n} state(s) per message: {} transitions in {EXECUTIONS} executions", u.transitions);
    for (target, count) in &u.requests {
        println!("  {target:<40} {count:>5}  {:>6.2} per transition", u.per(*count as f64));
    }
    println!(
        "  capacity: {:.2} RRU, {:.2} WRU per transition; {} stepper invocations ({:.2} records each, {:.2} per \
         transition), {:.1} ms per invocation on moto",
        u.per(u.read_units),
        u.per(u.write_units),
        u.invocations,
        u.records as f64 / u.invocations as f64,
        u.per(u.invocations as f64),
        u.handler_ms / u.invocations as f64
    );
    let parts: Vec<String> = parts.iter().map(|(k, v)| format!("{k} ${v:.3}")).collect();
    println!("  price per million transitions: ${total:.2} ({})", parts.join(", "));
    total
}

#[tokio::test]
async fn several_states_per_message_cost_less_per_transition_than_one() {
    let default = stepwise_stepper::DEFAULT_STEPS_PER_MESSAGE;
    let workloads =
        [("HelloWorld", hello_world(), json!({"IsHelloWorldExample": true})), ("TenStates", ten_states(), json!({}))];
    for (name, definition, input) in workloads {
        let one = measure(name, &definition, input.clone(), 1).await;
        let many = measure(name, &definition, input, default).await;
        let (price_one, price_many) = (report(name, 1, &one), report(name, default, &many));
        assert_eq!(one.transitions, many.transitions, "the same states are entered either way");
        // Two status changes per execution (RUNNING, SUCCEEDED), one
        // PutEvents each ("Step Functions Execution Status Change" events).
        for u in [&one, &many] {
            assert_eq!(u.count("AWSEvents.PutEvents"), 2.0 * EXECUTIONS as f64);
            // Every step message sent was received once and deleted: a
            // clean run redelivers nothing.
            assert_eq!(u.count("AmazonSQS.SendMessage") as usize, u.records, "{name}");
        }
        assert!(many.count("AmazonSQS.SendMessage") < one.count("AmazonSQS.SendMessage"), "{name}: fewer messages");
        assert!(many.write_units < one.write_units, "{name}: fewer write units");
        assert!(price_many < price_one, "{name}: several states per message cost less");
    }
}
