#!/usr/bin/env bash
# Measures the AWS shape on this machine with moto (docs/benchmarks.md, "AWS shape"): the Lambda
# handlers' cold start in a fresh JVM (the local API Gateway, to the first hello and the first pong)
# over N runs (default 5), and sender-to-recipient latency through the harness over M messages
# (default 200). Usage: scripts/measure-aws-shape.sh [runs] [messages]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME
[ -f server/target/chatapp-exec.jar ] && [ -f apigateway-local/target/chatapp-apigateway-local.jar ] \
  || ./mvnw -q -B -DskipTests package -pl server,apigateway-local -am
[ -x "${CHATAPP_MOTO_PYTHON:-.venv/bin/python}" ] || { echo "no moto venv: python3 -m venv .venv && .venv/bin/pip install -r scripts/test-requirements.txt" >&2; exit 1; }
exec "$JAVA_HOME/bin/java" scripts/AwsShapeBench.java "${1:-5}" "${2:-200}"
