#!/usr/bin/env bash
# The hosted server (`thaw host`, release build) under a fixed request rate on loopback, with
# PostgreSQL 15 on the same machine: ACCOUNTS accounts with a year of records each (RECORDS per
# account, from the sample generator of `thaw dev seed`), a mixed load of 70 % reads and 30 %
# writes across all of them with bearer tokens, and the same load during a sign-in flood. Prints
# p50/p90/p99 per route, the server's memory and CPU (docs/PERFORMANCE.md has the figures).
#
#   bench/host-load.sh          # ACCOUNTS=1000 RECORDS=1000 RATE=300 DURATION=60 MODEL=both
#   PHASES=steady MODEL=off bench/host-load.sh
#
# The PostgreSQL cluster lives in bench/out/pg (BENCH_PG_DIR) and is kept between runs, so the
# seeding (resumable: bench/out/pg/seeded lists finished accounts) is paid once; remove the folder
# for a fresh start. As root, PostgreSQL runs as the `postgres` user (initdb refuses root). It
# listens only on a Unix socket in that folder; `thaw host` only on 127.0.0.1. Durable commits
# (fsync on), PostgreSQL's defaults otherwise (shared_buffers 128 MB).
#
# The on-device model is used when `thaw host` finds it ($THAW_MODEL_DIR, or models/ beside the
# program or up to three folders above it); THAW_MODEL_DIR=/nonexistent measures the phrase layer
# alone. What the server says on standard error (e.g. how many saves the model's gate left to the
# phrase layer alone) is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${ACCOUNTS:-1000}
records=${RECORDS:-1000}
rate=${RATE:-300}
duration=${DURATION:-60}
phases=${PHASES:-steady,flood-one,flood-many}
out=bench/out
mkdir -p "$out"
root=$(realpath -m "${BENCH_PG_DIR:-$out/pg}")
target=${CARGO_TARGET_DIR:-target}

bindir="${THAW_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "bench/host-load.sh needs PostgreSQL's server programs (Debian: apt-get install postgresql-15)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

echo "Building thaw and the load tools (release) …" >&2
if [ -z "${SKIP_BUILD:-}" ]; then
  cargo build --release -q -p thaw --bin thaw --example host_load
  cargo build --release -q -p thaw-store-pg --example host_seed
fi
thaw=$target/release/thaw

mkdir -p "$root"
chmod 700 "$root"
[ "$(id -u)" = 0 ] && chown postgres: "$root"
data=$root/data
pgport=5432
server=
stop() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop EXIT
fresh=0
if [ ! -f "$data/PG_VERSION" ]; then
  as_pg "$bindir/initdb" -A trust -U postgres -E UTF8 --no-locale -D "$data" >/dev/null
  fresh=1
fi
if ! as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_pg "$bindir/pg_ctl" -D "$data" -l "$root/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$root' -p $pgport" start >/dev/null
fi
psql() { as_pg "$bindir/psql" -h "$root" -p "$pgport" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$fresh" = 1 ]; then
  psql -d postgres -c "CREATE ROLE thaw_owner LOGIN NOSUPERUSER NOBYPASSRLS" \
    -c "CREATE ROLE thaw_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE" \
    -c "CREATE DATABASE thaw OWNER thaw_owner"
  psql -d thaw -c "ALTER SCHEMA public OWNER TO thaw_owner"
fi
app_url="host=$root port=$pgport user=thaw_app dbname=thaw"
THAW_OWNER_DATABASE_URL="host=$root port=$pgport user=thaw_owner dbname=thaw" "$thaw" host migrate >&2

echo "Seeding $accounts accounts × $records records (resumes where it stopped) …" >&2
start=$(date +%s.%N)
if [ "$(cat "$root/seeded" 2>/dev/null | wc -l)" -lt $((accounts + 4)) ]; then
  THAW_DATABASE_URL=$app_url "$target/release/examples/host_seed" "$accounts" "$records" "$root/seeded" 2
fi
psql -d thaw -c "VACUUM ANALYZE" >&2
echo "seeding took $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s; database size: $(psql -d thaw -c "SELECT pg_size_pretty(pg_database_size('thaw'))")" >&2

# One run of the load against a fresh `thaw host`: $1 names it, $2 is the model folder for the
# server (a folder without a model: the phrase layer alone), $3 the phases.
run_load() {
  local label=$1 model=$2 phases=$3 log
  log=$(mktemp)
  echo "== $label" >&2
  # --behind-proxy so that the flood can claim many client addresses (X-Forwarded-For); the
  # steady load sends none and counts as 127.0.0.1.
  THAW_MODEL_DIR=$model THAW_DATABASE_URL=$app_url "$thaw" host --listen 127.0.0.1:0 --signup closed \
    --behind-proxy >"$log" 2>"$log.err" &
  server=$!
  for _ in $(seq 300); do [ -s "$log" ] && break; sleep 0.1; done
  url=$(head -n1 "$log")
  case "$url" in http://*) ;; *) echo "thaw host did not start: $(cat "$log.err")" >&2; exit 1 ;; esac
  echo "thaw host at $url (pid $server); load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  echo "## $label"
  "$target/release/examples/host_load" --url "$url" --pid "$server" --accounts "$accounts" \
    --rate "$rate" --duration "$duration" --phases "$phases" | tee "$out/host-load-${label%% *}.md"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # What the server told its operator (e.g. that the on-device model was busy: counts only).
  { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; } || true
  server=
  if [ -s "$log.err" ]; then echo "thaw host said on standard error:" >&2; sed 's/^/  /' "$log.err" >&2; fi
  rm -f "$log" "$log.err"
}

# MODEL=off: the server and its storage alone (the phrase layer checks every text), every phase.
# MODEL=on: with the on-device model, as a real deployment runs (its capacity: docs/HOSTED.md).
# MODEL=both (default): off with every phase, then on with the steady load.
model_dir=${THAW_MODEL_DIR:-$PWD/models/all-minilm-l6-v2}
no_model=$(mktemp -d)
case ${MODEL:-both} in
  off) run_load "phrase layer only" "$no_model" "$phases" ;;
  on) run_load "model on" "$model_dir" "$phases" ;;
  both)
    run_load "phrase layer only" "$no_model" "$phases"
    if [ -f "$model_dir/model.safetensors" ]; then
      run_load "model on" "$model_dir" steady
    else
      echo "No on-device model in $model_dir (scripts/fetch-model): the run with the model is skipped." >&2
    fi
    ;;
  *) echo "MODEL must be off, on or both" >&2; exit 2 ;;
esac
rmdir "$no_model"
