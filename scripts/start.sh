#!/usr/bin/env bash
# The main job: installs what is missing, builds pkg/ and the reference backend (the Rust server, server/), then
# serves the demo in the foreground on http://127.0.0.1:8080 (PORT and HOST override it): the pages of www/ at /, the
# package at /pkg/, the API at /api, its database and key file in ./var (SHIMING_DATA_DIR overrides it). Ctrl-C stops
# it.
#
# On the first start the server creates the admin token and prints it once (`admin token: …`; only its hash is kept):
# the admin page needs it (Settings → extra request headers: `Authorization: Bearer <token>`). SHIMING_ADMIN_TOKEN
# gives one instead. Arguments go to the server as they are (e.g. `--port 9000`, `--fault-fail 10%`, `--quiet`): see
# `target/release/shiming-server --help`. SHIMING_SERVER_BIN runs that binary instead of building the server.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ -n "${SHIMING_SERVER_BIN:-}" ]; then
  server="$SHIMING_SERVER_BIN"
else
  echo "[start] cargo build --release -p shiming-server" >&2
  cargo build --release -p shiming-server
  target_dir="$(cargo metadata --no-deps --format-version 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
  server="$target_dir/release/shiming-server"
fi

# The demo page offers every personal document (www/kinds.js, DEMO_KINDS), so the server accepts them all (without
# --kinds it accepts the core's default: cn_resident, hk_macao_taiwan_residence_permit, foreign_permanent_resident).
# SHIMING_KINDS overrides the list.
demo_kinds="$(node --input-type=module -e 'import { DEMO_KINDS } from "./www/kinds.js"; console.log(DEMO_KINDS.join(","))')"

# Through the environment (the server reads PORT, HOST, SHIMING_DATA_DIR, SHIMING_KINDS, as every SHIMING_* flag), so
# that the same flags given as arguments win.
export PORT="${PORT:-8080}" HOST="${HOST:-127.0.0.1}" SHIMING_DATA_DIR="${SHIMING_DATA_DIR:-./var}"
export SHIMING_KINDS="${SHIMING_KINDS:-$demo_kinds}"
if [ ! -e "$SHIMING_DATA_DIR/shiming.sqlite3" ] && [ -z "${SHIMING_DATABASE_URL:-}" ] && [ -z "${SHIMING_ADMIN_TOKEN:-}" ]; then
  echo "[start] first start: the server creates the admin token and prints it once below; keep it (the admin page asks for it)" >&2
fi
exec "$server" "$@"
