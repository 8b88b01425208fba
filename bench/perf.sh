#!/usr/bin/env bash
# Whole-process benchmarks of the `thaw` CLI on generated vaults of 1k, 10k and 100k records
# (100k = the reference data set of PRODUCT.md §7: ten years, 30,000 journal entries, ~70 MB of text).
# Needs hyperfine (apt-get install hyperfine). Results go to bench/out/; the summary is printed.
#
#   bench/perf.sh            # all sizes
#   SIZES="100000" bench/perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
export THAW_PASSPHRASE="benchmark passphrase"
cargo build --release -q -p thaw
cargo build --release -q -p thaw-store --examples
thaw=$PWD/target/release/thaw
floor=$PWD/target/release/examples/fts_floor
copy=$PWD/target/release/examples/plain_copy
sizes=${SIZES:-"1000 10000 100000"}
# Windows for insights and the visit summary: the last year and the last ten years (the generator
# spreads its records over the ten years before today).
from1=$(date -d '-1 year +1 day' +%F)
from10=$(date -d '-10 years +1 day' +%F)

for n in $sizes; do
  vault=$out/vault-$n
  if [ ! -e "$vault/vault.key" ]; then
    rm -rf "$vault"
    "$thaw" --vault "$vault" init --json >/dev/null
    /usr/bin/time -f "seed $n records: %e s, %M KB max RSS" "$thaw" --vault "$vault" dev seed --records "$n" --seed 1
  fi
  "$copy" "$vault" "$out/plain-$n.db"
  # Later commands use the unlock cache (kernel keyring), as a person would after `thaw unlock`.
  "$thaw" --vault "$vault" unlock --for 30m >/dev/null
  THAW_PASSPHRASE= hyperfine -N --warmup 3 --runs 30 --export-json "$out/cli-$n.json" \
    -n "add check-in" "$thaw --vault $vault checkin --feel calm:3 --note benchmark" \
    -n "add journal entry" "$thaw --vault $vault journal add --title bench --body 'a short entry about the lake'" \
    -n "search common word" "$thaw --vault $vault search lake" \
    -n "search two words" "$thaw --vault $vault search grandmother winter" \
    -n "list recent journal" "$thaw --vault $vault journal list --limit 20" \
    -n "insights, one year" "$thaw --vault $vault insights --from $from1" \
    -n "insights, ten years" "$thaw --vault $vault insights --from $from10" \
    -n "summary PDF, one year" "$thaw --vault $vault report --format pdf --from $from1 -o $out/summary-$n.pdf --force" \
    -n "summary PDF, ten years" "$thaw --vault $vault report --format pdf --from $from10 -o $out/summary-$n.pdf --force" \
    -n "bare FTS5 common word (floor)" "$floor $out/plain-$n.db lake" \
    -n "bare FTS5 two words (floor)" "$floor $out/plain-$n.db grandmother winter" \
    > "$out/cli-$n.txt"
  "$thaw" --vault "$vault" lock >/dev/null
done

# Unlock pays Argon2id once (size-independent).
hyperfine -N --warmup 1 --runs 10 --export-json "$out/unlock.json" \
  -n "unlock (Argon2id, m=128 MiB t=3 p=1)" "$thaw --vault $out/vault-${sizes##* } unlock --for 1m" > "$out/unlock.txt"
"$thaw" --vault "$out/vault-${sizes##* }" lock >/dev/null

python3 - "$out" $sizes <<'PY'
import json, sys
out, sizes = sys.argv[1], sys.argv[2:]
print("| operation | " + " | ".join(f"{int(s):,} records" for s in sizes) + " |")
print("|---|" + "---|" * len(sizes))
rows = {}
for s in sizes:
    for r in json.load(open(f"{out}/cli-{s}.json"))["results"]:
        rows.setdefault(r["command"], {})[s] = r
for name, by in rows.items():
    cells = []
    for s in sizes:
        r = by.get(s)
        cells.append(f"{r['median']*1000:.1f} ms (CPU {(r['user'] + r['system'])*1000:.1f})" if r else "")
    print(f"| {name} | " + " | ".join(cells) + " |")
u = json.load(open(f"{out}/unlock.json"))["results"][0]
print(f"\nunlock: median {u['median']*1000:.0f} ms")
PY
