//! One state: its type's fields, checked and compiled
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html>).

use super::retry::{catchers, retriers};
use super::scope::{Builder, missing_target};
use super::{Diagnostic, Fields, codes};
use crate::choice::parse_choices;
use crate::model::{
    Io, Kind, Map, NumberOrPath, OptionalPath, State, StateId, StringOrPath, Task, Template, Transition, Wait,
};
use serde_json::{Map as JsonMap, Value};
use std::collections::HashMap;

const COMMON: &[&str] = &["Type", "Comment", "InputPath", "OutputPath"];
const PASS: &[&str] = &["Parameters", "ResultPath", "Result", "Next", "End"];
const TASK: &[&str] = &[
    "Resource",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Next",
    "End",
];
const CHOICE: &[&str] = &["Choices", "Default"];
const WAIT: &[&str] = &["Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Next", "End"];
const FAIL: &[&str] = &["Type", "Comment", "Error", "Cause", "ErrorPath", "CausePath"];
const PARALLEL: &[&str] = &["Parameters", "ResultSelector", "ResultPath", "Branches", "Retry", "Catch", "Next", "End"];
const MAP: &[&str] = &[
    "ItemsPath",
    "ItemSelector",
    "Parameters",
    "ItemProcessor",
    "Iterator",
    "ResultSelector",
    "ResultPath",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ItemReader",
    "ResultWriter",
    "ItemBatcher",
    "Label",
    "Retry",
    "Catch",
    "Next",
    "End",
];
/// TimeoutSeconds and HeartbeatSeconds may be at most 99,999,999.
const MAX_SECONDS: u64 = 99_999_999;

pub(crate) struct StateParser<'b, 'i> {
    pub builder: &'b mut Builder,
    pub index: &'i HashMap<&'i str, StateId>,
    pub depth: usize,
}

impl StateParser<'_, '_> {
    pub fn state(
        &mut self,
        name: &str,
        body: &JsonMap<String, Value>,
        here: &str,
        d: &mut Vec<Diagnostic>,
    ) -> Option<State> {
        let f = Fields::new(body, here);
        let type_name = f.required_string("Type", d)?;
        let allowed: Vec<&str> = match type_name {
            "Pass" => [COMMON, PASS].concat(),
            "Task" => [COMMON, TASK].concat(),
            "Choice" => [COMMON, CHOICE].concat(),
            "Wait" => [COMMON, WAIT].concat(),
            "Succeed" => COMMON.to_vec(),
            "Fail" => FAIL.to_vec(),
            "Parallel" => [COMMON, PARALLEL].concat(),
            "Map" => [COMMON, MAP].concat(),
            other => {
                d.push(Diagnostic::error(
                    codes::SCHEMA_VALIDATION_FAILED,
                    f.at("Type"),
                    format!("Value is not a valid state type: {other}"),
                ));
                return None;
            }
        };
        f.only(&allowed, d);
        let errors_before = d.len();
        let io = self.io(&f, type_name, d);
        let kind = match type_name {
            "Pass" => Kind::Pass { result: body.get("Result").cloned() },
            "Task" => Kind::Task(Box::new(task(&f, d))),
            "Choice" => self.choice(&f, d),
            "Wait" => wait(&f, d)?,
            "Succeed" => Kind::Succeed,
            "Fail" => fail(&f, d),
            "Parallel" => self.parallel(&f, d),
            _ => Kind::Map(Box::new(self.map(&f, d))),
        };
        (d.len() == errors_before).then(|| State { name: name.to_owned(), io, kind })
    }

    fn target(&self, name: &str, location: &str, d: &mut Vec<Diagnostic>) -> Option<StateId> {
        let found = self.index.get(name).copied();
        if found.is_none() {
            d.push(missing_target(name, location));
        }
        found
    }

    fn io(&self, f: &Fields<'_>, type_name: &str, d: &mut Vec<Diagnostic>) -> Io {
        let flows = !matches!(type_name, "Choice" | "Succeed" | "Fail");
        let transition = if flows {
            match (f.string("Next", d), f.bool("End", d)) {
                (Some(next), None | Some(false)) => self.target(next, &f.at("Next"), d).map(Transition::Next),
                (None, Some(true)) => Some(Transition::End),
                (Some(_), Some(true)) => {
                    d.push(Diagnostic::error(
                        codes::SCHEMA_VALIDATION_FAILED,
                        f.location.clone(),
                        "Only one of 'Next' or 'End' may be specified",
                    ));
                    None
                }
                (None, _) => {
                    d.push(Diagnostic::error(
                        codes::SCHEMA_VALIDATION_FAILED,
                        f.location.clone(),
                        "Exactly one of 'Next' or 'End' is required",
                    ));
                    None
                }
            }
        } else {
            None
        };
        let parameters_field = if type_name == "Map" { "ItemSelector" } else { "Parameters" };
        Io {
            input_path: f.optional_path("InputPath", false, d),
            parameters: if type_name == "Map" { None } else { template(f, parameters_field, d) },
            result_selector: template(f, "ResultSelector", d),
            result_path: f.optional_path("ResultPath", true, d),
            output_path: f.optional_path("OutputPath", false, d),
            transition,
            retry: retriers(f, d),
            catch: catchers(f, self.index, d),
        }
    }

    fn choice(&self, f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Kind {
        let rules = parse_choices(f.obj, &f.location, d);
        // Rules with errors are left out (and reported); only when none was
        // does a rule's position name its place in `Choices`.
        let written = f.obj.get("Choices").and_then(Value::as_array).map_or(0, Vec::len);
        if rules.len() != written {
            return Kind::Choice { choices: Vec::new(), default: None };
        }
        let mut choices = Vec::with_capacity(rules.len());
        for (i, rule) in rules.into_iter().enumerate() {
            let at = format!("{}/Choices[{i}]/Next", f.location);
            if let Some(next) = self.target(&rule.next, &at, d) {
                choices.push((rule, next));
            }
        }
        let default = f.string("Default", d).and_then(|name| self.target(name, &f.at("Default"), d));
        Kind::Choice { choices, default }
    }

    fn parallel(&mut self, f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Kind {
        let mut branches = Vec::new();
        let list = if f.require("Branches", d) { f.array("Branches", d) } else { None };
        for (i, branch) in list.into_iter().flatten().enumerate() {
            let here = format!("{}[{i}]", f.at("Branches"));
            match branch.as_object() {
                Some(o) => {
                    let depth = self.depth + 1;
                    branches.push(self.builder.scope(o, &here, depth, d));
                }
                None => {
                    d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, here, "Expected value of type Object"))
                }
            }
        }
        Kind::Parallel { branches }
    }

    fn map(&mut self, f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Map {
        f.exclusive("ItemProcessor", "Iterator", d);
        f.exclusive("ItemSelector", "Parameters", d);
        let field = if f.has("Iterator") { "Iterator" } else { "ItemProcessor" };
        let mut distributed = false;
        let processor = match f.object(field, d) {
            Some(o) => {
                if let Some(config) = o.get("ProcessorConfig").and_then(Value::as_object) {
                    distributed = config.get("Mode").and_then(Value::as_str) == Some("DISTRIBUTED");
                }
                let depth = self.depth + 1;
                self.builder.scope(o, &f.at(field), depth, d)
            }
            None => {
                f.require(field, d);
                self.builder.scope(&JsonMap::new(), &f.at(field), MAX_NESTED_GUARD, &mut Vec::new())
            }
        };
        let selector = if f.has("Parameters") { "Parameters" } else { "ItemSelector" };
        Map {
            processor,
            items_path: f.optional_path("ItemsPath", false, d),
            item_selector: template(f, selector, d),
            max_concurrency: number_or_path(f, "MaxConcurrency", 0.0, f64::from(u32::MAX), d),
            tolerated_failure_percentage: percentage(f, d),
            tolerated_failure_count: number_or_path(f, "ToleratedFailureCount", 0.0, f64::from(u32::MAX), d),
            distributed,
            label: f.string("Label", d).map(str::to_owned),
        }
    }
}

/// A depth past the nesting limit, so an empty placeholder scope reports nothing.
const MAX_NESTED_GUARD: usize = usize::MAX;

fn template(f: &Fields<'_>, field: &str, d: &mut Vec<Diagnostic>) -> Option<Template> {
    let value = f.obj.get(field)?;
    let mut errors = Vec::new();
    let t = Template::compile(value, &mut errors);
    for (pointer, e) in errors {
        d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, format!("{}{pointer}", f.at(field)), e.to_string()));
    }
    Some(t)
}

/// `ToleratedFailurePercentage` (a number 0–100, fractions allowed) or its path.
fn percentage(f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Option<NumberOrPath> {
    f.exclusive("ToleratedFailurePercentage", "ToleratedFailurePercentagePath", d);
    if let Some(p) = f.path("ToleratedFailurePercentagePath", true, d) {
        return Some(NumberOrPath::Path(p));
    }
    f.number("ToleratedFailurePercentage", 0.0, 100.0, d).map(NumberOrPath::Literal)
}

/// `X` (an integer within bounds) or `XPath`, never both.
fn number_or_path(f: &Fields<'_>, field: &str, min: f64, max: f64, d: &mut Vec<Diagnostic>) -> Option<NumberOrPath> {
    let path_field = format!("{field}Path");
    f.exclusive(field, &path_field, d);
    if let Some(p) = f.path(&path_field, true, d) {
        return Some(NumberOrPath::Path(p));
    }
    let n = f.number(field, min, max, d)?;
    if n.fract() != 0.0 {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            f.at(field),
            format!("Expected value of type Integer at {}", f.at(field)),
        ));
        return None;
    }
    Some(NumberOrPath::Literal(n))
}

fn task(f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Task {
    let resource = f.required_string("Resource", d).unwrap_or_default();
    if f.has("Resource") && !is_arn(resource) {
        d.push(Diagnostic::error(
            codes::INVALID_RESOURCE,
            f.at("Resource"),
            format!("Value is not a valid resource ARN: {resource}"),
        ));
    }
    let timeout = number_or_path(f, "TimeoutSeconds", 1.0, MAX_SECONDS as f64, d);
    let heartbeat = number_or_path(f, "HeartbeatSeconds", 1.0, MAX_SECONDS as f64, d);
    if let (Some(NumberOrPath::Literal(t)), Some(NumberOrPath::Literal(h))) = (&timeout, &heartbeat)
        && h >= t
    {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            f.at("HeartbeatSeconds"),
            "HeartbeatSeconds must be smaller than TimeoutSeconds",
        ));
    }
    Task { resource: resource.to_owned(), timeout, heartbeat }
}

/// An ARN has at least six `:`-separated parts and starts with `arn:`.
fn is_arn(resource: &str) -> bool {
    resource.starts_with("arn:") && resource.split(':').count() >= 6
}

fn wait(f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Option<Kind> {
    let present: Vec<&str> =
        ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"].into_iter().filter(|k| f.has(k)).collect();
    if present.len() != 1 {
        d.push(Diagnostic::error(
            codes::SCHEMA_VALIDATION_FAILED,
            f.location.clone(),
            "Exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' is required",
        ));
        return None;
    }
    let wait = match present[0] {
        "Seconds" => Wait::Seconds(f.integer("Seconds", 0, MAX_SECONDS, d)?),
        "Timestamp" => {
            let text = f.string("Timestamp", d)?;
            match crate::timestamp::parse(text) {
                Some(t) => Wait::Timestamp(t.epoch_millis()),
                None => {
                    d.push(Diagnostic::error(
                        codes::SCHEMA_VALIDATION_FAILED,
                        f.at("Timestamp"),
                        "The value for the field 'Timestamp' must be a valid RFC3339 timestamp",
                    ));
                    return None;
                }
            }
        }
        "SecondsPath" => Wait::SecondsPath(f.path("SecondsPath", true, d)?),
        _ => Wait::TimestampPath(f.path("TimestampPath", true, d)?),
    };
    Some(Kind::Wait(wait))
}

fn fail(f: &Fields<'_>, d: &mut Vec<Diagnostic>) -> Kind {
    let mut part = |literal: &str, path: &str| -> Option<StringOrPath> {
        f.exclusive(literal, path, d);
        if let Some(text) = f.string(path, d) {
            return match Template::dynamic(path, text) {
                Ok(t) => Some(StringOrPath::Template(t)),
                Err(e) => {
                    d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, f.at(path), e.to_string()));
                    None
                }
            };
        }
        f.string(literal, d).map(|s| StringOrPath::Literal(s.to_owned()))
    };
    let error = part("Error", "ErrorPath");
    let cause = part("Cause", "CausePath");
    Kind::Fail { error, cause }
}

impl OptionalPath {
    /// Whether the field was left out.
    pub fn is_default(&self) -> bool {
        matches!(self, OptionalPath::Default)
    }
}
