"""moto as a server that answers one request at a time.

moto_server's default is threaded, and its DynamoDB transactions copy and restore tables
without a lock: concurrent transactions can both win a guard item (docs/architecture.md, "Tests"; docs/decisions/0002-moto-serialised.md).
Serialised, it is exact, so ChatApp's concurrency tests test ChatApp, not moto.

moto 5.2 also deep-copies a table once per item of a TransactWriteItems (its rollback copy),
so a 100-item transaction on a table of thousands of items takes seconds. The copies are all
of the same moment and only the last one is kept, so copying each table once per transaction
keeps the behaviour and removes the waste.
"""
import copy
import sys

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, run_simple


class _TableCopiesOncePerTransaction:
    """Stands in for the `copy` module inside moto.dynamodb.models."""

    def __init__(self):
        self.memo = None

    def deepcopy(self, obj, memo=None):
        if self.memo is not None and isinstance(obj, Table):
            if id(obj) not in self.memo:
                self.memo[id(obj)] = copy.deepcopy(obj)
            return self.memo[id(obj)]
        return copy.deepcopy(obj, memo)

    def __getattr__(self, name):
        return getattr(copy, name)


_copies = _TableCopiesOncePerTransaction()
dynamodb_models.copy = _copies
_transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items


def _transact_write_items_copying_once(self, transact_items):
    _copies.memo = {}
    try:
        return _transact_write_items(self, transact_items)
    finally:
        _copies.memo = None


dynamodb_models.DynamoDBBackend.transact_write_items = _transact_write_items_copying_once


class _HandlerWithTimeout(WSGIRequestHandler):
    """One request at a time means one silent connection stops every other client: a test JVM
    once held a connection open without sending a request, and every later request (a fixture's
    reset among them) waited behind it for good. A connection silent for this many seconds is
    closed, so the others go on."""

    timeout = 30


if __name__ == "__main__":
    port = int(sys.argv[1])
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, app, threaded=False, use_reloader=False, request_handler=_HandlerWithTimeout)
