//! How a Python Lambda handler would print a decoded JSON event: `str()` and
//! `repr()` of dicts, lists, strings, numbers, booleans and `None`, and
//! `json.dumps` with its default settings, which the Python Lambda runtime
//! uses to serialize a handler's return value.
//!
//! The corpus' mock functions are Python handlers, and what they return is
//! visible in recorded results: `return_decorated_input` returns
//! `"input-event-" + str(event)` (recorded as `input-event-['string-literal']`),
//! and the `Content-Length` headers recorded for `lambda:invoke` are those of
//! `json.dumps(result)` (`{"foo": "foo-1"}` is 16 bytes, with `", "`/`": "`
//! separators).
//!
//! Rules (Python 3, <https://docs.python.org/3/library/functions.html#repr>):
//! strings use single quotes unless they contain a `'` and no `"`; `\\`,
//! the chosen quote, `\t`, `\n`, `\r` are backslash-escaped and other
//! non-printable characters are written as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`;
//! floats use the shortest round-trip digits, in fixed notation when the
//! decimal exponent is in `-4..16` and as `1e+16` otherwise, with `.0` added
//! to integral values.
//!
//! Known approximation: Python's notion of "printable" comes from the Unicode
//! database; here it is approximated by the control, format, separator and
//! private-use ranges, so an unassigned code point is printed as is where
//! Python would escape it. JSON integers beyond 64 bits are held as floats by
//! `serde_json` and print as such.

use serde_json::{Number, Value};

/// Python's `str(value)` for a decoded JSON value: a top-level string is
/// itself, anything else is its `repr`.
pub fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr(other),
    }
}

/// Python's `repr(value)` for a decoded JSON value (`dict`, `list`, `str`,
/// `int`, `float`, `bool`, `None`).
pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write(value, &REPR, &mut out);
    out
}

/// How one Python printer spells the scalars; lists and dicts are the same
/// for `repr` and `json.dumps` (`", "` and `": "` separators).
struct Style {
    null: &'static str,
    bools: [&'static str; 2],
    string: fn(&str, &mut String),
}

const REPR: Style = Style { null: "None", bools: ["False", "True"], string: repr_str };
const JSON: Style = Style { null: "null", bools: ["false", "true"], string: json_str };

fn write(value: &Value, style: &Style, out: &mut String) {
    match value {
        Value::Null => out.push_str(style.null),
        Value::Bool(b) => out.push_str(style.bools[usize::from(*b)]),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => (style.string)(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, style, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                (style.string)(key, out);
                out.push_str(": ");
                write(item, style, out);
            }
            out.push('}');
        }
    }
}

fn repr_str(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable` for one character, approximated (see the
/// module docs): false for controls (Cc), format characters (Cf), line and
/// paragraph separators, spaces other than U+0020 (Zs), private use (Co) and
/// non-characters.
fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    !matches!(code,
        0x00..=0x1F | 0x7F..=0xA0 | 0xAD
        | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x1680 | 0x180E | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x2064
        | 0x2066..=0x206F | 0x3000 | 0xD800..=0xF8FF | 0xFDD0..=0xFDEF | 0xFEFF
        | 0xFFF0..=0xFFFB | 0xFFFE..=0xFFFF | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF | 0xF0000..)
        && (code & 0xFFFE) != 0xFFFE
}

/// A JSON number as Python prints it: integers as written, floats with
/// Python's `float.__repr__`.
fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python's `repr(float)`: shortest round-trip digits; fixed notation when
/// the decimal point position `decpt` (value = 0.DIGITS × 10^decpt) is in
/// `-3..=16`, scientific (`1e+16`, `1.5e-05`) otherwise.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.5e-5", "1e16", "0e0".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let n = digits.len() as i32;
    let body = if !(-3..=16).contains(&decpt) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        format!("{first}{frac}e{esign}{:02}", e.abs())
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat(decpt.unsigned_abs() as usize))
    } else if decpt < n {
        let (int, frac) = digits.split_at(decpt as usize);
        format!("{int}.{frac}")
    } else {
        format!("{digits}{}.0", "0".repeat((decpt - n) as usize))
    };
    format!("{sign}{body}")
}

/// Python's `json.dumps(value)` with its defaults: `", "` and `": "`
/// separators, `ensure_ascii=True` (non-ASCII as `\uXXXX`, astral
/// characters as surrogate pairs), floats as `repr`.
pub fn json_dumps(value: &Value) -> String {
    let mut out = String::new();
    write(value, &JSON, &mut out);
    out
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Python escapes everything outside ' '..='~' (`ESCAPE_ASCII`).
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Expected texts are what CPython 3 prints for the same values.
    #[test]
    fn repr_follows_python() {
        let cases: &[(Value, &str)] = &[
            (json!(["string-literal"]), "['string-literal']"),
            (json!({"a": 1, "b": [true, false, null]}), "{'a': 1, 'b': [True, False, None]}"),
            (json!({}), "{}"),
            (json!([]), "[]"),
            (json!("it's"), "\"it's\""),
            (json!("both ' and \""), "'both \\' and \"'"),
            (json!("say \"hi\""), "'say \"hi\"'"),
            (json!("tab\tnew\nline\r\\"), "'tab\\tnew\\nline\\r\\\\'"),
            (json!("\u{1}\u{7f}\u{a0}"), "'\\x01\\x7f\\xa0'"),
            (json!("\u{200b}\u{2028}"), "'\\u200b\\u2028'"),
            (json!("héllo ☃ 😀"), "'héllo ☃ 😀'"),
            (json!(-0.0), "-0.0"),
            (json!(1.5), "1.5"),
            (json!(-12), "-12"),
            (json!(18446744073709551615u64), "18446744073709551615"),
            (json!({"x": {"y": [1.0, "z"]}}), "{'x': {'y': [1.0, 'z']}}"),
        ];
        for (value, want) in cases {
            assert_eq!(repr(value), *want, "repr({value})");
        }
    }

    #[test]
    fn str_of_a_top_level_string_has_no_quotes() {
        assert_eq!(str_of(&json!("abc")), "abc");
        assert_eq!(str_of(&json!(null)), "None");
        assert_eq!(str_of(&json!(["a"])), "['a']");
    }

    /// CPython: repr(1e16) == '1e+16', repr(1e15) == '1000000000000000.0',
    /// repr(0.0001) == '0.0001', repr(1.5e-05) == '1.5e-05', repr(1e100) == '1e+100'.
    #[test]
    fn float_repr_switches_to_exponent_like_python() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (4.3, "4.3"),
            (123.456, "123.456"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.25e17, "1.25e+17"),
            (1e100, "1e+100"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (-2.5e-7, "-2.5e-07"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(*f), *want, "repr({f:e})");
        }
    }

    /// Lengths match the `Content-Length` AWS recorded for these payloads in
    /// the corpus (`services/test_lambda_task_service__*`, `local_mocking/*`).
    #[test]
    fn json_dumps_matches_recorded_content_lengths() {
        let cases: &[(Value, usize)] = &[
            (json!({"foo": "foo-1"}), 16),
            (json!({"body": "string body"}), 23),
            (json!({"input_value": "string literal", "input_values": [1, 2, 3]}), 60),
            (json!(["string-literal"]), 18),
            (json!("input-event-['string-literal']"), 32),
            (json!(0.0), 3),
            (json!({}), 2),
        ];
        for (value, len) in cases {
            assert_eq!(json_dumps(value).len(), *len, "json.dumps({value})");
        }
    }

    #[test]
    fn json_dumps_escapes_like_python() {
        assert_eq!(json_dumps(&json!("é\u{1}\"\\😀\u{7f}")), r#""\u00e9\u0001\"\\\ud83d\ude00\u007f""#);
        assert_eq!(json_dumps(&json!({"a": [1, 2.0, null, true]})), r#"{"a": [1, 2.0, null, true]}"#);
    }
}
