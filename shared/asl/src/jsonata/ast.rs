//! The expression tree the parser produces, already in jsonata-js's
//! post-processed shape: paths are step lists with per-step predicate stages.

use serde_json::Value;

use super::signature::Signature;

/// A node and its position (character offset just past its token, as jsonata-js reports).
#[derive(Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub pos: usize,
}

/// Node kinds.
#[derive(Debug)]
pub(crate) enum Kind {
    /// A string literal, kept as JSON so evaluation borrows it.
    Str(Value),
    Num(f64),
    Lit(Value),
    Regex(Box<Regex>),
    /// A field name (only ever a step of a path).
    Name(String),
    /// `$name`; `$` is the context, `$$` the root.
    Var(String),
    Wildcard,
    Descendants,
    Parent,
    Path(Box<Path>),
    Neg(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    Array {
        items: Vec<Node>,
        cons: bool,
    },
    /// An object constructor applied to the context.
    Object(Vec<(Node, Node)>),
    Block(Vec<Node>),
    Bind(String, Box<Node>),
    Cond(Box<Node>, Box<Node>, Option<Box<Node>>),
    Lambda(Box<Lambda>),
    Call {
        func: Box<Node>,
        args: Vec<Node>,
        partial: bool,
    },
    Placeholder,
    /// `lhs ~> rhs`.
    Apply(Box<Node>, Box<Node>),
    /// A sort step: `(descending, term)` pairs.
    Sort(Vec<(bool, Node)>),
    /// `| pattern | update [, delete] |`: a function that copies its argument and updates the matches.
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    /// A `#$i` that follows predicates on a step: binds positions after filtering.
    IndexBind(String),
    /// A non-path expression with predicates, a grouping or `[]`.
    Post {
        expr: Box<Node>,
        predicates: Vec<Node>,
        group: Option<Vec<(Node, Node)>>,
        keep: bool,
    },
}

/// A path: steps evaluated in turn over a sequence.
#[derive(Debug)]
pub(crate) struct Path {
    pub steps: Vec<Step>,
    pub group: Option<Vec<(Node, Node)>>,
    pub keep: bool,
}

/// One step of a path and the predicates applied to each of its results.
#[derive(Debug)]
pub(crate) struct Step {
    pub node: Node,
    pub stages: Vec<Node>,
    pub keep: bool,
    /// `@$v`: bind each result to `$v` and keep the context.
    pub focus: Option<String>,
    /// `#$i`: bind each result's position to `$i`.
    pub index: Option<String>,
}

impl Step {
    /// Whether the step makes its path a stream of binding tuples.
    pub fn is_tuple(&self) -> bool {
        self.focus.is_some() || self.index.is_some() || self.stages.iter().any(|s| matches!(s.kind, Kind::IndexBind(_)))
    }
}

/// `function($a, $b)<sig>{ body }`.
#[derive(Debug)]
pub(crate) struct Lambda {
    pub params: Vec<String>,
    pub body: Node,
    pub signature: Option<Signature>,
}

/// A regular expression literal.
#[derive(Debug)]
pub(crate) struct Regex {
    pub re: regex::Regex,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    In,
    Concat,
    Range,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Concat => "&",
            BinOp::Range => "..",
        }
    }
}
