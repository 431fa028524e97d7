#!/usr/bin/env bash
# Media upload benchmark (docs/benchmarks.md, "## Media"): starts the server jar on a free
# loopback port with a fixed heap and a fresh data directory (SQLite + files on disk), then
#   1. uploads a 100 MiB video (raw body, then multipart) while jstat samples the heap every
#      100 ms: peak heap used during the upload vs. before it, and the upload throughput;
#   2. uploads photos (12 MP JPEG, ~2-4 MB) one after another: photos a second, end to end
#      (receive, decode, re-encode without metadata, thumbnail, store).
# Usage: scripts/bench-media.sh [heap, default 256m] [photo count, default 20]
# Needs: a JDK 21+, curl, python3, ffmpeg (for the test photo). Prints markdown rows.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
heap="${1:-256m}"
photos="${2:-20}"
JAVA_HOME="$("$root/scripts/java-home.sh")"
export JAVA_HOME
jar="$root/server/target/chatapp-exec.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package -pl server -am)

work="$(mktemp -d)"
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA_HOME/bin/java" -Xmx"$heap" -Xms"$heap" --enable-native-access=ALL-UNNAMED -jar "$jar" serve \
  --chatapp.port="$port" --chatapp.data-dir="$work/data" >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$base/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "$base/actuator/health/readiness" >/dev/null || { echo "server did not start; log:"; cat "$work/server.log"; exit 1; }

token=$(curl -sf -H 'Content-Type: application/json' "$base/api/v1/auth/register" -d \
  '{"username":"bench-parent","email":"bench@example.org","password":"Tidy-Lantern-Orbit-42","userType":"parent","childrenCount":1}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')

# A 100 MiB "video": a real MP4's header (the type is decided from the bytes) padded to the limit.
video="$work/video.mp4"
cp "$root/core/src/test/resources/chatapp/media/tiny.mp4" "$video"
truncate -s 104857600 "$video"

used_mib() { # heap in use now (survivor + eden + old), MiB
  "$JAVA_HOME/bin/jstat" -gc "$pid" | awk 'NR==2 {printf "%.1f", ($3+$4+$6+$8)/1024}'
}
sample() { # heap in use every 100 ms into $1
  "$JAVA_HOME/bin/jstat" -gc "$pid" 100 | awk 'NR>1 {printf "%.1f\n", ($3+$4+$6+$8)/1024; fflush()}' >"$1"
}
upload_video() { # $1 = raw|multipart; prints "seconds MiB/s peakMiB beforeMiB"
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  local before; before=$(used_mib)
  sample "$work/heap-$1.txt" & sampler=$!
  sleep 0.3
  local out
  if [ "$1" = raw ]; then
    out=$(curl -s -o "$work/resp.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
      -H 'Content-Type: video/mp4' --data-binary @"$video" "$base/api/v1/media")
  else
    out=$(curl -s -o "$work/resp.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" \
      -F "file=@$video;type=video/mp4" "$base/api/v1/media")
  fi
  sleep 0.3
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; sampler=""
  local code=${out%% *} secs=${out##* }
  [ "$code" = 201 ] || { echo "upload answered $code: $(cat "$work/resp.json")"; exit 1; }
  local peak; peak=$(sort -n "$work/heap-$1.txt" | tail -1)
  python3 -c "print(f'{$secs:.2f} {100/$secs:.0f} $peak $before')"
}

echo "| measurement | result |"
echo "|---|---|"
for mode in raw multipart; do
  upload_video "$mode" >/dev/null # warm-up
  read -r secs rate peak before < <(upload_video "$mode")
  echo "| 100 MiB video, $mode body | ${secs} s, ${rate} MiB/s; heap in use ${before} MiB before, peak ${peak} MiB during (-Xmx$heap) |"
done

ffmpeg -v error -f lavfi -i testsrc2=size=4000x3000 -frames:v 1 -q:v 3 -y "$work/photo.jpg"
size=$(stat -c %s "$work/photo.jpg")
curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' --data-binary @"$work/photo.jpg" "$base/api/v1/media"
start=$(date +%s.%N)
for _ in $(seq 1 "$photos"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: image/jpeg' \
    --data-binary @"$work/photo.jpg" "$base/api/v1/media")
  [ "$code" = 201 ] || { echo "photo upload answered $code"; exit 1; }
done
end=$(date +%s.%N)
python3 -c "d=$end-$start; print(f'| {$photos} photos of 4000x3000 ({$size/1e6:.1f} MB JPEG), one at a time | {d:.1f} s, {$photos/d:.1f} photos/s, {d/$photos*1000:.0f} ms each |')"
