#!/usr/bin/env bash
# The web app under a fixed request rate on loopback, with the reference data set (100,000 records,
# ten years): p50/p99 latency of the home page and the journal page at RATE requests per second, and
# the resident memory of `thaw serve` (idle after unlocking, and its peak after the load).
#
# Needs `oha` (a constant-rate HTTP load generator with latency correction for coordinated
# omission): `cargo install oha --locked`. Reuses bench/perf.sh's vault of
# 100k records if it exists, otherwise seeds one.
#
#   bench/web-load.sh                    # RATE=500 DURATION=30s N=100000
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-500}
duration=${DURATION:-30s}
n=${N:-100000}
out=bench/out
mkdir -p "$out"
command -v oha >/dev/null || { echo "bench/web-load.sh needs oha: cargo install oha --locked" >&2; exit 1; }
export THAW_PASSPHRASE="benchmark passphrase"
cargo build --release -q -p thaw
thaw=$PWD/target/release/thaw
vault=$out/vault-$n
if [ ! -e "$vault/vault.key" ]; then
  rm -rf "$vault"
  "$thaw" --vault "$vault" init --json >/dev/null
  "$thaw" --vault "$vault" dev seed --records "$n" --seed 1 >/dev/null
fi

log=$(mktemp)
"$thaw" --vault "$vault" serve --no-open --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do [ -s "$log" ] && break; sleep 0.1; done
url=$(head -n1 "$log")
base=${url%%/?token=*}
token=${url##*token=}
auth="Authorization: Bearer $token"
curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"passphrase\": \"$THAW_PASSPHRASE\"}" "$base/api/v1/unlock"
rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }
curl -sf -o /dev/null -H "$auth" "$base/" && curl -sf -o /dev/null -H "$auth" "$base/journal"
echo "thaw serve, $n records, unlocked and idle: VmRSS $(rss VmRSS) KB, peak so far (VmHWM) $(rss VmHWM) KB"
echo "(the peak includes unlocking: Argon2id takes 128 MiB for a moment, then frees it)"
# CPU time of the server process (user + system) in clock ticks, to give CPU per request.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

report() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
name, path, cpu_us = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(path))
p = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
s = r["summary"]
print(f"| {name} | {s['requestsPerSec']:.0f} | {p['p50']*1000:.2f} ms | {p['p90']*1000:.2f} ms | {p['p99']*1000:.2f} ms "
      f"| {s['slowest']*1000:.2f} ms | {dict(codes)} | {cpu_us / max(sum(codes.values()), 1) / 1000:.2f} ms |")
PY
}
echo
echo "| page ($rate req/s for $duration) | achieved req/s | p50 | p90 | p99 | slowest | status codes | server CPU per request |"
echo "|---|---|---|---|---|---|---|---|"
for page in / /journal; do
  name=$([ "$page" = / ] && echo home || echo journal)
  before=$(ticks)
  oha --no-tui --output-format json -q "$rate" -z "$duration" --latency-correction -c 16 \
    -H "$auth" "$base$page" >"$out/web-$name.json"
  after=$(ticks)
  report "$name" "$out/web-$name.json" "$(( (after - before) * 1000000 / hz ))"
done
echo
echo "thaw serve after the load: VmRSS $(rss VmRSS) KB, peak (VmHWM) $(rss VmHWM) KB"
