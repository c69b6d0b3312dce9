//! Typed reads of definition fields that record a diagnostic instead of failing.

use super::{Diagnostic, codes};
use crate::model::OptionalPath;
use crate::path::Path;
use serde_json::{Map, Value};

/// Reads the fields of one JSON object at a known location.
pub(crate) struct Fields<'a> {
    pub obj: &'a Map<String, Value>,
    pub location: String,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>, location: impl Into<String>) -> Self {
        Fields { obj, location: location.into() }
    }

    pub fn at(&self, field: &str) -> String {
        format!("{}/{}", self.location, super::pointer_token(field))
    }

    pub fn has(&self, field: &str) -> bool {
        self.obj.contains_key(field)
    }

    fn wrong_type(&self, field: &str, expected: &str, d: &mut Vec<Diagnostic>) {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            self.at(field),
            format!("Expected value of type {expected} at {}", self.at(field)),
        ));
    }

    pub fn string(&self, field: &str, d: &mut Vec<Diagnostic>) -> Option<&'a str> {
        match self.obj.get(field)? {
            Value::String(s) => Some(s),
            _ => {
                self.wrong_type(field, "String", d);
                None
            }
        }
    }

    /// Reports a missing required field as AWS does; true when present.
    pub fn require(&self, field: &str, d: &mut Vec<Diagnostic>) -> bool {
        let present = self.has(field);
        if !present {
            d.push(Diagnostic::error(
                codes::SCHEMA_VALIDATION_FAILED,
                self.location.clone(),
                format!("These fields are required: [{field}]"),
            ));
        }
        present
    }

    pub fn required_string(&self, field: &str, d: &mut Vec<Diagnostic>) -> Option<&'a str> {
        if !self.require(field, d) {
            return None;
        }
        self.string(field, d)
    }

    pub fn bool(&self, field: &str, d: &mut Vec<Diagnostic>) -> Option<bool> {
        match self.obj.get(field)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.wrong_type(field, "Boolean", d);
                None
            }
        }
    }

    /// A non-negative integer within `[min, max]`.
    pub fn integer(&self, field: &str, min: u64, max: u64, d: &mut Vec<Diagnostic>) -> Option<u64> {
        let v = self.obj.get(field)?;
        match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) | None if v.is_number() && v.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    self.at(field),
                    format!("Expected value between {min} and {max} at {}", self.at(field)),
                ));
                None
            }
            _ => {
                self.wrong_type(field, "Integer", d);
                None
            }
        }
    }

    /// A number within `[min, max]` (floats allowed).
    pub fn number(&self, field: &str, min: f64, max: f64, d: &mut Vec<Diagnostic>) -> Option<f64> {
        let v = self.obj.get(field)?;
        match v.as_f64() {
            Some(n) if n >= min && n <= max => Some(n),
            Some(_) => {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    self.at(field),
                    format!("Expected value between {min} and {max} at {}", self.at(field)),
                ));
                None
            }
            None => {
                self.wrong_type(field, "Number", d);
                None
            }
        }
    }

    pub fn object(&self, field: &str, d: &mut Vec<Diagnostic>) -> Option<&'a Map<String, Value>> {
        match self.obj.get(field)? {
            Value::Object(o) => Some(o),
            _ => {
                self.wrong_type(field, "Object", d);
                None
            }
        }
    }

    pub fn array(&self, field: &str, d: &mut Vec<Diagnostic>) -> Option<&'a Vec<Value>> {
        match self.obj.get(field)? {
            Value::Array(a) => Some(a),
            _ => {
                self.wrong_type(field, "Array", d);
                None
            }
        }
    }

    /// A JSONPath field (`"$…"` or `"$$…"`); `reference` requires a reference path.
    pub fn path(&self, field: &str, reference: bool, d: &mut Vec<Diagnostic>) -> Option<Path> {
        let text = self.string(field, d)?;
        self.parse_path(field, text, reference, d)
    }

    pub fn parse_path(&self, field: &str, text: &str, reference: bool, d: &mut Vec<Diagnostic>) -> Option<Path> {
        match Path::parse(text) {
            Ok(p) if reference && !p.is_reference_path() => {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    self.at(field),
                    format!("The value for the field '{field}' must be a valid ReferencePath"),
                ));
                None
            }
            Ok(p) => Some(p),
            Err(e) => {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    self.at(field),
                    format!("The value for the field '{field}' must be a valid JSONPath: {}", e.reason),
                ));
                None
            }
        }
    }

    /// InputPath, OutputPath or ResultPath: absent, `null`, or a path.
    pub fn optional_path(&self, field: &str, reference: bool, d: &mut Vec<Diagnostic>) -> OptionalPath {
        match self.obj.get(field) {
            None => OptionalPath::Default,
            Some(Value::Null) => OptionalPath::Null,
            Some(_) => self.path(field, reference, d).map_or(OptionalPath::Default, OptionalPath::Path),
        }
    }

    /// Reports every field not in `allowed`, as AWS does:
    /// "Field 'X' is not supported" at the state's location.
    pub fn only(&self, allowed: &[&str], d: &mut Vec<Diagnostic>) {
        for key in self.obj.keys() {
            if !allowed.contains(&key.as_str()) {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    self.location.clone(),
                    format!("Field '{key}' is not supported"),
                ));
            }
        }
    }

    /// Reports when both of two mutually exclusive fields are present.
    pub fn exclusive(&self, a: &str, b: &str, d: &mut Vec<Diagnostic>) {
        if self.has(a) && self.has(b) {
            d.push(Diagnostic::error(
                codes::SCHEMA_VALIDATION_FAILED,
                self.location.clone(),
                format!("You cannot set both '{a}' and '{b}' at the same time"),
            ));
        }
    }
}
