# Shared by the service load benches (run_service_load.sh, run_decisions_load.sh,
# observe_overhead.sh): a scratch directory, the operator token, a fresh database per run and a
# server on a free port, all cleaned up on exit (the server, the throwaway PostgreSQL, the files).
#   source bench/load_common.sh NAME    (from the repository's root; NAME names the scratch dir)
dir=$(mktemp -d "/tmp/dia-$1.XXXXXX")
export DIA_OPERATOR_TOKEN=load-test-operator-token-0123456789
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "${DIA_PG_DIR:-}" ] && bash scripts/postgres.sh stop "$DIA_PG_DIR"
  rm -rf "$dir"
}
trap cleanup EXIT
fresh_db() {  # $1 = backend (sqlite or postgresql): the URL of a new empty database
  local n; n=$(date +%s%N)
  if [ "$1" = sqlite ]; then echo "sqlite:$dir/load$n.db"; return; fi
  local base=${DIA_TEST_POSTGRES_URL%/*} port=${DIA_TEST_POSTGRES_URL##*:}
  /usr/lib/postgresql/15/bin/createdb -h 127.0.0.1 -p "${port%%/*}" -U dia "load$n"
  echo "$base/load$n"
}
serve() {  # $1 = dia, $2 = database URL, then more serve flags: starts it, its port in $dir/port
  local dia=$1 url=$2; shift 2
  rm -f "$dir/port"
  "$dia" serve --db "$url" --port 0 --port-file "$dir/port" "$@" 2>"$dir/server.log" &
  pid=$!
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
}
stop_server() {
  kill "$pid"; wait "$pid" || true; pid=""
}
