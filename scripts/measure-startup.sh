#!/usr/bin/env bash
# Measures ChatApp's cold start (process start to readiness UP) over N runs (default 5), each
# on a fresh data directory, and the resident memory (VmRSS) 10 s after the last one is ready,
# idle. Usage: scripts/measure-startup.sh [runs]. Prints the figures for docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
JAVA_HOME="$("$root/scripts/java-home.sh")"
jar="$root/server/target/chatapp-exec.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package -pl server -am)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
times=()
for i in $(seq 1 "$runs"); do
  dir="$(mktemp -d)/data"
  start=$(date +%s%N)
  CHATAPP_PORT=$port CHATAPP_DATA_DIR="$dir" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; do sleep 0.02; done
  end=$(date +%s%N)
  times+=("$(( (end - start) / 1000000 ))")
  if [ "$i" -eq "$runs" ]; then
    sleep 10
    rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "cold start to readiness UP, $runs runs (ms): ${times[*]}"
awk -v m="$median" 'BEGIN {printf "median: %.2f s\n", m / 1000}'
echo "resident memory at idle (VmRSS, 10 s after ready): $((rss_kb / 1024)) MiB"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
