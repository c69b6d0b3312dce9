"""`stepwise serve --backend aws` driven by boto3, as users drive AWS.

Run by cli/tests/serve_aws.rs with STEPWISE_ENDPOINT (the server),
MOTO_ENDPOINT (the DynamoDB/SQS/EventBridge it runs on), STEPWISE_TABLE and
STEPWISE_EVENT_BUS set. Expected values come from the Step Functions
Developer Guide: the console's HelloWorld sample
(examples/hello-world.asl.json), the history event types of
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html,
and the Map and Parallel states' documented outputs (an array of the
branches' or iterations' outputs, in order).
"""
import collections
import json
import os
import pathlib
import time
import unittest

import boto3

ENDPOINT = os.environ["STEPWISE_ENDPOINT"]
MOTO = os.environ["MOTO_ENDPOINT"]
ROLE = "arn:aws:iam::123456789012:role/DummyRole"
SFN = boto3.client("stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1")
DYNAMODB = boto3.client("dynamodb", endpoint_url=MOTO, region_name="us-east-1")
ROOT = pathlib.Path(__file__).resolve().parents[2]

MAP_OF_WAITS = {
    "StartAt": "Items",
    "States": {
        "Items": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Nap",
                "States": {
                    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
                    "Done": {"Type": "Pass", "Parameters": {"item.$": "$"}, "End": True},
                },
            },
            "ResultPath": "$.results",
            "End": True,
        }
    },
}


def wait_done(arn, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = SFN.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.2)
    raise AssertionError(f"{arn} still running after {timeout} s")


def history(arn):
    """The whole history, read in pages of 5 to exercise nextToken."""
    events, kwargs = [], {"executionArn": arn, "maxResults": 5}
    while True:
        page = SFN.get_execution_history(**kwargs)
        events.extend(page["events"])
        if "nextToken" not in page:
            return events
        kwargs["nextToken"] = page["nextToken"]


class AwsBackend(unittest.TestCase):
    def check_ids(self, events):
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)), "ids are 1..n")
        for e in events[1:]:
            self.assertLess(e.get("previousEventId", 0), e["id"])

    def check_stored_in_dynamodb(self, execution_arn):
        """The execution's head is an item of the DynamoDB table on moto."""
        got = DYNAMODB.get_item(
            TableName=os.environ["STEPWISE_TABLE"],
            Key={"pk": {"S": f"EX#{execution_arn}"}, "sk": {"S": "X#H"}},
            ConsistentRead=True,
        )
        self.assertIn("Item", got, "the execution lives in DynamoDB")
        self.assertEqual(got["Item"]["status"]["S"], "SUCCEEDED")

    def test_hello_world_sample_succeeds_with_its_whole_history(self):
        definition = (ROOT / "examples/hello-world.asl.json").read_text()
        sm = SFN.create_state_machine(name="HelloWorld", definition=definition, roleArn=ROLE)["stateMachineArn"]
        given = {"IsHelloWorldExample": True}
        arn = SFN.start_execution(stateMachineArn=sm, name="hello", input=json.dumps(given))["executionArn"]
        self.assertEqual(arn, "arn:aws:states:us-east-1:123456789012:execution:HelloWorld:hello")
        done = wait_done(arn)
        self.assertEqual(done["status"], "SUCCEEDED", done)
        # The Parallel's output is its branches' outputs in order; the last
        # Pass passes it on.
        self.assertEqual(json.loads(done["output"]), [given, given])
        self.assertGreaterEqual((done["stopDate"] - done["startDate"]).total_seconds(), 3, "Wait 3 sec waited")

        events = history(arn)
        self.check_ids(events)
        types = [e["type"] for e in events]
        top = ["ExecutionStarted",
               "PassStateEntered", "PassStateExited",
               "ChoiceStateEntered", "ChoiceStateExited",
               "PassStateEntered", "PassStateExited",
               "WaitStateEntered", "WaitStateExited",
               "ParallelStateEntered", "ParallelStateStarted"]
        self.assertEqual(types[:len(top)], top)
        tail = ["ParallelStateSucceeded", "ParallelStateExited", "PassStateEntered", "PassStateExited",
                "ExecutionSucceeded"]
        self.assertEqual(types[-len(tail):], tail)
        # The branches run concurrently: their events may interleave.
        branches = events[len(top):-len(tail)]
        named = collections.Counter(
            (e["type"], (e.get("stateEnteredEventDetails") or e.get("stateExitedEventDetails"))["name"])
            for e in branches)
        self.assertEqual(named, collections.Counter({
            ("PassStateEntered", "Hello"): 1, ("PassStateExited", "Hello"): 1,
            ("PassStateEntered", "World"): 1, ("PassStateExited", "World"): 1}))
        entered = [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]
        self.assertEqual(entered[:4], ["Pass", "Hello World example?", "Yes", "Wait 3 sec"])
        self.assertEqual(entered[-1], "Hello World")
        self.assertEqual(json.loads(events[-1]["executionSucceededEventDetails"]["output"]), [given, given])
        self.assertEqual(history(arn)[::-1], SFN.get_execution_history(executionArn=arn, reverseOrder=True)["events"])
        self.check_stored_in_dynamodb(arn)

    def test_map_of_waits_succeeds_with_every_iteration_in_its_history(self):
        sm = SFN.create_state_machine(name="MapOfWaits", definition=json.dumps(MAP_OF_WAITS),
                                      roleArn=ROLE)["stateMachineArn"]
        arn = SFN.start_execution(stateMachineArn=sm, input=json.dumps({"items": [1, 2, 3]}))["executionArn"]
        done = wait_done(arn)
        self.assertEqual(done["status"], "SUCCEEDED", done)
        self.assertEqual(json.loads(done["output"]),
                         {"items": [1, 2, 3], "results": [{"item": 1}, {"item": 2}, {"item": 3}]})
        # Three one-second Waits, two at a time.
        self.assertGreaterEqual((done["stopDate"] - done["startDate"]).total_seconds(), 2)

        events = history(arn)
        self.check_ids(events)
        types = [e["type"] for e in events]
        self.assertEqual(types[:3], ["ExecutionStarted", "MapStateEntered", "MapStateStarted"])
        self.assertEqual(types[-3:], ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])
        self.assertEqual(collections.Counter(types), collections.Counter({
            "ExecutionStarted": 1, "MapStateEntered": 1, "MapStateStarted": 1,
            "MapIterationStarted": 3, "WaitStateEntered": 3, "WaitStateExited": 3,
            "PassStateEntered": 3, "PassStateExited": 3, "MapIterationSucceeded": 3,
            "MapStateSucceeded": 1, "MapStateExited": 1, "ExecutionSucceeded": 1}))
        indexes = sorted(e["mapIterationStartedEventDetails"]["index"] for e in events
                         if e["type"] == "MapIterationStarted")
        self.assertEqual(indexes, [0, 1, 2])
        listed = SFN.list_executions(stateMachineArn=sm, statusFilter="SUCCEEDED")["executions"]
        self.assertEqual([e["executionArn"] for e in listed], [arn])
        self.check_stored_in_dynamodb(arn)


if __name__ == "__main__":
    unittest.main(verbosity=2)
