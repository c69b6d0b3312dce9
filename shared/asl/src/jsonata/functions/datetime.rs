//! Date/time functions. `$now` and `$millis` read the injected clock, never the system's.
//! `$fromMillis` and `$now` format, `$toMillis` parses, with XPath pictures (see `picture`).

use super::super::error::JsonataError;
use super::super::eval::{Ctx, R};
use super::super::value::Val;
use super::arg;
use crate::timestamp::{Timestamp, format_rfc3339_millis};

/// Formats with an optional picture and `±HHMM` zone, ISO 8601 in UTC without a picture.
fn format_millis<'a>(millis: i64, args: &[Option<Val<'a>>], from: usize) -> R<'a> {
    let picture = arg(args, from).and_then(|p| p.as_str().map(str::to_string));
    let zone = arg(args, from + 1).and_then(|z| z.as_str().map(str::to_string));
    let offset = match &zone {
        Some(z) => super::picture::parse_offset(z).unwrap_or(0),
        None => 0,
    };
    match picture {
        None if offset == 0 => Ok(Some(Val::str(&format_rfc3339_millis(millis)))),
        None => Ok(Some(Val::str(&super::picture::format(
            millis,
            "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
            offset,
        )?))),
        Some(p) => Ok(Some(Val::str(&super::picture::format(millis, &p, offset)?))),
    }
}

pub(super) fn now<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    format_millis(ctx.effects.now_ms(), &args, 0)
}

pub(super) fn millis<'a>(ctx: &mut Ctx<'a, '_>, _: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(Some(Val::Num(ctx.effects.now_ms() as f64)))
}

pub(super) fn from_millis<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    // JavaScript dates end 8.64e15 ms either side of the epoch; beyond that there is no date.
    let Some(n) = arg(&args, 0).and_then(|v| v.num()).filter(|n| n.abs() <= 8.64e15) else { return Ok(None) };
    format_millis(n.floor() as i64, &args, 1)
}

pub(super) fn to_millis<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default();
    if let Some(picture) = arg(&args, 1).and_then(|p| p.as_str().map(str::to_string)) {
        return Ok(super::picture::parse(text, &picture, ctx.effects.now_ms())?.map(|ms| Val::Num(ms as f64)));
    }
    // ISO 8601 forms jsonata-js accepts beyond RFC 3339: a `±HHMM` zone, a bare year or year-month.
    let mut iso = text.to_string();
    if iso.len() > 5 {
        let (head, zone) = iso.split_at(iso.len() - 5);
        if (zone.starts_with('+') || zone.starts_with('-')) && zone[1..].bytes().all(|b| b.is_ascii_digit()) {
            iso = format!("{head}{}:{}", &zone[..3], &zone[3..]);
        }
    }
    let candidates = [
        iso.clone(),
        format!("{iso}Z"),
        format!("{iso}T00:00:00Z"),
        format!("{iso}:00Z"),
        format!("{iso}-01T00:00:00Z"),
        format!("{iso}-01-01T00:00:00Z"),
    ];
    candidates
        .iter()
        .find_map(|c| Timestamp::parse(c))
        .map(|t| Some(Val::Num(t.epoch_millis() as f64)))
        .ok_or_else(|| JsonataError::value("D3110", 0, text.into()))
}
