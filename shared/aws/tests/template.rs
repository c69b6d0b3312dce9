//! `template.yaml` and [`Bootstrap`] make the same resources: the template
//! is parsed, the bootstrap runs on moto, and what moto then describes
//! (DescribeTable, DescribeTimeToLive, GetQueueAttributes, DescribeEventBus)
//! is compared with the template's properties, so the two cannot drift.
//! Property names are CloudFormation's (`AWS::DynamoDB::Table`,
//! `AWS::SQS::Queue`, `AWS::Events::EventBus` in the CloudFormation User
//! Guide's resource reference).

mod support;

use aws_sdk_sqs::types::QueueAttributeName;
use serde_yaml::Value;
use std::collections::BTreeMap;
use stepwise_aws::bootstrap::Provisioned;
use support::Local;

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../template.yaml");
    let text = std::fs::read_to_string(path).expect("template.yaml is readable");
    serde_yaml::from_str(&text).expect("template.yaml is YAML")
}

fn properties<'t>(template: &'t Value, resource: &str, kind: &str) -> &'t Value {
    let r = &template["Resources"][resource];
    assert_eq!(r["Type"].as_str(), Some(kind), "{resource} is a {kind}");
    &r["Properties"]
}

/// A YAML scalar as text (`90` and `"90"` alike), as SQS reports attributes.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// A key schema as (attribute, HASH|RANGE) pairs.
fn yaml_keys(schema: &Value) -> Vec<(String, String)> {
    let rows = schema.as_sequence().expect("a KeySchema list");
    rows.iter().map(|k| (text(&k["AttributeName"]), text(&k["KeyType"]))).collect()
}

fn dynamo_keys(schema: &[aws_sdk_dynamodb::types::KeySchemaElement]) -> Vec<(String, String)> {
    schema.iter().map(|k| (k.attribute_name().to_owned(), k.key_type().as_str().to_owned())).collect()
}

#[tokio::test]
async fn bootstrap_makes_the_table_queues_and_bus_the_template_declares() {
    let template = template();
    let local = Local::new().await;
    let provisioned = local.provision("template").await;

    // The table: keys, attribute types, billing, indexes and TTL.
    let declared = properties(&template, "Table", "AWS::DynamoDB::Table");
    let db = &local.clients.dynamodb;
    let table = db.describe_table().table_name(&provisioned.table).send().await.unwrap().table.unwrap();
    assert_eq!(dynamo_keys(table.key_schema()), yaml_keys(&declared["KeySchema"]));
    let mut attributes: Vec<(String, String)> = table
        .attribute_definitions()
        .iter()
        .map(|a| (a.attribute_name().to_owned(), a.attribute_type().as_str().to_owned()))
        .collect();
    let mut declared_attributes: Vec<(String, String)> = declared["AttributeDefinitions"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| (text(&a["AttributeName"]), text(&a["AttributeType"])))
        .collect();
    attributes.sort();
    declared_attributes.sort();
    assert_eq!(attributes, declared_attributes);
    let billing = table.billing_mode_summary().and_then(|b| b.billing_mode()).map(|m| m.as_str().to_owned());
    assert_eq!(billing, Some(text(&declared["BillingMode"])));
    let indexes: BTreeMap<String, _> =
        table.global_secondary_indexes().iter().map(|i| (i.index_name().unwrap_or_default().to_owned(), i)).collect();
    let declared_indexes = declared["GlobalSecondaryIndexes"].as_sequence().unwrap();
    assert_eq!(indexes.len(), declared_indexes.len(), "as many indexes");
    for d in declared_indexes {
        let name = text(&d["IndexName"]);
        let index = indexes.get(&name).unwrap_or_else(|| panic!("index {name} exists"));
        assert_eq!(dynamo_keys(index.key_schema()), yaml_keys(&d["KeySchema"]), "{name}'s keys");
        let projection = index.projection().unwrap();
        let kind = projection.projection_type().map(|p| p.as_str().to_owned());
        assert_eq!(kind, Some(text(&d["Projection"]["ProjectionType"])), "{name}'s projection");
        let non_key: Vec<String> =
            d["Projection"]["NonKeyAttributes"].as_sequence().map(|s| s.iter().map(text).collect()).unwrap_or_default();
        assert_eq!(projection.non_key_attributes(), non_key.as_slice(), "{name}'s projected attributes");
    }
    let ttl = db.describe_time_to_live().table_name(&provisioned.table).send().await.unwrap();
    let ttl = ttl.time_to_live_description.unwrap();
    let spec = &declared["TimeToLiveSpecification"];
    assert_eq!(ttl.attribute_name.as_deref(), Some(text(&spec["AttributeName"]).as_str()));
    assert_eq!(spec["Enabled"].as_bool(), Some(true));
    assert_eq!(ttl.time_to_live_status.map(|s| s.as_str().to_owned()).as_deref(), Some("ENABLED"));

    // The queues: the step queue and the callback queue, each with its
    // dead-letter queue.
    let pairs = [
        ("StepQueue", "DeadLetterQueue", provisioned.queue_url.clone(), provisioned.dead_letter_queue_url.clone()),
        (
            "CallbackQueue",
            "CallbackDeadLetterQueue",
            provisioned.callback_queue_url.clone(),
            provisioned.callback_dead_letter_queue_url.clone(),
        ),
    ];
    for (queue, dead_letters, url, dlq_url) in pairs {
        let declared = properties(&template, queue, "AWS::SQS::Queue");
        let declared_dlq = properties(&template, dead_letters, "AWS::SQS::Queue");
        let dlq_url = dlq_url.expect("the bootstrap made the dead-letter queue");
        let made = queue_attributes(&local, &url).await;
        let made_dlq = queue_attributes(&local, &dlq_url).await;
        expect_queue_properties(queue, declared, &made);
        expect_queue_properties(dead_letters, declared_dlq, &made_dlq);
        let redrive: serde_json::Value = serde_json::from_str(&made["RedrivePolicy"]).unwrap();
        let declared_redrive = &declared["RedrivePolicy"];
        let max_receive = match &redrive["maxReceiveCount"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(max_receive, text(&declared_redrive["maxReceiveCount"]), "{queue}'s maxReceiveCount");
        // The template points at the dead-letter queue with !GetAtt <Queue>.Arn.
        let target = &declared_redrive["deadLetterTargetArn"];
        let Value::Tagged(tagged) = target else { panic!("deadLetterTargetArn is !GetAtt: {target:?}") };
        assert_eq!(tagged.tag.to_string(), "!GetAtt");
        assert_eq!(text(&tagged.value), format!("{dead_letters}.Arn"));
        assert_eq!(redrive["deadLetterTargetArn"], made_dlq["QueueArn"].as_str(), "{queue} redrives to {dead_letters}");
    }

    // The bus: a custom bus with a name and nothing else.
    let declared = properties(&template, "EventBus", "AWS::Events::EventBus");
    let keys: Vec<&str> = declared.as_mapping().unwrap().keys().filter_map(Value::as_str).collect();
    assert_eq!(keys, ["Name"], "the template sets only the bus's name, as the bootstrap does");
    let bus = local.clients.eventbridge.describe_event_bus().name(&provisioned.event_bus).send().await.unwrap();
    assert_eq!(bus.name(), Some(provisioned.event_bus.as_str()));
    assert_ne!(provisioned.event_bus, "default", "a bus of its own, as the template's");
    check_idempotent(&local, &provisioned).await;
}

/// Every attribute of the queue at `url`, by name.
async fn queue_attributes(local: &Local, url: &str) -> BTreeMap<String, String> {
    let out = local.clients.sqs.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::All);
    let attributes = out.send().await.unwrap().attributes.unwrap_or_default();
    attributes.into_iter().map(|(k, v)| (k.as_str().to_owned(), v)).collect()
}

/// Each property the template sets on a queue (but the redrive policy,
/// compared apart) has the same value on the queue the bootstrap made, and
/// the bootstrap sets no property the template leaves out: a property
/// absent from the template has SQS's default (visibility timeout 30 s,
/// "AWS::SQS::Queue" in the CloudFormation User Guide).
fn expect_queue_properties(name: &str, declared: &Value, made: &BTreeMap<String, String>) {
    let declared = declared.as_mapping().unwrap();
    for (key, value) in declared {
        let key = key.as_str().unwrap();
        if key == "RedrivePolicy" {
            continue;
        }
        assert_eq!(made.get(key), Some(&text(value)), "{name}.{key}");
    }
    if !declared.contains_key("VisibilityTimeout") {
        assert_eq!(made.get("VisibilityTimeout").map(String::as_str), Some("30"), "{name} keeps SQS's default");
    }
    if !declared.contains_key("RedrivePolicy") {
        assert_eq!(made.get("RedrivePolicy"), None, "{name} has no redrive policy");
    }
}

/// Running the bootstrap again finds everything and changes nothing.
async fn check_idempotent(local: &Local, first: &Provisioned) {
    let before = queue_attributes(local, &first.queue_url).await;
    let again = local.provision_named(&first.table).await;
    assert_eq!(&again, first);
    assert_eq!(queue_attributes(local, &first.queue_url).await["VisibilityTimeout"], before["VisibilityTimeout"]);
}
