#!/usr/bin/env bash
# Side by side with jrnl 4.6 (PyPI, in a virtualenv) on the same journal: 10k and 100k entries in
# jrnl's plain-text format, imported into Thaw with `thaw import jrnl`. Measures search and add for
# both, plus Thaw's search against the bare FTS5 floor on an unencrypted copy. Needs hyperfine.
#   bench/compare-jrnl.sh            # SIZES="10000 100000" by default
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD/bench/out/jrnl
mkdir -p "$out"
if [ ! -x "$out/venv/bin/jrnl" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q "jrnl==4.6"
fi
cargo build --release -q -p thaw
cargo build --release -q -p thaw-store --examples
thaw=$PWD/target/release/thaw
export THAW_PASSPHRASE="benchmark passphrase"
for n in ${SIZES:-10000 100000}; do
  journal=$out/journal-$n.txt
  [ -s "$journal.orig" ] || python3 bench/make-jrnl.py "$n" "$journal.orig"
  cp "$journal.orig" "$journal"
  cat > "$out/jrnl-$n.yaml" <<YAML
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default: {journal: $journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
YAML
  jrnl="$out/venv/bin/jrnl --config-file $out/jrnl-$n.yaml"
  vault=$out/vault-$n
  rm -rf "$vault"
  "$thaw" --vault "$vault" init --json >/dev/null
  /usr/bin/time -f "thaw import jrnl, $n entries: %e s wall, %M KB max RSS" "$thaw" --vault "$vault" import jrnl "$journal" >/dev/null
  THAW_PASSPHRASE="$THAW_PASSPHRASE" target/release/examples/plain_copy "$vault" "$out/plain-$n.db"
  "$thaw" --vault "$vault" unlock --for 30m >/dev/null
  runs=$([ "$n" -ge 100000 ] && echo 3 || echo 10)
  THAW_PASSPHRASE= hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/search-$n.json" \
    -n "jrnl -contains" "$jrnl -contains grandmother" \
    -n "thaw search" "$thaw --vault $vault search grandmother" \
    -n "bare FTS5 (floor)" "target/release/examples/fts_floor $out/plain-$n.db grandmother"
  THAW_PASSPHRASE= hyperfine -N --warmup 0 --runs "$runs" --export-json "$out/add-$n.json" \
    -n "jrnl add one entry" "$jrnl Benchmark entry. A short line about the lake." \
    -n "thaw journal add" "$thaw --vault $vault journal add --title 'Benchmark entry' --body 'A short line about the lake.'"
  "$thaw" --vault "$vault" lock >/dev/null
done
