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
    OutputError::Io(format!("cannot {what} {}: {e}", path.display()))
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

/// Write `files` and copy `copies` (output path, source) into `out_dir`, replacing it whole.
pub fn write_site(
    out_dir: &Path,
    files: &[OutputFile],
    copies: &[(String, PathBuf)],
) -> Result<(), OutputError> {
    write_site_with(out_dir, files, copies, |_| Ok::<(), OutputError>(()))
}

/// [`write_site`], with `more` writing further files into the new folder (given its path)
/// first: what it writes is swapped in with the rest, and its error leaves the old output as
/// it was.
pub fn write_site_with<T, E: From<OutputError>>(
    out_dir: &Path,
    files: &[OutputFile],
    copies: &[(String, PathBuf)],
    more: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    prepare(out_dir)?;
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| io_err("create", parent, e))?;
    let tmp = sibling(out_dir, "jawnik-new")?;
    let old = sibling(out_dir, "jawnik-old")?;
    remove_leftover(&tmp)?;
    remove_leftover(&old)?;
    fs::create_dir(&tmp).map_err(|e| io_err("create", &tmp, e))?;
    let result = (|| -> Result<T, E> {
        fs::write(tmp.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_err("write", &tmp.join(MARKER), e))?;
        let more = more(&tmp)?;
        for f in files {
            let path = tmp.join(&f.path);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| io_err("create", p, e))?;
            }
            fs::write(&path, &f.contents).map_err(|e| io_err("write", &path, e))?;
        }
        for (dest, src) in copies {
            let path = tmp.join(dest);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| io_err("create", p, e))?;
            }
            fs::copy(src, &path).map_err(|e| io_err("copy", src, e))?;
        }
        Ok(more)
    })();
    let more = match result {
        Ok(more) => more,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let had_old = fs::symlink_metadata(out_dir).is_ok();
    if had_old {
        // The new folder takes the output's place and the old one the temporary's, at once:
        // killed at any moment, the output folder is either the old site or the new one.
        match exchange(&tmp, out_dir) {
            Ok(true) => {
                remove_ours(&tmp)?;
                return Ok(more);
            }
            Ok(false) => {}
            Err(e) => {
                let _ = fs::remove_dir_all(&tmp);
                return Err(io_err("swap in", out_dir, e).into());
            }
        }
        fs::rename(out_dir, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            io_err("move away", out_dir, e)
        })?;
    }
    if let Err(e) = fs::rename(&tmp, out_dir) {
        if had_old {
            let _ = fs::rename(&old, out_dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err("move into place", out_dir, e).into());
    }
    if had_old {
        remove_ours(&old)?;
    }
    Ok(more)
}
