#!/usr/bin/env bash
# Writes escalator(1) from the program's own help (help2man, Debian): the
# top-level --help as its description and every command's --help, unfilled, as
# its COMMANDS section. Usage: scripts/make-man.sh path/to/escalator OUT.1
set -euo pipefail
escalator=$1
out=$2
include=$(mktemp)
trap 'rm -f "$include"' EXIT
{
  echo "[COMMANDS]"
  "$escalator" help --all | awk '
    /^Usage: / { if (open) print ".fi"; sub(/^Usage: /, ""); print ".SS " $0; print ".nf"; open = 1; next }
    { gsub(/\\/, "\\e"); sub(/^[.\047]/, "\\\\\\&&"); print }
    END { if (open) print ".fi" }'
  echo "[FILES]"
  echo "docs/ in the source tree: cli.md, http.md, workflows.md, directory.md, calendar.md, stats.md, history.md."
} > "$include"
help2man --no-info --section 1 \
  --name "carries residents' cases up the ladder of city governance until someone closes them" \
  --include "$include" --output "$out" "$escalator"
