#!/usr/bin/env bash
# Load test: a release build of `imr serve --demo` on loopback with a fresh SQLite file, and wrk
# at 64 connections for a fixed time against a case page (web, session cookie) and the API's
# case read (bearer token). Prints wrk's report (requests/s, latency percentiles, errors).
# With IMR_LOAD_QUEUE_CASES=N, then opens N more cases through the API (the demo application,
# so most are ineligible duplicates: the queue lists them all) and measures the queue page and
# the API's queue (GET /api/cases, first page of 50) the same way.
# Usage: crates/imr-server/load/run.sh [SECONDS]   (needs: apt-get install wrk; cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/../../.."
seconds="${1:-20}"
bin="${CARGO_TARGET_DIR:-target}/release/imr"
work=$(mktemp -d)
port=18900
export IMR_ADMIN_PASSWORD="load-test-password-$$"
RUST_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$work/imr.db" --demo >"$work/out.txt" 2>"$work/log.txt" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST "http://127.0.0.1:$port/api/login" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$IMR_ADMIN_PASSWORD\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
jar="$work/jar"
csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
curl -sf -b "$jar" -c "$jar" -o /dev/null -X POST "http://127.0.0.1:$port/login" \
  --data-urlencode "csrf=$csrf" -d username=admin --data-urlencode "password=$IMR_ADMIN_PASSWORD"
cookie=$(awk '$6 == "imr_session" {print $7}' "$jar")
case=CM$(date +%y)-0000001

echo "=== case page /cases/$case (web), 64 connections, ${seconds}s"
wrk -t2 -c64 -d"${seconds}s" --latency -H "Cookie: imr_session=$cookie" "http://127.0.0.1:$port/cases/$case"
echo "=== API case read /api/cases/$case, 64 connections, ${seconds}s"
wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/cases/$case"
if command -v sqlite3 >/dev/null; then
    # Every view is audited: this count should equal the two runs' completed requests.
    echo "=== case.viewed entries in the audit log: $(sqlite3 "$work/imr.db" \
        "SELECT COUNT(*) FROM audit_log WHERE event = 'case.viewed'")"
fi
queue_cases="${IMR_LOAD_QUEUE_CASES:-0}"
if [ "$queue_cases" -gt 0 ]; then
    seq "$queue_cases" | xargs -P4 -I{} curl -sf -o /dev/null -X POST \
      "http://127.0.0.1:$port/api/applications" -H "Authorization: Bearer $token" \
      -H 'content-type: application/json' --data-binary @data/demo/application.json
    total=$(curl -sf -D - -o /dev/null -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/cases" | tr -d '\r' | awk 'tolower($1) == "x-total-count:" {print $2}')
    echo "=== queue page /queue (web, $total cases), 64 connections, ${seconds}s"
    wrk -t2 -c64 -d"${seconds}s" --latency -H "Cookie: imr_session=$cookie" "http://127.0.0.1:$port/queue"
    echo "=== API queue /api/cases ($total cases), 64 connections, ${seconds}s"
    wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/cases"
fi
