#!/usr/bin/env bash
# Whole-process timings of the CLI with the on-device model (docs/PERFORMANCE.md, "On-device model
# in the CLI"): `thaw checkin` without a note (must not load the model), `thaw journal add` with a
# 2,000-character entry (loads the model, checks both layers), the same without the model (phrase
# layer only), and `thaw suggest`. Needs hyperfine (apt-get install hyperfine) and the model
# (scripts/fetch-model). The vault is unlocked once (kernel keyring), as after `thaw unlock`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-model >/dev/null
model="${THAW_MODEL_DIR:-$PWD/models/all-minilm-l6-v2}"
# Two builds: with `--example`, cargo builds only the examples of the packages named.
cargo build --release -q -p thaw
cargo build --release -q -p thaw-embed --example probe
target="${CARGO_TARGET_DIR:-target}"
thaw=$PWD/$target/release/thaw
[ -x "$thaw" ] || thaw=$target/release/thaw
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
vault=$out/vault
export THAW_PASSPHRASE="benchmark passphrase"
"$thaw" --vault "$vault" init --json >/dev/null
"$thaw" --vault "$vault" unlock --for 30m >/dev/null
# The same 2,000-character entry as the criterion benchmark (40 different sentences), without its
# apostrophes so that hyperfine can pass it as one argument.
entry=$("$target/release/examples/probe" --print-entry | tr -d "'")
# The first run with the model embeds the exemplars into the model folder's cache.
THAW_MODEL_DIR=$model "$thaw" --vault "$vault" journal add --title warm-up --body "$entry" >/dev/null
THAW_PASSPHRASE= hyperfine -N --warmup 3 --runs 20 \
  -n "checkin, no note (no model)" "env THAW_MODEL_DIR=$model $thaw --vault $vault checkin --feel calm:3" \
  -n "checkin with a note (model)" "env THAW_MODEL_DIR=$model $thaw --vault $vault checkin --feel calm:3 --note 'a quiet evening, a bit flat'" \
  -n "journal add, 2,000 characters (model)" "env THAW_MODEL_DIR=$model $thaw --vault $vault journal add --title bench --body '$entry'" \
  -n "journal add, 2,000 characters (no model)" "env THAW_MODEL_DIR=$out/none $thaw --vault $vault journal add --title bench --body '$entry'" \
  -n "suggest, one sentence (model)" "env THAW_MODEL_DIR=$model $thaw --vault $vault suggest 'I felt nothing at the party, just blank'"
echo "== peak memory, journal add with the model"
THAW_PASSPHRASE= THAW_MODEL_DIR=$model /usr/bin/time -f "wall %e s, peak RSS %M KB" \
  "$thaw" --vault "$vault" journal add --title bench --body "$entry" >/dev/null
# `thaw serve` loads the model once at start, on a thread of its own: its resident memory once that
# has settled (VmRSS), and the peak (VmHWM), with and without the model. Locked, idle, no requests.
serve_rss() {
  local label=$1 dir=$2 pid rss last=0 same=0
  THAW_MODEL_DIR=$dir "$thaw" --vault "$vault" serve --no-open --port 0 >/dev/null 2>&1 &
  pid=$!
  # Settled: the same VmRSS for 2 s (20 looks, 0.1 s apart), at most 60 s.
  for _ in $(seq 600); do
    sleep 0.1
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    if [ "$rss" = "$last" ]; then same=$((same + 1)); else same=0; last=$rss; fi
    [ "$same" -ge 20 ] && break
  done
  echo "thaw serve, $label: $(awk '/^VmRSS|^VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$pid/status")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
echo "== thaw serve memory"
serve_rss "model loaded" "$model"
serve_rss "no model" "$out/none"
