use super::*;
use serde_json::json;

fn sel(path: &str, input: Value) -> Result<Value, PathNotFound> {
    Path::parse(path).unwrap().select(&input, &json!({}))
}

#[test]
fn definite_path_selects_one_value() {
    assert_eq!(sel("$.a.b", json!({"a": {"b": 1}})), Ok(json!(1)));
    assert_eq!(sel("$.items[1]", json!({"items": [1, 2]})), Ok(json!(2)));
    assert_eq!(sel("$['a b']", json!({"a b": true})), Ok(json!(true)));
}

#[test]
fn missing_definite_path_is_not_found() {
    assert!(sel("$.items[10]", json!({"items": [1]})).is_err());
}

#[test]
fn indefinite_path_selects_a_list() {
    assert_eq!(sel("$.items[*].k", json!({"items": [{"k": 1}, {"k": 2}]})), Ok(json!([1, 2])));
    assert_eq!(sel("$.items[1:]", json!({"items": [1, 2, 3]})), Ok(json!([2, 3])));
    assert_eq!(sel("$.none[*]", json!({})), Ok(json!([])));
    assert_eq!(sel("$..k", json!({"a": {"k": 1}, "b": [{"k": 2}]})), Ok(json!([1, 2])));
}

// The filter example of "Using JSONPath paths" in the AWS Developer Guide.
#[test]
fn filter_selects_matching_elements() {
    let input = json!({"items": [{"n": 1}, {"n": 5}, {"n": 9}]});
    assert_eq!(sel("$.items[?(@.n > 3)]", input.clone()), Ok(json!([{"n": 5}, {"n": 9}])));
    assert_eq!(sel("$.items[?(@.n == 1 || @.n == 9)].n", input), Ok(json!([1, 9])));
}

#[test]
fn result_path_write_creates_objects() {
    let mut target = json!({"a": 1});
    Path::parse("$.b.c").unwrap().write(&mut target, json!(2)).unwrap();
    assert_eq!(target, json!({"a": 1, "b": {"c": 2}}));
    let mut scalar = json!("text");
    assert!(Path::parse("$.b").unwrap().write(&mut scalar, json!(2)).is_err());
}

#[test]
fn bad_paths_are_syntax_errors() {
    for bad in ["", "a", "$.", "$[", "$.a[?(@.b >)]", "$['x"] {
        assert!(Path::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn deeply_nested_filters_are_an_error_not_a_crash() {
    let text = format!("$[?({}@.a{}]", "(".repeat(100_000), ")".repeat(100_001));
    assert!(Path::parse(&text).is_err());
}

// Recorded by AWS (scenarios/test_escape_sequence_parsing_ESCAPE_SEQUENCES_JSONPATH):
// inside a quoted name only the quote is escaped; other backslashes stay.
#[test]
fn quoted_names_keep_backslashes_that_escape_nothing() {
    assert_eq!(sel(r#"$['Test\""Name"']"#, json!({r#"Test\""Name""#: 1})), Ok(json!(1)));
    assert_eq!(sel(r"$['it\'s']", json!({"it's": 2})), Ok(json!(2)));
}
