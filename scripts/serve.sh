#!/usr/bin/env bash
# `make serve`: the built site (web/build, `docusaurus serve`) and `bookctl serve` on 127.0.0.1, one
# command, one line with the URL. Ports: BOOKCTL_SITE_PORT (3000) and BOOKCTL_SERVE_PORT (8765); the
# site was built for them (`make site` reads BOOKCTL_SITE_URL / BOOKCTL_SERVER_URL, same defaults).
# Readers' accounts: with AUTH_DATABASE_URL (or DATABASE_URL) set to a Postgres or Neon URL, the auth
# service (services/auth) starts too, on BOOKCTL_AUTH_PORT (3001), and `bookctl serve` verifies its
# JWTs (--auth optional); `make serve` then builds the site with the account item (BOOKCTL_AUTH_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
site_port=${BOOKCTL_SITE_PORT:-3000}
serve_port=${BOOKCTL_SERVE_PORT:-8765}
site_url="http://127.0.0.1:$site_port"
log=$(mktemp -d)/serve.log
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
auth_port=${BOOKCTL_AUTH_PORT:-3001}
auth_db=${AUTH_DATABASE_URL:-${DATABASE_URL:-}}
auth_args=()
accounts="no readers' accounts (set AUTH_DATABASE_URL to a Postgres or Neon URL to let readers sign in)"
if [ -n "$auth_db" ]; then
  # --dev: the built-in secret unless BETTER_AUTH_SECRET is set (a local run, not a deployment)
  (cd services/auth && DATABASE_URL="$auth_db" AUTH_SITE_ORIGINS="$site_url" exec node src/server.js --dev --port "$auth_port") >>"$log" 2>&1 &
  pids+=($!)
  auth_args=(--auth optional --jwks-url "http://127.0.0.1:$auth_port/api/auth/jwks")
  accounts="readers' accounts: http://127.0.0.1:$auth_port"
fi
.venv/bin/bookctl ingest web >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
.venv/bin/bookctl serve web --host 127.0.0.1 --port "$serve_port" --site-url "$site_url/" --allow-origin "$site_url" "${auth_args[@]}" >>"$log" 2>&1 &
pids+=($!)
(cd web && exec ./node_modules/.bin/docusaurus serve --dir build --host 127.0.0.1 --port "$site_port" --no-open) >>"$log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$site_url/" 2>/dev/null && curl -fsS -o /dev/null "http://127.0.0.1:$serve_port/healthz" 2>/dev/null \
    && { [ -z "$auth_db" ] || curl -fsS -o /dev/null "http://127.0.0.1:$auth_port/healthz" 2>/dev/null; } && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }; done
  sleep 0.2
done
echo "The book with its assistant: $site_url/ ($accounts; Ctrl-C stops it; log: $log)"
wait -n "${pids[@]}"
