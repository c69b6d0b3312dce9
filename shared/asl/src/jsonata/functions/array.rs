//! Array and higher-order functions: `$count`, `$append`, `$sort`, `$map`, `$filter`, `$reduce`, ...

use std::cmp::Ordering;

use super::super::error::JsonataError;
use super::super::eval::{Ctx, R, cmp_utf16, truthy};
use super::super::value::{Val, View, deep_equal};
use super::arg;

pub(super) fn count<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(Some(Val::Num(arg(&args, 0).map_or(0, |v| v.items().len()) as f64)))
}

pub(super) fn append<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    match (arg(&args, 0), arg(&args, 1)) {
        (None, b) => Ok(b),
        (a, None) => Ok(a),
        (Some(a), Some(b)) => {
            let mut items = a.items();
            items.extend(b.items());
            Ok(Some(Val::array(items)))
        }
    }
}

pub(super) fn reverse<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    Ok(arg(&args, 0).map(|v| Val::array(v.items().into_iter().rev().collect())))
}

pub(super) fn shuffle<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let mut items = v.items();
    for i in (1..items.len()).rev() {
        let j = (ctx.effects.random() * (i + 1) as f64) as usize;
        items.swap(i, j.min(i));
    }
    Ok(Some(Val::array(items)))
}

pub(super) fn distinct<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    if !v.is_array() {
        return Ok(Some(v));
    }
    let mut out: Vec<Val<'a>> = Vec::new();
    for x in v.items() {
        if !out.iter().any(|y| deep_equal(&x, y)) {
            out.push(x);
        }
    }
    Ok(Some(Val::array(out)))
}

pub(super) fn sort<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let items = v.items();
    if items.len() <= 1 {
        return Ok(Some(Val::array(items)));
    }
    match arg(&args, 1) {
        None => {
            let all_num = items.iter().all(|x| x.num().is_some());
            let all_str = items.iter().all(|x| x.as_str().is_some());
            if !all_num && !all_str {
                return Err(JsonataError::new("D3070", 0));
            }
            let mut sorted = items;
            sorted.sort_by(|a, b| match (a.view(), b.view()) {
                (View::Num(x), View::Num(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
                (View::Str(x), View::Str(y)) => cmp_utf16(x, y),
                _ => Ordering::Equal,
            });
            Ok(Some(Val::array(sorted)))
        }
        Some(f) => {
            // A merge sort calling `f(a, b)`: true means `a` goes after `b`, as jsonata-js's comparator.
            let sorted = merge_sort(ctx, &f, items)?;
            Ok(Some(Val::array(sorted)))
        }
    }
}

fn merge_sort<'a>(ctx: &mut Ctx<'a, '_>, f: &Val<'a>, items: Vec<Val<'a>>) -> Result<Vec<Val<'a>>, JsonataError> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut left = items;
    let right = left.split_off(left.len() / 2);
    let left = merge_sort(ctx, f, left)?;
    let right = merge_sort(ctx, f, right)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        let swap = ctx.apply(f, vec![Some(left[i].clone()), Some(right[j].clone())], None, 0)?;
        if truthy(swap.as_ref()) {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

pub(super) fn map<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    let items = v.items();
    let whole = Val::array(items.clone());
    let mut out = Vec::with_capacity(items.len());
    for (i, x) in items.into_iter().enumerate() {
        if let Some(r) = ctx.callback(&f, [Some(x), Some(Val::Num(i as f64)), Some(whole.clone())], 3)? {
            out.push(r);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(super) fn filter<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    let items = v.items();
    let whole = Val::array(items.clone());
    let mut out = Vec::new();
    for (i, x) in items.into_iter().enumerate() {
        let keep = ctx.callback(&f, [Some(x.clone()), Some(Val::Num(i as f64)), Some(whole.clone())], 3)?;
        if truthy(keep.as_ref()) {
            out.push(x);
        }
    }
    Ok(Some(Val::seq(out)))
}

pub(super) fn single<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let Some(v) = arg(&args, 0) else { return Ok(None) };
    let items = v.items();
    let whole = Val::array(items.clone());
    let mut found = None;
    for (i, x) in items.into_iter().enumerate() {
        let keep = match arg(&args, 1) {
            None => true,
            Some(f) => {
                truthy(ctx.callback(&f, [Some(x.clone()), Some(Val::Num(i as f64)), Some(whole.clone())], 3)?.as_ref())
            }
        };
        if keep {
            if found.is_some() {
                return Err(JsonataError::new("D3138", 0));
            }
            found = Some(x);
        }
    }
    found.map(Some).ok_or_else(|| JsonataError::new("D3139", 0))
}

pub(super) fn reduce<'a>(ctx: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    let (Some(v), Some(f)) = (arg(&args, 0), arg(&args, 1)) else { return Ok(None) };
    let arity = match &f {
        Val::Func(func) => func.arity(),
        _ => 0,
    };
    if arity < 2 {
        return Err(JsonataError::new("D3050", 0));
    }
    let items = v.items();
    let whole = Val::array(items.clone());
    let (mut acc, start) = match arg(&args, 2) {
        Some(init) => (Some(init), 0),
        None => (items.first().cloned(), 1),
    };
    for (i, x) in items.into_iter().enumerate().skip(start) {
        let mut call = vec![acc, Some(x)];
        if arity >= 3 {
            call.push(Some(Val::Num(i as f64)));
        }
        if arity >= 4 {
            call.push(Some(whole.clone()));
        }
        acc = ctx.apply(&f, call, None, 0)?;
    }
    Ok(acc)
}

pub(super) fn zip<'a>(_: &mut Ctx<'a, '_>, args: Vec<Option<Val<'a>>>) -> R<'a> {
    for a in args.iter().flatten() {
        super::super::value::check_nesting(a, 0)?;
    }
    let lists: Vec<Vec<Val<'a>>> = args.iter().map(|a| a.as_ref().map(Val::items).unwrap_or_default()).collect();
    let len = lists.iter().map(Vec::len).min().unwrap_or(0);
    Ok(Some(Val::array((0..len).map(|i| Val::array(lists.iter().map(|l| l[i].clone()).collect())).collect())))
}
