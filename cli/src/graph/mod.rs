//! The workflow graph of a state machine, as the Step Functions console
//! draws it: one node per state, normal transitions, Choice rules labelled
//! with their conditions and the Default, Catch edges drawn apart, and
//! Parallel branches and Map item processors as nested groups.
//!
//! The graph is read from the definition's JSON after validation passed, so
//! it shows exactly what the user wrote. [`layout`] places it and
//! [`render`] writes SVG, Graphviz DOT and Mermaid.

pub mod layout;
pub mod render;

use serde_json::{Map, Value};

/// A state machine's graph: the top-level scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// The states reached from `StartAt`, with the start and end markers.
    pub scope: Scope,
}

/// One scope's states: the top level, a Parallel branch or a Map's item
/// processor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scope {
    /// The nodes; [`Scope::START`] and [`Scope::END`] are the markers.
    pub nodes: Vec<Node>,
    /// The transitions between them.
    pub edges: Vec<Edge>,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The "Start" marker.
    Start,
    /// The "End" marker.
    End,
    /// A state of this `Type` (`Pass`, `Task`, ...).
    State(StateType),
}

/// The eight state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateType {
    /// `Pass`.
    Pass,
    /// `Task`.
    Task,
    /// `Choice`.
    Choice,
    /// `Wait`.
    Wait,
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail,
    /// `Parallel`.
    Parallel,
    /// `Map`.
    Map,
}

impl StateType {
    fn of(name: &str) -> Option<StateType> {
        Some(match name {
            "Pass" => StateType::Pass,
            "Task" => StateType::Task,
            "Choice" => StateType::Choice,
            "Wait" => StateType::Wait,
            "Succeed" => StateType::Succeed,
            "Fail" => StateType::Fail,
            "Parallel" => StateType::Parallel,
            "Map" => StateType::Map,
            _ => return None,
        })
    }

    /// The `Type` as written.
    pub fn name(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }
}

/// One state (or marker).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique in the whole graph and safe in any format: the state's
    /// position (`3`), after its enclosing state and branch when nested
    /// (`3.0.1`); the markers are `start` and `end` (`3.0.start`).
    pub id: String,
    /// The state's name as written (unique in a valid state machine; the
    /// console finds a state's node by it), or "Start"/"End".
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// A second line: a Task's resource, a Wait's duration.
    pub detail: Option<String>,
    /// A Parallel's branches or a Map's item processor.
    pub children: Vec<Scope>,
}

/// How one state leads to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// `Next`, `End`, or the start marker's edge.
    Next,
    /// A Choice rule.
    Choice,
    /// A Choice's `Default`.
    Default,
    /// A `Catch`.
    Catch,
}

/// A transition.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The index of the node it leaves.
    pub from: usize,
    /// The index of the node it reaches.
    pub to: usize,
    /// What kind of transition it is.
    pub kind: EdgeKind,
    /// A Choice rule's condition or a Catch's errors.
    pub label: Option<String>,
}

impl Scope {
    /// The start marker's index.
    pub const START: usize = 0;
    /// The end marker's index.
    pub const END: usize = 1;
}

impl Graph {
    /// The graph of a definition that passed validation. A definition that
    /// did not is still drawn as far as it can be: unknown targets are left
    /// out, never a panic.
    pub fn of(definition: &Value) -> Graph {
        Graph { scope: scope_of(definition, "") }
    }

    /// Every state node, depth first.
    pub fn states(&self) -> Vec<&Node> {
        fn walk<'g>(scope: &'g Scope, out: &mut Vec<&'g Node>) {
            for node in &scope.nodes {
                if matches!(node.kind, NodeKind::State(_)) {
                    out.push(node);
                }
                for child in &node.children {
                    walk(child, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.scope, &mut out);
        out
    }
}

fn scope_of(definition: &Value, prefix: &str) -> Scope {
    let empty = Map::new();
    let states = definition.get("States").and_then(Value::as_object).unwrap_or(&empty);
    let marker = |name: &str, kind| Node {
        id: format!("{prefix}{}", name.to_lowercase()),
        name: name.to_owned(),
        kind,
        detail: None,
        children: Vec::new(),
    };
    let mut scope =
        Scope { nodes: vec![marker("Start", NodeKind::Start), marker("End", NodeKind::End)], edges: vec![] };
    // States in the order written, which is how people read them.
    let names: Vec<&String> = states.keys().collect();
    let index = |name: &str| names.iter().position(|n| *n == name).map(|i| i + 2);
    for (position, (name, state)) in states.iter().enumerate() {
        let id = format!("{prefix}{position}");
        let kind = state.get("Type").and_then(Value::as_str).and_then(StateType::of).unwrap_or(StateType::Pass);
        let children = match kind {
            StateType::Parallel => state
                .get("Branches")
                .and_then(Value::as_array)
                .map(|branches| branches.iter().enumerate().map(|(i, b)| scope_of(b, &format!("{id}.{i}."))).collect())
                .unwrap_or_default(),
            StateType::Map => state
                .get("ItemProcessor")
                .or_else(|| state.get("Iterator"))
                .map(|p| vec![scope_of(p, &format!("{id}.0."))])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        scope.nodes.push(Node {
            id,
            name: name.clone(),
            kind: NodeKind::State(kind),
            detail: detail(kind, state),
            children,
        });
    }
    if let Some(start) = definition.get("StartAt").and_then(Value::as_str).and_then(index) {
        scope.edges.push(Edge { from: Scope::START, to: start, kind: EdgeKind::Next, label: None });
    }
    for (i, state) in states.values().enumerate() {
        let from = i + 2;
        let mut edge = |to: Option<usize>, kind, label: Option<String>| {
            if let Some(to) = to {
                scope.edges.push(Edge { from, to, kind, label });
            }
        };
        let target = |field: &str| state.get(field).and_then(Value::as_str).and_then(index);
        for rule in state.get("Choices").and_then(Value::as_array).into_iter().flatten() {
            edge(rule.get("Next").and_then(Value::as_str).and_then(index), EdgeKind::Choice, Some(rule_label(rule)));
        }
        edge(target("Default"), EdgeKind::Default, Some("Default".to_owned()));
        edge(target("Next"), EdgeKind::Next, None);
        let ends = state.get("End").and_then(Value::as_bool) == Some(true)
            || matches!(state.get("Type").and_then(Value::as_str), Some("Succeed" | "Fail"));
        if ends {
            edge(Some(Scope::END), EdgeKind::Next, None);
        }
        for catcher in state.get("Catch").and_then(Value::as_array).into_iter().flatten() {
            let errors = catcher
                .get("ErrorEquals")
                .and_then(Value::as_array)
                .map(|errors| errors.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "));
            edge(catcher.get("Next").and_then(Value::as_str).and_then(index), EdgeKind::Catch, errors);
        }
    }
    scope
}

/// The second line of a node.
fn detail(kind: StateType, state: &Value) -> Option<String> {
    let text = |field: &str| state.get(field).and_then(Value::as_str).map(str::to_owned);
    match kind {
        StateType::Task => text("Resource").map(|r| short_resource(&r)),
        StateType::Wait => state
            .get("Seconds")
            .map(|s| format!("{s} s"))
            .or_else(|| text("SecondsPath").map(|p| format!("{p} s")))
            .or_else(|| text("Timestamp"))
            .or_else(|| text("TimestampPath")),
        StateType::Fail => text("Error"),
        StateType::Map => text("ItemsPath").or_else(|| text("Items")),
        _ => None,
    }
}

/// `arn:aws:states:::lambda:invoke` → `lambda:invoke`; a function ARN → its name.
fn short_resource(resource: &str) -> String {
    let parts: Vec<&str> = resource.splitn(7, ':').collect();
    match parts.as_slice() {
        [_, _, "states", "", "", rest @ ..] => rest.join(":"),
        [_, _, "lambda", _, _, "function", name] => format!("λ {name}"),
        [_, _, _, _, _, kind, name] => format!("{kind}:{name}"),
        _ => resource.to_owned(),
    }
}

/// A Choice rule as a short condition: `$.x == 5`, `not ($.y < 3)`,
/// `$.a is present and $.b > 1`, or a JSONata `Condition`.
pub fn rule_label(rule: &Value) -> String {
    if let Some(condition) = rule.get("Condition").and_then(Value::as_str) {
        return condition.to_owned();
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not ({})", rule_label(inner));
    }
    for (field, joiner) in [("And", " and "), ("Or", " or ")] {
        if let Some(rules) = rule.get(field).and_then(Value::as_array) {
            let parts: Vec<String> = rules.iter().map(|r| format!("({})", rule_label(r))).collect();
            return parts.join(joiner);
        }
    }
    let variable = rule.get("Variable").and_then(Value::as_str).unwrap_or("?");
    let Some(object) = rule.as_object() else { return variable.to_owned() };
    for (key, value) in object {
        if matches!(key.as_str(), "Variable" | "Next" | "Comment" | "Assign" | "Output") {
            continue;
        }
        let (name, path) = match key.strip_suffix("Path") {
            Some(name) => (name, true),
            None => (key.as_str(), false),
        };
        let operand = match value {
            Value::String(s) if !path => format!("\"{s}\""),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let op = match name {
            "IsPresent" | "IsNull" | "IsBoolean" | "IsNumeric" | "IsString" | "IsTimestamp" => {
                let what = name.trim_start_matches("Is").to_lowercase();
                let not = if value == &Value::Bool(false) { "not " } else { "" };
                return format!("{variable} is {not}{what}");
            }
            n if n.ends_with("GreaterThanEquals") => ">=",
            n if n.ends_with("LessThanEquals") => "<=",
            n if n.ends_with("GreaterThan") => ">",
            n if n.ends_with("LessThan") => "<",
            n if n.ends_with("Equals") => "==",
            "StringMatches" => "matches",
            _ => name,
        };
        return format!("{variable} {op} {operand}");
    }
    variable.to_owned()
}

#[cfg(test)]
mod tests;
