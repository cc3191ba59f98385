#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   scripts/with-postgres.sh cargo test -p cognate-server --test api
#
# initdb (Debian's /usr/lib/postgresql/<version>/bin) into a fresh temporary directory, a server
# listening only on 127.0.0.1 on a free port with trust authentication for local connections,
# COGNATE_TEST_DATABASE_URL exported (the SDK test harness then gives every test server its own
# new database there), the command run, and the cluster always stopped and removed afterwards.
# initdb refuses to run as root: as root the cluster belongs to the `postgres` user.
# The command's exit status is the script's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && PG_BIN="$dir"
done
if [ -z "$PG_BIN" ]; then
  echo "error: PostgreSQL's initdb and pg_ctl not found under /usr/lib/postgresql/*/bin;" \
    "run scripts/install-tools.sh (Debian package postgresql)" >&2
  exit 1
fi

CLUSTER="$(mktemp -d "${TMPDIR:-/tmp}/cognate-pg.XXXXXX")"
if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=(runuser -u postgres --)
  DB_USER=postgres
  id postgres >/dev/null 2>&1 || {
    echo "error: running as root needs the postgres user (created by the postgresql package)" >&2
    exit 1
  }
  chown postgres "$CLUSTER"
else
  RUN_AS=()
  DB_USER="$(id -un)"
fi

cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$CLUSTER"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: bind port 0 and let it go (a race with another binder is possible but unlikely).
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$CLUSTER/data" -U "$DB_USER" --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$CLUSTER/initdb.log" 2>&1 || {
  cat "$CLUSTER/initdb.log" >&2
  exit 1
}
# Tests create a database per test server: allow plenty of connections, and skip fsync (the
# cluster is thrown away) so they do not wait on the disk.
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $CLUSTER -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || {
  cat "$CLUSTER/server.log" >&2
  exit 1
}

export COGNATE_TEST_DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/postgres"
echo "==> PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') at $COGNATE_TEST_DATABASE_URL" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
