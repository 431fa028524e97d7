#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer: $JAVA_HOME if it is one, else the newest under
# /usr/lib/jvm. The machine's default `java` may be 17, which cannot build or run ChatApp.
set -euo pipefail
# The major version from the JDK's `release` file (no JVM started: this runs before every
# ./chatapp serve); a JDK without one is asked.
major() {
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)"
  [ -n "$v" ] && { echo "$v"; return; }
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(major "$1")" -ge 21 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
best=""; best_major=0
for d in /usr/lib/jvm/*/; do
  d="${d%/}"
  if ok "$d"; then m=$(major "$d"); if [ "$m" -gt "$best_major" ]; then best="$d"; best_major="$m"; fi; fi
done
if [ -z "$best" ]; then
  echo "chatapp: no JDK 21+ found (set JAVA_HOME to one, or install e.g. Temurin 21 under /usr/lib/jvm)" >&2
  exit 1
fi
echo "$best"
