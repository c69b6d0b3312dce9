//! The JSONata tokenizer: operators, names, `$variables`, literals, regular
//! expressions and comments, with the S01xx errors jsonata-js reports.

use super::error::JsonataError;

/// One token and the character offset just past it (jsonata-js's `position`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub pos: usize,
}

/// Token kinds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Op(&'static str),
    Str(String),
    Num(f64),
    /// `true`, `false`, `null`.
    Value(serde_json::Value),
    /// A field name; `quoted` for `` `back quoted` `` names, which are never operators.
    Name {
        name: String,
        quoted: bool,
    },
    /// `$name` (the empty name is `$`, the context; `$$` is the root).
    Var(String),
    Regex {
        pattern: String,
        flags: String,
    },
    End,
}

/// Longest first. `??` and `?:` came with JSONata 2.1; Step Functions runs 2.0.6, so they are not operators.
const OPERATORS: [&str; 31] = [
    "..", ":=", "!=", ">=", "<=", "**", "~>", ".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+",
    "-", "*", "/", "%", "|", "=", "<", ">", "^", "&",
];

/// Splits `src` into tokens; `/` starts a regular expression where an operand is expected.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, JsonataError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            out.push(Token { kind: Tok::End, pos: i });
            return Ok(out);
        }
        let c = chars[i];
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            i += 2;
            loop {
                if i + 1 >= chars.len() {
                    return Err(JsonataError::new("S0106", start));
                }
                if chars[i] == '*' && chars[i + 1] == '/' {
                    i += 2;
                    break;
                }
                i += 1;
            }
            continue;
        }
        if c == '/' && expects_operand(out.last()) {
            let (tok, next) = regex(&chars, i)?;
            i = next;
            out.push(Token { kind: tok, pos: i });
            continue;
        }
        if c == '"' || c == '\'' {
            let (s, next) = string(&chars, i)?;
            i = next;
            out.push(Token { kind: Tok::Str(s), pos: i });
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let text: String = chars[start..i].iter().collect();
            let n: f64 = text.parse().unwrap_or(f64::INFINITY);
            if !n.is_finite() {
                return Err(JsonataError::token("S0102", i, text));
            }
            out.push(Token { kind: Tok::Num(n), pos: i });
            continue;
        }
        if let Some(op) = OPERATORS.iter().find(|op| starts_with(&chars, i, op)) {
            i += op.chars().count();
            out.push(Token { kind: Tok::Op(op), pos: i });
            continue;
        }
        if c == '`' {
            let start = i;
            i += 1;
            let from = i;
            while i < chars.len() && chars[i] != '`' {
                i += 1;
            }
            if i >= chars.len() {
                return Err(JsonataError::new("S0105", start));
            }
            let name: String = chars[from..i].iter().collect();
            i += 1;
            out.push(Token { kind: Tok::Name { name, quoted: true }, pos: i });
            continue;
        }
        let is_var = c == '$';
        let start = if is_var { i + 1 } else { i };
        let mut j = start;
        while j < chars.len() && !ends_name(chars[j]) {
            j += 1;
        }
        if is_var && j == start && chars.get(j) == Some(&'$') {
            j += 1;
        }
        if j == start && !is_var {
            return Err(JsonataError::token("S0204", i, c.to_string()));
        }
        let name: String = chars[start..j].iter().collect();
        i = j;
        let kind = if is_var {
            Tok::Var(name)
        } else {
            match name.as_str() {
                "true" => Tok::Value(true.into()),
                "false" => Tok::Value(false.into()),
                "null" => Tok::Value(serde_json::Value::Null),
                "and" => Tok::Op("and"),
                "or" => Tok::Op("or"),
                "in" => Tok::Op("in"),
                _ => Tok::Name { name, quoted: false },
            }
        };
        out.push(Token { kind, pos: i });
    }
}

fn starts_with(chars: &[char], i: usize, op: &str) -> bool {
    op.chars().enumerate().all(|(k, oc)| chars.get(i + k) == Some(&oc))
}

fn ends_name(c: char) -> bool {
    c.is_whitespace() || "[]{}().,;:?+-*/%|=<>^&!~@#\"'`$".contains(c)
}

/// A `/` is a regex where the previous token cannot end an operand.
fn expects_operand(prev: Option<&Token>) -> bool {
    match prev.map(|t| &t.kind) {
        None => true,
        Some(Tok::Op(op)) => !matches!(*op, ")" | "]" | "}"),
        Some(_) => false,
    }
}

fn regex(chars: &[char], start: usize) -> Result<(Tok, usize), JsonataError> {
    let mut i = start + 1;
    let mut depth = 0i32;
    let from = i;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(JsonataError::new("S0302", i));
        };
        if c == '/' && depth == 0 {
            break;
        }
        match c {
            '\\' => i += 1,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    let pattern: String = chars[from..i.min(chars.len())].iter().collect();
    if pattern.is_empty() {
        return Err(JsonataError::new("S0301", i));
    }
    i += 1;
    let fstart = i;
    while i < chars.len() && (chars[i] == 'i' || chars[i] == 'm') {
        i += 1;
    }
    let flags: String = chars[fstart..i].iter().collect();
    Ok((Tok::Regex { pattern, flags }, i))
}

fn string(chars: &[char], start: usize) -> Result<(String, usize), JsonataError> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut s = String::new();
    while let Some(&c) = chars.get(i) {
        if c == quote {
            return Ok((s, i + 1));
        }
        if c == '\\' {
            i += 1;
            let Some(&e) = chars.get(i) else { break };
            match e {
                '"' | '\\' | '/' | '\'' => s.push(e),
                'b' => s.push('\u{8}'),
                'f' => s.push('\u{c}'),
                'n' => s.push('\n'),
                'r' => s.push('\r'),
                't' => s.push('\t'),
                'u' => {
                    let hex: String = chars.get(i + 1..i + 5).map(|h| h.iter().collect()).unwrap_or_default();
                    let Some(code) = (hex.len() == 4).then(|| u32::from_str_radix(&hex, 16).ok()).flatten() else {
                        return Err(JsonataError::new("S0104", i));
                    };
                    i += 4;
                    push_utf16(&mut s, code, chars, &mut i);
                }
                other => return Err(JsonataError::token("S0103", i, other.to_string())),
            }
        } else {
            s.push(c);
        }
        i += 1;
    }
    Err(JsonataError::new("S0101", i))
}

/// Appends a `\uXXXX` code unit, pairing a high surrogate with a following `\uXXXX` low one.
fn push_utf16(s: &mut String, code: u32, chars: &[char], i: &mut usize) {
    if (0xD800..0xDC00).contains(&code) && chars.get(*i + 1) == Some(&'\\') && chars.get(*i + 2) == Some(&'u') {
        let hex: String = chars.get(*i + 3..*i + 7).map(|h| h.iter().collect()).unwrap_or_default();
        if let Ok(low) = u32::from_str_radix(&hex, 16)
            && (0xDC00..0xE000).contains(&low)
        {
            let cp = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            s.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            *i += 6;
            return;
        }
    }
    s.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
}
