#!/usr/bin/env bash
# The build-time cost of a comparison page (issue #25): a site of two ~100-page versions of
# one document (the pair of bench/compare.sh: the code of criminal procedure of 1997, corpus
# file u0297, and a second version of it by seeded edits, crates/compare/examples/bench.rs),
# built once with the newer version naming the older one (`previous`: the chain, and the
# comparison page /programy/nowa/zmiany/) and once without. Prints the wall time and peak
# memory of each build (best of 3) and the comparison page's size.
#
#   bash bench/versions.sh [STATUTE.txt]
#
# Needs a release build and GNU time (/usr/bin/time). Everything goes to bench/out/versions/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${CORPUS:-$ROOT/../shared/corpora/ustawy}
STATUTE=${1:-$(ls "$CORPUS"/u0297-*.txt)}
OUT=$ROOT/bench/out/versions
BIN=$ROOT/target/release/jawnik
rm -rf "$OUT" && mkdir -p "$OUT"
say() { printf '==> %s\n' "$*" >&2; }
cargo build --release --quiet
cargo run --release --quiet -p jawnik-compare --example bench -- "$STATUTE" "$OUT" > /dev/null

site() { # site DIR PREVIOUS-LINE
  mkdir -p "$1/content/programy"
  printf 'title = "Wersje (benchmark)"\ndescription = "Benchmark"\nbase_url = "https://example.org/"\nlanguage = "pl"\ntheme = "default"\n' > "$1/jawnik.toml"
  printf '+++\ntitle = "Programy"\n+++\n' > "$1/content/programy/_index.md"
  { printf '+++\ntitle = "Dokument"\nsummary = "Wersja pierwsza."\ndate = 2023-01-02\nversion = "projekt"\n+++\n'; cat "$OUT/old.md"; } > "$1/content/programy/stara.md"
  { printf '+++\ntitle = "Dokument"\nsummary = "Wersja druga."\ndate = 2023-06-01\nversion = "przyjęty"\n%s+++\n' "$2"; cat "$OUT/new.md"; } > "$1/content/programy/nowa.md"
}
site "$OUT/with" 'previous = "programy/stara.md"
'
site "$OUT/without" ''
for v in without with; do
  best=
  for _ in 1 2 3; do
    rm -rf "$OUT/$v/public" "$OUT/$v/.jawnik"
    /usr/bin/time -f '%e %M' "$BIN" build --root "$OUT/$v" > /dev/null 2> "$OUT/time.txt"
    t=$(tail -1 "$OUT/time.txt")
    if [ -z "$best" ] || awk -v a="${t%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  printf '  %-8s %s s wall, %s KB peak\n' "$v" "${best%% *}" "${best##* }"
done
printf '  comparison page: %s bytes\n' "$(wc -c < "$OUT/with/public/programy/nowa/zmiany/index.html")"
