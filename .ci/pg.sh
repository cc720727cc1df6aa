#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages, starts it, creates a role and database for the
# tracker's tests, and prints the URL. Use it from .ci/run as:
#   eval "$(bash .ci/pg.sh start)"     # exports LIKEKIND_TEST_PG_URL
#   cargo test -p likekind-server ...   # the story runs against PostgreSQL too
#   bash .ci/pg.sh stop
set -euo pipefail
cmd="${1:-start}"
ver() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }
case "$cmd" in
  start)
    if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ver)" ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    fi
    v="$(ver)"
    pg_lsclusters -h 2>/dev/null | grep -q "^$v main" || pg_createcluster "$v" main >&2
    pg_ctlcluster "$v" main start >&2 || true
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
    su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='likekind'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"CREATE ROLE likekind LOGIN PASSWORD 'likekind'\"" >&2
    su postgres -c "psql -qc 'DROP DATABASE IF EXISTS likekind_test'" >&2
    su postgres -c "psql -qc 'CREATE DATABASE likekind_test OWNER likekind'" >&2
    echo "export LIKEKIND_TEST_PG_URL=postgres://likekind:likekind@127.0.0.1:5432/likekind_test"
    ;;
  stop)
    v="$(ver)"
    [ -n "$v" ] && pg_ctlcluster "$v" main stop >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
