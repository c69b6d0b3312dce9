//! Runs the JSONata reference test suite (jsonata-js `test/test-suite`) when
//! `JSONATA_SUITE_DIR` points at a copy of it, and reports the pass rate. The
//! suite is not vendored, so without the variable this test only says so.

use std::path::Path;

use serde_json::Value;
use stepwise_asl::jsonata::{Expression, SeededEffects};

/// Numbers compare as f64 (the suite writes `1` where we may produce `1.0`), objects ignore order.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || ((x - y) / y).abs() < 1e-12
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn run_case(case: &Value, datasets: &Path, dir: &Path) -> Result<(), String> {
    let from_file =
        case.get("expr-file").and_then(Value::as_str).and_then(|f| std::fs::read_to_string(dir.join(f)).ok());
    let expr = case["expr"].as_str().or(from_file.as_deref()).ok_or("no expr")?;
    let code = case.get("code").or_else(|| case.get("error").and_then(|e| e.get("code"))).and_then(Value::as_str);
    let data: Option<Value> = if let Some(d) = case.get("data") {
        Some(d.clone())
    } else if let Some(name) = case.get("dataset").and_then(Value::as_str) {
        let text = std::fs::read_to_string(datasets.join(format!("{name}.json"))).map_err(|e| e.to_string())?;
        Some(serde_json::from_str(&text).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let bindings: serde_json::Map<String, Value> =
        case.get("bindings").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut effects = SeededEffects::new(1_500_000_000_000, 7);
    let outcome = Expression::compile(expr).and_then(|e| e.evaluate(data.as_ref(), &bindings, &mut effects));
    match (outcome, code) {
        (Err(e), Some(code)) if e.code == code => Ok(()),
        (Err(e), Some(code)) => Err(format!("expected {code}, got {e}")),
        (Ok(v), Some(code)) => Err(format!("expected {code}, got {v:?}")),
        (Err(e), None) => Err(format!("error {e}")),
        (Ok(v), None) => {
            if case.get("undefinedResult").and_then(Value::as_bool) == Some(true) {
                return if v.is_none() { Ok(()) } else { Err(format!("expected undefined, got {v:?}")) };
            }
            let Some(expected) = case.get("result") else { return Ok(()) };
            match v {
                Some(v) if same(&v, expected) => Ok(()),
                Some(v) if case.get("unordered").and_then(Value::as_bool) == Some(true) => {
                    let sorted = |x: &Value| {
                        let mut items: Vec<String> =
                            x.as_array().map(|a| a.iter().map(Value::to_string).collect()).unwrap_or_default();
                        items.sort();
                        items
                    };
                    if sorted(&v) == sorted(expected) { Ok(()) } else { Err(format!("got {v}")) }
                }
                v => Err(format!("got {v:?}, expected {expected}")),
            }
        }
    }
}

#[test]
fn reference_suite_pass_rate() {
    let Ok(dir) = std::env::var("JSONATA_SUITE_DIR") else {
        eprintln!("JSONATA_SUITE_DIR not set: the JSONata reference suite was not run");
        return;
    };
    let root = Path::new(&dir);
    let datasets = root.join("datasets");
    let mut groups: Vec<_> = std::fs::read_dir(root.join("groups")).expect("groups dir").flatten().collect();
    groups.sort_by_key(|g| g.file_name());
    let (mut passed, mut total) = (0, 0);
    let mut report = String::new();
    for group in groups {
        let mut files: Vec<_> = std::fs::read_dir(group.path()).expect("group dir").flatten().collect();
        files.sort_by_key(|f| f.file_name());
        for file in files {
            let text = std::fs::read_to_string(file.path()).expect("case file");
            let Ok(parsed) = serde_json::from_str::<Value>(&text) else { continue };
            let cases = match parsed {
                Value::Array(a) => a,
                v => vec![v],
            };
            for case in cases {
                total += 1;
                if std::env::var("JSONATA_SUITE_TRACE").is_ok() {
                    eprintln!("{:?}/{:?}", group.file_name(), file.file_name());
                }
                let outcome = std::panic::catch_unwind(|| run_case(&case, &datasets, &group.path()))
                    .unwrap_or_else(|_| Err("PANIC".to_string()));
                match outcome {
                    Ok(()) => passed += 1,
                    Err(why) => {
                        let name =
                            format!("{}/{}", group.file_name().to_string_lossy(), file.file_name().to_string_lossy());
                        let why: String = why.chars().take(300).collect();
                        report.push_str(&format!(
                            "{name}\t{}\t{why}\n",
                            case["expr"].as_str().unwrap_or_default().replace('\n', " ")
                        ));
                    }
                }
            }
        }
    }
    if let Ok(out) = std::env::var("JSONATA_SUITE_REPORT") {
        std::fs::write(out, &report).expect("write report");
    }
    eprintln!("JSONata reference suite: {passed}/{total} passed");
    assert!(!report.contains("\tPANIC"), "a case panicked:\n{report}");
}
