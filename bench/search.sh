#!/usr/bin/env bash
# Search-index benchmark: build time, peak RSS and index size of `jawnik build`, and the
# latency of `jawnik search` (one process per query) on two sites:
#   ustawy  - the 1,180 statutes of ../shared/corpora/ustawy/, one report each
#   gen     - the generated corpus of bench/gen-corpus.py (10,000 documents by default)
#
#   bash bench/search.sh
#   RUNS_GEN=1 bash bench/search.sh          # one build of the generated corpus instead of 3
#   SKIP_GEN=1 bash bench/search.sh          # statutes only (or SKIP_USTAWY=1)
#   BUILT_SITE=DIR bash bench/search.sh      # only the query latency, on a site already built
#       with `jawnik build` (e.g. the 1,000,000-document corpus of docs/scaling.md, whose build
#       takes an hour); queries: QUERIES_BUILT (bench/queries-browser.txt), run once to warm
#       the page cache, then measured
#
# Environment: CORPUS (statute folder), DOCS (10000), SEED (1), RUNS_USTAWY (3), RUNS_GEN (3),
# QUERIES_USTAWY, QUERIES_GEN (query files, one query a line, `#` comments).
# Everything goes to bench/out/ (gitignored); the statutes are never copied into the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

CORPUS=${CORPUS:-$ROOT/../shared/corpora/ustawy}
DOCS=${DOCS:-10000}
SEED=${SEED:-1}
RUNS_USTAWY=${RUNS_USTAWY:-3}
RUNS_GEN=${RUNS_GEN:-3}
QUERIES_USTAWY=${QUERIES_USTAWY:-$ROOT/bench/queries-ustawy.txt}
QUERIES_GEN=${QUERIES_GEN:-$ROOT/bench/queries-generated.txt}
OUT=$ROOT/bench/out
BIN=$ROOT/target/release/jawnik
USTAWY_SITE=$OUT/search-ustawy
GEN_SITE=$OUT/search-gen-$DOCS-$SEED
RESULTS=$OUT/search-results.md
mkdir -p "$OUT"
if [ -n "${BUILT_SITE:-}" ]; then
  SKIP_USTAWY=1
  SKIP_GEN=1
fi

say() { printf '==> %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/time ]; then
  say "installing GNU time"
  as_root apt-get install -y -qq time >/dev/null
fi

# 1. The binary.
say "cargo build --release"
cargo build --release --bin jawnik >&2

# 2a. The statutes as a jawnik site (cached; rebuilt when this script or the corpus changes).
make_ustawy_site() {
  rm -rf "$USTAWY_SITE"
  mkdir -p "$USTAWY_SITE"
  python3 - "$CORPUS" "$USTAWY_SITE" "$ROOT/jawnik.toml" "$ROOT/bench" <<'PY'
import os, re, shutil, sys

corpus, site, toml_path, bench = sys.argv[1:5]
sys.dont_write_bytecode = True
sys.path.insert(0, bench)
from statutes import report, toml_str  # noqa: E402

content = os.path.join(site, "content")
os.makedirs(os.path.join(content, "raporty"))
shutil.copy(toml_path, os.path.join(site, "jawnik.toml"))

sections = {
    "strategie": "Strategie",
    "programy": "Programy",
    "raporty": "Raporty",
    "organizacje": "Organizacje",
}
with open(os.path.join(content, "_index.md"), "w") as f:
    f.write('+++\ntitle = "Ustawy"\n+++\n\nUstawy z lat 1993–2004 jako raporty (benchmark wyszukiwania).\n')
for sec, title in sections.items():
    os.makedirs(os.path.join(content, sec), exist_ok=True)
    with open(os.path.join(content, sec, "_index.md"), "w") as f:
        f.write("+++\ntitle = %s\n+++\n" % toml_str(title))

n = 0
for name in sorted(os.listdir(corpus)):
    if not name.endswith(".txt"):
        continue
    _, markdown = report(os.path.join(corpus, name))
    slug = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]", "-", name[:-4].lower())).strip("-")
    with open(os.path.join(content, "raporty", slug + ".md"), "w", encoding="utf-8") as f:
        f.write(markdown)
    n += 1
print(f"{n} statutes -> {content}/raporty", file=sys.stderr)
PY
  touch "$USTAWY_SITE/.stamp"
}
if [ -z "${SKIP_USTAWY:-}" ]; then
  if [ ! -f "$USTAWY_SITE/.stamp" ] || [ bench/search.sh -nt "$USTAWY_SITE/.stamp" ] || [ bench/statutes.py -nt "$USTAWY_SITE/.stamp" ]; then
    say "converting the statutes into $USTAWY_SITE"
    make_ustawy_site
  else
    say "reusing $USTAWY_SITE"
  fi
fi

# 2b. The generated corpus (cached; regenerated when gen-corpus.py changes).
if [ -z "${SKIP_GEN:-}" ]; then
  if [ ! -f "$GEN_SITE/.stamp" ] || [ bench/gen-corpus.py -nt "$GEN_SITE/.stamp" ]; then
    say "generating $DOCS documents (seed $SEED) into $GEN_SITE"
    rm -rf "$GEN_SITE"
    python3 bench/gen-corpus.py "$GEN_SITE" --docs "$DOCS" --seed "$SEED" --corpus "$CORPUS" --vocab jawnik.toml
    touch "$GEN_SITE/.stamp"
  else
    say "reusing $GEN_SITE"
  fi
fi

# The theme changes with the code: take the current one every time.
for s in "$USTAWY_SITE" "$GEN_SITE"; do
  if [ -d "$s/content" ] && [ -d themes ]; then
    rm -rf "$s/themes"
    cp -r themes "$s/themes"
  fi
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# 3. Timed builds: prints "median_s min_s max_s max_rss_kb".
build_bench() { # name site runs
  local name=$1 site=$2 runs=$3 report=$OUT/search-time-$1.txt log=$OUT/search-log-$1.txt
  local times=() rss=0 r s k
  for i in $(seq 1 "$runs"); do
    rm -rf "$OUT/search-public-$name" "$site/.jawnik"
    if ! /usr/bin/time -v -o "$report" "$BIN" build --root "$site" --output "$OUT/search-public-$name" >"$log" 2>&1; then
      say "jawnik build failed on $name; the end of its output ($log):"
      tail -n 40 "$log" >&2
      return 1
    fi
    r=$(awk -F': ' '
      /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
      /Maximum resident set size/ { rss = $2 }
      END { printf "%.3f %d\n", s, rss }' "$report")
    s=${r% *}; k=${r#* }
    say "$name build $i/$runs: ${s} s, peak RSS $((k / 1024)) MiB"
    times+=("$s")
    [ "$k" -gt "$rss" ] && rss=$k
  done
  printf '%s %s %s %s\n' "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${times[@]}" | sort -n | head -1)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" "$rss"
}

# 4. Query latency: one `jawnik search` process per query, wall time measured around it.
# Prints "n median_ms p95_ms max_ms with_results with_all_words_matched".
query_bench() { # name site queries_file
  local name=$1 site=$2 qfile=$3 lat=$OUT/search-latency-$1.txt
  : >"$lat"
  local q t0 t1 out hits allw nres=0 nall=0 n=0
  # Warm the page cache and the binary once (not counted).
  "$BIN" search --root "$site" --json --limit 10 "ustawa" >/dev/null 2>&1 || true
  while IFS= read -r q || [ -n "$q" ]; do
    case "$q" in '' | '#'*) continue ;; esac
    t0=$(date +%s%N)
    if ! out=$("$BIN" search --root "$site" --json --limit 10 "$q" 2>"$OUT/search-err.txt"); then
      say "search failed for [$q]: $(head -c 300 "$OUT/search-err.txt")"
      out=""
    fi
    t1=$(date +%s%N)
    hits=$(printf '%s' "$out" | python3 -c '
import json, sys
raw = sys.stdin.read()
try:
    d = json.loads(raw) if raw.strip() else []
except Exception:
    print(-1); sys.exit()
all_words = 1
if isinstance(d, dict):
    all_words = 1 if d.get("matched_all_words", True) else 0
    for k in ("results", "hits", "documents", "items"):
        if isinstance(d.get(k), list):
            d = d[k]; break
n = len(d) if isinstance(d, list) else -1
print(n, all_words if n > 0 else 0)')
    read -r hits allw <<<"$hits"
    n=$((n + 1))
    [ "$hits" -gt 0 ] && nres=$((nres + 1))
    [ "$allw" -gt 0 ] && nall=$((nall + 1))
    printf '%s\t%s\t%s\t%s\n' "$(( (t1 - t0) / 1000 ))" "$hits" "$allw" "$q" >>"$lat"
  done <"$qfile"
  cut -f1 "$lat" | sort -n | awk -v n="$n" -v r="$nres" -v a="$nall" '
    { v[NR] = $1 }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      i95 = int(0.95 * NR + 0.999999); if (i95 < 1) i95 = 1
      printf "%d %.1f %.1f %.1f %d %d\n", n, med / 1000, v[i95] / 1000, v[NR] / 1000, r, a
    }'
}

{
  echo "| site | docs | Markdown MB | build median s (min–max, runs) | peak RSS MiB | index MB | lexicon.bin MB | queries | query median ms | p95 ms | max ms | queries with ≥1 result | of which all words matched |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$RESULTS"

run_site() { # name site runs queries
  local name=$1 site=$2 runs=$3 qfile=$4 b q docs mb idx lex
  docs=$(find "$site/content" -name '*.md' ! -name '_index.md' | wc -l)
  mb=$(du -sb --apparent-size "$site/content" | awk '{ printf "%.1f", $1 / 1e6 }')
  b=$(build_bench "$name" "$site" "$runs") || { echo "| $name | $docs | $mb | BUILD FAILED (see bench/out/search-log-$name.txt) | | | | | | | | | |" >>"$RESULTS"; return 0; }
  idx=$(du -sb "$site/.jawnik/index" | awk '{ printf "%.1f", $1 / 1e6 }')
  lex=$( [ -f "$site/.jawnik/index/lexicon.bin" ] && stat -c %s "$site/.jawnik/index/lexicon.bin" | awk '{ printf "%.2f", $1 / 1e6 }' || echo "missing")
  say "$name: querying ($(grep -cv '^\s*\(#\|$\)' "$qfile") queries)"
  q=$(query_bench "$name" "$site" "$qfile")
  read -r bmed bmin bmax brss <<<"$b"
  read -r qn qmed qp95 qmax qres qall <<<"$q"
  printf '| %s | %s | %s | %s (%s–%s, %s) | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$docs" "$mb" "$bmed" "$bmin" "$bmax" "$runs" "$((brss / 1024))" "$idx" "$lex" \
    "$qn" "$qmed" "$qp95" "$qmax" "$qres" "$qall" >>"$RESULTS"
}

if [ -n "${BUILT_SITE:-}" ]; then
  qfile=${QUERIES_BUILT:-$ROOT/bench/queries-browser.txt}
  docs=$(find "$BUILT_SITE/content" -name '*.md' ! -name '_index.md' | wc -l)
  name="built-$docs"
  say "$name: warming the page cache with every query once"
  query_bench "$name" "$BUILT_SITE" "$qfile" >/dev/null
  say "$name: querying ($(grep -cv '^\s*\(#\|$\)' "$qfile") queries)"
  read -r qn qmed qp95 qmax qres qall <<<"$(query_bench "$name" "$BUILT_SITE" "$qfile")"
  idx=$(du -sb "$BUILT_SITE/.jawnik/index" | awk '{ printf "%.1f", $1 / 1e6 }')
  printf '| %s | %s | | (built before) | | %s | | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$docs" "$idx" "$qn" "$qmed" "$qp95" "$qmax" "$qres" "$qall" >>"$RESULTS"
fi
[ -z "${SKIP_USTAWY:-}" ] && run_site ustawy "$USTAWY_SITE" "$RUNS_USTAWY" "$QUERIES_USTAWY"
[ -z "${SKIP_GEN:-}" ] && run_site "gen-$DOCS" "$GEN_SITE" "$RUNS_GEN" "$QUERIES_GEN"

{
  echo
  echo "jawnik $(git rev-parse --short HEAD)$(git diff --quiet -- src crates || echo '+dirty'), $(nproc) cores, $(date -u +%Y-%m-%d)."
  echo "Query times are wall time of one \`jawnik search --json --limit 10\` process per query:"
  echo "process start + opening the index + the search + JSON output. Per-query times: bench/out/search-latency-*.txt."
} >>"$RESULTS"
cat "$RESULTS"
