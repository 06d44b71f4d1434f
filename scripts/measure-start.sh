#!/usr/bin/env bash
# Measures `npm start` as a person sees it: the wall time from the command to the first 200 of
# /health/ready, then stops the service with SIGTERM. Usage: bash scripts/measure-start.sh [label]
# (PORT defaults to 3917; DATABASE_URL as for npm start: unset means the embedded PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
label="${1:-start}"
port="${PORT:-3917}"
log="$(mktemp)"
started=$(date +%s%N)
PORT="$port" LOG_LEVEL=warn setsid npm start >"$log" 2>&1 &
pid=$!
trap 'kill -TERM -- -$pid 2>/dev/null || true; rm -f "$log"' EXIT
until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "measure-start: npm start exited" >&2; exit 1; fi
  sleep 0.1
done
ready=$(date +%s%N)
grep -h '^build-if-changed:' "$log" | sed 's/^/  /'
printf '%s: ready %.1f s after npm start\n' "$label" "$(( (ready - started) / 1000000 ))e-3"
kill -TERM -- -"$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
