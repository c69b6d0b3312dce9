//! Step Functions' own JSONata functions, from "Transforming data with JSONata in Step Functions"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>): `$partition`,
//! `$range`, `$hash`, `$random` (with an optional seed), `$uuid` and `$parse`.

use std::rc::Rc;

use indexmap::IndexMap;
use md5::Digest;
use serde_json::Value;

use super::super::error::{Detail, JsonataError};
use super::super::eval::{Ctx, R};
use super::super::value::Val;
use super::arg;

fn bad_argument(name: &str, index: usize) -> JsonataError {
    JsonataError::with("T0410", 0, Detail { token: Some(name.into()), index: Some(index), ..Detail::default() })
}

/// `$partition(array, size)`: chunks of `size`, the last one shorter (like `States.ArrayPartition`).
pub(super) fn partition<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(size)) = (arg(&args, 0), arg(&args, 1).and_then(|n| n.num())) else { return Ok(None) };
    if size < 1.0 || size.fract() != 0.0 {
        return Err(bad_argument("partition", 2));
    }
    super::super::value::check_nesting(&v, 0)?;
    let items = v.items();
    Ok(Some(Val::array(items.chunks(size as usize).map(|c| Val::array(c.to_vec())).collect())))
}

/// `$range(start, end, step)`: `start`, `start + step`, ... up to and including `end` (like `States.ArrayRange`).
pub(super) fn range<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(start), Some(end)) = (arg(&args, 0).and_then(|n| n.num()), arg(&args, 1).and_then(|n| n.num())) else {
        return Ok(None);
    };
    let step = arg(&args, 2).and_then(|n| n.num()).unwrap_or(1.0);
    if step == 0.0 || !step.is_finite() {
        return Err(bad_argument("range", 3));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > 1000.0 {
        // States.ArrayRange's documented limit on generated items.
        return Err(bad_argument("range", 2));
    }
    let items = (0..count.max(0.0) as usize).map(|i| Val::Num(start + i as f64 * step)).collect();
    // A sequence: AWS returns `1`, not `[1]`, for `$range(1, 9, 9)` (conformance test_array_range).
    Ok(Some(Val::seq(items)))
}

/// `$hash(value, algorithm)`: lowercase hex of MD5, SHA-1, SHA-256, SHA-384 or SHA-512.
pub(super) fn hash<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let data = v.as_str().unwrap_or_default().as_bytes();
    let algorithm = arg(&args, 1).and_then(|a| a.as_str().map(str::to_string)).unwrap_or_else(|| "SHA-256".into());
    let bytes: Vec<u8> = match algorithm.as_str() {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return Err(bad_argument("hash", 2)),
    };
    Ok(Some(Val::str(&bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())))
}

/// `$random()` from the injected source, or `$random(seed)`: the same number for the same seed.
pub(super) fn random<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    match arg(&args, 0).and_then(|s| s.num()) {
        None => Ok(Some(Val::Num(ctx.effects.random()))),
        Some(seed) => Ok(Some(Val::Num(crate::rng::Rng::new(seed.to_bits()).next_f64()))),
    }
}

/// `$uuid()`: a version-4 UUID from the injected source.
pub(super) fn uuid<'a>(ctx: &mut Ctx<'a, '_>, _: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(Some(Val::str(&ctx.effects.uuid())))
}

/// `$parse(text)`: the JSON value `text` holds.
pub(super) fn parse<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let text = v.as_str().unwrap_or_default();
    let value: Value = serde_json::from_str(text).map_err(|e| {
        JsonataError::with(
            "D3137",
            0,
            Detail { message: Some(format!("Unable to parse JSON: {e}")), ..Detail::default() },
        )
    })?;
    Ok(Some(owned(&value)))
}

/// An owned copy of `v` (for values no borrow can outlive).
pub(crate) fn owned<'a>(v: &Value) -> Val<'a> {
    match v {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => Val::str(s),
        Value::Array(a) => Val::array(a.iter().map(owned).collect()),
        Value::Object(o) => {
            Val::Obj(Rc::new(o.iter().map(|(k, x)| (Rc::from(k.as_str()), owned(x))).collect::<IndexMap<_, _>>()))
        }
    }
}
