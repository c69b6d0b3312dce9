//! Choice Rule tests. Expected values come from the AWS Developer Guide
//! ("Choice workflow state",
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>,
//! read 2026-11) and from runs recorded on AWS in
//! `shared/conformance/cases/choice_operators` (recorded 2023-06-22), cited
//! as "recorded".

use super::*;
use crate::validate::Diagnostic;
use proptest::prelude::*;
use serde_json::Map;
use serde_json::json;

const MISSING: &str = "The choice state's condition path references an invalid value.";

fn parse(choices: Value) -> (Vec<ChoiceRule>, Vec<Diagnostic>) {
    let state = json!({"Type": "Choice", "Choices": choices});
    let mut diagnostics = Vec::new();
    let state = state.as_object().expect("an object literal");
    let rules = parse_choices(state, "/States/C", &mut diagnostics);
    (rules, diagnostics)
}

/// Evaluates one top-level rule (given without `Next`) on `input`; the
/// context object holds the input as `$$.Execution.Input`.
fn eval(mut rule: Value, input: &Value) -> Result<bool, Failure> {
    rule["Next"] = json!("Next");
    let (rules, diagnostics) = parse(json!([rule]));
    assert_eq!(diagnostics, [], "{rule}");
    let context = json!({"Execution": {"Input": input}});
    rules[0].condition.eval(input, &context)
}

/// `rule, input => Ok(bool) | Err(cause fragment)`, one case a line.
macro_rules! evals {
    ($($rule:tt, $input:tt => $expected:expr;)*) => {$({
        let (rule, input) = (json!($rule), json!($input));
        let expected: Result<bool, &str> = $expected;
        match (eval(rule.clone(), &input), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{rule} on {input}"),
            (Err(got), Err(want)) => {
                assert_eq!(got.error, "States.Runtime", "{rule} on {input}");
                let cause = got.cause.unwrap_or_default();
                assert!(cause.contains(want) && cause.contains(MISSING), "{rule} on {input}: {cause}");
            }
            (got, want) => panic!("{rule} on {input}: got {got:?}, want {want:?}"),
        }
    })*};
}

#[test]
fn numeric_operators_compare_values_and_ignore_other_types() {
    evals! {
        // Recorded: 0 equals 0.0, 1 equals 1.0 through a Path; wrong types are false.
        {"Variable": "$.v", "NumericEquals": 0}, {"v": 0.0} => Ok(true);
        {"Variable": "$.v", "NumericEquals": 0.0}, {"v": 0} => Ok(true);
        {"Variable": "$.v", "NumericEquals": 2.22}, {"v": 2.22} => Ok(true);
        {"Variable": "$.v", "NumericEquals": 1}, {"v": 1.1} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 0}, {"v": null} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 0}, {"v": ""} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 0}, {"v": false} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 1}, {"v": true} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 0}, {"v": [0]} => Ok(false);
        {"Variable": "$.v", "NumericEquals": 0}, {"v": {"A": 0}} => Ok(false);
        {"Variable": "$.v", "NumericEqualsPath": "$.w"}, {"v": 1, "w": 1.0} => Ok(true);
        {"Variable": "$.v", "NumericEqualsPath": "$.w"}, {"v": null, "w": 0} => Ok(false);
        {"Variable": "$.v", "NumericGreaterThan": 0}, {"v": 1} => Ok(true);
        {"Variable": "$.v", "NumericGreaterThan": 0}, {"v": 0.0} => Ok(false);
        {"Variable": "$.v", "NumericGreaterThanEquals": 0}, {"v": 0.0} => Ok(true);
        {"Variable": "$.v", "NumericLessThan": 1}, {"v": 0} => Ok(true);
        {"Variable": "$.v", "NumericLessThan": 1}, {"v": 1} => Ok(false);
        {"Variable": "$.v", "NumericLessThanEquals": 0}, {"v": 1} => Ok(false);
        {"Variable": "$.v", "NumericLessThanEqualsPath": "$.w"}, {"v": 0, "w": 1} => Ok(true);
        {"Variable": "$.v", "NumericGreaterThanEqualsPath": "$.w"}, {"v": 0, "w": 1} => Ok(false);
    }
}

#[test]
fn string_operators_compare_exactly() {
    evals! {
        // Recorded.
        {"Variable": "$.v", "StringEquals": "     "}, {"v": " "} => Ok(false);
        {"Variable": "$.v", "StringEquals": "\t\r\n"}, {"v": "\t\n"} => Ok(false);
        {"Variable": "$.v", "StringEquals": "HelloWorld"}, {"v": 1.1} => Ok(false);
        {"Variable": "$.v", "StringEquals": "HelloWorld"}, {"v": "HelloWorld"} => Ok(true);
        {"Variable": "$.v", "StringEqualsPath": "$.w"}, {"v": "\t\n", "w": "\t\r\n"} => Ok(false);
        {"Variable": "$.v", "StringLessThan": "AB"}, {"v": "A"} => Ok(true);
        {"Variable": "$.v", "StringLessThan": ""}, {"v": ""} => Ok(false);
        {"Variable": "$.v", "StringGreaterThan": "ABC"}, {"v": "AB"} => Ok(false);
        {"Variable": "$.v", "StringGreaterThan": "A\t\n\r"}, {"v": "A"} => Ok(false);
        {"Variable": "$.v", "StringGreaterThanEquals": "A"}, {"v": "AB"} => Ok(true);
        {"Variable": "$.v", "StringLessThanEquals": ""}, {"v": ""} => Ok(true);
        {"Variable": "$.v", "StringLessThanEqualsPath": "$.w"}, {"v": "AB", "w": "A"} => Ok(false);
        {"Variable": "$.v", "StringGreaterThanPath": "$.w"}, {"v": "A", "w": "A "} => Ok(false);
        {"Variable": "$.v", "StringGreaterThanEqualsPath": "$.w"}, {"v": "A", "w": "AB"} => Ok(false);
        // The AWS page's StringMatches example.
        {"Variable": "$.v", "StringMatches": "log-*.txt"}, {"v": "log-2020-12-31.txt"} => Ok(true);
        {"Variable": "$.v", "StringMatches": "log-*.txt"}, {"v": "log.txt"} => Ok(false);
        {"Variable": "$.v", "StringMatches": "*"}, {"v": 1} => Ok(false);
    }
}

#[test]
fn boolean_and_timestamp_operators() {
    evals! {
        // Recorded.
        {"Variable": "$.v", "BooleanEquals": true}, {"v": true} => Ok(true);
        {"Variable": "$.v", "BooleanEquals": false}, {"v": false} => Ok(true);
        {"Variable": "$.v", "BooleanEquals": true}, {"v": false} => Ok(false);
        {"Variable": "$.v", "BooleanEquals": true}, {"v": 1} => Ok(false);
        {"Variable": "$.v", "BooleanEquals": false}, {"v": ""} => Ok(false);
        {"Variable": "$.v", "BooleanEquals": false}, {"v": null} => Ok(false);
        {"Variable": "$.v", "BooleanEqualsPath": "$.w"}, {"v": false, "w": false} => Ok(true);
        {"Variable": "$.v", "BooleanEqualsPath": "$.w"}, {"v": 0, "w": true} => Ok(false);
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}, {"v": "2012-10-09T19:00:55Z"} => Ok(true);
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:56Z"}, {"v": "2012-10-09T19:00:55Z"} => Ok(false);
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}, {"v": "2023-02-24 12:15:56.832957"} => Ok(false);
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}, {"v": null} => Ok(false);
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}, {"v": 0} => Ok(false);
        {"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:56Z"}, {"v": "2012-10-09T19:00:55Z"} => Ok(true);
        {"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:55Z"}, {"v": "2012-10-09T19:00:55Z"} => Ok(false);
        {"Variable": "$.v", "TimestampGreaterThan": "2012-10-09T19:00:55Z"}, {"v": "2012-10-09T19:00:56Z"} => Ok(true);
        {"Variable": "$.v", "TimestampGreaterThanEquals": "2012-10-09T19:00:55Z"}, {"v": "2012-10-09T19:00:56Z"} => Ok(true);
        {"Variable": "$.v", "TimestampLessThanEquals": "2012-10-09T19:00:55Z"}, {"v": "2012-10-09T19:00:56Z"} => Ok(false);
        {"Variable": "$.v", "TimestampLessThanEqualsPath": "$.w"}, {"v": "2012-10-09T19:00:56Z", "w": "2012-10-09T19:00:55Z"} => Ok(false);
        {"Variable": "$.v", "TimestampGreaterThanPath": "$.w"}, {"v": "2012-10-09T19:00:55Z", "w": "2012-10-09T19:00:56Z"} => Ok(false);
        // Offsets denote instants: 19:00:55+01:00 is 18:00:55Z.
        {"Variable": "$.v", "TimestampEquals": "2012-10-09T18:00:55Z"}, {"v": "2012-10-09T19:00:55+01:00"} => Ok(true);
    }
}

#[test]
fn type_tests() {
    evals! {
        // Recorded.
        {"Variable": "$.v", "IsNull": true}, {"v": null} => Ok(true);
        {"Variable": "$.v", "IsNull": false}, {"v": null} => Ok(false);
        {"Variable": "$.v", "IsNull": true}, {"v": {}} => Ok(false);
        {"Variable": "$.v", "IsNull": false}, {"v": false} => Ok(true);
        {"Variable": "$.v", "IsPresent": true}, {"v": null} => Ok(true);
        {"Variable": "$.v", "IsPresent": false}, {"v": []} => Ok(false);
        {"Variable": "$.v", "IsNumeric": true}, {"v": 1.1} => Ok(true);
        {"Variable": "$.v", "IsNumeric": true}, {"v": "2012-10-09T19:00:55Z"} => Ok(false);
        {"Variable": "$.v", "IsNumeric": true}, {"v": true} => Ok(false);
        {"Variable": "$.v", "IsNumeric": false}, {"v": null} => Ok(true);
        {"Variable": "$.v", "IsString": true}, {"v": ""} => Ok(true);
        {"Variable": "$.v", "IsString": true}, {"v": [""]} => Ok(false);
        {"Variable": "$.v", "IsString": false}, {"v": 0.0} => Ok(true);
        {"Variable": "$.v", "IsBoolean": true}, {"v": false} => Ok(true);
        {"Variable": "$.v", "IsBoolean": true}, {"v": 0} => Ok(false);
        {"Variable": "$.v", "IsBoolean": false}, {"v": "HelloWorld"} => Ok(true);
        // AWS page: timestamps need a zone and an uppercase T and Z.
        {"Variable": "$.v", "IsTimestamp": true}, {"v": "2016-08-18T17:33:00Z"} => Ok(true);
        {"Variable": "$.v", "IsTimestamp": true}, {"v": "2012-10-09T19:00:55"} => Ok(false);
        {"Variable": "$.v", "IsTimestamp": true}, {"v": "2023-02-24"} => Ok(false);
        {"Variable": "$.v", "IsTimestamp": false}, {"v": 0} => Ok(true);
        // AWS page: IsPresent is the way to test a path that may be missing.
        {"Variable": "$.v", "IsPresent": false}, {} => Ok(true);
        {"Variable": "$.v", "IsPresent": true}, {} => Ok(false);
        {"Variable": "$.v.w", "IsPresent": true}, {"v": 1} => Ok(false);
    }
}

#[test]
fn missing_paths_fail_with_states_runtime() {
    evals! {
        {"Variable": "$.v", "NumericEquals": 1}, {} => Err("Invalid path '$.v': ");
        {"Variable": "$.v", "IsNull": true}, {} => Err("Invalid path '$.v': ");
        {"Variable": "$.v", "IsString": false}, {} => Err("Invalid path '$.v': ");
        {"Variable": "$.v[3]", "StringEquals": "x"}, {"v": []} => Err("Invalid path '$.v[3]': ");
        {"Variable": "$.v", "NumericEqualsPath": "$.w"}, {"v": 8} => Err("Invalid path '$.w': ");
        {"Variable": "$.v", "StringEqualsPath": "$.w"}, {"v": 1} => Err("Invalid path '$.w': ");
        {"Not": {"Variable": "$.v", "BooleanEquals": true}}, {} => Err("Invalid path '$.v': ");
        {"Not": {"Variable": "$.v", "IsPresent": true}}, {} => Ok(true);
    }
}

#[test]
fn and_or_not_combine_and_stop_early() {
    // The AWS page's example state with input {"type": "Private", "value": 22}
    // goes to ValueInTwenties (also recorded: scenarios/..._CHOICE_STATE_AWS_SCENARIO).
    let input = json!({"type": "Private", "value": 22});
    evals! {
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}}, {"type": "Private", "value": 22} => Ok(false);
        {"Variable": "$.value", "NumericEquals": 0}, {"type": "Private", "value": 22} => Ok(false);
        {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}]}, {"type": "Private", "value": 22} => Ok(true);
        {"Or": [{"Variable": "$.value", "NumericEquals": 0}, {"Variable": "$.type", "StringEquals": "Private"}]}, {"value": 1, "type": "Private"} => Ok(true);
        {"Or": [{"Variable": "$.value", "NumericEquals": 0}, {"Variable": "$.type", "StringEquals": "Public"}]}, {"value": 1, "type": "Private"} => Ok(false);
        {"And": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.a", "NumericEquals": 1}]}, {} => Ok(false);
        {"Or": [{"Variable": "$.a", "IsPresent": false}, {"Variable": "$.a", "NumericEquals": 1}]}, {} => Ok(true);
        {"Not": {"Not": {"Variable": "$.a", "IsNull": true}}}, {"a": null} => Ok(true);
    }
    let (rules, diagnostics) = parse(json!([
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {"And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30}
        ], "Next": "ValueInTwenties"}
    ]));
    assert_eq!(diagnostics, []);
    let chosen = rules.iter().find(|r| r.condition.eval(&input, &json!({})) == Ok(true));
    assert_eq!(chosen.map(|r| r.next.as_str()), Some("ValueInTwenties"));
}

// Recorded: context_object/test_variable compares $$.Execution.Input.input-value.
#[test]
fn variable_can_read_the_context_object() {
    evals! {
        {"Variable": "$$.Execution.Input.input-value", "NumericLessThanEquals": 0}, {"input-value": 0} => Ok(true);
        {"Variable": "$", "StringEquals": "No messages"}, "No messages" => Ok(true);
    }
}

#[test]
fn parses_into_typed_conditions() {
    let (rules, diagnostics) = parse(json!([
        {"Not": {"Variable": "$.type", "StringEquals": "Private", "Comment": "nested comments are allowed"},
         "Next": "Public", "Comment": "so are top-level ones"},
        {"Variable": "$.t", "TimestampLessThanEqualsPath": "$$.State.EnteredTime", "Next": "Early"},
    ]));
    assert_eq!(diagnostics, []);
    let path = |p: &str| Path::parse(p).expect("a valid path");
    let not_private = Condition::Test {
        variable: path("$.type"),
        test: Test::String(Relation::Equals, Operand::Value("Private".to_owned())),
    };
    let early = Condition::Test {
        variable: path("$.t"),
        test: Test::Timestamp(Relation::LessThanEquals, Operand::Path(path("$$.State.EnteredTime"))),
    };
    assert_eq!(
        rules,
        [
            ChoiceRule { condition: Condition::Not(Box::new(not_private)), next: "Public".to_owned() },
            ChoiceRule { condition: early, next: "Early".to_owned() },
        ]
    );
}

/// `choices => [(location, message fragment), ...]`, one case a line.
macro_rules! rejects {
    ($($choices:tt => [$(($at:expr, $message:expr)),*];)*) => {$({
        let choices = json!($choices);
        let (_, diagnostics) = parse(choices.clone());
        let got: Vec<(&str, &str)> = diagnostics.iter().map(|d| (d.location.as_str(), d.message.as_str())).collect();
        let want: &[(&str, &str)] = &[$(($at, $message)),*];
        assert_eq!(got.len(), want.len(), "{choices}: {got:?}");
        for ((at, message), (want_at, want_message)) in got.iter().zip(want) {
            assert!(at == want_at && message.contains(want_message), "{choices}: {got:?}");
        }
        assert!(diagnostics.iter().all(|d| d.code == "SCHEMA_VALIDATION_FAILED"));
    })*};
}

#[test]
fn reports_every_problem_with_its_location() {
    let c = "/States/C/Choices";
    rejects! {
        {} => [(c, "Expected value of type Array")];
        [] => [(c, "non-empty array")];
        [1, "x"] => [("/States/C/Choices[0]", "Object"), ("/States/C/Choices[1]", "Object")];
        [{"Variable": "$.a", "NumericEquals": 1}] => [("/States/C/Choices[0]", "These fields are required: [Next]")];
        [{"Variable": "$.a", "NumericEquals": 1, "Next": 1}] => [("/States/C/Choices[0]/Next", "String")];
        [{"NumericEquals": 1, "Next": "X"}] => [("/States/C/Choices[0]", "These fields are required: [Variable]")];
        [{"Variable": "$.a", "Next": "X"}] => [("/States/C/Choices[0]", "must have a comparison operator")];
        [{"Variable": "$.a", "NumericEquals": 1, "StringEquals": "1", "Next": "X"}] => [("/States/C/Choices[0]", "exactly one comparison operator, found: [NumericEquals, StringEquals]")];
        [{"Variable": "$.a", "NumericEquals": "1", "Next": "X"}] => [("/States/C/Choices[0]/NumericEquals", "Expected value of type Number")];
        [{"Variable": "$.a", "StringEquals": 1, "Next": "X"}] => [("/States/C/Choices[0]/StringEquals", "Expected value of type String")];
        [{"Variable": "$.a", "StringMatches": null, "Next": "X"}] => [("/States/C/Choices[0]/StringMatches", "Expected value of type String")];
        [{"Variable": "$.a", "BooleanEquals": "true", "Next": "X"}] => [("/States/C/Choices[0]/BooleanEquals", "Expected value of type Boolean")];
        [{"Variable": "$.a", "IsPresent": 1, "Next": "X"}] => [("/States/C/Choices[0]/IsPresent", "Expected value of type Boolean")];
        [{"Variable": "$.a", "TimestampEquals": "2016-12-05T21:29:29", "Next": "X"}] => [("/States/C/Choices[0]/TimestampEquals", "must be a valid RFC3339 timestamp")];
        [{"Variable": "$.a", "TimestampEquals": 0, "Next": "X"}] => [("/States/C/Choices[0]/TimestampEquals", "Expected value of type String")];
        [{"Variable": "a", "IsNull": true, "Next": "X"}] => [("/States/C/Choices[0]/Variable", "The value for the field 'Variable' must be a valid JSONPath")];
        [{"Variable": "$..a", "IsNull": true, "Next": "X"}] => [("/States/C/Choices[0]/Variable", "must be a valid ReferencePath")];
        [{"Variable": 1, "IsNull": true, "Next": "X"}] => [("/States/C/Choices[0]/Variable", "Expected value of type String")];
        [{"Variable": "$.a", "StringEqualsPath": "b", "Next": "X"}] => [("/States/C/Choices[0]/StringEqualsPath", "The value for the field 'StringEqualsPath' must be a valid JSONPath")];
        [{"Variable": "$.a", "NumericEqualsPath": "$.b[*]", "Next": "X"}] => [("/States/C/Choices[0]/NumericEqualsPath", "must be a valid ReferencePath")];
        [{"Variable": "$.a", "StringMatchesPath": "$.b", "Next": "X"}] => [("/States/C/Choices[0]/StringMatchesPath", "Field 'StringMatchesPath' is not supported")];
        [{"Variable": "$.a", "IsNull": true, "Foo/~": 1, "Next": "X"}] => [("/States/C/Choices[0]/Foo~1~0", "Field 'Foo/~' is not supported")];
        [{"Condition": "{% true %}", "Next": "X"}] => [("/States/C/Choices[0]/Condition", "Field 'Condition' is not supported")];
        [{"And": [], "Next": "X"}] => [("/States/C/Choices[0]/And", "non-empty array")];
        [{"Or": {}, "Next": "X"}] => [("/States/C/Choices[0]/Or", "Expected value of type Array")];
        [{"Not": [], "Next": "X"}] => [("/States/C/Choices[0]/Not", "Expected value of type Object")];
        [{"And": [{"Variable": "$.a", "IsNull": true, "Next": "X"}], "Next": "X"}] => [("/States/C/Choices[0]/And[0]/Next", "only a top-level Choice Rule")];
        [{"Variable": "$.a", "And": [{"Variable": "$.a", "IsNull": true}], "Next": "X"}] => [("/States/C/Choices[0]/Variable", "Field 'Variable' is not supported with 'And'")];
        [{"Not": {"Variable": "$.a", "StringEquals": 1}, "Next": "X"}] => [("/States/C/Choices[0]/Not/StringEquals", "String")];
        // Several problems, in several rules, are all reported.
        [{"Variable": "$.a", "NumericEquals": "1"}, {"Or": [{"IsNull": 1}, {"Variable": "x", "IsNull": true}], "Next": "X"}] => [
            ("/States/C/Choices[0]", "[Next]"),
            ("/States/C/Choices[0]/NumericEquals", "Number"),
            ("/States/C/Choices[1]/Or[0]", "[Variable]"),
            ("/States/C/Choices[1]/Or[0]/IsNull", "Boolean"),
            ("/States/C/Choices[1]/Or[1]/Variable", "JSONPath")
        ];
    }
    let mut diagnostics = Vec::new();
    parse_choices(&Map::new(), "/States/C", &mut diagnostics);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (diagnostics[0].location.as_str(), diagnostics[0].message.as_str()),
        ("/States/C", "These fields are required: [Choices]")
    );
}

#[test]
fn deep_nesting_is_rejected_not_overflowed() {
    let mut rule = json!({"Variable": "$.a", "IsNull": true});
    for _ in 0..150 {
        rule = json!({ "Not": rule });
    }
    rule["Next"] = json!("X");
    let (rules, diagnostics) = parse(json!([rule]));
    assert!(rules.is_empty());
    assert!(diagnostics.iter().any(|d| d.message.contains("nested more than")));
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringEqualsPath",
    "StringLessThan",
    "StringLessThanPath",
    "StringGreaterThan",
    "StringGreaterThanPath",
    "StringLessThanEquals",
    "StringLessThanEqualsPath",
    "StringGreaterThanEquals",
    "StringGreaterThanEqualsPath",
    "StringMatches",
    "NumericEquals",
    "NumericEqualsPath",
    "NumericLessThan",
    "NumericLessThanPath",
    "NumericGreaterThan",
    "NumericGreaterThanPath",
    "NumericLessThanEquals",
    "NumericLessThanEqualsPath",
    "NumericGreaterThanEquals",
    "NumericGreaterThanEqualsPath",
    "BooleanEquals",
    "BooleanEqualsPath",
    "TimestampEquals",
    "TimestampEqualsPath",
    "TimestampLessThan",
    "TimestampLessThanPath",
    "TimestampGreaterThan",
    "TimestampGreaterThanPath",
    "TimestampLessThanEquals",
    "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEquals",
    "TimestampGreaterThanEqualsPath",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];
const OTHER_KEYS: &[&str] = &["Variable", "Next", "Comment", "And", "Or", "Not", "a", "b", "Condition"];
const STRINGS: &[&str] = &[
    "$",
    "$.a",
    "$.b",
    "$.a.b",
    "$.a[0]",
    "$$.Execution.Input",
    "$.a[*]",
    "a",
    "",
    "X",
    "2016-03-14T01:59:00Z",
    "2016-03-14T01:59:00+01:00",
    "log-*",
    "\\*",
    "*\\\\*",
];

fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select([OPERATORS, OTHER_KEYS].concat());
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6..1e6f64).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #[test]
    fn parsing_arbitrary_choices_never_panics(choices in json_value(), input in json_value()) {
        let (rules, diagnostics) = parse(choices);
        if diagnostics.is_empty() {
            for rule in rules {
                let _ = rule.condition.eval(&input, &input);
            }
        }
    }

    #[test]
    fn well_formed_rules_evaluate_without_panicking(
        op in prop::sample::select(OPERATORS),
        variable in prop::sample::select(STRINGS),
        operand in json_value(),
        input in json_value(),
    ) {
        let mut rule = json!({"Variable": variable, "Next": "X"});
        rule[op] = operand;
        let (rules, _) = parse(json!([rule]));
        for rule in rules {
            let direct = rule.condition.eval(&input, &input);
            let negated = Condition::Not(Box::new(rule.condition)).eval(&input, &input);
            prop_assert_eq!(direct.map(|b| !b), negated);
        }
    }
}
