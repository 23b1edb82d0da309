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
pub use from_site::index_docs;
pub use schema::{IndexSchema, RECORD_FIELD};
pub use writer::{write_index, IndexStats};

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

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn days_from_iso(date: &str) -> Option<i32> {
    let mut parts = date.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::days_from_iso;

    #[test]
    fn days() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2018-05-25"), Some(17_676));
        assert_eq!(days_from_iso("2018-13-01"), None);
    }
}
