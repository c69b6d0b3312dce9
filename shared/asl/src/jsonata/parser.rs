//! A Pratt parser for JSONata with jsonata-js's binding powers, building the
//! post-processed tree (paths, stages, groupings) in one pass.

use serde_json::Value;

use super::ast::{BinOp, Kind, Lambda, Node, Path, Regex, Step};
use super::error::{Detail, JsonataError};
use super::lexer::{Tok, Token, tokenize};
use super::signature::Signature;

/// Deepest nesting the parser accepts, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 150;

/// Parses `src` into a tree.
pub(crate) fn parse(src: &str) -> Result<Node, JsonataError> {
    let toks = tokenize(src)?;
    let mut p = Parser { toks, i: 0, depth: 0 };
    let node = p.expression(0)?;
    if !matches!(p.peek().kind, Tok::End) {
        let t = p.peek().clone();
        return Err(JsonataError::token("S0201", t.pos, text(&t.kind)));
    }
    Ok(node)
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
    depth: usize,
}

fn text(t: &Tok) -> String {
    match t {
        Tok::Op(o) => (*o).to_string(),
        Tok::Str(s) => s.clone(),
        Tok::Num(n) => super::value::js_number(*n),
        Tok::Value(v) => v.to_string(),
        Tok::Name { name, .. } => name.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Regex { pattern, .. } => format!("/{pattern}/"),
        Tok::End => "(end)".into(),
    }
}

fn lbp(t: &Tok) -> u8 {
    match t {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" | ".." => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" | "**" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        },
        _ => 0,
    }
}

fn node(kind: Kind, pos: usize) -> Node {
    Node { kind, pos }
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek().kind, Tok::Op(o) if o == op)
    }

    fn expect(&mut self, op: &'static str) -> Result<Token, JsonataError> {
        if self.is_op(op) {
            return Ok(self.next());
        }
        let t = self.peek().clone();
        if matches!(t.kind, Tok::End) {
            return Err(JsonataError::with(
                "S0203",
                t.pos,
                Detail { value: Some(Value::String(op.into())), ..Detail::default() },
            ));
        }
        Err(JsonataError::with(
            "S0202",
            t.pos,
            Detail { value: Some(Value::String(op.into())), token: Some(text(&t.kind)), ..Detail::default() },
        ))
    }

    fn expression(&mut self, rbp: u8) -> Result<Node, JsonataError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonataError::with(
                "S0201",
                self.peek().pos,
                Detail { token: Some("expression nested too deeply".into()), ..Detail::default() },
            ));
        }
        let t = self.next();
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.peek().kind) {
            let t = self.next();
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> Result<Node, JsonataError> {
        let pos = t.pos;
        Ok(match t.kind {
            Tok::Str(s) => node(Kind::Str(Value::String(s)), pos),
            Tok::Num(n) => node(Kind::Num(n), pos),
            Tok::Value(v) => node(Kind::Lit(v), pos),
            Tok::Regex { pattern, flags } => {
                let mut b = regex::RegexBuilder::new(&pattern);
                b.case_insensitive(flags.contains('i')).multi_line(flags.contains('m'));
                let re = b.build().map_err(|_| JsonataError::new("S0302", pos))?;
                node(Kind::Regex(Box::new(Regex { re })), pos)
            }
            Tok::Name { name, .. } => path_of(node(Kind::Name(name), pos)),
            Tok::Var(v) => node(Kind::Var(v), pos),
            Tok::End => return Err(JsonataError::new("S0207", pos)),
            Tok::Op(op) => match op {
                "and" | "or" | "in" => path_of(node(Kind::Name(op.into()), pos)),
                "-" => {
                    let operand = self.expression(70)?;
                    match operand.kind {
                        Kind::Num(n) => node(Kind::Num(-n), pos),
                        _ => node(Kind::Neg(Box::new(operand)), pos),
                    }
                }
                "*" => path_of(node(Kind::Wildcard, pos)),
                "**" => path_of(node(Kind::Descendants, pos)),
                "%" => path_of(node(Kind::Parent, pos)),
                "(" => {
                    let mut items = Vec::new();
                    while !self.is_op(")") {
                        items.push(self.expression(0)?);
                        if !self.is_op(";") {
                            break;
                        }
                        self.next();
                    }
                    self.expect(")")?;
                    node(Kind::Block(items), pos)
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is_op("]") {
                        loop {
                            items.push(self.expression(0)?);
                            if !self.is_op(",") {
                                break;
                            }
                            self.next();
                        }
                    }
                    self.expect("]")?;
                    node(Kind::Array { items, cons: false }, pos)
                }
                "{" => node(Kind::Object(self.pairs()?), pos),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.expect("|")?;
                    let update = self.expression(0)?;
                    let delete = if self.is_op(",") {
                        self.next();
                        Some(Box::new(self.expression(0)?))
                    } else {
                        None
                    };
                    self.expect("|")?;
                    node(Kind::Transform(Box::new(pattern), Box::new(update), delete), pos)
                }
                _ => return Err(JsonataError::token("S0211", pos, op)),
            },
        })
    }

    fn pairs(&mut self) -> Result<Vec<(Node, Node)>, JsonataError> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let k = self.expression(0)?;
                self.expect(":")?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if !self.is_op(",") {
                    break;
                }
                self.next();
            }
        }
        self.expect("}")?;
        Ok(pairs)
    }

    fn led(&mut self, t: Token, left: Node) -> Result<Node, JsonataError> {
        let pos = t.pos;
        let Tok::Op(op) = t.kind else {
            return Err(JsonataError::token("S0201", pos, text(&t.kind)));
        };
        let bin = |p: &mut Self, o: BinOp, bp: u8, left: Node| -> Result<Node, JsonataError> {
            let rhs = p.expression(bp)?;
            Ok(node(Kind::Binary(o, Box::new(left), Box::new(rhs)), pos))
        };
        match op {
            "." => {
                let rhs = self.expression(75)?;
                join_path(left, rhs)
            }
            "+" => bin(self, BinOp::Add, 50, left),
            "-" => bin(self, BinOp::Sub, 50, left),
            "*" => bin(self, BinOp::Mul, 60, left),
            "/" => bin(self, BinOp::Div, 60, left),
            "%" => bin(self, BinOp::Mod, 60, left),
            "=" => bin(self, BinOp::Eq, 40, left),
            "!=" => bin(self, BinOp::Ne, 40, left),
            "<" => bin(self, BinOp::Lt, 40, left),
            "<=" => bin(self, BinOp::Le, 40, left),
            ">" => bin(self, BinOp::Gt, 40, left),
            ">=" => bin(self, BinOp::Ge, 40, left),
            "&" => bin(self, BinOp::Concat, 50, left),
            "and" => bin(self, BinOp::And, 30, left),
            "or" => bin(self, BinOp::Or, 25, left),
            "in" => bin(self, BinOp::In, 40, left),
            ".." => bin(self, BinOp::Range, 20, left),
            "~>" => {
                let rhs = self.expression(40)?;
                Ok(node(Kind::Apply(Box::new(left), Box::new(rhs)), pos))
            }
            ":=" => {
                let Kind::Var(name) = left.kind else {
                    return Err(JsonataError::new("S0212", left.pos));
                };
                let rhs = self.expression(9)?;
                Ok(node(Kind::Bind(name, Box::new(rhs)), pos))
            }
            "?" => {
                let then = self.expression(0)?;
                let otherwise = if self.is_op(":") {
                    self.next();
                    Some(Box::new(self.expression(0)?))
                } else {
                    None
                };
                Ok(node(Kind::Cond(Box::new(left), Box::new(then), otherwise), pos))
            }
            "(" => self.call(left, pos),
            "[" => {
                if self.is_op("]") {
                    self.next();
                    return Ok(keep_array(left));
                }
                let predicate = self.expression(0)?;
                self.expect("]")?;
                add_predicate(left, predicate)
            }
            "{" => {
                let pairs = self.pairs()?;
                add_group(left, pairs, pos)
            }
            "^" => {
                self.expect("(")?;
                let mut terms = Vec::new();
                loop {
                    let mut descending = false;
                    if self.is_op("<") {
                        self.next();
                    } else if self.is_op(">") {
                        self.next();
                        descending = true;
                    }
                    terms.push((descending, self.expression(0)?));
                    if !self.is_op(",") {
                        break;
                    }
                    self.next();
                }
                self.expect(")")?;
                let sort = Step {
                    node: node(Kind::Sort(terms), pos),
                    stages: Vec::new(),
                    keep: false,
                    focus: None,
                    index: None,
                };
                let mut path = into_path(left);
                path.steps.push(sort);
                Ok(node(Kind::Path(Box::new(path)), pos))
            }
            "@" | "#" => {
                let rhs = self.expression(80)?;
                let Kind::Var(name) = rhs.kind else {
                    return Err(JsonataError::token("S0214", rhs.pos, op));
                };
                let mut path = into_path(left);
                let Some(step) = path.steps.last_mut() else { return Err(JsonataError::token("S0201", pos, op)) };
                if op == "@" {
                    if !step.stages.is_empty() {
                        return Err(JsonataError::new("S0215", pos));
                    }
                    if matches!(step.node.kind, Kind::Sort(_)) {
                        return Err(JsonataError::new("S0216", pos));
                    }
                    step.focus = Some(name);
                } else if step.stages.is_empty() {
                    step.index = Some(name);
                } else {
                    step.stages.push(node(Kind::IndexBind(name), pos));
                }
                Ok(node(Kind::Path(Box::new(path)), pos))
            }
            _ => Err(JsonataError::token("S0201", pos, op)),
        }
    }

    fn call(&mut self, left: Node, pos: usize) -> Result<Node, JsonataError> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("?") && matches!(self.toks.get(self.i + 1).map(|t| &t.kind), Some(Tok::Op("," | ")"))) {
                    let t = self.next();
                    partial = true;
                    args.push(node(Kind::Placeholder, t.pos));
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is_op(",") {
                    break;
                }
                self.next();
            }
        }
        self.expect(")")?;
        let is_lambda = matches!(&left.kind, Kind::Path(p) if p.steps.len() == 1
            && matches!(&p.steps[0].node.kind, Kind::Name(n) if n == "function" || n == "λ"));
        if !is_lambda {
            return Ok(node(Kind::Call { func: Box::new(left), args, partial }, pos));
        }
        let mut params = Vec::new();
        for a in args {
            match a.kind {
                Kind::Var(v) => params.push(v),
                _ => {
                    return Err(JsonataError::with(
                        "S0208",
                        a.pos,
                        Detail { value: Some(Value::String(describe(&a))), ..Detail::default() },
                    ));
                }
            }
        }
        let mut signature = None;
        if self.is_op("<") {
            let start = self.next();
            let mut sig = String::from("<");
            let mut depth = 1;
            while depth > 0 {
                let t = self.next();
                match &t.kind {
                    Tok::End | Tok::Op("{") => return Err(JsonataError::token("S0202", t.pos, text(&t.kind))),
                    Tok::Op(">") => depth -= 1,
                    Tok::Op("<") => depth += 1,
                    _ => {}
                }
                sig.push_str(&text(&t.kind));
            }
            signature = Some(Signature::parse(&sig).map_err(|mut e| {
                e.position += start.pos;
                e
            })?);
        }
        self.expect("{")?;
        let body = self.expression(0)?;
        self.expect("}")?;
        Ok(node(Kind::Lambda(Box::new(Lambda { params, body, signature })), pos))
    }
}

fn describe(n: &Node) -> String {
    match &n.kind {
        Kind::Path(p) => match p.steps.first().map(|s| &s.node.kind) {
            Some(Kind::Name(name)) => name.clone(),
            _ => String::new(),
        },
        Kind::Str(s) => s.as_str().unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

fn path_of(step: Node) -> Node {
    let pos = step.pos;
    node(Kind::Path(Box::new(Path { steps: vec![to_step(step)], group: None, keep: false })), pos)
}

/// A node as a step: a `Post` node's predicates become the step's stages.
fn to_step(n: Node) -> Step {
    match n.kind {
        Kind::Post { expr, predicates, group: None, keep } => {
            Step { node: *expr, stages: predicates, keep, focus: None, index: None }
        }
        kind => Step { node: Node { kind, pos: n.pos }, stages: Vec::new(), keep: false, focus: None, index: None },
    }
}

fn into_path(n: Node) -> Path {
    match n.kind {
        Kind::Path(p) => *p,
        kind => Path { steps: vec![to_step(Node { kind, pos: n.pos })], group: None, keep: false },
    }
}

/// `lhs.rhs` as one path, with jsonata-js's checks on literal steps.
fn join_path(lhs: Node, rhs: Node) -> Result<Node, JsonataError> {
    let pos = lhs.pos;
    let mut path = into_path(lhs);
    match rhs.kind {
        Kind::Path(p) if p.group.is_none() => {
            path.keep |= p.keep;
            path.steps.extend(p.steps);
        }
        kind => path.steps.push(to_step(Node { kind, pos: rhs.pos })),
    }
    for step in &mut path.steps {
        match &step.node.kind {
            Kind::Num(n) => {
                return Err(JsonataError::value("S0213", step.node.pos, super::value::num_json(*n)));
            }
            Kind::Lit(v) => return Err(JsonataError::value("S0213", step.node.pos, v.clone())),
            Kind::Str(s) => step.node.kind = Kind::Name(s.as_str().unwrap_or_default().to_string()),
            _ => {}
        }
    }
    let last = path.steps.len() - 1;
    for (i, step) in path.steps.iter_mut().enumerate() {
        if let Kind::Array { cons, .. } = &mut step.node.kind {
            *cons = i == 0 || i == last;
        }
        path.keep |= step.keep;
    }
    Ok(node(Kind::Path(Box::new(path)), pos))
}

fn keep_array(n: Node) -> Node {
    let pos = n.pos;
    match n.kind {
        Kind::Path(mut p) => {
            if let Some(s) = p.steps.last_mut() {
                s.keep = true;
            }
            p.keep = true;
            node(Kind::Path(p), pos)
        }
        Kind::Post { expr, predicates, group, .. } => node(Kind::Post { expr, predicates, group, keep: true }, pos),
        kind => node(
            Kind::Post { expr: Box::new(Node { kind, pos }), predicates: Vec::new(), group: None, keep: true },
            pos,
        ),
    }
}

fn add_predicate(n: Node, predicate: Node) -> Result<Node, JsonataError> {
    let pos = n.pos;
    match n.kind {
        Kind::Path(mut p) => {
            if p.group.is_some() {
                return Err(JsonataError::new("S0209", predicate.pos));
            }
            if let Some(s) = p.steps.last_mut() {
                s.stages.push(predicate);
            }
            Ok(node(Kind::Path(p), pos))
        }
        Kind::Post { expr, mut predicates, group, keep } => {
            if group.is_some() {
                return Err(JsonataError::new("S0209", predicate.pos));
            }
            predicates.push(predicate);
            Ok(node(Kind::Post { expr, predicates, group, keep }, pos))
        }
        kind => Ok(node(
            Kind::Post { expr: Box::new(Node { kind, pos }), predicates: vec![predicate], group: None, keep: false },
            pos,
        )),
    }
}

fn add_group(n: Node, pairs: Vec<(Node, Node)>, at: usize) -> Result<Node, JsonataError> {
    let pos = n.pos;
    match n.kind {
        Kind::Path(mut p) => {
            if p.group.is_some() {
                return Err(JsonataError::new("S0210", at));
            }
            p.group = Some(pairs);
            Ok(node(Kind::Path(p), pos))
        }
        Kind::Post { expr, predicates, group, keep } => {
            if group.is_some() {
                return Err(JsonataError::new("S0210", at));
            }
            Ok(node(Kind::Post { expr, predicates, group: Some(pairs), keep }, pos))
        }
        kind => Ok(node(
            Kind::Post { expr: Box::new(Node { kind, pos }), predicates: Vec::new(), group: Some(pairs), keep: false },
            pos,
        )),
    }
}
