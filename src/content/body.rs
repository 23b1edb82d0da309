//! A page's Markdown body, kept out of memory between loading and rendering: the loader
//! records where the body starts in its file and a hash of it ([`super::model::BodySpan`]),
//! and the page, a comparison of versions or `serve` reads it back when it needs it
//! ([`read`]), so a build holds the bodies of a batch of pages, never the whole site's. A file
//! changed since it was loaded (edited during the build) is an error naming it: the page would
//! not match what was checked and indexed.

use super::diagnostics::Diagnostic;
use super::model::{Entry, Site};

/// The plain text of `e`'s body, as the search index reads it: the text kept by the load
/// when there is one, else read back from the file ([`read`]) and extracted.
pub fn text(site: &Site, e: &Entry) -> Result<String, Diagnostic> {
    match &e.body_text {
        Some(text) => Ok(text.clone()),
        None => Ok(crate::render::markdown::text_and_headings(&read(site, e)?).0),
    }
}

/// Read the Markdown body of `e` again from its file, checking it is the one loaded.
pub fn read(site: &Site, e: &Entry) -> Result<String, Diagnostic> {
    let changed = || {
        Diagnostic::new(
            &e.source_file,
            "the file changed while the site was being built; build again",
        )
    };
    let content = site.root.join("content");
    let mut bytes =
        super::walk::read_page(&content, &e.content_path, site.config.max_file_size_mb)?;
    let body = bytes.get(e.body.start..).unwrap_or_default();
    if xxhash_rust::xxh3::xxh3_64(body) != e.body.hash {
        return Err(changed());
    }
    bytes.drain(..e.body.start);
    // Checked as UTF-8 when loaded, and the hash matches.
    String::from_utf8(bytes).map_err(|_| changed())
}
