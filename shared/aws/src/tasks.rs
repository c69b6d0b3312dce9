//! Task states' service integrations through the AWS SDK: the engine's
//! [`TaskInvoker`] for the serverless stepper and for `stepwise serve`'s
//! `--sqs-endpoint`, `--sns-endpoint`, `--dynamodb-endpoint`,
//! `--eventbridge-endpoint` and `--lambda-endpoint`.
//!
//! | Resource | Call | Result |
//! |---|---|---|
//! | `arn:aws:lambda:…:function:F` | Lambda Invoke | the function's payload |
//! | `arn:aws:states:::lambda:invoke` | Lambda Invoke (`FunctionName`, `Payload`, `InvocationType`, `Qualifier`, `LogType`, `ClientContext`) | `{ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}` |
//! | `arn:aws:states:::sqs:sendMessage` | SendMessage | `{MD5OfMessageBody, MessageId, …}` |
//! | `arn:aws:states:::sns:publish` | Publish | `{MessageId, …}` |
//! | `arn:aws:states:::dynamodb:getItem` / `putItem` / `updateItem` / `deleteItem` | the same operation, DynamoDB's JSON (`{"S": …}`) | `Item` / `Attributes` and the metadata |
//! | `arn:aws:states:::events:putEvents` | PutEvents (`Entries`, `Detail` as JSON) | `{Entries, FailedEntryCount}` |
//!
//! Sources: "Integrating services with Step Functions" (connect-lambda,
//! connect-sqs, connect-sns, connect-ddb, connect-eventbridge,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html>).
//! Each also takes `.waitForTaskToken`: the call is made, then the task
//! waits for SendTaskSuccess or SendTaskFailure with its token.
//!
//! A service's error fails the task with `<Service>.<Error>Exception`
//! (`DynamoDB.ConditionalCheckFailedException`, `SQS.QueueDoesNotExistException`,
//! `Lambda.ResourceNotFoundException`): "the error field is composed of the
//! service name and the error name, separated by a period … always add the
//! Exception suffix" ("Learning to use AWS service SDK integrations in Step
//! Functions"), with a cause in the AWS SDK for Java's words.

use aws_config::SdkConfig;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_lambda::primitives::Blob;
use base64::Engine as _;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use stepwise_asl::error::{Failure, names};
use stepwise_asl::interpret::{IntegrationPattern, TaskKind, TaskRequest};
use stepwise_engine::lambda::{Shape, lambda_result};
use stepwise_engine::ports::{TaskInvoker, TaskOutcome};

/// Where each service's requests go; `None` is the SDK's default (the
/// region's endpoint, or `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// Lambda Invoke (`sam local start-lambda`, `cargo lambda watch`).
    pub lambda: Option<String>,
    /// SQS.
    pub sqs: Option<String>,
    /// SNS.
    pub sns: Option<String>,
    /// DynamoDB.
    pub dynamodb: Option<String>,
    /// EventBridge.
    pub eventbridge: Option<String>,
}

/// The AWS SDK clients Task states call.
#[derive(Debug, Clone)]
pub struct AwsTasks {
    lambda: aws_sdk_lambda::Client,
    sqs: aws_sdk_sqs::Client,
    sns: aws_sdk_sns::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    eventbridge: aws_sdk_eventbridge::Client,
}

macro_rules! client {
    ($krate:ident, $config:expr, $endpoint:expr) => {{
        let mut builder = $krate::config::Builder::from($config);
        if let Some(url) = $endpoint {
            builder = builder.endpoint_url(url.clone());
        }
        $krate::Client::from_conf(builder.build())
    }};
}

impl AwsTasks {
    /// Clients from `config`, each sent to its endpoint override if any.
    pub fn new(config: &SdkConfig, endpoints: &Endpoints) -> Self {
        AwsTasks {
            lambda: client!(aws_sdk_lambda, config, &endpoints.lambda),
            sqs: client!(aws_sdk_sqs, config, &endpoints.sqs),
            sns: client!(aws_sdk_sns, config, &endpoints.sns),
            dynamodb: client!(aws_sdk_dynamodb, config, &endpoints.dynamodb),
            eventbridge: client!(aws_sdk_eventbridge, config, &endpoints.eventbridge),
        }
    }

    /// Whether this integration serves `request`'s resource.
    pub fn serves(request: &TaskRequest) -> bool {
        match &request.kind {
            TaskKind::LambdaFunction => true,
            TaskKind::Service { resource_type, resource } => {
                let action = resource.split('.').next().unwrap_or_default();
                matches!(
                    (resource_type.as_str(), action),
                    ("lambda", "invoke")
                        | ("sqs", "sendMessage")
                        | ("sns", "publish")
                        | ("dynamodb", "getItem" | "putItem" | "updateItem" | "deleteItem")
                        | ("events", "putEvents")
                )
            }
            TaskKind::Activity => false,
        }
    }

    /// Makes the call; the result as the Task sees it.
    pub async fn call(&self, request: &TaskRequest) -> Result<Value, Failure> {
        let p = &request.parameters;
        let (service, action) = match &request.kind {
            TaskKind::LambdaFunction => return self.lambda(&request.resource, p, Shape::Classic).await,
            TaskKind::Service { resource_type, resource } => {
                (resource_type.as_str(), resource.split('.').next().unwrap_or_default())
            }
            TaskKind::Activity => return Err(unsupported(request)),
        };
        match (service, action) {
            ("lambda", "invoke") => {
                let function = text(p, "FunctionName")
                    .ok_or_else(|| Failure::new(names::RUNTIME, "lambda:invoke needs a FunctionName string"))?;
                let log_tail = p.get("LogType").and_then(Value::as_str) == Some("Tail");
                self.lambda(function, p, Shape::Optimized { log_tail }).await
            }
            ("sqs", "sendMessage") => self.sqs_send(p).await,
            ("sns", "publish") => self.sns_publish(p).await,
            ("dynamodb", "getItem") => self.ddb_get(p).await,
            ("dynamodb", "putItem") => self.ddb_put(p).await,
            ("dynamodb", "updateItem") => self.ddb_update(p).await,
            ("dynamodb", "deleteItem") => self.ddb_delete(p).await,
            ("events", "putEvents") => self.put_events(p).await,
            _ => Err(unsupported(request)),
        }
    }

    async fn lambda(&self, function: &str, p: &Value, shape: Shape) -> Result<Value, Failure> {
        // The classic resource sends the effective input as the payload;
        // lambda:invoke sends its `Payload` parameter.
        let payload = match shape {
            Shape::Classic => Some(p),
            Shape::Optimized { .. } => p.get("Payload"),
        };
        let body = payload.map(stepwise_asl::json::to_text).unwrap_or_else(|| "{}".to_owned());
        let mut call = self.lambda.invoke().function_name(function).payload(Blob::new(body.into_bytes()));
        if let Shape::Optimized { log_tail } = shape {
            if log_tail {
                call = call.log_type(aws_sdk_lambda::types::LogType::Tail);
            }
            if let Some(kind) = text(p, "InvocationType") {
                call = call.invocation_type(kind.into());
            }
            if let Some(qualifier) = text(p, "Qualifier") {
                call = call.qualifier(qualifier);
            }
            if let Some(context) = text(p, "ClientContext") {
                call = call.client_context(context);
            }
        }
        let out = call.send().await.map_err(|e| service_failure("Lambda", "AWSLambda", e))?;
        let payload = out.payload().map(|b| b.as_ref().to_vec()).unwrap_or_default();
        lambda_result(shape, &payload, out.function_error().is_some(), out.log_result().map(str::to_owned))
    }

    async fn sqs_send(&self, p: &Value) -> Result<Value, Failure> {
        let queue = required(p, "QueueUrl")?;
        let body = p.get("MessageBody").map(as_text).ok_or_else(|| missing("MessageBody"))?;
        let mut call = self.sqs.send_message().queue_url(queue).message_body(body);
        if let Some(delay) = p.get("DelaySeconds").and_then(Value::as_i64) {
            call = call.delay_seconds(delay as i32);
        }
        if let Some(group) = text(p, "MessageGroupId") {
            call = call.message_group_id(group);
        }
        if let Some(dedup) = text(p, "MessageDeduplicationId") {
            call = call.message_deduplication_id(dedup);
        }
        let out = call.send().await.map_err(|e| service_failure("SQS", "AmazonSQS", e))?;
        let mut result = Map::new();
        put(&mut result, "MD5OfMessageBody", out.md5_of_message_body());
        put(&mut result, "MessageId", out.message_id());
        put(&mut result, "SequenceNumber", out.sequence_number());
        Ok(with_metadata(result, request_id(&out)))
    }

    async fn sns_publish(&self, p: &Value) -> Result<Value, Failure> {
        let message = p.get("Message").map(as_text).ok_or_else(|| missing("Message"))?;
        let mut call = self.sns.publish().message(message);
        for (field, set) in [
            ("TopicArn", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::topic_arn as fn(_, _) -> _),
            ("TargetArn", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::target_arn),
            ("PhoneNumber", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::phone_number),
            ("Subject", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::subject),
            ("MessageStructure", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::message_structure),
            ("MessageGroupId", aws_sdk_sns::operation::publish::builders::PublishFluentBuilder::message_group_id),
        ] {
            if let Some(value) = text(p, field) {
                call = set(call, value.to_owned());
            }
        }
        let out = call.send().await.map_err(|e| service_failure("SNS", "AmazonSNS", e))?;
        let mut result = Map::new();
        put(&mut result, "MessageId", out.message_id());
        put(&mut result, "SequenceNumber", out.sequence_number());
        Ok(with_metadata(result, request_id(&out)))
    }

    async fn ddb_get(&self, p: &Value) -> Result<Value, Failure> {
        let mut call = self.dynamodb.get_item().table_name(required(p, "TableName")?).set_key(Some(item(p, "Key")?));
        if let Some(consistent) = p.get("ConsistentRead").and_then(Value::as_bool) {
            call = call.consistent_read(consistent);
        }
        if let Some(projection) = text(p, "ProjectionExpression") {
            call = call.projection_expression(projection);
        }
        call = call.set_expression_attribute_names(names_of(p)?);
        let out = call.send().await.map_err(|e| service_failure("DynamoDB", "AmazonDynamoDBv2", e))?;
        let mut result = Map::new();
        if let Some(found) = out.item() {
            result.insert("Item".to_owned(), to_json_item(found));
        }
        Ok(with_metadata(result, request_id(&out)))
    }

    async fn ddb_put(&self, p: &Value) -> Result<Value, Failure> {
        let out = self
            .dynamodb
            .put_item()
            .table_name(required(p, "TableName")?)
            .set_item(Some(item(p, "Item")?))
            .set_condition_expression(text(p, "ConditionExpression").map(str::to_owned))
            .set_expression_attribute_names(names_of(p)?)
            .set_expression_attribute_values(values_of(p)?)
            .set_return_values(text(p, "ReturnValues").map(Into::into))
            .send()
            .await
            .map_err(|e| service_failure("DynamoDB", "AmazonDynamoDBv2", e))?;
        Ok(with_metadata(attributes(out.attributes()), request_id(&out)))
    }

    async fn ddb_update(&self, p: &Value) -> Result<Value, Failure> {
        let out = self
            .dynamodb
            .update_item()
            .table_name(required(p, "TableName")?)
            .set_key(Some(item(p, "Key")?))
            .set_update_expression(text(p, "UpdateExpression").map(str::to_owned))
            .set_condition_expression(text(p, "ConditionExpression").map(str::to_owned))
            .set_expression_attribute_names(names_of(p)?)
            .set_expression_attribute_values(values_of(p)?)
            .set_return_values(text(p, "ReturnValues").map(Into::into))
            .send()
            .await
            .map_err(|e| service_failure("DynamoDB", "AmazonDynamoDBv2", e))?;
        Ok(with_metadata(attributes(out.attributes()), request_id(&out)))
    }

    async fn ddb_delete(&self, p: &Value) -> Result<Value, Failure> {
        let out = self
            .dynamodb
            .delete_item()
            .table_name(required(p, "TableName")?)
            .set_key(Some(item(p, "Key")?))
            .set_condition_expression(text(p, "ConditionExpression").map(str::to_owned))
            .set_expression_attribute_names(names_of(p)?)
            .set_expression_attribute_values(values_of(p)?)
            .set_return_values(text(p, "ReturnValues").map(Into::into))
            .send()
            .await
            .map_err(|e| service_failure("DynamoDB", "AmazonDynamoDBv2", e))?;
        Ok(with_metadata(attributes(out.attributes()), request_id(&out)))
    }

    async fn put_events(&self, p: &Value) -> Result<Value, Failure> {
        let entries = p.get("Entries").and_then(Value::as_array).ok_or_else(|| missing("Entries"))?;
        let mut call = self.eventbridge.put_events();
        for entry in entries {
            let resources = entry
                .get("Resources")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>());
            call = call.entries(
                aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
                    // `Detail` may be a JSON object; EventBridge takes its text.
                    .set_detail(entry.get("Detail").map(as_text))
                    .set_detail_type(text(entry, "DetailType").map(str::to_owned))
                    .set_source(text(entry, "Source").map(str::to_owned))
                    .set_event_bus_name(text(entry, "EventBusName").map(str::to_owned))
                    .set_resources(resources)
                    .build(),
            );
        }
        let out = call.send().await.map_err(|e| service_failure("EventBridge", "AmazonEventBridge", e))?;
        let entries: Vec<Value> = out
            .entries()
            .iter()
            .map(|e| {
                let mut entry = Map::new();
                put(&mut entry, "EventId", e.event_id());
                put(&mut entry, "ErrorCode", e.error_code());
                put(&mut entry, "ErrorMessage", e.error_message());
                Value::Object(entry)
            })
            .collect();
        Ok(json!({"Entries": entries, "FailedEntryCount": out.failed_entry_count()}))
    }
}

impl TaskInvoker for AwsTasks {
    async fn invoke(&self, request: &TaskRequest) -> TaskOutcome {
        if !Self::serves(request) {
            return TaskOutcome::Failed(unsupported(request));
        }
        match self.call(request).await {
            Ok(_) if request.pattern == IntegrationPattern::WaitForTaskToken => TaskOutcome::Waiting,
            Ok(result) => TaskOutcome::Succeeded(result),
            Err(failure) => TaskOutcome::Failed(failure),
        }
    }
}

fn unsupported(request: &TaskRequest) -> Failure {
    Failure::new(
        names::TASK_FAILED,
        format!("Stepwise does not integrate '{}' (state '{}')", request.resource, request.state_name),
    )
}

/// A service's error as Step Functions names it: `<Service>.<Code>Exception`,
/// with the AWS SDK for Java's cause text (`… (Service: AmazonDynamoDBv2;
/// Status Code: 400; Error Code: …; Request ID: …; Proxy: null)`). A call
/// that never got an answer fails with `<Service>.SdkClientException`.
fn service_failure<E>(service: &str, service_id: &str, error: SdkError<E>) -> Failure
where
    E: ProvideErrorMetadata + RequestId + std::error::Error + 'static,
{
    match &error {
        SdkError::ServiceError(e) => {
            let (err, status) = (e.err(), e.raw().status().as_u16());
            let code = err.code().unwrap_or("ServiceException");
            let cause = format!(
                "{} (Service: {service_id}; Status Code: {status}; Error Code: {code}; Request ID: {}; Proxy: null)",
                err.message().unwrap_or_default(),
                err.request_id().unwrap_or_default(),
            );
            Failure::new(format!("{service}.{}", exception_name(code)), cause)
        }
        other => Failure::new(
            format!("{service}.SdkClientException"),
            format!("Unable to execute HTTP request: {}", DisplayErrorContext(other)),
        ),
    }
}

/// The SDK's error around a response (the same type in every service crate).
type SdkError<E> = aws_sdk_dynamodb::error::SdkError<E, aws_sdk_dynamodb::config::http::HttpResponse>;

/// `com.amazonaws.sqs#QueueDoesNotExist`, `AWS.SimpleQueueService.NonExistentQueue`
/// → `QueueDoesNotExistException`; `ResourceNotFoundException` stays.
pub fn exception_name(code: &str) -> String {
    let code = if code.contains("NonExistentQueue") { "QueueDoesNotExist" } else { code };
    let last = code.rsplit(['#', '.']).next().unwrap_or(code);
    let last = last.split(':').next().unwrap_or(last);
    if last.ends_with("Exception") { last.to_owned() } else { format!("{last}Exception") }
}

fn request_id<T: RequestId>(out: &T) -> String {
    out.request_id().unwrap_or_default().to_owned()
}

/// The `SdkHttpMetadata` and `SdkResponseMetadata` fields the optimized
/// integrations add to a result (connect-ddb, connect-sqs, connect-sns).
fn with_metadata(mut result: Map<String, Value>, request_id: String) -> Value {
    result.insert(
        "SdkHttpMetadata".to_owned(),
        json!({
            "AllHttpHeaders": {"Content-Type": ["application/x-amz-json-1.0"], "x-amzn-RequestId": [request_id]},
            "HttpHeaders": {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": request_id},
            "HttpStatusCode": 200
        }),
    );
    result.insert("SdkResponseMetadata".to_owned(), json!({"RequestId": request_id}));
    Value::Object(result)
}

fn put(map: &mut Map<String, Value>, field: &str, value: Option<&str>) {
    if let Some(v) = value {
        map.insert(field.to_owned(), Value::String(v.to_owned()));
    }
}

fn text<'v>(p: &'v Value, field: &str) -> Option<&'v str> {
    p.get(field).and_then(Value::as_str)
}

fn missing(field: &str) -> Failure {
    Failure::new(names::RUNTIME, format!("The field '{field}' is required by this integration"))
}

fn required<'v>(p: &'v Value, field: &str) -> Result<&'v str, Failure> {
    text(p, field).ok_or_else(|| missing(field))
}

/// A message body: strings as they are, anything else as its JSON text.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => stepwise_asl::json::to_text(other),
    }
}

fn attributes(found: Option<&HashMap<String, AttributeValue>>) -> Map<String, Value> {
    let mut result = Map::new();
    if let Some(found) = found {
        result.insert("Attributes".to_owned(), to_json_item(found));
    }
    result
}

fn item(p: &Value, field: &str) -> Result<HashMap<String, AttributeValue>, Failure> {
    let map = p.get(field).and_then(Value::as_object).ok_or_else(|| missing(field))?;
    map.iter().map(|(k, v)| Ok((k.clone(), to_attribute(v)?))).collect()
}

fn names_of(p: &Value) -> Result<Option<HashMap<String, String>>, Failure> {
    let Some(names) = p.get("ExpressionAttributeNames") else { return Ok(None) };
    let map = names.as_object().ok_or_else(|| missing("ExpressionAttributeNames"))?;
    Ok(Some(map.iter().map(|(k, v)| (k.clone(), as_text(v))).collect()))
}

fn values_of(p: &Value) -> Result<Option<HashMap<String, AttributeValue>>, Failure> {
    if p.get("ExpressionAttributeValues").is_none() {
        return Ok(None);
    }
    item(p, "ExpressionAttributeValues").map(Some)
}

/// DynamoDB's JSON (`{"S": "x"}`, `{"N": "1"}`, `{"M": {…}}`, …) to an
/// attribute value.
pub fn to_attribute(value: &Value) -> Result<AttributeValue, Failure> {
    let bad = || Failure::new(names::RUNTIME, format!("Not a DynamoDB attribute value: {}", as_text(value)));
    let object = value.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
    let (kind, inner) = object.iter().next().ok_or_else(bad)?;
    let strings = |v: &Value| -> Result<Vec<String>, Failure> {
        v.as_array().ok_or_else(bad)?.iter().map(|s| s.as_str().map(str::to_owned).ok_or_else(bad)).collect()
    };
    let blob = |v: &Value| -> Result<aws_sdk_dynamodb::primitives::Blob, Failure> {
        let text = v.as_str().ok_or_else(bad)?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| bad())?;
        Ok(aws_sdk_dynamodb::primitives::Blob::new(bytes))
    };
    Ok(match kind.as_str() {
        "S" => AttributeValue::S(inner.as_str().ok_or_else(bad)?.to_owned()),
        "N" => AttributeValue::N(match inner {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(bad()),
        }),
        "BOOL" => AttributeValue::Bool(inner.as_bool().ok_or_else(bad)?),
        "NULL" => AttributeValue::Null(inner.as_bool().ok_or_else(bad)?),
        "B" => AttributeValue::B(blob(inner)?),
        "SS" => AttributeValue::Ss(strings(inner)?),
        "NS" => AttributeValue::Ns(strings(inner)?),
        "BS" => AttributeValue::Bs(inner.as_array().ok_or_else(bad)?.iter().map(blob).collect::<Result<_, _>>()?),
        "L" => AttributeValue::L(inner.as_array().ok_or_else(bad)?.iter().map(to_attribute).collect::<Result<_, _>>()?),
        "M" => AttributeValue::M(
            inner
                .as_object()
                .ok_or_else(bad)?
                .iter()
                .map(|(k, v)| Ok((k.clone(), to_attribute(v)?)))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(bad()),
    })
}

/// An attribute value as DynamoDB's JSON.
pub fn to_json(value: &AttributeValue) -> Value {
    let b64 = |b: &aws_sdk_dynamodb::primitives::Blob| base64::engine::general_purpose::STANDARD.encode(b.as_ref());
    match value {
        AttributeValue::S(s) => json!({"S": s}),
        AttributeValue::N(n) => json!({"N": n}),
        AttributeValue::Bool(b) => json!({"BOOL": b}),
        AttributeValue::Null(b) => json!({"NULL": b}),
        AttributeValue::B(b) => json!({"B": b64(b)}),
        AttributeValue::Ss(s) => json!({"SS": s}),
        AttributeValue::Ns(s) => json!({"NS": s}),
        AttributeValue::Bs(s) => json!({"BS": s.iter().map(b64).collect::<Vec<_>>()}),
        AttributeValue::L(l) => json!({"L": l.iter().map(to_json).collect::<Vec<_>>()}),
        AttributeValue::M(m) => json!({"M": to_json_item(m)}),
        _ => Value::Null,
    }
}

fn to_json_item(item: &HashMap<String, AttributeValue>) -> Value {
    // Sorted by name so the result does not depend on hashing.
    let mut keys: Vec<&String> = item.keys().collect();
    keys.sort();
    Value::Object(keys.into_iter().map(|k| (k.clone(), to_json(&item[k]))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_become_step_functions_exception_names() {
        // "Learning to use AWS service SDK integrations": always the
        // Exception suffix (S3's BucketAlreadyExists → S3.BucketAlreadyExistsException).
        assert_eq!(exception_name("ConditionalCheckFailedException"), "ConditionalCheckFailedException");
        assert_eq!(exception_name("com.amazonaws.sqs#QueueDoesNotExist"), "QueueDoesNotExistException");
        assert_eq!(exception_name("AWS.SimpleQueueService.NonExistentQueue"), "QueueDoesNotExistException");
        assert_eq!(exception_name("NotFound"), "NotFoundException");
    }

    #[test]
    fn dynamodb_json_round_trips_every_type() {
        let value = json!({"M": {"s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"B": "AAE="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1"]}, "bs": {"BS": ["AA=="]},
            "l": {"L": [{"S": "y"}, {"N": "2"}]}}});
        let attribute = to_attribute(&value).unwrap();
        let mut back = to_json(&attribute);
        // Map keys come back sorted.
        let mut want = value.clone();
        want["M"].as_object_mut().unwrap().sort_keys();
        back["M"].as_object_mut().unwrap().sort_keys();
        assert_eq!(back, want);
        assert!(to_attribute(&json!({"S": 1})).is_err());
        assert!(to_attribute(&json!({"X": "1"})).is_err());
        assert!(to_attribute(&json!("plain")).is_err());
    }
}
