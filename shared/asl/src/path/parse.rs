//! The JSONPath parser: text to [`Path`], once per definition.

use super::{CompareOp, Filter, Operand, Path, Root, Segment};
use serde_json::Value;

/// A path that does not parse, with the byte offset where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSONPath '{path}': {reason} at position {position}")]
pub struct PathSyntaxError {
    /// The text that was parsed.
    pub path: String,
    /// What was expected.
    pub reason: &'static str,
    /// Byte offset of the problem.
    pub position: usize,
}

pub(super) fn parse_path(text: &str) -> Result<Path, PathSyntaxError> {
    let mut p = Parser { text, pos: 0, depth: 0 };
    if !p.eat("$") {
        return Err(p.error("a path must start with '$'"));
    }
    let root = if p.eat("$") { Root::Context } else { Root::Input };
    let segments = p.segments()?;
    if p.pos != text.len() {
        return Err(p.error("unexpected character"));
    }
    Ok(Path { text: text.to_owned(), root, segments })
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    /// Nesting of filters and parentheses, bounded so no input overflows the stack.
    depth: usize,
}

/// How deeply filters and parentheses may nest.
const MAX_DEPTH: usize = 32;

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn error(&self, reason: &'static str) -> PathSyntaxError {
        PathSyntaxError { path: self.text.to_owned(), reason, position: self.pos }
    }

    fn segments(&mut self) -> Result<Vec<Segment>, PathSyntaxError> {
        let mut out = Vec::new();
        loop {
            if self.eat("..") {
                let inner = if self.eat("*") {
                    Segment::Wildcard
                } else if self.peek() == Some('[') {
                    self.bracket()?
                } else {
                    Segment::Child(self.dot_name()?)
                };
                out.push(Segment::Descendant(Box::new(inner)));
            } else if self.eat(".") {
                if self.eat("*") {
                    out.push(Segment::Wildcard);
                } else {
                    out.push(Segment::Child(self.dot_name()?));
                }
            } else if self.peek() == Some('[') {
                out.push(self.bracket()?);
            } else {
                return Ok(out);
            }
        }
    }

    /// A name after `.`: everything up to the next `.`, `[` or the end, as
    /// Jayway reads dot notation. Whitespace and parentheses end it too, so
    /// filters can follow.
    fn dot_name(&mut self) -> Result<String, PathSyntaxError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if matches!(c, '.' | '[' | ']' | '(' | ')' | '=' | '!' | '<' | '>' | '&' | '|' | ',') || c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(self.error("expected a property name"));
        }
        Ok(self.text[start..self.pos].to_owned())
    }

    fn bracket(&mut self) -> Result<Segment, PathSyntaxError> {
        self.eat("[");
        self.skip_ws();
        let segment = if self.eat("*") {
            Segment::Wildcard
        } else if self.eat("?") {
            self.skip_ws();
            if !self.eat("(") {
                return Err(self.error("expected '(' after '?'"));
            }
            let filter = self.filter_or()?;
            self.skip_ws();
            if !self.eat(")") {
                return Err(self.error("expected ')' to close the filter"));
            }
            Segment::Filter(filter)
        } else if matches!(self.peek(), Some('\'' | '"')) {
            let mut names = vec![self.quoted()?];
            self.skip_ws();
            while self.eat(",") {
                self.skip_ws();
                names.push(self.quoted()?);
                self.skip_ws();
            }
            if names.len() == 1 {
                Segment::Child(names.pop().expect("one name was pushed"))
            } else {
                Segment::Names(names)
            }
        } else {
            self.index_or_slice()?
        };
        self.skip_ws();
        if !self.eat("]") {
            return Err(self.error("expected ']'"));
        }
        Ok(segment)
    }

    fn quoted(&mut self) -> Result<String, PathSyntaxError> {
        let quote = match self.peek() {
            Some(q @ ('\'' | '"')) => q,
            _ => return Err(self.error("expected a quoted name")),
        };
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated quoted name")),
                // Only the quote itself is escaped; any other backslash stays,
                // as Jayway reads it (recorded: scenarios/
                // test_escape_sequence_parsing_ESCAPE_SEQUENCES_JSONPATH).
                Some('\\') if self.rest()[1..].starts_with(quote) => {
                    out.push(quote);
                    self.pos += 1 + quote.len_utf8();
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(c) => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn int(&mut self) -> Option<i64> {
        let start = self.pos;
        self.eat("-");
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        match self.text[start..self.pos].parse() {
            Ok(n) => Some(n),
            Err(_) => {
                self.pos = start;
                None
            }
        }
    }

    fn index_or_slice(&mut self) -> Result<Segment, PathSyntaxError> {
        let first = self.int();
        self.skip_ws();
        if self.peek() == Some(':') {
            self.pos += 1;
            self.skip_ws();
            let end = self.int();
            self.skip_ws();
            let step = if self.eat(":") {
                self.skip_ws();
                self.int()
            } else {
                None
            };
            return Ok(Segment::Slice(first, end, step));
        }
        let first = first.ok_or_else(|| self.error("expected an index, '*', a slice, a name or a filter"))?;
        let mut indexes = vec![first];
        while self.eat(",") {
            self.skip_ws();
            indexes.push(self.int().ok_or_else(|| self.error("expected an index"))?);
            self.skip_ws();
        }
        Ok(if indexes.len() == 1 { Segment::Index(first) } else { Segment::Indexes(indexes) })
    }

    fn filter_or(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut left = self.filter_and()?;
        loop {
            self.skip_ws();
            if !self.eat("||") {
                return Ok(left);
            }
            let right = self.filter_and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
    }

    fn filter_and(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut left = self.filter_unary()?;
        loop {
            self.skip_ws();
            if !self.eat("&&") {
                return Ok(left);
            }
            let right = self.filter_unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
    }

    fn filter_unary(&mut self) -> Result<Filter, PathSyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("filters are nested too deeply"));
        }
        let filter = self.filter_unary_inner();
        self.depth -= 1;
        filter
    }

    fn filter_unary_inner(&mut self) -> Result<Filter, PathSyntaxError> {
        self.skip_ws();
        if self.eat("!") && !self.rest().starts_with('=') {
            return Ok(Filter::Not(Box::new(self.filter_unary()?)));
        }
        if self.eat("(") {
            let inner = self.filter_or()?;
            self.skip_ws();
            if !self.eat(")") {
                return Err(self.error("expected ')'"));
            }
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_ws();
        let op = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ]
        .into_iter()
        .find(|(text, _)| self.eat(text))
        .map(|(_, op)| op);
        match op {
            Some(op) => {
                self.skip_ws();
                let right = self.operand()?;
                Ok(Filter::Compare(left, op, right))
            }
            None => Ok(Filter::Exists(left)),
        }
    }

    fn operand(&mut self) -> Result<Operand, PathSyntaxError> {
        if self.eat("@") {
            return Ok(Operand::Current(self.segments()?));
        }
        if self.eat("$") {
            return Ok(Operand::Root(self.segments()?));
        }
        if matches!(self.peek(), Some('\'' | '"')) {
            return Ok(Operand::Literal(Value::String(self.quoted()?)));
        }
        for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
            if self.eat(word) {
                return Ok(Operand::Literal(value));
            }
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')) {
            self.pos += 1;
        }
        serde_json::from_str::<serde_json::Number>(&self.text[start..self.pos])
            .map(|n| Operand::Literal(Value::Number(n)))
            .map_err(|_| {
                self.pos = start;
                self.error("expected '@', '$' or a literal in the filter")
            })
    }
}
