//! What a file attachment may be. Attachments are copied to `/pliki/` on the site's own
//! origin, so a file that a browser would run (HTML, XHTML, SVG, JavaScript…) would run with
//! the site's rights. [`check`] accepts, by default, only the document, spreadsheet, image and
//! archive types in [`TYPES`], and only when the file's first bytes are of that type (a `.pdf`
//! that is HTML is refused) or, for CSV and TXT, when it is text. A type outside the list is
//! refused unless `jawnik.toml` lists it in `extra_attachment_types`; such a file is copied as
//! it is and linked as a download, and the host's `/pliki/*` headers must keep it inert
//! (`netlify.toml`: `Content-Security-Policy: default-src 'none'; sandbox`, `nosniff`,
//! `Content-Disposition: attachment` for the active types).
//!
//! Never published, whatever the settings: a hidden file or a file in a hidden folder (a name
//! starting with `.`), a Markdown file (a page's source), and a hard link whose other names
//! are not all in `content/`. The last is the most jawnik can tell about a hard link: the
//! other names of a file are not recorded anywhere but in the folders that hold them, so it
//! counts the names it finds under `content/` against the file's link count (Unix only).

use std::io::Read;
use std::path::Path;

/// How the first bytes of a file of a type are checked.
#[derive(Debug, Clone, Copy)]
pub enum Magic {
    /// Starts with one of these byte strings.
    Prefix(&'static [&'static [u8]]),
    /// `RIFF`, four bytes of size, `WEBP`.
    Webp,
    /// Text: no NUL byte and no control character but tab, line ends and form feed.
    Text,
}

const PDF: Magic = Magic::Prefix(&[b"%PDF-"]);
const ZIP: Magic = Magic::Prefix(&[b"PK\x03\x04"]);
const OLE: Magic = Magic::Prefix(&[b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"]);

/// The types published by default: extensions (lowercase) and their check.
pub const TYPES: [(&str, Magic); 20] = [
    ("pdf", PDF),
    ("docx", ZIP),
    ("xlsx", ZIP),
    ("pptx", ZIP),
    ("odt", ZIP),
    ("ods", ZIP),
    ("odp", ZIP),
    ("zip", Magic::Prefix(&[b"PK\x03\x04", b"PK\x05\x06"])),
    ("doc", OLE),
    ("xls", OLE),
    ("ppt", OLE),
    ("rtf", Magic::Prefix(&[b"{\\rtf"])),
    ("csv", Magic::Text),
    ("txt", Magic::Text),
    ("png", Magic::Prefix(&[b"\x89PNG\r\n\x1a\n"])),
    ("jpg", Magic::Prefix(&[b"\xFF\xD8\xFF"])),
    ("jpeg", Magic::Prefix(&[b"\xFF\xD8\xFF"])),
    ("gif", Magic::Prefix(&[b"GIF87a", b"GIF89a"])),
    ("webp", Magic::Webp),
    ("odg", ZIP),
];

/// How much of a text file is checked.
const TEXT_SAMPLE: u64 = 64 * 1024;

/// The extension of a path's last name, lowercase (`Plan.PDF` → `pdf`).
pub fn extension(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Whether `extra_attachment_types` in jawnik.toml may name `ext`: a short lowercase
/// extension that is not Markdown and not already published by default.
pub fn check_extra_type(ext: &str) -> Result<(), String> {
    if ext.is_empty()
        || ext.len() > 10
        || !ext
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return Err(format!(
            "{ext:?} is not a file extension (lowercase letters and digits, without the dot)"
        ));
    }
    if ext == "md" {
        return Err("Markdown files are content pages, never attachments".into());
    }
    if TYPES.iter().any(|(e, _)| *e == ext) {
        return Err(format!("{ext:?} is published by default; leave it out"));
    }
    Ok(())
}

/// What [`check`] found out about an accepted attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// One of [`TYPES`], its content checked.
    Document,
    /// A type from `extra_attachment_types`: served as a download.
    Download,
}

/// Checks the attachment `rel` (relative to `content/`, normalised) whose file is `canonical`
/// (symbolic links resolved, inside `content_canonical`). `extra` is `extra_attachment_types`.
/// The error is the message for the `attachments.file` field.
pub fn check(
    rel: &str,
    canonical: &Path,
    content_canonical: &Path,
    extra: &[String],
) -> Result<Accepted, String> {
    let inside = canonical
        .strip_prefix(content_canonical)
        .unwrap_or(canonical);
    let hidden = rel
        .split('/')
        .chain(inside.components().filter_map(|c| c.as_os_str().to_str()));
    if let Some(name) = hidden.into_iter().find(|n| n.starts_with('.')) {
        return Err(format!(
            "content/{rel}: hidden files are never published ({name:?} starts with `.`); rename it if it should be"
        ));
    }
    let ext = extension(rel).unwrap_or_default();
    let target_ext = extension(&inside.to_string_lossy()).unwrap_or_default();
    if ext == "md" || target_ext == "md" {
        return Err(format!(
            "content/{rel}: a Markdown file is a page's source, never an attachment"
        ));
    }
    check_links(rel, canonical, content_canonical)?;
    if let Some((_, magic)) = TYPES.iter().find(|(e, _)| *e == ext) {
        check_magic(rel, canonical, &ext, *magic)?;
        return Ok(Accepted::Document);
    }
    if extra.contains(&ext) {
        return Ok(Accepted::Download);
    }
    let shown = if ext.is_empty() {
        "a file without an extension".to_string()
    } else {
        format!("a .{ext} file")
    };
    Err(format!(
        "content/{rel}: {shown} is not published as an attachment: attachments are served from \
         the site's own address, where HTML, SVG or JavaScript would run. Published types: {}. \
         To publish this type anyway (as a download), list {:?} in `extra_attachment_types` in \
         jawnik.toml",
        TYPES.map(|(e, _)| e).join(", "),
        if ext.is_empty() { "…" } else { &ext },
    ))
}

/// The file's first bytes must be of its type.
fn check_magic(rel: &str, path: &Path, ext: &str, magic: Magic) -> Result<(), String> {
    let limit = match magic {
        Magic::Text => TEXT_SAMPLE,
        _ => 16,
    };
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit).read_to_end(&mut head))
        .map_err(|e| format!("cannot read content/{rel}: {e}"))?;
    let ok = match magic {
        Magic::Prefix(prefixes) => prefixes.iter().any(|p| head.starts_with(p)),
        Magic::Webp => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
        Magic::Text => {
            if let Some(at) = head
                .iter()
                .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
            {
                return Err(format!(
                    "content/{rel}: a .{ext} file must be text, but byte {at} is 0x{:02x} (a \
                     binary file, or text in UTF-16: save it as UTF-8)",
                    head[at]
                ));
            }
            true
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "content/{rel}: the file's content is not {} (its first bytes are not those of \
             the type its name says); rename it to what it is, or replace it",
            ext.to_ascii_uppercase()
        ))
    }
}

/// A file with more than one name (a hard link) is refused unless all its names are under
/// `content/`: the others could be any file of this computer that the person who made the
/// link could read.
#[cfg(unix)]
fn check_links(rel: &str, path: &Path, content_canonical: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    use walkdir::DirEntryExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read content/{rel}: {e}"))?;
    let names = meta.nlink();
    if names <= 1 {
        return Ok(());
    }
    let mut inside = 0;
    for entry in walkdir::WalkDir::new(content_canonical).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if entry.ino() == meta.ino()
            && entry.file_type().is_file()
            && entry.metadata().is_ok_and(|m| m.dev() == meta.dev())
        {
            inside += 1;
            if inside >= names {
                return Ok(());
            }
        }
    }
    Err(format!(
        "content/{rel} is a hard link: the file has {names} names, {} of them outside content/, \
         and jawnik cannot tell where; it would publish that file. Replace the link with a copy \
         (cp --remove-destination SOURCE content/{rel})",
        names - inside
    ))
}

#[cfg(not(unix))]
fn check_links(_rel: &str, _path: &Path, _content_canonical: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert_eq!(extension("a/Plan.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension("a/.env"), None);
        assert_eq!(extension("a/noext"), None);
        assert!(check_extra_type("svg").is_ok());
        for bad in ["md", "pdf", ".svg", "SVG", "", "a/b"] {
            assert!(check_extra_type(bad).is_err(), "{bad}");
        }
    }
}
