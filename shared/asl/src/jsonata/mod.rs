//! JSONata, the query language of Step Functions states with
//! `"QueryLanguage": "JSONata"` ("Transforming data with JSONata in Step
//! Functions", <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>;
//! language reference <https://docs.jsonata.org>). Step Functions runs JSONata 2.0.6.
//!
//! Compile an expression once (when the definition is parsed), keep the
//! [`Expression`], and evaluate it per state with the input, the variables
//! (`$states`, workflow variables) as [`Bindings`], and the clock and random
//! source as [`Effects`], so evaluation stays pure and replayable:
//!
//! ```
//! use serde_json::json;
//! use stepwise_asl::jsonata::{Expression, SeededEffects};
//!
//! let expr = Expression::compile("$states.input.items[price > 10].{'id': id, 'total': price * qty}").unwrap();
//! let states = json!({"input": {"items": [{"id": "a", "price": 5, "qty": 1}, {"id": "b", "price": 20, "qty": 2}]}});
//! let bindings = [("states", &states)];
//! let mut effects = SeededEffects::new(0, 1);
//! let out = expr.evaluate(None, &bindings, &mut effects).unwrap();
//! assert_eq!(out, Some(json!({"id": "b", "total": 40})));
//! ```
//!
//! Not supported yet: the parent operator `%`,
//! `$formatInteger`/`$parseInteger` words and non-ASCII digits, `$formatNumber`
//! exponents and custom digit families, and words, roman numerals and week
//! numbers in date pictures. `??` and `?:` came with JSONata 2.1 and are not
//! operators here. `$eval` is not provided, as in Step Functions (it answers
//! T1006, the cause AWS records for an unknown function).

mod ast;
mod error;
mod eval;
mod functions;
mod lexer;
mod parser;
mod path;
mod signature;
mod transform;
mod value;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde_json::Value;

pub use error::JsonataError;

use crate::rng::Rng;

/// Named values an expression reads as `$name`: `states` for `$states`, and workflow variables.
///
/// # Contract
/// `get` is called with the name without its `$`; `None` means not bound (the
/// expression then sees a built-in function of that name, or undefined).
pub trait Bindings {
    /// The value bound to `name`.
    fn get(&self, name: &str) -> Option<&Value>;
}

impl Bindings for HashMap<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        HashMap::get(self, name)
    }
}

impl Bindings for BTreeMap<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        BTreeMap::get(self, name)
    }
}

impl Bindings for serde_json::Map<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        serde_json::Map::get(self, name)
    }
}

impl<const N: usize> Bindings for [(&str, &Value); N] {
    fn get(&self, name: &str) -> Option<&Value> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

impl Bindings for Vec<(&str, &Value)> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

impl Bindings for () {
    fn get(&self, _: &str) -> Option<&Value> {
        None
    }
}

/// The non-determinism an expression may use: `$now`, `$millis`, `$random`, `$uuid`, `$shuffle`.
///
/// # Contract
/// Within one evaluation `now_ms` should return the same instant (jsonata-js
/// fixes `$now()` per evaluation); `random` returns a float in `[0, 1)`.
pub trait Effects {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&mut self) -> i64;
    /// A random float in `[0, 1)`.
    fn random(&mut self) -> f64;
    /// A random version-4 UUID in canonical lowercase form.
    fn uuid(&mut self) -> String;
}

/// [`Effects`] from a fixed instant and a seeded [`Rng`]: what the interpreter passes, and tests use.
#[derive(Debug, Clone)]
pub struct SeededEffects {
    /// The instant `$now()` and `$millis()` report.
    pub now_ms: i64,
    /// The random source.
    pub rng: Rng,
}

impl SeededEffects {
    /// Effects at `now_ms` with randomness from `seed`.
    pub fn new(now_ms: i64, seed: u64) -> Self {
        SeededEffects { now_ms, rng: Rng::new(seed) }
    }
}

impl Effects for SeededEffects {
    fn now_ms(&mut self) -> i64 {
        self.now_ms
    }
    fn random(&mut self) -> f64 {
        self.rng.next_f64()
    }
    fn uuid(&mut self) -> String {
        self.rng.uuid_v4()
    }
}

/// A compiled JSONata expression. Compile once, evaluate many times; it is `Send + Sync`.
#[derive(Debug)]
pub struct Expression {
    source: String,
    root: ast::Node,
}

impl Expression {
    /// Parses `source`; syntax errors carry jsonata-js's S0xxx codes.
    pub fn compile(source: &str) -> Result<Expression, JsonataError> {
        Ok(Expression { source: source.to_string(), root: parser::parse(source)? })
    }

    /// The expression text it was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates against `input` (the context `$`; Step Functions passes none, its
    /// expressions start from `$states`), returning `None` for JSONata's undefined.
    pub fn evaluate(
        &self,
        input: Option<&Value>,
        bindings: &dyn Bindings,
        effects: &mut dyn Effects,
    ) -> Result<Option<Value>, JsonataError> {
        // jsonata-js wraps an array input in a singleton sequence, so `phone[0]` indexes the whole mapped result.
        let input = input.map(|v| match v {
            Value::Array(_) => value::Val::Arr(Rc::new(value::Arr {
                items: vec![value::Val::Json(v)],
                seq: true,
                outer: true,
                ..value::Arr::default()
            })),
            v => value::Val::Json(v),
        });
        let mut ctx = eval::Ctx::new(bindings, effects, input.clone());
        let scope = Rc::new(eval::Scope::default());
        let result = ctx.eval(&self.root, input.as_ref(), &scope)?;
        match result {
            Some(v) if value::nests_deeper(&v, value::MAX_NESTING) => Err(JsonataError::new("D1011", self.root.pos)),
            v => Ok(v.and_then(|v| v.to_json())),
        }
    }
}

#[cfg(test)]
mod tests;
