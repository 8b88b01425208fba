#!/usr/bin/env bash
# How long `thaw sync` takes for ten years of records (the reference data set: 100,000 records,
# 30,000 journal entries) through the real HTTP API: vault A (seeded) syncs to a server, then an
# empty vault B syncs from it, then A runs again with nothing to do. The server is `thaw serve` on
# a third vault, reached with its launch token (THAW_SYNC_TOKEN); a hosted account answers the same
# routes. Results go to bench/out/sync.txt.
#
#   bench/sync.sh                 # RECORDS=100000 by default
#   RECORDS=10000 bench/sync.sh
#   PROFILE=debug bench/sync.sh   # the dev build (dependencies at opt-level 2, Thaw's crates at 0)
#   NO_BUILD=1 …                  # use the binary already built
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/sync
mkdir -p "$out"
records=${RECORDS:-100000}
profile=${PROFILE:-release}
if [ -z "${NO_BUILD:-}" ]; then
  if [ "$profile" = release ]; then cargo build --release -q -p thaw; else cargo build -q -p thaw; fi
fi
thaw=${CARGO_TARGET_DIR:-$PWD/target}/$profile/thaw
export THAW_PASSPHRASE="benchmark passphrase" THAW_SYNC_PASSPHRASE="benchmark passphrase"
rm -rf "$out/a" "$out/b" "$out/server"
for v in a b server; do THAW_VAULT=$out/$v "$thaw" init --json >/dev/null; done
THAW_VAULT=$out/a "$thaw" dev seed --records "$records" --years 10 >/dev/null
THAW_VAULT=$out/server "$thaw" serve --no-open --port 0 >"$out/serve.out" 2>/dev/null &
serve=$!
trap 'kill $serve 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/serve.out" ] && break; sleep 0.1; done
link=$(head -1 "$out/serve.out")
export THAW_SYNC_TOKEN=${link#*token=}
base=${link%%/\?token=*}
timed() { # label, vault, args…
  local label=$1 vault=$2; shift 2
  local start end
  start=$(date +%s.%N)
  THAW_VAULT=$out/$vault "$thaw" sync "$@" --json >"$out/$label.json"
  end=$(date +%s.%N)
  printf '%-32s %8.1f s  %s\n' "$label" "$(echo "$end - $start" | bc)" "$(tr -d ' \n' <"$out/$label.json")"
}
{
  echo "thaw sync, $records records ($profile build), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
  timed "A sends everything" a --server "$base"
  timed "B receives everything" b --server "$base"
  timed "A again, nothing to do" a
  THAW_VAULT=$out/a "$thaw" journal add --title "one more" --body "a small change" >/dev/null
  timed "A sends one new entry" a
  timed "B receives it" b
} | tee "$out/../sync.txt"
