#!/usr/bin/env bash
# `make serve`: the built site (web/build, `docusaurus serve`) and `bookctl serve` on 127.0.0.1, one
# command, one line with the URL. Ports: BOOKCTL_SITE_PORT (3000) and BOOKCTL_SERVE_PORT (8765); the
# site was built for them (`make site` reads BOOKCTL_SITE_URL / BOOKCTL_SERVER_URL, same defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
site_port=${BOOKCTL_SITE_PORT:-3000}
serve_port=${BOOKCTL_SERVE_PORT:-8765}
site_url="http://127.0.0.1:$site_port"
log=$(mktemp -d)/serve.log
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
.venv/bin/bookctl ingest web >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
.venv/bin/bookctl serve web --host 127.0.0.1 --port "$serve_port" --site-url "$site_url/" --allow-origin "$site_url" >>"$log" 2>&1 &
pids+=($!)
(cd web && exec npx docusaurus serve --dir build --host 127.0.0.1 --port "$site_port" --no-open) >>"$log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$site_url/" 2>/dev/null && curl -fsS -o /dev/null "http://127.0.0.1:$serve_port/healthz" 2>/dev/null && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }; done
  sleep 0.2
done
echo "The book with its assistant: $site_url/ (Ctrl-C stops it; log: $log)"
wait -n "${pids[@]}"
