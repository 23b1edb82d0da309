//! Interrupted and concurrent builds: `jawnik build` killed with SIGKILL at seeded random
//! moments leaves the previous output byte-identical and the next build succeeds; two builds
//! of one site at once are serialised by the build lock, the second saying which process holds
//! it; `jawnik serve` locks separately; a build never deletes what is not its own output.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A copy of the example site (content + jawnik.toml; the theme is built in).
fn example_copy(name: &str) -> PathBuf {
    let root = common::temp_dir(name);
    let src = common::manifest_dir();
    for entry in walkdir::WalkDir::new(src.join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(root.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), root.join(rel)).unwrap();
        }
    }
    std::fs::copy(src.join("jawnik.toml"), root.join("jawnik.toml")).unwrap();
    root
}

fn jawnik(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jawnik"));
    c.arg("build").arg("--root").arg(root);
    c.stdout(Stdio::null());
    c
}

fn build_ok(root: &Path) -> Duration {
    let start = Instant::now();
    let out = jawnik(root).stderr(Stdio::piped()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// A small deterministic generator (the test must kill at the same points on every run).
struct Lcg(u64);
impl Lcg {
    fn next_unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn sigkill_at_random_points_leaves_the_previous_site_untouched() {
    let root = example_copy("sigkill");
    // The duration of a warm build (the first one also fills the OS's file cache).
    let duration = build_ok(&root).min(build_ok(&root));
    let public = root.join("public");
    let before: BTreeMap<String, Vec<u8>> = common::tree(&public);
    assert!(before.len() > 50, "a real site: {} files", before.len());
    let mut rng = Lcg(0x6a61_776e_696b);
    // Eight points spread over the build, the last ones where it writes and swaps the output.
    let mut points: Vec<f64> = (0..8)
        .map(|i| (i as f64 + rng.next_unit()) / 8.0 * 0.95)
        .collect();
    points.sort_by(f64::total_cmp);
    let mut killed_running = 0;
    for p in points {
        let at = duration.mul_f64(p);
        let mut child = jawnik(&root).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap_or(()); // SIGKILL on Unix
        child.wait().unwrap();
        let after = common::tree(&public);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "killed at {at:?}: the output's files changed"
        );
        assert!(after == before, "killed at {at:?}: a file's bytes changed");
    }
    eprintln!("{killed_running}/8 kills hit a running build (build time {duration:?})");
    // (On a loaded machine a build may run faster than the one measured: most, not all.)
    assert!(
        killed_running >= 4,
        "most kills must hit a running build: {killed_running}/8"
    );
    // The next build runs (no stale lock, leftovers cleaned) and gives the same site.
    build_ok(&root);
    assert!(common::tree(&public) == before);
    assert_eq!(
        names(&root),
        [".jawnik", "content", "jawnik.toml", "public"]
    );
    assert_eq!(names(&root.join(".jawnik")), ["build.lock", "index"]);
}

#[test]
fn a_second_build_of_the_same_site_waits_for_the_first_and_says_for_whom() {
    let root = example_copy("lock");
    let lock = root.join(".jawnik/build.lock");
    let mut first = jawnik(&root).stderr(Stdio::null()).spawn().unwrap();
    let pid = first.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != pid {
        assert!(
            Instant::now() < deadline,
            "the first build never took the lock"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = jawnik(&root).stderr(Stdio::piped()).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(first.wait().unwrap().success());
    assert!(second.status.success(), "{stderr}");
    assert_eq!(
        stderr.lines().next().unwrap_or(""),
        format!(
            "waiting for another build of this site to finish: process {pid} holds the lock {}",
            lock.display()
        )
    );
    // The lock is free again: a third build does not wait.
    let third = jawnik(&root).stderr(Stdio::piped()).output().unwrap();
    assert!(third.status.success());
    assert!(!String::from_utf8_lossy(&third.stderr).contains("waiting"));
}

#[test]
fn serve_builds_while_a_build_of_the_same_site_holds_its_lock() {
    // `jawnik serve` builds into .jawnik/serve/ with its own lock: a `jawnik build` running
    // (here: its lock held) does not block it, and neither waits on the other.
    let root = example_copy("serve-lock");
    let held = jawnik::lock::BuildLock::acquire(&root.join(".jawnik/build.lock"), |m| {
        panic!("the lock is free: {m}")
    })
    .unwrap();
    let opts = jawnik::serve::ServeOptions {
        port: 0,
        log: false,
        ..jawnik::serve::ServeOptions::new(&root)
    };
    let handle = jawnik::serve::start(opts).expect("serve starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while handle.builds() < 1 {
        assert!(
            Instant::now() < deadline,
            "serve's first build waited on the build lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(root.join(".jawnik/serve/build.lock").is_file());
    handle.stop();
    drop(held);
}

#[test]
fn a_build_never_deletes_what_is_not_its_output() {
    let root = example_copy("foreign");
    // An output folder of someone else's files, and a folder that merely has the name of
    // jawnik's temporary folder: both are refused, nothing is deleted.
    let home = root.join("home");
    std::fs::create_dir_all(home.join("docs")).unwrap();
    std::fs::write(home.join("docs/thesis.txt"), "years of work").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jawnik"))
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&home)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "refusing to replace {}: it is not empty and has no .jawnik-output file",
            home.display()
        )),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(home.join("docs/thesis.txt")).unwrap(),
        "years of work"
    );
    let decoy = root.join(".public.jawnik-new");
    std::fs::create_dir_all(&decoy).unwrap();
    std::fs::write(decoy.join("notes.txt"), "mine").unwrap();
    let out = jawnik(&root).stderr(Stdio::piped()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to replace"));
    assert_eq!(
        std::fs::read_to_string(decoy.join("notes.txt")).unwrap(),
        "mine"
    );
}
