//! The function library: JSONata's standard functions (a file per family) and
//! Step Functions' own (`$partition`, `$range`, `$hash`, `$random`, `$uuid`,
//! `$parse`). `$eval` is absent, as in Step Functions, so calling it is T1006.

mod array;
mod aws;
mod datetime;
mod integer;
mod numeric;
mod object;
mod picture;
mod string;

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use super::ast::Regex;
use super::error::JsonataError;
use super::eval::{Ctx, R};
use super::signature::Signature;
use super::value::{Val, View, js_number, to_precision_15};

/// A native function's body: the validated arguments in, a value out.
pub(crate) type Native = for<'a, 'c> fn(&mut Ctx<'a, 'c>, Vec<Option<Val<'a>>>) -> R<'a>;

/// A built-in function.
pub(crate) struct Builtin {
    pub name: &'static str,
    pub sig: &'static str,
    pub native: Native,
}

macro_rules! builtins {
    ($($name:literal $sig:literal $f:path),* $(,)?) => {
        static BUILTINS: &[Builtin] = &[$(Builtin { name: $name, sig: $sig, native: $f }),*];
    };
}

builtins! {
    "sum" "<a<n>:n>" numeric::sum,
    "count" "<a:n>" array::count,
    "max" "<a<n>:n>" numeric::max,
    "min" "<a<n>:n>" numeric::min,
    "average" "<a<n>:n>" numeric::average,
    "string" "<x-b?:s>" string::string,
    "substring" "<s-nn?:s>" string::substring,
    "substringBefore" "<s-s:s>" string::substring_before,
    "substringAfter" "<s-s:s>" string::substring_after,
    "lowercase" "<s-:s>" string::lowercase,
    "uppercase" "<s-:s>" string::uppercase,
    "length" "<s-:n>" string::length,
    "trim" "<s-:s>" string::trim,
    "pad" "<s-ns?:s>" string::pad,
    "match" "<s-f<s:o>n?:a<o>>" string::matches,
    "contains" "<s-(sf):b>" string::contains,
    "replace" "<s-(sf)(sf)n?:s>" string::replace,
    "split" "<s-(sf)n?:a<s>>" string::split,
    "join" "<a<s>s?:s>" string::join,
    "formatNumber" "<n-so?:s>" numeric::format_number,
    "formatBase" "<n-n?:s>" numeric::format_base,
    "formatInteger" "<n-s:s>" numeric::format_integer,
    "parseInteger" "<s-s:n>" numeric::parse_integer,
    "number" "<(nsb)-:n>" numeric::number,
    "floor" "<n-:n>" numeric::floor,
    "ceil" "<n-:n>" numeric::ceil,
    "round" "<n-n?:n>" numeric::round,
    "abs" "<n-:n>" numeric::abs,
    "sqrt" "<n-:n>" numeric::sqrt,
    "power" "<n-n:n>" numeric::power,
    "boolean" "<x-:b>" object::boolean,
    "not" "<x-:b>" object::not,
    "map" "<af>" array::map,
    "zip" "<a+>" array::zip,
    "filter" "<af>" array::filter,
    "single" "<af?>" array::single,
    "reduce" "<afj?:j>" array::reduce,
    "sift" "<o-f?:o>" object::sift,
    "keys" "<x-:a<s>>" object::keys,
    "lookup" "<x-s:x>" object::lookup,
    "append" "<xx:a>" array::append,
    "exists" "<x:b>" object::exists,
    "spread" "<x-:a<o>>" object::spread,
    "merge" "<a<o>:o>" object::merge,
    "reverse" "<a:a>" array::reverse,
    "each" "<o-f:a>" object::each,
    "error" "<s?:x>" object::error,
    "assert" "<bs?:x>" object::assert,
    "type" "<x:s>" object::type_of,
    "sort" "<af?:a>" array::sort,
    "shuffle" "<a:a>" array::shuffle,
    "distinct" "<x:x>" array::distinct,
    "base64encode" "<s-:s>" string::base64_encode,
    "base64decode" "<s-:s>" string::base64_decode,
    "encodeUrlComponent" "<s-:s>" string::encode_url_component,
    "encodeUrl" "<s-:s>" string::encode_url,
    "decodeUrlComponent" "<s-:s>" string::decode_url_component,
    "decodeUrl" "<s-:s>" string::decode_url,
    "now" "<s?s?:s>" datetime::now,
    "millis" "<:n>" datetime::millis,
    "toMillis" "<s-s?:n>" datetime::to_millis,
    "fromMillis" "<n-s?s?:s>" datetime::from_millis,
    "partition" "<an:a>" aws::partition,
    "range" "<nnn?:a<n>>" aws::range,
    "hash" "<ss?:s>" aws::hash,
    "random" "<n?:n>" aws::random,
    "uuid" "<:s>" aws::uuid,
    "parse" "<s:j>" aws::parse,
}

/// The built-in function called `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// The parsed signature of `b`, parsed once per process.
pub(crate) fn signature(b: &Builtin) -> &'static Signature {
    static SIGS: OnceLock<HashMap<&'static str, Signature>> = OnceLock::new();
    let sigs = SIGS
        .get_or_init(|| BUILTINS.iter().filter_map(|b| Signature::parse(b.sig).ok().map(|s| (b.name, s))).collect());
    sigs.get(b.name).unwrap_or_else(|| sigs.get("type").expect("every built-in signature in the table parses"))
}

/// How many parameters `b` declares.
pub(crate) fn arity(b: &Builtin) -> usize {
    signature(b).arity()
}

/// `$string`'s conversion (also used by `&`): strings as they are, numbers to 15 significant digits, others as JSON.
pub(crate) fn stringify(v: &Val<'_>, pretty: bool) -> Result<String, JsonataError> {
    match v.view() {
        View::Str(s) => Ok(s.to_string()),
        View::Func(_) => Ok(String::new()),
        View::Num(n) if !n.is_finite() => Err(JsonataError::new("D3001", 0)),
        View::Num(n) => Ok(js_number(to_precision_15(n))),
        _ => {
            if super::value::nests_deeper(v, super::value::MAX_NESTING) {
                return Err(JsonataError::new("D1011", 0));
            }
            let mut out = String::new();
            write_json(v, pretty, 0, &mut out);
            Ok(out)
        }
    }
}

fn write_json(v: &Val<'_>, pretty: bool, indent: usize, out: &mut String) {
    let newline = |out: &mut String, level: usize| {
        if pretty {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', level * 2));
        }
    };
    match v.view() {
        View::Null => out.push_str("null"),
        View::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        View::Num(n) if n.is_finite() => out.push_str(&js_number(to_precision_15(n))),
        View::Num(_) => out.push_str("null"),
        View::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        View::Func(_) => out.push_str("\"\""),
        View::Arr(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent + 1);
                write_json(&x, pretty, indent + 1, out);
            }
            if a.len() > 0 {
                newline(out, indent);
            }
            out.push(']');
        }
        View::Obj(o) => {
            out.push('{');
            let entries = o.entries();
            for (i, (k, x)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent + 1);
                out.push_str(&serde_json::to_string(&**k).unwrap_or_default());
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(x, pretty, indent + 1, out);
            }
            if !entries.is_empty() {
                newline(out, indent);
            }
            out.push('}');
        }
    }
}

/// The first match of `r` in `s` at or after char `from`, as jsonata's match object `{match, index, groups}`.
pub(crate) fn regex_match<'a>(r: &Regex, s: &str, from: usize) -> Option<Val<'a>> {
    let start = s.char_indices().nth(from).map_or(s.len(), |(b, _)| b);
    let caps = r.re.captures_at(s, start)?;
    let m = caps.get(0)?;
    let groups: Vec<Val<'a>> = caps.iter().skip(1).map(|g| Val::str(g.map_or("", |g| g.as_str()))).collect();
    let mut obj = indexmap::IndexMap::new();
    obj.insert(Rc::from("match"), Val::str(m.as_str()));
    obj.insert(Rc::from("index"), Val::Num(s[..m.start()].chars().count() as f64));
    obj.insert(Rc::from("groups"), Val::array(groups));
    Some(Val::Obj(Rc::new(obj)))
}

/// The first argument, which a `-` signature guarantees is present or undefined.
pub(crate) fn arg<'a>(args: &[Option<Val<'a>>], i: usize) -> Option<Val<'a>> {
    args.get(i).cloned().flatten()
}
