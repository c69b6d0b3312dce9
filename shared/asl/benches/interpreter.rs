//! The interpreter alone, one core: Pass transitions per second through
//! `interpret::step`, with history events recorded as the engine would.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use stepwise_asl::interpret::{Env, Event, ExecutionInfo, Next, start_execution, step};
use stepwise_asl::model::StateMachine;
use stepwise_asl::rng::Rng;

fn execution(input: Value) -> ExecutionInfo {
    ExecutionInfo {
        execution_arn: "arn:aws:states:us-east-1:123456789012:execution:bench:e".into(),
        name: "e".into(),
        input,
        input_text: None,
        start_time: 0,
        role_arn: "arn:aws:iam::123456789012:role/r".into(),
        state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:bench".into(),
        state_machine_name: "bench".into(),
        region: "us-east-1".into(),
    }
}

/// Steps a task-free, child-free machine to its end; returns the event count.
fn run(machine: &StateMachine, execution: &ExecutionInfo) -> usize {
    let (mut branch, _) = start_execution(machine, execution, 0);
    let token: fn() -> String = String::new;
    let mut next_event_id = 2;
    loop {
        let mut env = Env { machine, execution, now: 0, next_event_id, rng: Rng::new(1), new_token: token };
        let s = step(&mut branch, Event::Enter, &mut env);
        next_event_id += s.history.len() as i64;
        match s.next {
            Next::Continue => {}
            _ => return next_event_id as usize,
        }
    }
}

fn pass_chain(n: usize) -> StateMachine {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if i + 1 == n {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        };
        states.insert(format!("S{i}"), state);
    }
    stepwise_asl::validate::parse(&json!({"StartAt": "S0", "States": states})).expect("valid")
}

fn pass_choice_loop() -> StateMachine {
    stepwise_asl::validate::parse(&json!({
        "StartAt": "Increment",
        "States": {
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "More?"},
            "More?": {"Type": "Choice",
                      "Choices": [{"Variable": "$.i", "NumericLessThan": 1000, "Next": "Increment"}],
                      "Default": "Done"},
            "Done": {"Type": "Succeed"}
        }
    }))
    .expect("valid")
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("interpreter");
    let chain = pass_chain(1000);
    let input = execution(json!({"order": 42, "items": ["a", "b"]}));
    group.throughput(Throughput::Elements(1000));
    group.bench_function("pass_chain_1000_transitions", |b| b.iter(|| black_box(run(&chain, &input))));
    let looped = pass_choice_loop();
    let zero = execution(json!({"i": 0}));
    group.throughput(Throughput::Elements(2000));
    group.bench_function("pass_choice_loop_2000_transitions", |b| b.iter(|| black_box(run(&looped, &zero))));
    group.finish();
}

criterion_group!(interpreter, benches);
criterion_main!(interpreter);
