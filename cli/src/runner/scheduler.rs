//! The in-process scheduler: a ready queue, a timer heap and the branch tree,
//! driving the pure interpreter until the execution ends.

use super::clock::RunClock as Clock;
use super::tasks::{TaskOutcome, Tasks};
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use stepwise_asl::error::{Failure, names};
use stepwise_asl::history::{Details, HistoryEvent};
use stepwise_asl::interpret::{self, Branch, Children, Env, Event, ExecutionInfo, Next, Phase};
use stepwise_asl::model::StateMachine;
use stepwise_asl::rng::Rng;

/// Where a child reports when it ends.
struct Join {
    children: Children,
    outputs: Vec<Option<Value>>,
    node_ids: Vec<Option<usize>>,
    next_to_start: usize,
    running: usize,
    failed: u64,
    closed: bool,
}

struct Node {
    branch: Branch,
    parent: Option<(usize, usize)>,
    join: Option<Join>,
    /// A Distributed Map item: its events belong to its own child execution,
    /// not to this history.
    detached: bool,
}

/// How the execution ended.
pub(crate) enum End {
    Succeeded(Value),
    Failed(Failure),
    TimedOut,
}

/// A timer entry: due time, then a sequence number so equal times keep order.
type Timer = Reverse<(i64, u64, usize, TimerKind)>;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TimerKind {
    Fire,
    Deliver(u64),
    ExecutionTimeout,
}

pub(crate) struct Scheduler<'a> {
    pub machine: &'a StateMachine,
    pub execution: &'a ExecutionInfo,
    pub clock: Clock,
    pub tasks: &'a Tasks,
    pub history: Vec<HistoryEvent>,
    nodes: Vec<Node>,
    ready: VecDeque<(usize, Event)>,
    timers: BinaryHeap<Timer>,
    deliveries: Vec<Option<Event>>,
    seq: u64,
    rng: Rng,
    /// Sees every event as it happens (progress display).
    pub observer: Option<super::Observer>,
}

impl<'a> Scheduler<'a> {
    pub fn new(
        machine: &'a StateMachine,
        execution: &'a ExecutionInfo,
        clock: Clock,
        tasks: &'a Tasks,
        seed: u64,
    ) -> Self {
        Scheduler {
            machine,
            execution,
            clock,
            tasks,
            history: Vec::new(),
            nodes: Vec::new(),
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            deliveries: Vec::new(),
            seq: 0,
            rng: Rng::new(seed),
            observer: None,
        }
    }

    fn add_timer(&mut self, at: i64, node: usize, kind: TimerKind) {
        self.seq += 1;
        self.timers.push(Reverse((at, self.seq, node, kind)));
    }

    /// Calls the interpreter on a node's branch with a fresh environment:
    /// the clock's time, the next event id and a seed of its own.
    fn with_env<R>(&mut self, node: usize, f: impl FnOnce(&mut Branch, &mut Env<'_>) -> R) -> R {
        let rng = Rng::new(self.rng.next_u64());
        let new_token: fn() -> String = || format!("{:032x}", rand_token());
        let mut env = Env {
            machine: self.machine,
            execution: self.execution,
            now: self.clock.now(),
            next_event_id: self.history.len() as i64 + 1,
            rng,
            new_token,
        };
        f(&mut self.nodes[node].branch, &mut env)
    }

    /// Appends a node's events to the history, unless they belong to a
    /// Distributed Map item's own execution.
    fn record(&mut self, node: usize, events: Vec<HistoryEvent>) {
        if let Some(observe) = &self.observer {
            events.iter().for_each(|e| observe(e));
        }
        if !self.nodes[node].detached {
            self.history.extend(events);
        }
    }

    /// Runs the execution to its end.
    pub fn run(&mut self) -> End {
        let now = self.clock.now();
        let (root, started) = interpret::start_execution(self.machine, self.execution, now);
        self.history.push(started);
        self.nodes.push(Node { branch: root, parent: None, join: None, detached: false });
        self.ready.push_back((0, Event::Enter));
        if let Some(seconds) = self.machine.timeout_seconds {
            let at = self.clock.due(seconds as i64 * 1000);
            self.add_timer(at, 0, TimerKind::ExecutionTimeout);
        }
        loop {
            let (node, event) = match self.ready.pop_front() {
                Some(work) => work,
                None => match self.timers.pop() {
                    Some(Reverse((at, _, node, kind))) => {
                        self.clock.advance_to(at);
                        match kind {
                            TimerKind::Fire => (node, Event::TimerFired),
                            TimerKind::Deliver(i) => match self.deliveries[i as usize].take() {
                                Some(e) => (node, e),
                                None => continue,
                            },
                            TimerKind::ExecutionTimeout => return self.time_out(),
                        }
                    }
                    None => {
                        return End::Failed(Failure::new(
                            names::RUNTIME,
                            "the execution stalled with nothing to wait for",
                        ));
                    }
                },
            };
            if self.nodes[node].branch.phase == Phase::Done {
                continue;
            }
            if let Some(end) = self.advance(node, event) {
                return end;
            }
        }
    }

    fn time_out(&mut self) -> End {
        let id = self.history.len() as i64 + 1;
        let previous = self.history.last().map_or(0, |e| e.id);
        self.history.push(HistoryEvent {
            id,
            previous_event_id: previous,
            event_type: "ExecutionTimedOut".into(),
            timestamp: self.clock.now(),
            details: Details::ExecutionTimedOut { error: Some(names::TIMEOUT.to_owned()), cause: None },
        });
        End::TimedOut
    }

    fn advance(&mut self, node: usize, event: Event) -> Option<End> {
        let now = self.clock.now();
        let step = self.with_env(node, |branch, env| interpret::step(branch, event, env));
        self.record(node, step.history);
        match step.next {
            Next::Continue => self.ready.push_back((node, Event::Enter)),
            Next::Timer { at } => {
                let due = self.clock.due(at - now);
                self.add_timer(due, node, TimerKind::Fire);
            }
            Next::Task(request) => {
                let TaskOutcome { event, after_ms } = self.tasks.run(&request, &self.clock);
                self.deliveries.push(Some(event));
                let index = self.deliveries.len() as u64 - 1;
                let due = self.clock.due(after_ms);
                self.add_timer(due, node, TimerKind::Deliver(index));
            }
            Next::Children(children) => self.start_children(node, children),
            Next::Succeeded(output) => return self.child_done(node, Ok(output)),
            Next::Failed(failure) => return self.child_done(node, Err(failure)),
        }
        None
    }

    fn start_children(&mut self, parent: usize, children: Children) {
        let count = children.branches.len();
        self.nodes[parent].join = Some(Join {
            children,
            outputs: vec![None; count],
            node_ids: vec![None; count],
            next_to_start: 0,
            running: 0,
            failed: 0,
            closed: false,
        });
        self.start_more(parent);
    }

    /// Starts children while MaxConcurrency allows.
    fn start_more(&mut self, parent: usize) {
        loop {
            let Some(join) = self.nodes[parent].join.as_mut() else {
                return;
            };
            let limit = match join.children.max_concurrency {
                0 => usize::MAX,
                n => n as usize,
            };
            if join.closed || join.next_to_start >= join.children.branches.len() || join.running >= limit {
                return;
            }
            let slot = join.next_to_start;
            join.next_to_start += 1;
            join.running += 1;
            let start = join.children.branches[slot].clone();
            let detached = start.detached || self.nodes[parent].detached;
            let previous = if detached { 0 } else { self.history.last().map_or(0, |e| e.id) };
            let branch = Branch::new(self.machine, start.scope, start.input, start.origin, previous);
            let id = self.nodes.len();
            self.nodes.push(Node { branch, parent: Some((parent, slot)), join: None, detached });
            let events = self.with_env(id, interpret::start_child);
            self.record(id, events);
            if let Some(join) = self.nodes[parent].join.as_mut() {
                join.node_ids[slot] = Some(id);
            }
            self.ready.push_back((id, Event::Enter));
        }
    }

    fn child_done(&mut self, node: usize, result: Result<Value, Failure>) -> Option<End> {
        let Some((parent, slot)) = self.nodes[node].parent else {
            return Some(match result {
                Ok(v) => End::Succeeded(v),
                Err(f) => End::Failed(f),
            });
        };
        let last_event_id = self.history.last().map_or(0, |e| e.id);
        let join = self.nodes[parent].join.as_mut()?;
        join.running -= 1;
        let failure = match result {
            Ok(v) => {
                join.outputs[slot] = Some(v);
                None
            }
            Err(f) => {
                join.failed += 1;
                join.outputs[slot] = Some(stepwise_asl::json::error_object(&f));
                join.children.exceeded(join.failed).then_some(f)
            }
        };
        if let Some(failure) = failure {
            let tolerant =
                join.children.tolerated_failure_count.is_some() || join.children.tolerated_failure_percentage.is_some();
            join.closed = true;
            let running: Vec<usize> = join.node_ids.iter().flatten().copied().collect();
            self.abort(running);
            let failure = if tolerant {
                Failure::new(
                    names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                    "The specified tolerated failure threshold was exceeded",
                )
            } else {
                failure
            };
            let last_event_id = self.nodes[node].branch.last_event_id;
            self.ready.push_back((parent, Event::ChildrenFailed { failure, last_event_id }));
            return None;
        }
        let done = join.next_to_start >= join.children.branches.len() && join.running == 0;
        if done {
            join.closed = true;
            let outputs = join.outputs.iter_mut().map(|o| o.take().unwrap_or(Value::Null)).collect();
            self.ready.push_back((parent, Event::ChildrenSucceeded { outputs, last_event_id }));
        } else {
            self.start_more(parent);
        }
        None
    }

    /// Cancels children that have not finished, recording `MapIterationAborted`.
    fn abort(&mut self, nodes: Vec<usize>) {
        for id in nodes {
            if self.nodes[id].branch.phase == Phase::Done {
                continue;
            }
            let nested: Vec<usize> = self.nodes[id]
                .join
                .as_ref()
                .map(|j| j.node_ids.iter().flatten().copied().collect())
                .unwrap_or_default();
            self.abort(nested);
            let events = self.with_env(id, interpret::abort_child);
            self.record(id, events);
        }
    }
}

/// 128 random bits for a task token, from the OS-seeded hasher.
fn rand_token() -> u128 {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(0u8) as u128;
    let b = RandomState::new().hash_one(1u8) as u128;
    (a << 64) | b
}
