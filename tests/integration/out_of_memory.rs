//! A build that runs out of memory: `jawnik build` of the example site, run under an
//! address-space limit of 256 MiB (`setrlimit(RLIMIT_AS)` in the child, as `ulimit -v` does)
//! while its index step alone reserves more than that (tantivy's 200 MiB writer budget, its
//! threads and memory maps; the build needs about 700 MiB of address space, while `jawnik
//! check` of the same site passes under the limit), fails with the clear message of
//! `jawnik::memory` — not Rust's bare `memory allocation of N bytes failed` — and exit code
//! 1, leaves the previous output byte-identical, and the next build (without the limit)
//! succeeds and leaves no temporary folder behind.

use crate::common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The address-space limit the failing build runs under.
const LIMIT: u64 = 256 << 20;

fn jawnik(root: &Path, limit: Option<u64>) -> Output {
    run("build", root, limit)
}

fn run(command: &str, root: &Path, limit: Option<u64>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jawnik"));
    c.arg(command).arg("--root").arg(root);
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(limit) = limit {
        // SAFETY: only setrlimit runs between fork and exec (async-signal-safe, no allocation).
        unsafe {
            c.pre_exec(move || {
                let r = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    c.output().unwrap()
}

#[test]
fn out_of_memory_says_so_and_keeps_previous_output() {
    let root = common::temp_dir("out-of-memory");
    let src = common::manifest_dir();
    common::copy_dir(&src.join("content"), &root.join("content"));
    std::fs::copy(src.join("jawnik.toml"), root.join("jawnik.toml")).unwrap();
    let public = root.join("public");

    let first = jawnik(&root, None);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = common::tree(&public);
    assert!(before.len() > 50, "a real site: {} files", before.len());

    // The limit is not what fails by itself: `jawnik check` loads, validates and renders the
    // same site under it.
    let check = run("check", &root, Some(LIMIT));
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let out = jawnik(&root, Some(LIMIT));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: out of memory during "),
        "names the failure and the phase: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "The previous site in {} is untouched.",
            public.display()
        )),
        "names the output kept: {stderr}"
    );
    assert!(
        stderr.contains(" MiB held, "),
        "says what was held: {stderr}"
    );
    assert!(
        stderr.contains("of a 256 MiB limit"),
        "names the limit: {stderr}"
    );
    assert!(stderr.contains("\nhint: "), "says what to do: {stderr}");
    assert!(
        !stderr.contains("memory allocation of"),
        "not Rust's bare message: {stderr}"
    );
    assert_eq!(
        common::tree(&public),
        before,
        "the previous output, untouched"
    );

    // Ended in the allocator, the build left its temporary folder, marked as jawnik's (so the
    // next build may delete it); ended by an error, it deleted it.
    let leftover = root.join(".public.jawnik-new");
    assert!(!leftover.exists() || leftover.join(jawnik::output::MARKER).is_file());

    // The next build clears what the failed one left (its temporary folder, when it ended
    // in the allocator without unwinding) and succeeds.
    let next = jawnik(&root, None);
    assert!(
        next.status.success(),
        "{}",
        String::from_utf8_lossy(&next.stderr)
    );
    assert!(!root.join(".public.jawnik-new").exists());
    assert!(!root.join(".public.jawnik-old").exists());
    assert_eq!(common::tree(&public), before, "same content, same site");
    let _ = std::fs::remove_dir_all(&root);
}
