#!/usr/bin/env bash
# Attachment text extraction: speed (pages per second) on the fixtures and on a 200-page PDF
# made here from the seed documents, and the extraction cache's effect on a rebuild.
#
#   bash bench/extract.sh
#
# Needs LibreOffice (Debian: libreoffice-writer-nogui) to make the long PDF (only here, never in
# the tests) and a release build (`cargo build --release`). Environment: SEEDS (seed folder,
# default ../shared/seeds), ROUNDS (6: about 216 pages), RUNS (3). Everything goes to bench/out/extract/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SEEDS=${SEEDS:-$ROOT/../shared/seeds}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-6}
OUT=$ROOT/bench/out/extract
BIN=$ROOT/target/release/jawnik
mkdir -p "$OUT"
say() { printf '==> %s\n' "$*" >&2; }
[ -x "$BIN" ] || cargo build --release --quiet

# 1. The long PDF: the five seeds, $ROUNDS times over (6 rounds ≈ 216 pages).
LONG=$OUT/dlugi.pdf
if [ ! -f "$LONG" ]; then
  say "making a long PDF from the seeds with LibreOffice"
  rm -f "$OUT/dlugi.txt"
  for _ in $(seq "$ROUNDS"); do cat "$SEEDS"/0*.txt >> "$OUT/dlugi.txt"; done
  (cd "$OUT" && soffice --headless --infilter="Text (encoded):UTF8,LF,Liberation Serif,pl" --convert-to odt dlugi.txt >/dev/null 2>&1 \
    && soffice --headless --convert-to pdf dlugi.odt >/dev/null 2>&1)
fi

# 2. Extraction speed: the best of $RUNS runs of `jawnik extract` per file.
say "extraction speed (best of $RUNS)"
for f in tests/fixtures/attachments/*.pdf tests/fixtures/attachments/*.docx tests/fixtures/attachments/*.odt "$LONG"; do
  best=""
  for _ in $(seq "$RUNS"); do
    line=$("$BIN" extract --quiet "$f" 2>&1 || true)
    best=${best:-$line}
    t=$(sed -n 's/.*characters, \([0-9.]*\) s.*/\1/p' <<<"$line")
    bt=$(sed -n 's/.*characters, \([0-9.]*\) s.*/\1/p' <<<"$best")
    if [ -n "$t" ] && awk "BEGIN{exit !($t < $bt)}"; then best=$line; fi
  done
  echo "$best"
done

# 3. A site with the long PDF as an attachment: build without the cache, then rebuild with it.
SITE=$OUT/site
rm -rf "$SITE"
mkdir -p "$SITE/content/raporty/files"
cp tests/fixtures/site-attachments/jawnik.toml "$SITE/"
cp tests/fixtures/site-attachments/content/raporty/_index.md "$SITE/content/raporty/"
cp "$LONG" "$SITE/content/raporty/files/dlugi.pdf"
cat > "$SITE/content/raporty/dlugi.md" <<'MD'
+++
title = "Długi dokument"
summary = "Dokument z długim załącznikiem PDF (pomiar)."

[[attachments]]
title = "Długi PDF"
file = "raporty/files/dlugi.pdf"
+++

Pomiar czasu budowania.
MD
say "build with an empty extraction cache, then rebuilds with it"
rm -rf "$SITE/.jawnik"
"$BIN" build --root "$SITE" 2>&1 | sed 's/^/uncached: /'
for _ in $(seq "$RUNS"); do
  "$BIN" build --root "$SITE" 2>&1 | sed 's/^/cached:   /'
done
