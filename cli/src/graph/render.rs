//! The graph as SVG (our own layout), Graphviz DOT and Mermaid. Every text a
//! user wrote (state names, resources, conditions) is escaped for the
//! format it lands in.

use super::layout::{self, MAX_LABEL, Point, Rect, ScopeLayout};
use super::{EdgeKind, Graph, Node, NodeKind, Scope, StateType};
use std::fmt::Write as _;

/// The formats `stepwise graph` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A standalone SVG picture.
    Svg,
    /// Graphviz DOT (`dot -Tpng`).
    Dot,
    /// A Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
}

/// Renders `graph` in `format`.
pub fn render(graph: &Graph, format: Format) -> String {
    match format {
        Format::Svg => svg(graph),
        Format::Dot => dot(graph),
        Format::Mermaid => mermaid(graph),
    }
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Cuts a label to [`MAX_LABEL`] characters.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX_LABEL - 1).collect();
    short.push('…');
    short
}

const STYLE: &str = "\
.stepwise-graph{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:13px}\
.stepwise-graph .state>rect{fill:#fff;stroke:#8d99a8;stroke-width:1.2}\
.stepwise-graph .state .name{fill:#16191f;font-weight:600}\
.stepwise-graph .state .detail{fill:#5f6b7a;font-size:11px}\
.stepwise-graph .type-Task>rect{fill:#f2f8fd;stroke:#0972d3}\
.stepwise-graph .type-Choice>rect{fill:#fdf9ec;stroke:#c58a00}\
.stepwise-graph .type-Wait>rect{fill:#f4f4f4}\
.stepwise-graph .type-Succeed>rect{fill:#f2fcf3;stroke:#037f0c}\
.stepwise-graph .type-Fail>rect{fill:#fff5f5;stroke:#d91515}\
.stepwise-graph .group>rect{fill:#fafbfc;stroke:#8d99a8;stroke-dasharray:5 3}\
.stepwise-graph .branch>rect{fill:none;stroke:#c6ccd5;stroke-dasharray:2 3}\
.stepwise-graph .marker>rect{fill:#414d5c;stroke:none}\
.stepwise-graph .marker text{fill:#fff;font-size:12px}\
.stepwise-graph .edge{fill:none;stroke:#5f6b7a;stroke-width:1.2}\
.stepwise-graph .edge.catch{stroke:#d91515;stroke-dasharray:5 3}\
.stepwise-graph .edge.default{stroke-dasharray:2 2}\
.stepwise-graph .edge-label{fill:#414d5c;font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:4px}\
.stepwise-graph .edge-label.catch{fill:#b0120f}";

/// A standalone SVG of the graph; each state is a `<g class="state
/// type-<Type>" data-state="<id>">` the console colours by outcome.
pub fn svg(graph: &Graph) -> String {
    let placed = layout::layout(graph);
    let mut body = String::with_capacity(256 + graph.states().len() * 400);
    let mut bounds = Bounds { left: 0.0, right: placed.width };
    svg_scope(&mut body, &mut bounds, &graph.scope, &placed, Point { x: 0.0, y: 0.0 }, true);
    // Labels may reach past the boxes: widen the picture to hold them.
    let (left, width) = (bounds.left.floor(), bounds.right.ceil() - bounds.left.floor());
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="stepwise-graph" viewBox="{left:.0} 0 {width:.0} {h:.0}" width="{width:.0}" height="{h:.0}" role="img">"#,
        h = placed.height
    );
    out.push_str(r##"<defs><marker id="sw-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5f6b7a"/></marker><marker id="sw-arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#d91515"/></marker></defs>"##);
    let _ = write!(out, "<style>{STYLE}</style>");
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// How far left and right the drawing reaches.
struct Bounds {
    left: f64,
    right: f64,
}

fn svg_scope(out: &mut String, bounds: &mut Bounds, scope: &Scope, placed: &ScopeLayout, at: Point, top: bool) {
    let mut between: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    for (i, edge) in scope.edges.iter().enumerate() {
        let points = &placed.edges[i];
        let class = match edge.kind {
            EdgeKind::Next => "next",
            EdgeKind::Choice => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch => "catch",
        };
        let arrow = if edge.kind == EdgeKind::Catch { "sw-arrow-catch" } else { "sw-arrow" };
        let mut d = String::new();
        for (k, p) in points.iter().enumerate() {
            let _ = write!(d, "{}{:.1},{:.1}", if k == 0 { "M" } else { "L" }, p.x + at.x, p.y + at.y);
        }
        let _ = write!(out, r#"<path class="edge {class}" d="{d}" marker-end="url(#{arrow})"/>"#);
        if let Some(label) = &edge.label {
            // Labels of edges between the same two states stack downward.
            let nth = between.entry((edge.from, edge.to)).or_insert(0);
            let (x, y, anchor) = label_point(points, placed.loops[i]);
            let (x, y) = (x + at.x, y + at.y + 13.0 * *nth as f64);
            *nth += 1;
            let shown = cut(label);
            let w = layout::text_width(&shown) * 0.85;
            match anchor {
                "end" => bounds.left = bounds.left.min(x - w - 4.0),
                _ => bounds.right = bounds.right.max(x + w + 4.0),
            }
            let _ = write!(
                out,
                r#"<text class="edge-label {class}" x="{x:.1}" y="{y:.1}" text-anchor="{anchor}"><title>{}</title>{}</text>"#,
                xml_escape(label),
                xml_escape(&shown)
            );
        }
    }
    for (i, node) in scope.nodes.iter().enumerate() {
        let rect = placed.nodes[i];
        let r = Rect { x: rect.x + at.x, y: rect.y + at.y, ..rect };
        match node.kind {
            NodeKind::Start | NodeKind::End => {
                // Only the top level shows its markers with words; nested
                // scopes keep them small and quiet.
                let _ = write!(
                    out,
                    r#"<g class="marker" data-marker="{}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="14"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></g>"#,
                    xml_escape(&node.id),
                    r.x,
                    r.y,
                    r.width,
                    r.height,
                    r.x + r.width / 2.0,
                    r.y + r.height / 2.0 + 4.0,
                    if top {
                        node.name.as_str()
                    } else if node.kind == NodeKind::Start {
                        "▶"
                    } else {
                        "■"
                    }
                );
            }
            NodeKind::State(kind) => svg_state(out, bounds, node, kind, r, &placed.children[i]),
        }
    }
}

fn svg_state(
    out: &mut String,
    bounds: &mut Bounds,
    node: &Node,
    kind: StateType,
    r: Rect,
    children: &[(Point, ScopeLayout)],
) {
    let group = if node.children.is_empty() { "" } else { " group" };
    let _ = write!(
        out,
        r#"<g class="state type-{}{group}" data-state="{}"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="6"/>"#,
        kind.name(),
        xml_escape(&node.name),
        xml_escape(&format!("{} ({})", node.name, kind.name())),
        r.x,
        r.y,
        r.width,
        r.height
    );
    let cx = r.x + r.width / 2.0;
    let _ = write!(
        out,
        r#"<text class="name" x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        r.y + 24.0,
        xml_escape(&cut(&node.name))
    );
    if let Some(detail) = &node.detail {
        let _ = write!(
            out,
            r#"<text class="detail" x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            r.y + 40.0,
            xml_escape(&cut(detail))
        );
    }
    for (k, (offset, child)) in children.iter().enumerate() {
        let at = Point { x: r.x + offset.x, y: r.y + offset.y };
        let _ = write!(
            out,
            r#"<g class="branch" data-branch="{k}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4"/></g>"#,
            at.x, at.y, child.width, child.height
        );
        svg_scope(out, bounds, &node.children[k], child, at, false);
    }
    out.push_str("</g>");
}

/// Where an edge's label goes, and which way it runs from there: halfway
/// down its first segment, away from the edge's sideways direction (so the
/// labels of a Choice's rules spread apart rather than cross), or beside a
/// loop's lane.
fn label_point(points: &[Point], is_loop: bool) -> (f64, f64, &'static str) {
    if is_loop && points.len() >= 3 {
        return (points[1].x + 4.0, (points[1].y + points[2].y) / 2.0, "start");
    }
    let (a, b) = (points[0], points[1]);
    let (x, y) = (a.x + (b.x - a.x) * 0.5, a.y + (b.y - a.y) * 0.5 + 4.0);
    match b.x - a.x {
        dx if dx < -1.0 => (x - 6.0, y, "end"),
        dx if dx > 1.0 => (x + 6.0, y, "start"),
        _ => (x + 6.0, y, "start"),
    }
}

/// Escapes text inside a DOT double-quoted string.
fn dot_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Graphviz DOT: states as boxes, Parallel branches and Map processors as
/// clusters hung below their state.
pub fn dot(graph: &Graph) -> String {
    let mut out = String::from(
        "digraph stepwise {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    dot_scope(&mut out, &graph.scope, 1);
    out.push_str("}\n");
    out
}

fn dot_scope(out: &mut String, scope: &Scope, depth: usize) {
    let pad = "  ".repeat(depth);
    for node in &scope.nodes {
        let id = dot_escape(&node.id);
        match node.kind {
            NodeKind::Start | NodeKind::End => {
                let _ = writeln!(
                    out,
                    "{pad}\"{id}\" [label=\"{}\", shape=oval, fillcolor=\"#414d5c\", fontcolor=white];",
                    node.name
                );
            }
            NodeKind::State(kind) => {
                let mut label = dot_escape(&node.name);
                if let Some(detail) = &node.detail {
                    label = format!("{label}\\n{}", dot_escape(detail));
                }
                let fill = match kind {
                    StateType::Task => "#f2f8fd",
                    StateType::Choice => "#fdf9ec",
                    StateType::Succeed => "#f2fcf3",
                    StateType::Fail => "#fff5f5",
                    _ => "white",
                };
                let shape = if kind == StateType::Choice { ", shape=diamond" } else { "" };
                let _ = writeln!(out, "{pad}\"{id}\" [label=\"{label}\", fillcolor=\"{fill}\"{shape}];");
                for (k, child) in node.children.iter().enumerate() {
                    let title =
                        if kind == StateType::Map { "Item processor".to_owned() } else { format!("Branch {}", k + 1) };
                    let _ =
                        writeln!(out, "{pad}subgraph \"cluster_{id}.{k}\" {{\n{pad}  label=\"{title}\"; style=dashed;");
                    dot_scope(out, child, depth + 1);
                    let _ = writeln!(out, "{pad}}}");
                    let start = dot_escape(&child.nodes[Scope::START].id);
                    let _ = writeln!(out, "{pad}\"{id}\" -> \"{start}\" [style=dotted, arrowhead=none];");
                }
            }
        }
    }
    for edge in &scope.edges {
        let (from, to) = (dot_escape(&scope.nodes[edge.from].id), dot_escape(&scope.nodes[edge.to].id));
        let mut attrs = Vec::new();
        if let Some(label) = &edge.label {
            attrs.push(format!("label=\"{}\"", dot_escape(label)));
        }
        match edge.kind {
            EdgeKind::Catch => attrs.push("style=dashed, color=\"#d91515\"".to_owned()),
            EdgeKind::Default => attrs.push("style=dashed".to_owned()),
            _ => {}
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "{pad}\"{from}\" -> \"{to}\"{attrs};");
    }
}

/// Escapes text inside a Mermaid quoted label (entity codes).
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart: Parallel and Map states are subgraphs holding
/// their branches, so edges reach the whole group.
pub fn mermaid(graph: &Graph) -> String {
    let mut names = Ids::default();
    let mut out = String::from("flowchart TD\n");
    mermaid_scope(&mut out, &graph.scope, &mut names, 1);
    out.push_str("  classDef task fill:#f2f8fd,stroke:#0972d3\n  classDef choice fill:#fdf9ec,stroke:#c58a00\n  classDef succeed fill:#f2fcf3,stroke:#037f0c\n  classDef fail fill:#fff5f5,stroke:#d91515\n");
    out
}

/// Short Mermaid ids (`n0`, `n1`, …) for node ids.
#[derive(Default)]
struct Ids(std::collections::HashMap<String, String>);

impl Ids {
    fn of(&mut self, id: &str) -> String {
        let next = self.0.len();
        self.0.entry(id.to_owned()).or_insert_with(|| format!("n{next}")).clone()
    }
}

fn mermaid_scope(out: &mut String, scope: &Scope, ids: &mut Ids, depth: usize) {
    let pad = "  ".repeat(depth);
    for node in &scope.nodes {
        let id = ids.of(&node.id);
        match node.kind {
            NodeKind::Start | NodeKind::End => {
                let _ = writeln!(out, "{pad}{id}([\"{}\"])", node.name);
            }
            NodeKind::State(kind) if !node.children.is_empty() => {
                let _ = writeln!(out, "{pad}subgraph {id} [\"{} ({})\"]", mermaid_escape(&node.name), kind.name());
                for (k, child) in node.children.iter().enumerate() {
                    let branch = ids.of(&format!("{}.{k}", node.id));
                    let title =
                        if kind == StateType::Map { "Item processor".to_owned() } else { format!("Branch {}", k + 1) };
                    let _ = writeln!(out, "{pad}  subgraph {branch} [\"{title}\"]");
                    mermaid_scope(out, child, ids, depth + 2);
                    let _ = writeln!(out, "{pad}  end");
                }
                let _ = writeln!(out, "{pad}end");
            }
            NodeKind::State(kind) => {
                let mut label = mermaid_escape(&node.name);
                if let Some(detail) = &node.detail {
                    let _ = write!(label, "<br/><small>{}</small>", mermaid_escape(detail));
                }
                let (open, close) = if kind == StateType::Choice { ("{", "}") } else { ("[", "]") };
                let class = match kind {
                    StateType::Task => ":::task",
                    StateType::Choice => ":::choice",
                    StateType::Succeed => ":::succeed",
                    StateType::Fail => ":::fail",
                    _ => "",
                };
                let _ = writeln!(out, "{pad}{id}{open}\"{label}\"{close}{class}");
            }
        }
    }
    for edge in &scope.edges {
        let (from, to) = (ids.of(&scope.nodes[edge.from].id), ids.of(&scope.nodes[edge.to].id));
        let arrow = match edge.kind {
            EdgeKind::Catch | EdgeKind::Default => "-.->",
            _ => "-->",
        };
        match &edge.label {
            Some(label) => {
                let label = mermaid_escape(&cut(label));
                let _ = writeln!(out, "{pad}{from} {arrow}|\"{label}\"| {to}");
            }
            None => {
                let _ = writeln!(out, "{pad}{from} {arrow} {to}");
            }
        }
    }
}
