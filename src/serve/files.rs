//! What `jawnik serve` serves, as tower-http's `ServeDir` reads it (its [`Backend`] trait): the
//! last good full build's folder, with the pages and the patched search folder of later
//! incremental updates over it from memory ([`Overlay`]), and every HTML page with the
//! live-reload script added (as served only: the built files are untouched).
//!
//! A request is answered from one [`Served`] snapshot, so that a page and the search files it
//! names come from the same site. What is served from memory, and every page (its live-reload
//! tag names the site), is dated by the moment its site was swapped in: `ServeDir` derives
//! `Last-Modified` and the `ETag` from that date and the length, so a browser revalidating a
//! page after a rebuild gets the new one, never a 304 for the old.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tower_http::services::fs::{Backend, File, Metadata};

use super::live::{inject_live_script, live_script_tag};
use crate::export::{ServedSearch, SEARCH_DIR};

/// What incremental rebuilds changed since the last full build, served over its folder.
#[derive(Debug)]
pub(super) struct Overlay {
    /// Output path → bytes of the pages rendered again.
    pub pages: std::collections::HashMap<String, Arc<Vec<u8>>>,
    /// The patched search folder.
    pub search: ServedSearch,
}

impl Overlay {
    /// The bytes of the file at `rel` (a path in the output folder, `/`-separated), when
    /// the overlay has them.
    pub fn get(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        if let Some(name) = rel
            .strip_prefix(SEARCH_DIR)
            .and_then(|r| r.strip_prefix('/'))
        {
            if let Some(bytes) = self.search.get(name) {
                return Some(bytes);
            }
        }
        self.pages.get(rel).cloned()
    }
}

/// The file a request's checked path segments name in the output folder, `/`-separated: a
/// folder (the path ends with `/`) is its `index.html`.
pub(super) fn file_key(segments: &[String], trailing_slash: bool) -> String {
    let joined = segments.join("/");
    if segments.is_empty() {
        "index.html".to_string()
    } else if trailing_slash {
        format!("{joined}/index.html")
    } else {
        joined
    }
}

/// Whether a file is an HTML page (gets the live-reload script).
pub(super) fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// One request's view of the served site.
#[derive(Debug, Clone)]
pub(super) struct Served {
    /// The output folder of the last good full build.
    pub dir: PathBuf,
    /// What incremental updates rebuilt since.
    pub overlay: Option<Arc<Overlay>>,
    /// The site's number (the live-reload tag's).
    pub site: u64,
    /// When this site was swapped in.
    pub since: SystemTime,
}

impl Served {
    /// The overlay's bytes for `rel`, if any.
    pub fn overlaid(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        self.overlay.as_ref()?.get(rel)
    }

    /// `path` (under [`Served::dir`]) as a key of the overlay.
    fn key(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.dir).ok()?;
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    }

    /// The bytes served for the file at `path`: `overlaid` (the overlay's bytes for it) or
    /// the file's; a page with the live-reload script.
    async fn contents(&self, path: &Path, overlaid: Option<Arc<Vec<u8>>>) -> io::Result<Vec<u8>> {
        let bytes = match overlaid {
            Some(bytes) => bytes.to_vec(),
            None => tokio::fs::read(path).await?,
        };
        Ok(match is_html(path) {
            true => inject_live_script(bytes, self.site),
            false => bytes,
        })
    }

    /// The bytes served for the file at `rel` (a path in the output folder).
    pub async fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        self.contents(&self.dir.join(rel), self.overlaid(rel)).await
    }

    /// A served file: pages and what the overlay has in memory, dated by the site; the
    /// folder's other files as they are.
    async fn open(self, path: PathBuf) -> io::Result<SiteFile> {
        let overlaid = self.key(&path).and_then(|k| self.overlaid(&k));
        if overlaid.is_none() && !is_html(&path) {
            let file = tokio::fs::File::open(&path).await?;
            let meta = FileMeta::of(&file.metadata().await?);
            return Ok(SiteFile::Disk(file, meta));
        }
        let bytes = self.contents(&path, overlaid).await?;
        let meta = FileMeta {
            len: bytes.len() as u64,
            modified: self.since,
            dir: false,
        };
        Ok(SiteFile::Memory(io::Cursor::new(bytes), meta))
    }

    /// What [`Served::open`] will serve at `path`, without reading it.
    async fn metadata(self, path: PathBuf) -> io::Result<FileMeta> {
        let len = match self.key(&path).and_then(|k| self.overlaid(&k)) {
            Some(bytes) => bytes.len() as u64,
            None => {
                let meta = FileMeta::of(&tokio::fs::metadata(&path).await?);
                if meta.dir || !is_html(&path) {
                    return Ok(meta);
                }
                meta.len
            }
        };
        // A page gets the script tag, always once.
        let added = match is_html(&path) {
            true => live_script_tag(self.site).len() as u64,
            false => 0,
        };
        Ok(FileMeta {
            len: len + added,
            modified: self.since,
            dir: false,
        })
    }
}

/// `ServeDir`'s access to the served site.
#[derive(Debug, Clone)]
pub(super) struct SiteFiles(pub Served);

type BoxFuture<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Backend for SiteFiles {
    type File = SiteFile;
    type Metadata = FileMeta;
    type OpenFuture = BoxFuture<SiteFile>;
    type MetadataFuture = BoxFuture<FileMeta>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        Box::pin(self.0.clone().open(path))
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        Box::pin(self.0.clone().metadata(path))
    }
}

/// What `ServeDir` needs to know of a served file.
#[derive(Debug, Clone, Copy)]
pub(super) struct FileMeta {
    len: u64,
    modified: SystemTime,
    dir: bool,
}

impl FileMeta {
    fn of(meta: &std::fs::Metadata) -> FileMeta {
        FileMeta {
            len: meta.len(),
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            dir: meta.is_dir(),
        }
    }
}

impl Metadata for FileMeta {
    fn is_dir(&self) -> bool {
        self.dir
    }

    fn modified(&self) -> io::Result<SystemTime> {
        Ok(self.modified)
    }

    fn len(&self) -> u64 {
        self.len
    }
}

/// A served file: on disk, or in memory (pages with the script, overlaid files).
#[derive(Debug)]
pub(super) enum SiteFile {
    Disk(tokio::fs::File, FileMeta),
    Memory(io::Cursor<Vec<u8>>, FileMeta),
}

impl AsyncRead for SiteFile {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            SiteFile::Disk(f, _) => Pin::new(f).poll_read(cx, buf),
            SiteFile::Memory(c, _) => Pin::new(c).poll_read(cx, buf),
        }
    }
}

impl AsyncSeek for SiteFile {
    fn start_seek(self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        match self.get_mut() {
            SiteFile::Disk(f, _) => Pin::new(f).start_seek(position),
            SiteFile::Memory(c, _) => Pin::new(c).start_seek(position),
        }
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        match self.get_mut() {
            SiteFile::Disk(f, _) => Pin::new(f).poll_complete(cx),
            SiteFile::Memory(c, _) => Pin::new(c).poll_complete(cx),
        }
    }
}

impl File for SiteFile {
    type Metadata = FileMeta;
    type MetadataFuture<'a> = std::future::Ready<io::Result<FileMeta>>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        let (SiteFile::Disk(_, meta) | SiteFile::Memory(_, meta)) = self;
        std::future::ready(Ok(*meta))
    }
}
