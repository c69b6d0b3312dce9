//! A layered ("Sugiyama") layout of a [`Graph`], top to bottom, as the
//! Step Functions console draws workflows: states in layers by their
//! longest path from the start, edges that skip layers routed through
//! placeholder points, the order within each layer chosen to shorten
//! crossings (barycenters, swept down and up), then each node pulled
//! toward the nodes it connects to without overlapping its neighbours.
//! Edges that go back up (loops) run along the right-hand side.
//!
//! Nested scopes (Parallel branches, a Map's item processor) are laid out
//! first, side by side, and their state becomes one large node of the
//! enclosing scope. Everything is linear or near-linear in the number of
//! nodes and edges per sweep: a 200-state machine lays out in well under a
//! millisecond on one core.
//!
//! No layout crate: the ones on crates.io either render their own fixed
//! SVG (no per-state hooks for the console's colouring), pull in a large
//! dependency tree, or do not nest groups; this is about 300 lines that do
//! exactly what the console needs.

use super::{Graph, NodeKind, Scope};

/// A point in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Left to right.
    pub x: f64,
    /// Top to bottom.
    pub y: f64,
}

/// A node's box.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    fn center_x(&self) -> f64 {
        self.x + self.width / 2.0
    }
}

/// A scope placed: boxes and edge routes relative to the scope's top left.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeLayout {
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
    /// One box per node of the scope, in the scope's order.
    pub nodes: Vec<Rect>,
    /// One polyline per edge of the scope, in the scope's order.
    pub edges: Vec<Vec<Point>>,
    /// Per edge: whether it closes a loop (drawn up the right-hand side).
    pub loops: Vec<bool>,
    /// Per node: its children scopes' layouts and where they sit inside
    /// the node's box (relative to the box's top left).
    pub children: Vec<Vec<(Point, ScopeLayout)>>,
}

/// Pixels per character of the labels' font (13 px sans-serif, average).
pub const CHAR_WIDTH: f64 = 7.4;
const NODE_HEIGHT: f64 = 40.0;
const DETAIL_HEIGHT: f64 = 16.0;
const MARKER_WIDTH: f64 = 64.0;
const MARKER_HEIGHT: f64 = 28.0;
const H_GAP: f64 = 36.0;
const V_GAP: f64 = 56.0;
const GROUP_PAD: f64 = 14.0;
const MARGIN: f64 = 16.0;
const LOOP_GAP: f64 = 18.0;
/// Labels longer than this are cut (the full text is in the SVG title).
pub const MAX_LABEL: usize = 38;

/// Lays out the whole graph.
pub fn layout(graph: &Graph) -> ScopeLayout {
    layout_scope(&graph.scope)
}

/// Width of a text in label units.
pub fn text_width(text: &str) -> f64 {
    text.chars().count().min(MAX_LABEL) as f64 * CHAR_WIDTH
}

fn layout_scope(scope: &Scope) -> ScopeLayout {
    let n = scope.nodes.len();
    // Sizes, laying out nested scopes first.
    let mut sizes = Vec::with_capacity(n);
    let mut children = Vec::with_capacity(n);
    for node in &scope.nodes {
        if let NodeKind::Start | NodeKind::End = node.kind {
            sizes.push((MARKER_WIDTH, MARKER_HEIGHT));
            children.push(Vec::new());
            continue;
        }
        let label = text_width(&node.name).max(node.detail.as_deref().map(text_width).unwrap_or(0.0)) + 32.0;
        let mut height = NODE_HEIGHT + if node.detail.is_some() { DETAIL_HEIGHT } else { 0.0 };
        let mut width = label.max(120.0);
        let mut placed = Vec::new();
        if !node.children.is_empty() {
            let inner: Vec<ScopeLayout> = node.children.iter().map(layout_scope).collect();
            let mut x = GROUP_PAD;
            let tallest = inner.iter().map(|l| l.height).fold(0.0, f64::max);
            for child in inner {
                let w = child.width;
                placed.push((Point { x, y: height + GROUP_PAD / 2.0 }, child));
                x += w + GROUP_PAD;
            }
            width = width.max(x);
            height += tallest + GROUP_PAD * 1.5;
            // Centre the branches if the title is wider.
            let spare = (width - x) / 2.0;
            for (point, _) in &mut placed {
                point.x += spare;
            }
        }
        sizes.push((width, height));
        children.push(placed);
    }

    let back = back_edges(scope);
    let layers = assign_layers(scope, &back);
    let depth = layers.iter().copied().max().unwrap_or(0) + 1;

    // Layer contents: real nodes, then one placeholder per layer an edge skips.
    // Slot = (node index or usize::MAX for a placeholder, width).
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    let mut slot_width: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let mut slot_layer: Vec<usize> = layers.clone();
    for node in discovery_order(scope) {
        rows[layers[node]].push(node);
    }
    let mut routes: Vec<Vec<usize>> = Vec::with_capacity(scope.edges.len());
    for (i, edge) in scope.edges.iter().enumerate() {
        let mut route = vec![edge.from];
        if !back[i] {
            let skipped = layers[edge.from] + 1..layers[edge.to];
            for (layer, row) in rows.iter_mut().enumerate().take(skipped.end).skip(skipped.start) {
                let dummy = slot_width.len();
                slot_width.push(8.0);
                slot_layer.push(layer);
                row.push(dummy);
                route.push(dummy);
            }
        }
        route.push(edge.to);
        routes.push(route);
    }

    // Neighbours of each slot in the layer above and below, along routes.
    let slots = slot_width.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); slots];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); slots];
    for (i, route) in routes.iter().enumerate() {
        if back[i] {
            continue;
        }
        for pair in route.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }

    order_rows(&mut rows, &up, &down, slots);
    let x = place_x(&rows, &slot_width, &up, &down, slots);

    // Vertical bands.
    let mut band_top = vec![0.0; depth];
    let mut band_height = vec![0.0f64; depth];
    for (slot, layer) in slot_layer.iter().enumerate() {
        if slot < n {
            band_height[*layer] = band_height[*layer].max(sizes[slot].1);
        }
    }
    let mut y = MARGIN;
    for layer in 0..depth {
        band_top[layer] = y;
        y += band_height[layer] + V_GAP;
    }
    let height = y - V_GAP + MARGIN;

    let min_x = x.iter().zip(&slot_width).map(|(x, w)| x - w / 2.0).fold(f64::INFINITY, f64::min);
    let shift = MARGIN - if min_x.is_finite() { min_x } else { 0.0 };
    let nodes: Vec<Rect> = (0..n)
        .map(|i| {
            let (w, h) = sizes[i];
            let layer = layers[i];
            Rect { x: x[i] + shift - w / 2.0, y: band_top[layer] + (band_height[layer] - h) / 2.0, width: w, height: h }
        })
        .collect();
    let mut width = nodes.iter().map(|r| r.x + r.width).fold(0.0, f64::max) + MARGIN;

    // Routes: down the middle of boxes and through placeholders; loops up
    // the right-hand side, each on its own lane.
    let mut edges = Vec::with_capacity(scope.edges.len());
    let mut lane = width;
    for (i, route) in routes.iter().enumerate() {
        let (from, to) = (nodes[scope.edges[i].from], nodes[scope.edges[i].to]);
        if back[i] {
            lane += LOOP_GAP;
            let (sy, ty) = (from.y + from.height / 2.0, to.y + to.height / 2.0);
            edges.push(vec![
                Point { x: from.x + from.width, y: sy },
                Point { x: lane, y: sy },
                Point { x: lane, y: ty },
                Point { x: to.x + to.width, y: ty },
            ]);
            continue;
        }
        let mut points = vec![Point { x: from.center_x(), y: from.y + from.height }];
        for slot in &route[1..route.len() - 1] {
            let layer = slot_layer[*slot];
            let cx = x[*slot] + shift;
            points.push(Point { x: cx, y: band_top[layer] });
            points.push(Point { x: cx, y: band_top[layer] + band_height[layer] });
        }
        points.push(Point { x: to.center_x(), y: to.y });
        edges.push(points);
    }
    // Edges between the same two states (a rule and the Default, a Next and
    // a Catch) would lie on top of each other: fan their ends apart.
    let mut seen: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    for (i, edge) in scope.edges.iter().enumerate() {
        let k = seen.entry((edge.from, edge.to)).or_insert(0);
        if *k > 0 && !back[i] {
            let offset = 10.0 * (*k as f64);
            let last = edges[i].len() - 1;
            edges[i][0].x += offset;
            edges[i][last].x += offset;
        }
        *k += 1;
    }
    if lane > width {
        width = lane + MARGIN;
    }
    ScopeLayout { width, height, nodes, edges, loops: back, children }
}

/// Marks the edges that close a loop (reach a state on the current depth
/// first path), so the rest is acyclic.
fn back_edges(scope: &Scope) -> Vec<bool> {
    let n = scope.nodes.len();
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, edge) in scope.edges.iter().enumerate() {
        out[edge.from].push((edge.to, i));
    }
    let mut back = vec![false; scope.edges.len()];
    // 0 = unseen, 1 = on the path, 2 = done. Iterative, so deep chains
    // cannot overflow the stack.
    let mut state = vec![0u8; n];
    for root in std::iter::once(Scope::START).chain(0..n) {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&(to, edge)) = out[*node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => back[edge] = true,
                    _ => {}
                }
            } else {
                state[*node] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Each node's layer: its longest path from a source over forward edges;
/// the end marker below everything.
fn assign_layers(scope: &Scope, back: &[bool]) -> Vec<usize> {
    let n = scope.nodes.len();
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, edge) in scope.edges.iter().enumerate() {
        if !back[i] {
            out[edge.from].push(edge.to);
            indegree[edge.to] += 1;
        }
    }
    let mut layer = vec![0usize; n];
    // States nothing reaches (unreachable ones) sit one below the start.
    for node in 0..n {
        if indegree[node] == 0 && node != Scope::START && node != Scope::END {
            layer[node] = 1;
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    while let Some(node) = ready.pop() {
        for &to in &out[node] {
            layer[to] = layer[to].max(layer[node] + 1);
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    let bottom = (0..n).filter(|&i| i != Scope::END).map(|i| layer[i]).max().unwrap_or(0) + 1;
    layer[Scope::END] = bottom;
    layer
}

/// Nodes in the order a depth-first walk from the start meets them (the
/// initial order within layers), then any the walk did not reach.
fn discovery_order(scope: &Scope) -> Vec<usize> {
    let n = scope.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for edge in &scope.edges {
        out[edge.from].push(edge.to);
    }
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![Scope::START];
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        order.push(node);
        stack.extend(out[node].iter().rev().filter(|&&to| !seen[to]));
    }
    order.extend((0..n).filter(|&i| !seen[i]));
    order
}

/// Orders each layer by the barycentre of its neighbours' positions,
/// sweeping down then up a few times.
fn order_rows(rows: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>], slots: usize) {
    let mut position = vec![0.0; slots];
    let index = |rows: &[Vec<usize>], position: &mut Vec<f64>| {
        for row in rows {
            for (i, slot) in row.iter().enumerate() {
                position[*slot] = i as f64;
            }
        }
    };
    index(rows, &mut position);
    for sweep in 0..4 {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> =
            if downward { (1..rows.len()).collect() } else { (0..rows.len().saturating_sub(1)).rev().collect() };
        for layer in layers {
            let neighbours = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize)> = rows[layer]
                .iter()
                .map(|&slot| {
                    let around = &neighbours[slot];
                    let key = if around.is_empty() {
                        position[slot]
                    } else {
                        around.iter().map(|s| position[*s]).sum::<f64>() / around.len() as f64
                    };
                    (key, slot)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            rows[layer] = keyed.into_iter().map(|(_, slot)| slot).collect();
            for (i, slot) in rows[layer].iter().enumerate() {
                position[*slot] = i as f64;
            }
        }
    }
}

/// Horizontal centres: packed left to right, then pulled toward the mean
/// of each slot's neighbours, keeping the order and the gaps.
fn place_x(rows: &[Vec<usize>], width: &[f64], up: &[Vec<usize>], down: &[Vec<usize>], slots: usize) -> Vec<f64> {
    let mut x = vec![0.0; slots];
    for row in rows {
        let total: f64 = row.iter().map(|s| width[*s]).sum::<f64>() + H_GAP * row.len().saturating_sub(1) as f64;
        let mut left = -total / 2.0;
        for slot in row {
            x[*slot] = left + width[*slot] / 2.0;
            left += width[*slot] + H_GAP;
        }
    }
    for round in 0..8 {
        let downward = round % 2 == 0;
        let order: Vec<usize> =
            if downward { (1..rows.len()).collect() } else { (0..rows.len().saturating_sub(1)).rev().collect() };
        for layer in order {
            let row = &rows[layer];
            let neighbours = if downward { up } else { down };
            let wanted: Vec<f64> = row
                .iter()
                .map(|&slot| {
                    let around = &neighbours[slot];
                    if around.is_empty() {
                        x[slot]
                    } else {
                        around.iter().map(|s| x[*s]).sum::<f64>() / around.len() as f64
                    }
                })
                .collect();
            // Push right from the left, then left from the right, and meet
            // halfway: each slot as close to where it wants to be as the
            // gaps allow.
            let mut from_left = wanted.clone();
            for i in 1..row.len() {
                let min = from_left[i - 1] + (width[row[i - 1]] + width[row[i]]) / 2.0 + H_GAP;
                from_left[i] = from_left[i].max(min);
            }
            let mut from_right = wanted.clone();
            for i in (0..row.len().saturating_sub(1)).rev() {
                let max = from_right[i + 1] - (width[row[i + 1]] + width[row[i]]) / 2.0 - H_GAP;
                from_right[i] = from_right[i].min(max);
            }
            let mut placed: Vec<f64> = from_left.iter().zip(&from_right).map(|(a, b)| (a + b) / 2.0).collect();
            for i in 1..row.len() {
                let min = placed[i - 1] + (width[row[i - 1]] + width[row[i]]) / 2.0 + H_GAP;
                placed[i] = placed[i].max(min);
            }
            for (slot, value) in row.iter().zip(placed) {
                x[*slot] = value;
            }
        }
    }
    x
}
