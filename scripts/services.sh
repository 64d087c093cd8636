#!/usr/bin/env bash
# Make sure the services the tests talk to answer on 127.0.0.1:
#   Redis 7 on REDIS_PORT (6379) and PostgreSQL on PGPORT (5432), trust auth, database "test";
# and that the tools the tests run are installed: poppler-utils (pdftotext, pdfinfo, pdftoppm:
# the documents package reads its PDFs back with them).
# Usage: scripts/services.sh ensure|status
# A stopped service that is installed gets started; an absent one is installed with apt-get
# (Debian); anything else fails with a message that says what is missing.
set -euo pipefail

redis_port="${REDIS_PORT:-6379}"
pg_port="${PGPORT:-5432}"

have() { command -v "$1" >/dev/null 2>&1; }

redis_ok() {
  if have redis-cli; then redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG
  else (exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
  fi
}

pg_ok() {
  if have pg_isready; then pg_isready -q -h 127.0.0.1 -p "$pg_port"
  else (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null
  fi
}

apt_install() {
  if ! have apt-get || [ "$(id -u)" != 0 ]; then
    echo "services: $1 is not installed and apt-get (as root) is not available: install $1 and start it on 127.0.0.1" >&2
    return 1
  fi
  echo "services: installing $* with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

wait_for() { # wait_for NAME CHECK
  for _ in $(seq 1 50); do "$2" && return 0; sleep 0.2; done
  echo "services: $1 did not answer on 127.0.0.1 after starting it" >&2
  return 1
}

ensure_redis() {
  redis_ok && return 0
  have redis-server || apt_install redis-server
  echo "services: starting redis-server on 127.0.0.1:$redis_port" >&2
  mkdir -p /tmp/ecars-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
    --dir /tmp/ecars-redis --logfile /tmp/ecars-redis/redis.log
  wait_for Redis redis_ok
}

ensure_pg() {
  pg_ok && return 0
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n1)"
  echo "services: starting PostgreSQL $version on 127.0.0.1:$pg_port" >&2
  # Tests connect as postgres over TCP without a password, like the machines this project targets.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba" 2>/dev/null; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba" 2>/dev/null || true
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for PostgreSQL pg_ok
}

# force-app's offline validation runs apex-ls and PMD, two JVM tools (Java 11+).
ensure_java() {
  if have java && java -version >/dev/null 2>&1; then return 0; fi
  apt_install openjdk-17-jre-headless
}

# The documents package's render tests read PDFs back with poppler's tools.
ensure_poppler() {
  have pdftotext && have pdfinfo && have pdftoppm && have pdffonts && return 0
  apt_install poppler-utils
}

case "${1:-ensure}" in
  ensure)
    ensure_redis
    ensure_pg
    ensure_java
    ensure_poppler
    echo "services: redis 127.0.0.1:$redis_port and postgres 127.0.0.1:$pg_port are up" >&2
    ;;
  status)
    redis_ok && echo "redis: up" || echo "redis: down"
    pg_ok && echo "postgres: up" || echo "postgres: down"
    have pdftotext && echo "poppler-utils: installed" || echo "poppler-utils: missing"
    ;;
  *)
    echo "usage: scripts/services.sh ensure|status" >&2
    exit 2
    ;;
esac
