#!/usr/bin/env bash
# A PostgreSQL 15 shared by a whole test run (CI, or a developer's shell), so that each test
# process only creates its own database instead of starting a server.
#
#   eval "$(scripts/postgres.sh start)"   # starts it if needed; exports ETNIK_TEST_POSTGRES_URL
#   scripts/postgres.sh url               # prints the URL of the running server
#   scripts/postgres.sh stop              # stops it and removes its data
#   scripts/postgres.sh restart           # restarts it on the same port (fault tests)
#
# `start` also exports ETNIK_TEST_POSTGRES_STARTED=1 if it started the server, 0 if one was
# already running; `stop` leaves the server alone when that variable is 0, so a test run that
# found a server running (another run, a developer's shell) does not pull it from under them.
#
# Data, socket and log live in $ETNIK_PG_DIR (default: $TMPDIR/etnik-postgres-<uid>), with fsync
# off: this server is for tests only. It listens on 127.0.0.1 on a free port chosen at start.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user.
set -euo pipefail

BIN_DIR="${ETNIK_POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}"
DIR="${ETNIK_PG_DIR:-${TMPDIR:-/tmp}/etnik-postgres-$(id -u)}"
DATA="$DIR/data"
PORT_FILE="$DIR/port"

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$PORT_FILE")/postgres"; }

running() {
  [[ -f "$PORT_FILE" ]] && "$BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$(cat "$PORT_FILE")" -U postgres
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if ! [[ -x "$BIN_DIR/postgres" ]]; then
    echo "no PostgreSQL server in $BIN_DIR: install the Debian package postgresql-15" >&2
    exit 1
  fi
  if running; then
    echo "export ETNIK_TEST_POSTGRES_URL=$(url) ETNIK_TEST_POSTGRES_STARTED=0"
    return
  fi
  mkdir -p "$DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$DIR"
  if ! [[ -f "$DATA/PG_VERSION" ]]; then
    as_owner "$BIN_DIR/initdb" -D "$DATA" -A trust -U postgres -E UTF8 --locale=C --no-sync \
      >"$DIR/initdb.log" 2>&1
  fi
  free_port >"$PORT_FILE"
  as_owner "$BIN_DIR/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 60 start -o \
    "-p $(cat "$PORT_FILE") -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 \
     -c deadlock_timeout=100ms -c max_wal_size=1GB" >/dev/null
  echo "export ETNIK_TEST_POSTGRES_URL=$(url) ETNIK_TEST_POSTGRES_STARTED=1"
}

stop() {
  if [[ "${ETNIK_TEST_POSTGRES_STARTED:-}" == 0 ]]; then
    echo "leaving the test PostgreSQL running: this shell did not start it" >&2
    return
  fi
  if [[ -f "$DATA/postmaster.pid" ]]; then
    as_owner "$BIN_DIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$DIR"
}

restart() {
  running || { echo "the test PostgreSQL is not running" >&2; exit 1; }
  as_owner "$BIN_DIR/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -m fast -w -t 60 restart >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  url) running && url ;;
  status) if running; then echo "running: $(url)"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|restart|url|status" >&2; exit 2 ;;
esac
