//! Text extraction from attachment files (PDF, DOCX, ODT, plain text), as the build indexes
//! them and `jawnik import` turns them into Markdown. Pure Rust: `pdf-extract` (on `lopdf`) for
//! PDF, `zip` + `roxmltree` for the office formats. A file that cannot be read (damaged,
//! encrypted, a scan without text) is an [`ExtractError`] naming why, never a panic: the PDF
//! library's panics are caught.
//!
//! Results are cached by content hash (xxh3-128 of the bytes) in `<root>/.jawnik/extract/`,
//! so an unchanged file costs one read and one hash on the next build.

pub mod clean;
mod office;
mod pdf;
mod text;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where, under the site root, extraction results are cached.
pub const CACHE_DIR: &str = ".jawnik/extract";

/// Bumped whenever extraction changes its output, so cached results of older versions are
/// not reused.
const EXTRACTOR_VERSION: u32 = 1;

/// The formats whose text is extracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Pdf,
    Docx,
    Odt,
    Txt,
}

impl Format {
    /// The format of a file, from its extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::from_name(&ext)
    }

    /// The format named `pdf`, `DOCX`, `odt`, `txt` (case-insensitive).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "txt" | "text" => Some(Format::Txt),
            _ => None,
        }
    }

    /// `PDF`, `DOCX`, `ODT`, `TXT`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Odt => "ODT",
            Format::Txt => "TXT",
        }
    }
}

/// The text of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extracted {
    /// The text of each page (PDF), or the whole text as one element.
    pub pages: Vec<String>,
    /// Whether `pages` are real pages (PDF).
    pub paged: bool,
    /// Paragraphs the file marks as headings (office styles, ODT `text:h`), with their level.
    #[serde(default)]
    pub headings: Vec<(u8, String)>,
}

impl Extracted {
    /// Whether there is any searchable text (a word of letters or digits).
    pub fn has_text(&self) -> bool {
        self.pages
            .iter()
            .any(|p| p.chars().any(char::is_alphanumeric))
    }

    /// The number of pages, for paged formats.
    pub fn page_count(&self) -> Option<usize> {
        self.paged.then_some(self.pages.len())
    }

    /// The whole text, pages separated by a form feed.
    pub fn text(&self) -> String {
        self.pages.join("\n\u{c}\n")
    }
}

/// Why a file's text could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractError(pub String);

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExtractError {}

/// Extracts the text of `bytes` in `format`.
pub fn extract_bytes(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let extracted = match format {
        Format::Pdf => pdf::extract(bytes),
        Format::Docx => office::docx(bytes),
        Format::Odt => office::odt(bytes),
        Format::Txt => Ok(text::extract(bytes)),
    }?;
    Ok(extracted)
}

/// Extracts the text of the file at `path` (format from its extension).
pub fn extract_file(path: &Path) -> Result<Extracted, ExtractError> {
    let format = Format::from_path(path).ok_or_else(|| {
        ExtractError("not a PDF, DOCX, ODT or TXT file (by its extension)".into())
    })?;
    let bytes = std::fs::read(path).map_err(|e| ExtractError(format!("cannot read: {e}")))?;
    extract_bytes(format, &bytes)
}

/// A cache of extraction results, by content hash.
#[derive(Debug)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// The entries used since it was opened (see [`Cache::prune`]).
    used: std::sync::Mutex<std::collections::BTreeSet<PathBuf>>,
}

/// One cached result.
#[derive(Serialize, Deserialize)]
struct CacheEntry {
    version: u32,
    result: Result<Extracted, ExtractError>,
}

impl Cache {
    /// A cache kept in `dir` (a site's is `<root>/`[`CACHE_DIR`]).
    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: Some(dir.to_path_buf()),
            used: Default::default(),
        }
    }

    /// No cache: every file is extracted.
    pub fn disabled() -> Cache {
        Cache {
            dir: None,
            used: Default::default(),
        }
    }

    /// The text of the file at `path` in `format`, from the cache when its content was seen.
    pub fn extract(&self, path: &Path, format: Format) -> Result<Extracted, ExtractError> {
        let bytes = std::fs::read(path).map_err(|e| ExtractError(format!("cannot read: {e}")))?;
        let Some(dir) = &self.dir else {
            return extract_bytes(format, &bytes);
        };
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let file = dir.join(format!("{hash:032x}-{}.json", format.name()));
        if let Ok(mut used) = self.used.lock() {
            used.insert(file.clone());
        }
        if let Some(entry) = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice::<CacheEntry>(&b).ok())
            .filter(|e| e.version == EXTRACTOR_VERSION)
        {
            return entry.result;
        }
        let result = extract_bytes(format, &bytes);
        let entry = CacheEntry {
            version: EXTRACTOR_VERSION,
            result,
        };
        // A cache that cannot be written only costs time.
        if let Ok(json) = serde_json::to_vec(&entry) {
            let tmp = dir.join(format!(
                "{hash:032x}.{}-{:?}.tmp",
                std::process::id(),
                std::thread::current().id()
            ));
            let written = std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&tmp, json))
                .and_then(|()| std::fs::rename(&tmp, &file));
            if written.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        entry.result
    }
}

impl Cache {
    /// Removes the entries not used since the cache was opened (files since changed or
    /// removed), so the cache does not grow with every edit. Returns how many were removed.
    pub fn prune(&self) -> usize {
        let (Some(dir), Ok(used)) = (&self.dir, self.used.lock()) else {
            return 0;
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let ours = path.extension().is_some_and(|e| e == "json" || e == "tmp");
            if ours && !used.contains(&path) && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/B.PDF")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("x.docx")), Some(Format::Docx));
        assert_eq!(Format::from_path(Path::new("x.odt")), Some(Format::Odt));
        assert_eq!(Format::from_path(Path::new("x.txt")), Some(Format::Txt));
        assert_eq!(Format::from_path(Path::new("x.xlsx")), None);
    }

    #[test]
    fn text_needs_a_word() {
        let e = Extracted {
            pages: vec![" \u{f0b7} \n".into()],
            ..Extracted::default()
        };
        assert!(!e.has_text());
    }
}
