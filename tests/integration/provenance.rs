//! What the binary is built from: the browser search runtime committed in `prebuilt/` (used
//! where the wasm32 target is missing, and by the crates.io package) is byte-identical to the
//! one `build.rs` compiles from the current sources, and `jawnik --version` names the
//! source revision.

use std::process::Command;

const UPDATE: &str = "run `JAWNIK_WASM_UPDATE=1 cargo build` and commit prebuilt/";

#[test]
fn the_prebuilt_runtime_is_the_one_compiled_from_these_sources() {
    assert_eq!(
        jawnik::export::RUNTIME_ORIGIN,
        "source",
        "this build took the search runtime from elsewhere than its sources, so it cannot be \
         compared with prebuilt/: install the target (`rustup target add \
         wasm32-unknown-unknown`) and Binaryen's wasm-opt (`apt-get install binaryen`), or \
         build with JAWNIK_WASM_FROM_SOURCE=1, unset JAWNIK_WASM"
    );
    assert_eq!(
        env!("JAWNIK_WASM_PREBUILT"),
        "fresh",
        "prebuilt/jawnik_web.stamp records other sources than these (or prebuilt/ is missing \
         or damaged): {UPDATE}"
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/prebuilt/jawnik_web.wasm");
    let prebuilt = std::fs::read(path).expect("prebuilt/jawnik_web.wasm");
    assert!(
        prebuilt == jawnik::export::RUNTIME_WASM,
        "prebuilt/jawnik_web.wasm ({} bytes) differs from the module compiled from the same \
         sources ({} bytes): the build is not reproducible, or prebuilt/ was written from other \
         sources; {UPDATE}",
        prebuilt.len(),
        jawnik::export::RUNTIME_WASM.len()
    );
}

#[test]
fn the_prebuilt_multi_language_runtime_is_the_one_compiled_from_these_sources() {
    assert_eq!(
        jawnik::export::RUNTIME_MULTI_ORIGIN,
        "source",
        "this build took the multi-language runtime from elsewhere than its sources (see the \
         test above; JAWNIK_WASM_MULTI)"
    );
    assert_eq!(
        env!("JAWNIK_WASM_MULTI_PREBUILT"),
        "fresh",
        "prebuilt/jawnik_web_multi.stamp records other sources than these (or the module is \
         missing or damaged): {UPDATE}"
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/prebuilt/jawnik_web_multi.wasm"
    );
    let prebuilt = std::fs::read(path).expect("prebuilt/jawnik_web_multi.wasm");
    assert!(
        prebuilt == jawnik::export::RUNTIME_MULTI_WASM,
        "prebuilt/jawnik_web_multi.wasm ({} bytes) differs from the module compiled from the \
         same sources ({} bytes); {UPDATE}",
        prebuilt.len(),
        jawnik::export::RUNTIME_MULTI_WASM.len()
    );
    // Two modules indeed: the Polish one is the smaller, without the stemmers.
    assert!(jawnik::export::RUNTIME_WASM.len() + 20_000 < jawnik::export::RUNTIME_MULTI_WASM.len());
}

#[test]
fn version_names_the_source_revision() {
    let output = Command::new(env!("CARGO_BIN_EXE_jawnik"))
        .arg("--version")
        .output()
        .expect("running jawnik --version");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    let revision = printed
        .strip_prefix(concat!("jawnik ", env!("CARGO_PKG_VERSION"), " ("))
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("unexpected --version output: {printed:?}"));
    let git = Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output();
    match git {
        // A checkout: the commit being tested, dirty or not.
        Ok(out) if out.status.success() => {
            let head = String::from_utf8_lossy(&out.stdout);
            let hash = revision.strip_suffix("-dirty").unwrap_or(revision);
            assert_eq!(hash.len(), 9, "{revision}");
            assert!(head.starts_with(hash), "{revision} is not HEAD ({head})");
        }
        _ => assert_eq!(revision, "unknown"),
    }
}
