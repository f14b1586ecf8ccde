#!/usr/bin/env bash
# `escalator cases` against a running service: a case opened, dispatched and
# accepted from the command line, read back as text and as JSON, listed, its
# history and the lead unit's inbox; refusals print the service's problem and
# exit 1; a bad --server is a usage error, an unreachable one exit 1.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator" --clock-from 2025-11-11T09:00:00+08:00
export ESCALATOR_SERVER="$url"
cases() { "$escalator" cases "$@"; }
fails() { echo "FAILED: $*"; exit 1; }

cat >"$work/open.json" <<'JSON'
{"request_type":"complaint","channel":"hotline","category":"物业/漏水",
 "location":{"district_code":"370811","compound":"yangguang-garden","address":"3号楼2单元401"},
 "reporter":{"name":"张三","phone":"13800000000"},"content":"楼上卫生间漏水",
 "first_contact":{"unit":"hotline.12345","person":"operator-07"}}
JSON
id=370811-20251111-000001
cases open --body "$work/open.json" --idempotency-key walk-in-1 | grep -q "^open $id: new, version 1" || fails open
cases open --body - --idempotency-key walk-in-1 <"$work/open.json" | grep -q "a repeat" || fails "open repeated from stdin"
cases dispatch "$id" --actor dispatcher-3 | grep -q "^dispatch $id: dispatched, version 2" || fails dispatch
unit=$(cases show "$id" --json | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t).lead_unit))')
[ -n "$unit" ] && [ "$unit" != undefined ] || fails "no lead unit"
cases inbox "$unit" | grep -q "$id  accept" || fails inbox
cases accept "$id" --if-match 2 | grep -q "accepted, version 3" || fails accept
# A stale version, a refused transition, a field the command lacks: the problem, exit 1.
if cases reply "$id" --answer 已修复 --if-match 2 2>"$work/err"; then fails "stale if-match was taken"; fi
grep -q "412" "$work/err" || { cat "$work/err"; fails "no 412"; }
if cases rate "$id" --rating satisfied 2>"$work/err"; then fails "rating an accepted case was taken"; fi
grep -q "409" "$work/err" || { cat "$work/err"; fails "no 409"; }
if cases reply "$id" 2>"$work/err"; then fails "reply without an answer was taken"; fi
grep -q "422.*(at /answer)" "$work/err" || { cat "$work/err"; fails "no 422 naming /answer"; }
cases reply "$id" --answer 已联系楼上业主修复 --outcome resolved | grep -q "replied" || fails reply
cases show "$id" | grep -q "^state  *replied" || fails "show as text"
cases list --state replied | grep -q "^$id  replied" || fails list
[ "$(cases history "$id" | wc -l)" -ge 4 ] || fails history
cases history "$id" --json | grep -q '"type": "CaseAccepted"' || fails "history as JSON"
# Usage errors are 2; a service that cannot be reached, 1.
set +e
cases show "$id" --server https://example >/dev/null 2>&1; [ $? -eq 2 ] || fails "https accepted"
cases show "$id" --server http://127.0.0.1:1 2>"$work/err" >/dev/null; [ $? -eq 1 ] || fails "unreachable is not 1"
set -e
grep -q "cannot reach the service at http://127.0.0.1:1" "$work/err" || fails "unreachable not said"
stop_serve
echo "cli client: ok"
