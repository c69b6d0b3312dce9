//! One `States` map: names, transitions, reachability and terminal states.

use super::states::StateParser;
use super::{Diagnostic, Fields, MAX_NESTING, codes, pointer_token};
use crate::model::{Kind, Scope, ScopeId, State, StateId, Transition};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Collects scopes into the arena while checking the rules that span states.
#[derive(Default)]
pub(crate) struct Builder {
    scopes: Vec<Option<Scope>>,
    names: HashSet<String>,
}

impl Builder {
    pub fn finish(self) -> Vec<Scope> {
        self.scopes.into_iter().map(|s| s.expect("every reserved scope is filled before finish")).collect()
    }

    /// Parses `{StartAt, States}` at `location`, returning its id.
    pub fn scope(
        &mut self,
        obj: &Map<String, Value>,
        location: &str,
        depth: usize,
        d: &mut Vec<Diagnostic>,
    ) -> ScopeId {
        let id = self.scopes.len() as ScopeId;
        self.scopes.push(None);
        let fields = Fields::new(obj, location);
        if depth > MAX_NESTING {
            d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, location, "Branches are nested too deeply"));
            self.scopes[id as usize] = Some(Scope { start_at: 0, states: Vec::new() });
            return id;
        }
        let start_at = fields.required_string("StartAt", d);
        let states_obj = if fields.require("States", d) { fields.object("States", d) } else { None };
        let empty = Map::new();
        let states_obj = states_obj.unwrap_or(&empty);
        let index: HashMap<&str, StateId> =
            states_obj.keys().enumerate().map(|(i, k)| (k.as_str(), i as StateId)).collect();
        let start = start_at.and_then(|name| {
            let found = index.get(name).copied();
            if found.is_none() && !states_obj.is_empty() {
                d.push(missing_target(name, &format!("{location}/StartAt")));
            }
            found
        });
        let mut states = Vec::with_capacity(states_obj.len());
        for (name, body) in states_obj {
            let here = format!("{location}/States/{}", pointer_token(name));
            if name.is_empty() || name.chars().count() > 80 {
                d.push(Diagnostic::error(
                    "INVALID_STATE_NAME",
                    here.clone(),
                    format!("State name '{name}' must be between 1 and 80 characters long"),
                ));
            }
            if !self.names.insert(name.clone()) {
                d.push(Diagnostic::error(
                    codes::DUPLICATE_STATE_NAME,
                    here.clone(),
                    format!("Duplicate State name: {name}"),
                ));
            }
            let Some(body) = body.as_object() else {
                d.push(Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, here, "A state must be a JSON object"));
                continue;
            };
            let mut parser = StateParser { builder: self, index: &index, depth };
            if let Some(state) = parser.state(name, body, &here, d) {
                states.push(state);
            }
        }
        if states.len() == states_obj.len() && start.is_some() {
            check_graph(&states, start.unwrap_or(0), location, d);
        }
        self.scopes[id as usize] = Some(Scope { start_at: start.unwrap_or(0), states });
        id
    }
}

/// AWS's wording for a transition to a state that does not exist; it says
/// `'Next'` whichever field holds the name.
pub(crate) fn missing_target(name: &str, location: &str) -> Diagnostic {
    Diagnostic::error(codes::MISSING_TRANSITION_TARGET, location, format!("Missing 'Next' target: {name}"))
}

fn successors(state: &State) -> Vec<StateId> {
    let mut out = Vec::new();
    if let Some(Transition::Next(n)) = state.io.transition {
        out.push(n);
    }
    out.extend(state.io.catch.iter().map(|c| c.next));
    if let Kind::Choice { choices, default } = &state.kind {
        out.extend(choices.iter().map(|(_, n)| *n));
        out.extend(*default);
    }
    out
}

fn is_terminal(state: &State) -> bool {
    matches!(state.kind, Kind::Succeed | Kind::Fail { .. }) || state.io.transition == Some(Transition::End)
}

/// A scope needs a terminal state; every state must be reachable from StartAt.
/// As on AWS, a missing terminal state suppresses the reachability report.
fn check_graph(states: &[State], start: StateId, location: &str, d: &mut Vec<Diagnostic>) {
    if !states.iter().any(is_terminal) {
        d.push(Diagnostic::error(codes::MISSING_END_STATE, location, "Workflow has no terminal state"));
        return;
    }
    let mut seen = vec![false; states.len()];
    let mut stack = vec![start];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut seen[s as usize], true) {
            continue;
        }
        stack.extend(successors(&states[s as usize]));
    }
    for (state, reached) in states.iter().zip(seen) {
        if !reached {
            d.push(Diagnostic::error(
                codes::MISSING_TRANSITION_TARGET,
                format!("{location}/States/{}", pointer_token(&state.name)),
                format!("State \"{}\" is not reachable.", state.name),
            ));
        }
    }
}
