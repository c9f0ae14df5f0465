#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, sourced by scripts/test.sh and
# bench/engine_bench.sh:
#
#   source scripts/pg-server.sh
#   pg_server_start [extra postgres -c settings...]   # exports LEADLINE_PG_URL
#   pg_server_stop                                    # also run by the caller's EXIT trap
#
# initdb into a fresh temp directory, pg_ctl on a free loopback port, trust auth for one user
# ("leadline"), database "leadline". initdb refuses to run as root, so under root the server
# runs as the unprivileged "postgres" user (created by the postgresql package; created here if
# missing). Fails loudly when the server cannot be started.

pg_server_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "pg-server: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    return 1
  fi
  echo "$dir"
}

pg_server_start() {
  local bin port
  bin=$(pg_server_bin) || return 1
  PG_SERVER_DIR=$(mktemp -d /tmp/leadline-pg-XXXXXX)
  PG_SERVER_AS=()
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_SERVER_DIR"
    PG_SERVER_AS=(runuser -u postgres --)
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local settings=(-c listen_addresses=127.0.0.1 -c port="$port" -c unix_socket_directories="$PG_SERVER_DIR"
    -c max_connections=300 -c shared_buffers=256MB "$@")
  "${PG_SERVER_AS[@]}" "$bin/initdb" -D "$PG_SERVER_DIR/data" -U leadline --auth=trust \
    --locale=C -E UTF8 >"$PG_SERVER_DIR/initdb.log" 2>&1 || {
    cat "$PG_SERVER_DIR/initdb.log" >&2
    echo "pg-server: initdb failed" >&2
    return 1
  }
  "${PG_SERVER_AS[@]}" "$bin/pg_ctl" -D "$PG_SERVER_DIR/data" -l "$PG_SERVER_DIR/server.log" \
    -w -t 60 -o "${settings[*]}" start >/dev/null || {
    cat "$PG_SERVER_DIR/server.log" >&2
    echo "pg-server: the server did not start" >&2
    return 1
  }
  PG_SERVER_BIN=$bin
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U leadline -d postgres \
    -c "CREATE DATABASE leadline" >/dev/null || return 1
  export LEADLINE_PG_URL="postgresql://leadline@127.0.0.1:$port/leadline"
  export LEADLINE_PG_PORT=$port
  echo "pg-server: PostgreSQL running at $LEADLINE_PG_URL (data in $PG_SERVER_DIR)"
}

pg_server_stop() {
  if [ -n "${PG_SERVER_DIR:-}" ] && [ -d "$PG_SERVER_DIR/data" ]; then
    "${PG_SERVER_AS[@]}" "$PG_SERVER_BIN/pg_ctl" -D "$PG_SERVER_DIR/data" -m immediate -w \
      stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_SERVER_DIR:-}" ]; then rm -rf "$PG_SERVER_DIR"; fi
  PG_SERVER_DIR=""
}
