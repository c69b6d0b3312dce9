"""The Step Functions API of `stepwise serve`, driven by boto3 as users drive AWS.

Run by cli/tests/serve.rs with STEPWISE_ENDPOINT set. Expected values come
from the Step Functions API reference (field names, error codes) and the
Step Functions Local HelloWorld walk-through.
"""
import json
import os
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["STEPWISE_ENDPOINT"]
ROLE = "arn:aws:iam::012345678901:role/DummyRole"
SFN = boto3.client("stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1")
# StartSyncExecution goes to a "sync-" host on AWS; a local endpoint needs
# botocore told not to prefix the host.
SYNC = boto3.client("stepfunctions", endpoint_url=ENDPOINT, region_name="us-east-1",
                    config=Config(inject_host_prefix=False))

PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def error_code(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def wait_done(arn, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = SFN.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError("execution still running")


class ServeApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pass_arn = SFN.create_state_machine(name="Passes", definition=json.dumps(PASS), roleArn=ROLE)["stateMachineArn"]
        cls.wait_arn = SFN.create_state_machine(name="Waits", definition=json.dumps(WAIT), roleArn=ROLE)["stateMachineArn"]

    def test_start_describe_and_output(self):
        arn = SFN.start_execution(stateMachineArn=self.pass_arn, name="one", input='{"k": 1}')["executionArn"]
        self.assertEqual(arn, "arn:aws:states:us-east-1:123456789012:execution:Passes:one")
        done = wait_done(arn)
        self.assertEqual(done["status"], "SUCCEEDED")
        self.assertEqual(json.loads(done["output"]), {"k": 1})
        self.assertIn("stopDate", done)

    def test_history_pages_forward_and_reverse(self):
        arn = SFN.start_execution(stateMachineArn=self.pass_arn, name="paged", input="{}")["executionArn"]
        wait_done(arn)
        types, token = [], None
        while True:
            kwargs = {"executionArn": arn, "maxResults": 2}
            if token:
                kwargs["nextToken"] = token
            page = SFN.get_execution_history(**kwargs)
            self.assertLessEqual(len(page["events"]), 2)
            types += [e["type"] for e in page["events"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(types, ["ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
                                 "PassStateExited", "ExecutionSucceeded"])
        last = SFN.get_execution_history(executionArn=arn, reverseOrder=True, maxResults=1)["events"][0]
        self.assertEqual((last["type"], last["id"]), ("ExecutionSucceeded", 6))

    def test_list_executions_filters_and_pages(self):
        for n in range(3):
            wait_done(SFN.start_execution(stateMachineArn=self.pass_arn, name=f"listed-{n}")["executionArn"])
        seen, token = [], None
        while True:
            kwargs = {"stateMachineArn": self.pass_arn, "statusFilter": "SUCCEEDED", "maxResults": 1}
            if token:
                kwargs["nextToken"] = token
            page = SFN.list_executions(**kwargs)
            seen += [e["name"] for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertTrue({"listed-0", "listed-1", "listed-2"} <= set(seen))
        running = SFN.list_executions(stateMachineArn=self.pass_arn, statusFilter="RUNNING")["executions"]
        self.assertEqual(running, [])

    def test_stop_execution_and_same_name_rules(self):
        arn = SFN.start_execution(stateMachineArn=self.wait_arn, name="long", input="{}")["executionArn"]
        # Same name and input while running: the same execution (StartExecution idempotency).
        again = SFN.start_execution(stateMachineArn=self.wait_arn, name="long", input="{}")["executionArn"]
        self.assertEqual(arn, again)
        self.assertEqual(error_code(SFN.start_execution, stateMachineArn=self.wait_arn, name="long", input='{"x": 1}'),
                         "ExecutionAlreadyExists")
        SFN.stop_execution(executionArn=arn, error="Operator", cause="done waiting")
        stopped = SFN.describe_execution(executionArn=arn)
        self.assertEqual(stopped["status"], "ABORTED")
        history = SFN.get_execution_history(executionArn=arn)["events"]
        self.assertEqual(history[-1]["type"], "ExecutionAborted")
        self.assertEqual(history[-1]["executionAbortedEventDetails"], {"error": "Operator", "cause": "done waiting"})

    def test_error_codes(self):
        missing = "arn:aws:states:us-east-1:123456789012:execution:Passes:nope"
        self.assertEqual(error_code(SFN.describe_execution, executionArn=missing), "ExecutionDoesNotExist")
        self.assertEqual(error_code(SFN.describe_execution, executionArn="not-an-arn"), "InvalidArn")
        self.assertEqual(error_code(SFN.describe_state_machine,
                                    stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:Nope"),
                         "StateMachineDoesNotExist")
        bad = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
        self.assertEqual(error_code(SFN.create_state_machine, name="Bad", definition=json.dumps(bad), roleArn=ROLE),
                         "InvalidDefinition")
        self.assertEqual(error_code(SFN.start_execution, stateMachineArn=self.pass_arn, input="{not json"),
                         "InvalidExecutionInput")
        self.assertEqual(error_code(SFN.send_task_success, taskToken="x" * 40, output="{}"), "TaskDoesNotExist")

    def test_start_sync_execution_runs_an_express_machine_to_its_end(self):
        arn = SFN.create_state_machine(name="Quick", definition=json.dumps(PASS), roleArn=ROLE,
                                       type="EXPRESS")["stateMachineArn"]
        answer = SYNC.start_sync_execution(stateMachineArn=arn, name="now", input='{"v": 2}')
        self.assertEqual(answer["status"], "SUCCEEDED")
        self.assertEqual(json.loads(answer["output"]), {"v": 2})
        self.assertTrue(answer["executionArn"].startswith(
            "arn:aws:states:us-east-1:123456789012:express:Quick:now:"))
        self.assertGreaterEqual(answer["billingDetails"]["billedDurationInMilliseconds"], 100)
        self.assertEqual(error_code(SYNC.start_sync_execution, stateMachineArn=self.pass_arn),
                         "StateMachineTypeNotSupported")

    def test_tags_round_trip(self):
        arn = SFN.create_state_machine(name="Tagged", definition=json.dumps(PASS), roleArn=ROLE,
                                       tags=[{"key": "team", "value": "a"}])["stateMachineArn"]
        SFN.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}])
        self.assertEqual(SFN.list_tags_for_resource(resourceArn=arn)["tags"],
                         [{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}])
        SFN.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(SFN.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "env", "value": "dev"}])
        self.assertEqual(error_code(SFN.list_tags_for_resource, resourceArn=arn + "Gone"), "ResourceNotFound")

    def test_validate_definition(self):
        bad = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
        answer = SFN.validate_state_machine_definition(definition=json.dumps(bad))
        self.assertEqual(answer["result"], "FAIL")
        self.assertEqual(answer["diagnostics"][0]["code"], "MISSING_TRANSITION_TARGET")
        self.assertEqual(answer["diagnostics"][0]["location"], "/States/A/Next")
        self.assertEqual(SFN.validate_state_machine_definition(definition=json.dumps(PASS))["result"], "OK")


if __name__ == "__main__":
    unittest.main(verbosity=2)
