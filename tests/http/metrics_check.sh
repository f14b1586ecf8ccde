#!/usr/bin/env bash
# GET /metrics of a running `escalator serve`, after a few requests, passes
# `promtool check metrics` (Prometheus's own linter) and counts what was done.
set -euo pipefail
escalator="$1"
promtool="$2"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator"
eval "$(grep -A1 '^Open a case:' "$work/out" | tail -1)" >/dev/null
curl -s -o /dev/null "$url/v1/cases/370811-20250101-000001"
curl -s "$url/metrics" >"$work/metrics"

"$promtool" check metrics <"$work/metrics"
expect() {
  grep -qxF "$1" "$work/metrics" || { echo "missing: $1"; cat "$work/metrics"; exit 1; }
}
expect 'escalator_http_requests_total{route="/v1/cases",method="POST",status="201"} 1'
expect 'escalator_http_requests_total{route="/v1/cases/{id}",method="GET",status="404"} 1'
expect 'escalator_commands_total{command="open",outcome="decided"} 1'
expect 'escalator_store_writes_total 1'
expect 'escalator_store_commit_group_size_count 1'
expect 'escalator_cases_open{state="new"} 1'
echo "metrics: ok"
