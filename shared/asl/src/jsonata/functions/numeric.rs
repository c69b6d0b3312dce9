//! Numeric functions: aggregation, rounding (half to even, as jsonata-js), casts and formatting.

use super::super::error::JsonataError;
use super::super::eval::{Ctx, R};
use super::super::value::{Val, View, num_json};
use super::arg;

fn numbers(v: &Val<'_>) -> Vec<f64> {
    v.items().iter().filter_map(Val::num).collect()
}

fn num<'a>(n: f64) -> R<'a> {
    if !n.is_finite() {
        return Err(JsonataError::value("D1001", 0, serde_json::Value::String(super::js_number(n))));
    }
    Ok(Some(Val::Num(n)))
}

pub(super) fn sum<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    num(numbers(&v).iter().sum())
}

pub(super) fn max<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    Ok(numbers(&v).into_iter().reduce(f64::max).map(Val::Num))
}

pub(super) fn min<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    Ok(numbers(&v).into_iter().reduce(f64::min).map(Val::Num))
}

pub(super) fn average<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let ns = numbers(&v);
    if ns.is_empty() {
        return Ok(None);
    }
    num(ns.iter().sum::<f64>() / ns.len() as f64)
}

pub(super) fn number<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    match v.view() {
        View::Num(n) => Ok(Some(Val::Num(n))),
        View::Bool(b) => Ok(Some(Val::Num(if b { 1.0 } else { 0.0 }))),
        View::Str(s) => {
            parse_number(s).map(|n| Some(Val::Num(n))).ok_or_else(|| JsonataError::value("D3030", 0, s.into()))
        }
        _ => Err(JsonataError::value("D3030", 0, v.to_json().unwrap_or_default())),
    }
}

/// JSON number syntax plus `0x`/`0o`/`0b` literals, as jsonata-js's `$number` accepts.
fn parse_number(s: &str) -> Option<f64> {
    let radix = |p: &str, r| i64::from_str_radix(p, r).ok().map(|n| n as f64);
    match s.get(..2) {
        Some("0x" | "0X") => return radix(&s[2..], 16),
        Some("0o" | "0O") => return radix(&s[2..], 8),
        Some("0b" | "0B") => return radix(&s[2..], 2),
        _ => {}
    }
    let numeric = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
    if !numeric {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

pub(super) fn floor<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).and_then(|v| v.num()).map(|n| Val::Num(n.floor())))
}

pub(super) fn ceil<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).and_then(|v| v.num()).map(|n| Val::Num(n.ceil())))
}

pub(super) fn abs<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).and_then(|v| v.num()).map(|n| Val::Num(n.abs())))
}

pub(super) fn round<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    let precision = arg(&args, 1).and_then(|v| v.num()).unwrap_or(0.0) as i32;
    // Shift by decimal exponent in text, as jsonata-js does, to avoid binary scaling error.
    let shift = |x: f64, p: i32| -> f64 { format!("{}e{}", x, p).parse().unwrap_or(x) };
    let value = shift(n, precision);
    let mut r = value.round();
    if (r - value).abs() == 0.5 && r % 2.0 != 0.0 {
        r -= value.signum();
    }
    Ok(Some(Val::Num(shift(r, -precision) + 0.0)))
}

pub(super) fn sqrt<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    if n < 0.0 {
        return Err(JsonataError::value("D3060", 0, num_json(n)));
    }
    Ok(Some(Val::Num(n.sqrt())))
}

pub(super) fn power<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(b), Some(e)) = (arg(&args, 0).and_then(|v| v.num()), arg(&args, 1).and_then(|v| v.num())) else {
        return Ok(None);
    };
    let r = b.powf(e);
    if !r.is_finite() {
        return Err(JsonataError::with(
            "D3061",
            0,
            super::super::error::Detail { value: Some(num_json(b)), value2: Some(num_json(e)), ..Default::default() },
        ));
    }
    Ok(Some(Val::Num(r)))
}

pub(super) fn format_base<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    let radix = arg(&args, 1).and_then(|v| v.num()).unwrap_or(10.0);
    if !(2.0..=36.0).contains(&radix) {
        return Err(JsonataError::value("D3100", 0, num_json(radix)));
    }
    let mut v = round_half_even(n).abs() as u128;
    let radix = radix as u128;
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit((v % radix) as u32, radix as u32).unwrap_or('0'));
        v /= radix;
        if v == 0 {
            break;
        }
    }
    if n < 0.0 && round_half_even(n) != 0.0 {
        digits.push('-');
    }
    Ok(Some(Val::str(&digits.iter().rev().collect::<String>())))
}

fn round_half_even(n: f64) -> f64 {
    let r = n.round();
    if (r - n).abs() == 0.5 && r % 2.0 != 0.0 { r - n.signum() } else { r }
}

pub(super) fn format_integer<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    let picture = arg(&args, 1).and_then(|p| p.as_str().map(str::to_string)).unwrap_or_default();
    Ok(Some(Val::str(&super::integer::format(n, &picture)?)))
}

pub(super) fn parse_integer<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(s) = arg(&args, 0) else { return Ok(None) };
    let picture = arg(&args, 1).and_then(|p| p.as_str().map(str::to_string)).unwrap_or_default();
    Ok(super::integer::parse(s.as_str().unwrap_or_default(), &picture).map(|n| Val::Num(n as f64)))
}

/// `$formatNumber` for the common XPath pictures: `#`, `0`, `,` grouping, `.` decimals, `%`, and a second sub-picture.
pub(super) fn format_number<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    let picture = arg(&args, 1).and_then(|p| p.as_str().map(str::to_string)).unwrap_or_default();
    if picture.split(';').count() > 2 {
        return Err(JsonataError::new("D3080", 0));
    }
    for sub_picture in picture.split(';') {
        let count = |c: char| sub_picture.chars().filter(|x| *x == c).count();
        if count('.') > 1 {
            return Err(JsonataError::new("D3081", 0));
        }
        if count('%') > 1 {
            return Err(JsonataError::new("D3082", 0));
        }
        if count('‰') > 1 {
            return Err(JsonataError::new("D3083", 0));
        }
        if count('%') + count('‰') > 1 {
            return Err(JsonataError::new("D3084", 0));
        }
        if !sub_picture.chars().any(|c| c.is_ascii_digit() || c == '#') {
            return Err(JsonataError::new("D3085", 0));
        }
    }
    let mut parts = picture.split(';');
    let positive = parts.next().unwrap_or_default().to_string();
    let negative = parts.next().map(str::to_string);
    let (pic, n, minus) = match (&negative, n < 0.0) {
        (Some(neg), true) => (neg.clone(), -n, false),
        (_, is_neg) => (positive, n.abs(), is_neg),
    };
    let active = |c: char| c == '#' || c == '0' || c == ',' || c == '.' || c.is_ascii_digit();
    let start = pic.find(active).unwrap_or(pic.len());
    let end = pic.rfind(active).map_or(start, |i| i + 1);
    let (prefix, body, suffix) = (&pic[..start], &pic[start..end], &pic[end..]);
    let scale = if suffix.contains('%') || prefix.contains('%') {
        100.0
    } else if suffix.contains('‰') {
        1000.0
    } else {
        1.0
    };
    let (int_pic, frac_pic) = body.split_once('.').unwrap_or((body, ""));
    // Any decimal digit is a mandatory digit in an XPath picture; `#` an optional one.
    let min_frac = frac_pic.chars().filter(char::is_ascii_digit).count();
    let max_frac = frac_pic.chars().filter(|c| c.is_ascii_digit() || *c == '#').count();
    let min_int = int_pic.chars().filter(char::is_ascii_digit).count();
    let group = int_pic.rfind(',').map(|i| int_pic[i + 1..].chars().filter(|c| *c != ',').count());
    let value = n * scale;
    let factor = 10f64.powi(max_frac as i32);
    let rounded = round_half_even(value * factor) / factor;
    let text = format!("{:.*}", max_frac, rounded);
    let (ip, fp) = text.split_once('.').unwrap_or((&text, ""));
    let mut fp = fp.to_string();
    while fp.len() > min_frac && fp.ends_with('0') {
        fp.pop();
    }
    let mut ip = ip.trim_start_matches('0').to_string();
    while ip.len() < min_int {
        ip.insert(0, '0');
    }
    if let Some(g) = group.filter(|g| *g > 0) {
        let chars: Vec<char> = ip.chars().collect();
        let mut grouped = String::new();
        for (i, c) in chars.iter().enumerate() {
            if i > 0 && (chars.len() - i).is_multiple_of(g) {
                grouped.push(',');
            }
            grouped.push(*c);
        }
        ip = grouped;
    }
    let mut out = String::new();
    if minus {
        out.push('-');
    }
    out.push_str(prefix);
    out.push_str(&ip);
    if !fp.is_empty() {
        out.push('.');
        out.push_str(&fp);
    }
    out.push_str(suffix);
    Ok(Some(Val::str(&out)))
}
