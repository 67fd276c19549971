#!/usr/bin/env bash
# Make a local PostgreSQL server available for the test suite and print its URL on stdout.
# Installs Debian's postgresql when missing (needs root, as in CI), starts the cluster and
# creates a throw-away database. Prints nothing (and exits 0) when that is impossible, so
# the PostgreSQL tests are skipped with a reason rather than failing the run.
set -u
log() { echo "ensure-postgres: $*" >&2; }
if [ -n "${NEWSLINEAGE_TEST_PG_URL:-}" ]; then echo "$NEWSLINEAGE_TEST_PG_URL"; exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    log "not root and no passwordless sudo: PostgreSQL tests will be skipped"; exit 0; fi
fi
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  log "installing postgresql from Debian's packages"
  ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql) >&2 \
    || { log "could not install postgresql"; exit 0; }
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if command -v pg_lsclusters >/dev/null; then
  if ! pg_lsclusters -h | grep -q .; then $SUDO pg_createcluster "$ver" main >&2 || true; fi
  cl=$(pg_lsclusters -h | head -1)
  cver=$(echo "$cl" | awk '{print $1}'); cname=$(echo "$cl" | awk '{print $2}'); port=$(echo "$cl" | awk '{print $3}')
  echo "$cl" | grep -q online || $SUDO pg_ctlcluster "$cver" "$cname" start >&2 || { log "cluster did not start"; exit 0; }
else
  log "pg_lsclusters missing"; exit 0
fi
for i in $(seq 1 30); do $SUDO su postgres -c "pg_isready -q -p $port" 2>/dev/null && break; sleep 0.5; done
$SUDO su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='newslineage'\"" | grep -q 1 \
  || $SUDO su postgres -c "psql -q -p $port -c \"CREATE ROLE newslineage LOGIN PASSWORD 'newslineage' CREATEDB\"" >&2
$SUDO su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='newslineage_test'\"" | grep -q 1 \
  || $SUDO su postgres -c "psql -q -p $port -c \"CREATE DATABASE newslineage_test OWNER newslineage\"" >&2
echo "postgresql://newslineage:newslineage@127.0.0.1:$port/newslineage_test"
