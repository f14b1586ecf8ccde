#!/usr/bin/env bash
# Reports over HTTP equal `escalator stats` on the same store: cases opened
# and dispatched through a running service, GET /v1/stats as JSON and as CSV,
# then, the service stopped, the command line's report of the same days.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator"

open_case() {
  curl -s -X POST "$url/v1/cases" -H 'Content-Type: application/json' -d "{
    \"request_type\":\"complaint\",\"channel\":\"$1\",\"category\":\"物业/漏水\",
    \"location\":{\"district_code\":\"370811\",\"compound\":\"yangguang-garden\",\"address\":\"3号楼2单元401\"},
    \"reporter\":{\"name\":\"张三\",\"phone\":\"13800000000\"},\"content\":\"楼上卫生间漏水\",
    \"first_contact\":{\"unit\":\"hotline.12345\",\"person\":\"operator-07\"}}" |
    grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4
}
first=$(open_case hotline)
open_case hotline >/dev/null
open_case wechat >/dev/null
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/v1/cases/$first/dispatch")" = 200 ]

# The cases were opened today, China Standard Time; the period is this month.
today=$(TZ=Asia/Shanghai date +%F)
from="${today%-*}-01"
for by in all unit channel street; do
  curl -s -f "$url/v1/stats?from=$from&to=$today&by=$by" >"$work/http-$by.json"
  curl -s -f "$url/v1/stats?from=$from&to=$today&by=$by&format=csv" >"$work/http-$by.csv"
done
stop_serve

same_json() {
  node -e 'const fs = require("fs");
    const [a, b] = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
    if (JSON.stringify(a) !== JSON.stringify(b)) { console.error(process.argv[1] + " differs from " + process.argv[2]); process.exit(1); }' "$1" "$2"
}
for by in all unit channel street; do
  "$escalator" stats --data "$work/data" --from "$from" --to "$today" --by "$by" --json >"$work/cli-$by.json"
  "$escalator" stats --data "$work/data" --from "$from" --to "$today" --by "$by" --csv >"$work/cli-$by.csv"
  same_json "$work/http-$by.json" "$work/cli-$by.json"
  cmp "$work/http-$by.csv" "$work/cli-$by.csv"
done
grep -q '"received":3' "$work/http-all.json" || { cat "$work/http-all.json"; echo "three cases were opened"; exit 1; }
grep -q '^wechat,1,' "$work/http-channel.csv" || { cat "$work/http-channel.csv"; exit 1; }
echo "serve stats: the service's reports equal the command line's"
