#!/usr/bin/env bash
# Installs a C compiler from Debian when it is missing: discreet's inner loops are Cython
# (src/discreet/match/_kernel.pyx, src/discreet/text/_phonetic.pyx), compiled when the
# package is installed. Safe to run again.
set -euo pipefail
if command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing a C compiler from Debian (needed to build discreet's compiled parts)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq build-essential >/dev/null
