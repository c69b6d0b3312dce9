//! The array intrinsics: `States.ArrayPartition`, `States.ArrayContains`,
//! `States.ArrayRange`, `States.ArrayGetItem`, `States.ArrayLength` and
//! `States.ArrayUnique` (`States.Array` is the argument list itself).
//!
//! AWS: "Intrinsics for arrays"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-arrays>).

use super::math::java_round;
use super::{Function, expect_array, expect_integer, fixed, invalid};
use crate::error::Failure;
use serde_json::Value;
use std::collections::HashSet;

/// The most elements `States.ArrayRange` may produce (AWS: "The newly
/// generated array can't contain more than 1000 items").
const MAX_RANGE_ITEMS: i64 = 1000;

/// `States.ArrayPartition(array, size)`: chunks of `size`, the last shorter.
/// The size must be a positive integer.
pub(super) fn partition(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayPartition;
    let [array, size] = fixed(f, args)?;
    let array = expect_array(f, array, "the first argument")?;
    let size = expect_integer(f, size, "the chunk size")?;
    let size = usize::try_from(size)
        .ok()
        .filter(|&s| s > 0)
        .ok_or_else(|| invalid(f, format!("the chunk size must be a positive integer, but was {size}")))?;
    Ok(Value::Array(array.chunks(size).map(|c| Value::Array(c.to_vec())).collect()))
}

/// `States.ArrayContains(array, value)`: whether an element equals `value`
/// (deep equality; recorded: `[[1,2,3],2]` contains `[1,2,3]`).
pub(super) fn contains(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayContains;
    let [array, value] = fixed(f, args)?;
    let array = expect_array(f, array, "the first argument")?;
    Ok(Value::Bool(array.contains(value)))
}

/// `States.ArrayRange(first, last, step)`: `first`, `first + step`, … up to
/// and including `last`. The step must not be zero and the result holds at
/// most 1000 items. Decimals are rounded to the nearest integer, as AWS does
/// for `States.MathAdd` and `States.MathRandom`.
pub(super) fn range(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayRange;
    let [first, last, step] = fixed(f, args)?;
    let [first, last, step] = [("the start", first), ("the end", last), ("the step", step)].map(|(what, v)| {
        v.as_i64()
            .or_else(|| v.as_f64().and_then(java_round))
            .ok_or_else(|| invalid(f, format!("{what} must be an integer, but was {}", crate::json::to_text(v))))
    });
    let (first, last, step) = (first?, last?, step?);
    if step == 0 {
        return Err(invalid(f, "the step must not be zero"));
    }
    let span = i128::from(last) - i128::from(first);
    let count = if span == 0 || (span > 0) == (step > 0) { span / i128::from(step) + 1 } else { 0 };
    if count > i128::from(MAX_RANGE_ITEMS) {
        return Err(invalid(f, format!("the range has {count} items, more than the {MAX_RANGE_ITEMS} allowed")));
    }
    // Every item lies between `first` and `last`, so it fits in an i64.
    let items = (0..count).filter_map(|i| i64::try_from(i128::from(first) + i * i128::from(step)).ok());
    Ok(Value::Array(items.map(Value::from).collect()))
}

/// `States.ArrayGetItem(array, index)`: the element at a zero-based index.
pub(super) fn get_item(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayGetItem;
    let [array, index] = fixed(f, args)?;
    let array = expect_array(f, array, "the first argument")?;
    let index = expect_integer(f, index, "the index")?;
    usize::try_from(index)
        .ok()
        .and_then(|i| array.get(i))
        .cloned()
        .ok_or_else(|| invalid(f, format!("the index {index} is out of bounds for an array of length {}", array.len())))
}

/// `States.ArrayLength(array)`: the number of elements.
pub(super) fn length(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayLength;
    let [array] = fixed(f, args)?;
    Ok(Value::from(expect_array(f, array, "the argument")?.len()))
}

/// `States.ArrayUnique(array)`: the elements without repeats, each kept where
/// it first occurs.
pub(super) fn unique(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::ArrayUnique;
    let [array] = fixed(f, args)?;
    let array = expect_array(f, array, "the argument")?;
    let mut seen = HashSet::with_capacity(array.len());
    let items = array.iter().filter(|v| seen.insert(canonical(v))).cloned().collect();
    Ok(Value::Array(items))
}

/// Text equal for equal values: object keys sorted, so `{"a":1,"b":2}` and
/// `{"b":2,"a":1}` match, as `Value`'s equality has them.
fn canonical(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Array(items) => {
                out.push('[');
                for item in items {
                    write(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.push('{');
                for (k, v) in entries {
                    out.push_str(&crate::json::to_text(&Value::String(k.clone())));
                    out.push(':');
                    write(v, out);
                    out.push(',');
                }
                out.push('}');
            }
            // `Value`'s equality has 0.0 == -0.0.
            Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => out.push_str("0.0"),
            other => out.push_str(&crate::json::to_text(other)),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok};

    const NINE: &str = r#"{"inputArray":[1,2,3,4,5,6,7,8,9]}"#;

    #[test]
    #[rustfmt::skip]
    fn array_builds_from_arguments() {
        check_ok(&[
            // The States.Array example of the AWS page.
            ("States.Array($.Id)", r#"{"Id":123456}"#, "[123456]"),
            // Recorded on AWS (conformance test_array__test_array_*).
            ("States.Array()", "{}", "[]"),
            ("States.Array($.a, $.b)", r#"{"a":null,"b":{"Arg1":1,"Arg2":[]}}"#, r#"[null,{"Arg1":1,"Arg2":[]}]"#),
            ("States.Array('a', 1, 1.5, true, null, $)", r#"{"k":1}"#, r#"["a",1,1.5,true,null,{"k":1}]"#),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn partition_chunks() {
        check_ok(&[
            // The States.ArrayPartition example of the AWS page.
            ("States.ArrayPartition($.inputArray, 4)", NINE, "[[1,2,3,4],[5,6,7,8],[9]]"),
            // Recorded on AWS (conformance test_array_partition__*).
            ("States.ArrayPartition($.a, 1)", r#"{"a":[]}"#, "[]"),
            ("States.ArrayPartition($.a, 2)", r#"{"a":[0,1,2]}"#, "[[0,1],[2]]"),
            ("States.ArrayPartition($.a, 5)", r#"{"a":[0,1,2,3]}"#, "[[0,1,2,3]]"),
        ]);
        check_err(&[
            ("States.ArrayPartition($.inputArray, 0)", NINE, "States.IntrinsicFailure"),
            ("States.ArrayPartition($.inputArray, -1)", NINE, "States.IntrinsicFailure"),
            ("States.ArrayPartition($.inputArray, 1.5)", NINE, "States.IntrinsicFailure"),
            ("States.ArrayPartition('abc', 1)", NINE, "States.IntrinsicFailure"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn contains_compares_deeply() {
        check_ok(&[
            // The States.ArrayContains example of the AWS page.
            ("States.ArrayContains($.inputArray, $.lookingFor)", r#"{"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5}"#, "true"),
            // Recorded on AWS (conformance test_array_contains__*).
            ("States.ArrayContains($.a, $.v)", r#"{"a":[],"v":null}"#, "false"),
            ("States.ArrayContains($.a, $.v)", r#"{"a":[[1,2,3],2],"v":null}"#, "false"),
            ("States.ArrayContains($.a, $.v)", r#"{"a":[[1,2,3],2],"v":[1,2,3]}"#, "true"),
            ("States.ArrayContains($.a, $.v)", r#"{"a":[true,false],"v":false}"#, "true"),
            ("States.ArrayContains($.a, $.v)", r#"{"a":[{"x":1,"y":2}],"v":{"y":2,"x":1}}"#, "true"),
        ]);
        check_err(&[("States.ArrayContains($.a, 1)", r#"{"a":{}}"#, "States.IntrinsicFailure")]);
    }

    #[test]
    #[rustfmt::skip]
    fn range_counts_by_step() {
        check_ok(&[
            // The States.ArrayRange example of the AWS page.
            ("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]"),
            // Recorded on AWS (conformance test_array_range__*).
            ("States.ArrayRange(0, 9, 3)", "{}", "[0,3,6,9]"),
            ("States.ArrayRange(0, 10, 3)", "{}", "[0,3,6,9]"),
            ("States.ArrayRange(1, 9, 9)", "{}", "[1]"),
            // Negative steps count down; a range the step moves away from is empty.
            ("States.ArrayRange(5, 1, -2)", "{}", "[5,3,1]"),
            ("States.ArrayRange(5, 1, 2)", "{}", "[]"),
            ("States.ArrayRange(3, 3, 1)", "{}", "[3]"),
            ("States.ArrayRange(0.5, 2.4, 1)", "{}", "[1,2]"),
            ("States.ArrayRange(1, 1000, 1)", "{}", format!("{:?}", (1..=1000).collect::<Vec<_>>()).as_str()),
        ]);
        check_err(&[
            ("States.ArrayRange(1, 1001, 1)", "{}", "States.IntrinsicFailure"),
            ("States.ArrayRange(1, 9, 0)", "{}", "States.IntrinsicFailure"),
            ("States.ArrayRange('1', 9, 1)", "{}", "States.IntrinsicFailure"),
            ("States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)", "{}", "States.IntrinsicFailure"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn get_item_indexes_from_zero() {
        check_ok(&[
            // The States.ArrayGetItem example of the AWS page.
            ("States.ArrayGetItem($.inputArray, $.index)", r#"{"inputArray":[1,2,3,4,5,6,7,8,9],"index":5}"#, "6"),
            ("States.ArrayGetItem($.inputArray, 0)", NINE, "1"),
        ]);
        check_err(&[
            ("States.ArrayGetItem($.inputArray, 9)", NINE, "States.IntrinsicFailure"),
            ("States.ArrayGetItem($.inputArray, -1)", NINE, "States.IntrinsicFailure"),
            ("States.ArrayGetItem($.inputArray, 'a')", NINE, "States.IntrinsicFailure"),
            ("States.ArrayGetItem($.inputArray, 0.5)", NINE, "States.IntrinsicFailure"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn length_and_unique() {
        check_ok(&[
            // The States.ArrayLength and States.ArrayUnique examples of the AWS page.
            ("States.ArrayLength($.inputArray)", NINE, "9"),
            ("States.ArrayUnique($.inputArray)", r#"{"inputArray":[1,2,3,3,3,3,3,3,4]}"#, "[1,2,3,4]"),
            // Recorded on AWS (conformance test_array__test_array_unique calls ArrayLength).
            (
                "States.ArrayLength($.a)",
                r#"{"a":[null,null,true,true,false,false,1,1,1.1,0,0,"HelloWorld","HelloWorld",[],[],[null],[null],{"a":1,"b":2},{"a":1,"b":2},{"a":1,"b":1}]}"#,
                "20",
            ),
            (
                "States.ArrayUnique($.a)",
                r#"{"a":[null,null,true,1,1.0,1,"1",[],[],{"a":1,"b":2},{"b":2,"a":1},{"a":1,"b":1},0.0,-0.0]}"#,
                r#"[null,true,1,1.0,"1",[],{"a":1,"b":2},{"a":1,"b":1},0.0]"#,
            ),
        ]);
        check_err(&[
            ("States.ArrayLength($.a)", r#"{"a":"abc"}"#, "States.IntrinsicFailure"),
            ("States.ArrayUnique($.a)", r#"{"a":null}"#, "States.IntrinsicFailure"),
        ]);
    }
}
