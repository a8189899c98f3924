# shellcheck shell=bash
# Private PostgreSQL and Redis servers for the third-party client tests (third-party-tests/).
# Sourced by bin/test; safe under `set -euo pipefail`. Usage:
#   source bin/lib/services.sh && start_test_services     # start (or reuse) both, export their addresses
#   source bin/lib/services.sh && stop_test_services      # stop both
#
# start_test_services
#   - installs the Debian packages `postgresql` and `redis-server` with apt-get when running as root
#     and they are missing (one `apt-get update`, quiet);
#   - starts redis-server on 127.0.0.1:$GEVENT4J_TEST_REDIS_PORT (default 16379), no persistence;
#   - starts a private PostgreSQL cluster (initdb in $GEVENT4J_TEST_SERVICES_DIR/pg, owned by the
#     `postgres` user when running as root; trust authentication, listening on 127.0.0.1 only) on
#     port $GEVENT4J_TEST_PG_PORT (default 15432), and creates the role and database `gevent4j`;
#   - exports GEVENT4J_TEST_PG_URL, GEVENT4J_TEST_REDIS_HOST and GEVENT4J_TEST_REDIS_PORT.
# A server that already answers on its port is reused as it is. Returns non-zero (after one line
# on stderr saying why) if a server cannot be started; the third-party tests then fail, naming
# this script.

: "${GEVENT4J_TEST_SERVICES_DIR:=/tmp/gevent4j-test-services}"
: "${GEVENT4J_TEST_PG_PORT:=15432}"
: "${GEVENT4J_TEST_REDIS_PORT:=16379}"
GEVENT4J_TEST_REDIS_HOST=127.0.0.1
GEVENT4J_TEST_PG_DB=gevent4j
GEVENT4J_TEST_PG_USER=gevent4j

_g4j_svc_log() { echo "gevent4j: $*" >&2; }

# Installs the given packages (only the missing ones) when root; returns 1 if any is still missing.
_g4j_svc_apt() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    _g4j_svc_log "missing packages ${missing[*]} (not root, or no apt-get): install them to run third-party-tests"
    return 1
  fi
  _g4j_svc_log "installing ${missing[*]} with apt-get"
  if [[ -z "${_G4J_SVC_APT_UPDATED:-}" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    _G4J_SVC_APT_UPDATED=1
  fi
  # policy-rc.d 101: do not let the packages start their own system-wide servers.
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  [[ -n $created_policy ]] && rm -f "$policy"
  return $rc
}

# Runs a command as the postgres user when root (the server refuses to run as root), else as is.
_g4j_svc_as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The bin directory of the newest PostgreSQL under /usr/lib/postgresql, or nothing.
_g4j_svc_pg_bin() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n1) == "$dir" ]]; then
      best=$dir
    fi
  done
  [[ -n $best ]] && printf '%s\n' "$best"
  return 0
}

_g4j_svc_redis_up() {
  command -v redis-cli >/dev/null 2>&1 \
    && [[ $(redis-cli -h "$GEVENT4J_TEST_REDIS_HOST" -p "$GEVENT4J_TEST_REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

_g4j_svc_start_redis() {
  if _g4j_svc_redis_up; then
    return 0
  fi
  local dir="$GEVENT4J_TEST_SERVICES_DIR/redis"
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$GEVENT4J_TEST_REDIS_PORT" --save '' --appendonly no \
      --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --maxclients 10000 >/dev/null || { _g4j_svc_log "redis-server failed to start, see $dir/redis.log"; return 1; }
  local i
  for ((i = 0; i < 100; i++)); do
    _g4j_svc_redis_up && return 0
    sleep 0.1
  done
  _g4j_svc_log "redis-server does not answer on 127.0.0.1:$GEVENT4J_TEST_REDIS_PORT after 10 s, see $dir/redis.log"
  return 1
}

_g4j_svc_pg_up() {
  "$1/pg_isready" -q -h 127.0.0.1 -p "$GEVENT4J_TEST_PG_PORT" >/dev/null 2>&1
}

_g4j_svc_start_pg() {
  local bin dir="$GEVENT4J_TEST_SERVICES_DIR/pg"
  bin=$(_g4j_svc_pg_bin)
  if [[ -z $bin ]]; then
    _g4j_svc_log "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install the postgresql package)"
    return 1
  fi
  if ! _g4j_svc_pg_up "$bin"; then
    mkdir -p "$GEVENT4J_TEST_SERVICES_DIR"
    chmod 755 "$GEVENT4J_TEST_SERVICES_DIR" 2>/dev/null || true
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
      # trust: every local and 127.0.0.1/::1 connection, which is all this private cluster accepts.
      _g4j_svc_as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
          >"$dir/initdb.log" 2>&1 \
        || { _g4j_svc_log "initdb failed, see $dir/initdb.log"; return 1; }
    fi
    # Hundreds of concurrent connections (one per application thread); durability is not needed.
    _g4j_svc_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-p $GEVENT4J_TEST_PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null \
      || { _g4j_svc_log "PostgreSQL failed to start on port $GEVENT4J_TEST_PG_PORT, see $dir/server.log"; return 1; }
  fi
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$GEVENT4J_TEST_PG_PORT" -U postgres)
  if [[ $("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$GEVENT4J_TEST_PG_USER'") != 1 ]]; then
    "${psql[@]}" -d postgres -c "CREATE ROLE $GEVENT4J_TEST_PG_USER LOGIN" >/dev/null \
      || { _g4j_svc_log "cannot create the PostgreSQL role $GEVENT4J_TEST_PG_USER"; return 1; }
  fi
  if [[ $("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$GEVENT4J_TEST_PG_DB'") != 1 ]]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $GEVENT4J_TEST_PG_DB OWNER $GEVENT4J_TEST_PG_USER" >/dev/null \
      || { _g4j_svc_log "cannot create the PostgreSQL database $GEVENT4J_TEST_PG_DB"; return 1; }
  fi
}

start_test_services() {
  local failed=0
  _g4j_svc_apt postgresql redis-server || failed=1
  if command -v redis-server >/dev/null 2>&1 || _g4j_svc_redis_up; then
    _g4j_svc_start_redis || failed=1
  else
    _g4j_svc_log "redis-server not installed"
    failed=1
  fi
  _g4j_svc_start_pg || failed=1
  export GEVENT4J_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$GEVENT4J_TEST_PG_PORT/$GEVENT4J_TEST_PG_DB?user=$GEVENT4J_TEST_PG_USER"
  export GEVENT4J_TEST_REDIS_HOST GEVENT4J_TEST_REDIS_PORT GEVENT4J_TEST_PG_PORT
  if [[ $failed -ne 0 ]]; then
    _g4j_svc_log "test services incomplete: the third-party-tests module will fail"
    return 1
  fi
  return 0
}

stop_test_services() {
  local bin dir="$GEVENT4J_TEST_SERVICES_DIR"
  if [[ -f "$dir/redis/redis.pid" ]] && command -v redis-cli >/dev/null 2>&1; then
    redis-cli -h "$GEVENT4J_TEST_REDIS_HOST" -p "$GEVENT4J_TEST_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  bin=$(_g4j_svc_pg_bin)
  if [[ -n $bin && -f "$dir/pg/data/postmaster.pid" ]]; then
    _g4j_svc_as_pg "$bin/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  return 0
}
