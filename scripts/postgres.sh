#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free loopback port and prints its
# URL on stdout. Installs Debian's postgresql first when it is missing (that
# step needs root or sudo). Runs the server as the postgres user when root.
#
#   scripts/postgres.sh [DIR]      start a cluster in DIR (default: a new temp dir)
#   scripts/postgres.sh stop DIR   stop it and delete DIR
set -euo pipefail

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "stop" ]; then
    dir=${2:?usage: postgres.sh stop DIR}
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    exit 0
fi

if ! bindir >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get install -y -qq postgresql >&2
fi
bin=$(bindir)

dir=${1:-$(mktemp -d /tmp/archedit-pg.XXXXXX)}
mkdir -p "$dir"
# The server refuses to run as root and must own its data directory.
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
fi
chmod 700 "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync \
    >"$dir/initdb.log"
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >&2
echo "stop with: $0 stop $dir" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
