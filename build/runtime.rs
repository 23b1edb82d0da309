//! The browser search runtime for `build.rs`: where `OUT_DIR/jawnik_web.wasm` (and its Zopfli
//! `.deflate`) comes from, and the same for `OUT_DIR/jawnik_web_multi.wasm`, the module built
//! with `crates/web`'s `multi` feature (English and Ukrainian analysis) that a site with
//! documents in other languages than Polish ships ([`VARIANTS`]; each has its own prebuilt
//! file, stamp and environment variables: `JAWNIK_WASM_MULTI` for the second). In order:
//!
//! 1. `JAWNIK_WASM=/path/to/jawnik_web.wasm`: that file.
//! 2. In a checkout (the sources of `crates/web` are here): compiled for
//!    `wasm32-unknown-unknown` when that target is installed, or when the committed
//!    `prebuilt/jawnik_web.wasm` was built from other sources (its stamp records a hash of the
//!    sources it came from), or when `JAWNIK_WASM_FROM_SOURCE=1` or `JAWNIK_WASM_UPDATE=1`
//!    asks for it; a missing target is then added with `rustup target add` (cargo sets
//!    `RUSTUP_TOOLCHAIN` for build scripts, so the target goes into the toolchain building
//!    jawnik). rust-toolchain.toml's `targets` line is honoured only when rustup installs the
//!    toolchain, not when the toolchain is already there, so a fresh machine usually lacks it.
//! 3. Otherwise the prebuilt module: on a fresh machine without the target, and in the
//!    crates.io package, which has no `crates/web` to compile.
//!
//! The source build is size-optimised and reproducible: the registry's absolute paths that
//! panic locations embed are remapped (`--remap-path-prefix`), so a build from the same
//! sources and toolchain gives the same bytes in any folder. rustc's module then goes through
//! Binaryen's `wasm-opt` ([`WASM_OPT_ARGS`]; `WASM_OPT` names another binary than the one on
//! `PATH`): 2.6 kB less to download (Zopfli-compressed) for every first search.
//! Without `wasm-opt` the committed module is used when it comes from these sources (it was
//! optimised where it was made: the stamp records the `wasm-opt` version); otherwise the module
//! is used unoptimised, with a warning. `JAWNIK_WASM_UPDATE=1 cargo build` (which needs
//! `wasm-opt`) writes the modules and their stamps into `prebuilt/`; `tests/provenance.rs`
//! fails when they are not the bytes built from the current sources.
//!
//! Failures that are the machine's (no target and no rustup, rustup unable to write) come back
//! as one line for `cargo::error`; a compile error in the runtime's sources exits with the
//! compiler's messages, which cargo prints.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

const TARGET: &str = "wasm32-unknown-unknown";

/// A module variant: its file name (without `.wasm`), the `crates/web` features it is built
/// with, and the suffix of its environment variables.
struct Variant {
    name: &'static str,
    features: &'static str,
    env: &'static str,
}

/// The Polish-only module (what a Polish site ships, smallest) and the multi-language one.
const VARIANTS: [Variant; 2] = [
    Variant {
        name: "jawnik_web",
        features: "",
        env: "",
    },
    Variant {
        name: "jawnik_web_multi",
        features: "multi",
        env: "_MULTI",
    },
];
/// The crates the module is compiled from: their `src/` and `Cargo.toml`, with the
/// `Cargo.lock` entries of what they depend on, are what the stamp's `sources` hash covers.
/// `vendor/frostem` is the stemmer crate made `no_std` (the workspace's `[patch.crates-io]`):
/// a path in `Cargo.lock`, so its sources are hashed here.
const CRATES: [&str; 4] = [
    "crates/analysis",
    "crates/engine",
    "crates/web",
    "vendor/frostem",
];
const ROOT_CRATE: &str = "jawnik-web";
/// What `wasm-opt` is run with, repeated while it still shrinks the module. What counts is the
/// module as the page downloads it, Zopfli-compressed: `-O1` gives 55.6 kB there (from rustc's
/// 58.2 kB), `-Oz` only 57.6 kB (fewer bytes before compression, but less regular ones). The
/// features are those rustc enables by default for the target (the module uses some of them).
const WASM_OPT_ARGS: [&str; 8] = [
    "-O1",
    "--converge",
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-multivalue",
    "--enable-reference-types",
];

/// Puts the runtimes into `out_dir` and tells cargo about them (`rustc-env`
/// `JAWNIK_WASM_ORIGIN` / `JAWNIK_WASM_MULTI_ORIGIN`: `source`, `prebuilt` or `JAWNIK_WASM`;
/// `JAWNIK_WASM_PREBUILT` / `JAWNIK_WASM_MULTI_PREBUILT`: `fresh`, `stale`, `missing` or
/// `damaged`, for `tests/provenance.rs`). `Err` is a one-line message for `cargo::error`.
pub fn provide(manifest: &Path, out_dir: &Path) -> Result<(), String> {
    for var in ["JAWNIK_WASM_FROM_SOURCE", "JAWNIK_WASM_UPDATE", "WASM_OPT"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let has_sources = manifest.join("crates/web/Cargo.toml").is_file();
    if has_sources {
        for krate in CRATES {
            println!("cargo::rerun-if-changed={krate}/src");
            println!("cargo::rerun-if-changed={krate}/Cargo.toml");
        }
        println!("cargo::rerun-if-changed=Cargo.lock");
    }
    let sources = has_sources.then(|| sources_hash(manifest));
    for variant in &VARIANTS {
        provide_variant(manifest, out_dir, variant, sources.as_deref())?;
    }
    Ok(())
}

fn provide_variant(
    manifest: &Path,
    out_dir: &Path,
    variant: &Variant,
    sources: Option<&str>,
) -> Result<(), String> {
    let prebuilt_file = variant.prebuilt();
    let stamp_file = variant.stamp();
    println!("cargo::rerun-if-env-changed=JAWNIK_WASM{}", variant.env);
    for file in [&prebuilt_file, &stamp_file] {
        println!("cargo::rerun-if-changed={file}");
    }
    let prebuilt = Prebuilt::read(manifest, variant);
    let state = match (&prebuilt, &sources) {
        (Err(_), _) if !manifest.join(&prebuilt_file).exists() => "missing",
        (Err(_), _) => "damaged",
        (Ok(p), Some(s)) if p.sources != *s => "stale",
        (Ok(_), _) => "fresh",
    };
    println!(
        "cargo::rustc-env=JAWNIK_WASM{}_PREBUILT={state}",
        variant.env
    );

    let (wasm, origin) = if let Some(path) = env::var_os(format!("JAWNIK_WASM{}", variant.env)) {
        let path = PathBuf::from(path);
        let wasm = fs::read(&path).map_err(|e| {
            format!(
                "JAWNIK_WASM{}={}: cannot read it: {e}",
                variant.env,
                path.display()
            )
        })?;
        (wasm, "JAWNIK_WASM")
    } else if let Some(sources) = sources {
        let update = flag("JAWNIK_WASM_UPDATE");
        let forced = update || flag("JAWNIK_WASM_FROM_SOURCE");
        let wasm_opt = wasm_opt_version();
        match prebuilt {
            Ok(p) if state == "fresh" && !forced && !target_installed()? => (p.wasm, "prebuilt"),
            // The target is there but `wasm-opt` is not: the committed module is what a build
            // with it would give.
            Ok(p) if state == "fresh" && !forced && wasm_opt.is_err() => {
                let why = wasm_opt.as_ref().err().map_or("", String::as_str);
                println!(
                    "cargo::warning={why}: took {prebuilt_file} (built from these sources) \
                     rather than compiling the search runtime"
                );
                (p.wasm, "prebuilt")
            }
            prebuilt => {
                if !target_installed()? {
                    let why = match (forced, state) {
                        (true, _) if update => "JAWNIK_WASM_UPDATE is set".to_string(),
                        (true, _) => "JAWNIK_WASM_FROM_SOURCE is set".to_string(),
                        (_, "stale") => format!("{prebuilt_file} was built from other sources"),
                        (_, "damaged") => format!("{prebuilt_file} does not match its stamp"),
                        _ => format!("there is no {prebuilt_file}"),
                    };
                    add_target(&why)?;
                }
                let compiled = compile(manifest, variant);
                let wasm = match &wasm_opt {
                    Ok(_) => optimise(out_dir, variant, &compiled)?,
                    Err(why) if update => {
                        return Err(format!(
                            "JAWNIK_WASM_UPDATE writes the module every build is compared \
                             with, and {why}: install Binaryen (`apt-get install binaryen`)"
                        ))
                    }
                    Err(why) => {
                        println!(
                            "cargo::warning={why}: the search runtime is not size-optimised \
                             (install Binaryen: `apt-get install binaryen`)"
                        );
                        compiled
                    }
                };
                if let (true, Ok(tool)) = (update, &wasm_opt) {
                    write_prebuilt(manifest, variant, &wasm, sources, tool)?;
                } else if matches!(&prebuilt, Ok(p) if state == "fresh" && p.wasm != wasm) {
                    println!(
                        "cargo::warning=the runtime compiled from these sources differs from \
                         {prebuilt_file}, which its stamp says was built from them: the build is \
                         not reproducible on this machine (other toolchain or flags?)"
                    );
                }
                (wasm, "source")
            }
        }
    } else {
        let prebuilt = prebuilt.map_err(|why| {
            format!("this package has no crates/web to compile the search runtime from, and {why}")
        })?;
        (prebuilt.wasm, "prebuilt")
    };
    println!(
        "cargo::rustc-env=JAWNIK_WASM{}_ORIGIN={origin}",
        variant.env
    );
    write_out(out_dir, variant, &wasm)
}

impl Variant {
    /// Its committed module.
    fn prebuilt(&self) -> String {
        format!("prebuilt/{}.wasm", self.name)
    }

    /// Its stamp.
    fn stamp(&self) -> String {
        format!("prebuilt/{}.stamp", self.name)
    }
}

/// Whether an environment variable is set to something other than empty or `0`.
fn flag(name: &str) -> bool {
    env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The committed module, checked against its stamp.
struct Prebuilt {
    wasm: Vec<u8>,
    /// The `sources_hash` of the sources it was compiled from.
    sources: String,
}

impl Prebuilt {
    fn read(manifest: &Path, variant: &Variant) -> Result<Prebuilt, String> {
        let (module, stamp_file) = (variant.prebuilt(), variant.stamp());
        let wasm = fs::read(manifest.join(&module))
            .map_err(|e| format!("{module} cannot be read: {e}"))?;
        let stamp = fs::read_to_string(manifest.join(&stamp_file))
            .map_err(|e| format!("{stamp_file} cannot be read: {e}"))?;
        let field = |key: &str| {
            stamp.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        // A Git LFS pointer or a half-copied file must not pass for the module.
        if field("module").as_deref() != Some(&hex(xxh3_128(&wasm))) {
            return Err(format!("{module} is not the module {stamp_file} describes"));
        }
        let sources = field("sources").ok_or(format!("{stamp_file} names no sources"))?;
        Ok(Prebuilt { wasm, sources })
    }
}

fn hex(hash: u128) -> String {
    format!("xxh3-128:{hash:032x}")
}

/// A hash of what the module is compiled from: every file under each crate's `src/` (dot
/// files left out) and its `Cargo.toml`, by path and content, then the `Cargo.lock` entries
/// of `jawnik-web` and everything it depends on.
fn sources_hash(manifest: &Path) -> String {
    let mut files = Vec::new();
    for krate in CRATES {
        files.push(format!("{krate}/Cargo.toml"));
        walk(manifest, &format!("{krate}/src"), &mut files);
    }
    let mut hasher = Xxh3::new();
    for file in &files {
        let bytes = fs::read(manifest.join(file)).unwrap_or_default();
        hasher.update(file.as_bytes());
        hasher.update(&[0]);
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let lock = fs::read_to_string(manifest.join("Cargo.lock")).unwrap_or_default();
    for entry in lock_closure(&lock, ROOT_CRATE) {
        hasher.update(entry.as_bytes());
    }
    hex(hasher.digest128())
}

/// The files under `dir` (relative to `root`, `/`-separated), sorted, dot files left out.
fn walk(root: &Path, dir: &str, files: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(root.join(dir)) else {
        return;
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            (!name.starts_with('.')).then(|| (name, e.path().is_dir()))
        })
        .collect();
    names.sort();
    for (name, is_dir) in names {
        let path = format!("{dir}/{name}");
        if is_dir {
            walk(root, &path, files);
        } else {
            files.push(path);
        }
    }
}

/// The `[[package]]` entries of `Cargo.lock` for `root` and everything it depends on (by
/// name: every version of a name reached is kept), in the lock's order.
fn lock_closure<'a>(lock: &'a str, root: &str) -> Vec<&'a str> {
    let entries: Vec<&str> = lock.split("[[package]]").skip(1).collect();
    let name = |entry: &str| {
        entry
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|n| n.trim_matches('"').to_string())
    };
    let mut reached = std::collections::BTreeSet::from([root.to_string()]);
    let mut queue = vec![root.to_string()];
    while let Some(next) = queue.pop() {
        for entry in entries
            .iter()
            .filter(|e| name(e).as_deref() == Some(next.as_str()))
        {
            let Some(deps) = entry.split("dependencies = [").nth(1) else {
                continue;
            };
            let deps = deps.split(']').next().unwrap_or("");
            for dep in deps.split('"').skip(1).step_by(2) {
                let dep = dep.split(' ').next().unwrap_or(dep).to_string();
                if reached.insert(dep.clone()) {
                    queue.push(dep);
                }
            }
        }
    }
    entries
        .into_iter()
        .filter(|e| name(e).is_some_and(|n| reached.contains(&n)))
        .collect()
}

/// The rustc cargo builds with (`RUSTC`, set for build scripts).
fn rustc() -> String {
    env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

/// The toolchain's folder (`rustc --print sysroot`).
fn sysroot() -> Result<PathBuf, String> {
    let output = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run `{} --print sysroot`: {e}", rustc()))?;
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Whether the toolchain has the standard library for `TARGET`.
fn target_installed() -> Result<bool, String> {
    Ok(sysroot()?
        .join("lib/rustlib")
        .join(TARGET)
        .join("lib")
        .is_dir())
}

/// Adds `TARGET` to the toolchain building jawnik with rustup, or says in one line why it
/// cannot and what to run.
fn add_target(why: &str) -> Result<(), String> {
    let missing = format!(
        "the Rust toolchain has no {TARGET} target, which the browser search runtime is \
         compiled for, and {why}"
    );
    let toolchain = env::var("RUSTUP_TOOLCHAIN").ok().filter(|t| !t.is_empty());
    let has_rustup = Command::new("rustup").arg("--version").output().is_ok();
    let Some(toolchain) = toolchain.filter(|_| has_rustup) else {
        return Err(format!(
            "{missing}; this toolchain ({}) is not run by rustup, so jawnik cannot add the \
             target: install it for this toolchain, or install rustup (https://rustup.rs) and \
             run `rustup target add {TARGET}`",
            sysroot()?.display()
        ));
    };
    let command = format!("rustup target add {TARGET} --toolchain {toolchain}");
    let output = Command::new("rustup")
        .args(["target", "add", TARGET, "--toolchain", &toolchain])
        .env("RUST_BACKTRACE", "0")
        .output();
    let failure = match output {
        Ok(o) if o.status.success() && target_installed()? => {
            println!("cargo::warning={why}: added the {TARGET} target with `{command}`");
            return Ok(());
        }
        Ok(o) => rustup_error(&String::from_utf8_lossy(&o.stderr)),
        Err(e) => e.to_string(),
    };
    let home = env::var("RUSTUP_HOME").unwrap_or_else(|_| "~/.rustup".into());
    Err(format!(
        "{missing}; `{command}` failed ({failure}): run it as a user who can write to {home}"
    ))
}

/// rustup's error in one line: its `error:` line and the innermost cause (`Caused by:` lists
/// them numbered), without a backtrace: `component download failed for rust-std-…: Read-only
/// file system (os error 30)`.
fn rustup_error(stderr: &str) -> String {
    let text = stderr.split("Stack backtrace:").next().unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let error = lines
        .iter()
        .find_map(|l| l.strip_prefix("error:"))
        .map(str::trim);
    let cause = lines.iter().rev().find_map(|l| {
        let (number, cause) = l.split_once(": ")?;
        number.parse::<u32>().is_ok().then_some(cause)
    });
    match (error, cause) {
        (Some(error), Some(cause)) => format!("{error}: {cause}"),
        (Some(error), None) => error.to_string(),
        _ => lines.last().copied().unwrap_or("no message").to_string(),
    }
}

/// Compiles `crates/web` for `TARGET` with the variant's features, optimised for size, in a
/// target folder of its own per variant (the outer build holds the lock on the usual one). A
/// compile error exits with cargo's messages (printed by the outer cargo as this script's
/// output).
fn compile(manifest: &Path, variant: &Variant) -> Vec<u8> {
    let folder = match variant.features {
        "" => "wasm-runtime".to_string(),
        features => format!("wasm-runtime-{features}"),
    };
    let target_dir = manifest.join("target").join(folder);
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(manifest).args([
        "build",
        "--quiet",
        "-p",
        ROOT_CRATE,
        "--lib",
        "--release",
    ]);
    if !variant.features.is_empty() {
        command.args(["--features", variant.features]);
    }
    command
        .args(["--target", TARGET, "--target-dir"])
        .arg(&target_dir)
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "true")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true");
    for var in [
        "RUSTFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CLIPPY_ARGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        command.env_remove(var);
    }
    // The only flags (they override RUSTFLAGS and config files): the registry's sources are
    // named from a fixed root, not this machine's CARGO_HOME.
    let flags = env::var("CARGO_HOME")
        .map(|home| format!("--remap-path-prefix={home}=/cargo"))
        .unwrap_or_default();
    command.env("CARGO_ENCODED_RUSTFLAGS", flags);
    let status = command.status().unwrap_or_else(|e| {
        eprintln!("cannot run cargo to build the wasm search runtime: {e}");
        std::process::exit(1)
    });
    if !status.success() {
        eprintln!("building crates/web for {TARGET} failed (the compiler's messages are above)");
        std::process::exit(1);
    }
    let built = target_dir.join(TARGET).join("release/jawnik_web.wasm");
    fs::read(&built).unwrap_or_else(|e| {
        eprintln!("{}: {e}", built.display());
        std::process::exit(1)
    })
}

/// The `wasm-opt` to run: `WASM_OPT`, else the one on `PATH`.
fn wasm_opt() -> String {
    env::var("WASM_OPT").unwrap_or_else(|_| "wasm-opt".into())
}

/// `wasm-opt --version`'s line, or why there is no `wasm-opt` to run.
fn wasm_opt_version() -> Result<String, String> {
    match Command::new(wasm_opt()).arg("--version").output() {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!(
            "`{} --version` failed: {}",
            wasm_opt(),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!(
            "there is no `{}` (Binaryen) to run: {e}",
            wasm_opt()
        )),
    }
}

/// rustc's module through `wasm-opt` ([`WASM_OPT_ARGS`]), in files under `out_dir`.
fn optimise(out_dir: &Path, variant: &Variant, wasm: &[u8]) -> Result<Vec<u8>, String> {
    let input = out_dir.join(format!("{}.rustc.wasm", variant.name));
    let output = out_dir.join(format!("{}.opt.wasm", variant.name));
    fs::write(&input, wasm).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    let run = Command::new(wasm_opt())
        .args(WASM_OPT_ARGS)
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", wasm_opt()))?;
    if !run.status.success() {
        return Err(format!(
            "`{} {}` failed on the search runtime: {}",
            wasm_opt(),
            WASM_OPT_ARGS.join(" "),
            String::from_utf8_lossy(&run.stderr).trim()
        ));
    }
    fs::read(&output).map_err(|e| format!("cannot read {}: {e}", output.display()))
}

/// Writes the module and its stamp into `prebuilt/` (`JAWNIK_WASM_UPDATE=1`).
fn write_prebuilt(
    manifest: &Path,
    variant: &Variant,
    wasm: &[u8],
    sources: &str,
    tool: &str,
) -> Result<(), String> {
    let rustc_version = Command::new(rustc())
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let name = variant.name;
    let features = match variant.features {
        "" => String::new(),
        f => format!(" (features: {f})"),
    };
    let stamp = format!(
        "# The browser search runtime in {name}.wasm{features}, for machines without the\n\
         # {TARGET} target (build/runtime.rs). Written by `JAWNIK_WASM_UPDATE=1 cargo build`;\n\
         # checked by build.rs and tests/provenance.rs. `sources`: crates/{{analysis,engine,web}}/src\n\
         # and vendor/frostem/src, their Cargo.toml and Cargo.lock entries. `module`: {name}.wasm.\n\
         # `wasm_opt`: what rustc's module went through (a source build needs the same to give\n\
         # these bytes).\n\
         sources = \"{sources}\"\n\
         module = \"{}\"\n\
         rustc = \"{rustc_version}\"\n\
         wasm_opt = \"{tool} {}\"\n",
        hex(xxh3_128(wasm)),
        WASM_OPT_ARGS.join(" ")
    );
    let write = |file: &str, bytes: &[u8]| {
        let path = manifest.join(file);
        if fs::read(&path).ok().as_deref() != Some(bytes) {
            fs::create_dir_all(path.parent().expect("in prebuilt/"))
                .and_then(|()| fs::write(&path, bytes))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("cargo::warning=wrote {file}: commit it");
        }
        Ok::<(), String>(())
    };
    write(&variant.prebuilt(), wasm)?;
    write(&variant.stamp(), stamp.as_bytes())
}

/// Writes `<name>.wasm` and `<name>.wasm.deflate` (raw DEFLATE by Zopfli, deterministic: 6 %
/// smaller than zlib's best, worth a build-time second for a file every first visit
/// downloads) into `out_dir`, leaving them untouched when the module is unchanged.
fn write_out(out_dir: &Path, variant: &Variant, wasm: &[u8]) -> Result<(), String> {
    let path = out_dir.join(format!("{}.wasm", variant.name));
    let deflate = out_dir.join(format!("{}.wasm.deflate", variant.name));
    if fs::read(&path).ok().as_deref() == Some(wasm) && deflate.is_file() {
        return Ok(());
    }
    let mut deflated = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Deflate,
        wasm,
        &mut deflated,
    )
    .expect("compressing in memory");
    for (path, bytes) in [(&path, wasm), (&deflate, deflated.as_slice())] {
        fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}
