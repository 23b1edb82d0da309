//! A page's Markdown body, kept out of memory between loading and rendering: the loader
//! records where the body starts in its file and a hash of it ([`BodySpan`]), and the page,
//! a comparison of versions or `serve` reads it back when it needs it ([`read`]), so a build
//! holds the bodies of a batch of pages, never the whole site's. A file changed since it was
//! loaded (edited during the build) is an error naming it: the page would not match what was
//! checked and indexed.

use std::path::Path;

use super::diagnostics::Diagnostic;
use super::model::Entry;

/// Where a page's Markdown body is: from byte `start` of its file to the end, with the xxh3
/// hash of those bytes as loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BodySpan {
    pub start: usize,
    pub hash: u64,
}

impl BodySpan {
    /// The span of `body`, a slice of the file's `bytes` running to their end.
    pub fn of(bytes: &[u8], body: &str) -> BodySpan {
        let start = (body.as_ptr() as usize)
            .checked_sub(bytes.as_ptr() as usize)
            .filter(|s| *s + body.len() == bytes.len())
            .expect("the body is the end of the file's bytes");
        BodySpan {
            start,
            hash: xxhash_rust::xxh3::xxh3_64(body.as_bytes()),
        }
    }
}

/// Read the Markdown body of `e` again from its file under `root` (the site root), checking
/// it is the one loaded.
pub fn read(root: &Path, max_file_size_mb: u64, e: &Entry) -> Result<String, Diagnostic> {
    let mut bytes =
        super::walk::read_page(&root.join("content"), &e.content_path, max_file_size_mb)?;
    let body = bytes.get(e.body.start..).unwrap_or_default();
    if xxhash_rust::xxh3::xxh3_64(body) != e.body.hash {
        return Err(Diagnostic::new(
            &e.source_file,
            "the file changed while the site was being built; build again",
        ));
    }
    bytes.drain(..e.body.start);
    // Checked as UTF-8 when loaded, and the hash matches.
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(
            &e.source_file,
            "the file changed while the site was being built; build again",
        )
    })
}
