#!/usr/bin/env bash
# Side-by-side build benchmark: `jawnik build` vs Hugo on the same generated corpus.
#
#   bash bench/build.sh                 # 10,000 documents, 3 runs each
#   DOCS=2000 RUNS=5 bash bench/build.sh
#   SKIP_HUGO=1 bash bench/build.sh     # jawnik only
#
# Environment: DOCS (10000), SEED (1), RUNS (3), CORPUS (statute folder, default
# ../shared/corpora/ustawy), SKIP_HUGO, SKIP_JAWNIK. Everything goes to bench/out/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DOCS=${DOCS:-10000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
OUT=$ROOT/bench/out
SITE=$OUT/site-$DOCS-$SEED
HUGO_SITE=$OUT/hugo-$DOCS-$SEED
STAMP=$OUT/.stamp-$DOCS-$SEED
RESULTS=$OUT/results-$DOCS-$SEED.txt
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x /usr/bin/time ]; then
  say "installing GNU time"
  as_root apt-get install -y -qq time >/dev/null
fi
if [ -z "${SKIP_HUGO:-}" ] && ! command -v hugo >/dev/null 2>&1; then
  say "installing Debian's hugo"
  as_root apt-get update -qq
  as_root apt-get install -y -qq hugo >/dev/null
fi

# 1. The corpus, cached: regenerated when the generator changed or the corpus is missing.
if [ ! -f "$STAMP" ] || [ bench/gen-corpus.py -nt "$STAMP" ] || [ ! -d "$SITE/content" ] || [ ! -d "$HUGO_SITE/content" ]; then
  say "generating $DOCS documents (seed $SEED)"
  python3 bench/gen-corpus.py "$SITE" --docs "$DOCS" --seed "$SEED" --hugo "$HUGO_SITE" ${CORPUS:+--corpus "$CORPUS"}
  touch "$STAMP"
else
  say "reusing the corpus in $SITE"
fi
# The theme changes with the code: take the current one every time.
if [ -d themes ]; then
  rm -rf "$SITE/themes"
  cp -r themes "$SITE/themes"
fi
CORPUS_MB=$(du -sm --apparent-size "$SITE/content" | cut -f1)

# 2. One timed run: prints "seconds max_rss_kb". Output and /usr/bin/time's report go to files.
timed() { # name dir cmd...
  local name=$1 dir=$2
  shift 2
  local report=$OUT/time-$name.txt log=$OUT/log-$name.txt
  if ! (cd "$dir" && /usr/bin/time -v -o "$report" "$@") >"$log" 2>&1; then
    say "$name failed; the end of its output ($log):"
    tail -n 30 "$log" >&2
    return 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\) time/ {
      n = split($2, p, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + p[i]
    }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.3f %d\n", s, rss }' "$report"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

bench() { # name dir output_dir cmd...
  local name=$1 dir=$2 public=$3
  shift 3
  local times=() rsss=() r
  for i in $(seq 1 "$RUNS"); do
    rm -rf "$public"
    r=$(timed "$name" "$dir" "$@") || return 1
    times+=("${r% *}")
    rsss+=("${r#* }")
    say "$name run $i/$RUNS: ${r% *} s, peak RSS $(( ${r#* } / 1024 )) MiB"
  done
  local med max_rss pages
  med=$(printf '%s\n' "${times[@]}" | median)
  max_rss=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -1)
  pages=$(find "$public" -name '*.html' | wc -l)
  echo "$name $med $(printf '%s\n' "${times[@]}" | sort -n | head -1) $(printf '%s\n' "${times[@]}" | sort -n | tail -1) $max_rss $pages $(du -sm --apparent-size "$public" | cut -f1)"
}

rows=()

if [ -z "${SKIP_JAWNIK:-}" ]; then
  say "cargo build --release"
  cargo build --release --bin jawnik >&2
  JAWNIK=$ROOT/target/release/jawnik
  say "timing: jawnik build ($RUNS runs)"
  rows+=("$(bench jawnik "$SITE" "$OUT/public-jawnik" "$JAWNIK" build --output "$OUT/public-jawnik")")
fi

if [ -z "${SKIP_HUGO:-}" ]; then
  say "timing: hugo ($RUNS runs; $(hugo version | cut -d' ' -f2))"
  rows+=("$(bench hugo "$HUGO_SITE" "$OUT/public-hugo" hugo --quiet --destination "$OUT/public-hugo")")
fi

{
  echo "Build benchmark: $DOCS documents (seed $SEED, $CORPUS_MB MB of Markdown), $RUNS runs each, $(nproc) cores"
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  printf '%-8s %10s %10s %10s %14s %10s %10s\n' tool 'median s' 'min s' 'max s' 'peak RSS MiB' 'HTML files' 'output MB'
  for row in "${rows[@]}"; do
    read -r name med min max rss pages mb <<<"$row"
    printf '%-8s %10s %10s %10s %14d %10s %10s\n' "$name" "$med" "$min" "$max" "$((rss / 1024))" "$pages" "$mb"
  done
  if [ "${#rows[@]}" = 2 ]; then
    read -r _ jt _ _ jr _ _ <<<"${rows[0]}"
    read -r _ ht _ _ hr _ _ <<<"${rows[1]}"
    awk -v jt="$jt" -v ht="$ht" -v jr="$jr" -v hr="$hr" 'BEGIN {
      printf "\njawnik/Hugo: time %.2fx, peak RSS %.2fx\n", (ht > 0 ? jt / ht : 0), (hr > 0 ? jr / hr : 0) }'
  fi
} | tee "$RESULTS"
say "results saved to $RESULTS"
