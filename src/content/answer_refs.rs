//! The checks across files of postulates' `answer_ref` (the section of a document that
//! answers a postulate, read one file at a time by [`super::postulates`]): the document must
//! exist and have a heading with that anchor.

use super::diagnostics::Diagnostic;
use super::model::{entries_by_path, Entry};

/// The checks of `answer_ref` across files: the document must exist and have a heading with
/// that anchor.
pub fn check(entries: &[Entry]) -> Vec<Diagnostic> {
    let by_path = entries_by_path(entries);
    let mut errors = Vec::new();
    for e in entries {
        for p in &e.postulates {
            let Some(r) = &p.answer_ref else { continue };
            let message = match by_path.get(r.path.as_str()) {
                None => format!("no such content file: content/{}", r.path),
                Some(t) if !t.headings.iter().any(|h| h.anchor == r.anchor) => {
                    let anchors: Vec<&str> = t.headings.iter().map(|h| h.anchor.as_str()).collect();
                    format!(
                        "content/{} has no heading with the anchor {:?}{}",
                        r.path,
                        r.anchor,
                        if anchors.is_empty() {
                            " (it has no headings)".to_string()
                        } else {
                            format!("; its anchors: {}", anchors.join(", "))
                        }
                    )
                }
                Some(_) => continue,
            };
            errors.push(
                Diagnostic::new(&e.source_file, format!("postulate {}: {message}", p.number))
                    .at_line(r.line)
                    .field("postulates.answer_ref"),
            );
        }
    }
    errors
}
