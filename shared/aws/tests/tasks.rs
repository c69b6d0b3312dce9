//! Task states' service integrations through the AWS SDK, against moto's
//! servers of the DynamoDB, SQS, SNS, EventBridge and Lambda protocols:
//! each call's result in the shape the "Integrating services" pages show,
//! and each service's errors named `<Service>.<Error>Exception` as "Learning
//! to use AWS service SDK integrations in Step Functions" says.

mod support;

use serde_json::{Value, json};
use stepwise_asl::interpret::{TaskRequest, classify};
use stepwise_aws::config::local_sdk_config;
use stepwise_aws::{AwsTasks, Endpoints};
use stepwise_engine::ports::{TaskInvoker, TaskOutcome};
use support::Local;

fn request(resource: &str, parameters: Value) -> TaskRequest {
    let (kind, pattern) = classify(resource);
    TaskRequest {
        state_name: "Call".into(),
        resource: resource.into(),
        kind,
        pattern,
        parameters,
        token: None,
        timeout_seconds: None,
        heartbeat_seconds: None,
    }
}

async fn tasks(local: &Local) -> AwsTasks {
    AwsTasks::new(&local_sdk_config(&local.moto.endpoint).await, &Endpoints::default())
}

fn succeeded(outcome: TaskOutcome) -> Value {
    match outcome {
        TaskOutcome::Succeeded(v) => v,
        other => panic!("expected success, got {other:?}"),
    }
}

fn failed(outcome: TaskOutcome) -> (String, String) {
    match outcome {
        TaskOutcome::Failed(f) => (f.error, f.cause.unwrap_or_default()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn dynamodb_put_get_update_delete_and_a_failed_condition() {
    let local = Local::new().await;
    let tasks = tasks(&local).await;
    let table = format!("tasks-ddb-{}", std::process::id());
    local
        .clients
        .dynamodb
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            aws_sdk_dynamodb::types::KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");

    // connect-ddb: Parameters in DynamoDB's own JSON, the result with
    // SdkHttpMetadata and SdkResponseMetadata.
    let item = json!({"id": {"S": "e-1"}, "name": {"S": "Ada"}, "n": {"N": "3"}, "tags": {"L": [{"S": "x"}]}});
    let put = succeeded(
        tasks.invoke(&request("arn:aws:states:::dynamodb:putItem", json!({"TableName": table, "Item": item}))).await,
    );
    assert_eq!(put["SdkHttpMetadata"]["HttpStatusCode"], 200);
    assert!(put["SdkResponseMetadata"]["RequestId"].is_string());

    let key = json!({"TableName": table, "Key": {"id": {"S": "e-1"}}});
    let got = succeeded(tasks.invoke(&request("arn:aws:states:::dynamodb:getItem", key.clone())).await);
    assert_eq!(got["Item"], item);

    let update = json!({"TableName": table, "Key": {"id": {"S": "e-1"}},
        "UpdateExpression": "SET #n = #n + :one", "ExpressionAttributeNames": {"#n": "n"},
        "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": "UPDATED_NEW"});
    let updated = succeeded(tasks.invoke(&request("arn:aws:states:::dynamodb:updateItem", update)).await);
    assert_eq!(updated["Attributes"], json!({"n": {"N": "4"}}));

    let again = json!({"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(id)"});
    let (error, cause) = failed(tasks.invoke(&request("arn:aws:states:::dynamodb:putItem", again)).await);
    assert_eq!(error, "DynamoDB.ConditionalCheckFailedException");
    assert!(
        cause.contains("(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException"),
        "{cause}"
    );

    succeeded(tasks.invoke(&request("arn:aws:states:::dynamodb:deleteItem", key.clone())).await);
    let gone = succeeded(tasks.invoke(&request("arn:aws:states:::dynamodb:getItem", key)).await);
    assert!(gone.get("Item").is_none(), "{gone}");

    let missing = json!({"TableName": "no-such-table", "Key": {"id": {"S": "x"}}});
    let (error, _) = failed(tasks.invoke(&request("arn:aws:states:::dynamodb:getItem", missing)).await);
    assert_eq!(error, "DynamoDB.ResourceNotFoundException");
}

#[tokio::test]
async fn sqs_send_message_and_a_missing_queue() {
    let local = Local::new().await;
    let tasks = tasks(&local).await;
    let queue = local.queue("tasks-sqs").await;
    let body = json!({"order": 7, "items": ["a"]});
    let sent = succeeded(
        tasks
            .invoke(&request(
                "arn:aws:states:::sqs:sendMessage",
                json!({"QueueUrl": queue.queue_url(), "MessageBody": body}),
            ))
            .await,
    );
    // A JSON MessageBody is sent as its text (connect-sqs).
    let text = r#"{"order":7,"items":["a"]}"#;
    let received = local.clients.sqs.receive_message().queue_url(queue.queue_url()).send().await.unwrap();
    let message = &received.messages()[0];
    assert_eq!(message.body(), Some(text));
    assert_eq!(sent["MessageId"].as_str(), message.message_id());
    assert_eq!(sent["MD5OfMessageBody"].as_str(), message.md5_of_body());

    let token = request(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        json!({"QueueUrl": queue.queue_url(), "MessageBody": {"token": "t-1"}}),
    );
    assert!(matches!(tasks.invoke(&token).await, TaskOutcome::Waiting));

    let nowhere = format!("{}/123456789012/no-such-queue", local.moto.endpoint);
    let (error, _) = failed(
        tasks
            .invoke(&request("arn:aws:states:::sqs:sendMessage", json!({"QueueUrl": nowhere, "MessageBody": "x"})))
            .await,
    );
    assert_eq!(error, "SQS.QueueDoesNotExistException");
}

#[tokio::test]
async fn sns_publish_eventbridge_put_events_and_a_missing_lambda_function() {
    let local = Local::new().await;
    let tasks = tasks(&local).await;
    let config = local_sdk_config(&local.moto.endpoint).await;
    let sns = aws_sdk_sns::Client::new(&config);
    let topic = sns.create_topic().name(format!("tasks-{}", std::process::id())).send().await.unwrap();
    let topic = topic.topic_arn().unwrap();
    let published = succeeded(
        tasks
            .invoke(&request("arn:aws:states:::sns:publish", json!({"TopicArn": topic, "Message": {"hello": "world"}})))
            .await,
    );
    assert!(published["MessageId"].as_str().is_some_and(|id| !id.is_empty()), "{published}");
    let missing_topic = "arn:aws:sns:us-east-1:123456789012:no-such-topic";
    let (error, _) = failed(
        tasks
            .invoke(&request("arn:aws:states:::sns:publish", json!({"TopicArn": missing_topic, "Message": "x"})))
            .await,
    );
    assert_eq!(error, "SNS.NotFoundException");

    // connect-eventbridge: `{"Entries": [{"EventId"}], "FailedEntryCount": 0}`.
    let entries = json!({"Entries": [{"Detail": {"a": 1}, "DetailType": "Order", "Source": "my.app"}]});
    let put = succeeded(tasks.invoke(&request("arn:aws:states:::events:putEvents", entries)).await);
    assert_eq!(put["FailedEntryCount"], 0);
    assert!(put["Entries"][0]["EventId"].is_string(), "{put}");

    let (error, _) = failed(
        tasks
            .invoke(&request(
                "arn:aws:states:::lambda:invoke",
                json!({"FunctionName": "no-such-function", "Payload": {}}),
            ))
            .await,
    );
    assert_eq!(error, "Lambda.ResourceNotFoundException");
    let (error, _) = failed(
        tasks.invoke(&request("arn:aws:lambda:us-east-1:123456789012:function:no-such-function", json!({}))).await,
    );
    assert_eq!(error, "Lambda.ResourceNotFoundException");
}
