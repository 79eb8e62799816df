#!/usr/bin/env bash
# The main job: installs what is missing, builds pkg/, then serves the demo page in the foreground on
# http://127.0.0.1:8080 (PORT and HOST override it). Ctrl-C stops it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
# The demo page offers every personal document, so the server accepts them all (without --kinds it accepts the
# package's default: cn_resident, hk_macao_taiwan_residence_permit, foreign_permanent_resident).
exec node www/serve.mjs --port "${PORT:-8080}" --host "${HOST:-127.0.0.1}" \
  --kinds cn_resident,hk_macao_taiwan_residence_permit,foreign_permanent_resident,hk_id,mo_id,tw_id,hk_macao_home_return_permit,tw_mtp,cn_passport
