//! Finding the files of `content/` with walkdir and sorting them into section indexes, pages
//! and other (attachment) files; anything out of place is a diagnostic. Symbolic links
//! pointing outside `content/` are refused, links to folders are not followed (so a link loop
//! cannot make the walk endless), and two paths that differ only in letter case are an error
//! (they would overwrite each other on a case-insensitive host). Dot-files are ignored.
//! [`read_page`] reads one Markdown file within the configured size limit, refusing binary
//! files.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use walkdir::WalkDir;

use super::diagnostics::Diagnostic;
use super::model::Kind;

/// The files of `content/`, as paths relative to it with `/` separators, sorted.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// `content/_index.md`, if present.
    pub root_index: Option<String>,
    /// Each section folder present, with its `_index.md` if present.
    pub sections: Vec<(Kind, Option<String>)>,
    /// Markdown pages directly in a section folder.
    pub pages: Vec<(Kind, String)>,
    /// Every other file (candidates for attachments).
    pub other: Vec<String>,
    pub errors: Vec<Diagnostic>,
}

/// Walk `content_dir` (`<root>/content`).
pub fn walk(content_dir: &Path) -> ContentFiles {
    let mut out = ContentFiles::default();
    if !content_dir.is_dir() {
        out.errors
            .push(Diagnostic::new("content", "the content/ folder is missing"));
        return out;
    }
    let canonical = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let walker = WalkDir::new(content_dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    let mut seen: Vec<String> = Vec::new();
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .and_then(|p| p.strip_prefix(content_dir).ok())
                    .map(|p| format!("content/{}", p.to_string_lossy()))
                    .unwrap_or_else(|| "content".into());
                out.errors
                    .push(Diagnostic::new(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let rel_path = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path());
        let Some(rel) = rel_path.to_str().map(|s| s.replace('\\', "/")) else {
            out.errors.push(Diagnostic::new(
                format!("content/{}", rel_path.to_string_lossy()),
                "the path is not valid UTF-8",
            ));
            continue;
        };
        let shown = format!("content/{rel}");
        let ft = entry.file_type();
        let mut is_dir = ft.is_dir();
        if ft.is_symlink() {
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical) => {
                    is_dir = target.is_dir();
                    if is_dir {
                        out.errors.push(Diagnostic::new(
                            shown,
                            "symbolic links to folders are not followed; move the folder here instead",
                        ));
                        continue;
                    }
                }
                Ok(_) => {
                    out.errors.push(Diagnostic::new(
                        shown,
                        "symbolic link pointing outside content/; refused",
                    ));
                    continue;
                }
                Err(e) if e.raw_os_error() == Some(40) => {
                    // ELOOP
                    out.errors.push(Diagnostic::new(
                        shown,
                        "symbolic link loop (the link leads back to itself); remove it",
                    ));
                    continue;
                }
                Err(e) => {
                    out.errors
                        .push(Diagnostic::new(shown, format!("broken symbolic link: {e}")));
                    continue;
                }
            }
        }
        seen.push(rel.clone());
        let parts: Vec<&str> = rel.split('/').collect();
        let is_md = rel.ends_with(".md");
        match parts.as_slice() {
            [name] if is_dir => match Kind::from_section(name) {
                Some(kind) => out.sections.push((kind, None)),
                None => out.errors.push(Diagnostic::new(
                    shown,
                    format!(
                        "not a section folder; allowed: {}",
                        Kind::ALL.map(|k| k.section()).join(", ")
                    ),
                )),
            },
            ["_index.md"] => out.root_index = Some(rel.clone()),
            [_] => out.errors.push(Diagnostic::new(
                shown,
                "files at the top of content/ are not allowed (only _index.md); put pages in a section folder",
            )),
            [section, rest @ ..] => {
                let Some(kind) = Kind::from_section(section) else {
                    continue; // reported for the folder itself
                };
                if is_dir {
                    continue;
                }
                match rest {
                    ["_index.md"] => {
                        if let Some(s) = out.sections.iter_mut().find(|(k, _)| *k == kind) {
                            s.1 = Some(rel.clone());
                        }
                    }
                    [_] if is_md => out.pages.push((kind, rel.clone())),
                    _ if is_md => out.errors.push(Diagnostic::new(
                        shown,
                        "Markdown pages must be directly in a section folder, not in a subfolder",
                    )),
                    _ => out.other.push(rel.clone()),
                }
            }
            [] => {}
        }
    }
    check_case_collisions(&seen, &mut out);
    for (kind, index) in &out.sections {
        if index.is_none() {
            out.errors.push(Diagnostic::new(
                format!("content/{}/_index.md", kind.section()),
                "missing: every section folder needs an _index.md with at least `title`",
            ));
        }
    }
    out
}

/// Paths that differ only in letter case (`Plik.pdf`, `plik.pdf`) are one file on Windows and
/// macOS hosts: one would silently replace the other. Each such pair is an error naming both.
fn check_case_collisions(paths: &[String], out: &mut ContentFiles) {
    let mut by_lower: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for p in paths {
        by_lower.entry(p.to_lowercase()).or_default().push(p);
    }
    for group in by_lower.values().filter(|g| g.len() > 1) {
        for p in &group[1..] {
            out.errors.push(Diagnostic::new(
                format!("content/{p}"),
                format!(
                    "differs from content/{} only in letter case: they would be one file on a case-insensitive host; rename one",
                    group[0]
                ),
            ));
        }
    }
}

/// Read a Markdown file of `content/` (`rel` relative to it): refused if larger than
/// `max_mb` megabytes or if it holds NUL bytes (a binary file, not text).
pub fn read_page(content_dir: &Path, rel: &str, max_mb: u64) -> Result<Vec<u8>, Diagnostic> {
    let shown = format!("content/{rel}");
    let path = content_dir.join(rel);
    let max = max_mb.saturating_mul(1024 * 1024);
    let file = std::fs::File::open(&path)
        .map_err(|e| Diagnostic::new(&shown, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    // Read at most one byte past the limit: the size is checked on what was read, so a file
    // that grows while being read cannot get past it.
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::new(&shown, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(Diagnostic::new(
            shown,
            format!(
                "the file is larger than {max_mb} MB, the limit set by `max_file_size_mb` in jawnik.toml; split it or raise the limit"
            ),
        ));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Diagnostic::new(
            shown,
            format!("a binary file, not Markdown text (NUL byte at offset {at}); Markdown pages must be UTF-8 text"),
        )
        .at_line(line));
    }
    Ok(bytes)
}
