#!/usr/bin/env bash
# escalator(1) as built: groff reads it without a warning, and it holds the
# help of every command and subcommand the program lists.
# Usage: man_page_test.sh path/to/escalator path/to/escalator.1
set -u
escalator=$1
page=$2
failed=0
warnings=$(LC_ALL=C.UTF-8 groff -ww -z -man -Tutf8 "$page" 2>&1)
if [[ -n $warnings ]]; then
  echo "groff: $warnings"
  failed=1
fi
commands=$("$escalator" --help | awk '/^Commands:$/ { inside = 1; next } inside && /^  [a-z]/ { print $1 }')
for command in $commands; do
  [[ $command == help ]] && continue
  if ! grep -q "^\.SS $command\b\|^\.SS escalator $command\b" "$page"; then
    echo "escalator(1) has no section for escalator $command"
    failed=1
  fi
done
for sub in "org route" "calendar add" "audit verify" "import org"; do
  grep -q "^\.SS escalator $sub " "$page" || { echo "escalator(1) has no section for escalator $sub"; failed=1; }
done
exit $failed
