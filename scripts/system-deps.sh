#!/usr/bin/env bash
# Installs the system packages archedit needs that pip cannot bring:
# bubblewrap, the sandbox generated code runs in, and PostgreSQL, which the
# tests of shared checkpoints start throwaway servers of (scripts/postgres.sh).
# Needs root (or sudo).
set -euo pipefail
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
