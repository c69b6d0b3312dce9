//! Payload templates: `Parameters`, `ResultSelector` and `ItemSelector`.
//!
//! AWS: "Payload templates" and "Parameters"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html>).
//! A key ending in `.$` takes its value from a path (`$…`), the context object
//! (`$$…`) or an intrinsic call (`States.…`); the `.$` is dropped from the key.
//! Everything is compiled when the definition is parsed.

use crate::error::{Failure, names};
use crate::intrinsics::Intrinsic;
use crate::path::Path;
use crate::rng::Rng;
use serde_json::{Map, Value};

/// A compiled payload template.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A value with no `.$` keys anywhere inside: copied as is.
    Static(Value),
    /// An object with at least one dynamic entry somewhere below it.
    Object(Vec<(String, Template)>),
    /// An array with dynamic objects inside.
    Array(Vec<Template>),
    /// `"key.$": "$.path"` or `"$$.path"`.
    Path(Path),
    /// `"key.$": "States.Format(...)"`.
    Intrinsic(Box<Intrinsic>),
}

/// Why a `.$` value cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The value of a `.$` key is not a string.
    #[error("the value of field '{key}' must be a string path or intrinsic function")]
    NotAString {
        /// The key, with its `.$`.
        key: String,
    },
    /// The value is neither a path nor an intrinsic call.
    #[error("the value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call")]
    Invalid {
        /// The key, with its `.$`.
        key: String,
        /// What the parser said.
        reason: String,
    },
}

impl Template {
    /// Compiles a template, collecting one error per bad `.$` entry (with its
    /// JSON pointer relative to the template).
    pub fn compile(value: &Value, errors: &mut Vec<(String, TemplateError)>) -> Template {
        compile_at(value, "", errors)
    }

    /// Compiles the value of a single `.$` field (such as `ErrorPath`).
    pub fn dynamic(key: &str, text: &str) -> Result<Template, TemplateError> {
        if text.starts_with('$') {
            Path::parse(text)
                .map(Template::Path)
                .map_err(|e| TemplateError::Invalid { key: key.to_owned(), reason: e.to_string() })
        } else if text.starts_with("States.") {
            Intrinsic::parse(text)
                .map(|i| Template::Intrinsic(Box::new(i)))
                .map_err(|e| TemplateError::Invalid { key: key.to_owned(), reason: e.to_string() })
        } else {
            Err(TemplateError::Invalid { key: key.to_owned(), reason: "not a path or intrinsic function".to_owned() })
        }
    }

    /// Whether evaluating reads the context object (`$$`), so callers can
    /// skip building it.
    pub fn uses_context(&self) -> bool {
        match self {
            Template::Static(_) => false,
            Template::Object(entries) => entries.iter().any(|(_, t)| t.uses_context()),
            Template::Array(items) => items.iter().any(Template::uses_context),
            Template::Path(p) => p.root() == crate::path::Root::Context,
            Template::Intrinsic(call) => call.as_str().contains("$$"),
        }
    }

    /// Builds the payload from the effective input and the context object.
    ///
    /// A path that selects nothing fails with `States.Runtime`, as AWS reports
    /// "The JSONPath '…' specified for the field '….$' could not be found in
    /// the input '…'".
    pub fn eval(&self, input: &Value, context: &Value, rng: &mut Rng) -> Result<Value, Failure> {
        self.eval_field(input, context, rng, "")
    }

    /// Evaluates a template that is itself the value of the field `key`
    /// (such as `ErrorPath`), so errors name that field.
    pub fn eval_field(&self, input: &Value, context: &Value, rng: &mut Rng, key: &str) -> Result<Value, Failure> {
        match self {
            Template::Static(v) => Ok(v.clone()),
            Template::Object(entries) => {
                let mut out = Map::with_capacity(entries.len());
                for (k, t) in entries {
                    let field = format!("{k}.$");
                    out.insert(k.clone(), t.eval_field(input, context, rng, &field)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => items
                .iter()
                .map(|t| t.eval_field(input, context, rng, key))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Template::Path(path) => path.select(input, context).map_err(|_| {
                let source = match path.root() {
                    crate::path::Root::Input => input,
                    crate::path::Root::Context => context,
                };
                Failure::new(
                    names::RUNTIME,
                    format!(
                        "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
                        path,
                        key,
                        crate::json::to_text(source)
                    ),
                )
            }),
            Template::Intrinsic(call) => call.eval(input, context, rng),
        }
    }
}

fn compile_at(value: &Value, pointer: &str, errors: &mut Vec<(String, TemplateError)>) -> Template {
    match value {
        Value::Object(map) => {
            let mut entries = Vec::with_capacity(map.len());
            let mut dynamic = false;
            for (key, v) in map {
                let here = format!("{pointer}/{}", crate::validate::pointer_token(key));
                if let Some(stripped) = key.strip_suffix(".$") {
                    dynamic = true;
                    let compiled = match v {
                        Value::String(text) => Template::dynamic(key, text),
                        _ => Err(TemplateError::NotAString { key: key.clone() }),
                    };
                    match compiled {
                        Ok(t) => entries.push((stripped.to_owned(), t)),
                        Err(e) => errors.push((here, e)),
                    }
                } else {
                    let t = compile_at(v, &here, errors);
                    dynamic |= !matches!(t, Template::Static(_));
                    entries.push((key.clone(), t));
                }
            }
            if dynamic { Template::Object(entries) } else { Template::Static(value.clone()) }
        }
        Value::Array(items) => {
            let compiled: Vec<Template> =
                items.iter().enumerate().map(|(i, v)| compile_at(v, &format!("{pointer}/{i}"), errors)).collect();
            if compiled.iter().all(|t| matches!(t, Template::Static(_))) {
                Template::Static(value.clone())
            } else {
                Template::Array(compiled)
            }
        }
        _ => Template::Static(value.clone()),
    }
}
