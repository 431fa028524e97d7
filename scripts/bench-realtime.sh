#!/usr/bin/env bash
# Measures the built-in WebSocket gateway (docs/benchmarks.md, "Real-time"): memory per idle
# connection and sender-to-recipient latency, against the runnable jar started in its own JVM.
# Usage: scripts/bench-realtime.sh [idleConnections=5000] [pairs=20] [messagesPerPair=150] [ratePerPair=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME
./mvnw -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test -pl server -am
cp="server/target/test-classes:server/target/classes:$(cat server/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dchatapp.jar=server/target/chatapp-exec.jar \
  -cp "$cp" chatapp.server.realtime.RealtimeBench "$@"
