//! A build that runs out of memory. Under one address-space limit (192 MiB, set with
//! `setrlimit(RLIMIT_AS)` in the child as `ulimit -v` does; one malloc arena and two CPUs, so
//! the address space reserved does not depend on the machine), the example site builds; with
//! 400 more pages of 50 KB (20 MB of Markdown: the example site's own bodies repeated, under
//! generated titles) the index step needs more than the limit (223 MiB resident without it),
//! and the build fails with the clear message of `jawnik::memory` — not Rust's bare `memory
//! allocation of N bytes failed` — and exit code 1, leaving the previous output
//! byte-identical; the next build (the pages removed, no limit) succeeds and leaves no
//! temporary folder behind.

use crate::common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The address-space limit the builds run under.
const LIMIT: u64 = 192 << 20;
/// How many pages, and how large, make the site too big for it.
const EXTRA_PAGES: usize = 400;
const PAGE_BYTES: usize = 50_000;

fn jawnik(root: &Path, limit: Option<u64>) -> Output {
    run("build", root, limit)
}

fn run(command: &str, root: &Path, limit: Option<u64>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jawnik"));
    c.arg(command).arg("--root").arg(root);
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(limit) = limit {
        // One arena: glibc reserves 64 MiB of address space per arena, as many as threads
        // race for them.
        c.env("MALLOC_ARENA_MAX", "1");
        // SAFETY: only async-signal-safe calls on stack values run between fork and exec.
        unsafe {
            c.pre_exec(move || {
                // Two CPUs at most (threads' stacks are address space too).
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                let size = std::mem::size_of::<libc::cpu_set_t>();
                if libc::sched_getaffinity(0, size, &mut set) == 0 {
                    let mut kept = 0;
                    for cpu in 0..libc::CPU_SETSIZE as usize {
                        if libc::CPU_ISSET(cpu, &set) {
                            if kept == 2 {
                                libc::CPU_CLR(cpu, &mut set);
                            } else {
                                kept += 1;
                            }
                        }
                    }
                    libc::sched_setaffinity(0, size, &set);
                }
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

/// Pages of `PAGE_BYTES` each, their text the example site's own document bodies repeated.
fn add_pages(root: &Path) -> Vec<PathBuf> {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(".md") && name != "_index.md" {
            let page = std::fs::read_to_string(entry.path()).unwrap();
            text.push_str(page.splitn(3, "+++").nth(2).unwrap_or(""));
            text.push_str("\n\n");
        }
    }
    let mut body = text.repeat(PAGE_BYTES / text.len() + 1);
    body.truncate(body[..PAGE_BYTES].rfind('\n').unwrap());
    (0..EXTRA_PAGES)
        .map(|i| {
            let path = root.join(format!("content/raporty/generated-{i:03}.md"));
            std::fs::write(
                &path,
                format!(
                    "+++\ntitle = \"Raport testowy {i}\"\nsummary = \"Tekst testowy numer {i}.\"\n\
                     date = 2023-01-01\nstatus = \"archiwalny\"\n+++\n{body}\n"
                ),
            )
            .unwrap();
            path
        })
        .collect()
}

#[test]
fn out_of_memory_says_so_and_keeps_previous_output() {
    let root = common::temp_dir("out-of-memory");
    let src = common::manifest_dir();
    common::copy_dir(&src.join("content"), &root.join("content"));
    std::fs::copy(src.join("jawnik.toml"), root.join("jawnik.toml")).unwrap();
    let public = root.join("public");

    // The example site fits in the limit.
    let first = jawnik(&root, Some(LIMIT));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = common::tree(&public);
    assert!(before.len() > 50, "a real site: {} files", before.len());

    // 20 MB more of Markdown does not.
    let added = add_pages(&root);
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
        stderr.contains("of a 192 MiB limit"),
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
    for path in added {
        std::fs::remove_file(path).unwrap();
    }
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
