#!/usr/bin/env bash
# Measures ChatApp's cold start (process start to readiness UP) over N runs (default 5), each
# on a fresh data directory, the CPU seconds the process used until then (less sensitive to a
# busy machine than the wall time; the JIT compiler threads' share apart, with the 1-minute load
# average of each run), and the resident memory (VmRSS) 10 s after the last one is
# ready, idle. Two ways to start, as README says:
#   jar      java -jar server/target/chatapp-exec.jar serve   (no JVM options)
#   chatapp  ./chatapp serve   (the extracted jar with JDK 25's AOT cache; prepared once before
#            the timed runs if the build is newer than the cache)
# Both use Spring's AOT processing (docs/decisions/0058-spring-aot.md); CHATAPP_SPRING_AOT=off
# measures them without it (java -jar gets -Dspring.aot.enabled=false; ./chatapp trains and uses a
# JDK cache of its own in that mode).
# Usage: scripts/measure-startup.sh [runs] [jar|chatapp|both]   (default: 5 both)
# Prints the figures for docs/benchmarks.md, with the load average before and after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
which="${2:-both}"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME
jar="$root/server/target/chatapp-exec.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package -pl server -am)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Starts the server the given way on a fresh data directory; sets pid, ms (to ready), cpu_ms.
start_once() {
  local how="$1" dir start end ticks
  dir="$(mktemp -d -p "$scratch")/data"
  start=$(date +%s%N)
  if [ "$how" = jar ]; then
    # shellcheck disable=SC2046
    CHATAPP_PORT=$port CHATAPP_DATA_DIR="$dir" "$JAVA_HOME/bin/java" \
      $( [ "${CHATAPP_SPRING_AOT:-on}" = off ] && echo -Dspring.aot.enabled=false ) -jar "$jar" serve >"$scratch/log" 2>&1 &
  else
    CHATAPP_PORT=$port CHATAPP_DATA_DIR="$dir" "$root/chatapp" serve >"$scratch/log" 2>&1 &
  fi
  pid=$!
  # One poller process, not a curl and a sleep every 20 ms: each curl cost about 13 ms of CPU, a
  # second or more over a start, taken from the two cores the server starts on (docs/benchmarks.md,
  # "The readiness poll's own cost").
  python3 "$root/scripts/await-ready.py" "$port" "$pid" || { echo "the server exited:"; tail -20 "$scratch/log"; exit 1; }
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  ticks=$(tree_ticks "$pid")
  cpu_ms=$(( ticks * 1000 / $(getconf CLK_TCK) ))
  jit_ms=$(( $(tree_ticks "$pid" jit) * 1000 / $(getconf CLK_TCK) ))
  load="$(cut -d' ' -f1 /proc/loadavg)"
  started="$(grep -o 'Started ChatApp in [0-9.]* seconds (process running for [0-9.]*)' "$scratch/log" | head -1 || true)"
}

# CPU ticks (user + system) of a process and its children (the launcher's server JVM), with
# the children it has already waited for (./chatapp's own commands before it became the JVM);
# with "jit" as second argument, only the JIT compiler threads' (C1, C2).
tree_ticks() {
  local t=0 c task
  if [ "${2:-}" = jit ]; then
    for task in /proc/"$1"/task/*; do
      case "$(cat "$task/comm" 2>/dev/null)" in
        C1*|C2*) t=$((t + $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0))) ;;
      esac
    done
  else
    t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0)
  fi
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    t=$((t + $(tree_ticks "$c" "${2:-}")))
  done
  echo "$t"
}

# Resident memory (kB) of a process and its children.
tree_rss_kb() {
  local k c
  k=$(awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    k=$((k + $(tree_rss_kb "$c")))
  done
  echo "$k"
}

stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

measure() {
  local how="$1" times=() cpus=() rss_kb=0
  for i in $(seq 1 "$runs"); do
    start_once "$how"
    times+=("$ms"); cpus+=("$cpu_ms")
    echo "  $how run $i: ${ms} ms to ready, ${cpu_ms} ms CPU (JIT compilers ${jit_ms} ms), load $load; $started"
    if [ "$i" -eq "$runs" ]; then
      sleep 10
      rss_kb=$(tree_rss_kb "$pid")
    fi
    stop
  done
  echo "== $how: $( [ "$how" = jar ] && echo "java -jar server/target/chatapp-exec.jar serve" || echo "./chatapp serve")"
  echo "cold start to readiness UP, $runs runs (ms): ${times[*]}"
  awk -v m="$(median "${times[@]}")" 'BEGIN {printf "median: %.2f s\n", m / 1000}'
  echo "CPU used until ready (ms): ${cpus[*]}; median $(median "${cpus[@]}")"
  echo "resident memory at idle (VmRSS, 10 s after ready, with the launcher's if any): $((rss_kb / 1024)) MiB"
}

echo "Spring AOT: ${CHATAPP_SPRING_AOT:-on}; JDK AOT cache: ${CHATAPP_AOT:-on}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${CHATAPP_AOT:-on}" != off ]; then
  # the first ./chatapp serve after a build prepares the AOT cache (a training run): not timed
  start_once chatapp; stop
  if grep -q "starting without it" "$scratch/log"; then
    echo "note: ./chatapp could not prepare its AOT cache (server/target/aot-training.log)"
  fi
fi
case "$which" in
  jar) measure jar ;;
  chatapp) measure chatapp ;;
  *) measure jar; measure chatapp ;;
esac
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
