//! Builds the browser search runtime (`crates/web`) for `wasm32-unknown-unknown`, optimised for
//! size, so that `jawnik build` can write it into every site (`src/export/mod.rs` embeds it),
//! and compresses it once with Zopfli (the `.wasm.deflate` the page fetches: 6 % smaller than
//! zlib's best, which is worth a build-time second for a file every first visit downloads).
//! Set `JAWNIK_WASM=/path/to/jawnik_web.wasm` to use a prebuilt module instead.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("jawnik_web.wasm");
    for path in [
        "crates/web",
        "crates/engine",
        "crates/analysis/src",
        "crates/analysis/Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    println!("cargo:rerun-if-env-changed=JAWNIK_WASM");
    if let Ok(prebuilt) = env::var("JAWNIK_WASM") {
        std::fs::copy(&prebuilt, &out).unwrap_or_else(|e| panic!("JAWNIK_WASM={prebuilt}: {e}"));
        compress(&out);
        return;
    }
    // A target folder of its own: the outer build holds the lock on the usual one.
    let target_dir = manifest.join("target").join("wasm-runtime");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&manifest)
        .args([
            "build",
            "--quiet",
            "-p",
            "jawnik-web",
            "--lib",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true");
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CLIPPY_ARGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        command.env_remove(var);
    }
    let status = command
        .status()
        .expect("running cargo to build the wasm search runtime");
    assert!(
        status.success(),
        "building crates/web for wasm32-unknown-unknown failed; is the target installed? \
         (`rustup target add wasm32-unknown-unknown`; rust-toolchain.toml lists it)"
    );
    let built = target_dir.join("wasm32-unknown-unknown/release/jawnik_web.wasm");
    std::fs::copy(&built, &out).unwrap_or_else(|e| panic!("copying {}: {e}", built.display()));
    compress(&out);
}

/// Writes `{wasm}.deflate`: the module as raw DEFLATE, by Zopfli (deterministic).
fn compress(wasm: &std::path::Path) {
    let bytes = std::fs::read(wasm).expect("reading the wasm module");
    let mut deflated = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Deflate,
        bytes.as_slice(),
        &mut deflated,
    )
    .expect("compressing in memory");
    let mut name = wasm.as_os_str().to_owned();
    name.push(".deflate");
    std::fs::write(name, deflated).expect("writing the compressed wasm module");
}
