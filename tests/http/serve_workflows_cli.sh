#!/usr/bin/env bash
# `escalator workflows` against a running service: the shipped workflows
# listed, one shown as its file reads, a changed file published as version 2
# that the next case follows while the open one keeps version 1, a bad file
# refused with its lines and nothing changed, a workflow retired and
# reinstated; and all of it still so after the service restarts on its store.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator" --clock-from 2025-11-11T09:00:00+08:00
export ESCALATOR_SERVER="$url"
workflows() { "$escalator" workflows "$@"; }
fails() { echo "FAILED: $*"; exit 1; }
version_of() {
  curl -s -f "$url/v1/cases/$1" | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t).workflow.version))'
}
open_by_wechat() {
  curl -s -f -X POST "$url/v1/cases" -H 'Content-Type: application/json' -d '{
    "request_type":"complaint","channel":"wechat","category":"物业/漏水",
    "location":{"district_code":"370811","compound":"yangguang-garden"},"content":"楼道灯不亮",
    "first_contact":{"unit":"yangguang-garden.property"}}' | grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4
}

workflows list | tee "$work/list.txt"
grep -q '^property-first .* 1 .*在用.*shipped' "$work/list.txt" || fails "list"
before=$(open_by_wechat)

# The shipped file with the property company accepting within two hours.
workflows show property-first | sed 's/"accept_within": "1 working-day"/"accept_within": "2h"/' >"$work/faster.json"
grep -q '"2h"' "$work/faster.json" || fails "show gave no file to change"
workflows publish "$work/faster.json" | grep -q '^workflow property-first version 2: published' || fails publish
workflows publish "$work/faster.json" | grep -q 'the same as the latest version' || fails "publish again"
after=$(open_by_wechat)
[ "$(version_of "$before")" = 1 ] || fails "the open case left version 1"
[ "$(version_of "$after")" = 2 ] || fails "the new case is not on version 2"
workflows show property-first --version 1 | grep -q '"accept_within": "1 working-day"' || fails "version 1 gone"

# A file with problems: each with its line, exit 1, nothing published.
sed 's/"role": "party_branch"/"role": "roofer"/' "$work/faster.json" >"$work/bad.json"
if workflows publish "$work/bad.json" >"$work/bad.out" 2>"$work/bad.err"; then fails "a bad file was published"; fi
grep -q "^$work/bad.json:[0-9]*: /steps/1/role: no unit at level compound holds role 'roofer'" "$work/bad.out" ||
  { cat "$work/bad.out" "$work/bad.err"; fails "no line for the problem"; }
grep -q '422' "$work/bad.err" || fails "no 422"
workflows list --json | grep -q '"latest_version":2' || fails "the bad file changed the latest version"

workflows retire collective-council | grep -q 'retired (retired: it takes no new cases)' || fails retire
workflows retire collective-council | grep -q 'already retired' || fails "retire again"
if workflows retire nowhere 2>"$work/err"; then fails "retired a workflow that does not exist"; fi
grep -q '404' "$work/err" || fails "no 404"

# After a restart on the same store: version 2 in force, the retirement kept.
stop_serve
rm -f "$work/pipe" "$work/out"
start_serve "$escalator" --clock-from 2025-11-11T10:00:00+08:00
export ESCALATOR_SERVER="$url"
workflows list | tee "$work/list.txt"
grep -q '^property-first .* 2 .*在用.*uploaded' "$work/list.txt" || fails "version 2 lost in the restart"
grep -q '^collective-council .*停用' "$work/list.txt" || fails "the retirement lost in the restart"
[ "$(version_of "$(open_by_wechat)")" = 2 ] || fails "a case after the restart is not on version 2"
[ "$(version_of "$before")" = 1 ] || fails "the first case left version 1 in the restart"
workflows reinstate collective-council | grep -q 'reinstated' || fails reinstate
echo "workflows cli: listed, published, refused, retired and reinstated through a running service"
