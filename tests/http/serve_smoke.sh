#!/usr/bin/env bash
# `escalator serve` as a user starts it: the curl command it prints is run as
# printed, the case it opens is read back, SIGTERM stops the service cleanly,
# the shipped workflows are the ones served, and the store it leaves passes
# `audit verify`. Each request is a line of the request log on stderr.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator"

try=$(grep -A1 '^Open a case:' "$work/out" | tail -1)
opened=$(eval "$try")
echo "$opened"
id=$(printf '%s' "$opened" | grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$id" ] || { echo "the printed curl command opened no case"; exit 1; }
# The shipped workflows are served, not the built-in one alone: a hotline
# case goes to the hotline's workflow.
printf '%s' "$opened" | grep -q '"workflow":{"id":"hotline-12345"' ||
  { echo "the hotline case did not take the shipped hotline-12345 workflow"; exit 1; }

# The four shipped workflows are listed.
[ "$(curl -s "$url/v1/workflows" | grep -o '"latest_version"' | wc -l)" = 4 ] ||
  { curl -s "$url/v1/workflows"; echo "GET /v1/workflows does not list the four shipped workflows"; exit 1; }
read_back=$(curl -s "$url/v1/cases/$id")
printf '%s' "$read_back" | grep -q '"content":"楼上卫生间漏水"' || { echo "$read_back"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Request-Id: smoke-dispatch' -X POST "$url/v1/cases/$id/dispatch")
[ "$status" = 200 ] || { echo "dispatch answered $status"; exit 1; }

stop_serve
grep -q '^escalator serve: stopped' "$work/out" || { cat "$work/out"; exit 1; }
# The request log is on stderr, one JSON line per request, the id as sent.
grep -qE '"msg":"request".*"request_id":"smoke-dispatch","method":"POST","route":"/v1/cases/\{id\}/\{command\}","client":"127.0.0.1","status":200' "$work/err" ||
  { cat "$work/err"; echo "no request line for the dispatch"; exit 1; }
"$escalator" audit verify --data "$work/data"
echo "serve smoke: ok ($id)"
