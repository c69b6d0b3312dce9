//! Properties: no input makes the ASL core panic. Definitions (text and
//! definition-shaped JSON) go through the validator, definitions that parse
//! run through the interpreter, and paths and intrinsic calls are parsed and
//! evaluated on arbitrary values.
//!
//! AWS: a bad definition is `InvalidDefinition` and a bad input a
//! `States.*` failure, never a crash ("Error handling in Step Functions",
//! <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>).
//! Case counts are kept small so the file runs in seconds in debug builds;
//! `PROPTEST_CASES` raises them all.

mod common;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use stepwise_asl::error::Failure;
use stepwise_asl::intrinsics::Intrinsic;
use stepwise_asl::path::Path;
use stepwise_asl::rng::Rng;
use stepwise_asl::validate::{parse, parse_text};

/// Strings the grammar cares about: paths, intrinsic calls, timestamps,
/// error names and ARNs.
const WORDS: &[&str] = &[
    "",
    "a",
    "$",
    "$$",
    "$.a",
    "$.b[0]",
    "$.a[*]",
    "$..a",
    "$.a[1:3]",
    "$.a[?(@.b > 1)]",
    "$$.Map.Item.Value",
    "$$.Map.Item.Index",
    "$$.Execution.Input",
    "$$.Task.Token",
    "$$.State.RetryCount",
    "States.Format('{} and {}', $.a, $.b)",
    "States.Array($.a, 1, 'x')",
    "States.StringToJson($.s)",
    "States.JsonToString($)",
    "States.ArrayRange(0, 10, 2)",
    "States.MathAdd($.n, 1)",
    "States.UUID()",
    "2016-03-14T01:59:00Z",
    "2016-03-05T21:29:29.243167252Z",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00+01:00",
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.Runtime",
    "Error",
    "arn:aws:lambda:us-east-1:123456789012:function:F",
    "arn:aws:states:::lambda:invoke",
];

/// Object keys for generated values.
const KEYS: &[&str] = &["a", "b", "s", "n", "items", "Error", "Cause", "x.$", "Values", "detail"];

/// Error names a generated task fails with.
const ERRORS: &[&str] = &["E", "States.Timeout", "States.TaskFailed", "States.Runtime", "States.HeartbeatTimeout", ""];

/// Field values that read the input: a path, a context path or an intrinsic call.
const DYNAMIC: &[&str] = &[
    "$",
    "$.a",
    "$.items",
    "$.b[0]",
    "$..a",
    "$.a[*]",
    "$$.Map.Item.Value",
    "$$.Execution.Input",
    "$$.Task.Token",
    "States.Format('{}', $.a)",
    "States.Array($.a)",
    "States.JsonMerge($.a, $.b, false)",
];

fn word() -> BoxedStrategy<String> {
    prop_oneof![4 => prop::sample::select(WORDS).prop_map(str::to_owned), 1 => ".{0,12}"].boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..20).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        word().prop_map(Value::from),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep.
fn json_value() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
        .boxed()
}

fn dynamic() -> BoxedStrategy<Value> {
    prop::sample::select(DYNAMIC).prop_map(Value::from).boxed()
}

/// A payload template: static values and `.$` keys with paths or calls.
fn template() -> BoxedStrategy<Value> {
    let entry = prop_oneof![
        (prop::sample::select(KEYS), leaf()).prop_map(|(k, v)| (k.trim_end_matches(".$").to_owned(), v)),
        (prop::sample::select(KEYS), dynamic()).prop_map(|(k, v)| (format!("{}.$", k.trim_end_matches(".$")), v)),
    ];
    prop::collection::vec(entry, 0..4).prop_map(|kv| Value::Object(kv.into_iter().collect())).boxed()
}

/// Reference paths for InputPath, ResultPath and OutputPath.
const PATHS: &[&str] = &["$", "$.a", "$.b", "$.items", "$.a.b", "$.b[0]"];

fn path_or_null() -> BoxedStrategy<Value> {
    prop_oneof![3 => prop::sample::select(PATHS).prop_map(Value::from), 1 => Just(Value::Null)].boxed()
}

fn seconds() -> BoxedStrategy<Value> {
    prop_oneof![(0u64..5).prop_map(Value::from), Just(json!(99_999_999)), Just(json!(1.5))].boxed()
}

/// A Task's TimeoutSeconds: valid mostly.
fn timeout() -> BoxedStrategy<Value> {
    prop_oneof![8 => (1u64..5).prop_map(Value::from), 1 => Just(json!(0)), 1 => Just(json!(1.5))].boxed()
}

fn retrier() -> BoxedStrategy<Value> {
    let names = prop::sample::subsequence(ERRORS, 1..3);
    (
        names,
        prop::option::of(1u64..3),
        prop::option::of(0u64..4),
        prop::option::of(1.0f64..3.0),
        prop::option::of(1u64..5),
        any::<bool>(),
    )
        .prop_map(|(errors, interval, attempts, backoff, max_delay, jitter)| {
            let mut r = json!({"ErrorEquals": errors});
            if let Some(i) = interval {
                r["IntervalSeconds"] = json!(i);
            }
            if let Some(a) = attempts {
                r["MaxAttempts"] = json!(a);
            }
            if let Some(b) = backoff {
                r["BackoffRate"] = json!(b);
            }
            if let Some(m) = max_delay {
                r["MaxDelaySeconds"] = json!(m);
            }
            if jitter {
                r["JitterStrategy"] = json!("FULL");
            }
            r
        })
        .boxed()
}

/// A Choice rule, possibly nested in And/Or/Not.
fn condition() -> BoxedStrategy<Value> {
    // Each operator with a JSON value it takes.
    const OPERATORS: &[(&str, &str)] = &[
        ("StringEquals", r#""a""#),
        ("StringLessThan", r#""b""#),
        ("StringMatches", r#""a*""#),
        ("NumericEquals", r#"1"#),
        ("NumericGreaterThanEquals", r#"0.5"#),
        ("BooleanEquals", r#"true"#),
        ("TimestampLessThan", r#""2016-03-14T01:59:00Z""#),
        ("IsPresent", r#"true"#),
        ("IsNull", r#"false"#),
        ("IsNumeric", r#"true"#),
        ("IsString", r#"true"#),
        ("NumericEqualsPath", r#""$.n""#),
        ("StringEqualsPath", r#""$$.Execution.Name""#),
    ];
    let variable = prop::sample::select(&["$.a", "$.n", "$.s", "$.b[0]", "$$.Execution.Input.a"][..]);
    let rule = (variable, prop::sample::select(OPERATORS)).prop_map(
        |(var, (op, value))| json!({"Variable": var, *op: serde_json::from_str::<Value>(value).unwrap_or_default()}),
    );
    rule.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"And": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"Or": v})),
            inner.prop_map(|v| json!({"Not": v})),
        ]
    })
    .boxed()
}

/// A state without its transition, plus how it moves on: `None` for a
/// terminal state, `Some(jump)` for one that goes to the next state or jumps.
type StateSpec = (Map<String, Value>, Option<Option<usize>>);

fn fields(entries: Vec<(&str, Option<Value>)>) -> Map<String, Value> {
    entries.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect()
}

/// A one-catcher `Catch` list from its errors, target index and ResultPath.
fn catcher((errors, to, result_path): (Vec<&str>, usize, Value)) -> Value {
    json!([{"ErrorEquals": errors, "Next": format!("S{to}"), "ResultPath": result_path}])
}

/// A state of any type; Parallel and Map hold whole nested definitions.
fn state(depth: u32) -> BoxedStrategy<StateSpec> {
    let jump = || prop::option::weighted(0.15, 0usize..6);
    let io = || {
        (
            prop::option::weighted(0.2, path_or_null()),
            prop::option::weighted(0.3, template()),
            prop::option::weighted(0.3, path_or_null()),
            prop::option::weighted(0.2, path_or_null()),
        )
    };
    let pass = (io(), prop::option::weighted(0.3, json_value()), jump())
        .prop_map(|((i, p, r, o), result, j)| {
            let f = fields(vec![
                ("Type", Some(json!("Pass"))),
                ("InputPath", i),
                ("Parameters", p),
                ("ResultPath", r),
                ("OutputPath", o),
                ("Result", result),
            ]);
            (f, Some(j))
        })
        .boxed();
    let resources = prop::sample::select(
        &[
            "arn:aws:lambda:us-east-1:123456789012:function:F",
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:us-east-1:123456789012:activity:A",
            "arn:aws:states:::glue:startJobRun.sync",
            "arn:aws:states:::aws-sdk:s3:listBuckets",
        ][..],
    );
    let handling = || {
        (
            prop::option::weighted(0.4, prop::collection::vec(retrier(), 1..3).prop_map(Value::Array)),
            prop::option::weighted(0.4, (prop::sample::subsequence(ERRORS, 1..3), 0usize..6, path_or_null())),
        )
    };
    let task = (
        io(),
        resources,
        prop::option::weighted(0.3, template()),
        handling(),
        prop::option::weighted(0.3, timeout()),
        prop::option::weighted(0.2, Just(json!("$.n"))),
        jump(),
    )
        .prop_map(|((i, p, r, o), resource, selector, (retry, catch), timeout, timeout_path, j)| {
            let catch = catch.map(catcher);
            let f = fields(vec![
                ("Type", Some(json!("Task"))),
                ("Resource", Some(json!(resource))),
                ("InputPath", i),
                ("Parameters", p),
                ("ResultPath", r),
                ("OutputPath", o),
                ("ResultSelector", selector),
                ("Retry", retry),
                ("Catch", catch),
                ("TimeoutSeconds", timeout),
                ("HeartbeatSecondsPath", timeout_path),
            ]);
            (f, Some(j))
        })
        .boxed();
    let choice = (
        prop::collection::vec((condition(), 0usize..6), 1..3),
        prop::option::of(0usize..6),
        prop::option::weighted(0.2, path_or_null()),
    )
        .prop_map(|(rules, default, input_path)| {
            let choices: Vec<Value> = rules
                .into_iter()
                .map(|(mut rule, to)| {
                    rule["Next"] = json!(format!("S{to}"));
                    rule
                })
                .collect();
            let default = default.map(|d| json!(format!("S{d}")));
            (
                fields(vec![
                    ("Type", Some(json!("Choice"))),
                    ("Choices", Some(json!(choices))),
                    ("Default", default),
                    ("InputPath", input_path),
                ]),
                None,
            )
        })
        .boxed();
    let wait = (
        prop_oneof![
            seconds().prop_map(|s| ("Seconds", s)),
            prop::sample::select(
                &["2016-03-14T01:59:00Z", "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z"][..]
            )
            .prop_map(|t| ("Timestamp", json!(t))),
            Just(("SecondsPath", json!("$.n"))),
            Just(("TimestampPath", json!("$.s"))),
        ],
        jump(),
    )
        .prop_map(|((k, v), j)| (fields(vec![("Type", Some(json!("Wait"))), (k, Some(v))]), Some(j)))
        .boxed();
    let succeed = Just((fields(vec![("Type", Some(json!("Succeed")))]), None));
    let fail = (prop::option::of(word()), prop::option::of(word()), any::<bool>())
        .prop_map(|(e, c, by_path)| {
            let (ek, ck) = if by_path { ("ErrorPath", "CausePath") } else { ("Error", "Cause") };
            let value = |s: Option<String>| {
                s.map(|s| {
                    if by_path && !s.starts_with('$') && !s.starts_with("States.") {
                        json!("$.Error")
                    } else {
                        json!(s)
                    }
                })
            };
            (fields(vec![("Type", Some(json!("Fail"))), (ek, value(e)), (ck, value(c))]), None)
        })
        .boxed();
    let leaves = prop_oneof![3 => pass, 3 => task, 2 => choice, 1 => wait, 1 => succeed, 1 => fail];
    if depth == 0 {
        return leaves.boxed();
    }
    let nested = || definition(depth - 1);
    let parallel = (prop::collection::vec(nested(), 1..3), io(), handling(), jump())
        .prop_map(|(branches, (i, p, r, o), (retry, catch), j)| {
            let catch = catch.map(catcher);
            let f = fields(vec![
                ("Type", Some(json!("Parallel"))),
                ("Branches", Some(json!(branches))),
                ("InputPath", i),
                ("Parameters", p),
                ("ResultPath", r),
                ("OutputPath", o),
                ("Retry", retry),
                ("Catch", catch),
            ]);
            (f, Some(j))
        })
        .boxed();
    let map = (
        nested(),
        any::<bool>(),
        prop::option::weighted(0.5, prop::sample::select(&["$.items", "$.a", "$", "$.Values"][..])),
        prop::option::weighted(0.3, template()),
        prop::option::weighted(0.3, 0u64..3),
        prop::option::weighted(
            0.2,
            prop_oneof![
                Just(("ToleratedFailureCount", json!(1))),
                Just(("ToleratedFailurePercentage", json!(50))),
                Just(("MaxConcurrencyPath", json!("$.n")))
            ],
        ),
        any::<bool>(),
        jump(),
    )
        .prop_map(|(processor, legacy, items_path, selector, concurrency, extra, distributed, j)| {
            let mut processor = processor;
            if distributed {
                processor["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
            }
            let (processor_key, selector_key) =
                if legacy { ("Iterator", "Parameters") } else { ("ItemProcessor", "ItemSelector") };
            let mut f = fields(vec![
                ("Type", Some(json!("Map"))),
                (processor_key, Some(processor)),
                ("ItemsPath", items_path.map(Value::from)),
                (selector_key, selector),
                ("MaxConcurrency", concurrency.map(Value::from)),
            ]);
            if let Some((k, v)) = extra {
                f.insert(k.to_owned(), v);
            }
            (f, Some(j))
        })
        .boxed();
    prop_oneof![6 => leaves, 1 => parallel, 1 => map].boxed()
}

/// A definition of states `S0`..`Sn`, each going on to the next one unless
/// it jumps (a Choice's first rule goes on), Succeed and Fail states last;
/// the last state ends.
fn definition(depth: u32) -> BoxedStrategy<Value> {
    prop::collection::vec(state(depth), 1..5)
        .prop_map(|mut specs| {
            specs.sort_by_key(|(f, _)| matches!(f["Type"].as_str(), Some("Succeed" | "Fail")));
            if specs.last().is_some_and(|(f, _)| f["Type"] == "Choice") {
                specs.push((fields(vec![("Type", Some(json!("Succeed")))]), None));
            }
            let n = specs.len();
            let mut states = Map::new();
            for (i, (mut f, transition)) in specs.into_iter().enumerate() {
                let on = format!("S{}", i + 1);
                match transition {
                    Some(_) if i + 1 == n => {
                        f.insert("End".into(), json!(true));
                    }
                    Some(jump) => {
                        f.insert("Next".into(), json!(jump.map_or(on, |j| format!("S{j}"))));
                    }
                    None if i + 1 < n => {
                        if let Some(rule) = f.get_mut("Choices").and_then(|c| c.get_mut(0)) {
                            rule["Next"] = json!(on);
                        }
                    }
                    None => {}
                }
                states.insert(format!("S{i}"), Value::Object(f));
            }
            json!({"StartAt": "S0", "States": states})
        })
        .boxed()
}

/// A generated definition whose state names are unique across all its
/// scopes, as AWS requires, with every target inside its scope.
fn machine_definition() -> BoxedStrategy<Value> {
    definition(2)
        .prop_map(|mut d| {
            uniquify(&mut d, &mut 0);
            d
        })
        .boxed()
}

/// Renames scope number `counter`'s states `S<k>` to `B<counter>_S<k>`
/// (the top level keeps `S<k>`), pointing a target `S<k>` past the scope's
/// last state at `S<k mod n>`; then does the same in nested scopes.
fn uniquify(scope: &mut Value, counter: &mut usize) {
    let prefix = if *counter == 0 { String::new() } else { format!("B{counter}_") };
    *counter += 1;
    let Some(Value::Object(states)) = scope.get_mut("States").map(std::mem::take) else { return };
    let n = states.len().max(1);
    let rename = |v: &mut Value| {
        let index = v.as_str().and_then(|s| s.strip_prefix('S')).and_then(|k| k.parse::<usize>().ok());
        if let Some(k) = index {
            *v = json!(format!("{prefix}S{}", k % n));
        }
    };
    rename(&mut scope["StartAt"]);
    let mut renamed = Map::new();
    for (name, mut state) in states {
        let mut key = json!(name);
        rename(&mut key);
        for field in ["Next", "Default"] {
            if let Some(v) = state.get_mut(field) {
                rename(v);
            }
        }
        for list in ["Choices", "Catch"] {
            if let Some(Value::Array(entries)) = state.get_mut(list) {
                entries.iter_mut().filter_map(|e| e.get_mut("Next")).for_each(rename);
            }
        }
        if let Some(Value::Array(branches)) = state.get_mut("Branches") {
            branches.iter_mut().for_each(|b| uniquify(b, counter));
        }
        for processor in ["ItemProcessor", "Iterator"] {
            if let Some(p) = state.get_mut(processor) {
                uniquify(p, counter);
            }
        }
        renamed.insert(key.as_str().unwrap_or_default().to_owned(), state);
    }
    scope["States"] = Value::Object(renamed);
}

/// Replaces the `index`-th node (depth first, modulo the count) with `value`.
fn replace_node(target: &mut Value, index: usize, value: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, left: &mut usize, value: &mut Option<Value>) {
        if *left == 0 {
            if let Some(new) = value.take() {
                *v = new;
            }
            return;
        }
        *left -= 1;
        let children: Vec<&mut Value> = match v {
            Value::Array(a) => a.iter_mut().collect(),
            Value::Object(o) => o.values_mut().collect(),
            _ => Vec::new(),
        };
        for child in children {
            walk(child, left, value);
        }
    }
    let mut left = index % count(target);
    walk(target, &mut left, &mut Some(value));
}

/// A definition with a few nodes replaced by arbitrary JSON.
fn mutated_definition() -> BoxedStrategy<Value> {
    (machine_definition(), prop::collection::vec((any::<usize>(), json_value()), 0..3))
        .prop_map(|(mut d, edits)| {
            for (index, value) in edits {
                replace_node(&mut d, index, value);
            }
            d
        })
        .boxed()
}

/// A path built from the grammar's pieces.
fn path_text() -> BoxedStrategy<String> {
    const PIECES: &[&str] = &[
        ".a",
        ".b",
        "['a']",
        "['x y']",
        "[0]",
        "[-1]",
        "[2]",
        "[*]",
        ".*",
        "[1:3]",
        "[::2]",
        "[-2:]",
        "[3:1:-1]",
        "[0:10:0]",
        "..a",
        "..*",
        "..[0]",
        "['a','b']",
        "[0,1]",
        "[?(@.a > 1)]",
        "[?(@.b == 'x')]",
        "[?(@.a && !@.b)]",
        "[?(@.a < $.n || @ == null)]",
        "[?(@.a)]",
        ".",
        "[",
        "]",
        "'",
        "(",
        "?",
    ];
    (prop::sample::select(&["$", "$$", "$", "$x"][..]), prop::collection::vec(prop::sample::select(PIECES), 0..6))
        .prop_map(|(root, pieces)| format!("{root}{}", pieces.concat()))
        .boxed()
}

/// An intrinsic call built from the real function names and argument kinds.
fn intrinsic_text() -> BoxedStrategy<String> {
    const NAMES: &[&str] = &[
        "States.Format",
        "States.StringToJson",
        "States.JsonToString",
        "States.Array",
        "States.ArrayPartition",
        "States.ArrayContains",
        "States.ArrayRange",
        "States.ArrayGetItem",
        "States.ArrayLength",
        "States.ArrayUnique",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.JsonMerge",
        "States.MathRandom",
        "States.MathAdd",
        "States.StringSplit",
        "States.UUID",
        "States.Nope",
    ];
    const ARGS: &[&str] = &[
        "'a'",
        "'{}'",
        "'{} {}'",
        "'\\{\\}'",
        "'SHA-256'",
        "'MD5'",
        "','",
        "''",
        "0",
        "1",
        "-1",
        "2.5",
        "1e3",
        "999999999999",
        "true",
        "null",
        "$",
        "$.a",
        "$.n",
        "$.s",
        "$.items",
        "$$.Execution.Input",
        "$.a[*]",
    ];
    let arg = prop::sample::select(ARGS).prop_map(str::to_owned);
    arg.prop_recursive(3, 12, 4, |inner| {
        (prop::sample::select(NAMES), prop::collection::vec(inner, 0..4))
            .prop_map(|(name, args)| format!("{name}({})", args.join(", ")))
    })
    .boxed()
}

/// A context object like the interpreter's, with a Map item and a token.
fn context(input: &Value) -> Value {
    json!({
        "Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e", "Input": input, "Name": "e",
            "RoleArn": "arn:aws:iam::123456789012:role/r", "StartTime": "2019-03-26T20:14:13.192Z"},
        "State": {"Name": "S", "EnteredTime": "2019-03-26T20:14:13.192Z", "RetryCount": 0},
        "StateMachine": {"Id": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "Name": "M"},
        "Task": {"Token": "token"},
        "Map": {"Item": {"Index": 0, "Value": input}},
    })
}

/// How generated tasks answer, in turn: a result or a failure.
fn answers() -> BoxedStrategy<Vec<Result<Value, Failure>>> {
    let answer = prop_oneof![
        json_value().prop_map(Ok),
        (prop::sample::select(ERRORS), prop::option::of(word()))
            .prop_map(|(e, c)| Err(Failure { error: e.to_owned(), cause: c })),
    ];
    prop::collection::vec(answer, 1..4).boxed()
}

/// An input with the fields generated definitions read.
fn input() -> BoxedStrategy<Value> {
    prop_oneof![
        json_value(),
        (json_value(), prop::collection::vec(json_value(), 0..4), -2i64..4, prop::sample::select(WORDS)).prop_map(
            |(a, items, n, s)| {
                json!({"a": a, "b": [a], "items": items, "Values": items, "n": n, "s": s, "Error": s, "Cause": s})
            }
        ),
    ]
    .boxed()
}

/// `default` cases, or `PROPTEST_CASES` when set.
fn cases(default: u32) -> ProptestConfig {
    let env = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok());
    ProptestConfig::with_cases(env.unwrap_or(default))
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn parse_text_never_panics_on_any_text(text in ".{0,200}") {
        let _ = parse_text(&text);
    }

    #[test]
    fn parse_text_never_panics_on_definition_like_text(definition in mutated_definition(), yaml in any::<bool>()) {
        let text = if yaml {
            serde_yaml::to_string(&definition).unwrap_or_default()
        } else {
            definition.to_string()
        };
        let _ = parse_text(&text);
        let _ = parse(&definition);
    }

    #[test]
    fn paths_never_panic(text in prop_oneof![path_text(), ".{0,24}".prop_map(|s| format!("${s}"))], input in json_value(), value in json_value()) {
        if let Ok(path) = Path::parse(&text) {
            let ctx = context(&input);
            let _ = path.select(&input, &ctx);
            let _ = path.explain_missing(&input, &ctx);
            let mut target = input.clone();
            let _ = path.write(&mut target, value);
            prop_assert_eq!(path.as_str(), text.as_str());
        }
    }

    #[test]
    fn intrinsics_never_panic(text in prop_oneof![3 => intrinsic_text(), 1 => ".{0,40}"], input in input(), seed in any::<u64>()) {
        if let Ok(call) = Intrinsic::parse(&text) {
            let _ = call.eval(&input, &context(&input), &mut Rng::new(seed));
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn parsed_definitions_run_without_panicking(def in machine_definition(), input in input(), answers in answers()) {
        if let Ok(machine) = parse(&def) {
            let mut turn = 0;
            let run = common::run_machine(&machine, input, 10_000, |_| {
                turn += 1;
                answers[turn % answers.len()].clone()
            });
            prop_assert!(run.steps <= 10_000);
            prop_assert!(run.outcome.is_some());
        }
    }
}

// Found by the `jsonpath` fuzz target: in a bracket union, a name after a
// comma that is not quoted makes the parser take its first character for a
// quote and step one byte into it; a multi-byte character then panics. It
// should be a syntax error (INVALID_JSON_PATH in a definition).
#[test]
fn bracket_union_with_an_unquoted_multibyte_name_is_a_syntax_error() {
    assert!(Path::parse("$['a',é]").is_err());
    assert!(Path::parse("$['T',Ռ,'").is_err());
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$['a',é]", "End": true}}});
    assert!(parse(&definition).is_err());
}
