//! `States.StringToJson`, `States.JsonToString` and `States.JsonMerge`.
//!
//! AWS: "Intrinsics for JSON data manipulation"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-json-manipulate>).

use super::{Function, expect_string, fixed, invalid, type_name};
use crate::error::Failure;
use serde_json::{Map, Value};

/// `States.StringToJson(text)`: the parsed JSON. Empty text is `null`, as
/// recorded on AWS (conformance `test_string_to_json__exec_hist_resp_0`).
pub(super) fn string_to_json(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::StringToJson;
    let [text] = fixed(f, args)?;
    let text = expect_string(f, text, "the argument")?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| invalid(f, format!("the string is not valid JSON: {e}")))
}

/// `States.JsonToString(value)`: compact JSON text, keys in input order, as
/// recorded on AWS (`{"Arg1":1,"Arg2":[]}`).
pub(super) fn json_to_string(args: &[Value]) -> Result<Value, Failure> {
    let [value] = fixed(Function::JsonToString, args)?;
    Ok(Value::String(crate::json::to_text(value)))
}

/// `States.JsonMerge(left, right, false)`: a shallow merge where `right`
/// wins on shared keys; AWS supports only the shallow mode, so the third
/// argument must be `false`.
///
/// AWS returns the merged keys in the iteration order of a Java `HashMap`,
/// not in input order: recorded merges give `{"a","b","c","d"}` for
/// `{"a","b","d"}` + `{"a","c","d"}`, and put `constant_input_field` before
/// `constant_in_literal` (conformance `test_json_merge*`). [`java_hash_order`]
/// reproduces that order.
pub(super) fn merge(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::JsonMerge;
    let [left, right, deep] = fixed(f, args)?;
    let (Value::Object(left), Value::Object(right)) = (left, right) else {
        let got = format!("{} and {}", type_name(left), type_name(right));
        return Err(invalid(f, format!("the first two arguments must be objects, but were {got}")));
    };
    match deep {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(invalid(f, "deep merge is not supported; the third argument must be false"));
        }
        other => {
            return Err(invalid(f, format!("the third argument must be a boolean, but was {}", type_name(other))));
        }
    }
    let mut merged = left.clone();
    for (k, v) in right {
        merged.insert(k.clone(), v.clone());
    }
    let entries: Vec<(String, Value)> = merged.into_iter().collect();
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    let order = java_hash_order(&keys, left.len());
    let mut slots: Vec<Option<(String, Value)>> = entries.into_iter().map(Some).collect();
    let out: Map<String, Value> = order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect();
    Ok(Value::Object(out))
}

/// The order in which a Java `HashMap` built as `new HashMap<>(left)` then
/// `putAll(right)` iterates `keys` (distinct, in first-insertion order; the
/// first `left_len` came from `left`). Returns indexes into `keys`.
///
/// A `HashMap` iterates bucket by bucket (`hash ^ hash >>> 16`, masked by the
/// table size) and, within a bucket, in insertion order, which resizing
/// preserves. Only the final table size matters; it is simulated here with
/// Java's sizing rules (load factor 0.75, presized for the copied map).
pub(crate) fn java_hash_order(keys: &[&str], left_len: usize) -> Vec<usize> {
    let capacity = java_table_size(left_len, keys.len());
    let mask = capacity.wrapping_sub(1) as u32;
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| {
        let h = java_string_hash(keys[i]);
        (h ^ (h >> 16)) & mask
    });
    order
}

/// Java's `String.hashCode` over UTF-16 code units.
fn java_string_hash(s: &str) -> u32 {
    s.encode_utf16().fold(0u32, |h, unit| h.wrapping_mul(31).wrapping_add(u32::from(unit)))
}

/// The table size of `new HashMap<>(m)` (with `m.size() == presized`) after
/// growing to `total` entries: doubled while `total` exceeds 0.75 of it.
fn java_table_size(presized: usize, total: usize) -> usize {
    const MAX: usize = 1 << 30;
    // Copying an empty map leaves the table unallocated; `putAll` then
    // presizes it for the map being added.
    let presized = if presized == 0 { total } else { presized };
    let (mut capacity, mut threshold) = if presized > 0 {
        // HashMap(Map): tableSizeFor((int) (size / 0.75f + 1.0f)).
        let wanted = (presized as f32 / 0.75 + 1.0) as usize;
        let c = wanted.next_power_of_two().min(MAX);
        (c, (c as f32 * 0.75) as usize)
    } else {
        (16, 12)
    };
    while total > threshold && capacity < MAX {
        capacity *= 2;
        threshold = if capacity > 16 { threshold * 2 } else { (capacity as f32 * 0.75) as usize };
    }
    capacity
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok};
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn string_to_json_parses() {
        check_ok(&[
            // The States.StringToJson example of the AWS page.
            ("States.StringToJson($.escapedJsonString)", r#"{"escapedJsonString":"{\"foo\": \"bar\"}"}"#, r#"{"foo":"bar"}"#),
            // Recorded on AWS (conformance test_string_to_json__*).
            ("States.StringToJson($.s)", r#"{"s":""}"#, "null"),
            ("States.StringToJson($.s)", r#"{"s":"null"}"#, "null"),
            ("States.StringToJson($.s)", r#"{"s":"1.1"}"#, "1.1"),
            ("States.StringToJson($.s)", r#"{"s":"true"}"#, "true"),
            ("States.StringToJson($.s)", r#"{"s":"\"HelloWorld\""}"#, r#""HelloWorld""#),
            ("States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}')", "{}", r#"{"Arg1":1,"Arg2":[]}"#),
        ]);
        check_err(&[
            ("States.StringToJson($.s)", r#"{"s":"{not json"}"#, "States.IntrinsicFailure"),
            ("States.StringToJson($.s)", r#"{"s":1}"#, "States.IntrinsicFailure"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn json_to_string_is_compact_in_key_order() {
        check_ok(&[
            // The States.JsonToString example of the AWS page.
            ("States.JsonToString($.unescapedJson)", r#"{"unescapedJson":{"foo":"bar"}}"#, r#""{\"foo\":\"bar\"}""#),
            // Recorded on AWS (conformance test_json_to_string__*).
            ("States.JsonToString($.v)", r#"{"v":null}"#, r#""null""#),
            ("States.JsonToString($.v)", r#"{"v":1.1}"#, r#""1.1""#),
            ("States.JsonToString($.v)", r#"{"v":"HelloWorld"}"#, r#""\"HelloWorld\"""#),
            ("States.JsonToString($.v)", r#"{"v":[1,2,"HelloWorld"]}"#, r#""[1,2,\"HelloWorld\"]""#),
            ("States.JsonToString($.v)", r#"{"v":{"z":1,"a":[]}}"#, r#""{\"z\":1,\"a\":[]}""#),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn merge_is_shallow_and_right_wins() {
        check_ok(&[
            // The States.JsonMerge example of the AWS page.
            (
                "States.JsonMerge($.json1, $.json2, false)",
                r#"{"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}}"#,
                r#"{"a":{"a3":1,"a4":2},"b":2,"c":3}"#,
            ),
            ("States.JsonMerge($.l, States.StringToJson('{}'), false)", r#"{"l":{"k":1}}"#, r#"{"k":1}"#),
        ]);
        check_err(&[
            ("States.JsonMerge($.a, $.b, true)", r#"{"a":{},"b":{}}"#, "States.IntrinsicFailure"),
            ("States.JsonMerge($.a, $.b, 'false')", r#"{"a":{},"b":{}}"#, "States.IntrinsicFailure"),
            ("States.JsonMerge($.a, $.b, false)", r#"{"a":[],"b":{}}"#, "States.IntrinsicFailure"),
        ]);
    }

    /// Key order recorded on AWS (conformance `test_json_merge` and
    /// `test_json_merge_escaped_argument`).
    #[test]
    fn merge_orders_keys_like_a_java_hash_map() {
        let order = |expr: &str, input: &str| -> Vec<String> {
            let v = super::super::testing::run(expr, input).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        let keys = order(
            "States.JsonMerge($.fst, $.snd, false)",
            r#"{"fst":{"a":{"a1":1},"b":2,"d":3},"snd":{"a":{"a3":1},"c":3,"d":4}}"#,
        );
        assert_eq!(keys, ["a", "b", "c", "d"]);
        let keys = order(
            r#"States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $.f, false)"#,
            r#"{"f":{"constant_input_field":"constant_value"}}"#,
        );
        assert_eq!(keys, ["constant_input_field", "constant_in_literal"]);
    }

    #[test]
    fn java_hashing_matches_java() {
        // Values of "a".hashCode() and "hello".hashCode() in Java.
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello") as i32, 99_162_322);
        // new HashMap<>(3 entries) has 8 buckets and grows at the 7th entry.
        assert_eq!(java_table_size(3, 6), 8);
        assert_eq!(java_table_size(3, 7), 16);
        assert_eq!(java_table_size(6, 13), 32);
        // Copying an empty map, then putAll of 12: presized to 32.
        assert_eq!(java_table_size(0, 12), 32);
    }
}
