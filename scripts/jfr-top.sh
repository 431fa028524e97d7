#!/usr/bin/env bash
# Summarises where a JFR recording spent its time (docs/load-tool.md, "Profiling"): of the CPU
# samples, the hottest top frames, the hottest frames in any position (inclusive) and the
# hottest ChatApp frames; of the samples of threads inside native code (fsync, socket I/O), the
# top frames. Usage: scripts/jfr-top.sh recording.jfr [rows=25]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_HOME="$("$root/scripts/java-home.sh")"
file="$1"
rows="${2:-25}"
samples="$(mktemp)"
native="$(mktemp)"
trap 'rm -f "$samples" "$native"' EXIT
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$file" > "$samples"
total=$(grep -c 'jdk.ExecutionSample' "$samples" || true)
echo "CPU samples: $total"
echo
echo "== top frames (self time)"
awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' "$samples" \
  | sort | uniq -c | sort -rn | head -"$rows" | awk -v t="$total" '{printf "%6.1f%%  %s\n", 100*$1/t, substr($0, index($0,$2))}'
echo
echo "== frames anywhere on the stack (inclusive, once per sample)"
awk '/stackTrace = \[/ {inside=1; delete seen; next}
     inside && /^ *\]/ {inside=0; next}
     inside {f=$0; sub(/^ +/, "", f); sub(/ +line:.*/, "", f); sub(/\(.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' "$samples" \
  | sort | uniq -c | sort -rn | head -"$rows" | awk -v t="$total" '{printf "%6.1f%%  %s\n", 100*$1/t, $2}'
echo
echo "== ChatApp frames (inclusive)"
awk '/stackTrace = \[/ {inside=1; delete seen; next}
     inside && /^ *\]/ {inside=0; next}
     inside && /chatapp\./ {f=$0; sub(/^ +/, "", f); sub(/ +line:.*/, "", f); sub(/\(.*/, "", f); if (!(f in seen)) {seen[f]=1; print f}}' "$samples" \
  | sort | uniq -c | sort -rn | head -"$rows" | awk -v t="$total" '{printf "%6.1f%%  %s\n", 100*$1/t, $2}'
echo
"$JAVA_HOME/bin/jfr" print --events jdk.NativeMethodSample --stack-depth 8 "$file" > "$native"
ntotal=$(grep -c 'jdk.NativeMethodSample' "$native" || true)
echo "== threads in native code: $ntotal samples, by top frame and its caller"
awk '/stackTrace = \[/ {getline a; getline b; sub(/^ +/, "", a); sub(/ +line:.*/, "", a); sub(/\(.*/, "", a);
     sub(/^ +/, "", b); sub(/ +line:.*/, "", b); sub(/\(.*/, "", b); print a " <- " b}' "$native" \
  | sort | uniq -c | sort -rn | head -"$rows" | awk -v t="$ntotal" '{printf "%6.1f%%  %s\n", 100*$1/t, substr($0, index($0,$2))}'
