//! DynamoDB specifics beyond the port contract, on moto: the transaction
//! limit, item sizes, page tokens bound to their listing, TTL attributes,
//! and an idempotent bootstrap.

mod support;

use aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use stepwise_asl::history::{Details, HistoryEvent};
use stepwise_aws::dynamo::MAX_TRANSACTION_ITEMS;
use stepwise_aws::{Bootstrap, Resources};
use stepwise_engine::contract::{branch, event, execution, state_machine, token};
use stepwise_engine::ports::{BranchWrite, Commit, ExecutionWrite, Page, Store, StoreError};
use stepwise_engine::records::ExecutionStatus;
use support::Local;

fn started(arn: &str) -> Commit {
    Commit {
        branches: vec![BranchWrite { record: branch(arn, "0", 0), expected_version: None }],
        events: vec![event(1)],
        ..Commit::default()
    }
}

#[tokio::test]
async fn a_commit_over_the_transaction_limit_fails_whole() {
    let local = Local::new().await;
    let store = local.store("limit").await;
    let e = execution(&state_machine("Big"), "big", 1_700_000_000_000);
    store.create_execution(e.clone(), started(&e.arn)).await.unwrap();
    // A Map starting 100 children: a branch each, plus the head (which holds
    // the events).
    let mut next = e.clone();
    next.next_event_id = 2 + 100;
    let commit = Commit {
        execution: Some(ExecutionWrite { record: next, expected_next_event_id: 2 }),
        branches: (0..100)
            .map(|i| BranchWrite { record: branch(&e.arn, &format!("0.1.{i}"), 0), expected_version: None })
            .collect(),
        events: (2..102).map(event).collect(),
        tokens: Vec::new(),
    };
    let result = store.commit(commit).await;
    let Err(StoreError::Unavailable(why)) = result else { panic!("expected a clear refusal, got {result:?}") };
    assert!(why.contains(&MAX_TRANSACTION_ITEMS.to_string()) && why.contains("nothing was written"), "{why}");
    assert_eq!(store.get_execution(&e.arn).await.unwrap(), Some(e.clone()), "the execution is unchanged");
    assert_eq!(store.get_branch(&e.arn, "0.1.0").await.unwrap(), None, "no child was written");
    // The creation is a PutItem of the head (after its data item).
    assert_eq!(local.counter.count("DynamoDB_20120810.TransactWriteItems"), 0, "the refused commit was not sent");
}

#[tokio::test]
async fn an_execution_too_large_for_an_item_is_refused_without_a_trace() {
    let local = Local::new().await;
    let store = local.store("size").await;
    let mut e = execution(&state_machine("Large"), "large", 1_700_000_000_000);
    e.input = format!("\"{}\"", "x".repeat(256 * 1024));
    e.definition = format!("{{\"Comment\":\"{}\",\"StartAt\":\"A\",\"States\":{{}}}}", "y".repeat(200 * 1024));
    let result = store.create_execution(e.clone(), started(&e.arn)).await;
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{result:?}");
    assert_eq!(store.get_execution(&e.arn).await.unwrap(), None);
    assert_eq!(store.get_branch(&e.arn, "0").await.unwrap(), None);
}

#[tokio::test]
async fn large_events_page_across_dynamodb_query_pages() {
    let local = Local::new().await;
    let store = local.store("bigevents").await;
    let mut e = execution(&state_machine("Payloads"), "p", 1_700_000_000_000);
    store.create_execution(e.clone(), started(&e.arn)).await.unwrap();
    let payload = format!("\"{}\"", "z".repeat(250 * 1024));
    let big = |id: i64| HistoryEvent {
        id,
        previous_event_id: id - 1,
        event_type: "PassStateExited".into(),
        timestamp: 1_700_000_000_000 + id,
        details: Details::StateExited { name: "P".into(), output: payload.clone() },
    };
    for id in 2..8 {
        let expected = e.next_event_id;
        e.next_event_id += 1;
        let commit = Commit {
            execution: Some(ExecutionWrite { record: e.clone(), expected_next_event_id: expected }),
            events: vec![big(id)],
            ..Commit::default()
        };
        store.commit(commit).await.unwrap();
    }
    let (events, next) = store.history(&e.arn, Page { limit: 100, token: None }, false).await.unwrap();
    assert_eq!(events.len(), 7, "1.5 MB of events in one page");
    assert_eq!(next, None);
    assert_eq!(events[6], big(7));
}

#[tokio::test]
async fn a_commit_of_events_too_large_for_the_head_keeps_them_in_chunks() {
    let local = Local::new().await;
    let store = local.store("bigcommit").await;
    let mut e = execution(&state_machine("Chunks"), "c", 1_700_000_000_000);
    store.create_execution(e.clone(), started(&e.arn)).await.unwrap();
    let payload = format!("\"{}\"", "q".repeat(200 * 1024));
    let big = |id: i64| HistoryEvent {
        id,
        previous_event_id: id - 1,
        event_type: "PassStateExited".into(),
        timestamp: 1_700_000_000_000 + id,
        details: Details::StateExited { name: "P".into(), output: payload.clone() },
    };
    // 800 KB of events in one commit (over the head's 400 KB), then a small one.
    for events in [(2..6).map(big).collect::<Vec<_>>(), vec![event(6)]] {
        let expected = e.next_event_id;
        e.next_event_id += events.len() as i64;
        let commit = Commit {
            execution: Some(ExecutionWrite { record: e.clone(), expected_next_event_id: expected }),
            events,
            ..Commit::default()
        };
        store.commit(commit).await.unwrap();
    }
    let mut all = vec![event(1)];
    all.extend((2..6).map(big));
    all.push(event(6));
    for reverse in [false, true] {
        let (mut seen, mut token) = (Vec::new(), None);
        loop {
            let (page, next) = store.history(&e.arn, Page { limit: 2, token }, reverse).await.unwrap();
            seen.extend(page);
            match next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        let mut expected = all.clone();
        if reverse {
            expected.reverse();
        }
        assert!(seen == expected, "every event once, in order (reverse: {reverse})");
    }
    assert_eq!(store.get_execution(&e.arn).await.unwrap(), Some(e));
}

#[tokio::test]
async fn page_tokens_only_continue_the_listing_that_issued_them() {
    let local = Local::new().await;
    let store = local.store("tokens").await;
    let sm = state_machine("Paged");
    let (a, b) = (execution(&sm, "a", 1_700_000_000_000), execution(&sm, "b", 1_700_000_001_000));
    for e in [&a, &b] {
        store.create_execution(e.clone(), started(&e.arn)).await.unwrap();
        let mut next = e.clone();
        next.next_event_id = 3;
        let commit = Commit {
            execution: Some(ExecutionWrite { record: next, expected_next_event_id: 2 }),
            events: vec![event(2)],
            ..Commit::default()
        };
        store.commit(commit).await.unwrap();
    }
    let one = Page { limit: 1, token: None };
    let (_, token) = store.history(&a.arn, one.clone(), false).await.unwrap();
    let other = store.history(&b.arn, Page { limit: 1, token: token.clone() }, false).await;
    assert_eq!(other, Err(StoreError::InvalidPageToken), "another execution's history token");
    assert!(store.history(&a.arn, Page { limit: 1, token }, true).await.is_ok(), "its own history, either way");

    let (_, token) = store.list_executions(&sm.arn, Some(ExecutionStatus::Running), one.clone()).await.unwrap();
    let unfiltered = store.list_executions(&sm.arn, None, Page { limit: 1, token: token.clone() }).await;
    assert_eq!(unfiltered.err(), Some(StoreError::InvalidPageToken), "a statusFilter token without the filter");
    let (page, _) =
        store.list_executions(&sm.arn, Some(ExecutionStatus::Running), Page { limit: 1, token }).await.unwrap();
    let names: Vec<&str> = page.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, [a.name.as_str()], "the filtered listing continues");
}

async fn raw(local: &Local, table: &str, pk: String, sk: &str) -> std::collections::HashMap<String, AttributeValue> {
    let key = [("pk".to_owned(), AttributeValue::S(pk)), ("sk".to_owned(), AttributeValue::S(sk.to_owned()))];
    let out = local.clients.dynamodb.get_item().table_name(table).set_key(Some(key.into())).send().await.unwrap();
    out.item.expect("the item exists")
}

fn ttl(item: &std::collections::HashMap<String, AttributeValue>) -> Option<i64> {
    item.get("ttl").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn ended_executions_and_tokens_carry_their_expiry() {
    const DAY: i64 = 86_400;
    let local = Local::new().await;
    let store = local.store("ttl").await;
    let table = store.table().to_owned();
    let mut e = execution(&state_machine("Expiring"), "x", 1_700_000_000_000);
    store.create_execution(e.clone(), started(&e.arn)).await.unwrap();
    let head = raw(&local, &table, format!("EX#{}", e.arn), "X#H").await;
    assert_eq!(ttl(&head), None, "a running execution does not expire");
    let data_sk = head["data"].as_s().expect("the head names its data item").clone();
    let data = raw(&local, &table, format!("EX#{}", e.arn), &data_sk).await;
    assert_eq!(ttl(&data), Some(1_700_000_000 + 455 * DAY), "data outlives any run by 90 days");

    let expected = e.next_event_id;
    e.next_event_id += 1;
    e.status = ExecutionStatus::Succeeded;
    e.stop_date = Some(1_700_000_050_000);
    e.output = Some("{}".into());
    let commit = Commit {
        execution: Some(ExecutionWrite { record: e.clone(), expected_next_event_id: expected }),
        events: vec![event(expected)],
        tokens: vec![token("feedfacefeedfacefeedfacefeedface", &e.arn, "0", 1)],
        ..Commit::default()
    };
    store.commit(commit).await.unwrap();
    let head = raw(&local, &table, format!("EX#{}", e.arn), "X#H").await;
    assert_eq!(ttl(&head), Some(1_700_000_050 + 90 * DAY), "kept 90 days after it ends, as on AWS");
    let token = raw(&local, &table, "TK#feedfacefeedfacefeedfacefeedface".into(), "TK").await;
    assert_eq!(ttl(&token), Some(1_700_000_000 + 365 * DAY), "a token outlives the longest task");
}

#[tokio::test]
async fn bootstrap_is_idempotent_and_sets_up_indexes_ttl_and_redrive() {
    let local = Local::new().await;
    let first = local.provision("boot").await;
    let resources = Resources {
        table: first.table.clone(),
        queue_url: None,
        queue_name: first.table.clone(),
        event_bus: first.event_bus.clone(),
        callback_queue_url: None,
        callback_queue_name: format!("{}-callbacks", first.table),
    };
    let again = Bootstrap::new(local.clients.clone(), resources).ensure().await.expect("a second run succeeds");
    assert_eq!(again, first);
    let table = local.clients.dynamodb.describe_table().table_name(&first.table).send().await.unwrap().table.unwrap();
    let mut indexes: Vec<String> =
        table.global_secondary_indexes().iter().filter_map(|i| i.index_name().map(str::to_owned)).collect();
    indexes.sort();
    assert_eq!(indexes, ["gsi1", "gsi2"]);
    let ttl = local.clients.dynamodb.describe_time_to_live().table_name(&first.table).send().await.unwrap();
    let description = ttl.time_to_live_description.unwrap();
    assert_eq!(description.time_to_live_status, Some(TimeToLiveStatus::Enabled));
    assert_eq!(description.attribute_name.as_deref(), Some("ttl"));
    let attributes = local
        .clients
        .sqs
        .get_queue_attributes()
        .queue_url(&first.queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap_or_default();
    let redrive = &attributes[&aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy];
    assert!(redrive.contains("-dlq") && redrive.contains("maxReceiveCount"), "{redrive}");
    let bus = local.clients.eventbridge.describe_event_bus().name(&first.event_bus).send().await.unwrap();
    assert_eq!(bus.name(), Some(first.event_bus.as_str()));
}
