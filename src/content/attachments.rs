//! The `[[attachments]]` of a document or call: a file under `content/` (its path may not
//! leave it; [`super::attachment_policy`] decides whether its type is published) or an
//! external URL, each with a title, a format and a size; and the text of file attachments,
//! extracted (through [`crate::extract`]'s cache) for the search index.

use rayon::prelude::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

use super::address::is_http_url;
use super::diagnostics::Diagnostic;
use super::model::{Attachment, Entry};
use super::validate::{normalise_relative, FileCheck, LoadContext};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAttachment {
    title: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    size: Option<Spanned<u64>>,
}

/// A file attachment: its normalised path, canonical file, size and what the attachment
/// policy made of it.
fn resolve_file(
    ctx: &LoadContext,
    rel: &str,
) -> Result<(String, PathBuf, u64, super::attachment_policy::Accepted), String> {
    let norm = normalise_relative(rel).map_err(|e| format!("{e}, got {rel:?}"))?;
    let full = ctx.content_dir.join(&norm);
    let canon = full
        .canonicalize()
        .map_err(|_| format!("file not found: content/{norm}"))?;
    if !canon.starts_with(ctx.content_canonical) {
        return Err(format!(
            "content/{norm} points outside content/ (a symbolic link?); refused"
        ));
    }
    let meta = std::fs::metadata(&canon).map_err(|e| format!("cannot read content/{norm}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("content/{norm} is not a file"));
    }
    let accepted = super::attachment_policy::check(
        &norm,
        &canon,
        ctx.content_canonical,
        &ctx.config.extra_attachment_types,
    )?;
    Ok((norm, canon, meta.len(), accepted))
}

fn format_from_path(p: &str) -> Option<String> {
    let name = p.rsplit('/').next()?;
    let name = name.split(['?', '#']).next()?;
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_uppercase())
}

/// Validate the `[[attachments]]` of a document or call.
pub(crate) fn load_attachments(
    c: &mut FileCheck,
    ctx: &LoadContext,
    list: Option<Vec<Spanned<RawAttachment>>>,
) -> Vec<Attachment> {
    let mut out = Vec::new();
    for a in list.unwrap_or_default() {
        let a_line = c.line(&a);
        let a = a.into_inner();
        let title = match a.title {
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            Some(t) => {
                c.err(
                    "attachments.title",
                    Some(&t),
                    "must not be empty: every attachment needs a title",
                );
                String::new()
            }
            None => {
                c.errors.push(
                    Diagnostic::new(c.file, "required: every attachment needs a title")
                        .at_line(a_line)
                        .field("attachments.title"),
                );
                String::new()
            }
        };
        let mut att = Attachment {
            title,
            format: None,
            size: None,
            file: None,
            source: None,
            url: None,
            download: false,
            text: None,
        };
        match (a.file, a.url) {
            (Some(f), None) => {
                match resolve_file(ctx, f.get_ref().trim()) {
                    Ok((norm, canon, size, accepted)) => {
                        att.download = accepted == super::attachment_policy::Accepted::Download;
                        att.format = format_from_path(&norm);
                        att.file = Some(norm);
                        att.source = Some(canon);
                        att.size = Some(size);
                    }
                    Err(e) => c.err("attachments.file", Some(&f), e),
                }
                if let Some(s) = &a.size {
                    c.err(
                        "attachments.size",
                        Some(s),
                        "only for `url` attachments: the size of a file is measured",
                    );
                }
            }
            (None, Some(u)) => {
                let text = u.get_ref().trim().to_string();
                if is_http_url(&text) {
                    att.format = format_from_path(&text);
                    att.url = Some(text);
                } else {
                    c.err(
                        "attachments.url",
                        Some(&u),
                        format!("must be an http:// or https:// address, got {text:?}"),
                    );
                }
                att.size = a.size.map(|s| s.into_inner());
            }
            (Some(_), Some(u)) => c.err(
                "attachments.url",
                Some(&u),
                "give exactly one of `file` and `url`, not both",
            ),
            (None, None) => c.errors.push(
                Diagnostic::new(c.file, "give exactly one of `file` and `url`")
                    .at_line(a_line)
                    .field("attachments.file"),
            ),
        }
        if let Some(f) = a.format {
            let v = f.get_ref().trim().to_string();
            if v.is_empty() {
                c.err("attachments.format", Some(&f), "must not be empty");
            } else {
                att.format = Some(v);
            }
        }
        out.push(att);
    }
    out
}

/// Extracts the text of every file attachment in a format with text (PDF, DOCX, ODT, TXT), in
/// parallel and through `cache`. Returns a warning, naming the file, for each that cannot be
/// read: the build goes on and its page says it has no searchable text.
/// `progress`, if given, counts the attachments read (its length: [`extract_jobs`]).
pub fn extract_attachments(
    entries: &mut [Entry],
    cache: &crate::extract::Cache,
    progress: Option<&indicatif::ProgressBar>,
) -> Vec<String> {
    let jobs = jobs(entries);
    let results: Vec<_> = jobs
        .into_par_iter()
        .map(|(i, j, source, format)| {
            let text = cache.extract(&source, format);
            progress.iter().for_each(|p| p.inc(1));
            (i, j, text)
        })
        .collect();
    let mut warnings = Vec::new();
    for (i, j, result) in results {
        let entry = &mut entries[i];
        let attachment = &mut entry.attachments[j];
        if let Err(why) = &result {
            warnings.push(format!(
                "content/{}: attachment {:?} of {}: no searchable text: {why}",
                attachment.file.as_deref().unwrap_or_default(),
                attachment.title,
                entry.source_file
            ));
        }
        attachment.text = Some(result);
    }
    warnings
}

/// How many attachments [`extract_attachments`] reads.
pub fn extract_jobs(entries: &[Entry]) -> usize {
    jobs(entries).len()
}

/// The attachments with a text format: (entry, attachment, source file, format).
fn jobs(entries: &[Entry]) -> Vec<(usize, usize, PathBuf, crate::extract::Format)> {
    use crate::extract::Format;
    let mut jobs = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for (j, a) in e.attachments.iter().enumerate() {
            let (Some(source), Some(file)) = (&a.source, &a.file) else {
                continue;
            };
            let format = a
                .format
                .as_deref()
                .and_then(Format::from_name)
                .or_else(|| Format::from_path(Path::new(file)));
            if let Some(format) = format {
                jobs.push((i, j, source.clone(), format));
            }
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_from_path("a/b.pdf").as_deref(), Some("PDF"));
    }
}
