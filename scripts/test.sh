#!/usr/bin/env bash
# The project's test command (README): formatting, lints, Rust tests, the wasm build of the
# analysis crate, and the browser tests. Needs: the Rust toolchain with the
# wasm32-unknown-unknown target, Debian's chromium, `npm ci` done (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
start=$SECONDS

step "cargo fmt --all --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace

step "cargo build -p jawnik-analysis --target wasm32-unknown-unknown --no-default-features"
cargo build -p jawnik-analysis --target wasm32-unknown-unknown --no-default-features

step "fuzzing: scripts/fuzz.sh (${FUZZ_SECONDS:-60} s per target; FUZZ_SECONDS=0 skips)"
# The fuzz crate is its own workspace with its own lock file: when fuzzing is skipped, still
# check (with --locked) that the lock file is current and the targets compile, so a change to
# the main crates cannot break CI's fuzz step unseen.
# The bounded run here takes a fixed seed (FUZZ_SEED, default 1): it mutates the committed
# corpus the same way on every machine, so a finding is the change's, and the run can be
# repeated for longer beforehand (FUZZ_SEED=1 FUZZ_SECONDS=300 scripts/fuzz.sh, with
# fuzz/artifacts/*/new/ moved aside as on a fresh clone). Exploring with random seeds is
# scripts/fuzz.sh's default.
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  FUZZ_SEED="${FUZZ_SEED:-1}" bash scripts/fuzz.sh
else
  (cd fuzz && cargo check --locked --quiet --bins)
fi

step "browser tests: node --test tests/browser/"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  echo "node_modules missing: run 'npm ci' first" >&2
  exit 1
fi
# The example site is built by the tests with `cargo run -- build` (debug profile, same
# target dir as cargo test above, so nothing is recompiled); build it once here so that the
# test files, which run in parallel, do not all wait on the same compile.
cargo build --bin jawnik
node --test --test-concurrency=2 tests/browser/

printf '\nscripts/test.sh: all steps passed in %ss\n' "$((SECONDS - start))"
