# Shared by the service load benches (run_service_load.sh, run_decisions_load.sh,
# observe_overhead.sh): a scratch directory, the operator token, a fresh database per run and
# servers on free ports (several on one PostgreSQL database: the multi-node runs), all cleaned up
# on exit (the servers, the throwaway PostgreSQL, the files).
#   source bench/load_common.sh NAME    (from the repository's root; NAME names the scratch dir)
dir=$(mktemp -d "/tmp/dia-$1.XXXXXX")
export DIA_OPERATOR_TOKEN=load-test-operator-token-0123456789
pids=()
cleanup() {
  stop_server
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
serve() {  # $1 = dia, $2 = database URL, then more serve flags: starts one more server on it
  # (several share a PostgreSQL database); the first one's port in $dir/port, all in `ports`
  local dia=$1 url=$2 n=${#pids[@]}; shift 2
  rm -f "$dir/port.$n"
  "$dia" serve --db "$url" --port 0 --port-file "$dir/port.$n" "$@" 2>>"$dir/server.log" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$dir/port.$n" ] && break; sleep 0.1; done
  [ "$n" = 0 ] && cp "$dir/port.0" "$dir/port"
  return 0
}
ports() {  # the running servers' ports, comma-separated (dia_service_load --port)
  cat "$dir"/port.[0-9]* | paste -sd,
}
stop_server() {  # stops every server started by serve
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  pids=()
  rm -f "$dir"/port*
}
