#!/usr/bin/env bash
# The SQLite writer thread's CPU time per message (docs/benchmarks.md): runs a send benchmark of
# the bench jar that starts its own server and prints "server pid N" when its warm-up begins
# (send-throughput), reads the writer thread's user+system time from /proc at the end of the
# warm-up and at the end of the measured window, and divides by the sends counted in the window.
# Also prints the whole server process's CPU per message. Robust to other load on the machine.
# Usage: scripts/writer-cpu.sh java -jar bench/target/chatapp-bench.jar send-throughput \
#            --jar server/target/chatapp-exec.jar --senders 16 --seconds 20 --warmup 5
# or, the writer inside the benchmark's own JVM (no "server pid" line; the window is the last
# --seconds before the JVM ends):
#        scripts/writer-cpu.sh java -jar bench/target/chatapp-bench.jar store-send-throughput --seconds 10
set -euo pipefail
args=("$@")
warmup=5; seconds=20
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --warmup) warmup="${args[$((i + 1))]}" ;;
    --seconds) seconds="${args[$((i + 1))]}" ;;
  esac
done
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$@" > "$out" 2>&1 &
bench=$!
pid=""
tid=""
self=0
until [ -n "$tid" ]; do
  kill -0 "$bench" 2>/dev/null || { cat "$out"; echo "benchmark ended before its writer started" >&2; exit 1; }
  pid="$(grep -oP 'server pid \K[0-9]+' "$out" || true)"
  if [ -z "$pid" ] && grep -q '^sqlite-writer$' /proc/"$bench"/task/*/comm 2>/dev/null; then pid="$bench"; self=1; fi
  if [ -n "$pid" ]; then
    for t in /proc/"$pid"/task/*; do
      if [ "$(cat "$t/comm" 2>/dev/null)" = "sqlite-writer" ]; then tid="${t##*/}"; fi
    done
  fi
  sleep 0.02
done
hz="$(getconf CLK_TCK)"
samples="$(mktemp)"
trap 'rm -f "$out" "$samples"' EXIT
t0="$(date +%s.%N)"
load0="$(cut -d' ' -f1 /proc/loadavg)"
# The benchmark stops its server as soon as the window ends: sample every 0.1 s while it lives.
while w="$(awk '{print $14 + $15 " " $15}' /proc/"$pid"/task/"$tid"/stat 2>/dev/null)" \
    && p="$(awk '{print $14 + $15}' /proc/"$pid"/stat 2>/dev/null)"; do
  echo "$(date +%s.%N) $w $p $(cut -d' ' -f1 /proc/loadavg)" >> "$samples"
  sleep 0.1
done
wait "$bench"
cat "$out"
count="$(grep -oP '[0-9,]+(?= sends acknowledged)|senders: \K[0-9,]+' "$out" | tr -d , || true)"
[ -n "$count" ] || { echo "no count in the benchmark's output" >&2; exit 1; }
# From the first sample after the warm-up to the last one inside the window; the sends are
# scaled to that span (the window's sends are spread evenly enough at this resolution).
if [ "$self" = 1 ]; then
  t0="$(awk -v s="$seconds" -v w="$warmup" '{ t = $1 } END { printf "%.3f", t - s - w }' "$samples")"
fi
awk -v self="$self" -v t0="$t0" -v warm="$warmup" -v s="$seconds" -v n="$count" -v hz="$hz" -v l0="$load0" '
  $1 >= t0 + warm && !a { a = 1; ta = $1; wa = $2; ka = $3; pa = $4 }
  a && $1 <= t0 + warm + s { tb = $1; wb = $2; kb = $3; pb = $4; lb = $5 }
  END {
    span = tb - ta; m = n * span / s; w = (wb - wa) / hz; k = (kb - ka) / hz; p = (pb - pa) / hz
    printf "writer thread: %.2f s CPU (%.2f s of it in the kernel) in %.1f s (%.0f%% of a core), %.1f us per message (%d messages in the window)\n", w, k, span, 100 * w / span, 1e6 * w / m, n
    printf "%s process: %.2f s CPU in %.1f s, %.1f us per message; load average (1 min) %s before the warm-up, %s at the end\n", (self ? "benchmark" : "server"), p, span, 1e6 * p / m, l0, lb
  }' "$samples"
