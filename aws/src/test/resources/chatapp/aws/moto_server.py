"""moto as a server that answers one request at a time.

moto_server's default is threaded, and its DynamoDB transactions copy and restore tables
without a lock: concurrent transactions can both win a guard item (see shared/AWS-TESTING.md).
Serialised, it is exact, so ChatApp's concurrency tests test ChatApp, not moto.
"""
import sys

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

if __name__ == "__main__":
    port = int(sys.argv[1])
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, app, threaded=False, use_reloader=False)
