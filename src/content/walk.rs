//! Finding the files of `content/` with walkdir and sorting them into section indexes, pages
//! and other (attachment) files; anything out of place is a diagnostic. Symbolic links
//! pointing outside `content/` are refused. Dot-files are ignored.

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
                Err(_) => {
                    out.errors
                        .push(Diagnostic::new(shown, "broken symbolic link"));
                    continue;
                }
            }
        }
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
