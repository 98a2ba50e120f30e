#!/usr/bin/env bash
# Installs what the tests need from Debian and npm when it is missing: a PostgreSQL server
# (the tests start their own cluster from its binaries), Chromium (the browser tests drive
# Debian's build through Playwright's executable_path; no `playwright install`), and the
# pinned npm packages of the tests. Safe to run again: each part checks first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The OpenID Connect provider tests/api/test_oidc.py starts: npm's oidc-provider, pinned by
# tests/oidc/package-lock.json; the accessibility rules the browser tests run: npm's
# axe-core, pinned by tests/web/axe/package-lock.json (the npm registry is reachable).
NPM_DIRS=("$ROOT/tests/oidc:oidc-provider" "$ROOT/tests/web/axe:axe-core")
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
UPDATED=""

apt_install() {
    # apt-get install the given packages, reading the package index once per run.
    if [ -z "$UPDATED" ]; then
        $SUDO apt-get update -qq
        UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

for entry in "${NPM_DIRS[@]}"; do
    dir="${entry%%:*}"
    package="${entry#*:}"
    [ -d "$dir/node_modules/$package" ] && continue
    if ! command -v npm >/dev/null 2>&1; then
        echo "installing node and npm from Debian (the npm packages of the tests)…"
        apt_install nodejs npm
    fi
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing Chromium from Debian (the browser tests of tests/web/browser)…"
    apt_install chromium
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1
then
    echo "installing PostgreSQL from Debian (needed by the store tests)…"
    apt_install postgresql
fi
