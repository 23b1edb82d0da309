//! A build that runs out of disk: the example site built into an output folder on a 1 MiB
//! tmpfs (mounted for the test; it needs root, and is skipped, saying so, where mounting is not
//! allowed) fails with a message naming the file and the full disk, and leaves the previous
//! output as it was, with no temporary folder behind. Without root, the same path is covered
//! by `output::tests::failed_write_keeps_previous_output`.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs, unmounted when dropped (also when an assertion fails).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn out_of_disk_keeps_previous_output() {
    let dir = common::temp_dir("disk-full");
    let Some(disk) = Tmpfs::mount(&dir.join("disk"), "1m") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); see output::tests");
        return;
    };
    let out = disk.0.join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(jawnik::output::MARKER), "previous").unwrap();
    std::fs::write(out.join("index.html"), "the previous site").unwrap();

    let opts = jawnik::BuildOptions {
        output: Some(out.clone()),
        index_dir: Some(dir.join("index")),
        extract_cache: Some(dir.join("extract")),
        ..jawnik::BuildOptions::new(common::manifest_dir())
    };
    let err = jawnik::build(&opts).expect_err("the site does not fit in 1 MiB");
    let msg = err.to_string();
    assert!(matches!(err, jawnik::BuildError::Output(_)), "{msg}");
    assert!(msg.starts_with("cannot write "), "{msg}");
    assert!(msg.contains(".public.jawnik-new/"), "names the file: {msg}");
    assert!(msg.contains("the disk is full"), "{msg}");
    assert!(msg.contains("previous output is left as it was"), "{msg}");

    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "the previous site"
    );
    let left: Vec<String> = std::fs::read_dir(&disk.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["public"], "no temporary folder left behind");
    assert_eq!(
        common::tree(&out).len(),
        2,
        "the previous output, untouched"
    );
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}
