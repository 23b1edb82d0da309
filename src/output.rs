//! Writing the output folder atomically: everything is written into a sibling temporary
//! folder, which is then swapped with the old output in one step (Linux `renameat2` with
//! `RENAME_EXCHANGE`; elsewhere two renames, and a build interrupted between them is repaired
//! by the next one, see [`prepare`]) and the old one deleted. Only folders carrying the
//! [`MARKER`] file (a previous jawnik output) are ever replaced or deleted; a failed or
//! killed build leaves the previous output untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of the output: a path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// The marker file that identifies a jawnik output folder.
pub const MARKER: &str = ".jawnik-output";
const MARKER_TEXT: &str = "This folder was written by jawnik. `jawnik build` replaces it whole: do not keep other files here.\n";

#[derive(Debug)]
pub enum OutputError {
    /// The output path exists, is not empty and has no marker: not ours to replace.
    NotOurs(PathBuf),
    Io(String),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::NotOurs(p) => write!(
                f,
                "refusing to replace {}: it is not empty and has no {MARKER} file, so it is not a previous jawnik output (choose another --output or empty it yourself)",
                p.display()
            ),
            OutputError::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_err(what: &str, path: &Path, e: io::Error) -> OutputError {
    let full = if e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded
    {
        "; the disk is full: free some space and build again (the previous output is left as it was)"
    } else {
        ""
    };
    OutputError::Io(format!("cannot {what} {}: {e}{full}", path.display()))
}

/// Whether `dir` may be replaced: it does not exist, is empty, or carries the marker.
pub fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("inspect", dir, e)),
        Ok(m) if m.is_dir() => {
            if dir.join(MARKER).is_file() {
                return Ok(());
            }
            let mut entries = fs::read_dir(dir).map_err(|e| io_err("read", dir, e))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(OutputError::NotOurs(dir.to_path_buf()))
            }
        }
        Ok(_) => Err(OutputError::NotOurs(dir.to_path_buf())),
    }
}

/// Before a build: repair an output folder left moved away by a build interrupted between
/// its two renames (platforms without an atomic exchange), then [`check_replaceable`].
pub fn prepare(dir: &Path) -> Result<(), OutputError> {
    let old = sibling(dir, "jawnik-old")?;
    if fs::symlink_metadata(dir).is_err() && old.join(MARKER).is_file() {
        fs::rename(&old, dir).map_err(|e| io_err("restore", dir, e))?;
    }
    check_replaceable(dir)
}

/// Swap two existing folders in one atomic step, where the platform can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: two valid NUL-terminated paths; renameat2 only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // Not supported by this file system or kernel: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

fn sibling(dir: &Path, suffix: &str) -> Result<PathBuf, OutputError> {
    let name = dir.file_name().ok_or_else(|| {
        OutputError::Io(format!(
            "the output path {} has no folder name",
            dir.display()
        ))
    })?;
    let parent = dir.parent().unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Remove a leftover folder of ours (temporary or old); refuse anything without the marker.
fn remove_leftover(dir: &Path) -> Result<(), OutputError> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    check_replaceable(dir)?;
    remove_ours(dir)
}

/// Delete a folder of ours, its marker last: a deletion killed halfway leaves a folder that
/// is still recognised as ours (and removed by the next build), never one it must refuse.
fn remove_ours(dir: &Path) -> Result<(), OutputError> {
    for entry in fs::read_dir(dir).map_err(|e| io_err("read", dir, e))? {
        let entry = entry.map_err(|e| io_err("read", dir, e))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        }
        .map_err(|e| io_err("remove", &path, e))?;
    }
    fs::remove_dir_all(dir).map_err(|e| io_err("remove", dir, e))
}

/// A build's output being written: a temporary folder beside the output (marked as ours),
/// filled file by file as pages are made ([`Staging::write`], [`Staging::copy`], from any
/// thread), then swapped in whole by [`Staging::finish`]. Dropped without `finish` (an error,
/// a full disk), it deletes the temporary folder: the previous output stays as it was.
pub struct Staging {
    out_dir: PathBuf,
    tmp: PathBuf,
    finished: bool,
}

impl Staging {
    /// Start writing a new output for `out_dir` (repairing or refusing as [`prepare`] does).
    pub fn begin(out_dir: &Path) -> Result<Staging, OutputError> {
        prepare(out_dir)?;
        let parent = out_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| io_err("create", parent, e))?;
        let tmp = sibling(out_dir, "jawnik-new")?;
        remove_leftover(&tmp)?;
        remove_leftover(&sibling(out_dir, "jawnik-old")?)?;
        fs::create_dir(&tmp).map_err(|e| io_err("create", &tmp, e))?;
        let staging = Staging {
            out_dir: out_dir.to_path_buf(),
            tmp,
            finished: false,
        };
        let marker = staging.tmp.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| io_err("write", &marker, e))?;
        Ok(staging)
    }

    /// The folder being filled.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The place of `rel` in the new output, its folders created.
    fn place(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let path = self.tmp.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| io_err("create", p, e))?;
        }
        Ok(path)
    }

    /// Write one file of the new output (`rel`: relative to the output folder).
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<(), OutputError> {
        let path = self.place(rel)?;
        fs::write(&path, contents).map_err(|e| io_err("write", &path, e))
    }

    /// Copy `src` (an attachment) to `rel` in the new output.
    pub fn copy(&self, rel: &str, src: &Path) -> Result<(), OutputError> {
        let path = self.place(rel)?;
        fs::copy(src, &path).map_err(|e| io_err("copy", src, e))?;
        Ok(())
    }

    /// Replace the output folder with the new one, in one step where the platform can.
    pub fn finish(mut self) -> Result<(), OutputError> {
        self.finished = true;
        let (tmp, out_dir) = (&self.tmp, &self.out_dir);
        let old = sibling(out_dir, "jawnik-old")?;
        let had_old = fs::symlink_metadata(out_dir).is_ok();
        if had_old {
            // The new folder takes the output's place and the old one the temporary's, at
            // once: killed at any moment, the output folder is either the old site or the new.
            match exchange(tmp, out_dir) {
                Ok(true) => {
                    return remove_ours(tmp);
                }
                Ok(false) => {}
                Err(e) => {
                    let _ = fs::remove_dir_all(tmp);
                    return Err(io_err("swap in", out_dir, e));
                }
            }
            fs::rename(out_dir, &old).map_err(|e| {
                let _ = fs::remove_dir_all(tmp);
                io_err("move away", out_dir, e)
            })?;
        }
        if let Err(e) = fs::rename(tmp, out_dir) {
            if had_old {
                let _ = fs::rename(&old, out_dir);
            }
            let _ = fs::remove_dir_all(tmp);
            return Err(io_err("move into place", out_dir, e));
        }
        if had_old {
            remove_ours(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Write `files` and copy `copies` (output path, source) into `out_dir`, replacing it whole.
pub fn write_site(
    out_dir: &Path,
    files: &[OutputFile],
    copies: &[(String, PathBuf)],
) -> Result<(), OutputError> {
    let staging = Staging::begin(out_dir)?;
    for f in files {
        staging.write(&f.path, &f.contents)?;
    }
    for (dest, src) in copies {
        staging.copy(dest, src)?;
    }
    staging.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write failing halfway (here a file where a folder must go; a full disk takes the same
    /// path) leaves the previous output as it was and no temporary folder behind.
    #[test]
    fn failed_write_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[OutputFile {
                path: "index.html".into(),
                contents: b"old".to_vec(),
            }],
            &[],
        )
        .unwrap();
        let staging = Staging::begin(&out).unwrap();
        let tmp = staging.path().to_path_buf();
        staging.write("a", b"file").unwrap();
        let err = staging.write("a/index.html", b"new").unwrap_err();
        assert!(err.to_string().starts_with("cannot create "), "{err}");
        drop(staging);
        assert!(!tmp.exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
        assert!(out.join(MARKER).is_file());
    }
}
