#!/usr/bin/env bash
# Keys as an operator uses them (docs/access.md): `escalator keys add` prints
# a key once and keeps only its hash; `serve --keys` refuses callers without
# one; a key added or revoked takes effect at the next request, the file's
# change seen (or on SIGHUP), and a broken file leaves the keys as they were.
set -euo pipefail
escalator="$1"
source "$(dirname "$0")/serve_support.sh"
keys="$work/keys.json"

key_of() { grep -o 'esk_[0-9a-f]*_[A-Za-z0-9_-]*' "$1"; }
"$escalator" keys add --file "$keys" --name 12345热线 --role intake --jurisdiction place:370811 --channel hotline >"$work/intake.txt"
intake=$(key_of "$work/intake.txt")
secret=${intake:17}
[ ${#intake} -eq 60 ] || { echo "a key of ${#intake} characters: $intake"; exit 1; }
grep -q "$secret" "$keys" && { echo "the keys file holds the secret"; exit 1; }
[ "$(stat -c %a "$keys")" = 600 ] || { echo "the keys file is readable by others"; exit 1; }
"$escalator" keys add --file "$keys" --name 省审计 --role auditor >"$work/auditor.txt"
auditor=$(key_of "$work/auditor.txt")
if "$escalator" keys add --file "$keys" --name x --role handler --jurisdiction place:jiyang 2>"$work/err.txt"; then
  echo "a handler without a unit was added"; exit 1
fi
grep -q 'a handler acts for one unit' "$work/err.txt" || { cat "$work/err.txt"; exit 1; }

start_serve "$escalator" --keys "$keys"
grep -q "Authorization: Bearer KEY" "$work/out" || { cat "$work/out"; echo "the banner does not say a key is needed"; exit 1; }

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
body='{"request_type":"complaint","category":"物业/漏水",
  "location":{"district_code":"370811","compound":"yangguang-garden","address":"3号楼2单元401"},
  "reporter":{"name":"张三","phone":"13800000000"},"content":"楼上卫生间漏水",
  "first_contact":{"unit":"hotline.12345","person":"operator-07"}}'
[ "$(status "$url/v1/cases")" = 401 ] || { echo "no key was let in"; exit 1; }
[ "$(status "$url/healthz")" = 200 ]
id=$(curl -s -f -X POST "$url/v1/cases" -H "Authorization: Bearer $intake" -H 'Content-Type: application/json' -d "$body" |
  grep -o '"case_id":"[^"]*"' | head -1 | cut -d'"' -f4)
[ -n "$id" ] || { echo "the intake key opened nothing"; exit 1; }
# The auditor reads it masked; the intake system in clear.
curl -s -f "$url/v1/cases/$id" -H "Authorization: Bearer $auditor" | grep -q '"phone":"138\*\*\*\*0000"' ||
  { echo "the auditor read the phone unmasked"; exit 1; }
curl -s -f "$url/v1/cases/$id" -H "Authorization: Bearer $intake" | grep -q '"phone":"13800000000"'
[ "$(status -X POST "$url/v1/cases/$id/dispatch" -H "Authorization: Bearer $auditor")" = 403 ]

# A key added after the start works at the next request: the service sees
# the file changed. SIGHUP reads it too, and says what it holds.
"$escalator" keys add --file "$keys" --name 济阳街道督办 --role supervisor --jurisdiction place:jiyang >"$work/supervisor.txt"
supervisor=$(key_of "$work/supervisor.txt")
[ "$(status "$url/v1/cases/$id" -H "Authorization: Bearer $supervisor")" = 200 ] || { echo "a new key was refused"; exit 1; }
kill -HUP "$pid"
wait_for_output 'SIGHUP: 3 keys in force' || { cat "$work/out"; echo "no reload said"; exit 1; }
[ "$(status "$url/v1/cases/$id" -H "Authorization: Bearer $supervisor")" = 200 ]

# The command line's client sends the key the environment holds.
ESCALATOR_API_KEY="$supervisor" "$escalator" cases show "$id" --server "$url" >"$work/show.txt" ||
  { cat "$work/show.txt"; echo "the client did not send its key"; exit 1; }
if "$escalator" cases show "$id" --server "$url" >/dev/null 2>"$work/show.err"; then echo "no key was let in"; exit 1; fi
grep -q 401 "$work/show.err" || { cat "$work/show.err"; exit 1; }

# Revoked: refused from the next request, the file's change seen without a signal.
"$escalator" keys list --file "$keys" --json >"$work/list.json"
grep -q '"hash"' "$work/list.json" && { echo "keys list shows hashes"; exit 1; }
auditor_id=${auditor:4:12}
[ "$(status "$url/v1/cases/$id" -H "Authorization: Bearer $auditor")" = 200 ]
"$escalator" keys revoke --file "$keys" "$auditor_id" >/dev/null
[ "$(status "$url/v1/cases/$id" -H "Authorization: Bearer $auditor")" = 401 ] || { echo "a revoked key still works"; exit 1; }
"$escalator" keys list --file "$keys" | grep "$auditor_id" | grep -q 'auditor' 

# A broken file: the keys in force stay, and the service says why.
echo '{"keys": [{"id": "nothex"}]}' >"$keys"
kill -HUP "$pid"
wait_for_output 'keys unchanged: .*/keys/0/id' || { cat "$work/out"; echo "a broken file was not reported"; exit 1; }
[ "$(status "$url/v1/cases/$id" -H "Authorization: Bearer $supervisor")" = 200 ]
# Nothing of any key reached the logs.
if grep -q "${supervisor:17}\|${intake:17}" "$work/out" "$work/err"; then echo "a key reached the log"; exit 1; fi
stop_serve
