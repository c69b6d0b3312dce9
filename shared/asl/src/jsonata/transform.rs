//! `| pattern | update, delete |`: copy the argument, then merge `update` into
//! (and remove `delete`'s keys from) each object `pattern` selects in the copy.

use std::collections::HashMap;
use std::rc::Rc;

use indexmap::IndexMap;

use super::ast::Node;
use super::error::JsonataError;
use super::eval::{Ctx, Scope};
use super::value::{MAX_NESTING, Obj, Val, View};

/// Runs a transform on `input`.
pub(crate) fn run<'a>(
    ctx: &mut Ctx<'a, '_>,
    input: Val<'a>,
    pattern: &'a Node,
    update: &'a Node,
    delete: Option<&'a Node>,
    env: &Rc<Scope<'a>>,
) -> Result<Val<'a>, JsonataError> {
    // A fresh copy: every object gets its own allocation, so a match is known by its address.
    let copy = own(&input, 0);
    let matches = ctx.eval(pattern, Some(&copy), env)?;
    let mut replaced: HashMap<*const Obj<'a>, Rc<Obj<'a>>> = HashMap::new();
    for m in matches.map(|m| m.items()).unwrap_or_default() {
        let Val::Obj(obj) = &m else { continue };
        let mut updated: Obj<'a> = (**replaced.get(&Rc::as_ptr(obj)).unwrap_or(obj)).clone();
        if let Some(u) = ctx.eval(update, Some(&m), env)? {
            let Some(fields) = u.obj() else {
                return Err(JsonataError::value("T2011", update.pos, u.to_json().unwrap_or_default()));
            };
            for (k, v) in fields.entries() {
                updated.insert(k, v);
            }
        }
        if let Some(d) = delete
            && let Some(keys) = ctx.eval(d, Some(&m), env)?
        {
            let names = keys.items();
            if !names.iter().all(|k| matches!(k.view(), View::Str(_))) {
                return Err(JsonataError::value("T2012", d.pos, keys.to_json().unwrap_or_default()));
            }
            for k in names {
                updated.shift_remove(k.as_str().unwrap_or_default());
            }
        }
        replaced.insert(Rc::as_ptr(obj), Rc::new(updated));
    }
    Ok(rebuild(&copy, &replaced, 0))
}

/// A deep copy of the containers in `v` (leaves are shared).
fn own<'a>(v: &Val<'a>, depth: usize) -> Val<'a> {
    if depth > MAX_NESTING + 128 {
        return v.clone();
    }
    match v.view() {
        View::Arr(a) => Val::array(a.iter().map(|x| own(&x, depth + 1)).collect()),
        View::Obj(o) => Val::Obj(Rc::new(o.entries().into_iter().map(|(k, x)| (k, own(&x, depth + 1))).collect())),
        _ => v.clone(),
    }
}

/// `v` with every replaced object swapped for its update.
fn rebuild<'a>(v: &Val<'a>, replaced: &HashMap<*const Obj<'a>, Rc<Obj<'a>>>, depth: usize) -> Val<'a> {
    if depth > MAX_NESTING + 128 {
        return v.clone();
    }
    match v {
        Val::Arr(a) => Val::array(a.items.iter().map(|x| rebuild(x, replaced, depth + 1)).collect()),
        Val::Obj(o) => {
            let source = replaced.get(&Rc::as_ptr(o)).unwrap_or(o);
            let map: IndexMap<_, _> =
                source.iter().map(|(k, x)| (k.clone(), rebuild(x, replaced, depth + 1))).collect();
            Val::Obj(Rc::new(map))
        }
        _ => v.clone(),
    }
}
