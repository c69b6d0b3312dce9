//! `States.Format` and `States.StringSplit`.
//!
//! AWS: "Intrinsic functions for JSONPath states", sections "States.Format"
//! and "Intrinsic for string operation"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>).

use super::{Function, expect_string, fixed, invalid};
use crate::error::Failure;
use serde_json::Value;

/// `States.Format(template, args...)`: each `{}` of the template replaced by
/// the next argument.
///
/// `literal` holds the placeholder offsets when the template was a string
/// literal (so an escaped `\{\}` is not one); a template read from a path has
/// a placeholder at each `{}`.
///
/// Strings are inserted as they are; other values as Java prints them, as
/// recorded on AWS (conformance `intrinsic_functions/test_generic__*`):
/// `null`, `1.1`, and objects as `{Id=arn:…, Name=…}`.
pub(super) fn format(literal: Option<&[usize]>, args: &[Value]) -> Result<Value, Failure> {
    let f = Function::Format;
    let Some((template, values)) = args.split_first() else {
        return Err(invalid(f, "a template is required"));
    };
    let template = expect_string(f, template, "the template")?;
    let holes: Vec<usize> = match literal {
        Some(offsets) => offsets.to_vec(),
        None => template.match_indices("{}").map(|(i, _)| i).collect(),
    };
    if holes.len() != values.len() {
        return Err(invalid(
            f,
            format!(
                "the template has {} '{{}}' placeholder(s) but {} argument(s) follow it",
                holes.len(),
                values.len()
            ),
        ));
    }
    let mut out = String::with_capacity(template.len());
    let mut from = 0;
    for (&at, value) in holes.iter().zip(values) {
        out.push_str(template.get(from..at).unwrap_or_default());
        java_text(value, &mut out);
        from = at + 2;
    }
    out.push_str(template.get(from..).unwrap_or_default());
    Ok(Value::String(out))
}

/// Appends a value as Java's `toString` shows it: strings bare, lists as
/// `[a, b]`, maps as `{k=v, k2=v2}`.
fn java_text(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_text(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_text(v, out);
            }
            out.push('}');
        }
    }
}

/// `States.StringSplit(string, delimiters)`: every character of the second
/// argument is a delimiter and empty pieces are dropped, like Java's
/// `StringTokenizer` (recorded: `", , ,"` split on `","` gives `[" ", " "]`).
pub(super) fn split(args: &[Value]) -> Result<Value, Failure> {
    let f = Function::StringSplit;
    let [text, delimiters] = fixed(f, args)?;
    let text = expect_string(f, text, "the string to split")?;
    let delimiters = expect_string(f, delimiters, "the delimiter")?;
    let pieces = text
        .split(|c| delimiters.contains(c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_owned()))
        .collect();
    Ok(Value::Array(pieces))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check_err, check_ok};

    #[test]
    #[rustfmt::skip]
    fn format_fills_placeholders() {
        check_ok(&[
            // The States.Format example of the AWS intrinsic functions page.
            ("States.Format('Hello, my name is {}.', $.name)", r#"{"name":"Arnav"}"#, r#""Hello, my name is Arnav.""#),
            ("States.Format($.template, $.name)", r#"{"name":"Arnav","template":"Hello, my name is {}."}"#, r#""Hello, my name is Arnav.""#),
            // Recorded on AWS (conformance intrinsic_functions/test_generic__*).
            ("States.Format('Formatting argument {}.', $.v)", r#"{"v":""}"#, r#""Formatting argument .""#),
            ("States.Format('Formatting argument {}.', $.v)", r#"{"v":null}"#, r#""Formatting argument null.""#),
            ("States.Format('Formatting argument {}.', $.v)", r#"{"v":1.1}"#, r#""Formatting argument 1.1.""#),
            ("States.Format('{} and {}', $.a, $.b)", r#"{"a":1,"b":" "}"#, r#""1 and  ""#),
            ("States.Format('v={}', $.v)", r#"{"v":"{\"Arg1\": 1, \"Arg2\": []}"}"#, r#""v={\"Arg1\": 1, \"Arg2\": []}""#),
            ("States.Format('snd={}.', $$.StateMachine)", "{}", r#""snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:sm, Name=sm}.""#),
            // Java's List and Map text for nested values, booleans.
            ("States.Format('{}', $.v)", r#"{"v":[1,"a",{"k":[true,null]}]}"#, r#""[1, a, {k=[true, null]}]""#),
            ("States.Format('{}{}', true, -2)", "{}", r#""true-2""#),
            // Escaped braces are text; a template from a path has no escapes.
            (r"States.Format('\{\} {} \\ it\'s', 'x')", "{}", r#""{} x \\ it's""#),
            ("States.Format('{}', States.Array(1, 2))", "{}", r#""[1, 2]""#),
            ("States.Format('no placeholders')", "{}", r#""no placeholders""#),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn format_rejects_bad_templates() {
        check_err(&[
            ("States.Format($.t, 1)", r#"{"t":"{} {}"}"#, "States.IntrinsicFailure"),
            ("States.Format('{} {}', 1)", "{}", "States.IntrinsicFailure"),
            (r"States.Format('\{\}', 1)", "{}", "States.IntrinsicFailure"),
            ("States.Format($.t)", r#"{"t":1}"#, "States.IntrinsicFailure"),
            ("States.Format('{}', $.missing)", "{}", "States.Runtime"),
        ]);
    }

    #[test]
    #[rustfmt::skip]
    fn split_uses_every_delimiter_character() {
        check_ok(&[
            // The States.StringSplit examples of the AWS page.
            ("States.StringSplit($.s, ',')", r#"{"s":"1,2,3,4,5"}"#, r#"["1","2","3","4","5"]"#),
            ("States.StringSplit($.s, '.+,=')", r#"{"s":"This.is+a,test=string"}"#, r#"["This","is","a","test","string"]"#),
            // Recorded on AWS (conformance test_string_operations__test_string_split__*).
            ("States.StringSplit($.s, ',')", r#"{"s":" "}"#, r#"[" "]"#),
            ("States.StringSplit($.s, ',')", r#"{"s":", , ,"}"#, r#"[" "," "]"#),
            ("States.StringSplit($.s, ',')", r#"{"s":",,,,"}"#, "[]"),
            ("States.StringSplit($.s, $.d)", r#"{"s":"split on T and \nnew line","d":"T\n"}"#, r#"["split on "," and ","new line"]"#),
            ("States.StringSplit('', ',')", "{}", "[]"),
            ("States.StringSplit('abc', '')", "{}", r#"["abc"]"#),
        ]);
        check_err(&[
            ("States.StringSplit(1, ',')", "{}", "States.IntrinsicFailure"),
            ("States.StringSplit('a', null)", "{}", "States.IntrinsicFailure"),
        ]);
    }
}
