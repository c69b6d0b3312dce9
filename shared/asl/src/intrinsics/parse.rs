//! The intrinsic call parser: text to [`Call`], once per definition.
//!
//! Grammar, from "Intrinsic functions for JSONPath states"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>):
//!
//! ```text
//! call    = name ws* "(" ws* [ arg ( ws* "," ws* arg )* ] ws* ")"
//! name    = "States." letters            (one of the known functions)
//! arg     = string | number | "true" | "false" | "null" | path | call
//! string  = "'" ( char | "\'" | "\{" | "\}" | "\\" )* "'"
//! number  = "-"? digits ( "." digits )? ( ("e" | "E") ("+" | "-")? digits )?
//! path    = "$" …  |  "$$" …  |  "$name" …   (JSONPath, see crate::path)
//! ```
//!
//! The page reserves `'`, `{`, `}` and `\` and says an "open escape backslash"
//! is an error, so any other backslash sequence is rejected here. AWS allows
//! up to 10 nested intrinsic functions in a field.

use super::{Arg, Call, Function, StrLiteral};
use crate::path::Path;
use serde_json::Value;

/// The deepest nesting of calls accepted (the outermost call counts).
const MAX_DEPTH: usize = 10;

/// The deepest nesting of brackets and parentheses accepted in a path
/// argument; the JSONPath parser recurses on each level of a filter.
const MAX_PATH_NESTING: usize = 32;

/// Parses a whole call; the error is the reason, with a position.
pub(super) fn parse(text: &str) -> Result<Call, String> {
    let mut p = Parser { text, pos: 0 };
    p.skip_ws();
    let call = p.call(1)?;
    p.skip_ws();
    if p.pos != text.len() {
        return Err(p.error("unexpected text after the closing ')'"));
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at position {}", self.pos)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        &self.text[start..self.pos]
    }

    fn call(&mut self, depth: usize) -> Result<Call, String> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("intrinsic functions cannot be nested more than {MAX_DEPTH} deep")));
        }
        let start = self.pos;
        let name = self.take_while(|c| c.is_alphanumeric() || c == '.' || c == '_');
        if name.is_empty() {
            return Err(self.error("expected an intrinsic function name"));
        }
        let function = Function::from_name(name).ok_or_else(|| {
            self.pos = start;
            self.error(&format!("unknown intrinsic function '{name}'"))
        })?;
        self.skip_ws();
        if self.bump() != Some('(') {
            return Err(self.error(&format!("expected '(' after {name}")));
        }
        let args = self.args(depth)?;
        check_arity(function, &args)?;
        Ok(Call { function, args })
    }

    /// The arguments after `(`, through the closing `)`.
    fn args(&mut self, depth: usize) -> Result<Vec<Arg>, String> {
        let mut args = Vec::new();
        self.skip_ws();
        if self.rest().starts_with(')') {
            self.bump();
            return Ok(args);
        }
        loop {
            self.skip_ws();
            args.push(self.arg(depth)?);
            self.skip_ws();
            match self.bump() {
                Some(',') => {}
                Some(')') => return Ok(args),
                Some(_) => {
                    self.pos -= self.text[..self.pos].chars().next_back().map_or(0, char::len_utf8);
                    return Err(self.error("expected ',' or ')'"));
                }
                None => return Err(self.error("expected ')'")),
            }
        }
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        match self.peek() {
            Some('\'') => self.string().map(Arg::Str),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(c) if c.is_alphabetic() => {
                for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)]
                {
                    let after = self.rest().strip_prefix(word).map(|r| r.chars().next());
                    if let Some(next) = after
                        && !next.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_')
                    {
                        self.pos += word.len();
                        return Ok(Arg::Literal(value));
                    }
                }
                self.call(depth + 1).map(|c| Arg::Call(Box::new(c)))
            }
            Some(_) => Err(self.error("expected an argument: a string, number, boolean, null, path or function")),
            None => Err(self.error("expected an argument")),
        }
    }

    /// A single-quoted string; records where an unescaped `{}` occurs.
    fn string(&mut self) -> Result<StrLiteral, String> {
        self.bump();
        let mut value = String::new();
        let mut placeholders = Vec::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string literal")),
                Some('\'') => {
                    return Ok(StrLiteral { value, placeholders });
                }
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    Some(c) => {
                        return Err(self
                            .error(&format!("'\\{c}' is not an escape sequence (only \\', \\{{, \\}} and \\\\ are)")));
                    }
                    None => return Err(self.error("unterminated escape sequence")),
                },
                Some('{') if self.rest().starts_with('}') => {
                    self.bump();
                    placeholders.push(value.len());
                    value.push_str("{}");
                }
                Some(c) => value.push(c),
            }
        }
    }

    fn number(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        if self.rest().starts_with('-') {
            self.bump();
        }
        let digits = |p: &mut Self| !p.take_while(|c| c.is_ascii_digit()).is_empty();
        let mut ok = digits(self);
        if ok && self.rest().starts_with('.') {
            self.bump();
            ok = digits(self);
        }
        if ok && self.rest().starts_with(['e', 'E']) {
            self.bump();
            if self.rest().starts_with(['+', '-']) {
                self.bump();
            }
            ok = digits(self);
        }
        let text = &self.text[start..self.pos];
        match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Number(_)) if ok => Ok(Arg::Literal(v)),
            _ => {
                self.pos = start;
                Err(self.error(&format!("invalid number '{text}'")))
            }
        }
    }

    /// `$…`, `$$…` or `$name…`, up to the `,` or `)` that ends the argument.
    fn path(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        let (text, depth) = self.path_text();
        if depth > MAX_PATH_NESTING {
            return Err(format!(
                "the path at position {start} nests brackets and parentheses more than {MAX_PATH_NESTING} deep"
            ));
        }
        let invalid = |e: crate::path::PathSyntaxError| format!("invalid path '{text}' at position {start}: {e}");
        let after_dollar = text.get(1..).unwrap_or_default();
        if after_dollar.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            let end = after_dollar.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after_dollar.len());
            let (name, tail) = after_dollar.split_at(end);
            let path = Path::parse(&format!("${tail}")).map_err(invalid)?;
            return Ok(Arg::Variable { name: name.to_owned(), path });
        }
        Path::parse(text).map(Arg::Path).map_err(invalid)
    }

    /// Scans a path: it ends at whitespace, `,` or an unmatched `)` outside
    /// brackets, so filters like `[?(@.a == 'x, y')]` stay whole. Also returns
    /// the deepest nesting of brackets and parentheses seen.
    fn path_text(&mut self) -> (&'a str, usize) {
        let start = self.pos;
        let (mut brackets, mut parens, mut quote) = (0usize, 0usize, None::<char>);
        let mut deepest = 0;
        while let Some(c) = self.peek() {
            if let Some(q) = quote {
                if c == '\\' {
                    self.bump();
                } else if c == q {
                    quote = None;
                }
            } else {
                match c {
                    '\'' | '"' if brackets > 0 => quote = Some(c),
                    '[' => brackets += 1,
                    ']' => brackets = brackets.saturating_sub(1),
                    '(' => parens += 1,
                    ')' if parens > 0 => parens -= 1,
                    ')' | ',' if brackets == 0 => break,
                    c if c.is_whitespace() && brackets == 0 && parens == 0 => break,
                    _ => {}
                }
                deepest = deepest.max(brackets + parens);
            }
            self.bump();
        }
        (&self.text[start..self.pos], deepest)
    }
}

/// Checks the argument count against the function's.
///
/// A literal `States.Format` template whose `{}` count differs from its
/// arguments is left to fail when evaluated: the AWS page's own nine-function
/// example has three `{}` and two arguments, so AWS cannot be assumed to
/// reject it when the definition is created.
fn check_arity(function: Function, args: &[Arg]) -> Result<(), String> {
    let (min, max) = function.arity();
    let n = args.len();
    if n < min || max.is_some_and(|max| n > max) {
        let expected = match max {
            Some(max) if max == min => format!("{min}"),
            Some(max) => format!("{min} to {max}"),
            None => format!("at least {min}"),
        };
        let plural = if expected == "1" { "" } else { "s" };
        return Err(format!("{} takes {expected} argument{plural}, but {n} were given", function.name()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intrinsics::Intrinsic;
    use proptest::prelude::*;
    use serde_json::json;

    fn str_lit(value: &str, placeholders: &[usize]) -> Arg {
        Arg::Str(StrLiteral { value: value.to_owned(), placeholders: placeholders.to_vec() })
    }

    fn path(text: &str) -> Arg {
        Arg::Path(Path::parse(text).unwrap())
    }

    #[test]
    #[rustfmt::skip]
    fn arguments_parse_to_the_tree() {
        let cases: Vec<(&str, Vec<Arg>)> = vec![
            ("States.Array()", vec![]),
            ("States.Array( 1 , -2.5, 1e3, true, false, null )", vec![
                Arg::Literal(json!(1)),
                Arg::Literal(json!(-2.5)),
                Arg::Literal(json!(1000.0)),
                Arg::Literal(json!(true)),
                Arg::Literal(json!(false)),
                Arg::Literal(json!(null)),
            ]),
            ("States.Array($, $$, $.a.b, $[0], $$.Execution.Id)", vec![
                path("$"),
                path("$$"),
                path("$.a.b"),
                path("$[0]"),
                path("$$.Execution.Id"),
            ]),
            ("States.Array($.a[?(@.b == 'x, y)')])", vec![path("$.a[?(@.b == 'x, y)')]")]),
            (r"States.Array('it\'s \{\} {} \\')", vec![str_lit(r"it's {} {} \", &[8])]),
            ("States.Array('{\"a\": 1}')", vec![str_lit("{\"a\": 1}", &[])]),
            ("States.Array($var, $v_2.a)", vec![
                Arg::Variable { name: "var".into(), path: Path::parse("$").unwrap() },
                Arg::Variable { name: "v_2".into(), path: Path::parse("$.a").unwrap() },
            ]),
        ];
        for (text, args) in cases {
            assert_eq!(parse(text), Ok(Call { function: Function::Array, args }), "{text}");
        }
    }

    #[test]
    fn nested_calls_parse() {
        // The nine-function example of the AWS intrinsic functions page.
        let text = "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
        let call = parse(text).unwrap();
        assert_eq!(call.function, Function::Format);
        assert_eq!(call.args.len(), 3);
        assert!(matches!(&call.args[1], Arg::Call(c) if c.function == Function::ArrayGetItem));
        // Its template has three `{}` for two arguments: that fails when run.
        let failure = Intrinsic::parse(text).unwrap().eval(
            &json!({"ImageRecipe": {"Arn": "a/b/1.0.3"}}),
            &json!({}),
            &mut crate::rng::Rng::new(0),
        );
        assert_eq!(failure.unwrap_err().error, "States.IntrinsicFailure");
        let fixed = text.replacen("'{}.{}.{}'", "'{}.{}'", 1);
        let value = Intrinsic::parse(&fixed).unwrap().eval(
            &json!({"ImageRecipe": {"Arn": "a/b/1.0.3"}}),
            &json!({}),
            &mut crate::rng::Rng::new(0),
        );
        assert_eq!(value, Ok(json!("1.0")));
    }

    #[test]
    #[rustfmt::skip]
    fn bad_calls_are_syntax_errors() {
        let cases = [
            ("", "expected an intrinsic function name"),
            ("States.Nope()", "unknown intrinsic function 'States.Nope'"),
            ("states.array()", "unknown intrinsic function"),
            ("States.Array", "expected '('"),
            ("States.Array(", "expected an argument"),
            ("States.Array(1", "expected ')'"),
            ("States.Array(1 2)", "expected ',' or ')'"),
            ("States.Array(1,)", "expected an argument"),
            ("States.Array() x", "unexpected text"),
            ("States.Array('abc)", "unterminated string"),
            (r"States.Array('a\nb')", "not an escape sequence"),
            (r"States.Array('a\')", "unterminated string"),
            ("States.Array(-)", "invalid number"),
            ("States.Array(1.)", "invalid number"),
            ("States.Array(01)", "invalid number"),
            ("States.Array(tru)", "unknown intrinsic function 'tru'"),
            ("States.Array($.)", "invalid path"),
            ("States.Array($['a)", "invalid path"),
            ("States.Array(#)", "expected an argument"),
            ("States.UUID(1)", "States.UUID takes 0 arguments, but 1 were given"),
            ("States.ArrayLength()", "States.ArrayLength takes 1 argument, but 0 were given"),
            ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments"),
            ("States.JsonMerge($.a, $.b)", "takes 3 arguments"),
            ("States.Format()", "takes at least 1 argument"),
        ];
        for (text, reason) in cases {
            let err = Intrinsic::parse(text).expect_err(text);
            assert!(err.reason.contains(reason), "{text}: {}", err.reason);
            assert_eq!(err.text, text);
        }
    }

    #[test]
    fn nesting_is_limited_to_ten() {
        let nest = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
        assert!(Intrinsic::parse(&nest(10)).is_ok());
        assert!(Intrinsic::parse(&nest(11)).unwrap_err().reason.contains("nested more than 10"));
        assert!(Intrinsic::parse(&nest(10_000)).is_err());
        let deep_filter = |n: usize| format!("States.Array($[?({}@.a{})])", "(".repeat(n), ")".repeat(n));
        assert!(Intrinsic::parse(&deep_filter(5)).is_ok());
        assert!(Intrinsic::parse(&deep_filter(100_000)).unwrap_err().reason.contains("more than 32 deep"));
    }

    #[test]
    fn error_message_names_the_text() {
        let err = Intrinsic::parse("States.Nope()").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid intrinsic function 'States.Nope()': unknown intrinsic function 'States.Nope' at position 0"
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,64}") {
            let _ = Intrinsic::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_near_calls(
            name in prop::sample::select(vec!["States.Format", "States.Array", "States.MathAdd", "States.Hash", "States.X"]),
            body in "[$.\\[\\]()',{}\\\\ a-z0-9@?=\"-]{0,40}",
        ) {
            let _ = Intrinsic::parse(&format!("{name}({body})"));
        }
    }
}
