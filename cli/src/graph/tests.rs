//! The graph read from definitions, its layout's geometry, and the three
//! renderings. Expected edges come from the definitions themselves: the
//! Step Functions console's HelloWorld sample (examples/hello-world.asl.json)
//! draws Pass → Choice, the Choice's two rules and its Default, the Wait,
//! the Parallel with two branches, and the last Pass.

use super::layout::{Rect, ScopeLayout, layout};
use super::render::{Format, render};
use super::*;
use serde_json::json;

fn hello_world() -> Value {
    let text = include_str!("../../../examples/hello-world.asl.json");
    serde_json::from_str(text).unwrap()
}

/// The scope's edges as (from name, to name, kind, label).
fn edges(scope: &Scope) -> Vec<(String, String, EdgeKind, Option<String>)> {
    scope
        .edges
        .iter()
        .map(|e| (scope.nodes[e.from].name.clone(), scope.nodes[e.to].name.clone(), e.kind, e.label.clone()))
        .collect()
}

fn edge(from: &str, to: &str, kind: EdgeKind, label: Option<&str>) -> (String, String, EdgeKind, Option<String>) {
    (from.to_owned(), to.to_owned(), kind, label.map(str::to_owned))
}

#[test]
fn hello_world_has_every_transition_of_its_definition() {
    let graph = Graph::of(&hello_world());
    let mut got = edges(&graph.scope);
    got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut want = vec![
        edge("Start", "Pass", EdgeKind::Next, None),
        edge("Pass", "Hello World example?", EdgeKind::Next, None),
        edge("Hello World example?", "Yes", EdgeKind::Choice, Some("$.IsHelloWorldExample == true")),
        edge("Hello World example?", "No", EdgeKind::Choice, Some("$.IsHelloWorldExample == false")),
        edge("Hello World example?", "Yes", EdgeKind::Default, Some("Default")),
        edge("Yes", "Wait 3 sec", EdgeKind::Next, None),
        edge("No", "End", EdgeKind::Next, None),
        edge("Wait 3 sec", "Parallel State", EdgeKind::Next, None),
        edge("Parallel State", "Hello World", EdgeKind::Next, None),
        edge("Hello World", "End", EdgeKind::Next, None),
    ];
    want.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(got, want);

    let parallel = graph.scope.nodes.iter().find(|n| n.name == "Parallel State").unwrap();
    assert_eq!(parallel.kind, NodeKind::State(StateType::Parallel));
    let branches: Vec<Vec<_>> = parallel.children.iter().map(edges).collect();
    assert_eq!(
        branches,
        vec![
            vec![edge("Start", "Hello", EdgeKind::Next, None), edge("Hello", "End", EdgeKind::Next, None)],
            vec![edge("Start", "World", EdgeKind::Next, None), edge("World", "End", EdgeKind::Next, None)],
        ]
    );
    let wait = graph.scope.nodes.iter().find(|n| n.name == "Wait 3 sec").unwrap();
    assert_eq!(wait.detail.as_deref(), Some("3 s"));
    let names: Vec<&str> = graph.states().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["Pass", "Hello World example?", "Yes", "No", "Wait 3 sec", "Parallel State", "Hello", "World", "Hello World"]
    );
}

#[test]
fn catch_edges_carry_their_errors_and_map_processors_nest() {
    let definition = json!({"StartAt": "Items", "States": {
        "Items": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
         "Catch": [{"ErrorEquals": ["States.TaskFailed", "States.Timeout"], "Next": "Failed"}],
         "Next": "Done"},
        "Failed": {"Type": "Fail", "Error": "Oops"},
        "Done": {"Type": "Succeed"}}});
    let graph = Graph::of(&definition);
    assert!(edges(&graph.scope).contains(&edge(
        "Items",
        "Failed",
        EdgeKind::Catch,
        Some("States.TaskFailed, States.Timeout")
    )));
    let map = &graph.scope.nodes[2];
    assert_eq!((map.name.as_str(), map.detail.as_deref()), ("Items", Some("$.items")));
    assert_eq!(map.children.len(), 1);
    assert_eq!(map.children[0].nodes[2].detail.as_deref(), Some("lambda:invoke"));
    assert_eq!(map.children[0].nodes[2].id, "0.0.0");
}

#[test]
fn choice_rules_read_as_conditions() {
    let cases = [
        (json!({"Variable": "$.n", "NumericGreaterThanEquals": 5, "Next": "X"}), "$.n >= 5"),
        (json!({"Variable": "$.s", "StringEquals": "go", "Next": "X"}), "$.s == \"go\""),
        (json!({"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "X"}), "$.a < $.b"),
        (json!({"Variable": "$.p", "IsPresent": false, "Next": "X"}), "$.p is not present"),
        (json!({"Variable": "$.t", "StringMatches": "log-*", "Next": "X"}), "$.t matches \"log-*\""),
        (
            json!({"And": [{"Variable": "$.a", "BooleanEquals": true}, {"Not": {"Variable": "$.b", "IsNull": true}}], "Next": "X"}),
            "($.a == true) and (not ($.b is null))",
        ),
        (json!({"Condition": "{% $states.input.n > 1 %}", "Next": "X"}), "{% $states.input.n > 1 %}"),
    ];
    for (rule, want) in cases {
        assert_eq!(rule_label(&rule), want, "{rule}");
    }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/// No two boxes of a scope overlap; every edge leaves its source's box and
/// arrives at its target's; nested scopes fit inside their state's box.
fn check_geometry(scope: &Scope, placed: &ScopeLayout) {
    assert_eq!(placed.nodes.len(), scope.nodes.len());
    for (i, a) in placed.nodes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.width <= placed.width && a.y + a.height <= placed.height);
        for b in &placed.nodes[i + 1..] {
            assert!(!overlaps(a, b), "{a:?} overlaps {b:?}");
        }
    }
    let on_edge = |p: &layout::Point, r: &Rect| {
        (p.x - r.x).abs() < 0.01
            || (p.x - r.x - r.width).abs() < 0.01
            || (p.y - r.y).abs() < 0.01
            || (p.y - r.y - r.height).abs() < 0.01
    };
    for (i, (e, points)) in scope.edges.iter().zip(&placed.edges).enumerate() {
        assert!(on_edge(&points[0], &placed.nodes[e.from]), "edge leaves its source");
        assert!(on_edge(points.last().unwrap(), &placed.nodes[e.to]), "edge reaches its target");
        if !placed.loops[i] {
            assert!(points.windows(2).all(|w| w[1].y >= w[0].y), "forward edges go down");
        }
    }
    for (i, node) in scope.nodes.iter().enumerate() {
        let outer = placed.nodes[i];
        for ((offset, inner), child) in placed.children[i].iter().zip(&node.children) {
            assert!(offset.x >= 0.0 && offset.x + inner.width <= outer.width + 0.01);
            assert!(offset.y >= 0.0 && offset.y + inner.height <= outer.height + 0.01);
            check_geometry(child, inner);
        }
    }
}

#[test]
fn the_layout_places_boxes_apart_and_routes_edges_between_them() {
    let graph = Graph::of(&hello_world());
    let placed = layout(&graph);
    check_geometry(&graph.scope, &placed);
    // Layers follow the flow: Start above Pass above the Choice above End.
    let y = |name: &str| placed.nodes[graph.scope.nodes.iter().position(|n| n.name == name).unwrap()].y;
    assert!(y("Start") < y("Pass") && y("Pass") < y("Hello World example?") && y("Hello World") < y("End"));
}

/// A long machine with loops, catches and nesting: 200 states.
fn big_machine(n: usize) -> Value {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n { json!(format!("S{}", i + 1)) } else { Value::Null };
        let state = match i % 5 {
            0 => json!({"Type": "Choice", "Choices": [
                {"Variable": "$.x", "NumericEquals": i, "Next": format!("S{}", i.saturating_sub(3))}],
                "Default": next.as_str().unwrap_or("S0")}),
            1 => json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": format!("S{}", (i + 7) % n)}]}),
            2 => json!({"Type": "Parallel", "Branches": [
                {"StartAt": format!("B{i}a"), "States": {format!("B{i}a"): {"Type": "Pass", "End": true}}},
                {"StartAt": format!("B{i}b"), "States": {format!("B{i}b"): {"Type": "Wait", "Seconds": 1, "End": true}}}]}),
            _ => json!({"Type": "Pass"}),
        };
        let mut state = state;
        if i % 5 != 0 {
            match next {
                Value::String(s) => state["Next"] = json!(s),
                _ => state["End"] = json!(true),
            }
        }
        states.insert(format!("S{i}"), state);
    }
    json!({"StartAt": "S0", "States": states})
}

#[test]
fn a_200_state_machine_lays_out_without_overlaps() {
    let definition = big_machine(200);
    assert!(stepwise_asl::validate::parse(&definition).is_ok(), "the generated machine is valid");
    let graph = Graph::of(&definition);
    assert_eq!(graph.states().len(), 200 + 2 * 40);
    let placed = layout(&graph);
    check_geometry(&graph.scope, &placed);
    assert!(placed.loops.iter().filter(|l| **l).count() >= 30, "loops back are found");
}

#[test]
fn user_text_is_escaped_in_every_format() {
    let name = "<script>alert(1)</script> & \"q\" #x|y";
    let definition = json!({"StartAt": name, "States": {name: {"Type": "Pass", "End": true}}});
    let graph = Graph::of(&definition);

    let svg = render(&graph, Format::Svg);
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));

    let mermaid = render(&graph, Format::Mermaid);
    assert!(mermaid.contains("#lt;script#gt;alert(1)#lt;/script#gt; #amp; #quot;q#quot; #35;x#124;y"), "{mermaid}");
    assert!(!mermaid.contains("<script>"));

    let dot = render(&graph, Format::Dot);
    assert!(dot.contains(r#"label="<script>alert(1)</script> & \"q\" #x|y""#), "{dot}");
}

#[test]
fn mermaid_and_dot_carry_every_edge() {
    let graph = Graph::of(&hello_world());
    let mermaid = render(&graph, Format::Mermaid);
    assert!(mermaid.starts_with("flowchart TD\n"));
    // 10 top-level edges + 2 per branch.
    let arrows = mermaid.lines().filter(|l| l.contains("-->") || l.contains("-.->")).count();
    assert_eq!(arrows, 14, "{mermaid}");
    assert!(mermaid.contains(r#"-->|"$.IsHelloWorldExample == true"|"#));
    assert!(mermaid.contains(r#"-.->|"Default"|"#));
    assert!(mermaid.contains(r#"subgraph n7 ["Parallel State (Parallel)"]"#), "{mermaid}");

    let dot = render(&graph, Format::Dot);
    assert!(dot.starts_with("digraph stepwise {"));
    assert_eq!(dot.matches(" -> ").count(), 14 + 2, "14 transitions and 2 lines to the branches\n{dot}");
    assert!(dot.contains("subgraph \"cluster_5.0\""));
}
