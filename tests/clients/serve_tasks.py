"""boto3 against `stepwise serve --dynamodb-endpoint/--sqs-endpoint MOTO`:
Task states that call DynamoDB and SQS for real, on moto's server.

Expected shapes: "Call DynamoDB with Step Functions" (connect-ddb: getItem's
result carries `Item` in DynamoDB's JSON) and "Send messages to SQS"
(connect-sqs: the message body a JSON object becomes its text); error names
`DynamoDB.ConditionalCheckFailedException` as the SDK-integration page
names service errors.
"""
import json
import os
import time

import boto3
from botocore.config import Config

endpoint = os.environ["STEPWISE_ENDPOINT"]
moto = os.environ["MOTO_ENDPOINT"]
suffix = str(os.getpid())
sfn = boto3.client("stepfunctions", endpoint_url=endpoint, config=Config(inject_host_prefix=False))
ddb = boto3.client("dynamodb", endpoint_url=moto)
sqs = boto3.client("sqs", endpoint_url=moto)

table = f"employees-{suffix}"
ddb.create_table(
    TableName=table,
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    BillingMode="PAY_PER_REQUEST",
)
queue_url = sqs.create_queue(QueueName=f"notices-{suffix}")["QueueUrl"]

definition = {
    "StartAt": "Put",
    "States": {
        "Put": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "name": {"S.$": "$.name"}}},
            "ResultPath": None,
            "Next": "Get",
        },
        "Get": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}},
            "ResultSelector": {"name.$": "$.Item.name.S"},
            "ResultPath": "$.found",
            "Next": "Notify",
        },
        "Notify": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": queue_url, "MessageBody": {"hello.$": "$.found.name"}},
            "ResultSelector": {"id.$": "$.MessageId"},
            "ResultPath": "$.notice",
            "Next": "PutAgain",
        },
        "PutAgain": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {
                "TableName": table,
                "Item": {"id": {"S.$": "$.id"}},
                "ConditionExpression": "attribute_not_exists(id)",
            },
            "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "ResultPath": "$.caught", "Next": "Done"}],
            "End": True,
        },
        "Done": {"Type": "Pass", "End": True},
    },
}
arn = sfn.create_state_machine(
    name=f"tasks-{suffix}", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
)["stateMachineArn"]
execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"id": "e-1", "name": "Ada"}))["executionArn"]
for _ in range(200):
    described = sfn.describe_execution(executionArn=execution)
    if described["status"] != "RUNNING":
        break
    time.sleep(0.05)
assert described["status"] == "SUCCEEDED", described
output = json.loads(described["output"])
assert output["found"] == {"name": "Ada"}, output
assert output["notice"]["id"], output
assert output["caught"]["Error"] == "DynamoDB.ConditionalCheckFailedException", output
item = ddb.get_item(TableName=table, Key={"id": {"S": "e-1"}})["Item"]
assert item == {"id": {"S": "e-1"}, "name": {"S": "Ada"}}, item
message = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]
assert json.loads(message["Body"]) == {"hello": "Ada"}, message
assert message["MessageId"] == output["notice"]["id"], (message, output)
print("serve_tasks: OK")
