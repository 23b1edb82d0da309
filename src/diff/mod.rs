//! `jawnik diff OLD NEW [--json]`: what changed between two versions of a document, without a
//! site. Each file is a content file (Markdown, with or without TOML front matter) or an
//! attachment (PDF, DOCX, ODT, TXT) read through [`crate::extract`] and cleaned into blocks by
//! [`crate::extract::clean`], as `jawnik import` reads it; the two may be of different kinds.
//! The bodies are compared by `jawnik-compare`; front matter, when both files have it, is
//! compared field by field and listed first ([`FieldChange`]). [`Report`] is the `--json`
//! output (`docs/compare-json.md`); [`text`] prints it with `[-deleted-]{+inserted+}` marks.

pub mod text;

use std::path::{Path, PathBuf};

use jawnik_compare::{Block, BlockKind, Comparison};
use serde::Serialize;

use crate::content::front_matter;
use crate::extract::{self, clean, Format};

/// What a compared file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Markdown,
    Pdf,
    Docx,
    Odt,
    Txt,
}

/// One version, read.
#[derive(Clone, Debug)]
pub struct Version {
    pub path: PathBuf,
    pub source: Source,
    /// The front matter, for a Markdown file that has one.
    pub front_matter: Option<toml::Table>,
    pub blocks: Vec<Block>,
}

/// A front-matter field whose value differs (dotted path; `attachments[1].title`), its
/// values written as TOML; `None` where the field is missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A compared file in the report.
#[derive(Clone, Debug, Serialize)]
pub struct FileInfo {
    pub path: String,
    pub source: Source,
    pub blocks: usize,
}

/// The output of `jawnik diff --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always `jawnik-compare`.
    pub format: &'static str,
    /// [`jawnik_compare::FORMAT_VERSION`].
    pub version: u32,
    pub old: FileInfo,
    pub new: FileInfo,
    /// Front-matter fields that differ, by field name; `null` unless both files have front
    /// matter.
    pub front_matter: Option<Vec<FieldChange>>,
    #[serde(flatten)]
    pub comparison: Comparison,
}

impl Report {
    /// Whether the versions differ at all.
    pub fn differs(&self) -> bool {
        self.comparison.summary.counts.any_change()
            || self.front_matter.as_ref().is_some_and(|f| !f.is_empty())
    }
}

/// Why a file could not be compared: `path: message` (with the line for front matter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffError(pub String);

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DiffError {}

/// The blocks of an attachment's extracted text, cleaned as `jawnik import` cleans it.
pub fn extracted_blocks(extracted: &extract::Extracted) -> Vec<Block> {
    clean::clean(&extracted.pages, &extracted.headings)
        .into_iter()
        .map(|b| match b {
            clean::Block::Heading(level, t) => Block::new(BlockKind::Heading { level }, &t),
            clean::Block::Paragraph(t) => Block::new(BlockKind::Paragraph, &t),
            clean::Block::Item(depth, _, t) => Block::new(BlockKind::Item { depth }, &t),
        })
        .collect()
}

/// Reads a version: Markdown by extension `.md`/`.markdown`, else an attachment format.
pub fn read_version(path: &Path) -> Result<Version, DiffError> {
    let shown = path.display().to_string();
    let fail = |message: String| DiffError(format!("{shown}: {message}"));
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    if !markdown {
        let format = Format::from_path(path).ok_or_else(|| {
            fail("not a Markdown (.md), PDF, DOCX, ODT or TXT file (by its extension)".into())
        })?;
        let extracted = extract::extract_file(path).map_err(|e| fail(e.to_string()))?;
        if !extracted.has_text() {
            return Err(fail(
                "no text to compare (a scan without a text layer?)".into(),
            ));
        }
        let blocks = extracted_blocks(&extracted);
        let source = match format {
            Format::Pdf => Source::Pdf,
            Format::Docx => Source::Docx,
            Format::Odt => Source::Odt,
            Format::Txt => Source::Txt,
        };
        return Ok(Version {
            path: path.to_path_buf(),
            source,
            front_matter: None,
            blocks,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "not valid UTF-8 (byte {} is not); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (front_matter, body, first_line) = if text.starts_with("+++") {
        let split = front_matter::split(text)
            .map_err(|(line, message)| DiffError(format!("{shown}:{line}: {message}")))?;
        let table: toml::Table = front_matter::parse(&shown, split.front_matter)
            .map_err(|d| DiffError(d.to_string()))?;
        let body_line = 1 + text[..text.len() - split.body.len()].matches('\n').count();
        (Some(table), split.body, body_line)
    } else {
        (None, text, 1)
    };
    Ok(Version {
        path: path.to_path_buf(),
        source: Source::Markdown,
        front_matter,
        blocks: jawnik_compare::from_markdown(body, first_line),
    })
}

/// Options whose reserved anchors are the theme's fixed ids (`render::ids`) and `extra`.
/// (Numbered theme ids and reserved prefixes are not applied to comparison anchors yet.)
fn options(extra: &[&str]) -> jawnik_compare::Options {
    jawnik_compare::Options {
        reserved_anchors: crate::render::ids::THEME_IDS
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect(),
    }
}

/// Compares two versions read by [`read_version`]. Heading anchors are those of the new
/// version's page on a site.
pub fn compare(old: &Version, new: &Version) -> Report {
    let comparison = jawnik_compare::compare(&old.blocks, &new.blocks, &options(&[]));
    let info = |v: &Version| FileInfo {
        path: v.path.display().to_string(),
        source: v.source,
        blocks: v.blocks.len(),
    };
    Report {
        format: "jawnik-compare",
        version: jawnik_compare::FORMAT_VERSION,
        old: info(old),
        new: info(new),
        front_matter: match (&old.front_matter, &new.front_matter) {
            (Some(a), Some(b)) => Some(field_changes(a, b)),
            _ => None,
        },
        comparison,
    }
}

/// The view of two versions for the theme's comparison page (`compare.html`): heading
/// anchors also avoid the page's own ids; `context` unchanged paragraphs are shown around
/// each change, longer runs folded.
pub fn page_view(old: &Version, new: &Version, context: usize) -> jawnik_compare::view::PageView {
    blocks_page_view(&old.blocks, &new.blocks, context)
}

/// [`page_view`] of two lists of blocks (a site's versions: bodies or attachments' text).
pub fn blocks_page_view(
    old: &[Block],
    new: &[Block],
    context: usize,
) -> jawnik_compare::view::PageView {
    let options = options(&jawnik_compare::view::PAGE_ANCHORS);
    let comparison = jawnik_compare::compare(old, new, &options);
    jawnik_compare::view::page(&comparison, context)
}

/// Reads and compares two files.
pub fn diff_files(old: &Path, new: &Path) -> Result<Report, Vec<DiffError>> {
    match (read_version(old), read_version(new)) {
        (Ok(a), Ok(b)) => Ok(compare(&a, &b)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// The fields of two front matters that differ, in field order.
pub fn field_changes(old: &toml::Table, new: &toml::Table) -> Vec<FieldChange> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten("", &toml::Value::Table(old.clone()), &mut a);
    flatten("", &toml::Value::Table(new.clone()), &mut b);
    let a: std::collections::BTreeMap<String, String> = a.into_iter().collect();
    let b: std::collections::BTreeMap<String, String> = b.into_iter().collect();
    let fields: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    fields
        .into_iter()
        .filter(|f| a.get(*f) != b.get(*f))
        .map(|f| FieldChange {
            field: f.clone(),
            old: a.get(f).cloned(),
            new: b.get(f).cloned(),
        })
        .collect()
}

/// `(dotted path, TOML value)` of every field: tables and arrays of tables are walked into
/// (`attachments[1].title`), other values are written whole (`sectors = ["a", "b"]`).
fn flatten(prefix: &str, value: &toml::Value, out: &mut Vec<(String, String)>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, v, out);
            }
        }
        toml::Value::Array(items)
            if items.iter().all(toml::Value::is_table) && !items.is_empty() =>
        {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{}]", i + 1), v, out);
            }
        }
        v => out.push((prefix.to_string(), v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_fields_by_dotted_path() {
        let a: toml::Table = toml::from_str(
            "title = \"A\"\ndate = 2024-01-02\nsectors = [\"x\"]\n[[attachments]]\ntitle = \"Z\"\nfile = \"f.pdf\"\n",
        )
        .unwrap();
        let b: toml::Table = toml::from_str(
            "title = \"B\"\nsectors = [\"x\"]\nperiod = \"2024\"\n[[attachments]]\ntitle = \"Z2\"\nfile = \"f.pdf\"\n",
        )
        .unwrap();
        let changes = field_changes(&a, &b);
        let fields: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("attachments[1].title", Some("\"Z\""), Some("\"Z2\"")),
                ("date", Some("2024-01-02"), None),
                ("period", None, Some("\"2024\"")),
                ("title", Some("\"A\""), Some("\"B\"")),
            ]
        );
    }
}
