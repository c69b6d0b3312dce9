//! JSONata: compile time against evaluation time for typical Step Functions
//! expressions, one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use stepwise_asl::jsonata::{Expression, SeededEffects};

const FILTER_MAP: &str = r#"$states.input.items[price > 10].{"id": id, "total": price * qty}"#;
const AGGREGATE: &str = "$sum($states.input.items.(price * qty))";
const FIELD: &str = "$states.input.items[0].id";

fn states(n: usize) -> Value {
    let items: Vec<Value> =
        (0..n).map(|i| json!({"id": format!("item-{i}"), "price": (i % 20) as f64 + 0.5, "qty": i % 7})).collect();
    json!({"input": {"items": items}, "context": {"Execution": {"Id": "e"}}})
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("jsonata");
    group.bench_function("compile_filter_map", |b| b.iter(|| Expression::compile(black_box(FILTER_MAP)).unwrap()));
    let states = states(100);
    let mut effects = SeededEffects::new(0, 1);
    for (name, source) in [("filter_map_100", FILTER_MAP), ("sum_100", AGGREGATE), ("field", FIELD)] {
        let expr = Expression::compile(source).unwrap();
        let bindings = [("states", &states)];
        group.throughput(Throughput::Elements(if name == "field" { 1 } else { 100 }));
        group.bench_function(name, |b| {
            b.iter(|| expr.evaluate(None, black_box(&bindings), &mut effects).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
