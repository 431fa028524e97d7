#!/usr/bin/env bash
# CPU per send of the server process AND of the benchmark's own process (the client), over the
# measured window of send-throughput (docs/benchmarks.md, "The REST send path"): both share the
# machine's cores, so both decide the sends a second. Also prints, per group of threads (named
# as in /proc, digits folded), the CPU ticks each process spent in the window: request threads
# (ForkJoinPool carriers of Tomcat's virtual threads), the JIT compilers, the SQLite writer, the
# notifications workers; the client's senders and JIT (a thread that ended inside the window, such
# as a JIT compiler thread the JVM retired, is missing from that table but not from the totals).
# Run it beside other load and compare CPU per send, not sends a second.
# Usage: scripts/send-cpu.sh java -jar bench/target/chatapp-bench.jar send-throughput \
#            --jar server/target/chatapp-exec.jar --senders 16 --seconds 30 --warmup 40 --group-commit true
set -euo pipefail
export LC_ALL=C
args=("$@")
warmup=5; seconds=20
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --warmup) warmup="${args[$((i + 1))]}" ;;
    --seconds) seconds="${args[$((i + 1))]}" ;;
  esac
done
out="$(mktemp)"; samples="$(mktemp)"
trap 'rm -f "$out" "$samples" "$out".[sc][01]*' EXIT
threads() { # user+system ticks per thread-name group of process $1
  for t in /proc/"$1"/task/*; do
    n="$(cat "$t/comm" 2>/dev/null || true)"; v="$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || true)"
    if [ -n "$v" ]; then printf '%s\t%s\n' "$(echo "$n" | sed -E 's/[0-9]+/#/g')" "$v"; fi # a thread may end meanwhile
  done | awk -F'\t' '{a[$1] += $2} END {for (k in a) print k "\t" a[k]}' | sort
}
"$@" > "$out" 2>&1 &
bench=$!
pid=""
until [ -n "$pid" ]; do
  kill -0 "$bench" 2>/dev/null || { cat "$out"; echo "the benchmark ended before its warm-up" >&2; exit 1; }
  pid="$(grep -oP 'server pid \K[0-9]+' "$out" || true)"
  sleep 0.02
done
t0="$(date +%s.%N)"
load0="$(cut -d' ' -f1 /proc/loadavg)"
i=0
while p="$(awk '{print $14 + $15}' /proc/"$pid"/stat 2>/dev/null)" && c="$(awk '{print $14 + $15}' /proc/"$bench"/stat 2>/dev/null)"; do
  now="$(date +%s.%N)"
  echo "$now $p $c $(cut -d' ' -f1 /proc/loadavg)" >> "$samples"
  el="$(echo "$now - $t0" | bc)"
  if [ ! -f "$out.s0" ] && [ "$(echo "$el >= $warmup" | bc)" = 1 ]; then
    threads "$pid" > "$out.s0"; threads "$bench" > "$out.c0"
  elif [ -f "$out.s0" ] && [ "$(echo "$el <= $warmup + $seconds - 1" | bc)" = 1 ] && [ $((++i % 10)) = 0 ]; then
    # (a second short of the window: the senders' threads end with it, and an ended thread's ticks leave /proc)
    threads "$pid" > "$out.s1.t" && mv "$out.s1.t" "$out.s1"; threads "$bench" > "$out.c1.t" && mv "$out.c1.t" "$out.c1"
  fi
  sleep 0.1
done
wait "$bench" || true
cat "$out"
count="$(grep -oP '[0-9,]+(?= sends acknowledged)' "$out" | tr -d , || true)"
[ -n "$count" ] || { echo "no count in the benchmark's output" >&2; exit 1; }
hz="$(getconf CLK_TCK)"
for w in s c; do
  [ -f "$out.${w}1" ] || continue
  echo "$([ $w = s ] && echo server || echo client) threads, CPU ticks (1/$hz s) in the window:"
  join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2 "$out.${w}0" "$out.${w}1" | awk -F'\t' '{d = $3 - $2; if (d > 0) print "  " d "\t" $1}' | sort -rn | head -8
done
awk -v t0="$t0" -v warm="$warmup" -v s="$seconds" -v n="$count" -v hz="$hz" -v l0="$load0" '
  $1 >= t0 + warm && !a { a = 1; ta = $1; pa = $2; ca = $3 }
  a && $1 <= t0 + warm + s { tb = $1; pb = $2; cb = $3; lb = $4 }
  END {
    span = tb - ta; m = n * span / s; p = (pb - pa) / hz; c = (cb - ca) / hz
    printf "server: %.2f s CPU in %.1f s (%.0f%% of a core), %.0f us per send; client: %.2f s CPU (%.0f%% of a core), %.0f us per send; together %.0f us per send; load average (1 min) %s before the warm-up, %s at the end\n", p, span, 100 * p / span, 1e6 * p / m, c, 100 * c / span, 1e6 * c / m, 1e6 * (p + c) / m, l0, lb
  }' "$samples"
