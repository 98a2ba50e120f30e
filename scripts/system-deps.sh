#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: a PostgreSQL server
# (the tests start their own cluster from its binaries). Safe to run again.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing PostgreSQL from Debian (needed by the store tests)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
