//! The source revision `jawnik --version` prints, for `build.rs` (`JAWNIK_REVISION`, read by
//! `src/main.rs`): the commit's hash in 9 hex digits (as rustc and cargo print theirs), with
//! `-dirty` when tracked files that go into the binary differ from that commit. In a checkout
//! it comes from `git`; in a package made by `cargo package` (what crates.io serves), from the
//! `.cargo_vcs_info.json` cargo put into it; otherwise it is `unknown`.
//!
//! The script runs again when the commit changes (`HEAD`, its branch, its reflog) or the
//! sources do: a change of the sources recompiles the crate anyway, so `-dirty` costs nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What goes into the binary, relative to the package root: `-dirty` looks at these only.
const SOURCES: [&str; 14] = [
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "build",
    "src",
    "themes",
    "prebuilt",
    "crates/analysis/Cargo.toml",
    "crates/analysis/src",
    "crates/analysis/data",
    "crates/engine/Cargo.toml",
    "crates/engine/src",
    "crates/web/Cargo.toml",
    "crates/web/src",
];
const HASH_DIGITS: usize = 9;

/// `1a2b3c4d5`, `1a2b3c4d5-dirty` or `unknown`; tells cargo what to watch.
pub fn describe(manifest: &Path) -> String {
    for path in SOURCES {
        if manifest.join(path).exists() {
            println!("cargo::rerun-if-changed={path}");
        }
    }
    if let Ok(text) = fs::read_to_string(manifest.join(".cargo_vcs_info.json")) {
        println!("cargo::rerun-if-changed=.cargo_vcs_info.json");
        return from_vcs_info(&text).unwrap_or_else(|| "unknown".into());
    }
    // Only this folder's own repository: a package unpacked inside some other repository
    // (a CARGO_HOME kept in Git) is not that repository's commit.
    if manifest.join(".git").exists() {
        if let Some(revision) = from_git(manifest) {
            return revision;
        }
    }
    "unknown".into()
}

/// `{"git": {"sha1": "…", "dirty": true}, …}` as cargo writes it.
fn from_vcs_info(text: &str) -> Option<String> {
    let sha1 = text.split("\"sha1\"").nth(1)?.split('"').nth(1)?;
    let dirty = text
        .replace(char::is_whitespace, "")
        .contains("\"dirty\":true");
    short(sha1, dirty)
}

fn short(hash: &str, dirty: bool) -> Option<String> {
    let ok = hash.len() >= HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| {
        format!(
            "{}{}",
            &hash[..HASH_DIGITS],
            if dirty { "-dirty" } else { "" }
        )
    })
}

fn from_git(manifest: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(manifest)
            // `status` must not take the index lock from under a git command being run.
            .arg("--no-optional-locks")
            .args(args)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let hash = git(&["rev-parse", "HEAD"])?;
    let mut status = vec!["status", "--porcelain", "--untracked-files=no", "--"];
    status.extend(SOURCES);
    let dirty = !git(&status)?.is_empty();

    let dirs = git(&[
        "rev-parse",
        "--path-format=absolute",
        "--git-dir",
        "--git-common-dir",
    ])?;
    let mut dirs = dirs.lines().map(PathBuf::from);
    let (git_dir, common_dir) = (dirs.next()?, dirs.next()?);
    let mut watched = vec![git_dir.join("HEAD"), git_dir.join("logs/HEAD")];
    watched.push(common_dir.join("packed-refs"));
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(common_dir.join(branch));
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
    short(&hash, dirty)
}
