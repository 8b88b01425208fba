#!/usr/bin/env bash
# How long `thaw sync` takes for ten years of records (the reference data set: 100,000 records,
# 30,000 journal entries) through the real HTTP API: vault A (seeded) syncs to a server, then an
# empty vault B syncs from it, then A runs again with nothing to do, then one small change each
# way. Whole `thaw sync` processes are timed (opening the vault with Argon2id and signing in
# included). Results go to bench/out/sync.txt.
#
# The server is, by default, `thaw host` on a throwaway PostgreSQL 15 cluster on this machine
# (durable commits; the `pg_cluster` example of thaw-store-pg starts it and removes it afterwards),
# with one account made through `POST /api/v1/accounts`, as a phone would. SERVER=serve uses
# `thaw serve` on a third vault instead, reached with its launch token (THAW_SYNC_TOKEN).
#
#   bench/sync.sh                 # RECORDS=100000, SERVER=host by default
#   RECORDS=10000 bench/sync.sh
#   SERVER=serve bench/sync.sh
#   PROFILE=debug bench/sync.sh   # the dev build (dependencies at opt-level 2, Thaw's crates at 0)
#   NO_BUILD=1 …                  # use the binaries already built
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/sync
mkdir -p "$out"
records=${RECORDS:-100000}
profile=${PROFILE:-release}
server_kind=${SERVER:-host}
flag=; [ "$profile" = release ] && flag=--release
if [ -z "${NO_BUILD:-}" ]; then
  cargo build $flag -q -p thaw --bin thaw
  if [ "$server_kind" = host ]; then
    cargo build $flag -q -p thaw-store-pg --features testing --example pg_cluster
  fi
fi
target=${CARGO_TARGET_DIR:-$PWD/target}/$profile
thaw=$target/thaw
export THAW_PASSPHRASE="benchmark passphrase"
rm -rf "$out/a" "$out/b" "$out/server" "$out"/*.json "$out"/*.out
for v in a b; do THAW_VAULT=$out/$v "$thaw" init --json >/dev/null; done
THAW_VAULT=$out/a "$thaw" dev seed --records "$records" --years 10 >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  exec 3>&- 2>/dev/null || true # the cluster stops and removes its files when its stdin closes
  wait 2>/dev/null || true
}
trap cleanup EXIT
first_line() { # file: waits until the file has a first line, then prints it
  for _ in $(seq 600); do [ -s "$1" ] && head -1 "$1" | grep -q . && break; sleep 0.1; done
  head -1 "$1"
}
who=()
if [ "$server_kind" = host ]; then
  # The cluster lives while its stdin stays open: a FIFO held open on fd 3 until cleanup.
  rm -f "$out/pg.in"; mkfifo "$out/pg.in"
  "$target/examples/pg_cluster" --durable <"$out/pg.in" >"$out/pg.out" 2>/dev/null &
  exec 3>"$out/pg.in"
  db_url=$(first_line "$out/pg.out")
  THAW_DATABASE_URL=$db_url "$thaw" host --listen 127.0.0.1:0 --signup open >"$out/host.out" 2>/dev/null &
  pids+=($!)
  base=$(first_line "$out/host.out")
  export THAW_SYNC_PASSPHRASE="the account's own passphrase"
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"passphrase\":\"$THAW_SYNC_PASSPHRASE\"}" "$base/api/v1/accounts"
  who=(--username bench)
  what="thaw host on PostgreSQL 15 (durable commits)"
else
  THAW_VAULT=$out/server "$thaw" init --json >/dev/null
  THAW_VAULT=$out/server "$thaw" serve --no-open --port 0 >"$out/serve.out" 2>/dev/null &
  pids+=($!)
  link=$(first_line "$out/serve.out")
  export THAW_SYNC_TOKEN=${link#*token=} THAW_SYNC_PASSPHRASE=$THAW_PASSPHRASE
  base=${link%%/\?token=*}
  what="thaw serve"
fi
timed() { # label, vault, args…
  local label=$1 vault=$2; shift 2
  local start end
  start=$(date +%s.%N)
  THAW_VAULT=$out/$vault "$thaw" sync "$@" --json >"$out/$label.json"
  end=$(date +%s.%N)
  printf '%-32s %8.1f s  %s\n' "$label" "$(echo "$end - $start" | bc)" "$(tr -d ' \n' <"$out/$label.json")"
}
{
  echo "thaw sync, $records records ($profile build) through $what, $(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  timed "A sends everything" a --server "$base" "${who[@]}"
  timed "B receives everything" b --server "$base" "${who[@]}"
  timed "A again, nothing to do" a
  THAW_VAULT=$out/a "$thaw" journal add --title "one more" --body "a small change" >/dev/null 2>&1
  timed "A sends one new entry" a
  timed "B receives it" b
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/../sync.txt"
