#!/usr/bin/env bash
# Where the browser module's code goes: builds crates/web for wasm32 as build/runtime.rs does,
# but keeping the name section, and lists the code section's size, its function count and the
# functions of the formatting and panic machinery (core::fmt, std::panicking, slice_error_fail,
# is_printable, escape_debug, ...) with their sizes (docs/browser-search.md, "The WebAssembly
# module"). The shipped module is this one through wasm-opt, without names.
#
#   bench/wasm-size.sh            # the Polish-only module
#   bench/wasm-size.sh multi      # the multi-language one
set -euo pipefail
cd "$(dirname "$0")/.."
features="${1:-}"
dir="target/wasm-size${features:+-$features}"
args=(build --quiet -p jawnik-web --lib --release --target wasm32-unknown-unknown --target-dir "$dir")
[ -n "$features" ] && args+=(--features "$features")
env -u RUSTFLAGS CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=true \
  CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=false cargo "${args[@]}"
python3 - "$dir/wasm32-unknown-unknown/release/jawnik_web.wasm" <<'PY'
import re, sys

def leb(d, i):
    r = s = 0
    while True:
        b = d[i]; i += 1; r |= (b & 0x7F) << s; s += 7
        if b < 0x80:
            return r, i

d = open(sys.argv[1], "rb").read()
i, imports, bodies, names, code = 8, 0, [], {}, 0
while i < len(d):
    sid = d[i]; n, i = leb(d, i + 1); end = i + n; p = i
    if sid == 0:
        ln, p = leb(d, p); name = d[p:p + ln]; p += ln
        while name == b"name" and p < end:
            sub = d[p]; sl, p = leb(d, p + 1); se = p + sl
            if sub == 1:
                c, p = leb(d, p)
                for _ in range(c):
                    idx, p = leb(d, p); l, p = leb(d, p)
                    names[idx] = d[p:p + l].decode("utf8", "replace"); p += l
            p = se
    elif sid == 2:
        c, p = leb(d, p)
        for _ in range(c):
            for _ in range(2):
                l, p = leb(d, p); p += l
            kind = d[p]; p += 1
            if kind == 0:
                imports += 1; _, p = leb(d, p)
            elif kind in (1, 2):
                p += kind == 1; f, p = leb(d, p); _, p = leb(d, p)
                if f & 1:
                    _, p = leb(d, p)
            else:
                p += 2
    elif sid == 10:
        code = n; c, p = leb(d, p)
        for k in range(c):
            l, q = leb(d, p); bodies.append((imports + k, q + l - p)); p = q + l
    i = end
machinery = re.compile(r"fmt|panic|slice_error_fail|slice_index_fail|is_printable|escape_debug|"
                       r"unwrap_failed|assert_failed|alloc_error|capacity_overflow|handle_error")
rows = sorted(((s, names.get(f, "?")) for f, s in bodies if machinery.search(names.get(f, ""))),
              reverse=True)
for size, name in rows:
    print(f"{size:6} {name}")
print(f"code section {code} B, {len(bodies)} functions; formatting and panic: "
      f"{sum(s for s, _ in rows)} B in {len(rows)} functions")
PY
