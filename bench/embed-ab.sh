#!/usr/bin/env bash
# Two builds of `thaw` taking turns on one vault, so that a change to the model's path is measured
# on the same machine at the same moment (docs/PERFORMANCE.md): `thaw journal add` with the
# 2,000-character entry and `thaw checkin` with a note, both loading the model.
# Usage: bench/embed-ab.sh OLD_THAW NEW_THAW   (e.g. a copy of target/release/thaw before a change)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
scripts/fetch-model >/dev/null
model="${THAW_MODEL_DIR:-$PWD/models/all-minilm-l6-v2}"
cargo build --release -q -p thaw-embed --example probe
target="${CARGO_TARGET_DIR:-target}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
vault=$out/vault
export THAW_PASSPHRASE="benchmark passphrase"
"$new" --vault "$vault" init --json >/dev/null
"$new" --vault "$vault" unlock --for 30m >/dev/null
entry=$("$target/release/examples/probe" --print-entry | tr -d "'")
# Each build fills the model folder's cache once (they may key it alike; then this is a no-op).
for bin in "$old" "$new"; do
  THAW_MODEL_DIR=$model "$bin" --vault "$vault" journal add --title warm-up --body "$entry" >/dev/null
done
THAW_PASSPHRASE= hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
  -n "old: journal add, 2,000 characters" "env THAW_MODEL_DIR=$model $old --vault $vault journal add --title bench --body '$entry'" \
  -n "new: journal add, 2,000 characters" "env THAW_MODEL_DIR=$model $new --vault $vault journal add --title bench --body '$entry'" \
  -n "old: checkin with a note" "env THAW_MODEL_DIR=$model $old --vault $vault checkin --feel calm:3 --note 'a quiet evening, a bit flat'" \
  -n "new: checkin with a note" "env THAW_MODEL_DIR=$model $new --vault $vault checkin --feel calm:3 --note 'a quiet evening, a bit flat'"
