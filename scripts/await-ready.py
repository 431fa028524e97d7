"""Waits until ChatApp on 127.0.0.1:<port> answers its readiness probe with 200.

Usage: await-ready.py <port> <pid>. Polls every 10 ms from one process (a curl per poll costs
the starting server CPU it needs); exits 1 as soon as process <pid> is gone, 0 when ready.
"""
import http.client
import os
import sys
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])
while True:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/actuator/health/readiness")
        if conn.getresponse().status == 200:
            sys.exit(0)
    except OSError:
        pass
    finally:
        conn.close()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(1)
    time.sleep(0.01)
