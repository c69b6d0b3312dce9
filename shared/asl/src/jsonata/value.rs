//! Runtime values. Input and bindings are borrowed (`Val::Json`), so walking
//! `$states.input` never copies it; only values an expression builds are owned.

use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value;

use super::eval::Func;

/// A JSONata value (undefined is `Option::None` around it).
#[derive(Clone)]
pub(crate) enum Val<'a> {
    /// Borrowed from the input or a binding.
    Json(&'a Value),
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Arr<'a>>),
    Obj(Rc<Obj<'a>>),
    Func(Rc<Func<'a>>),
}

/// An object built by the expression.
pub(crate) type Obj<'a> = IndexMap<Rc<str>, Val<'a>>;

/// An array built by the expression, with jsonata-js's flags.
#[derive(Clone, Default)]
pub(crate) struct Arr<'a> {
    pub items: Vec<Val<'a>>,
    /// A sequence: flattened into results, unwrapped when a singleton.
    pub seq: bool,
    /// A sequence that stays an array even when it holds one item (`[]` in a path).
    pub keep: bool,
    /// Built by an array constructor: a path step does not flatten it.
    pub cons: bool,
    /// The singleton sequence wrapping an array input, as jsonata-js wraps one.
    pub outer: bool,
}

/// A borrowed view of a value's shape.
pub(crate) enum View<'v, 'a> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'v str),
    Arr(ArrView<'v, 'a>),
    Obj(ObjView<'v, 'a>),
    Func(&'v Rc<Func<'a>>),
}

/// An array, borrowed or owned.
#[derive(Clone, Copy)]
pub(crate) enum ArrView<'v, 'a> {
    Json(&'a [Value]),
    Own(&'v Arr<'a>),
}

/// An object, borrowed or owned.
#[derive(Clone, Copy)]
pub(crate) enum ObjView<'v, 'a> {
    Json(&'a serde_json::Map<String, Value>),
    Own(&'v Obj<'a>),
}

impl<'v, 'a> ArrView<'v, 'a> {
    pub fn len(&self) -> usize {
        match self {
            ArrView::Json(a) => a.len(),
            ArrView::Own(a) => a.items.len(),
        }
    }
    pub fn get(&self, i: usize) -> Option<Val<'a>> {
        match self {
            ArrView::Json(a) => a.get(i).map(Val::Json),
            ArrView::Own(a) => a.items.get(i).cloned(),
        }
    }
    pub fn iter(self) -> impl Iterator<Item = Val<'a>> + 'v {
        let (json, own) = match self {
            ArrView::Json(a) => (Some(a.iter().map(Val::Json)), None),
            ArrView::Own(a) => (None, Some(a.items.iter().cloned())),
        };
        json.into_iter().flatten().chain(own.into_iter().flatten())
    }
    pub fn is_cons(&self) -> bool {
        matches!(self, ArrView::Own(a) if a.cons)
    }
}

impl<'v, 'a> ObjView<'v, 'a> {
    pub fn get(&self, key: &str) -> Option<Val<'a>> {
        match self {
            ObjView::Json(m) => m.get(key).map(Val::Json),
            ObjView::Own(m) => m.get(key).cloned(),
        }
    }
    pub fn len(&self) -> usize {
        match self {
            ObjView::Json(m) => m.len(),
            ObjView::Own(m) => m.len(),
        }
    }
    pub fn entries(self) -> Vec<(Rc<str>, Val<'a>)> {
        match self {
            ObjView::Json(m) => m.iter().map(|(k, v)| (Rc::from(k.as_str()), Val::Json(v))).collect(),
            ObjView::Own(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
    pub fn keys(self) -> Vec<Rc<str>> {
        match self {
            ObjView::Json(m) => m.keys().map(|k| Rc::from(k.as_str())).collect(),
            ObjView::Own(m) => m.keys().cloned().collect(),
        }
    }
}

impl<'a> Val<'a> {
    /// The value's shape, seeing through borrowed JSON.
    pub fn view(&self) -> View<'_, 'a> {
        match self {
            Val::Json(v) => match v {
                Value::Null => View::Null,
                Value::Bool(b) => View::Bool(*b),
                Value::Number(n) => View::Num(n.as_f64().unwrap_or(f64::NAN)),
                Value::String(s) => View::Str(s),
                Value::Array(a) => View::Arr(ArrView::Json(a)),
                Value::Object(o) => View::Obj(ObjView::Json(o)),
            },
            Val::Null => View::Null,
            Val::Bool(b) => View::Bool(*b),
            Val::Num(n) => View::Num(*n),
            Val::Str(s) => View::Str(s),
            Val::Arr(a) => View::Arr(ArrView::Own(a)),
            Val::Obj(o) => View::Obj(ObjView::Own(o)),
            Val::Func(f) => View::Func(f),
        }
    }

    pub fn str(s: &str) -> Self {
        Val::Str(Rc::from(s))
    }

    pub fn num(&self) -> Option<f64> {
        match self.view() {
            View::Num(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.view() {
            View::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn arr(&self) -> Option<ArrView<'_, 'a>> {
        match self.view() {
            View::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn obj(&self) -> Option<ObjView<'_, 'a>> {
        match self.view() {
            View::Obj(o) => Some(o),
            _ => None,
        }
    }

    pub fn is_array(&self) -> bool {
        self.arr().is_some()
    }

    pub fn is_func(&self) -> bool {
        matches!(self, Val::Func(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self, Val::Arr(a) if a.seq)
    }

    /// A sequence of `items`.
    pub fn seq(items: Vec<Val<'a>>) -> Self {
        Val::Arr(Rc::new(Arr { items, seq: true, ..Arr::default() }))
    }

    /// A plain array of `items`.
    pub fn array(items: Vec<Val<'a>>) -> Self {
        Val::Arr(Rc::new(Arr { items, ..Arr::default() }))
    }

    /// The items of an array, or the value itself as one item.
    pub fn items(&self) -> Vec<Val<'a>> {
        match self.arr() {
            Some(a) => a.iter().collect(),
            None => vec![self.clone()],
        }
    }

    /// jsonata-js's `$type` name.
    pub fn type_name(&self) -> &'static str {
        match self.view() {
            View::Null => "null",
            View::Bool(_) => "boolean",
            View::Num(_) => "number",
            View::Str(_) => "string",
            View::Arr(_) => "array",
            View::Obj(_) => "object",
            View::Func(_) => "function",
        }
    }

    /// The signature symbol jsonata-js validates arguments with.
    pub fn symbol(&self) -> char {
        match self.view() {
            View::Null => 'l',
            View::Bool(_) => 'b',
            View::Num(_) => 'n',
            View::Str(_) => 's',
            View::Arr(_) => 'a',
            View::Obj(_) => 'o',
            View::Func(_) => 'f',
        }
    }

    /// JSON for the result; functions become `None` at the top, are dropped from objects and are `null` in arrays.
    pub fn to_json(&self) -> Option<Value> {
        self.to_json_at(0)
    }

    /// `to_json` below `depth` levels: past [`MAX_NESTING`] a value is `null` (callers reject such results first).
    fn to_json_at(&self, depth: usize) -> Option<Value> {
        if depth > MAX_NESTING {
            return Some(Value::Null);
        }
        let depth = depth + 1;
        Some(match self {
            Val::Json(v) => (*v).clone(),
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => num_json(*n),
            Val::Str(s) => Value::String(s.to_string()),
            Val::Arr(a) => Value::Array(a.items.iter().map(|v| v.to_json_at(depth).unwrap_or(Value::Null)).collect()),
            Val::Obj(o) => {
                Value::Object(o.iter().filter_map(|(k, v)| v.to_json_at(depth).map(|j| (k.to_string(), j))).collect())
            }
            Val::Func(_) => return None,
        })
    }
}

/// Deepest nesting the recursive walks (equality, `$string`, results) follow; an expression can build
/// deeper values without recursion (`$reduce` wrapping arrays), and walking them must not overflow the stack.
pub(crate) const MAX_NESTING: usize = 512;

/// Whether the values `v` built nest deeper than `limit`, found without recursion. Borrowed JSON
/// counts as a leaf: serde_json already refuses to parse text nested deeper than 128.
pub(crate) fn nests_deeper(v: &Val<'_>, limit: usize) -> bool {
    let mut stack: Vec<(Val<'_>, usize)> = vec![(v.clone(), 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match &v {
            Val::Arr(a) => stack.extend(a.items.iter().map(|x| (x.clone(), depth + 1))),
            Val::Obj(o) => stack.extend(o.values().map(|x| (x.clone(), depth + 1))),
            Val::Func(f) => match &**f {
                Func::Compose(a, b) => stack.extend([(a.clone(), depth + 1), (b.clone(), depth + 1)]),
                Func::Partial { func, args } => {
                    stack.push((Val::Func(func.clone()), depth + 1));
                    stack.extend(args.iter().flatten().flatten().map(|x| (x.clone(), depth + 1)));
                }
                _ => {}
            },
            _ => {}
        }
    }
    false
}

/// Refuses to build a value nesting `child` deeper than [`MAX_NESTING`], so that dropping,
/// comparing or printing values never recurses past a bounded depth.
pub(crate) fn check_nesting(child: &Val<'_>, pos: usize) -> Result<(), super::JsonataError> {
    if matches!(child, Val::Arr(_) | Val::Obj(_) | Val::Func(_)) && nests_deeper(child, MAX_NESTING) {
        return Err(super::JsonataError::new("D1011", pos));
    }
    Ok(())
}

/// A JSON number for `n`, an integer when it is one (as JavaScript prints it).
pub(crate) fn num_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// Deep equality as jsonata-js's `isDeepEqual`.
pub(crate) fn deep_equal<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    equal_at(a, b, 0)
}

fn equal_at<'a>(a: &Val<'a>, b: &Val<'a>, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    let deep_equal = |p: &Val<'a>, q: &Val<'a>| equal_at(p, q, depth + 1);
    match (a.view(), b.view()) {
        (View::Null, View::Null) => true,
        (View::Bool(x), View::Bool(y)) => x == y,
        (View::Num(x), View::Num(y)) => x == y,
        (View::Str(x), View::Str(y)) => x == y,
        (View::Arr(x), View::Arr(y)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(&p, &q)),
        (View::Obj(x), View::Obj(y)) => {
            x.len() == y.len() && x.entries().iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, &w)))
        }
        (View::Func(x), View::Func(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// A number as JavaScript's `String(n)` prints it.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    // Shortest round-trip digits and exponent, then JavaScript's layout rules.
    let sci = format!("{:e}", n);
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let k = digits.len() as i32;
    let n_exp = exp + 1;
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if k <= n_exp && n_exp <= 21 {
        s.push_str(&digits);
        s.extend(std::iter::repeat_n('0', (n_exp - k) as usize));
    } else if 0 < n_exp && n_exp <= 21 {
        s.push_str(&digits[..n_exp as usize]);
        s.push('.');
        s.push_str(&digits[n_exp as usize..]);
    } else if -6 < n_exp && n_exp <= 0 {
        s.push_str("0.");
        s.extend(std::iter::repeat_n('0', (-n_exp) as usize));
        s.push_str(&digits);
    } else {
        s.push_str(&digits[..1]);
        if k > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if n_exp > 0 { '+' } else { '-' });
        s.push_str(&(n_exp - 1).abs().to_string());
    }
    s
}

/// `n` rounded to 15 significant digits, as jsonata-js's `$string` does before printing.
pub(crate) fn to_precision_15(n: f64) -> f64 {
    if n.fract() == 0.0 {
        return n;
    }
    format!("{:.14e}", n).parse().unwrap_or(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_does() {
        for (n, s) in [
            (1.0, "1"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(js_number(n), s);
        }
        assert_eq!(js_number(to_precision_15(0.1 + 0.2)), "0.3");
    }
}
