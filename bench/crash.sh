#!/usr/bin/env bash
# The crash harness at a larger count than CI runs: SIGKILL `thaw dev write-loop` at random moments,
# ROUNDS times, then prove every acknowledged write is present and `thaw check` passes.
#   ROUNDS=500 bench/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export THAW_CRASH_ROUNDS=${ROUNDS:-300}
cargo test -q --release -p thaw --test it sigkill_during_writes -- --nocapture 2>&1 | grep -E "crash harness|test result"
