//! Function signatures (`<s-nn?:s>`): parsed into a regular expression over
//! the arguments' type symbols, validated with jsonata-js's T0410/T0411/T0412.

use super::error::{Detail, JsonataError};
use super::value::Val;

/// A parsed signature.
#[derive(Debug)]
pub(crate) struct Signature {
    params: Vec<Param>,
    regex: regex::Regex,
}

#[derive(Debug)]
struct Param {
    kind: char,
    pattern: String,
    context: bool,
    optional: bool,
    subtype: Option<String>,
}

impl Signature {
    /// Parses `<...>`.
    pub fn parse(sig: &str) -> Result<Signature, JsonataError> {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 1;
        while i < chars.len() {
            let c = chars[i];
            if c == ':' || c == '>' && i == chars.len() - 1 {
                break;
            }
            let simple = |kind: char, pattern: &str| Param {
                kind,
                pattern: pattern.into(),
                context: false,
                optional: false,
                subtype: None,
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(c, &format!("[{c}m]"))),
                'a' => params.push(simple('a', "[asnblfom]")),
                'f' => params.push(simple('f', "f")),
                'j' => params.push(simple('j', "[asnblom]")),
                'x' => params.push(simple('x', "[asnblfom]")),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context = true;
                        p.pattern.push('?');
                    }
                }
                '?' | '+' => {
                    if let Some(p) = params.last_mut() {
                        p.pattern.push(c);
                        p.optional |= c == '?';
                    }
                }
                '(' => {
                    let end = closing(&chars, i, '(', ')');
                    let choice: String = chars[i + 1..end.min(chars.len())].iter().collect();
                    if choice.contains('<') {
                        return Err(JsonataError::new("S0402", i));
                    }
                    params.push(simple('(', &format!("[{choice}m]")));
                    i = end;
                }
                '<' => {
                    let end = closing(&chars, i, '<', '>');
                    match params.last_mut() {
                        Some(p) if p.kind == 'a' || p.kind == 'f' => {
                            p.subtype = Some(chars[i + 1..end.min(chars.len())].iter().collect());
                        }
                        _ => return Err(JsonataError::new("S0401", i)),
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        let source: String =
            std::iter::once("^".to_string()).chain(params.iter().map(|p| format!("({})", p.pattern))).collect();
        let regex = regex::Regex::new(&format!("{source}$")).map_err(|_| JsonataError::new("S0402", 0))?;
        Ok(Signature { params, regex })
    }

    /// Checks `args` against the signature, inserting the context where a `-` parameter is missing;
    /// `name` is the function's name for messages.
    pub fn validate<'a>(
        &self,
        name: &str,
        args: Vec<Option<Val<'a>>>,
        context: Option<&Val<'a>>,
    ) -> Result<Vec<Option<Val<'a>>>, JsonataError> {
        let symbols: String = args.iter().map(|a| a.as_ref().map_or('m', Val::symbol)).collect();
        let Some(caps) = self.regex.captures(&symbols) else {
            return Err(self.mismatch(name, &symbols));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut arg_index = 0;
        for (index, param) in self.params.iter().enumerate() {
            let matched = caps.get(index + 1).map_or("", |m| m.as_str());
            if matched.is_empty() {
                if param.context {
                    let symbol = context.map_or('m', Val::symbol);
                    let ok = regex::Regex::new(&format!("^{}$", param.pattern.trim_end_matches('?')))
                        .is_ok_and(|r| r.is_match(&symbol.to_string()));
                    if !ok {
                        return Err(JsonataError::with(
                            "T0411",
                            0,
                            Detail { token: Some(name.into()), index: Some(arg_index + 1), ..Detail::default() },
                        ));
                    }
                    out.push(context.cloned());
                } else {
                    out.push(args.get(arg_index).cloned().flatten());
                    arg_index += 1;
                }
                continue;
            }
            for single in matched.chars() {
                let mut arg = args.get(arg_index).cloned().flatten();
                if param.kind == 'a' && single != 'm' {
                    if let (Some(sub), Some(a)) = (&param.subtype, &arg) {
                        let ok = match a.arr() {
                            None => single.to_string() == *sub || sub.starts_with(single),
                            Some(items) => {
                                let first = sub.chars().next().unwrap_or('x');
                                first == 'x' || items.iter().all(|v| v.symbol() == first)
                            }
                        };
                        if !ok {
                            let kind = match sub.chars().next() {
                                Some('a') => "arrays",
                                Some('b') => "booleans",
                                Some('f') => "functions",
                                Some('n') => "numbers",
                                Some('o') => "objects",
                                _ => "strings",
                            };
                            return Err(JsonataError::with(
                                "T0412",
                                0,
                                Detail {
                                    token: Some(name.into()),
                                    index: Some(arg_index + 1),
                                    kind: Some(kind),
                                    ..Detail::default()
                                },
                            ));
                        }
                    }
                    if let Some(a) = &arg
                        && !a.is_array()
                    {
                        arg = Some(Val::array(vec![a.clone()]));
                    }
                }
                out.push(arg);
                arg_index += 1;
            }
        }
        Ok(out)
    }

    fn mismatch(&self, name: &str, symbols: &str) -> JsonataError {
        let mut partial = String::from("^");
        let mut good = 0;
        for p in &self.params {
            partial.push_str(&p.pattern);
            match regex::Regex::new(&partial).ok().and_then(|r| r.find(symbols)) {
                Some(m) => good = m.end(),
                None => break,
            }
        }
        JsonataError::with("T0410", 0, Detail { token: Some(name.into()), index: Some(good + 1), ..Detail::default() })
    }

    /// How many parameters a callback receives: the required ones (as a JavaScript function's `length`).
    pub fn arity(&self) -> usize {
        self.params.iter().filter(|p| !p.optional).count()
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut i = start;
    while i + 1 < chars.len() {
        i += 1;
        if chars[i] == close {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        } else if chars[i] == open {
            depth += 1;
        }
    }
    chars.len()
}
