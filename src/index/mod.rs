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
mod schema;
mod writer;

pub use backend::TantivyBackend;
pub use from_site::{index_doc, index_docs};
pub use schema::{IndexSchema, RECORD_FIELD};
pub use writer::{index_in_memory, write_index, write_index_then, IndexStats};

pub use jawnik_engine::dates::days_from_iso;
use serde::{Deserialize, Serialize};

/// Where, under the site root, the index is kept.
pub const INDEX_DIR: &str = ".jawnik/index";
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

/// What the index knows of one page: the searchable text and what a result shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDoc {
    /// The page's path relative to the base URL (`raporty/raport-z-konsultacji/`).
    pub url: String,
    /// `strategia`, `program`, `raport`, `organizacja`, `sekcja`.
    pub kind: String,
    /// Title, or an organisation's name.
    pub title: String,
    /// The "W skrócie" summary.
    pub summary: String,
    /// The body as plain text.
    pub body: String,
    /// Headings of the body, in order.
    pub headings: Vec<Heading>,
    /// Attachment titles.
    pub attachments: Vec<String>,
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
}

impl IndexDoc {
    /// The year of its date.
    pub fn year(&self) -> Option<String> {
        self.date.as_ref().map(|d| d.chars().take(4).collect())
    }

    /// Its date as days since 1970-01-01.
    pub fn date_days(&self) -> Option<i32> {
        self.date.as_deref().and_then(days_from_iso)
    }
}
