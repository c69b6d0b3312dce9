//! Date/time functions. `$now` and `$millis` read the injected clock, never the system's.
//! Pictures for `$fromMillis`/`$toMillis` are not supported yet: ISO 8601 only.

use super::super::error::{Detail, JsonataError};
use super::super::eval::{Ctx, R};
use super::super::value::Val;
use super::arg;
use crate::timestamp::{Timestamp, format_rfc3339_millis};

fn unsupported_picture() -> JsonataError {
    JsonataError::with(
        "D3137",
        0,
        Detail {
            message: Some("date/time picture strings are not supported by this implementation".into()),
            ..Detail::default()
        },
    )
}

pub(super) fn now<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    if arg(&args, 0).is_some() {
        return Err(unsupported_picture());
    }
    Ok(Some(Val::str(&format_rfc3339_millis(ctx.effects.now_ms()))))
}

pub(super) fn millis<'a>(ctx: &mut Ctx<'a, '_>, _: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(Some(Val::Num(ctx.effects.now_ms() as f64)))
}

pub(super) fn from_millis<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(n) = arg(&args, 0).and_then(|v| v.num()) else { return Ok(None) };
    if arg(&args, 1).is_some() || arg(&args, 2).is_some() {
        return Err(unsupported_picture());
    }
    Ok(Some(Val::str(&format_rfc3339_millis(n.floor() as i64))))
}

pub(super) fn to_millis<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    if arg(&args, 1).is_some() {
        return Err(unsupported_picture());
    }
    let text = v.as_str().unwrap_or_default();
    let candidates = [text.to_string(), format!("{text}Z"), format!("{text}T00:00:00Z"), format!("{text}:00Z")];
    candidates
        .iter()
        .find_map(|c| Timestamp::parse(c))
        .map(|t| Some(Val::Num(t.epoch_millis() as f64)))
        .ok_or_else(|| JsonataError::value("D3110", 0, text.into()))
}
