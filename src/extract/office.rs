//! DOCX (`word/document.xml`) and ODT (`content.xml`): the paragraphs' text, one per line,
//! list items marked with a bullet (U+F0B7, as office exports leave them, so the clean-up turns
//! them into list items) and headings (heading styles, ODT `text:h`) recorded.

use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

use super::{ExtractError, Extracted};

/// Largest XML part read (uncompressed), against zip bombs.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// The bullet put before list items.
pub const BULLET: char = '\u{f0b7}';

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

/// One part of a zip file, as text.
fn zip_part(bytes: &[u8], name: &str, what: &str) -> Result<String, ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError(format!("not a readable {what} file (damaged zip): {e}")))?;
    let file = archive.by_name(name).map_err(|_| {
        ExtractError(format!(
            "not a {what} file: it has no {name} (encrypted, or another format?)"
        ))
    })?;
    let mut xml = String::new();
    file.take(MAX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| ExtractError(format!("{name} cannot be read: {e}")))?;
    Ok(xml)
}

fn parse<'a>(xml: &'a str, name: &str) -> Result<Document<'a>, ExtractError> {
    Document::parse(xml).map_err(|e| ExtractError(format!("{name} is not well-formed XML: {e}")))
}

/// The lines collected from a document.
#[derive(Default)]
struct Lines {
    text: String,
    headings: Vec<(u8, String)>,
}

impl Lines {
    fn push(&mut self, line: &str, list: bool, heading: Option<u8>) {
        let line = line.trim_end();
        if let Some(level) = heading {
            if !line.trim().is_empty() {
                self.headings.push((level, line.trim().to_string()));
            }
        }
        if list {
            self.text.push(BULLET);
            self.text.push(' ');
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn finish(self) -> Extracted {
        Extracted {
            pages: vec![self.text],
            paged: false,
            headings: self.headings,
        }
    }
}

/// The text of a DOCX file.
pub fn docx(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let xml = zip_part(bytes, "word/document.xml", "DOCX")?;
    let doc = parse(&xml, "word/document.xml")?;
    let mut lines = Lines::default();
    for p in doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        // Paragraphs nested in text boxes are read where they are met, once.
        .filter(|n| !n.ancestors().skip(1).any(|a| a.has_tag_name((W, "p"))))
    {
        let mut text = String::new();
        docx_runs(p, &mut text);
        let props = p.children().find(|c| c.has_tag_name((W, "pPr")));
        let style = props
            .and_then(|pp| pp.children().find(|c| c.has_tag_name((W, "pStyle"))))
            .and_then(|s| s.attribute((W, "val")))
            .unwrap_or("");
        let list = props.is_some_and(|pp| pp.children().any(|c| c.has_tag_name((W, "numPr"))))
            || style.to_ascii_lowercase().starts_with("list");
        lines.push(&text, list, heading_level(style));
    }
    Ok(lines.finish())
}

/// The level of a heading style (`Heading2`, `Nagwek2`, `Title`).
fn heading_level(style: &str) -> Option<u8> {
    let lower = style.to_ascii_lowercase();
    if lower == "title" || lower == "tytu" {
        return Some(1);
    }
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("nagwek"))
        .or_else(|| lower.strip_prefix("nagłówek"))?;
    rest.trim().parse::<u8>().ok().map(|l| l.clamp(1, 6))
}

fn docx_runs(node: Node, out: &mut String) {
    for c in node.children() {
        if c.has_tag_name((W, "t")) {
            out.push_str(c.text().unwrap_or(""));
        } else if c.has_tag_name((W, "tab")) {
            out.push('\t');
        } else if c.has_tag_name((W, "br")) || c.has_tag_name((W, "cr")) {
            out.push('\n');
        } else if c.has_tag_name((W, "delText")) || c.has_tag_name((W, "instrText")) {
            // Deleted text and field codes are not the document's text.
        } else if !c.has_tag_name((W, "p")) {
            docx_runs(c, out);
        }
    }
}

/// The text of an ODT file.
pub fn odt(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let xml = zip_part(bytes, "content.xml", "ODT")?;
    let doc = parse(&xml, "content.xml")?;
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((OFFICE, "text")))
        .ok_or_else(|| {
            ExtractError("content.xml has no office:text (not a text document)".into())
        })?;
    let mut lines = Lines::default();
    for p in body
        .descendants()
        .filter(|n| n.has_tag_name((TEXT, "p")) || n.has_tag_name((TEXT, "h")))
        .filter(|n| {
            !n.ancestors()
                .skip(1)
                .any(|a| a.has_tag_name((TEXT, "p")) || a.has_tag_name((TEXT, "h")))
        })
    {
        let mut text = String::new();
        odt_spans(p, &mut text);
        let heading = p.has_tag_name((TEXT, "h")).then(|| {
            p.attribute((TEXT, "outline-level"))
                .and_then(|l| l.parse::<u8>().ok())
                .unwrap_or(1)
                .clamp(1, 6)
        });
        // The first paragraph of a list item carries the bullet.
        let list = p.parent().is_some_and(|parent| {
            parent.has_tag_name((TEXT, "list-item"))
                && parent.children().find(|c| c.is_element()) == Some(p)
        });
        lines.push(&text, list, heading);
    }
    Ok(lines.finish())
}

fn odt_spans(node: Node, out: &mut String) {
    for c in node.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
        } else if c.has_tag_name((TEXT, "s")) {
            let n: usize = c
                .attribute((TEXT, "c"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            out.extend(std::iter::repeat_n(' ', n.min(100)));
        } else if c.has_tag_name((TEXT, "tab")) {
            out.push('\t');
        } else if c.has_tag_name((TEXT, "line-break")) {
            out.push('\n');
        } else if c.has_tag_name((TEXT, "note")) || c.has_tag_name((TEXT, "tracked-changes")) {
            // Footnotes and change records are not the running text.
        } else if c.is_element() {
            odt_spans(c, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(name: &str, xml: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn docx_paragraphs_headings_lists_tabs_and_deleted_text() {
        let xml = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Cele programu</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">wsparcie </w:t></w:r><w:r><w:t>organizacji</w:t></w:r></w:p>
<w:p><w:r><w:t>Żółć</w:t><w:tab/><w:t>gęślą</w:t><w:delText>usunięte</w:delText></w:r></w:p>
</w:body></w:document>"#;
        let x = docx(&zip_with("word/document.xml", xml)).unwrap();
        assert_eq!(
            x.pages,
            ["Cele programu\n\u{f0b7} wsparcie organizacji\nŻółć\tgęślą\n"]
        );
        assert_eq!(x.headings, [(1, "Cele programu".to_string())]);
    }

    #[test]
    fn odt_headings_lists_and_spaces() {
        let xml = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:h text:outline-level="2">Diagnoza</text:h>
<text:list><text:list-item><text:p>pierwszy<text:s text:c="2"/>punkt</text:p></text:list-item></text:list>
<text:p>Zwykły akapit<text:note><text:note-body><text:p>przypis</text:p></text:note-body></text:note></text:p>
</office:text></office:body></office:document-content>"#;
        let x = odt(&zip_with("content.xml", xml)).unwrap();
        assert_eq!(
            x.pages,
            ["Diagnoza\n\u{f0b7} pierwszy  punkt\nZwykły akapit\n"]
        );
        assert_eq!(x.headings, [(2, "Diagnoza".to_string())]);
        // Not an ODT: a clear error.
        assert!(odt(&zip_with("word/document.xml", "<x/>")).is_err());
    }

    #[test]
    fn heading_styles() {
        assert_eq!(heading_level("Heading2"), Some(2));
        assert_eq!(heading_level("Nagwek1"), Some(1));
        assert_eq!(heading_level("Title"), Some(1));
        assert_eq!(heading_level("Normal"), None);
    }
}
