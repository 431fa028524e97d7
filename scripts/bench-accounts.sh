#!/usr/bin/env bash
# Sign-up and login latency of the one-machine shape (docs/benchmarks.md, "Accounts").
# Usage: scripts/bench-accounts.sh [registrations=800] [logins=800] [clients=16]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME
cd "$root"
./mvnw -q -B -pl server -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt >/dev/null
cp="server/target/test-classes:server/target/classes:$(cat server/target/test-classpath.txt)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" chatapp.server.account.AccountsBenchmark "$@"
