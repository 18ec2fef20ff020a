#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's `postgresql` package.
#
#   scripts/pg-cluster.sh start DIR   # initdb in DIR, start on a free port of 127.0.0.1, print its URL
#   scripts/pg-cluster.sh stop DIR    # stop it and remove DIR
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user the package
# creates. Authentication is `trust` on 127.0.0.1 and the cluster's own socket only — it is a
# scratch database that lives as long as a test run. Durability stays as in production (fsync on,
# synchronous_commit on): the figures measured on it are the ones an installation gets.
set -euo pipefail
cd "$(dirname "$0")/.."

action=${1:-}
dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

bin=/usr/lib/postgresql/15/bin
owner=$(id -un)
run=()
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  run=(runuser -u postgres --)
fi

case "$action" in
start)
  [ -x "$bin/initdb" ] || ./scripts/setup.sh postgresql-15 >&2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown "$owner" "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U medk --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 400
shared_buffers = 256MB
max_wal_size = 2GB
fsync = on
synchronous_commit = on
log_min_duration_statement = -1
EOF
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U medk medk
  echo "postgres://medk@127.0.0.1:$port/medk"
  ;;
stop)
  [ -d "$dir" ] || exit 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
