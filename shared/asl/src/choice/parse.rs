//! Parsing a Choice state's `Choices` into [`ChoiceRule`]s, reporting every
//! problem as a diagnostic.
//!
//! AWS: "Choice workflow state", "Choice Rules (JSONPath)"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>):
//! `Choices` is a non-empty array; a top-level rule has `Next`; the rules
//! inside `And`, `Or` (non-empty arrays) and `Not` (one rule) must not; a
//! data-test expression is a `Variable` plus one comparison operator; the
//! `Variable` and every `…Path` operand are reference paths. Messages follow
//! the wording of the rest of the validator ("These fields are required:
//! [Next]", "Expected value of type Number", "Field 'X' is not supported").

use super::{ChoiceRule, Condition, Is, Operand, Pattern, Relation, Test};
use crate::path::Path;
use crate::timestamp::Timestamp;
use crate::validate::{Diagnostic, codes, pointer_token};
use serde_json::{Map, Value};

/// Nested `And`/`Or`/`Not` deeper than this is rejected rather than risking
/// the stack (serde_json itself stops at 128 levels of JSON).
const MAX_DEPTH: usize = 100;

/// Parses a Choice state's `Choices`. `state` is the whole state object and
/// `location` its JSON pointer (such as `/States/MyChoice`); problems are
/// pushed to `diagnostics` with locations such as
/// `/States/MyChoice/Choices[0]/Variable` (AWS writes array indexes in brackets), all of them, not just the first.
///
/// Returns the rules that parsed; when any diagnostic was added the list may
/// be incomplete and the definition is invalid. `Comment` is allowed on any
/// rule and ignored; `Default` belongs to the state and is read elsewhere.
/// JSONata's `Condition`, and `Assign`/`Output`, are reported as unsupported
/// fields until those features land.
pub fn parse_choices(state: &Map<String, Value>, location: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<ChoiceRule> {
    let mut parser = Parser { diagnostics, depth: 0 };
    let Some(choices) = state.get("Choices") else {
        parser.error(location, "These fields are required: [Choices]");
        return Vec::new();
    };
    let at = format!("{location}/Choices");
    let Some(choices) = choices.as_array() else {
        parser.error(&at, "Expected value of type Array");
        return Vec::new();
    };
    if choices.is_empty() {
        parser.error(&at, "The value for the field 'Choices' must be a non-empty array of Choice Rules");
    }
    choices.iter().enumerate().filter_map(|(i, rule)| parser.top_rule(rule, &format!("{at}[{i}]"))).collect()
}

/// The operators a rule may hold.
#[derive(Debug, Clone, Copy)]
enum Operator {
    And,
    Or,
    Not,
    Data(DataOperator),
}

/// The operators of a data-test expression (those that need `Variable`).
#[derive(Debug, Clone, Copy)]
enum DataOperator {
    /// `String…`, `Numeric…`, `BooleanEquals`, `Timestamp…`; `path` for the
    /// `…Path` forms.
    Compare {
        family: Family,
        relation: Relation,
        path: bool,
    },
    StringMatches,
    Is(Is),
}

#[derive(Debug, Clone, Copy)]
enum Family {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

const RELATIONS: [(&str, Relation); 5] = [
    ("Equals", Relation::Equals),
    ("LessThan", Relation::LessThan),
    ("GreaterThan", Relation::GreaterThan),
    ("LessThanEquals", Relation::LessThanEquals),
    ("GreaterThanEquals", Relation::GreaterThanEquals),
];

const TYPE_TESTS: [(&str, Is); 6] = [
    ("IsNull", Is::Null),
    ("IsPresent", Is::Present),
    ("IsNumeric", Is::Numeric),
    ("IsString", Is::String),
    ("IsBoolean", Is::Boolean),
    ("IsTimestamp", Is::Timestamp),
];

/// Recognizes an operator name, such as `NumericLessThanEqualsPath`.
fn operator(name: &str) -> Option<Operator> {
    match name {
        "And" => return Some(Operator::And),
        "Or" => return Some(Operator::Or),
        "Not" => return Some(Operator::Not),
        "StringMatches" => return Some(Operator::Data(DataOperator::StringMatches)),
        _ => {}
    }
    if let Some((_, is)) = TYPE_TESTS.iter().find(|(n, _)| *n == name) {
        return Some(Operator::Data(DataOperator::Is(*is)));
    }
    let (base, path) = name.strip_suffix("Path").map_or((name, false), |base| (base, true));
    let compare = |family, relation| Some(Operator::Data(DataOperator::Compare { family, relation, path }));
    if base == "BooleanEquals" {
        return compare(Family::Boolean, Relation::Equals);
    }
    let families = [("String", Family::String), ("Numeric", Family::Numeric), ("Timestamp", Family::Timestamp)];
    let (family, rest) =
        families.into_iter().find_map(|(prefix, family)| Some((family, base.strip_prefix(prefix)?)))?;
    let (_, relation) = RELATIONS.iter().find(|(suffix, _)| *suffix == rest)?;
    compare(family, *relation)
}

/// The JSON pointer of `field` inside the object at `at`.
fn field(at: &str, field: &str) -> String {
    format!("{at}/{}", pointer_token(field))
}

struct Parser<'d> {
    diagnostics: &'d mut Vec<Diagnostic>,
    depth: usize,
}

impl Parser<'_> {
    fn error(&mut self, at: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, at, message));
    }

    fn object<'v>(&mut self, value: &'v Value, at: &str) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.error(at, "Expected value of type Object");
        }
        object
    }

    fn top_rule(&mut self, rule: &Value, at: &str) -> Option<ChoiceRule> {
        let rule = self.object(rule, at)?;
        let next = match rule.get("Next") {
            None => {
                self.error(at, "These fields are required: [Next]");
                None
            }
            Some(Value::String(next)) => Some(next.clone()),
            Some(_) => {
                self.error(&field(at, "Next"), "Expected value of type String");
                None
            }
        };
        let condition = self.condition(rule, at, true);
        Some(ChoiceRule { condition: condition?, next: next? })
    }

    /// One rule's condition; `top` allows `Next`.
    fn condition(&mut self, rule: &Map<String, Value>, at: &str, top: bool) -> Option<Condition> {
        let mut operators = Vec::new();
        let mut unsupported = false;
        for (key, value) in rule {
            match key.as_str() {
                "Variable" | "Comment" => {}
                "Next" if top => {}
                "Next" => self.error(
                    &field(at, key),
                    "Field 'Next' is not supported: only a top-level Choice Rule can have 'Next'",
                ),
                _ => match operator(key) {
                    Some(op) => operators.push((key.as_str(), op, value)),
                    None => {
                        self.error(&field(at, key), format!("Field '{key}' is not supported"));
                        unsupported = true;
                    }
                },
            }
        }
        let (name, op, value) = match operators[..] {
            [one] => one,
            // An unsupported field was most likely meant as the operator.
            [] if unsupported => return None,
            [] => {
                self.error(
                    at,
                    "A Choice Rule must have a comparison operator with a 'Variable', or one of 'And', 'Or', 'Not'",
                );
                return None;
            }
            _ => {
                let names: Vec<&str> = operators.iter().map(|(name, ..)| *name).collect();
                self.error(
                    at,
                    format!("A Choice Rule must have exactly one comparison operator, found: [{}]", names.join(", ")),
                );
                return None;
            }
        };
        let here = field(at, name);
        let data = match op {
            Operator::Data(data) => data,
            logic => {
                let unexpected = rule.contains_key("Variable");
                if unexpected {
                    self.error(&field(at, "Variable"), format!("Field 'Variable' is not supported with '{name}'"));
                }
                let condition = self.nested(logic, name, value, &here);
                return if unexpected { None } else { condition };
            }
        };
        let variable = match rule.get("Variable") {
            Some(variable) => self.reference_path(variable, &field(at, "Variable"), "Variable"),
            None => {
                self.error(at, "These fields are required: [Variable]");
                None
            }
        };
        let test = self.test(data, name, value, &here);
        Some(Condition::Test { variable: variable?, test: test? })
    }

    /// The rules inside `And`, `Or` or `Not`.
    fn nested(&mut self, logic: Operator, name: &str, value: &Value, here: &str) -> Option<Condition> {
        if self.depth == MAX_DEPTH {
            self.error(here, format!("Choice Rules are nested more than {MAX_DEPTH} levels deep"));
            return None;
        }
        self.depth += 1;
        let condition = match logic {
            Operator::Not => {
                let rule = self.object(value, here);
                rule.and_then(|rule| self.condition(rule, here, false)).map(|c| Condition::Not(Box::new(c)))
            }
            _ => self.rule_list(name, value, here).map(|list| match logic {
                Operator::And => Condition::And(list),
                _ => Condition::Or(list),
            }),
        };
        self.depth -= 1;
        condition
    }

    fn rule_list(&mut self, name: &str, value: &Value, here: &str) -> Option<Vec<Condition>> {
        let Some(rules) = value.as_array() else {
            self.error(here, "Expected value of type Array");
            return None;
        };
        if rules.is_empty() {
            self.error(here, format!("The value for the field '{name}' must be a non-empty array of Choice Rules"));
            return None;
        }
        let mut conditions = Vec::with_capacity(rules.len());
        let mut complete = true;
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{here}[{i}]");
            match self.object(rule, &at).and_then(|rule| self.condition(rule, &at, false)) {
                Some(condition) => conditions.push(condition),
                None => complete = false,
            }
        }
        complete.then_some(conditions)
    }

    /// A `Variable` or `…Path` operand: a string holding a reference path.
    fn reference_path(&mut self, value: &Value, here: &str, name: &str) -> Option<Path> {
        let Some(text) = value.as_str() else {
            self.error(here, "Expected value of type String");
            return None;
        };
        match Path::parse(text) {
            Ok(path) if path.is_reference_path() => Some(path),
            Ok(_) => {
                self.error(here, format!("The value for the field '{name}' must be a valid ReferencePath"));
                None
            }
            Err(e) => {
                self.error(here, format!("The value for the field '{name}' must be a valid JSONPath: {}", e.reason));
                None
            }
        }
    }

    /// The operand of a data-test operator, checked for type.
    fn test(&mut self, op: DataOperator, name: &str, value: &Value, here: &str) -> Option<Test> {
        let (family, relation) = match op {
            DataOperator::StringMatches => {
                return self.string(value, here).map(|s| Test::StringMatches(Pattern::new(s)));
            }
            DataOperator::Is(is) => return self.boolean(value, here).map(|b| Test::Is(is, b)),
            DataOperator::Compare { family, relation, path: true } => {
                let path = self.reference_path(value, here, name)?;
                return Some(match family {
                    Family::String => Test::String(relation, Operand::Path(path)),
                    Family::Numeric => Test::Numeric(relation, Operand::Path(path)),
                    Family::Boolean => Test::BooleanEquals(Operand::Path(path)),
                    Family::Timestamp => Test::Timestamp(relation, Operand::Path(path)),
                });
            }
            DataOperator::Compare { family, relation, path: false } => (family, relation),
        };
        match family {
            Family::String => self.string(value, here).map(|s| Test::String(relation, Operand::Value(s.to_owned()))),
            Family::Numeric => match value.as_number() {
                Some(n) => Some(Test::Numeric(relation, Operand::Value(n.clone()))),
                None => {
                    self.error(here, "Expected value of type Number");
                    None
                }
            },
            Family::Boolean => self.boolean(value, here).map(|b| Test::BooleanEquals(Operand::Value(b))),
            Family::Timestamp => {
                let text = self.string(value, here)?;
                match Timestamp::parse(text) {
                    Some(t) => Some(Test::Timestamp(relation, Operand::Value(t))),
                    None => {
                        self.error(here, format!("The value for the field '{name}' must be a valid RFC3339 timestamp"));
                        None
                    }
                }
            }
        }
    }

    fn string<'v>(&mut self, value: &'v Value, here: &str) -> Option<&'v str> {
        let text = value.as_str();
        if text.is_none() {
            self.error(here, "Expected value of type String");
        }
        text
    }

    fn boolean(&mut self, value: &Value, here: &str) -> Option<bool> {
        let b = value.as_bool();
        if b.is_none() {
            self.error(here, "Expected value of type Boolean");
        }
        b
    }
}
