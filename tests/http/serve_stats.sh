#!/usr/bin/env bash
# Reports over HTTP equal `escalator stats` on the same store: cases opened
# and dispatched through a running service, GET /v1/stats as JSON and as CSV
# and the cases behind two counts page by page, then, the service stopped,
# the command line's report and lists of the same days.
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
dispatched=$(curl -s -f -X POST "$url/v1/cases/$first/dispatch")
lead_unit=$(echo "$dispatched" | grep -o '"lead_unit":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$lead_unit" ] || { echo "$dispatched"; echo "the dispatch named no lead unit"; exit 1; }

# The cases were opened today, China Standard Time; the period is this month.
today=$(TZ=Asia/Shanghai date +%F)
from="${today%-*}-01"
for by in all unit channel street; do
  curl -s -f "$url/v1/stats?from=$from&to=$today&by=$by" >"$work/http-$by.json"
  curl -s -f "$url/v1/stats?from=$from&to=$today&by=$by&format=csv" >"$work/http-$by.csv"
done
# The cases behind counts, a page of one at a time.
list_of() {  # COUNT BY GROUP: every page's cases as `escalator stats --list` prints them
  local cursor="" page
  : >"$work/listed"
  while :; do
    page=$(curl -s -f "$url/v1/stats/cases?count=$1&from=$from&to=$today&by=$2&group=$3&limit=1&cursor=$cursor")
    cursor=$(node -e 'const p = JSON.parse(process.argv[1]);
      for (const c of p.cases) console.log(c.case_id + "  " + c.count);
      console.error(p.next_cursor ?? "")' "$page" 2>&1 >>"$work/listed")
    [ -n "$cursor" ] || break
  done
  cat "$work/listed"
}
list_of received channel hotline >"$work/http-received-hotline"
list_of handed unit "$lead_unit" >"$work/http-handed-unit"
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
"$escalator" stats --data "$work/data" --from "$from" --to "$today" --by channel --group hotline --list received |
  sed '$d' >"$work/cli-received-hotline"
"$escalator" stats --data "$work/data" --from "$from" --to "$today" --by unit --group "$lead_unit" --list handed | sed '$d' >"$work/cli-handed-unit"
cmp "$work/http-received-hotline" "$work/cli-received-hotline"
cmp "$work/http-handed-unit" "$work/cli-handed-unit"
[ "$(wc -l <"$work/http-received-hotline")" = 2 ] || { cat "$work/http-received-hotline"; echo "two hotline cases"; exit 1; }
[ "$(wc -l <"$work/http-handed-unit")" = 1 ] || { cat "$work/http-handed-unit"; echo "one case handed"; exit 1; }
grep -q '"received":3' "$work/http-all.json" || { cat "$work/http-all.json"; echo "three cases were opened"; exit 1; }
grep -q '^wechat,1,' "$work/http-channel.csv" || { cat "$work/http-channel.csv"; exit 1; }
echo "serve stats: the service's reports equal the command line's"
