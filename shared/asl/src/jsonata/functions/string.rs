//! String functions: `$string`, `$substring`, `$pad`, `$match`, `$replace`, `$split`, encodings.

use std::rc::Rc;

use base64::Engine;

use super::super::error::{Detail, JsonataError};
use super::super::eval::{Ctx, Func, R};
use super::super::value::Val;
use super::{arg, regex_match, stringify};

fn s<'a>(v: impl Into<String>) -> R<'a> {
    Ok(Some(Val::Str(Rc::from(v.into()))))
}

pub(super) fn string<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let pretty = arg(&args, 1).is_some_and(|p| matches!(p.view(), super::View::Bool(true)));
    s(stringify(&v, pretty)?)
}

fn chars_of(v: &Val<'_>) -> Vec<char> {
    v.as_str().unwrap_or_default().chars().collect()
}

pub(super) fn substring<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let chars = chars_of(&v);
    let len = chars.len() as f64;
    let mut start = arg(&args, 1).and_then(|n| n.num()).unwrap_or(0.0);
    if start < 0.0 {
        start = (len + start).max(0.0);
    }
    let start = start.min(len);
    let end = match arg(&args, 2).and_then(|n| n.num()) {
        None => len,
        Some(n) if n <= 0.0 => return s(""),
        Some(n) => (start + n).min(len),
    };
    s(chars[start as usize..end.max(start) as usize].iter().collect::<String>())
}

pub(super) fn substring_before<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(c)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(arg(&args, 0)) };
    let (v, c) = (v.as_str().unwrap_or_default().to_string(), c.as_str().unwrap_or_default().to_string());
    s(v.find(&c).map_or(v.clone(), |i| v[..i].to_string()))
}

pub(super) fn substring_after<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(c)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(arg(&args, 0)) };
    let (v, c) = (v.as_str().unwrap_or_default().to_string(), c.as_str().unwrap_or_default().to_string());
    s(v.find(&c).map_or(v.clone(), |i| v[i + c.len()..].to_string()))
}

pub(super) fn lowercase<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::str(&v.as_str().unwrap_or_default().to_lowercase())))
}

pub(super) fn uppercase<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::str(&v.as_str().unwrap_or_default().to_uppercase())))
}

pub(super) fn length<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::Num(v.as_str().unwrap_or_default().chars().count() as f64)))
}

pub(super) fn trim<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let words: Vec<&str> =
        v.as_str().unwrap_or_default().split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()).collect();
    s(words.join(" "))
}

pub(super) fn pad<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default().to_string();
    let width = arg(&args, 1).and_then(|n| n.num()).unwrap_or(0.0);
    let fill = arg(&args, 2).map(|c| c.as_str().unwrap_or_default().to_string()).filter(|c| !c.is_empty());
    let fill: Vec<char> = fill.unwrap_or_else(|| " ".into()).chars().collect();
    let len = text.chars().count();
    if width.abs() > 1e7 {
        return Err(JsonataError::value("D1001", 0, super::super::value::num_json(width)));
    }
    let target = width.abs().trunc() as usize;
    if target <= len {
        return s(text);
    }
    let padding: String = (0..target - len).map(|i| fill[i % fill.len()]).collect();
    s(if width > 0.0 { text + &padding } else { padding + &text })
}

fn matcher<'a>(v: &Val<'a>) -> Option<&'a super::super::ast::Regex> {
    match v {
        Val::Func(f) => match &**f {
            Func::Regex(r) => Some(*r),
            _ => None,
        },
        _ => None,
    }
}

/// Every match of the regex in `text`, as (char index, byte range, match object).
fn all_matches<'a>(
    r: &super::super::ast::Regex,
    text: &str,
    limit: Option<usize>,
) -> Result<Vec<Val<'a>>, JsonataError> {
    let mut out = Vec::new();
    let mut from = 0;
    let total = text.chars().count();
    while from <= total && limit.is_none_or(|l| out.len() < l) {
        let Some(m) = regex_match(r, text, from) else { break };
        let obj = m.obj().expect("regex_match builds an object");
        let matched = obj.get("match").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let index = obj.get("index").and_then(|v| v.num()).unwrap_or(0.0) as usize;
        if matched.is_empty() {
            return Err(JsonataError::new("D1004", 0));
        }
        from = index + matched.chars().count();
        out.push(m);
    }
    Ok(out)
}

fn limit(args: &[Option<Val<'_>>], i: usize, code: &'static str) -> Result<Option<usize>, JsonataError> {
    match arg(args, i).and_then(|v| v.num()) {
        None => Ok(None),
        Some(n) if n < 0.0 => Err(JsonataError::new(code, 0)),
        Some(n) => Ok(Some(n as usize)),
    }
}

pub(super) fn matches<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let lim = limit(&args, 2, "D3040")?;
    let Some(r) = arg(&args, 1).as_ref().and_then(matcher) else {
        return Err(JsonataError::with("T1010", 0, Detail { token: Some("match".into()), ..Detail::default() }));
    };
    let found = all_matches(r, v.as_str().unwrap_or_default(), lim)?;
    Ok(Some(Val::seq(found)))
}

pub(super) fn contains<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default();
    let Some(p) = arg(&args, 1) else { return Ok(None) };
    let found = match (p.as_str(), matcher(&p)) {
        (Some(needle), _) => text.contains(needle),
        (None, Some(r)) => r.re.is_match(text),
        _ => false,
    };
    Ok(Some(Val::Bool(found)))
}

pub(super) fn replace<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default().to_string();
    let Some(pattern) = arg(&args, 1) else { return Ok(None) };
    let Some(replacement) = arg(&args, 2) else { return Err(JsonataError::new("T0410", 0)) };
    let lim = limit(&args, 3, "D3011")?;
    if pattern.as_str() == Some("") {
        return Err(JsonataError::new("D3010", 0));
    }
    if let Some(p) = pattern.as_str() {
        let rep = replacement.as_str().unwrap_or_default();
        let mut out = String::new();
        let mut rest = text.as_str();
        let mut n = 0;
        while let Some(i) = rest.find(p) {
            if lim.is_some_and(|l| n >= l) {
                break;
            }
            out.push_str(&rest[..i]);
            out.push_str(rep);
            rest = &rest[i + p.len()..];
            n += 1;
        }
        out.push_str(rest);
        return s(out);
    }
    let Some(r) = matcher(&pattern) else { return Ok(None) };
    let found = all_matches(r, &text, lim)?;
    let mut out = String::new();
    let mut last = 0usize;
    let chars: Vec<char> = text.chars().collect();
    for m in found {
        let o = m.obj().expect("match objects are objects");
        let index = o.get("index").and_then(|v| v.num()).unwrap_or(0.0) as usize;
        let matched = o.get("match").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        out.extend(&chars[last.min(chars.len())..index.min(chars.len())]);
        let piece = match replacement.as_str() {
            Some(t) => substitute(t, &matched, &o.get("groups").map(|g| g.items()).unwrap_or_default()),
            None => match ctx.apply(&replacement, vec![Some(m.clone())], None, 0)? {
                Some(Val::Str(x)) => x.to_string(),
                Some(x) if x.as_str().is_some() => x.as_str().unwrap_or_default().to_string(),
                _ => return Err(JsonataError::new("D3012", 0)),
            },
        };
        out.push_str(&piece);
        last = index + matched.chars().count();
    }
    out.extend(&chars[last.min(chars.len())..]);
    s(out)
}

/// Expands `$0`, `$1`.. and `$$` in a replacement string as jsonata-js does.
fn substitute(template: &str, matched: &str, groups: &[Val<'_>]) -> String {
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && i + 1 < chars.len() {
            if chars[i + 1] == '$' {
                out.push('$');
                i += 2;
                continue;
            }
            if chars[i + 1].is_ascii_digit() {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                // Use the longest group number that exists, as jsonata-js does.
                let digits: String = chars[i + 1..j].iter().collect();
                let mut k = digits.len();
                while k > 0 {
                    let n: usize = digits[..k].parse().unwrap_or(usize::MAX);
                    if n == 0 {
                        out.push_str(matched);
                        break;
                    }
                    if n <= groups.len() {
                        out.push_str(groups[n - 1].as_str().unwrap_or_default());
                        break;
                    }
                    k -= 1;
                }
                if k == 0 {
                    k = 1;
                }
                out.extend(&chars[i + 1 + k..j]);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

pub(super) fn split<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default().to_string();
    let lim = limit(&args, 2, "D3020")?;
    let Some(sep) = arg(&args, 1) else { return Ok(None) };
    let mut parts: Vec<String> = match (sep.as_str(), matcher(&sep)) {
        (Some(""), _) => text.chars().map(String::from).collect(),
        (Some(p), _) => text.split(p).map(str::to_string).collect(),
        (None, Some(r)) => r.re.split(&text).map(str::to_string).collect(),
        _ => return Err(JsonataError::with("T1010", 0, Detail { token: Some("split".into()), ..Detail::default() })),
    };
    if let Some(l) = lim {
        parts.truncate(l);
    }
    Ok(Some(Val::array(parts.iter().map(|p| Val::str(p)).collect())))
}

pub(super) fn join<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let sep = arg(&args, 1).map(|s| s.as_str().unwrap_or_default().to_string()).unwrap_or_default();
    let parts: Vec<String> = v.items().iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect();
    s(parts.join(&sep))
}

pub(super) fn base64_encode<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    // jsonata-js encodes each code unit as a Latin-1 byte (btoa); UTF-8 is what Step Functions' callers send.
    s(base64::engine::general_purpose::STANDARD.encode(v.as_str().unwrap_or_default()))
}

pub(super) fn base64_decode<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let bytes = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default()).unwrap_or_default();
    s(String::from_utf8_lossy(&bytes).into_owned())
}

const URI_COMPONENT_SAFE: &str = "-_.!~*'()";
const URI_SAFE: &str = "-_.!~*'();/?:@&=+$,#";

fn encode(text: &str, safe: &str, name: &str) -> Result<String, JsonataError> {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || safe.contains(c) {
            out.push(c);
        } else if (0xD800..0xE000).contains(&(c as u32)) {
            return Err(malformed(name, text));
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Ok(out)
}

fn malformed(name: &str, text: &str) -> JsonataError {
    JsonataError::with("D3140", 0, Detail { token: Some(name.into()), value: Some(text.into()), ..Detail::default() })
}

fn decode(text: &str, reserved: &str, name: &str) -> Result<String, JsonataError> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(|| malformed(name, text))?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| malformed(name, text))?;
            if b < 0x80 && reserved.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| malformed(name, text))
}

pub(super) fn encode_url_component<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    s(encode(v.as_str().unwrap_or_default(), URI_COMPONENT_SAFE, "encodeUrlComponent")?)
}

pub(super) fn encode_url<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    s(encode(v.as_str().unwrap_or_default(), URI_SAFE, "encodeUrl")?)
}

pub(super) fn decode_url_component<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    s(decode(v.as_str().unwrap_or_default(), "", "decodeUrlComponent")?)
}

pub(super) fn decode_url<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    s(decode(v.as_str().unwrap_or_default(), ";/?:@&=+$,#", "decodeUrl")?)
}
