//! PDF text, page by page, with `pdf-extract` (fonts' ToUnicode maps and encodings give the
//! Polish letters). The library may panic on damaged files: its panics are caught (and kept
//! off stderr) and reported as an unreadable file; a file taking longer than [`TIME_LIMIT`]
//! is reported the same way, and at most [`MAX_PAGES`] pages are read.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;
use std::time::Duration;

use pdf_extract::{output_doc_page, Document, PlainTextOutput};

use super::{ExtractError, Extracted};

/// Most pages read from one file (a bound on time for absurd files).
pub const MAX_PAGES: usize = 5_000;

thread_local! {
    /// Set while this thread runs the PDF library: its panics are expected and not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent for panics inside the PDF library.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, ExtractError>) -> Result<T, ExtractError> {
    quiet_panics();
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.unwrap_or_else(|_| {
        Err(ExtractError(
            "the PDF is damaged or uses features the reader does not handle".into(),
        ))
    })
}

/// Longest time one file may take; past it the file counts as unreadable (its thread is left
/// to finish on its own: the library cannot be interrupted).
pub const TIME_LIMIT: Duration = Duration::from_secs(120);

/// The text of each page, within [`TIME_LIMIT`].
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (send, receive) = std::sync::mpsc::channel();
    let owned = bytes.to_vec();
    std::thread::Builder::new()
        .name("pdf-extract".into())
        // Deeply nested objects recurse: a roomy stack (an overflow would end the process).
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = send.send(extract_now(&owned));
        })
        .map_err(|e| ExtractError(format!("cannot start reading the PDF: {e}")))?;
    match receive.recv_timeout(TIME_LIMIT) {
        Ok(result) => result,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(ExtractError(format!(
            "reading the PDF took longer than {} s: skipped",
            TIME_LIMIT.as_secs()
        ))),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(ExtractError(
            "the PDF is damaged or uses features the reader does not handle".into(),
        )),
    }
}

fn extract_now(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut doc = guarded(|| {
        Document::load_mem(bytes)
            .map_err(|e| ExtractError(format!("not a readable PDF (damaged or truncated): {e}")))
    })?;
    if doc.is_encrypted() {
        // Files protected only against editing open with the empty password.
        if doc.decrypt("").is_err() {
            return Err(ExtractError(
                "the PDF is encrypted with a password: its text cannot be read".into(),
            ));
        }
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().take(MAX_PAGES).collect();
    let mut pages = Vec::with_capacity(numbers.len());
    let mut failed = 0;
    for n in numbers {
        let page = guarded(|| {
            let mut text = String::new();
            let mut output = PlainTextOutput::new(&mut text);
            output_doc_page(&doc, &mut output, n)
                .map_err(|e| ExtractError(format!("page {n}: {e}")))?;
            Ok(text)
        });
        match page {
            Ok(text) => pages.push(text),
            Err(_) => {
                failed += 1;
                pages.push(String::new());
            }
        }
    }
    if failed > 0 && failed == pages.len() {
        return Err(ExtractError("no page of the PDF could be read".into()));
    }
    let extracted = Extracted {
        pages,
        paged: true,
        headings: Vec::new(),
    };
    if !extracted.has_text() {
        return Err(ExtractError(
            "the PDF has no text layer (a scan?): nothing to search".into(),
        ));
    }
    Ok(extracted)
}

#[cfg(test)]
mod tests {
    use pdf_extract::{Dictionary, Document, Object, Stream};

    /// A one-page PDF whose page only draws a line (like a scan: no text).
    fn drawing_only() -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let content = doc.add_object(Stream::new(
            Dictionary::new(),
            b"0 0 m 100 100 l S".to_vec(),
        ));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", pages_id);
        page.set("Contents", content);
        page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        let page_id = doc.add_object(page);
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", vec![page_id.into()]);
        pages.set("Count", 1);
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", pages_id);
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_pdf_without_text_is_reported_as_such() {
        let e = super::extract(&drawing_only()).unwrap_err();
        assert!(e.0.contains("no text layer"), "{e}");
    }
}
