//! Path evaluation: steps mapped over sequences, predicate stages, grouping
//! (`{...}` after a path), order-by (`^(...)`), wildcards and descendants.

use std::cmp::Ordering;
use std::rc::Rc;

use indexmap::IndexMap;

use super::ast::{Kind, Node, Path, Step};

/// A path item with the variables `@` and `#` bound so far.
type Tuple<'a> = (Val<'a>, Rc<Scope<'a>>);
use super::error::{Detail, JsonataError};
use super::eval::{Ctx, R, Scope, cmp_utf16, normalize, truthy};
use super::value::{Arr, Val, View};

impl<'a> Ctx<'a, '_> {
    pub(crate) fn path(&mut self, p: &'a Path, input: Option<&Val<'a>>, env: &Rc<Scope<'a>>) -> R<'a> {
        let first = &p.steps[0];
        // A lone field name: a lookup (which maps over arrays) is the whole path.
        if p.steps.len() == 1
            && first.stages.is_empty()
            && !first.is_tuple()
            && !p.keep
            && p.group.is_none()
            && let Kind::Name(name) = &first.node.kind
        {
            return Ok(input.and_then(|i| lookup(i, name)));
        }
        let mut seq: Vec<Val<'a>> = match input {
            None => Vec::new(),
            Some(v) if matches!(first.node.kind, Kind::Var(_)) => vec![v.clone()],
            Some(v) => v.items(),
        };
        let mut result: Option<Val<'a>> = None;
        let last = p.steps.len() - 1;
        let mut tuples: Option<Vec<Tuple<'a>>> = None;
        for (i, step) in p.steps.iter().enumerate() {
            if tuples.is_some() || step.is_tuple() {
                let input_tuples = match tuples.take() {
                    Some(t) => t,
                    None if i == 0 && input.is_none() => Vec::new(),
                    None => seq.iter().map(|v| (v.clone(), env.clone())).collect(),
                };
                let out = self.tuple_step(step, input_tuples)?;
                if out.is_empty() {
                    return Ok(None);
                }
                tuples = Some(out);
                continue;
            }
            let r = if i == 0 && matches!(step.node.kind, Kind::Array { cons: true, .. }) {
                let ctx = input.map(|_| Val::seq(seq.clone()));
                let mut v = self.eval(&step.node, ctx.as_ref(), env)?;
                for stage in &step.stages {
                    v = self.filter(stage, v, env)?;
                }
                v
            } else if i == 0 && input.is_none() {
                // An undefined context still lets `$var`, literals and constructors start a path.
                let v = self.eval(&step.node, None, env)?;
                let mut v = v;
                for stage in &step.stages {
                    v = self.filter(stage, v, env)?;
                }
                flatten_step(v.into_iter().collect(), i == last)
            } else if i == 0 && matches!(step.node.kind, Kind::Array { cons: true, .. }) {
                let ctx = Val::seq(seq.clone());
                let mut v = self.eval(&step.node, Some(&ctx), env)?;
                for stage in &step.stages {
                    v = self.filter(stage, v, env)?;
                }
                v
            } else if let Kind::Sort(_) = step.node.kind {
                let mut v = sort(self, &step.node, seq, env)?;
                for stage in &step.stages {
                    v = self.filter(stage, v, env)?;
                }
                v
            } else {
                let mut results = Vec::with_capacity(seq.len());
                for item in &seq {
                    let mut v = match &step.node.kind {
                        Kind::Name(name) => normalize(lookup(item, name), false),
                        _ => self.eval(&step.node, Some(item), env)?,
                    };
                    for stage in &step.stages {
                        v = self.filter(stage, v, env)?;
                    }
                    if let Some(v) = v {
                        results.push(v);
                    }
                }
                flatten_step(results, i == last)
            };
            match &r {
                None => {
                    result = None;
                    break;
                }
                Some(v) if v.arr().is_some_and(|a| a.len() == 0) => {
                    result = None;
                    break;
                }
                _ => {}
            }
            let r = r.unwrap_or_else(|| Val::seq(Vec::new()));
            seq = r.items();
            result = Some(r);
        }
        if let Some(t) = tuples {
            if let Some(pairs) = &p.group {
                return self.group_tuples(pairs, t, env).map(Some);
            }
            result = Some(Val::seq(t.into_iter().map(|(v, _)| v).collect()));
        }
        if p.keep
            && let Some(v) = result.take()
        {
            let mut arr = match v {
                Val::Arr(a) if a.seq => (*a).clone(),
                Val::Arr(a) if a.cons => Arr { items: vec![Val::Arr(a)], seq: true, ..Arr::default() },
                other => Arr { items: other.items(), seq: true, ..Arr::default() },
            };
            arr.keep = true;
            result = Some(Val::Arr(Rc::new(arr)));
        }
        if let Some(pairs) = &p.group {
            return self.group(pairs, normalize(result, p.keep), env).map(Some);
        }
        Ok(result)
    }

    /// One step over a stream of (context, bindings) tuples, for paths using `@$v` or `#$i`.
    fn tuple_step(&mut self, step: &'a Step, input: Vec<Tuple<'a>>) -> Result<Vec<Tuple<'a>>, JsonataError> {
        let mut out: Vec<Tuple<'a>> = Vec::new();
        if let Kind::Sort(terms) = &step.node.kind {
            let order = sort_order(self, terms, &input)?;
            out = order.into_iter().map(|i| input[i].clone()).collect();
        } else {
            for (context, scope) in &input {
                let Some(res) = self.eval(&step.node, Some(context), scope)? else { continue };
                for (position, item) in res.items().into_iter().enumerate() {
                    let frame = Scope::child(scope);
                    let next = match &step.focus {
                        Some(name) => {
                            frame.bind(name, Some(item));
                            context.clone()
                        }
                        None => item,
                    };
                    if let Some(name) = &step.index {
                        frame.bind(name, Some(Val::Num(position as f64)));
                    }
                    out.push((next, frame));
                }
            }
        }
        for stage in &step.stages {
            if let Kind::IndexBind(name) = &stage.kind {
                for (position, t) in out.iter_mut().enumerate() {
                    let frame = Scope::child(&t.1);
                    frame.bind(name, Some(Val::Num(position as f64)));
                    t.1 = frame;
                }
                continue;
            }
            let len = out.len() as f64;
            let mut kept = Vec::new();
            for (position, (context, scope)) in out.into_iter().enumerate() {
                let res = self.eval(stage, Some(&context), &scope)?;
                let keep = match res.as_ref().map(Val::view) {
                    Some(View::Num(n)) => {
                        let i = if n.floor() < 0.0 { n.floor() + len } else { n.floor() };
                        i == position as f64
                    }
                    _ => truthy(res.as_ref()),
                };
                if keep {
                    kept.push((context, scope));
                }
            }
            out = kept;
        }
        Ok(out)
    }

    /// A grouping over a tuple stream: keys see each tuple's bindings, values the bindings of their group.
    fn group_tuples(
        &mut self,
        pairs: &'a [(Node, Node)],
        tuples: Vec<Tuple<'a>>,
        env: &Rc<Scope<'a>>,
    ) -> Result<Val<'a>, JsonataError> {
        let mut groups: IndexMap<Rc<str>, (usize, Vec<Tuple<'a>>)> = IndexMap::new();
        for t in tuples {
            for (index, (k, _)) in pairs.iter().enumerate() {
                let Some(key) = self.eval(k, Some(&t.0), &t.1)? else { continue };
                let Some(key) = key.as_str().map(Rc::<str>::from) else {
                    return Err(JsonataError::value("T1003", k.pos, key.to_json().unwrap_or_default()));
                };
                match groups.get_mut(&key) {
                    Some((existing, _)) if *existing != index => {
                        return Err(JsonataError::value("D1009", k.pos, serde_json::Value::String(key.to_string())));
                    }
                    Some((_, members)) => members.push(t.clone()),
                    None => {
                        groups.insert(key, (index, vec![t.clone()]));
                    }
                }
            }
        }
        let mut out = IndexMap::with_capacity(groups.len());
        for (key, (index, members)) in groups {
            let frame = Scope::child(env);
            let mut names: Vec<&'a str> = Vec::new();
            let mut values: Vec<Option<Val<'a>>> = Vec::new();
            let mut contexts: Option<Val<'a>> = None;
            for (context, scope) in &members {
                contexts = append(contexts, Some(context.clone()));
                for (name, value) in scope.bindings_until(env) {
                    match names.iter().position(|n| *n == name) {
                        Some(i) => values[i] = append(values[i].take(), value),
                        None => {
                            names.push(name);
                            values.push(value);
                        }
                    }
                }
            }
            for (name, value) in names.into_iter().zip(values) {
                frame.bind(name, normalize(value, false));
            }
            let context = normalize(contexts, false);
            if let Some(v) = self.eval(&pairs[index].1, context.as_ref(), &frame)? {
                super::value::check_nesting(&v, pairs[index].1.pos)?;
                out.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(out)))
    }

    /// Applies one predicate `[...]` to `value`.
    pub(crate) fn filter(&mut self, predicate: &'a Node, value: Option<Val<'a>>, env: &Rc<Scope<'a>>) -> R<'a> {
        let Some(value) = value else { return Ok(None) };
        let mut out = Vec::new();
        if let Kind::Num(n) = predicate.kind {
            // Index without materialising the array.
            let (len, item_at) = match value.arr() {
                Some(a) => (a.len(), None),
                None => (1, Some(value.clone())),
            };
            let mut index = n.floor();
            if index < 0.0 {
                index += len as f64;
            }
            let item = match item_at {
                Some(v) => (index == 0.0).then_some(v),
                None if index >= 0.0 => value.arr().and_then(|a| a.get(index as usize)),
                None => None,
            };
            if let Some(item) = item {
                match item.arr() {
                    Some(a) => out.extend(a.iter()),
                    None => out.push(item.clone()),
                }
            }
            return Ok(Some(Val::seq(out)));
        }
        let items = value.items();
        let len = items.len() as f64;
        for (index, item) in items.iter().enumerate() {
            let res = self.eval(predicate, Some(item), env)?;
            let numbers: Option<Vec<f64>> = match res.as_ref().map(Val::view) {
                Some(View::Num(n)) => Some(vec![n]),
                Some(View::Arr(a)) if a.len() > 0 && a.iter().all(|x| x.num().is_some()) => {
                    Some(a.iter().filter_map(|x| x.num()).collect())
                }
                _ => None,
            };
            match numbers {
                Some(ns) => {
                    for n in ns {
                        let mut i = n.floor();
                        if i < 0.0 {
                            i += len;
                        }
                        if i == index as f64 {
                            out.push(item.clone());
                        }
                    }
                }
                None => {
                    if truthy(res.as_ref()) {
                        out.push(item.clone());
                    }
                }
            }
        }
        Ok(Some(Val::seq(out)))
    }

    /// An object constructor or grouping over `input`.
    pub(crate) fn group(
        &mut self,
        pairs: &'a [(Node, Node)],
        input: Option<Val<'a>>,
        env: &Rc<Scope<'a>>,
    ) -> Result<Val<'a>, JsonataError> {
        // One context (the usual `{...}` on an object): each pair's key and value straight from it.
        if input.as_ref().is_none_or(|v| !v.is_array()) {
            let mut out: IndexMap<Rc<str>, Val<'a>> = IndexMap::with_capacity(pairs.len());
            let mut seen: Vec<Rc<str>> = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let Some(key) = self.eval(k, input.as_ref(), env)? else { continue };
                let Some(key) = key.as_str().map(Rc::<str>::from) else {
                    return Err(JsonataError::value("T1003", k.pos, key.to_json().unwrap_or_default()));
                };
                if seen.contains(&key) {
                    return Err(JsonataError::value("D1009", k.pos, serde_json::Value::String(key.to_string())));
                }
                seen.push(key.clone());
                if let Some(value) = self.eval(v, input.as_ref(), env)? {
                    super::value::check_nesting(&value, v.pos)?;
                    out.insert(key, value);
                }
            }
            return Ok(Val::Obj(Rc::new(out)));
        }
        let items: Vec<Option<Val<'a>>> = match &input {
            None => vec![None],
            Some(v) => {
                let items = v.items();
                if items.is_empty() { vec![None] } else { items.into_iter().map(Some).collect() }
            }
        };
        let mut groups: IndexMap<Rc<str>, (usize, Option<Val<'a>>)> = IndexMap::new();
        for item in &items {
            for (index, (k, _)) in pairs.iter().enumerate() {
                let key = self.eval(k, item.as_ref(), env)?;
                let Some(key) = key else { continue };
                let Some(key) = key.as_str().map(Rc::<str>::from) else {
                    return Err(JsonataError::value("T1003", k.pos, key.to_json().unwrap_or_default()));
                };
                match groups.get_mut(&key) {
                    Some((existing, data)) => {
                        if *existing != index {
                            return Err(JsonataError::value(
                                "D1009",
                                k.pos,
                                serde_json::Value::String(key.to_string()),
                            ));
                        }
                        *data = append(data.take(), item.clone());
                    }
                    None => {
                        groups.insert(key, (index, item.clone()));
                    }
                }
            }
        }
        let mut out = IndexMap::with_capacity(groups.len());
        for (key, (index, data)) in groups {
            let data = match data {
                Some(Val::Arr(a)) if !a.seq && !a.cons && a.items.len() > 1 => {
                    Some(Val::Arr(Rc::new(Arr { items: a.items.clone(), seq: true, ..Arr::default() })))
                }
                d => d,
            };
            if let Some(v) = self.eval(&pairs[index].1, data.as_ref(), env)? {
                super::value::check_nesting(&v, pairs[index].1.pos)?;
                out.insert(key, v);
            }
        }
        Ok(Val::Obj(Rc::new(out)))
    }
}

/// jsonata-js's `fn.append` for group data: both sides become items of one sequence.
fn append<'a>(a: Option<Val<'a>>, b: Option<Val<'a>>) -> Option<Val<'a>> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => {
            let mut items = a.items();
            items.extend(b.items());
            Some(Val::seq(items))
        }
    }
}

/// Joins one step's per-item results: arrays are flattened one level unless built by a constructor.
fn flatten_step<'a>(results: Vec<Val<'a>>, last: bool) -> Option<Val<'a>> {
    if last && results.len() == 1 && results[0].is_array() && !results[0].is_seq() {
        return results.into_iter().next();
    }
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r.arr() {
            Some(a) if !a.is_cons() => out.extend(a.iter()),
            _ => out.push(r),
        }
    }
    Some(Val::seq(out))
}

/// The value of field `name` in `input`, mapped over arrays.
pub(crate) fn lookup<'a>(input: &Val<'a>, name: &str) -> Option<Val<'a>> {
    match input.view() {
        View::Obj(o) => o.get(name),
        View::Arr(a) => {
            let mut out = Vec::new();
            for item in a.iter() {
                if let Some(v) = lookup(&item, name) {
                    match v.arr() {
                        Some(inner) => out.extend(inner.iter()),
                        None => out.push(v),
                    }
                }
            }
            Some(Val::seq(out))
        }
        _ => None,
    }
}

/// `*`: every field value of an object, arrays flattened.
pub(crate) fn wildcard<'a>(input: &Val<'a>) -> Option<Val<'a>> {
    if let Val::Arr(a) = input
        && a.outer
        && let Some(first) = a.items.first()
    {
        return wildcard(first);
    }
    if let Some(a) = input.arr() {
        let mut out = Vec::new();
        a.iter().for_each(|v| flatten_deep(&v, &mut out));
        return Some(Val::seq(out));
    }
    let o = input.obj()?;
    let mut out = Vec::new();
    for (_, v) in o.entries() {
        if v.is_array() {
            flatten_deep(&v, &mut out);
        } else {
            out.push(v);
        }
    }
    Some(Val::seq(out))
}

fn flatten_deep<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>) {
    // Iterative: a value built by the expression may nest arbitrarily deep.
    let mut stack = vec![v.clone()];
    while let Some(v) = stack.pop() {
        match v.arr() {
            Some(a) => {
                let items: Vec<Val<'a>> = a.iter().collect();
                stack.extend(items.into_iter().rev());
            }
            None => out.push(v),
        }
    }
}

/// `**`: the value and everything beneath it.
pub(crate) fn descendants<'a>(input: &Val<'a>) -> Option<Val<'a>> {
    let mut out = Vec::new();
    recurse(input, &mut out, 0);
    if out.len() == 1 { out.pop() } else { Some(Val::seq(out)) }
}

fn recurse<'a>(v: &Val<'a>, out: &mut Vec<Val<'a>>, depth: usize) {
    if depth > 500 {
        return;
    }
    match v.view() {
        View::Arr(a) => a.iter().for_each(|x| recurse(&x, out, depth + 1)),
        View::Obj(o) => {
            out.push(v.clone());
            o.entries().iter().for_each(|(_, x)| recurse(x, out, depth + 1));
        }
        _ => out.push(v.clone()),
    }
}

/// `^(...)`: a stable sort of `items` by the sort node's terms.
pub(crate) fn sort<'a>(ctx: &mut Ctx<'a, '_>, node: &'a Node, items: Vec<Val<'a>>, env: &Rc<Scope<'a>>) -> R<'a> {
    let Kind::Sort(terms) = &node.kind else { return Ok(None) };
    let tuples: Vec<Tuple<'a>> = items.into_iter().map(|v| (v, env.clone())).collect();
    let order = sort_order(ctx, terms, &tuples)?;
    Ok(Some(Val::seq(order.into_iter().map(|i| tuples[i].0.clone()).collect())))
}

/// The stable order of `items` by the sort terms, each evaluated with the item's bindings.
fn sort_order<'a>(
    ctx: &mut Ctx<'a, '_>,
    terms: &'a [(bool, Node)],
    items: &[Tuple<'a>],
) -> Result<Vec<usize>, JsonataError> {
    let mut keys: Vec<Vec<Option<Val<'a>>>> = Vec::with_capacity(items.len());
    for (item, scope) in items {
        let mut k = Vec::with_capacity(terms.len());
        for (_, term) in terms {
            let v = ctx.eval(term, Some(item), scope)?;
            if let Some(v) = &v
                && !matches!(v.view(), View::Num(_) | View::Str(_))
            {
                return Err(JsonataError::value("T2008", term.pos, v.to_json().unwrap_or_default()));
            }
            k.push(v);
        }
        keys.push(k);
    }
    for t in 0..terms.len() {
        let mut seen: Option<&Val<'a>> = None;
        for k in &keys {
            if let Some(v) = &k[t] {
                if let Some(s) = seen
                    && s.symbol() != v.symbol()
                {
                    return Err(JsonataError::with(
                        "T2007",
                        terms[t].1.pos,
                        Detail { value: s.to_json(), value2: v.to_json(), ..Detail::default() },
                    ));
                }
                seen = Some(v);
            }
        }
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&x, &y| {
        for (t, (descending, _)) in terms.iter().enumerate() {
            let ord = match (&keys[x][t], &keys[y][t]) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => {
                    let o = match (a.view(), b.view()) {
                        (View::Num(p), View::Num(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
                        (View::Str(p), View::Str(q)) => cmp_utf16(p, q),
                        _ => Ordering::Equal,
                    };
                    if *descending { o.reverse() } else { o }
                }
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    Ok(order)
}
