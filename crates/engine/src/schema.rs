//! The searchable fields and their weights: one definition for the indexer, the shard
//! exporter and both search runtimes, so a change of weight changes every side at once.

/// A searchable text field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Document title or organisation name (lemmas).
    Title,
    /// The "W skrócie" summary (lemmas).
    Summary,
    /// Section headings of the body (lemmas).
    Headings,
    /// The body text (lemmas).
    Body,
    /// Attachment titles and the text extracted from attachment files (lemmas).
    Attachments,
    /// Names of the sectors and districts a page is tagged with, its issuer, an organisation's
    /// address (lemmas).
    Tags,
    /// The words of every field but the body as written (folded surface forms): rewards the
    /// exact form typed where it counts most (titles, summaries, headings), at a fraction of
    /// the size a copy of the body would cost the browser.
    Exact,
}

impl Field {
    /// Every field, in the canonical order in which scores are summed.
    pub const ALL: [Field; 7] = [
        Field::Title,
        Field::Summary,
        Field::Headings,
        Field::Body,
        Field::Attachments,
        Field::Tags,
        Field::Exact,
    ];
    /// The fields that hold lemmas.
    pub const LEMMA_FIELDS: [Field; 6] = [
        Field::Title,
        Field::Summary,
        Field::Headings,
        Field::Body,
        Field::Attachments,
        Field::Tags,
    ];
    /// Short fields whose positions are kept for the proximity bonus.
    pub const PROXIMITY_FIELDS: [Field; 3] = [Field::Title, Field::Summary, Field::Headings];

    /// The field's name in the tantivy schema and in the exported shards.
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Summary => "summary",
            Field::Headings => "headings",
            Field::Body => "body",
            Field::Attachments => "attachments",
            Field::Tags => "tags",
            Field::Exact => "exact",
        }
    }

    /// The BM25 boost: a title match weighs most, a body match least.
    pub fn weight(self) -> f32 {
        match self {
            Field::Title => 4.0,
            Field::Summary => 2.0,
            Field::Headings => 2.0,
            Field::Body => 1.0,
            Field::Attachments => 1.5,
            Field::Tags => 1.5,
            Field::Exact => 1.0,
        }
    }

    /// The field's index in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Facets a search can be narrowed by. `version` is [`VERSION_LATEST`] or
/// [`VERSION_ARCHIVAL`] for every document; `language` ([`LANGUAGE_FACET`]) is every document's
/// language tag (`pl`, `uk`, `en`).
pub const FACETS: [&str; 7] = [
    "kind", "sector", "district", "status", "year", "version", "language",
];

/// The facet holding each document's language tag: [`crate::languages`] narrows a search by it
/// (counted in [`crate::Outcome::facet_counts`] like the others).
pub const LANGUAGE_FACET: &str = "language";

/// The `version` facet's value of a document that is the latest version of its chain, or in
/// no chain: what a search shows by default.
pub const VERSION_LATEST: &str = "latest";
/// The `version` facet's value of an earlier version of a document (one a newer version names
/// as its `previous`).
pub const VERSION_ARCHIVAL: &str = "archival";
