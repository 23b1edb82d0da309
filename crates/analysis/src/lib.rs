//! Text analysis shared by the indexer (native) and the browser search runtime (wasm32):
//! tokenising, Polish dictionary lemmatisation with a stemmer fallback, English and Ukrainian
//! Snowball stemming ([`Language`]), and diacritic folding.
//!
//! Index terms are **folded lemmas**: `Łodzi` → lemma `łódź` → term `lodz`. Lemmatisation uses
//! the original lowercase word, folding comes after (see [`analyze`]).
//!
//! * Documents: [`DocumentAnalyzer::analyze_text`] (full dictionary, [`Dictionary::embedded`]).
//! * Queries: [`analyze_query_word`] / [`analyze_query`] over any [`Lexicon`]. The site builder
//!   makes a [`SiteLexicon`] (every form of the lemmas occurring in the site), writes it as
//!   shards ([`shard_key`], [`SiteLexicon::shards`], [`SiteLexicon::to_bytes`]); the browser
//!   loads the shards it needs ([`SiteLexicon::from_bytes`], [`SiteLexicon::merge`]) and runs
//!   the very same [`analyze_query`]. For identical results the CLI should query with the same
//!   `SiteLexicon` too (building it takes well under 2 s).
//!
//! * Other languages: [`DocumentAnalyzer::for_language`] and [`analyze_query_word_in`] /
//!   [`analyze_query_in`] with a [`Language`] (`Language::from_tag("uk")`); English and
//!   Ukrainian words become stems on both sides, no lexicon needed.
//!
//! # Features
//!
//! * `dictionary` (default): embeds `data/polimorf.jwd` (PoliMorf via Morfologik, BSD-2-Clause,
//!   see `data/LICENSE-polimorf.txt`). Without it the crate has no data and is small; the
//!   browser build is
//!   `cargo build -p jawnik-analysis --target wasm32-unknown-unknown --no-default-features`.
//! * `english`, `ukrainian` (default): [`Language::English`], [`Language::Ukrainian`] and their
//!   stemmers. Without them a build knows Polish only (and its WebAssembly is that much smaller).
//!
//! [`codec`] is the byte codec (varints, strings, front-coded keys, a bounds-checked reader) of
//! the dictionary, the site lexicon and `jawnik-web`'s search shards.
//!
//! No global mutable state: everything is `Send + Sync` and deterministic.
//!
//! For `wasm32` the crate is `no_std` (with `alloc`), so that the browser's module can be: the
//! [`Dictionary`] (an fst map), the [`DocumentAnalyzer`] and the site lexicon's builders are
//! native only; queries are analysed there over a [`SiteLexicon`].

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What the standard prelude would bring, from `alloc` (the crate is `no_std` for `wasm32`).
#[allow(unused_imports)]
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod analyze;
pub mod codec;
pub mod dictionary;
pub mod fold;
pub mod language;
pub mod lexicon;
pub mod lower;
mod lower_tables;
pub mod slug;
pub mod sort;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

#[cfg(not(target_arch = "wasm32"))]
pub use analyze::DocumentAnalyzer;
pub use analyze::{
    analyze_query, analyze_query_in, analyze_query_word, analyze_query_word_in, query_shard_keys,
    QueryWord, Token, TokenRef,
};
pub use dictionary::FormatError;
#[cfg(not(target_arch = "wasm32"))]
pub use dictionary::{BuildStats, Dictionary, DictionaryBuilder};
pub use fold::{fold, has_diacritics};
pub use language::{Language, UnknownLanguage};
#[cfg(not(target_arch = "wasm32"))]
pub use lexicon::LemmaForms;
pub use lexicon::{shard_key, LexEntry, Lexicon, SiteLexicon};
pub use lower::{push_lowercase, to_lowercase};
pub use slug::{number_past, slugify, unique_anchor};
pub use stem::{fallback_term, stem_term, FALLBACK_MARK};
pub use stopwords::{StopWords, DEFAULT_ENGLISH, DEFAULT_POLISH, DEFAULT_UKRAINIAN};
pub use tokenize::{words, Words};

/// Analyses a document text with the embedded dictionary and the default Polish stop words
/// (the analyzer is set up once per process and shared; it is immutable).
#[cfg(all(feature = "dictionary", not(target_arch = "wasm32")))]
pub fn analyze_text(text: &str) -> Vec<Token> {
    static ANALYZER: std::sync::OnceLock<DocumentAnalyzer<'static>> = std::sync::OnceLock::new();
    ANALYZER
        .get_or_init(DocumentAnalyzer::polish)
        .analyze_text(text)
}
