//! Object and boolean functions: `$keys`, `$lookup`, `$spread`, `$merge`, `$sift`, `$each`, `$error`, `$assert`, `$type`.

use std::rc::Rc;

use indexmap::IndexMap;

use super::super::error::{Detail, JsonataError};
use super::super::eval::{Ctx, R, truthy};
use super::super::path;
use super::super::value::{Val, View};
use super::arg;

pub(super) fn boolean<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::Bool(truthy(Some(&v)))))
}

pub(super) fn not<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::Bool(!truthy(Some(&v)))))
}

pub(super) fn exists<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(Some(Val::Bool(arg(&args, 0).is_some())))
}

pub(super) fn type_of<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::str(v.type_name())))
}

pub(super) fn keys<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let mut out: Vec<Rc<str>> = Vec::new();
    for item in v.items() {
        if let Some(o) = item.obj() {
            for k in o.keys() {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
    }
    Ok(Some(Val::seq(out.into_iter().map(Val::Str).collect())))
}

pub(super) fn lookup<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(k)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    Ok(path::lookup(&v, k.as_str().unwrap_or_default()))
}

pub(super) fn spread<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let mut out = Vec::new();
    for item in v.items() {
        match item.obj() {
            Some(o) => {
                for (k, x) in o.entries() {
                    out.push(Val::Obj(Rc::new(IndexMap::from([(k, x)]))));
                }
            }
            None => out.push(item.clone()),
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(super) fn merge<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let mut out = IndexMap::new();
    for item in v.items() {
        if let Some(o) = item.obj() {
            for (k, x) in o.entries() {
                out.insert(k, x);
            }
        }
    }
    Ok(Some(Val::Obj(Rc::new(out))))
}

pub(super) fn sift<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    let Some(o) = v.obj() else { return Ok(None) };
    let mut out = IndexMap::new();
    for (k, x) in o.entries() {
        let keep = ctx.callback(&f, [Some(x.clone()), Some(Val::Str(k.clone())), Some(v.clone())], 3)?;
        if truthy(keep.as_ref()) {
            out.insert(k, x);
        }
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some(Val::Obj(Rc::new(out))))
}

pub(super) fn each<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    let Some(o) = v.obj() else { return Ok(None) };
    let mut out = Vec::new();
    for (k, x) in o.entries() {
        if let Some(r) = ctx.callback(&f, [Some(x), Some(Val::Str(k)), Some(v.clone())], 3)? {
            out.push(r);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(super) fn error<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let message = arg(&args, 0)
        .and_then(|m| m.as_str().map(str::to_string))
        .unwrap_or_else(|| "$error() function evaluated".into());
    Err(JsonataError::with("D3137", 0, Detail { message: Some(message), ..Detail::default() }))
}

pub(super) fn assert<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(cond) = arg(&args, 0) else { return Ok(None) };
    if matches!(cond.view(), View::Bool(true)) {
        return Ok(None);
    }
    let message = arg(&args, 1)
        .and_then(|m| m.as_str().map(str::to_string))
        .unwrap_or_else(|| "$assert() statement failed".into());
    Err(JsonataError::with("D3141", 0, Detail { message: Some(message), ..Detail::default() }))
}
