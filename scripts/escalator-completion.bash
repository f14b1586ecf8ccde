# bash completion for escalator: its commands, their subcommands and options,
# and the names an option accepts, read from the program's own --help so that
# they never fall behind it. Installed by `make install` (docs/cli.md), or
# sourced: `source scripts/escalator-completion.bash`.

# The words of a help's section ("Commands:", "Subcommands:", "Options:"):
# the first word of each entry, two spaces in.
_escalator_section() {
  local help=$1 section=$2
  awk -v section="$section" '
    /^[A-Z][A-Za-z ]*:$/ { inside = ($0 == section); next }
    inside && /^  [^ ]/ { split($1, names, ","); for (i in names) print names[i] }' <<<"$help"
}

_escalator() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local program=${COMP_WORDS[0]}
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "$(_escalator_section "$("$program" --help 2>/dev/null)" "Commands:") --help --version" \
      -- "$cur"))
    return
  fi
  local -a path=("${COMP_WORDS[1]}")
  local help subcommands
  help=$("$program" "${path[@]}" --help 2>/dev/null) || return
  subcommands=$(_escalator_section "$help" "Subcommands:")
  if [[ -n $subcommands ]]; then
    if ((COMP_CWORD == 2)); then
      COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
      return
    fi
    path+=("${COMP_WORDS[2]}")
    help=$("$program" "${path[@]}" --help 2>/dev/null) || return
  fi
  # The value of the option before: the names it accepts, or a path.
  local line
  line=$(grep -E -- "^  (-h,)?$prev [A-Z]" <<<"$help" | head -n 1)
  if [[ $prev == --* && -n $line ]]; then
    if [[ $line == *"one of: "* ]]; then
      local names=${line#*one of: }
      names=${names%% (default*}
      COMPREPLY=($(compgen -W "${names//,/}" -- "$cur"))
    elif [[ $line == "  $prev DIR"* ]]; then
      COMPREPLY=($(compgen -d -- "$cur"))
    elif [[ $line == "  $prev FILE"* ]]; then
      COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_escalator_section "$help" "Options:")" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _escalator escalator
