//! Placeholder tokens (snapshot-v1 rule 4): parts of recorded strings that
//! stood for values that change from run to run, such as `<region>`,
//! `arn:<partition>:`, `snf_role_arn`, `<uuid:1>` or `<request_id>`.
//!
//! A recorded string is split into literal text and tokens; each token
//! matches any non-empty substring of our string. A numbered token
//! (`<uuid:N>`, `<json-input:N>`, `<LogResult:N>`: `<name:digits>`) matches
//! the same value every time it appears in a case, and two different
//! numbers of one name never stand for the same value (the recorder numbers
//! distinct values). The longest token wins where tokens overlap
//! (`arn:<partition>` before `<partition>`).

use std::collections::BTreeMap;

/// The placeholder tokens of one part of a case (`placeholders` or
/// `history_placeholders`).
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// Longest first, so the longest token wins at a position.
    list: Vec<String>,
}

impl Tokens {
    /// The tokens, ignoring empty ones and duplicates.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(tokens: I) -> Tokens {
        let mut list: Vec<String> = tokens.into_iter().map(Into::into).filter(|t| !t.is_empty()).collect();
        list.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        list.dedup();
        Tokens { list }
    }

    /// True when `text` is exactly one token that is not numbered: such a
    /// value was replaced as a whole (`"Date": "date"`, a masked
    /// `"output": "stateExitedEventDetails.output"`) and matches any value.
    pub fn is_whole_wildcard(&self, text: &str) -> bool {
        !is_numbered(text) && self.list.iter().any(|t| t == text)
    }

    /// True when `text` contains a token.
    pub fn occur_in(&self, text: &str) -> bool {
        self.list.iter().any(|t| text.contains(t.as_str()))
    }

    fn segments<'a>(&'a self, pattern: &'a str) -> Vec<Segment<'a>> {
        let mut segments = Vec::new();
        let mut literal_start = 0;
        let mut i = 0;
        while i < pattern.len() {
            let rest = &pattern[i..];
            match self.list.iter().find(|t| rest.starts_with(t.as_str())) {
                Some(token) => {
                    if literal_start < i {
                        segments.push(Segment::Literal(&pattern[literal_start..i]));
                    }
                    segments.push(Segment::Token(token));
                    i += token.len();
                    literal_start = i;
                }
                None => i += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        if literal_start < pattern.len() {
            segments.push(Segment::Literal(&pattern[literal_start..]));
        }
        segments
    }
}

/// The values numbered tokens stand for in one case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    values: BTreeMap<String, String>,
}

impl Bindings {
    /// The value bound to a numbered token, if any.
    pub fn get(&self, token: &str) -> Option<&str> {
        self.values.get(token).map(String::as_str)
    }

    /// Binds `token` to `value` unless another number of the same name
    /// already stands for that value.
    fn bind(&mut self, token: &str, value: &str) -> bool {
        let name = family(token);
        let taken = self.values.iter().any(|(t, v)| v == value && t != token && family(t) == name);
        if taken {
            return false;
        }
        self.values.insert(token.to_owned(), value.to_owned());
        true
    }

    fn unbind(&mut self, token: &str) {
        self.values.remove(token);
    }
}

/// Does our string `actual` match the recorded string `pattern`, whose
/// tokens are wildcards? On success the numbered tokens it used are bound in
/// `bindings`; on failure `bindings` is unchanged.
pub fn matches(tokens: &Tokens, pattern: &str, actual: &str, bindings: &mut Bindings) -> bool {
    let segments = tokens.segments(pattern);
    match_segments(&segments, actual, bindings)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Segment<'a> {
    Literal(&'a str),
    Token(&'a str),
}

fn match_segments(segments: &[Segment<'_>], text: &str, bindings: &mut Bindings) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return text.is_empty();
    };
    let token = match first {
        Segment::Literal(lit) => {
            return text.strip_prefix(lit).is_some_and(|tail| match_segments(rest, tail, bindings));
        }
        Segment::Token(token) => *token,
    };
    let numbered = is_numbered(token);
    if let Some(bound) = bindings.get(token).filter(|_| numbered).map(str::to_owned) {
        return text.strip_prefix(bound.as_str()).is_some_and(|tail| match_segments(rest, tail, bindings));
    }
    let ends: Vec<usize> =
        if rest.is_empty() { vec![text.len()] } else { text.char_indices().map(|(i, c)| i + c.len_utf8()).collect() };
    for end in ends.into_iter().filter(|end| *end > 0) {
        let (head, tail) = text.split_at(end);
        if matches!(rest.first(), Some(Segment::Literal(next)) if !tail.starts_with(next)) {
            continue;
        }
        if numbered && !bindings.bind(token, head) {
            continue;
        }
        if match_segments(rest, tail, bindings) {
            return true;
        }
        if numbered {
            bindings.unbind(token);
        }
    }
    false
}

/// `<name:digits>`.
fn is_numbered(token: &str) -> bool {
    token
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .and_then(|t| t.rsplit_once(':'))
        .is_some_and(|(name, n)| !name.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `<uuid:3>` → `uuid`.
fn family(token: &str) -> &str {
    token.rsplit_once(':').map_or(token, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tokens: &[&str], pattern: &str, actual: &str) -> bool {
        matches(&Tokens::new(tokens.iter().copied()), pattern, actual, &mut Bindings::default())
    }

    /// Patterns from the corpus (`test_task_service_lambda__test_no_such_function_catch`,
    /// `test_timeouts__test_fixed_timeout_lambda`, `test_express_sync__test_catch`).
    #[test]
    fn tokens_match_any_substring() {
        let arn_tokens =
            ["111111111111", "<lambda_function_name>", "<partition>", "<region>", "<request_id>", "arn:<partition>"];
        let cases: &[(&[&str], &str, &str, bool)] = &[
            (
                &arn_tokens,
                "Function not found: arn:<partition>:lambda:<region>:111111111111:function:no_such_<lambda_function_name>:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <request_id>; Proxy: null)",
                "Function not found: arn:aws:lambda:us-east-1:111111111111:function:no_such_raise_exception:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: 4f1a7c1e-8f0e-4d5e-9c33-0f6d2b1c2a10; Proxy: null)",
                true,
            ),
            (
                &arn_tokens,
                "arn:<partition>:lambda:<region>:111111111111:function:no_such_<lambda_function_name>",
                "arn:aws:lambda:us-east-1:111111111111:function:raise_exception",
                false,
            ),
            (
                &["<lambda_function_1_name>", "arn:<partition>", "<region>", "111111111111"],
                "arn:<partition>:lambda:<region>:111111111111:function:<lambda_function_1_name>",
                "arn:aws:lambda:us-east-1:111111111111:function:wait_60_seconds",
                true,
            ),
            (
                &["<request-id>"],
                r#"{"errorType":"Exception","requestId":<request-id>","stackTrace":[]}"#,
                r#"{"errorType":"Exception","requestId":"9d2f-11","stackTrace":[]}"#,
                true,
            ),
            (&["snf_role_arn"], "snf_role_arn", "arn:aws:iam::111111111111:role/x", true),
            (&["<region>"], "<region>", "", false),
            (&["<region>"], "a<region>b", "ab", false),
            (&[], "literal", "literal", true),
            (&[], "literal", "Literal", false),
        ];
        for (tokens, pattern, actual, want) in cases {
            assert_eq!(check(tokens, pattern, actual), *want, "{pattern} vs {actual}");
        }
    }

    #[test]
    fn numbered_tokens_bind_one_value_each() {
        let tokens = Tokens::new(["<uuid:1>", "<uuid:2>"]);
        let mut b = Bindings::default();
        assert!(matches(&tokens, "id <uuid:1>", "id aaa", &mut b));
        assert_eq!(b.get("<uuid:1>"), Some("aaa"));
        assert!(matches(&tokens, "again <uuid:1>", "again aaa", &mut b));
        assert!(!matches(&tokens, "again <uuid:1>", "again bbb", &mut b));
        // A different number cannot be the same value.
        assert!(!matches(&tokens, "<uuid:2>", "aaa", &mut b));
        assert!(matches(&tokens, "<uuid:2>", "bbb", &mut b));
        // A failed match leaves the bindings alone.
        let before = b.clone();
        let tokens3 = Tokens::new(["<uuid:3>"]);
        assert!(!matches(&tokens3, "<uuid:3>-x", "ccc-y", &mut b));
        assert_eq!(b, before);
    }

    #[test]
    fn whole_wildcards_are_unnumbered_tokens() {
        let tokens = Tokens::new(["date", "<uuid:1>", "stateExitedEventDetails.output"]);
        assert!(tokens.is_whole_wildcard("date"));
        assert!(tokens.is_whole_wildcard("stateExitedEventDetails.output"));
        assert!(!tokens.is_whole_wildcard("<uuid:1>"));
        assert!(!tokens.is_whole_wildcard("a date"));
        assert!(tokens.occur_in("a date"));
    }

    #[test]
    fn longest_token_wins() {
        let tokens = Tokens::new(["<partition>", "arn:<partition>"]);
        assert_eq!(
            tokens.segments("arn:<partition>:x"),
            vec![Segment::Token("arn:<partition>"), Segment::Literal(":x")]
        );
    }
}
