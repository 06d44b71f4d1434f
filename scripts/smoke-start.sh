#!/usr/bin/env bash
# Starts the built service as production would (node dist/…/main.js), waits until it is ready,
# checks the public reference data and the Swagger UI, then stops it with SIGTERM and expects a
# clean exit. Uses DATABASE_URL when set, else the embedded PostgreSQL (in .data/).
set -euo pipefail
port="${SMOKE_PORT:-3999}"
log="$(mktemp)"
PORT="$port" LOG_LEVEL=info node $(node -p "require('./package.json').config.apiNodeFlags") dist/apps/api/src/main.js >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "smoke: the service exited during start-up" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$log"; echo "smoke: not ready after 60 s" >&2; exit 1; }

states=$(curl -fsS "http://127.0.0.1:$port/api/v1/states" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')
[ "$states" = "195" ] || { echo "smoke: expected 195 States, got $states" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/docs/" | grep -q swagger-ui || { echo "smoke: no Swagger UI at /docs" >&2; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = "0" ] || { cat "$log"; echo "smoke: exit status $status after SIGTERM" >&2; exit 1; }
grep -o 'CBM Registry ready in [0-9]* ms' "$log" || true
echo "smoke: ready, 195 States, Swagger UI served, clean exit on SIGTERM"
