#!/usr/bin/env bash
# Installs and starts the servers the tests need, on loopback ports, and
# exports where they are. Source it from .ci/run:
#
#   source .ci/services.sh   # starts redis-server and PostgreSQL, sets a trap stopping them
#
# Exports CAREERSBOT_TEST_REDIS_URL and CAREERSBOT_TEST_POSTGRES_URL (the
# running servers), CAREERSBOT_TEST_REDIS_SERVER and
# CAREERSBOT_TEST_POSTGRES_BIN (the binaries, for tests that start, kill and
# restart servers of their own). The servers are stopped by PID on exit.

services_install() {
  local need=()
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}"
    if [ -z "${CAREERSBOT_APT_UPDATED:-}" ]; then
      apt-get update -qq
      export CAREERSBOT_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# services_port prints a TCP port on 127.0.0.1 that nothing listens on.
services_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

services_stop() {
  local pid
  for pid in ${CAREERSBOT_SERVICE_PIDS:-}; do
    kill -INT "$pid" 2>/dev/null || true
  done
  for pid in ${CAREERSBOT_SERVICE_PIDS:-}; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${CAREERSBOT_SERVICE_DIR:-}" ] && rm -rf "$CAREERSBOT_SERVICE_DIR"
  CAREERSBOT_SERVICE_PIDS=""
}

services_start() {
  services_install
  CAREERSBOT_SERVICE_DIR=$(mktemp -d /tmp/careersbot-ci-XXXXXX)
  chmod 755 "$CAREERSBOT_SERVICE_DIR"
  CAREERSBOT_SERVICE_PIDS=""
  trap services_stop EXIT

  # Redis: no persistence, loopback only.
  local rport; rport=$(services_port)
  redis-server --bind 127.0.0.1 --port "$rport" --save "" --appendonly no --daemonize no \
    --loglevel warning >"$CAREERSBOT_SERVICE_DIR/redis.log" 2>&1 &
  CAREERSBOT_SERVICE_PIDS="$CAREERSBOT_SERVICE_PIDS $!"
  export CAREERSBOT_TEST_REDIS_SERVER; CAREERSBOT_TEST_REDIS_SERVER=$(command -v redis-server)

  # PostgreSQL: a throwaway cluster owned by the postgres user (it refuses
  # to run as root), trust authentication on 127.0.0.1 only.
  local pgbin; pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  export CAREERSBOT_TEST_POSTGRES_BIN="$pgbin"
  local pgdir="$CAREERSBOT_SERVICE_DIR/pg" pport; pport=$(services_port)
  mkdir -p "$pgdir"
  local as=()
  # setpriv execs (no child process), so $! below is postgres's own PID.
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pgdir"; as=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
  "${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >"$CAREERSBOT_SERVICE_DIR/initdb.log" 2>&1 \
    || { cat "$CAREERSBOT_SERVICE_DIR/initdb.log"; return 1; }
  "${as[@]}" "$pgbin/postgres" -D "$pgdir/data" -p "$pport" -k "$pgdir" -c listen_addresses=127.0.0.1 \
    -c fsync=off -c full_page_writes=off -c max_connections=200 >"$CAREERSBOT_SERVICE_DIR/postgres.log" 2>&1 &
  CAREERSBOT_SERVICE_PIDS="$CAREERSBOT_SERVICE_PIDS $!"

  local ok=""
  for _ in $(seq 1 150); do
    if redis-cli -h 127.0.0.1 -p "$rport" ping 2>/dev/null | grep -q PONG \
      && "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pport"; then ok=1; break; fi
    sleep 0.1
  done
  if [ -z "$ok" ]; then
    echo "services did not start:"; cat "$CAREERSBOT_SERVICE_DIR"/*.log; return 1
  fi
  export CAREERSBOT_TEST_REDIS_URL="redis://127.0.0.1:$rport/0"
  export CAREERSBOT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pport/postgres?sslmode=disable"
  echo "== services: redis on 127.0.0.1:$rport, postgres on 127.0.0.1:$pport (pids$CAREERSBOT_SERVICE_PIDS)"
}

services_start
