#!/usr/bin/env bash
# The comparison of two versions (jawnik diff, issue #25) on long real text: a statute of the
# corpus and a second version of it made by seeded edits (crates/compare/examples/bench.rs:
# words changed in 4% of paragraphs, 1% deleted, 1% inserted, 0.5% moved), as Markdown and
# as PDFs made of them by LibreOffice. Prints the engine's times (best of 5) and two worst
# cases, then wall time and peak memory (GNU time) of `jawnik diff --json` on the Markdown
# pair and on the PDF pair (extraction included).
#
#   bash bench/compare.sh [STATUTE.txt [OTHER.txt]]
#
# Default: the code of criminal procedure of 1997 (u0297, 114 pages as PDF) against the courts
# act of 2001 (u0626) for the worst case. Needs a release build, GNU time (/usr/bin/time) and, for the
# PDFs, LibreOffice (Debian: libreoffice-writer-nogui). Everything goes to bench/out/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${CORPUS:-$ROOT/../shared/corpora/ustawy}
STATUTE=${1:-$(ls "$CORPUS"/u0297-*.txt)}
OTHER=${2:-$(ls "$CORPUS"/u0626-*.txt)}
OUT=$ROOT/bench/out/compare
BIN=$ROOT/target/release/jawnik
mkdir -p "$OUT"
say() { printf '==> %s\n' "$*" >&2; }
cargo build --release --quiet
say "engine (crates/compare/examples/bench.rs)"
cargo run --release --quiet -p jawnik-compare --example bench -- "$STATUTE" "$OUT" "$OTHER"

measure() {
  /usr/bin/time -f '%e s wall, %M KB peak' "$BIN" diff --json "$1" "$2" > "$OUT/diff.json" 2> "$OUT/time.txt" || true
  printf '  %s: %s (JSON %s bytes)\n' "$3" "$(tail -1 "$OUT/time.txt")" "$(wc -c < "$OUT/diff.json")"
}
say "jawnik diff --json (release), Markdown pair"
measure "$OUT/old.md" "$OUT/new.md" "Markdown"
if command -v soffice > /dev/null; then
  say "PDF pair made with LibreOffice"
  for v in old new; do
    # The body as plain text (Markdown marks and escapes dropped), one line a paragraph.
    sed -E 's/^#+ //; s/\\//g' "$OUT/$v.md" > "$OUT/$v.txt"
  done
  (cd "$OUT" && soffice --headless --infilter="Text (encoded):UTF8,LF,Liberation Serif,pl" --convert-to odt old.txt new.txt >/dev/null 2>&1 \
    && soffice --headless --convert-to pdf old.odt new.odt >/dev/null 2>&1)
  "$BIN" extract --quiet "$OUT/old.pdf" "$OUT/new.pdf"
  measure "$OUT/old.pdf" "$OUT/new.pdf" "PDF"
else
  say "no LibreOffice (soffice): PDF pair skipped"
fi
