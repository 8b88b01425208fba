#!/usr/bin/env bash
# The on-device model's speed and size (docs/PERFORMANCE.md, "On-device model"): one whole
# process as `thaw journal add` would run it (load, check, suggest) with its peak memory, then the
# criterion benchmarks, then the size of a release binary that holds thaw-embed.
# Needs the model: scripts/fetch-model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-model >/dev/null
export THAW_MODEL_DIR="${THAW_MODEL_DIR:-$PWD/models/all-minilm-l6-v2}"
cargo build --quiet --release -p thaw-embed --example probe
target="${CARGO_TARGET_DIR:-target}"
echo "== one process (second run: exemplars and vocabulary come from the cache)"
"$target/release/examples/probe" >/dev/null
/usr/bin/time -f "wall %e s, peak RSS %M KB" "$target/release/examples/probe"
echo "== release binary holding thaw-embed (probe example)"
ls -l "$target/release/examples/probe" | awk '{printf "%.1f MB\n", $5/1048576}'
echo "== criterion"
cargo bench --quiet -p thaw-embed --bench embed
