//! The build lock: one build at a time per index folder. `jawnik build` takes an exclusive OS
//! file lock on `.jawnik/build.lock` (beside the index it writes; `jawnik serve` builds into
//! `.jawnik/serve/` and so locks `.jawnik/serve/build.lock`, so serving and building one site
//! never wait on each other). A second build of the same site says which process holds the
//! lock and waits for it, like cargo does. The lock is the OS's (`File::lock`), so it is
//! released when its process ends, however it ends: a killed build never leaves a stale lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock file's name.
pub const LOCK_FILE: &str = "build.lock";

/// A held build lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct BuildLock {
    file: File,
    path: PathBuf,
}

impl BuildLock {
    /// The lock file guarding builds that write the index in `index_dir`.
    pub fn path_for(index_dir: &Path) -> PathBuf {
        index_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(LOCK_FILE)
    }

    /// Take the lock at `path`. If another process holds it, `waiting` is called once with a
    /// message naming the lock file and that process, then this waits until it is released.
    pub fn acquire(path: &Path, waiting: impl FnOnce(&str)) -> io::Result<BuildLock> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another process".to_string()
                } else {
                    format!("process {holder}")
                };
                waiting(&format!(
                    "waiting for another build of this site to finish: {who} holds the lock {}",
                    path.display()
                ));
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        writeln!(file, "{}", std::process::id())?;
        file.flush()?;
        Ok(BuildLock {
            file,
            path: path.to_path_buf(),
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        // Empty the file so a later reader does not name a process that is gone.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// With the lock held, no other build writes beside `index_dir`: remove the temporary index
/// folders (`index.new-<pid>-<n>`, `index.old-<pid>-<n>`) that killed builds left there.
pub fn remove_interrupted_index_folders(index_dir: &Path) {
    let (Some(parent), Some(name)) = (index_dir.parent(), index_dir.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let leftover = [".new-", ".old-"].iter().any(|infix| {
            n.strip_prefix(name.as_ref())
                .and_then(|r| r.strip_prefix(infix))
                .is_some_and(|id| {
                    !id.is_empty() && id.chars().all(|c| c.is_ascii_digit() || c == '-')
                })
        });
        if leftover && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_told_who_holds_the_lock_and_waits() {
        let dir = std::env::temp_dir().join(format!("jawnik-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join(LOCK_FILE);
        let first = BuildLock::acquire(&path, |_| panic!("free lock")).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap().trim(),
            std::process::id().to_string()
        );
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        let second = std::thread::spawn(move || {
            let lock = BuildLock::acquire(&p, |m| tx.send(m.to_string()).unwrap()).unwrap();
            drop(lock);
        });
        let message = rx.recv().unwrap();
        assert_eq!(
            message,
            format!(
                "waiting for another build of this site to finish: process {} holds the lock {}",
                std::process::id(),
                path.display()
            )
        );
        drop(first);
        second.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
