# Sourced by the tests that run `escalator serve` as a user does. start_serve
# ESCALATOR [SERVE OPTIONS...] starts it on a free port with a new store under
# $work (made here, removed on exit), returns once it has printed its URL, and
# sets $pid, $url and $address ("127.0.0.1:PORT"). Its stdout is in $work/out.
# stop_serve sends SIGTERM and returns with serve's status once all it
# printed is in $work/out.
work=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

start_serve() {
  local escalator="$1"
  shift
  # Its output comes through a pipe read line by line: the wait ends when the
  # line that closes the banner arrives, or when serve exits and the pipe ends.
  mkfifo "$work/pipe"
  "$escalator" serve --data "$work/data" --port 0 "$@" >"$work/pipe" 2>"$work/err" &
  pid=$!
  exec 3<"$work/pipe"
  local line
  while IFS= read -r line <&3; do
    printf '%s\n' "$line" >>"$work/out"
    [[ "$line" == Ctrl-C* ]] && break
  done
  # What serve says later (its stop) goes on to the file.
  cat <&3 >>"$work/out" &
  drain=$!
  address=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/out" | head -1 || true)
  [ -n "$address" ] || { cat "$work/out" "$work/err"; echo "serve exited without printing its URL"; exit 1; }
  url="http://$address"
}

stop_serve() {
  local status=0
  kill -TERM "$pid"
  wait "$pid" || status=$?
  pid=""
  wait "$drain"
  return "$status"
}

# wait_for_output PATTERN: returns once serve has printed a line matching
# PATTERN (tail follows the file as it grows), or fails after 10 seconds.
wait_for_output() {
  grep -q -m1 -- "$1" <(timeout 10 tail -n +1 -f "$work/out")
}
