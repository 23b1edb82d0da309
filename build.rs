//! Build script of the `jawnik` package. Two jobs, each in its own module under `build/`:
//!
//! - `build/runtime.rs`: the browser search runtime (`crates/web` as WebAssembly) that
//!   `jawnik build` writes into every site (`src/export/mod.rs` embeds it from `OUT_DIR`):
//!   compiled from source where the `wasm32-unknown-unknown` target is installed (added with
//!   rustup when a source build is needed and it is missing), else the module committed in
//!   `prebuilt/` when it was built from these very sources. A missing target, a missing rustup
//!   or a read-only toolchain end in one `cargo::error` line saying what to run.
//! - `build/revision.rs`: the source revision `jawnik --version` prints.

#[path = "build/revision.rs"]
mod revision;
#[path = "build/runtime.rs"]
mod runtime;

use std::env;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    if let Err(message) = runtime::provide(&manifest, &out_dir) {
        println!("cargo::error={message}");
    }
    println!(
        "cargo::rustc-env=JAWNIK_REVISION={}",
        revision::describe(&manifest)
    );
}
