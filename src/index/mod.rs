//! The tantivy index of a site: its schema, the parallel writer, and the [`TantivyBackend`]
//! through which the shared query engine (`jawnik-engine`) searches it.
//!
//! Documents are analysed in parallel with rayon by the Polish analyzer (`jawnik-analysis`)
//! and handed to tantivy's multi-threaded writer as pre-tokenized text: lemma terms in the
//! text fields, folded surface forms in `exact`. Every document carries `ord`, its rank in URL
//! order, so results and exported shards do not depend on how tantivy split its segments.
//! The index lives in `<site>/.jawnik/index/`, beside the site lexicon that query analysis
//! uses: whole in `lexicon.bin` (for the export) and in parts in `lexicon/` (a query reads
//! only the parts holding its words).

mod backend;
mod from_site;
mod lazy_lexicon;
#[cfg(unix)]
mod pread;
mod schema;
mod writer;

pub use backend::TantivyBackend;
pub use from_site::{entry_language, index_doc, index_doc_count, index_docs, site_runtime};
pub use schema::{IndexSchema, RECORD_FIELD};
pub use writer::{index_in_memory, write_index, write_index_then, IndexStats};

pub use jawnik_engine::dates::days_from_iso;
use serde::{Deserialize, Serialize};

/// Where, under the site root, the index is kept.
pub const INDEX_DIR: &str = ".jawnik/index";
/// The `kind` of a postulate's own search record.
pub const POSTULATE_KIND: &str = "postulat";
/// The site lexicon's file name inside the index folder.
pub const LEXICON_FILE: &str = "lexicon.bin";

/// A heading inside a document's body text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// The heading's text.
    pub text: String,
    /// Its anchor on the page (`id`).
    pub anchor: String,
    /// Byte offset in the body text where its section starts.
    pub offset: usize,
}

/// An attachment of a page, as indexed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexAttachment {
    /// Its title.
    pub title: String,
    /// Its link: a path relative to the base URL (`pliki/…`) for a file, else the address.
    pub href: String,
    /// Whether `href` is an address outside the site.
    pub external: bool,
    /// Its text: per page for a PDF, else one element; empty when it has none.
    pub pages: Vec<String>,
    /// Whether `pages` are real pages (page numbers can be linked with `#page=N`).
    pub paged: bool,
}

/// One searchable part of a page's attachments: an attachment's title, or one page (the
/// whole text of a file without pages). The attachments field indexes the parts in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttachmentPart<'a> {
    /// Index of the attachment.
    pub attachment: usize,
    /// The page (1-based) for a PDF page, 0 for a title or a text without pages.
    pub page: u32,
    /// Whether it is the attachment's title (else its text).
    pub is_title: bool,
    /// The part's text.
    pub text: &'a str,
}

/// Gap in word positions between separate values of one field (headings, attachment parts)
/// so phrases never span two.
pub const VALUE_GAP: u32 = 100;

/// The position where each value of a multi-valued field starts (values follow each other
/// with [`VALUE_GAP`] between them), as the index writer numbers them.
pub fn value_starts<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
    let mut offset = 0u32;
    values
        .into_iter()
        .map(|v| {
            let start = offset;
            offset += jawnik_analysis::words(v).count() as u32 + VALUE_GAP;
            start
        })
        .collect()
}

/// What the index knows of one page: the searchable text and what a result shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDoc {
    /// The page's path relative to the base URL (`raporty/raport-z-konsultacji/`).
    pub url: String,
    /// `strategia`, `program`, `raport`, `organizacja`, `konkurs`, `kontakt`, `postulat`,
    /// `sekcja`.
    pub kind: String,
    /// Title, or an organisation's name.
    pub title: String,
    /// The "W skrócie" summary.
    pub summary: String,
    /// The body as plain text.
    pub body: String,
    /// Headings of the body, in order.
    pub headings: Vec<Heading>,
    /// Attachments: titles, links and extracted text.
    #[serde(default)]
    pub attachments: Vec<IndexAttachment>,
    /// Names of its sectors and districts (searchable words, unlike the slugs).
    pub tags: Vec<String>,
    /// Sector slugs.
    pub sectors: Vec<String>,
    /// District slugs.
    pub districts: Vec<String>,
    /// Status, if any.
    pub status: Option<String>,
    /// Date as `YYYY-MM-DD`, if any.
    pub date: Option<String>,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// Whether it is an earlier version of a document (a newer one names it as `previous`),
    /// or a postulate of one: the `version` facet's `archival`, else `latest`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archival: bool,
    /// The page's language tag (`uk`, `en`), analysed with that language's analyzer and the
    /// `language` facet's value; empty for Polish ([`IndexDoc::language_tag`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
}

impl IndexDoc {
    /// The page's language tag, `pl` when [`IndexDoc::language`] is empty.
    pub fn language_tag(&self) -> &str {
        if self.language.is_empty() {
            "pl"
        } else {
            &self.language
        }
    }

    /// The language its text is analysed in (Polish for a tag this build does not know).
    pub fn analysis_language(&self) -> jawnik_analysis::Language {
        jawnik_analysis::Language::from_tag(self.language_tag()).unwrap_or_default()
    }

    /// The searchable parts of its attachments, in index order: each attachment's title, then
    /// its pages.
    pub fn attachment_parts(&self) -> Vec<AttachmentPart<'_>> {
        let mut parts = Vec::new();
        for (i, a) in self.attachments.iter().enumerate() {
            parts.push(AttachmentPart {
                attachment: i,
                page: 0,
                is_title: true,
                text: &a.title,
            });
            for (p, text) in a.pages.iter().enumerate() {
                parts.push(AttachmentPart {
                    attachment: i,
                    page: if a.paged { p as u32 + 1 } else { 0 },
                    is_title: false,
                    text,
                });
            }
        }
        parts
    }

    /// The year of its date.
    pub fn year(&self) -> Option<String> {
        self.date.as_ref().map(|d| d.chars().take(4).collect())
    }

    /// Its date as days since 1970-01-01.
    pub fn date_days(&self) -> Option<i32> {
        self.date.as_deref().and_then(days_from_iso)
    }
}
