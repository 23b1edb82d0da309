//! jawnik's query engine, one implementation for the terminal and the browser.
//!
//! A query is [parsed](query) into clauses, each word is analysed with the site lexicon
//! (through the [`Backend`]), and [`eval::search`] matches and scores documents with
//! [tantivy's BM25](bm25) over the [fields](schema) and weights defined here. The CLI's backend
//! reads the tantivy index; the browser's reads static shards. Because both run this same code
//! over the same statistics, they rank the same documents in the same order.
//!
//! No dependency on tantivy or on the network (only the analysis crate, without its
//! dictionary): this crate compiles to `wasm32-unknown-unknown`, where it is `no_std` (with
//! `alloc`), so that the browser's module can be.

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

pub mod backend;
pub mod bm25;
pub mod dates;
pub mod eval;
// Only with a stemmed language: unused, it still costs the Polish-only browser module bytes.
#[cfg(any(feature = "english", feature = "ukrainian"))]
pub mod languages;
// Tests and fuzzing only.
#[cfg(feature = "memory")]
pub mod memory;
pub mod query;
pub mod rank;
pub mod schema;
pub mod snippet;
pub mod sorted;
pub mod text;
pub mod top;
pub mod typo;

pub use backend::{most_frequent, word_terms, Backend, DocId, Posting, PostingsHead, WordTerms};
pub use eval::{search, search_with, FacetCounts, Filters, Hit, Outcome, SortOrder};
#[cfg(any(feature = "english", feature = "ukrainian"))]
pub use languages::{
    effective_language, search_languages, search_languages_top, stemmed_word_terms, InLanguage,
    LanguageOutcome,
};
pub use query::{parse, ParseError, Query};
pub use schema::Field;
pub use top::search_top;
