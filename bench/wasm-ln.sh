#!/usr/bin/env bash
# Checks that the browser module's `ln` (libm::logf, crates/engine/src/bm25.rs) gives the bits
# the standard library's f32::ln gives on wasm32-unknown-unknown, for every one of the 2^32 f32
# inputs: a tiny wasm module (std) computes both, node counts the inputs that differ (~30 s).
# Run it after a toolchain or libm update: the browser's scores depend on it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(grep -A1 '^name = "libm"' "$root/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
dir="$root/target/wasm-ln"
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "wasm-ln"
version = "0.0.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[dependencies]
libm = "=$version"
[workspace]
[profile.release]
opt-level = "z"
lto = true
panic = "abort"
TOML
cat > "$dir/src/lib.rs" <<'RS'
/// How many f32 inputs (as bits) in `start..start + count` get other bits from `f32::ln` than
/// from `libm::logf` (two NaNs count as equal).
#[no_mangle]
pub extern "C" fn mismatches(start: u32, count: u32) -> u32 {
    let mut n = 0;
    for i in 0..count {
        let x = f32::from_bits(start.wrapping_add(i));
        let a = core::hint::black_box(x).ln();
        let b = libm::logf(core::hint::black_box(x));
        n += u32::from(a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan()));
    }
    n
}
RS
(cd "$dir" && env -u RUSTFLAGS cargo build --quiet --release --target wasm32-unknown-unknown)
node --input-type=module - "$dir/target/wasm32-unknown-unknown/release/wasm_ln.wasm" <<'JS'
import { readFileSync } from 'node:fs';
const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]));
let differ = 0;
const step = 1 << 26;
for (let start = 0; start < 2 ** 32; start += step) differ += instance.exports.mismatches(start >>> 0, step);
console.log(`libm::logf vs std f32::ln on wasm32: ${differ} of 2^32 inputs differ`);
process.exit(differ === 0 ? 0 : 1);
JS
