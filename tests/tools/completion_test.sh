#!/usr/bin/env bash
# The bash completion (scripts/escalator-completion.bash) against the program
# it completes: commands, subcommands, options and the names an option takes.
# Usage: completion_test.sh path/to/escalator path/to/escalator-completion.bash
set -u
escalator=$1
source "$2"
failed=0
expect() {
  local want=$1
  shift
  COMP_WORDS=("$escalator" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  _escalator
  local got="${COMPREPLY[*]}"
  if [[ $got != "$want" ]]; then
    echo "escalator $*<TAB>: expected '$want', got '$got'"
    failed=1
  fi
}
expect "stats" st
expect "restore replay" re
expect "route" org ro
expect "imports" calendar imports
expect "--figures" stats --fi
expect "request-type" stats --by r
expect "json csv" org export --format ""
expect "--json" calendar days --j
expect "--resident --reason" erase --re
expect "--version" org show heping-li --ver
exit $failed
