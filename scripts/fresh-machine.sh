#!/usr/bin/env bash
# A newcomer's first commands on a fresh machine (issue #17). CI runs this before .ci/run adds
# the wasm32 target; anywhere else it looks like a fresh machine all the same: a clean clone of
# this repository's HEAD, built under a RUSTUP_HOME whose toolchains have the host's standard
# library only (scripts/fresh-rustup.sh: hard links, no extra disk), so no wasm32 target.
#
#   1. The README's first command, `cargo run --release -- build`, builds the example site
#      (build.rs takes prebuilt/jawnik_web.wasm; the toolchain is left as it was).
#   2. `cargo install --path . --locked` installs a jawnik that names its revision and builds.
#   3. Where the runtime must be compiled (JAWNIK_WASM_FROM_SOURCE=1 here; also when prebuilt/
#      is stale) and the target cannot be added, the build ends in one line saying what to run,
#      never a panic: without rustup on PATH, and with the toolchain on a read-only mount (when
#      this machine lets us make one: `unshare -m`).
#   4. What crates.io would serve: `cargo package --workspace`, then jawnik built from the
#      .crate files alone (no crates/web beside it: prebuilt/ it is) builds the same site.
#   5. JAWNIK_WASM_FROM_SOURCE=1 with rustup: build.rs adds the target, compiles the runtime in
#      this other folder, and the site is byte-identical to the one built with prebuilt/.
#
# Usage: bash scripts/fresh-machine.sh      Costs two clean release builds (~6 min each on 2
# free cores) and a rebuild of the jawnik crate; the temporary folder (~4 GB) is removed.
set -euo pipefail
main() { # (one function, read whole before it runs: editing the file cannot derail a run)
repo=$(cd "$(dirname "$0")/.." && pwd)
step() { printf '\n==> fresh machine: %s\n' "$*"; }
fail() { printf 'fresh machine: FAILED: %s\n' "$*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jawnik-fresh.XXXXXX")
real_rustup=$(cd "${RUSTUP_HOME:-$HOME/.rustup}" && pwd)
# Next to the real RUSTUP_HOME: hard links need the same filesystem.
export FRESH_RUSTUP_HOME="$real_rustup-fresh-$$"
cleanup() { rm -rf "$work" "$FRESH_RUSTUP_HOME"; }
trap cleanup EXIT

step "a clean clone of HEAD and a RUSTUP_HOME without the wasm32 target"
clone=$work/jawnik
if git -C "$repo" rev-parse -q --verify HEAD >/dev/null 2>&1; then
  git clone -q "$repo" "$clone"
else # a tree without Git (an unpacked archive): its files, without what builds make
  mkdir "$clone"
  tar -C "$repo" --exclude=./target --exclude=./node_modules --exclude=./public --exclude=./.jawnik -cf - . |
    tar -C "$clone" -xf -
fi
fresh=$(bash "$repo/scripts/fresh-rustup.sh")
unset CARGO_TARGET_DIR RUSTUP_TOOLCHAIN JAWNIK_WASM JAWNIK_WASM_FROM_SOURCE JAWNIK_WASM_UPDATE
cd "$clone"
installed_targets() { RUSTUP_HOME=$fresh rustup target list --installed; }
if installed_targets | grep -q wasm32; then fail "$fresh still has the wasm32 target"; fi
tc_bin=$(dirname "$(RUSTUP_HOME=$fresh rustup which cargo)")
today=2026-01-15 # a fixed day, so that two builds can be compared

step "1. the README's first command: cargo run --release -- build"
RUSTUP_HOME=$fresh cargo run --release -- build
[ -f public/index.html ] || fail "public/index.html was not built"
ls public/search/*.wasm* >/dev/null || fail "public/search/ has no wasm runtime"
if installed_targets | grep -q wasm32; then fail "the build added the wasm32 target it did not need"; fi

step "2. cargo install --path . --locked"
RUSTUP_HOME=$fresh cargo install --path . --locked --root "$work/inst"
version=$("$work/inst/bin/jawnik" --version)
echo "$version"
head=$(git rev-parse HEAD 2>/dev/null) || head=unknown
[[ $version == "jawnik "*" (${head:0:9})" ]] || fail "--version printed '$version', HEAD is $head"
"$work/inst/bin/jawnik" build --output "$work/site-prebuilt" --today $today

step "3. a source build that cannot add the target: one line saying what to run"
expect_one_line_error() { # LABEL, then the command
  local label=$1 log=$work/$1.log
  shift
  if "$@" >"$log" 2>&1; then fail "$label: the build succeeded"; fi
  grep -q 'error: jawnik@[0-9.]*: .*rustup target add wasm32-unknown-unknown' "$log" ||
    { cat "$log"; fail "$label: no error line naming 'rustup target add'"; }
  if grep -qiE 'panicked|backtrace' "$log"; then cat "$log"; fail "$label: a panic"; fi
  grep 'error: jawnik@' "$log"
}
# The toolchain's own cargo and rustc, as a toolchain not managed by rustup.
expect_one_line_error no-rustup env -u RUSTUP_HOME -u RUSTUP_TOOLCHAIN \
  PATH="$tc_bin:/usr/bin:/bin" JAWNIK_WASM_FROM_SOURCE=1 "$tc_bin/cargo" build --release
if unshare -m true 2>/dev/null; then
  expect_one_line_error read-only unshare -m sh -c \
    'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"' "$fresh" \
    env RUSTUP_HOME="$fresh" JAWNIK_WASM_FROM_SOURCE=1 cargo build --release
else
  echo "read-only toolchain: skipped (this machine cannot make a mount namespace: unshare -m)"
fi

step "4. the crates.io package: built from the .crate files of cargo package --workspace"
RUSTUP_HOME=$fresh cargo package --workspace --no-verify
local pkg=$work/package patch=()
mkdir "$pkg"
for crate in target/package/*.crate; do tar -C "$pkg" -xzf "$crate"; done
for dep in "$pkg"/jawnik-*-*/; do # the workspace's other crates, as crates.io would give them
  dep=${dep%/}
  patch+=(--config "patch.crates-io.$(basename "${dep%-*}").path='$dep'")
done
local unpacked=("$pkg"/jawnik-[0-9]*)
[ ! -e "$unpacked/crates" ] && [ -f "$unpacked/prebuilt/jawnik_web.wasm" ] &&
  [ -f "$unpacked/prebuilt/jawnik_web_multi.wasm" ] ||
  fail "the package has crates/ or lacks prebuilt/jawnik_web.wasm or prebuilt/jawnik_web_multi.wasm"
# As `cargo install jawnik` would (its own target folder: sharing the clone's made cargo take
# one jawnik-engine for the other, two path crates of one name and version).
RUSTUP_HOME=$fresh cargo install --path "$unpacked" --root "$work/inst-package" "${patch[@]}"
version=$("$work/inst-package/bin/jawnik" --version)
echo "$version"
[[ $version == "jawnik "*" (${head:0:9})" ]] || fail "the package's --version printed '$version'"
"$work/inst-package/bin/jawnik" build --output "$work/site-package" --today $today
diff -r "$work/site-prebuilt" "$work/site-package" >/dev/null ||
  fail "the site built by the package differs from the one built by the clone"

step "5. JAWNIK_WASM_FROM_SOURCE=1: the target added by build.rs, the runtime compiled here"
RUSTUP_HOME=$fresh JAWNIK_WASM_FROM_SOURCE=1 cargo run --release -- build \
  --output "$work/site-source" --today $today
installed_targets | grep -q wasm32 || fail "build.rs did not add the wasm32 target"
diff -r "$work/site-prebuilt" "$work/site-source" >/dev/null ||
  fail "the site built with prebuilt/ differs from the one with the runtime compiled in $clone"
echo "identical: the runtime compiled in $clone and prebuilt/jawnik_web.wasm"

step "all steps passed"
}

main "$@"
