//! The evaluator: jsonata-js's semantics over borrowed `serde_json` values —
//! sequences and singleton flattening, path mapping, predicates, groupings,
//! closures, partial application and `~>` chaining.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{BinOp, Kind, Lambda, Node, Regex};
use super::error::{Detail, JsonataError};
use super::functions::{self, Builtin};
use super::path;
use super::value::{Arr, Val, View, deep_equal, num_json};
use super::{Bindings, Effects};

/// An evaluation result: `None` is JSONata's undefined.
pub(crate) type R<'a> = Result<Option<Val<'a>>, JsonataError>;

/// Deepest evaluation nesting before D1011 (a stack overflow in jsonata-js terms).
const MAX_DEPTH: usize = 5000;

/// Most stack one evaluation may use before D1011, so deep recursion fails as an
/// error instead of overflowing the 2 MiB stack of a worker thread.
const STACK_BUDGET: usize = 1 << 20;

/// An address on the current stack, to measure how much an evaluation has used.
#[inline(always)]
fn stack_mark() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// A function value.
pub(crate) enum Func<'a> {
    Lambda {
        def: &'a Lambda,
        env: Rc<Scope<'a>>,
        input: Option<Val<'a>>,
    },
    Builtin(&'static Builtin),
    Partial {
        func: Rc<Func<'a>>,
        args: Vec<Option<Option<Val<'a>>>>,
    },
    Regex(&'a Regex),
    /// `f ~> g` where both are functions: `g(f(x))`.
    Compose(Val<'a>, Val<'a>),
    /// A transform `| pattern | update, delete |` and where it was defined.
    Transform {
        node: &'a Node,
        env: Rc<Scope<'a>>,
    },
}

impl Func<'_> {
    /// How many arguments the function declares (for higher-order callbacks).
    pub fn arity(&self) -> usize {
        match self {
            Func::Lambda { def, .. } => def.params.len(),
            Func::Builtin(b) => functions::arity(b),
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Regex(_) => 1,
            Func::Compose(..) | Func::Transform { .. } => 1,
        }
    }
}

/// A frame of `:=` bindings.
#[derive(Default)]
pub(crate) struct Scope<'a> {
    vars: RefCell<Vec<(&'a str, Option<Val<'a>>)>>,
    parent: Option<Rc<Scope<'a>>>,
}

impl<'a> Scope<'a> {
    pub fn child(parent: &Rc<Scope<'a>>) -> Rc<Scope<'a>> {
        Rc::new(Scope { vars: RefCell::default(), parent: Some(parent.clone()) })
    }

    pub fn bind(&self, name: &'a str, value: Option<Val<'a>>) {
        let mut vars = self.vars.borrow_mut();
        match vars.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => vars.push((name, value)),
        }
    }

    /// The bindings made in this frame and its parents up to (not including) `stop`, innermost last.
    pub fn bindings_until(&self, stop: &Rc<Scope<'a>>) -> Vec<(&'a str, Option<Val<'a>>)> {
        let mut frames = Vec::new();
        let mut scope = Some(self);
        while let Some(s) = scope {
            if std::ptr::eq(s, Rc::as_ptr(stop)) {
                break;
            }
            frames.push(s.vars.borrow().clone());
            scope = s.parent.as_deref();
        }
        frames.into_iter().rev().flatten().collect()
    }

    fn lookup(&self, name: &str) -> Option<Option<Val<'a>>> {
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some((_, v)) = s.vars.borrow().iter().find(|(n, _)| *n == name) {
                return Some(v.clone());
            }
            scope = s.parent.as_deref();
        }
        None
    }
}

/// The evaluation context: bindings, injected effects, the root input and the depth guard.
pub(crate) struct Ctx<'a, 'c> {
    pub bindings: &'a dyn Bindings,
    pub effects: &'c mut dyn Effects,
    pub root: Option<Val<'a>>,
    depth: usize,
    stack_base: usize,
}

impl<'a, 'c> Ctx<'a, 'c> {
    pub fn new(bindings: &'a dyn Bindings, effects: &'c mut dyn Effects, root: Option<Val<'a>>) -> Self {
        Ctx { bindings, effects, root, depth: 0, stack_base: stack_mark() }
    }

    /// Evaluates `node` against `input`, then unwraps sequences as jsonata-js does.
    pub fn eval(&mut self, node: &'a Node, input: Option<&Val<'a>>, env: &Rc<Scope<'a>>) -> R<'a> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || self.stack_base.abs_diff(stack_mark()) > STACK_BUDGET {
            self.depth -= 1;
            return Err(JsonataError::new("D1011", node.pos));
        }
        let result = self.eval_inner(node, input, env);
        self.depth -= 1;
        let keep = match &node.kind {
            Kind::Path(p) => p.keep,
            Kind::Post { keep, .. } => *keep,
            _ => false,
        };
        Ok(normalize(result?, keep))
    }

    fn eval_inner(&mut self, node: &'a Node, input: Option<&Val<'a>>, env: &Rc<Scope<'a>>) -> R<'a> {
        match &node.kind {
            Kind::Str(s) => Ok(Some(Val::Json(s))),
            Kind::Num(n) => Ok(Some(Val::Num(*n))),
            Kind::Lit(v) => Ok(Some(Val::Json(v))),
            Kind::Regex(r) => Ok(Some(Val::Func(Rc::new(Func::Regex(r))))),
            Kind::Name(name) => Ok(input.and_then(|i| path::lookup(i, name))),
            Kind::Var(name) => Ok(self.variable(name, input, env)),
            Kind::Wildcard => Ok(input.and_then(path::wildcard)),
            Kind::Descendants => Ok(input.and_then(path::descendants)),
            Kind::Parent => Err(JsonataError::new("S0217", node.pos)),
            Kind::Path(p) => self.path(p, input, env),
            Kind::Neg(operand) => match self.eval(operand, input, env)? {
                None => Ok(None),
                Some(v) => match v.num() {
                    Some(n) => Ok(Some(Val::Num(-n))),
                    None => Err(JsonataError::value("D1002", node.pos, v.to_json().unwrap_or_default())),
                },
            },
            Kind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, node.pos, input, env),
            Kind::Array { items, cons } => {
                let mut out = Vec::new();
                for item in items {
                    if let Some(v) = self.eval(item, input, env)? {
                        super::value::check_nesting(&v, item.pos)?;
                        match (&item.kind, v.arr()) {
                            (Kind::Array { .. }, _) | (_, None) => out.push(v),
                            (_, Some(a)) => out.extend(a.iter()),
                        }
                    }
                }
                Ok(Some(Val::Arr(Rc::new(Arr { items: out, cons: *cons, ..Arr::default() }))))
            }
            Kind::Object(pairs) => self.group(pairs, input.cloned(), env).map(Some),
            Kind::Block(items) => {
                let scope = Scope::child(env);
                let mut last = None;
                for item in items {
                    last = self.eval(item, input, &scope)?;
                }
                Ok(last)
            }
            Kind::Bind(name, value) => {
                let v = self.eval(value, input, env)?;
                env.bind(name, v.clone());
                Ok(v)
            }
            Kind::Cond(cond, then, otherwise) => {
                let c = self.eval(cond, input, env)?;
                if truthy(c.as_ref()) {
                    self.eval(then, input, env)
                } else if let Some(o) = otherwise {
                    self.eval(o, input, env)
                } else {
                    Ok(None)
                }
            }
            Kind::Lambda(def) => {
                Ok(Some(Val::Func(Rc::new(Func::Lambda { def, env: env.clone(), input: input.cloned() }))))
            }
            Kind::Call { func, args, partial } => self.call(node, func, args, *partial, None, input, env),
            Kind::Placeholder | Kind::IndexBind(_) => Ok(None),
            Kind::Transform(..) => Ok(Some(Val::Func(Rc::new(Func::Transform { node, env: env.clone() })))),
            Kind::Apply(lhs, rhs) => {
                let value = self.eval(lhs, input, env)?;
                if let Kind::Call { func, args, partial: false } = &rhs.kind {
                    return self.call(rhs, func, args, false, Some(value), input, env);
                }
                if let Kind::Post { expr, predicates, group: None, keep } = &rhs.kind
                    && let Kind::Call { func, args, partial: false } = &expr.kind
                {
                    let mut v = self.call(expr, func, args, false, Some(value), input, env)?;
                    for p in predicates {
                        v = self.filter(p, v, env)?;
                    }
                    return Ok(normalize(v, *keep));
                }
                let f = self.eval(rhs, input, env)?;
                match f {
                    Some(f) if f.is_func() => match value {
                        Some(v) if v.is_func() => {
                            let composed = Val::Func(Rc::new(Func::Compose(v, f)));
                            super::value::check_nesting(&composed, node.pos)?;
                            Ok(Some(composed))
                        }
                        v => self.apply(&f, vec![v], input, rhs.pos),
                    },
                    _ => Err(JsonataError::new("T2006", node.pos)),
                }
            }
            Kind::Sort(_) => path::sort(self, node, input.map(Val::items).unwrap_or_default(), env),
            Kind::Post { expr, predicates, group, .. } => {
                let mut v = self.eval_inner(expr, input, env)?;
                for p in predicates {
                    v = self.filter(p, v, env)?;
                }
                if let Some(pairs) = group {
                    v = Some(self.group(pairs, v, env)?);
                }
                Ok(v)
            }
        }
    }

    fn variable(&mut self, name: &str, input: Option<&Val<'a>>, env: &Rc<Scope<'a>>) -> Option<Val<'a>> {
        if name.is_empty() {
            return input.map(unwrap_outer);
        }
        if name == "$" {
            return self.root.clone();
        }
        if let Some(v) = env.lookup(name) {
            return v;
        }
        if let Some(v) = self.bindings.get(name) {
            return Some(Val::Json(v));
        }
        functions::lookup(name).map(|b| Val::Func(Rc::new(Func::Builtin(b))))
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        node: &'a Node,
        func: &'a Node,
        args: &'a [Node],
        partial: bool,
        first: Option<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        env: &Rc<Scope<'a>>,
    ) -> R<'a> {
        let f = self.eval(func, input, env)?;
        let Some(f) = f.filter(Val::is_func) else {
            let name = match &func.kind {
                Kind::Path(p) => match p.steps.first().map(|s| &s.node.kind) {
                    Some(Kind::Name(n)) if functions::lookup(n).is_some() || env.lookup(n).is_some() => Some(n),
                    _ => None,
                },
                _ => None,
            };
            let code = match (partial, name.is_some()) {
                (false, true) => "T1005",
                (false, false) => "T1006",
                (true, true) => "T1007",
                (true, false) => "T1008",
            };
            return Err(JsonataError::with(code, node.pos, Detail { token: name.cloned(), ..Detail::default() }));
        };
        let mut values = Vec::with_capacity(args.len() + 1);
        let mut slots = Vec::with_capacity(args.len() + 1);
        if let Some(v) = first {
            values.push(v.clone());
            slots.push(Some(v));
        }
        for a in args {
            if matches!(a.kind, Kind::Placeholder) {
                slots.push(None);
            } else {
                let v = self.eval(a, input, env)?;
                values.push(v.clone());
                slots.push(Some(v));
            }
        }
        if partial {
            let Val::Func(func) = f else { return Err(JsonataError::new("T1008", node.pos)) };
            let partial = Val::Func(Rc::new(Func::Partial { func, args: slots }));
            super::value::check_nesting(&partial, node.pos)?;
            return Ok(Some(partial));
        }
        self.apply(&f, values, input, node.pos)
    }

    /// Calls function `f` with `args`; `input` is the caller's context (for `-` signature parameters).
    pub fn apply(&mut self, f: &Val<'a>, args: Vec<Option<Val<'a>>>, input: Option<&Val<'a>>, pos: usize) -> R<'a> {
        let Val::Func(func) = f else { return Err(JsonataError::new("T1006", pos)) };
        self.depth += 1;
        if self.depth > MAX_DEPTH || self.stack_base.abs_diff(stack_mark()) > STACK_BUDGET {
            self.depth -= 1;
            return Err(JsonataError::new("D1011", pos));
        }
        let result = self.apply_inner(func, args, input, pos);
        self.depth -= 1;
        result.map_err(|mut e| {
            if e.position == 0 {
                e.position = pos;
            }
            e
        })
    }

    fn apply_inner(
        &mut self,
        func: &Rc<Func<'a>>,
        args: Vec<Option<Val<'a>>>,
        input: Option<&Val<'a>>,
        pos: usize,
    ) -> R<'a> {
        match &**func {
            Func::Lambda { def, env, input: captured } => {
                let args = match &def.signature {
                    Some(sig) => sig.validate("lambda", args, input)?,
                    None => args,
                };
                let scope = Scope::child(env);
                for (i, p) in def.params.iter().enumerate() {
                    scope.bind(p, args.get(i).cloned().flatten());
                }
                self.eval(&def.body, captured.as_ref(), &scope)
            }
            Func::Builtin(b) => {
                let context = input.map(unwrap_outer);
                let args = functions::signature(b).validate(b.name, args, context.as_ref())?;
                (b.native)(self, args)
            }
            Func::Partial { func, args: slots } => {
                let mut supplied = args.into_iter();
                let full = slots.iter().map(|s| s.clone().unwrap_or_else(|| supplied.next().flatten())).collect();
                self.apply_inner(func, full, input, pos)
            }
            Func::Regex(r) => match args.into_iter().next().flatten() {
                Some(v) => match v.as_str() {
                    Some(s) => Ok(functions::regex_match(r, s, 0)),
                    None => Err(JsonataError::with("T0410", pos, Detail { index: Some(1), ..Detail::default() })),
                },
                None => Ok(None),
            },
            Func::Transform { node, env } => {
                let Kind::Transform(pattern, update, delete) = &node.kind else { return Ok(None) };
                match args.into_iter().next().flatten() {
                    None => Ok(None),
                    Some(v) if matches!(v.view(), View::Obj(_) | View::Arr(_)) => {
                        super::transform::run(self, v, pattern, update, delete.as_deref(), env).map(Some)
                    }
                    Some(_) => Err(JsonataError::with(
                        "T0410",
                        pos,
                        Detail { token: Some("transform".into()), index: Some(1), ..Detail::default() },
                    )),
                }
            }
            Func::Compose(f, g) => {
                let mid = self.apply(f, args, input, pos)?;
                self.apply(g, vec![mid], input, pos)
            }
        }
    }

    /// Calls a callback with as many of `(value, index, array)` as it declares.
    pub fn callback(&mut self, f: &Val<'a>, args: [Option<Val<'a>>; 3], arity_cap: usize) -> R<'a> {
        let arity = match f {
            Val::Func(func) => func.arity(),
            _ => 0,
        };
        let n = arity.clamp(1, arity_cap);
        let args: Vec<_> = args.into_iter().take(n).collect();
        self.apply(f, args, None, 0)
    }

    fn binary(
        &mut self,
        op: BinOp,
        lhs: &'a Node,
        rhs: &'a Node,
        pos: usize,
        input: Option<&Val<'a>>,
        env: &Rc<Scope<'a>>,
    ) -> R<'a> {
        if op == BinOp::And || op == BinOp::Or {
            let l = truthy(self.eval(lhs, input, env)?.as_ref());
            if (op == BinOp::And) != l {
                return Ok(Some(Val::Bool(l)));
            }
            let r = truthy(self.eval(rhs, input, env)?.as_ref());
            return Ok(Some(Val::Bool(r)));
        }
        let l = self.eval(lhs, input, env)?;
        let r = self.eval(rhs, input, env)?;
        let json = |v: &Option<Val<'a>>| v.as_ref().and_then(Val::to_json).unwrap_or_default();
        match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                let ln = match &l {
                    Some(v) => Some(
                        v.num()
                            .filter(|n| !n.is_nan())
                            .ok_or_else(|| JsonataError::token("T2001", pos, op.symbol()))?,
                    ),
                    None => None,
                };
                let rn = match &r {
                    Some(v) => Some(
                        v.num()
                            .filter(|n| !n.is_nan())
                            .ok_or_else(|| JsonataError::token("T2002", pos, op.symbol()))?,
                    ),
                    None => None,
                };
                let (Some(a), Some(b)) = (ln, rn) else { return Ok(None) };
                let n = match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    _ => a % b,
                };
                if !n.is_finite() {
                    return Err(JsonataError::value("D1001", pos, Value::String(super::value::js_number(n))));
                }
                Ok(Some(Val::Num(n)))
            }
            BinOp::Eq | BinOp::Ne => {
                let (Some(a), Some(b)) = (&l, &r) else { return Ok(Some(Val::Bool(false))) };
                Ok(Some(Val::Bool(deep_equal(a, b) == (op == BinOp::Eq))))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let comparable =
                    |v: &Option<Val<'a>>| v.as_ref().is_none_or(|v| matches!(v.view(), View::Num(_) | View::Str(_)));
                if !comparable(&l) || !comparable(&r) {
                    let bad = if l.as_ref().is_some_and(|v| matches!(v.view(), View::Num(_) | View::Str(_))) {
                        &r
                    } else {
                        &l
                    };
                    return Err(JsonataError::with(
                        "T2010",
                        pos,
                        Detail { token: Some(op.symbol().into()), value: Some(json(bad)), ..Detail::default() },
                    ));
                }
                let (Some(a), Some(b)) = (&l, &r) else { return Ok(None) };
                let ord = match (a.view(), b.view()) {
                    (View::Num(x), View::Num(y)) => x.partial_cmp(&y),
                    (View::Str(x), View::Str(y)) => Some(cmp_utf16(x, y)),
                    _ => {
                        return Err(JsonataError::with(
                            "T2009",
                            pos,
                            Detail {
                                token: Some(op.symbol().into()),
                                value: Some(json(&l)),
                                value2: Some(json(&r)),
                                ..Detail::default()
                            },
                        ));
                    }
                };
                let Some(ord) = ord else { return Ok(Some(Val::Bool(false))) };
                use std::cmp::Ordering::*;
                Ok(Some(Val::Bool(match op {
                    BinOp::Lt => ord == Less,
                    BinOp::Le => ord != Greater,
                    BinOp::Gt => ord == Greater,
                    _ => ord != Less,
                })))
            }
            BinOp::Concat => {
                let mut s = String::new();
                for v in [&l, &r].into_iter().flatten() {
                    s.push_str(&functions::stringify(v, false)?);
                }
                Ok(Some(Val::Str(Rc::from(s))))
            }
            BinOp::In => {
                let (Some(a), Some(b)) = (&l, &r) else { return Ok(Some(Val::Bool(false))) };
                Ok(Some(Val::Bool(b.items().iter().any(|x| deep_equal(a, x)))))
            }
            BinOp::Range => {
                let int = |v: &Option<Val<'a>>, code| match v {
                    None => Ok(None),
                    Some(v) => match v.num() {
                        Some(n) if n.fract() == 0.0 => Ok(Some(n)),
                        _ => Err(JsonataError::value(code, pos, json(&Some(v.clone())))),
                    },
                };
                let a = int(&l, "T2003")?;
                let b = int(&r, "T2004")?;
                let (Some(a), Some(b)) = (a, b) else { return Ok(None) };
                if a > b {
                    return Ok(None);
                }
                let size = b - a + 1.0;
                if size > 1e7 {
                    return Err(JsonataError::value("D2014", pos, num_json(size)));
                }
                Ok(Some(Val::array((0..size as i64).map(|i| Val::Num(a + i as f64)).collect())))
            }
            BinOp::And | BinOp::Or => unreachable!("handled above"),
        }
    }
}

use serde_json::Value;

/// Compares strings by UTF-16 code units, as JavaScript's `<` does.
pub(crate) fn cmp_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The array an outer wrapper holds (what `$` and a function's context see), else the value.
pub(crate) fn unwrap_outer<'a>(v: &Val<'a>) -> Val<'a> {
    match v {
        Val::Arr(a) if a.outer && a.items.len() == 1 => a.items[0].clone(),
        v => v.clone(),
    }
}

/// Unwraps a sequence: empty is undefined, a singleton its item (unless kept).
pub(crate) fn normalize(v: Option<Val<'_>>, keep: bool) -> Option<Val<'_>> {
    match v {
        Some(Val::Arr(mut a)) if a.seq => {
            if keep && !a.keep {
                Rc::make_mut(&mut a).keep = true;
            }
            match a.items.len() {
                0 => None,
                1 if !a.keep => a.items.first().cloned(),
                _ => Some(Val::Arr(a)),
            }
        }
        v => v,
    }
}

/// jsonata-js's `boolean()` cast, with undefined as false.
pub(crate) fn truthy(v: Option<&Val<'_>>) -> bool {
    let Some(v) = v else { return false };
    match v.view() {
        View::Null => false,
        View::Bool(b) => b,
        View::Num(n) => n != 0.0 && !n.is_nan(),
        View::Str(s) => !s.is_empty(),
        View::Arr(a) => match a.len() {
            0 => false,
            1 => truthy(a.get(0).as_ref()),
            _ => a.iter().any(|x| truthy(Some(&x))),
        },
        View::Obj(o) => o.len() > 0,
        View::Func(_) => false,
    }
}
