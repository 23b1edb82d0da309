#!/usr/bin/env bash
# Browser-search benchmark: jawnik's static search (search/ + wasm) vs Pagefind on the same
# built HTML, first query on a cold browser cache. See bench/README.md, "Browser search".
#
#   bash bench/browser-search.sh
#   SIZES="1000 10000" bash bench/browser-search.sh     # generated corpora to run (default 1000 10000 50000)
#   SKIP_USTAWY=1 bash bench/browser-search.sh          # without the statutes site
#   SUMMARY_ONLY=1 bash bench/browser-search.sh         # only redo the tables from bench/out/bs-*
#                                                         (no cargo build, no npm)
#   ENCODING=br bash bench/browser-search.sh            # the test server's compression: gzip
#       (default), br or identity (browser-search.mjs --encoding)
#   MODES=typed bash bench/browser-search.sh            # nav (query in the URL), typed (typed
#       into an idle search page) or both (default nav,typed)
#   FORCE_50K=1 bash bench/browser-search.sh            # build 50k even if the estimate says no
#   JAWNIK_REV=HEAD bash bench/browser-search.sh        # benchmark a commit instead of the working
#       tree: `git archive` into bench/out/bs-src-REV/, built there (its target/ seeded from
#       ours); useful while the working tree holds half-done edits
#
# Environment: CORPUS (statutes), SEED (1), QUERIES (bench/queries-browser.txt),
# MAX_RSS_GB (16) and MAX_BUILD_S (900): the 50k build is skipped when the linear
# extrapolation from the 1k and 10k builds, plus 15 %, exceeds either (on 2026-11-25 the
# extrapolation said 16.0 GiB and the build took 17.4 GiB).
# Everything goes to bench/out/ (gitignored):
#   bs-gen-N/, bs-ustawy/           the sources (cached; regenerated when the generator changes)
#   bs-public-NAME/                 jawnik's output
#   bs-pf-NAME/                     a hard-linked copy of it + Pagefind's pagefind/ folder
#   bs-build-NAME.txt, bs-pagefind-NAME.txt   /usr/bin/time -v reports
#   bs-NAME.json                    per-query measurements (bench/browser-search.mjs)
#   bs-results.md                   the tables (bench/browser-search-summary.py)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CORPUS=${CORPUS:-$ROOT/../shared/corpora/ustawy}
SEED=${SEED:-1}
SIZES=${SIZES:-1000 10000 50000}
QUERIES=${QUERIES:-$ROOT/bench/queries-browser.txt}
MAX_RSS_GB=${MAX_RSS_GB:-16}
MAX_BUILD_S=${MAX_BUILD_S:-900}
ENCODING=${ENCODING:-gzip}
MODES=${MODES:-nav,typed}
OUT=$ROOT/bench/out
BIN=$ROOT/target/release/jawnik
PF_DIR=$OUT/pagefind-tool
PAGEFIND=$PF_DIR/node_modules/.bin/pagefind
STATS=$OUT/bs-stats.txt
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
[ -x /usr/bin/time ] || as_root apt-get install -y -qq time >/dev/null

SRC=$ROOT
REV_DESC="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src crates themes build.rs Cargo.toml Cargo.lock || echo '+dirty (working tree)')"
if [ -n "${JAWNIK_REV:-}" ]; then
  rev=$(git rev-parse --short "$JAWNIK_REV")
  SRC=$OUT/bs-src-$rev
  REV_DESC=$rev
  if [ ! -f "$SRC/.stamp" ]; then
    say "exporting $rev into $SRC"
    rm -rf "$SRC"
    mkdir -p "$SRC/target"
    git archive "$rev" | tar -x -C "$SRC"
    for d in release wasm-runtime; do [ -d "target/$d" ] && cp -a "target/$d" "$SRC/target/$d"; done
    touch "$SRC/.stamp"
  fi
fi
BIN=$SRC/target/release/jawnik
if [ -z "${SUMMARY_ONLY:-}" ]; then
  say "cargo build --release (in $SRC, jawnik $REV_DESC)"
  (cd "$SRC" && cargo build --release >&2)
fi

if [ -z "${SUMMARY_ONLY:-}" ] && [ ! -x "$PAGEFIND" ]; then
  say "npm install --prefix $PF_DIR pagefind"
  mkdir -p "$PF_DIR"
  if ! npm install --prefix "$PF_DIR" pagefind >&2; then
    say "npm install pagefind FAILED: running jawnik only"
    PAGEFIND=
  fi
fi
[ -x "$PAGEFIND" ] || PAGEFIND=
[ -n "$PAGEFIND" ] && say "$("$PAGEFIND" --version)"

# "seconds max_rss_kb" from a /usr/bin/time -v report.
time_of() {
  awk -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.2f %d\n", s, rss }' "$1"
}

# The statutes site: the converter embedded in bench/search.sh (heredoc between <<'PY' and
# PY), run as is, so the two benchmarks use the same site.
make_ustawy() {
  local site=$OUT/bs-ustawy
  if [ -f "$site/.stamp" ] && [ "$site/.stamp" -nt bench/search.sh ]; then return; fi
  say "converting the statutes into $site (converter of bench/search.sh)"
  rm -rf "$site"
  mkdir -p "$site"
  sed -n "/<<'PY'\$/,/^PY\$/p" bench/search.sh | sed '1d;$d' >"$OUT/bs-ustawy-convert.py"
  python3 "$OUT/bs-ustawy-convert.py" "$CORPUS" "$site" "$ROOT/jawnik.toml"
  touch "$site/.stamp"
}

make_gen() { # docs
  local site=$OUT/bs-gen-$1
  if [ -f "$site/.stamp" ] && [ "$site/.stamp" -nt bench/gen-corpus.py ]; then return; fi
  say "generating $1 documents into $site"
  rm -rf "$site"
  python3 bench/gen-corpus.py "$site" --docs "$1" --seed "$SEED" --corpus "$CORPUS" --vocab jawnik.toml
  touch "$site/.stamp"
}

# Build with jawnik (fresh index, fresh output, the current theme), then Pagefind on a copy.
# Appends "name docs build_s build_rss_kb jw_files jw_bytes pf_s pf_rss_kb pf_files pf_bytes" to $STATS.
build_site() { # name site
  local name=$1 site=$2 pub=$OUT/bs-public-$1 pf=$OUT/bs-pf-$1 docs b p jf jb pff pfb
  docs=$(find "$site/content" -name '*.md' ! -name '_index.md' | wc -l)
  rm -rf "$site/themes" "$site/.jawnik" "$pub"
  cp -r "$SRC/themes" "$site/themes"
  say "$name: jawnik build ($docs documents)"
  if ! /usr/bin/time -v -o "$OUT/bs-build-$name.txt" "$BIN" build --root "$site" --output "$pub" >"$OUT/bs-log-$name.txt" 2>&1; then
    say "jawnik build failed on $name:"; tail -n 30 "$OUT/bs-log-$name.txt" >&2; return 1
  fi
  b=$(time_of "$OUT/bs-build-$name.txt")
  jf=$(find "$pub/search" -type f | wc -l)
  jb=$(du -sb "$pub/search" | cut -f1)
  say "$name: jawnik $b (s, KiB); search/: $jf files, $jb bytes"
  p="- -"; pff=-; pfb=-
  if [ -n "$PAGEFIND" ]; then
    rm -rf "$pf"
    cp -al "$pub" "$pf" # hard links: Pagefind only adds files, jawnik's stay untouched
    # The same documents jawnik indexes (not lists, taxonomy pages or the search page), and
    # only <main> (not the site's header, navigation and footer). Polish forced.
    say "$name: pagefind"
    if /usr/bin/time -v -o "$OUT/bs-pagefind-$name.txt" "$PAGEFIND" --site "$pf" --output-subdir pagefind \
        --force-language pl --root-selector main \
        --glob '{strategie,programy,raporty,organizacje}/*/index.html' >"$OUT/bs-pagefind-log-$name.txt" 2>&1; then
      p=$(time_of "$OUT/bs-pagefind-$name.txt")
      pff=$(find "$pf/pagefind" -type f | wc -l)
      pfb=$(du -sb "$pf/pagefind" | cut -f1)
      say "$name: pagefind $p (s, KiB); pagefind/: $pff files, $pfb bytes"
    else
      say "pagefind failed on $name:"; tail -n 20 "$OUT/bs-pagefind-log-$name.txt" >&2
    fi
  fi
  echo "$name $docs $b $jf $jb $p $pff $pfb" >>"$STATS"
}

run_queries() { # name
  local name=$1 pfarg=()
  [ -d "$OUT/bs-pf-$name/pagefind" ] && pfarg=(--pagefind "$OUT/bs-pf-$name")
  say "$name: browser queries"
  node bench/browser-search.mjs --name "$name" --queries "$QUERIES" --jawnik "$OUT/bs-public-$name" \
    "${pfarg[@]}" --encoding "$ENCODING" --modes "$MODES" --out "$OUT/bs-$name.json" 2>"$OUT/bs-queries-$name.log" || {
    say "browser run failed on $name"; tail -n 20 "$OUT/bs-queries-$name.log" >&2; return 1; }
}

if [ -n "${SUMMARY_ONLY:-}" ]; then SIZES=; SKIP_USTAWY=1; else : >"$STATS"; fi
NAMES=()
r1=; t1=; r10=; t10=
for n in $SIZES; do
  if [ "$n" = 50000 ] && [ -z "${FORCE_50K:-}" ]; then
    if [ -n "$r1" ] && [ -n "$r10" ]; then
      est=$(awk -v a="$r1" -v b="$r10" -v ta="$t1" -v tb="$t10" 'BEGIN {
        r = b + (b - a) * 40000 / 9000; t = tb + (tb - ta) * 40000 / 9000
        printf "%.1f %.0f", r / 1048576, t }')
      say "50k estimate from 1k/10k builds: ${est% *} GiB peak RSS, ${est#* } s"
      if awk -v e="$est" -v g="$MAX_RSS_GB" -v s="$MAX_BUILD_S" 'BEGIN { split(e, x, " "); exit !(x[1] * 1.15 > g || x[2] * 1.15 > s) }'; then
        say "SKIPPING 50,000 documents: estimated ${est% *} GiB / ${est#* } s exceeds ${MAX_RSS_GB} GiB / ${MAX_BUILD_S} s"
        echo "skip-50000 $est" >>"$STATS"
        continue
      fi
    fi
  fi
  make_gen "$n"
  build_site "gen-$n" "$OUT/bs-gen-$n" || continue
  read -r _ _ bs brss _ <<<"$(grep "^gen-$n " "$STATS")"
  [ "$n" = 1000 ] && { r1=$brss; t1=$bs; }
  [ "$n" = 10000 ] && { r10=$brss; t10=$bs; }
  NAMES+=("gen-$n")
done
if [ -z "${SKIP_USTAWY:-}" ]; then
  make_ustawy
  build_site ustawy "$OUT/bs-ustawy" && NAMES+=(ustawy)
fi
for name in "${NAMES[@]}"; do run_queries "$name" || true; done

python3 bench/browser-search-summary.py "$OUT" "$STATS" "$REV_DESC" "$([ -n "$PAGEFIND" ] && "$PAGEFIND" --version)" \
  | tee "$OUT/bs-results.md"
