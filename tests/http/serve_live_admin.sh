#!/usr/bin/env bash
# Operating a running service without stopping it: while clients send
# commands, `audit verify`, `check`, `replay`, `stats` and `queue` read its
# store beside it, a backup is taken through POST /v1/admin/backups, and the
# backup restores to a store that verifies, and a directory and a calendar
# notice are imported through it. `escalator backup`, `import org` and
# `calendar import` of the live store say to ask the service instead.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator"

open_case() {
  curl -s -f -X POST "$url/v1/cases" -H 'Content-Type: application/json' -d '{
    "request_type":"complaint","channel":"hotline","category":"物业/漏水",
    "location":{"district_code":"370811","compound":"yangguang-garden","address":"3号楼2单元401"},
    "reporter":{"name":"张三","phone":"13800000000"},"content":"楼上卫生间漏水",
    "first_contact":{"unit":"hotline.12345","person":"operator-07"}}' |
    grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4
}
first=$(open_case)
# A load that goes on through everything below, until it is stopped.
( while :; do id=$(open_case) && curl -s -f -o /dev/null -X POST "$url/v1/cases/$id/dispatch"; done ) &
load=$!
trap 'kill $load 2>/dev/null || true; if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

"$escalator" audit verify --data "$work/data" >"$work/audit.txt" 2>"$work/audit.err"
grep -q ' 0 breaks$' "$work/audit.txt" || { cat "$work/audit.txt" "$work/audit.err"; exit 1; }
grep -q 'open in a running service' "$work/audit.err" || { cat "$work/audit.err"; echo "no word that it read beside the service"; exit 1; }
"$escalator" check --data "$work/data" 2>/dev/null | grep -q ' 0 problems' 
"$escalator" replay --data "$work/data" "$first" 2>/dev/null | grep -q 'CaseOpened'
today=$(TZ=Asia/Shanghai date +%F)
"$escalator" stats --data "$work/data" --from "$today" --to "$today" --json 2>/dev/null | grep -q '"received"'
"$escalator" queue --data "$work/data" >/dev/null 2>&1

# A backup of the live store is the service's to take.
if "$escalator" backup --data "$work/data" --to "$work/elsewhere" 2>"$work/backup.err"; then
  echo "escalator backup opened a store the service has open"; exit 1
fi
grep -q 'escalator backup --server http://127.0.0.1:8345' "$work/backup.err" || { cat "$work/backup.err"; exit 1; }
made=$(curl -s -f -X POST "$url/v1/admin/backups")
echo "$made"
printf '%s' "$made" | grep -q '"id":1' || { echo "no backup 1"; exit 1; }
printf '%s' "$made" | grep -q "\"directory\":\"$work/data-backups\"" || { echo "not beside the store"; exit 1; }
curl -s -f "$url/v1/admin/backups" | grep -q '"backups":\[{"id":1' || { echo "the list does not hold it"; exit 1; }
# The command line asks the service for the next one.
"$escalator" backup --server "$url" | grep -q "^backup 2 .* in $work/data-backups\$" || { echo "backup --server made no backup 2"; exit 1; }

# A new directory version goes into the running service, and routes the next dispatch.
sed 's/yangguang-garden\.property/yangguang-garden.new-property/g' \
  "$(dirname "$0")/../../org/sample-district.json" >"$work/district.json"
if "$escalator" import org "$work/district.json" --data "$work/data" >"$work/import.txt" 2>&1; then
  echo "escalator import org opened a store the service has open"; exit 1
fi
grep -q 'import org FILE --server URL' "$work/import.txt" || { cat "$work/import.txt"; exit 1; }
"$escalator" import org "$work/district.json" --server "$url" | tee "$work/import.txt"
grep -q '^org directory version 2: ' "$work/import.txt" || { echo "import org --server stored no version 2"; exit 1; }
"$escalator" import org "$work/district.json" --server "$url" | grep -q 'the same as version 2, which stays in force'
# By WeChat: property-first, whose first step is the compound's property company.
routed=$(curl -s -f -X POST "$url/v1/cases" -H 'Content-Type: application/json' -d '{
    "request_type":"complaint","channel":"wechat","category":"物业/漏水",
    "location":{"district_code":"370811","compound":"yangguang-garden"},"content":"楼道灯不亮",
    "first_contact":{"unit":"yangguang-garden.new-property"}}' | grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4)
curl -s -f -o /dev/null -X POST "$url/v1/cases/$routed/dispatch"
curl -s -f "$url/v1/cases/$routed" | grep -q '"lead_unit":"yangguang-garden.new-property"' ||
  { echo "the dispatch after the import did not route by it"; exit 1; }

# A calendar notice too, carried over while the load goes on.
notice="$(dirname "$0")/../fixtures/calendar-import/2026-spring-festival-extended.json"
if "$escalator" calendar import "$notice" --data "$work/data" >"$work/calendar.txt" 2>&1; then
  echo "escalator calendar import opened a store the service has open"; exit 1
fi
grep -q 'calendar import FILE --server URL' "$work/calendar.txt" || { cat "$work/calendar.txt"; exit 1; }
"$escalator" calendar import "$notice" --server "$url" | tee "$work/calendar.txt"
grep -q '^calendar import 1: .*the year 2026' "$work/calendar.txt" || { echo "calendar import --server stored nothing"; exit 1; }
grep -q '^in force: .*+ import 1' "$work/calendar.txt" || { echo "the import is not in force"; exit 1; }
"$escalator" import calendar "$notice" --server "$url" | grep -q 'the same as calendar import 1'
curl -s -f "$url/v1/calendar/imports" | grep -q '"imports":\[{"version":1' || { echo "GET lists no import"; exit 1; }

kill "$load"; wait "$load" 2>/dev/null || true
stop_serve
"$escalator" restore --from "$work/data-backups" --data "$work/restored"
"$escalator" audit verify --data "$work/restored" | tail -2
"$escalator" check --data "$work/restored" | grep -q ' 0 problems'
echo "serve live admin: read beside the service, backed up and restored while it ran"
