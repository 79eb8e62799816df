#!/usr/bin/env bash
# The build is scripts/build.mjs (Node): this name stays for the scripts, docs and habits that call it.
exec node "$(dirname "${BASH_SOURCE[0]}")/build.mjs" "$@"
