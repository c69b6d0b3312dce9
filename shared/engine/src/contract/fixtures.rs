//! Records the contract tests write: realistic enough to catch lossy
//! storage (non-ASCII text, nested JSON, optional fields set and unset).

use crate::records::{
    BranchRecord, ExecutionRecord, ExecutionStatus, StateMachineRecord, StateMachineType, TokenRecord,
};
use serde_json::json;
use stepwise_asl::history::{Details, HistoryEvent};
use stepwise_asl::interpret::{Branch, Origin};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// A two-state definition, also parsed to build branches.
const DEFINITION: &str = r#"{"Comment":"contract ✓","StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}"#;

/// A STANDARD state machine named `name`.
pub fn state_machine(name: &str) -> StateMachineRecord {
    StateMachineRecord {
        arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"),
        name: name.to_owned(),
        definition: DEFINITION.to_owned(),
        role_arn: format!("arn:aws:iam::{ACCOUNT}:role/stepwise"),
        kind: StateMachineType::Standard,
        creation_date: 1_700_000_000_000,
        revision_id: "1".to_owned(),
        description: Some("für die Prüfung".to_owned()),
        tags: vec![("team".to_owned(), "core".to_owned()), ("env".to_owned(), "test".to_owned())],
    }
}

/// A RUNNING execution of `sm` started at `start_date`, whose next event is 2
/// (its `ExecutionStarted` is event 1).
pub fn execution(sm: &StateMachineRecord, name: &str, start_date: i64) -> ExecutionRecord {
    ExecutionRecord {
        arn: format!("arn:aws:states:{REGION}:{ACCOUNT}:execution:{}:{name}", sm.name),
        state_machine_arn: sm.arn.clone(),
        name: name.to_owned(),
        status: ExecutionStatus::Running,
        start_date,
        stop_date: None,
        input: json!({"greeting": "héllo 世界", "n": 1.5, "nested": {"list": [1, null, true]}}).to_string(),
        output: None,
        error: None,
        cause: None,
        definition: sm.definition.clone(),
        role_arn: sm.role_arn.clone(),
        next_event_id: 2,
    }
}

/// Branch `id` of `execution_arn` at `version`, about to enter its first state.
pub fn branch(execution_arn: &str, id: &str, version: u64) -> BranchRecord {
    let machine = stepwise_asl::validate::parse_text(DEFINITION).expect("the contract's own definition is valid");
    let branch = Branch::new(&machine, 0, json!({"at": id}), Origin::Execution, 0);
    BranchRecord {
        execution_arn: execution_arn.to_owned(),
        id: id.to_owned(),
        seq: version,
        version,
        branch,
        parent: (id != "0").then(|| ("0".to_owned(), 1)),
        task: None,
        pending: None,
        join: None,
        last_work: Vec::new(),
        committed_at: 1_700_000_000_000 + version as i64,
        detached: false,
    }
}

/// History event `id`: `ExecutionStarted` for 1, alternating state entered
/// and exited events after it.
pub fn event(id: i64) -> HistoryEvent {
    let (event_type, details) = match id {
        1 => (
            "ExecutionStarted",
            Details::ExecutionStarted {
                input: r#"{"greeting":"héllo"}"#.to_owned(),
                role_arn: format!("arn:aws:iam::{ACCOUNT}:role/stepwise"),
                state_machine_alias_arn: None,
            },
        ),
        n if n % 2 == 0 => {
            ("PassStateEntered", Details::StateEntered { name: format!("S{n}"), input: "{}".to_owned() })
        }
        n => (
            "PassStateExited",
            Details::StateExited { name: format!("S{}", n - 1), output: r#"{"ok":true}"#.to_owned() },
        ),
    };
    HistoryEvent {
        id,
        previous_event_id: id - 1,
        event_type: event_type.into(),
        timestamp: 1_700_000_000_000 + id,
        details,
    }
}

/// A task token for `branch` of `execution_arn` waiting at step `seq`.
pub fn token(token: &str, execution_arn: &str, branch: &str, seq: u64) -> TokenRecord {
    TokenRecord {
        token: token.to_owned(),
        execution_arn: execution_arn.to_owned(),
        branch: branch.to_owned(),
        seq,
        heartbeat_at: 1_700_000_000_000,
    }
}
