"""moto's server, with its DynamoDB requests handled one at a time.

moto answers requests on threads and does not isolate a TransactWriteItems
from a concurrent write: two transactions conditioned on the same item can
both pass their conditions and both write, which DynamoDB never allows
("Transactions are serializable": Amazon DynamoDB Developer Guide,
"Isolation levels for DynamoDB transactions"). The engine relies on that
isolation, so the tests run moto with one lock around its DynamoDB handler.
SQS and EventBridge stay concurrent (a long poll must not block the rest).

Usage: python moto_serial.py [moto_server arguments]
"""
import sys
import threading

from moto.dynamodb.responses import DynamoHandler
from moto.server import main

_LOCK = threading.Lock()
_CALL_ACTION = DynamoHandler.call_action


def _serialized(self):
    with _LOCK:
        return _CALL_ACTION(self)


DynamoHandler.call_action = _serialized

if __name__ == "__main__":
    main(sys.argv[1:])
