//! Checking front-matter fields one file at a time: `FileCheck` collects a file's
//! diagnostics while required fields, vocabularies, dates, slugs, `related` paths, URLs,
//! e-mail addresses and phone numbers are read; the file's bytes as UTF-8 and its front
//! matter split off; paths relative to `content/` that may not leave it.

use std::path::{Component, Path};
use toml::value::Datetime;
use toml::Spanned;

use super::address::{is_http_url, is_phone};
use super::date::Date;
use super::diagnostics::Diagnostic;
use super::front_matter::{self, span_line, Split};
use crate::config::{is_slug, Config};

/// What validation needs to know about the site.
pub struct LoadContext<'a> {
    pub config: &'a Config,
    /// `<root>/content`.
    pub content_dir: &'a Path,
    /// The canonical form of `content_dir` (attachment paths must stay under it).
    pub content_canonical: &'a Path,
    /// Keep the body text in the entry (`Entry::body_text`).
    pub keep_text: bool,
}

/// Collects the diagnostics of one file.
pub(crate) struct FileCheck<'a> {
    pub(crate) file: &'a str,
    pub(crate) fm: &'a str,
    pub(crate) errors: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    pub(crate) fn err<T>(
        &mut self,
        field: &str,
        span: Option<&Spanned<T>>,
        msg: impl Into<String>,
    ) {
        let line = span.map(|s| span_line(self.fm, &s.span())).unwrap_or(1);
        self.errors
            .push(Diagnostic::new(self.file, msg).at_line(line).field(field));
    }

    pub(crate) fn line<T>(&self, s: &Spanned<T>) -> usize {
        span_line(self.fm, &s.span())
    }

    pub(crate) fn required(&mut self, field: &str, v: Option<Spanned<String>>) -> String {
        match v {
            None => {
                self.err::<()>(field, None, "required field is missing");
                String::new()
            }
            Some(s) => {
                let text = s.get_ref().trim().to_string();
                if text.is_empty() {
                    self.err(field, Some(&s), "must not be empty");
                }
                text
            }
        }
    }

    pub(crate) fn optional(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        let s = v?;
        let text = s.get_ref().trim().to_string();
        if text.is_empty() {
            self.err(
                field,
                Some(&s),
                "must not be empty (leave the key out instead)",
            );
            return None;
        }
        Some(text)
    }

    /// `related`: content paths of `.md` pages (not `_index.md`), with their lines.
    pub(crate) fn related(&mut self, v: Option<Vec<Spanned<String>>>) -> (Vec<String>, Vec<usize>) {
        let (mut paths, mut lines) = (Vec::new(), Vec::new());
        for r in v.unwrap_or_default() {
            let line = self.line(&r);
            match normalise_relative(r.get_ref().trim()) {
                Ok(p) if p.ends_with(".md") && !p.ends_with("_index.md") => {
                    paths.push(p);
                    lines.push(line);
                }
                Ok(p) => self.err(
                    "related",
                    Some(&r),
                    format!("must name a content file ending in .md, got {p:?}"),
                ),
                Err(e) => self.err("related", Some(&r), format!("{e}, got {:?}", r.get_ref())),
            }
        }
        (paths, lines)
    }

    pub(crate) fn http_url(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        let s = v?;
        let text = s.get_ref().trim().to_string();
        if !is_http_url(&text) {
            self.err(
                field,
                Some(&s),
                format!("must be an http:// or https:// address, got {text:?}"),
            );
            return None;
        }
        Some(text)
    }

    pub(crate) fn email(&mut self, v: Option<Spanned<String>>) -> Option<String> {
        let e = v?;
        let text = e.get_ref().trim().to_string();
        match super::address::check_email(&text) {
            Ok(()) => Some(text),
            Err(why) => {
                self.err(
                    "email",
                    Some(&e),
                    format!("is not an e-mail address: {why}, got {text:?}"),
                );
                None
            }
        }
    }

    pub(crate) fn phone(&mut self, v: Option<Spanned<String>>) -> Option<String> {
        let p = v?;
        let text = p.get_ref().trim().to_string();
        if is_phone(&text) {
            Some(text)
        } else {
            self.err(
                "phone",
                Some(&p),
                format!("is not a phone number (7–15 digits, spaces, + - ( ) /), got {text:?}"),
            );
            None
        }
    }

    pub(crate) fn date(&mut self, field: &str, v: Option<Spanned<Datetime>>) -> Option<Date> {
        let s = v?;
        let dt = s.get_ref();
        match (dt.date, dt.time) {
            (Some(d), None) => Some(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            _ => {
                self.err(
                    field,
                    Some(&s),
                    format!("must be a date like 2018-05-25 (no time), got {dt}"),
                );
                None
            }
        }
    }

    pub(crate) fn vocabulary(
        &mut self,
        field: &str,
        kind: &str,
        v: Option<Vec<Spanned<String>>>,
        allowed: &[crate::config::Term],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.unwrap_or_default() {
            let value = s.get_ref().trim().to_string();
            if allowed.iter().any(|t| t.slug == value) {
                if !out.contains(&value) {
                    out.push(value);
                }
            } else {
                let list = if allowed.is_empty() {
                    format!("no {kind} are defined in jawnik.toml")
                } else {
                    format!(
                        "allowed values: {}",
                        allowed
                            .iter()
                            .map(|t| t.slug.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.err(
                    field,
                    Some(&s),
                    format!("unknown {} {value:?}; {list}", kind.trim_end_matches('s')),
                );
            }
        }
        out
    }

    pub(crate) fn slug(
        &mut self,
        v: Option<Spanned<String>>,
        content_path: &str,
    ) -> (String, usize) {
        match v {
            Some(s) => {
                let line = self.line(&s);
                let slug = s.get_ref().clone();
                if !is_slug(&slug) {
                    self.err(
                        "slug",
                        Some(&s),
                        format!("must be lowercase a-z, 0-9 and single dashes, got {slug:?}"),
                    );
                } else if slug == "strona" {
                    self.err("slug", Some(&s), "\"strona\" is reserved for list pages");
                }
                (slug, line)
            }
            None => {
                let stem = Path::new(content_path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .to_string();
                if !is_slug(&stem) || stem == "strona" {
                    self.errors.push(Diagnostic::new(
                        self.file,
                        format!(
                            "the file name {stem:?} is not a usable URL slug (lowercase a-z, 0-9, single dashes; not \"strona\"): rename the file or set `slug`"
                        ),
                    ).at_line(1));
                }
                (stem, 1)
            }
        }
    }
}

/// Read bytes as UTF-8 or report the line of the first invalid byte.
pub fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(
            file,
            format!(
                "the file is not valid UTF-8: byte 0x{:02x} at offset {valid} (save it as UTF-8)",
                bytes[valid]
            ),
        )
        .at_line(line)
    })
}

pub(crate) fn split_file<'t>(file: &str, text: &'t str) -> Result<Split<'t>, Vec<Diagnostic>> {
    front_matter::split(text).map_err(|(line, msg)| vec![Diagnostic::new(file, msg).at_line(line)])
}

/// A path relative to `content/` with `/` separators; `None` if absolute or leaving it.
pub(crate) fn normalise_relative(rel: &str) -> Result<String, &'static str> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err("must not be empty");
    }
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || p.has_root() {
        return Err("must be a path relative to content/, not an absolute path");
    }
    let b = rel.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err("must be a path relative to content/, not a Windows drive path");
    }
    if rel.contains('\\') {
        return Err("must use `/` between folders, not `\\`");
    }
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str().ok_or("is not valid UTF-8")?.to_string()),
            Component::CurDir => {}
            _ => return Err("may not leave content/ (`..` is not allowed)"),
        }
    }
    if parts.is_empty() {
        return Err("must name a file");
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(normalise_relative("./a/b.pdf").unwrap(), "a/b.pdf");
        assert!(normalise_relative("../x").is_err());
        assert!(normalise_relative("a/../../x").is_err());
        assert!(normalise_relative("/etc/passwd").is_err());
    }
}
