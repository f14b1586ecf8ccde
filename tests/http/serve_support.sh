# Sourced by the tests that run `escalator serve` as a user does. start_serve
# ESCALATOR [SERVE OPTIONS...] starts it on a free port with a new store under
# $work (made here, removed on exit), waits until it prints its URL, and sets
# $pid, $url and $address ("127.0.0.1:PORT"). Its stdout is in $work/out.
work=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

start_serve() {
  local escalator="$1"
  shift
  "$escalator" serve --data "$work/data" --port 0 "$@" >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 1 200); do
    grep -q '^Ctrl-C' "$work/out" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/out" "$work/err"; echo "serve exited early"; exit 1; }
    sleep 0.05
  done
  address=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/out" | head -1)
  [ -n "$address" ] || { cat "$work/out"; echo "no URL printed"; exit 1; }
  url="http://$address"
}
