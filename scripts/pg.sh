#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (Debian's postgresql package; scripts/setup.sh installs it).
#
#   eval "$(bash scripts/pg.sh start)"   # starts one under a new /tmp directory on a free port, prints
#                                        # SHIMING_PG_URL=postgres://postgres@127.0.0.1:PORT/postgres and SHIMING_PG_DIR=…
#   bash scripts/pg.sh stop "$SHIMING_PG_DIR"   # stops it and removes the directory
#
# initdb refuses to run as root, so the cluster runs as the `postgres` user; it listens on 127.0.0.1 only, with
# trust authentication (a throwaway test database, never a deployment).
set -euo pipefail

pg_bin() {
  local version
  version=$(ls /usr/lib/postgresql/ 2>/dev/null | sort -V | tail -1)
  if [ -z "$version" ]; then
    echo "PostgreSQL is not installed: run bash scripts/setup.sh (apt-get install -y postgresql)" >&2
    exit 1
  fi
  echo "/usr/lib/postgresql/$version/bin"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    PG=$(pg_bin)
    dir=$(mktemp -d /tmp/shiming-pg-XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_postgres "$PG/initdb -D $dir/data -A trust -U postgres --no-sync" >/dev/null
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_postgres "$PG/pg_ctl -D $dir/data -o '-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=200' -l $dir/log -w start" >/dev/null 2>&1; then
        echo "SHIMING_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
        echo "SHIMING_PG_DIR=$dir"
        echo "export SHIMING_PG_URL SHIMING_PG_DIR"
        exit 0
      fi
    done
    echo "could not start PostgreSQL; its log:" >&2
    cat "$dir/log" >&2 || true
    exit 1
    ;;
  stop)
    dir=${2:?usage: pg.sh stop DIR}
    PG=$(pg_bin)
    as_postgres "$PG/pg_ctl -D $dir/data -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: bash scripts/pg.sh start | stop DIR" >&2
    exit 2
    ;;
esac
