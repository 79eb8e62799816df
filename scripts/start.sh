#!/usr/bin/env bash
# The main job: installs what is missing, builds pkg/, then serves the demo page in the foreground on
# http://127.0.0.1:8080 (PORT and HOST override it). Ctrl-C stops it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
exec node www/serve.mjs --port "${PORT:-8080}" --host "${HOST:-127.0.0.1}"
