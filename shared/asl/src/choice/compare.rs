//! How Choice operators order numbers and strings, and `StringMatches`
//! patterns.
//!
//! AWS: "Choice workflow state", "Choice Rules (JSONPath)"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>):
//! string comparisons behave like Java's `String.compareTo`; numeric
//! comparisons are not guaranteed beyond IEEE 754 binary64; in
//! `StringMatches` "the wildcard character is escaped by using the standard
//! `\\`" and no character other than `*` is special.

use serde_json::Number;
use std::cmp::Ordering;

/// Orders two JSON numbers: exactly when both are integers, otherwise as
/// `f64` (so `1` equals `1.0`). `None` only for values `f64` cannot order.
pub(super) fn numbers(a: &Number, b: &Number) -> Option<Ordering> {
    fn integer(n: &Number) -> Option<i128> {
        n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
    }
    match (integer(a), integer(b)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// Orders two strings as Java's `String.compareTo` does: by UTF-16 code
/// units, which differs from Rust's byte order only when characters above
/// U+FFFF meet characters in U+E000..=U+FFFF.
pub(super) fn strings(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A compiled `StringMatches` pattern: `*` matches any run of characters
/// (including none); `\*` is a literal `*` and `\\` a literal `\` (written
/// `"\\*"` and `"\\\\"` in JSON). Any other backslash is an ordinary
/// character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The literal runs between wildcards: one more than there are `*`s.
    pieces: Vec<String>,
}

impl Pattern {
    /// Compiles a pattern. Every string is a valid pattern.
    pub fn new(text: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut current = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => pieces.push(std::mem::take(&mut current)),
                '\\' if matches!(chars.peek(), Some('*' | '\\')) => current.extend(chars.next()),
                c => current.push(c),
            }
        }
        pieces.push(current);
        Pattern { pieces }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return text == first;
        };
        let Some(mut rest) = text.strip_prefix(first.as_str()) else {
            return false;
        };
        // Taking each middle piece at its leftmost occurrence leaves the most
        // room for the rest, so a greedy scan finds a match if any exists.
        for piece in middle {
            match rest.find(piece.as_str()) {
                Some(i) => rest = &rest[i + piece.len()..],
                None => return false,
            }
        }
        rest.ends_with(last.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Examples from the ASL specification's StringMatches description
    // (<https://states-language.net/spec.html#choice-state>) and the AWS page
    // ("log-*.txt" matches "log-2020-12-31.txt"), plus the escapes it defines.
    #[test]
    fn string_matches_wildcards_and_escapes() {
        let cases: &[(&str, &str, bool)] = &[
            ("foo*.log", "foo23.log", true),
            ("*.log", "zebra.log", true),
            ("foo*.*", "foobar.zebra", true),
            ("log-*.txt", "log-2020-12-31.txt", true),
            ("log-*.txt", "log-.txt", true),
            ("log-*.txt", "log-1.txt.gz", false),
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*ab*ab*", "xabyab", true),
            ("*ab*ab*", "xaby", false),
            ("exact", "exact", true),
            ("exact", "Exact", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
            ("a\\\\*", "a\\anything", true),
            ("a\\\\b", "a\\b", true),
            ("a\\b", "a\\b", true),
            ("trailing\\", "trailing\\", true),
            ("ü*ß", "üxyzß", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(Pattern::new(pattern).matches(text), *expected, "{pattern} on {text}");
        }
    }

    #[test]
    fn numbers_compare_by_value() {
        let n = |v: serde_json::Value| v.as_number().cloned().expect("a number");
        let cases = [
            (n(1.into()), n(serde_json::json!(1.0)), Ordering::Equal),
            (n(0.into()), n(serde_json::json!(-0.0)), Ordering::Equal),
            (n(serde_json::json!(1.1)), n(1.into()), Ordering::Greater),
            (n(u64::MAX.into()), n(i64::MIN.into()), Ordering::Greater),
            (n(9_007_199_254_740_993_i64.into()), n(9_007_199_254_740_992_i64.into()), Ordering::Greater),
        ];
        for (a, b, expected) in cases {
            assert_eq!(numbers(&a, &b), Some(expected), "{a} vs {b}");
        }
    }

    // Java's String.compareTo orders by UTF-16 code units.
    #[test]
    fn strings_order_like_java() {
        let cases = [
            ("A", "AB", Ordering::Less),
            ("AB", "A", Ordering::Greater),
            ("", "", Ordering::Equal),
            ("A", "A\t\n\r", Ordering::Less),
            ("B", "a", Ordering::Less),
            ("\u{1F600}", "\u{FF21}", Ordering::Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(strings(a, b), expected, "{a:?} vs {b:?}");
        }
    }
}
