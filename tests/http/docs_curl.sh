#!/usr/bin/env bash
# Every curl command in docs/http.md's ```sh blocks, run as written (only the
# port is the free one the test's server took), in order, against a new store
# served with the clock the page names. Fails when one is answered with an
# error: an HTTP status of 400 or more, or a problem document.
set -euo pipefail
escalator="$1"
page="$2"
source "$(dirname "$0")/serve_support.sh"
start_serve "$escalator" --clock-from 2025-11-11T09:00:00+08:00

# Each command: a line beginning "curl" in a ```sh block, and the lines after
# it while it ends in a backslash or leaves a single quote open.
awk '
  function finish_if_whole() {
    if ($0 !~ /\\$/ && gsub(/\x27/, "\x27", command) % 2 == 0) { printf "%s%c", command, 0; command = "" }
  }
  /^```sh/ { in_block = 1; next }
  /^```/   { in_block = 0; next }
  !in_block { next }
  command == "" && /^curl / { command = $0; finish_if_whole(); next }
  command != "" { command = command "\n" $0; finish_if_whole() }
' "$page" >"$work/commands"

count=0
cd "$work"
while IFS= read -r -d '' command; do
  count=$((count + 1))
  command=${command//127.0.0.1:8345/$address}
  echo "\$ $command"
  output=$(bash -c "$command")
  echo "$output" | head -c 600; echo
  if printf '%s' "$output" | head -1 | grep -Eq '^HTTP/1\.1 [45]'; then echo "answered with an error"; exit 1; fi
  if printf '%s' "$output" | grep -q '"type":"https://escalator.example/problems/'; then echo "answered with a problem"; exit 1; fi
done <"$work/commands"
[ "$count" -ge 6 ] || { echo "found only $count curl commands in $page"; exit 1; }
echo "docs curl: $count commands ran"
