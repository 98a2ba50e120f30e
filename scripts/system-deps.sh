#!/usr/bin/env bash
# Installs what the tests need from Debian when it is missing: a PostgreSQL server
# (the tests start their own cluster from its binaries). Safe to run again.
set -euo pipefail
# The OpenID Connect provider tests/api/test_oidc.py starts: npm's oidc-provider, pinned by
# tests/oidc/package-lock.json (node is on the machine; the npm registry is reachable).
OIDC="$(cd "$(dirname "$0")/.." && pwd)/tests/oidc"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -d "$OIDC/node_modules/oidc-provider" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "installing node and npm from Debian (the OpenID Connect provider of the tests)…"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
    fi
    (cd "$OIDC" && npm ci --no-audit --no-fund --loglevel=error)
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1; then
    exit 0
fi
echo "installing PostgreSQL from Debian (needed by the store tests)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
