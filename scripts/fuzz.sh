#!/usr/bin/env bash
# Runs the cargo-fuzz targets for a given total time, then prints how many executions ran clean:
#   check_id            the ID parser (plus the name and phone parsers on the same bytes)
#   check_registration  the whole registration form, on arbitrary JSON
#   evaluate_policy     the minor-protection policy parser and evaluation, on arbitrary policy JSON
#   verify_receipt      consent receipt parsing and verification (and RFC 8785), on arbitrary JSON
#   sync_queue          the sync client core: restoring any stored queue, and any script of events
#   bash scripts/fuzz.sh SECONDS [TARGET]     (default 60 s, shared by the targets; TARGET runs just that one)
# Exits non-zero on a crash (the input is saved under fuzz/artifacts/TARGET/).
set -euo pipefail

SECS="${1:-60}"
case "$SECS" in '' | *[!0-9]*) echo "usage: $0 SECONDS" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: installing the nightly toolchain" >&2
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# Seed corpus: a few valid and invalid IDs (the working corpus dir is gitignored; seeds are rewritten each run).
CORPUS=fuzz/corpus/check_id
mkdir -p "$CORPUS"
i=0
for seed in \
  11010519491231002X 440305199001011232 500154199301135886 310104200002290017 \
  11010519491231002x ' 11010519491231002X ' '１１０１０５１９４９１２３１００２Ｘ' \
  110105491231002 110105491231002X 1101051949123100 1101051949123100211 \
  110105194913310028 990105194912310021 11010519491231002 '' 'X' \
  $'11010519491231002X\n440305199001011232\r\n' $'\n\n\r\n' '张三'; do
  printf '%s' "$seed" > "$CORPUS/seed_$i"
  i=$((i + 1))
done

TARGETS="${2:-check_id check_registration evaluate_policy verify_receipt sync_queue}"
for target in $TARGETS; do
  case "$target" in check_id | check_registration | evaluate_policy | verify_receipt | sync_queue) ;; *) echo "fuzz: unknown target $target" >&2; exit 2 ;; esac
done
set -- $TARGETS
PER=$(( SECS / $# ))
[ "$PER" -ge 1 ] || PER=1

# Seeds for the form: JSON forms, valid and not.
RCORPUS=fuzz/corpus/check_registration
mkdir -p "$RCORPUS"
i=0
for seed in \
  '{"name":"张三","idNumber":"11010519491231002X","phone":"13812345678","password":"correct horse 7","username":"zs"}' \
  '{"name":"Zhang San","idKind":"cn_resident","idNumber":"110105194912310021","phone":"+852 5123 4567","password":"Pw13812345678"}' \
  '{"name":5,"idKind":"uscc","idNumber":null,"phone":[],"password":{},"username":true}' \
  '[1,2,3]' '"x"' '{}' $'张三\x0111010519491231002X\x0113812345678\x01abc'; do
  printf '%s' "$seed" > "$RCORPUS/seed_$i"
  i=$((i + 1))
done

# Seeds for the policy: the preset and a few broken documents.
PCORPUS=fuzz/corpus/evaluate_policy
mkdir -p "$PCORPUS"
cp data/policy/cn-2024-games.json "$PCORPUS/seed_preset"
cp data/policy/cn-2024-content.json "$PCORPUS/seed_content"
i=0
for seed in '{}' '[]' '{"format":1}' '"x"' '{"a":1,"a":2}' '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]' \
  '"\ud800"' '1e999' '-0' '"cn-2025", "x": 1' '"x", "payment": [{"minAge": 3, "maxAge": 2}]'; do
  printf '%s' "$seed" > "$PCORPUS/seed_$i"
  i=$((i + 1))
done

# Seeds for receipts: a valid one (rewritten by the target itself when the bytes are spliced in)
# and a few broken ones.
CCORPUS=fuzz/corpus/verify_receipt
mkdir -p "$CCORPUS"
i=0
for seed in '{}' '[]' '"x"' '{"version":"KI-CR-v1.1.0"}' '{"reading":{"viewport":{}}}' \
  '{"document":{"id":"privacy_policy","version":"1","kind":"privacy_policy","digest":"00"}}' \
  '[1.5e308, -0, 1E-7, 333333333.33333329]' '{"\ud83d\ude00":1,"\ufb33":2}' '1e999'; do
  printf '%s' "$seed" > "$CCORPUS/seed_$i"
  i=$((i + 1))
done

# Seeds for the sync queue: an empty queue, garbage, and a script of events (enqueue, poll, answer, reload).
SCORPUS=fuzz/corpus/sync_queue
mkdir -p "$SCORPUS"
printf '%s' '{"format":1,"entries":[]}' > "$SCORPUS/seed_0"
printf '%s' '{}' > "$SCORPUS/seed_1"
printf '\x00\x01\x02\x03\x01\x05\x02\x00\x02\x00\x00\x00\x03\x0a\x01\x07\x07\x00\x00\x00\x02\x00\x00\x00\x04\x01\x00\x00' > "$SCORPUS/seed_2"

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
for target in "$@"; do
  status=0
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$PER" -print_final_stats=1 -max_len=4096 2>&1 | tee "$LOG" || status=$?

  runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$LOG" | tail -n 1)"
  if [ -z "$runs" ]; then
    runs="$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$LOG" | tail -n 1)"
  fi
  if [ "$status" -ne 0 ] || grep -q -e '^==[0-9]*==ERROR' -e 'panicked at' -e 'SUMMARY: libFuzzer' "$LOG"; then
    echo "fuzz: CRASH after ${runs:-?} executions (exit $status); see fuzz/artifacts/$target/" >&2
    [ "$status" -ne 0 ] || status=1
    exit "$status"
  fi
  echo "fuzz: ${runs:-?} executions ran clean in ${PER}s (target $target)"
done
