//! Whole executions in-process (interpreter plus scheduler, virtual clock):
//! a Map over 10,000 items and a Parallel of 10 branches.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use stepwise::runner::{ExecutionStatus, RunOptions, run};

/// The allocator the `stepwise` binary uses, so the numbers are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn execute(definition: &Value, input: &Value) {
    let report = run(definition, input, &RunOptions::default()).expect("valid definition");
    assert_eq!(report.status, ExecutionStatus::Succeeded);
    black_box(report);
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("runner");
    group.sample_size(10);
    let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let items: Vec<Value> = (0..10_000).map(|i| json!({"n": i})).collect();
    let items = Value::Array(items);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("map_10000_items", |b| b.iter(|| execute(&map, &items)));

    let branches: Vec<Value> = (0..10)
        .map(|i| json!({"StartAt": format!("B{i}"), "States": {format!("B{i}"): {"Type": "Pass", "End": true}}}))
        .collect();
    let parallel = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": branches}}});
    group.throughput(Throughput::Elements(10));
    group.bench_function("parallel_10_branches", |b| b.iter(|| execute(&parallel, &json!({"k": 1}))));
    group.finish();
}

criterion_group!(runner, benches);
criterion_main!(runner);
