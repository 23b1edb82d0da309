#!/usr/bin/env bash
# Copied from the team's shared tools (../shared/tools/fresh-rustup.sh) so that CI has it:
# scripts/fresh-machine.sh uses it to look like a fresh machine wherever the tests once ran.
# Needs python3 (for multirust-config.toml) and the same filesystem as RUSTUP_HOME.
# Prints a RUSTUP_HOME that looks like a fresh machine's: the same toolchains (hard links, no
# extra disk), but with only the host's standard library: no wasm32 or other added targets.
# Use it to check what a new user meets:
#   RUSTUP_HOME=$(../shared/tools/fresh-rustup.sh) cargo run --release -- build
# Made once, next to the real RUSTUP_HOME (same filesystem); `--renew` makes it again.
set -u
src=${RUSTUP_HOME:-$HOME/.rustup}; src=$(cd "$src" && pwd)
dst=${FRESH_RUSTUP_HOME:-$(dirname "$src")/.rustup-fresh}
host=$(rustc -vV 2>/dev/null | sed -n 's/^host: //p'); host=${host:-x86_64-unknown-linux-gnu}
[ "${1:-}" = --renew ] && rm -rf "$dst"
if [ ! -d "$dst" ]; then
  cp -al "$src" "$dst" 2>/dev/null || cp -a "$src" "$dst" || { echo "fresh-rustup: cannot copy $src" >&2; exit 1; }
  for tc in "$dst"/toolchains/*; do
    if [ -L "$tc" ]; then ln -sfn "$dst/toolchains/$(basename "$(readlink "$tc")")" "$tc"; continue; fi
    lib=$tc/lib/rustlib
    for t in "$lib"/*/; do
      t=$(basename "$t"); case $t in "$host"|etc|src) continue;; esac
      rm -rf "${lib:?}/$t" "$lib/manifest-rust-std-$t"
    done
    # rustup's own records of what is installed: real copies, then without the removed targets
    for f in "$lib"/components "$lib"/multirust-config.toml; do
      [ -f "$f" ] && cp --remove-destination "$f" "$f.tmp" && mv "$f.tmp" "$f"
    done
    [ -f "$lib/components" ] && sed -i "/^rust-std-/{/$host/!d}" "$lib/components"
    [ -f "$lib/multirust-config.toml" ] && python3 - "$lib/multirust-config.toml" "$host" <<'PY'
import sys
p, host = sys.argv[1], sys.argv[2]
blocks = open(p).read().split("\n[[components]]\n")
keep = [b for b in blocks[1:] if not ('pkg = "rust-std"' in b and host not in b)]
open(p, "w").write("\n[[components]]\n".join([blocks[0]] + keep))
PY
  done
  [ -f "$dst/settings.toml" ] && cp --remove-destination "$dst/settings.toml" "$dst/settings.toml.tmp" && mv "$dst/settings.toml.tmp" "$dst/settings.toml"
fi
echo "$dst"
