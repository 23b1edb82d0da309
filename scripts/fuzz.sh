#!/usr/bin/env bash
# Bounded coverage-guided fuzzing (libFuzzer through libfuzzer-sys) of the content loader, the
# query parser, the search shard reader, the feed and calendar writers and the search that
# stops early (against the exhaustive one), on the pinned
# stable toolchain: no nightly and no cargo-fuzz needed. The instrumentation flags are those
# cargo-fuzz passes with `-s none` (SanitizerCoverage, no AddressSanitizer). Inputs that reach
# new coverage are kept in fuzz/artifacts/<target>/new/; `scripts/fuzz.sh --minimise` merges
# them into the committed fuzz/corpus/<target>/.
#
#   scripts/fuzz.sh              # every target, FUZZ_SECONDS (default 60) each
#   FUZZ_SEED=1 scripts/fuzz.sh  # libFuzzer's -seed (default 0: a random one, printed in the log)
#   scripts/fuzz.sh query 600    # one target, 10 minutes
#   scripts/fuzz.sh --minimise   # shrink each corpus to the inputs that add coverage
#   scripts/fuzz.sh --refresh-shards  # after a change of the shard format: rebuild
#                                # fuzz/shards/ and fuzz/seeds/shard/ from tests/fixtures/site-ok
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

if [ "${1:-}" = "--refresh-shards" ]; then
  tmp="$(mktemp -d)"
  cp -r ../tests/fixtures/site-ok "$tmp/site"
  # Words in more than two documents get first heads: the term chunks' heads parts are fuzzed.
  sed -i '1i search_heads_from = 2' "$tmp/site/jawnik.toml"
  (cd .. && cargo run --quiet --bin jawnik -- build --root "$tmp/site" >/dev/null)
  rm -rf shards seeds/shard corpus/shard && mkdir -p shards seeds/shard
  (cd "$tmp/site/public/search" && find . -name '*.bin' -exec cp --parents {} "$OLDPWD/shards/" \;)
  rm -rf "$tmp"
  # Seeds: each shard raw (mode 0, and 0x40: records by byte range) and inflated without its
  # 4-byte checksum (mode 1: the target seals and compresses it again; not for document and
  # position files, which are not one DEFLATE stream),
  # with several requests. Input layout: [file index, mode, payload…].
  python3 - <<'PY'
import glob, os, zlib
files = sorted((os.path.relpath(p, 'shards') for p in glob.glob('shards/**/*.bin', recursive=True)),
               key=lambda n: (not n.startswith('meta-'), n))
for i, f in enumerate(files):
    raw = open('shards/' + f, 'rb').read()
    open(f'seeds/shard/{i:02d}-raw', 'wb').write(bytes([i, 0]) + raw)
    # Mode 0x40: document records asked for by byte range.
    open(f'seeds/shard/{i:02d}-raw-ranges', 'wb').write(bytes([i, 0x40 | (i % 6) << 1]) + raw)
    if f.startswith(('d/', 'p/')):
        continue  # a head and parts compressed one by one: not one DEFLATE stream
    plain = zlib.decompress(raw, -15)[:-4]
    open(f'seeds/shard/{i:02d}-inflated', 'wb').write(bytes([i, 1 | (i % 6) << 1]) + plain)
    open(f'seeds/shard/{i:02d}-inflated-date', 'wb').write(bytes([i, 0x81]) + plain)
print('fuzz/shards:', ', '.join(files))
PY
  exit 0
fi

targets=(content query shard feeds top_k heads)
seconds="${FUZZ_SECONDS:-60}"
seed="${FUZZ_SEED:-0}"
minimise=0
if [ "${1:-}" = "--minimise" ]; then
  minimise=1
elif [ -n "${1:-}" ]; then
  targets=("$1")
  seconds="${2:-$seconds}"
fi

export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# Its own target folder: the flags differ from the normal build's.
export CARGO_TARGET_DIR="$PWD/target"
# An explicit --target keeps the flags off build scripts and proc macros (as cargo-fuzz does).
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --locked --bins --target "$host"
bin="$CARGO_TARGET_DIR/$host/release"
# Longest input per target: a whole shard (the largest fixture shard inflates to ~40 kB).
maxlen() { case "$1" in shard) echo 65536 ;; query) echo 2048 ;; *) echo 8192 ;; esac; }

for t in "${targets[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  if [ "$minimise" = 1 ]; then
    rm -rf "corpus/.min-$t" && mkdir -p "corpus/.min-$t"
    mkdir -p "artifacts/$t/new"
    "$bin/$t" -set_cover_merge=1 -max_len="$(maxlen "$t")" "corpus/.min-$t" "$corpus" "artifacts/$t/new" seeds/"$t" 2>&1 | tail -2
    rm -rf "$corpus" && mv "corpus/.min-$t" "$corpus"
    continue
  fi
  printf '\n==> fuzz %s for %ss\n' "$t" "$seconds"
  # -max_len keeps inputs (and the committed corpus) small; -timeout fails a slow input;
  # -rss_limit_mb fails unbounded memory use. A crash leaves its input in artifacts/<t>/.
  log="artifacts/$t/last-run.log"
  status=0
  # New finds go to artifacts/<t>/new/ (not committed); --minimise merges them into corpus/.
  mkdir -p "artifacts/$t/new"
  "$bin/$t" "artifacts/$t/new" "$corpus" "seeds/$t" -max_total_time="$seconds" -max_len="$(maxlen "$t")" -timeout=10 -seed="$seed" \
    -rss_limit_mb=2048 -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added|stat::average_exec_per_sec)' "$log" || true
  if [ "$status" != 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz $t: failure (exit $status), input in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
