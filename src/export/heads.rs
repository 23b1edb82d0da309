//! The heads parts of term chunks (`jawnik_web::format::WordHead`, issue #21): for each form
//! of a chunk's lexicon range whose word — its lemmas in the lemma
//! fields and the form in `exact`, the pairs a query word is scored on
//! (`jawnik_engine::eval::word_pairs`) — is in more than `search_heads_from` documents
//! ([`HEADS_FROM`] by default: a word in fewer has whole postings of a few kilobytes), the
//! word's first head, cut by the engine's own rule (`jawnik_engine::top::split_unit`), so that
//! the browser's first query of a common word ranks its first page from the chunk that
//! analyses the word.
//!
//! A form's lemmas' postings are read once for all its forms while they stay in a cache of
//! at most [`CACHE_POSTINGS`] postings (a lemma's forms are mostly near each other in key
//! order).

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use jawnik_analysis::{SiteLexicon, StopWords};
use jawnik_engine::bm25::Bm25Weight;
use jawnik_engine::eval::word_pairs;
use jawnik_engine::top::{head_len, split_unit};
use jawnik_engine::{word_terms, Backend, Field, Posting};
use jawnik_web::format::{encode_heads, replace_heads, FieldPostings, HeadPair, WordHead};

use super::Chunk;
use crate::index::TantivyBackend;

/// By default, a word in at most this many documents gets no head: its whole postings are a
/// few kilobytes, and the chunk stays small for every other word (`search_heads_from` in
/// `jawnik.toml`).
pub const HEADS_FROM: usize = 512;
/// Postings kept in the cache of pairs read (then it is emptied).
const CACHE_POSTINGS: usize = 8_000_000;

/// A pair's postings and, for the body and attachments, each one's section.
struct PairData {
    postings: Vec<Posting>,
    sections: Vec<u32>,
}

/// The section of each document's first occurrence of a term in a field (the documents,
/// their positions): `chunks::SectionStarts::of_first`.
pub(super) type SectionsOf<'a> = &'a dyn Fn(Field, &[u32], &[Vec<u32>]) -> Vec<u32>;

/// Makes the heads of term chunks, one chunk after another.
pub(super) struct HeadMaker<'a> {
    backend: &'a TantivyBackend,
    sections: SectionsOf<'a>,
    stopwords: StopWords,
    num_docs: u64,
    heads_from: usize,
    cache: BTreeMap<(Field, String), Arc<PairData>>,
    cached: usize,
}

impl<'a> HeadMaker<'a> {
    pub(super) fn new(
        backend: &'a TantivyBackend,
        sections: SectionsOf<'a>,
        heads_from: usize,
    ) -> Self {
        HeadMaker {
            heads_from,
            num_docs: backend.num_docs(),
            backend,
            sections,
            stopwords: StopWords::polish(),
            cache: BTreeMap::new(),
            cached: 0,
        }
    }

    /// `chunk` (a term chunk kept in rows, its lexicon part being `lexicon`) with the heads
    /// of its forms.
    pub(super) fn add_heads(&mut self, chunk: Chunk, lexicon: &SiteLexicon) -> Result<Chunk> {
        let mut heads = Vec::new();
        for form in lexicon.keys() {
            if let Some(head) = self.word_head(form, lexicon) {
                heads.push(head);
            }
        }
        if heads.is_empty() {
            return Ok(chunk);
        }
        let raw = replace_heads(&chunk.raw, &encode_heads(&heads))
            .map_err(|e| anyhow::anyhow!("a term chunk of the export: {e}"))?;
        Ok(chunk.with_raw(raw))
    }

    /// A form's first head, if its word is common enough to need one.
    fn word_head(&mut self, form: &str, lexicon: &SiteLexicon) -> Option<WordHead> {
        let terms = word_terms(form, lexicon, &self.stopwords);
        let pairs = word_pairs(&terms);
        // A query finds its form's head by the `exact` pair (whether or not the form itself
        // occurs in the site: a query of any form of a common lemma is common).
        match pairs.last() {
            Some((Field::Exact, surface)) if surface == form => {}
            _ => return None,
        }
        let data: Vec<Arc<PairData>> = pairs.iter().map(|(f, t)| self.pair(*f, t)).collect();
        if data.iter().all(|d| d.postings.len() <= self.heads_from) {
            return None;
        }
        let lists: Vec<(Bm25Weight, Vec<Posting>)> = (pairs.iter().zip(&data))
            .map(|((field, _), d)| {
                let weight = Bm25Weight::new(
                    d.postings.len() as u64,
                    self.num_docs,
                    self.backend.total_tokens(*field),
                    field.weight(),
                );
                (weight, d.postings.clone())
            })
            .collect();
        let cut = split_unit(lists, head_len(0));
        let tail_bound = cut.first().map_or(0.0, |c| c.0.tail_bound);
        if cut.iter().all(|c| c.0.tail_len == 0) {
            return None;
        }
        let pairs = (pairs.into_iter().zip(&data).zip(cut))
            .map(|(((field, term), d), (head, _))| {
                let docs: Vec<u32> = head.head.iter().map(|p| p.doc).collect();
                let mut sections: Vec<u32> = Vec::new();
                if !d.sections.is_empty() {
                    sections = (docs.iter())
                        .map(|doc| {
                            let at = d.postings.binary_search_by_key(doc, |p| p.doc);
                            at.map_or(0, |i| d.sections[i])
                        })
                        .collect();
                    if sections.iter().all(|&s| s == 0) {
                        sections.clear();
                    }
                }
                HeadPair {
                    doc_freq: d.postings.len() as u64,
                    postings: FieldPostings {
                        field,
                        tfs: head.head.iter().map(|p| p.term_freq).collect(),
                        norms: head.head.iter().map(|p| p.fieldnorm_id).collect(),
                        docs,
                        positions: Vec::new(),
                        sections,
                    },
                    term,
                }
            })
            .collect();
        Some(WordHead {
            form: form.to_string(),
            pairs,
            tail_bound,
        })
    }

    /// A pair's postings (and sections), from the cache or the index.
    fn pair(&mut self, field: Field, term: &str) -> Arc<PairData> {
        let key = (field, term.to_string());
        if let Some(d) = self.cache.get(&key) {
            return d.clone();
        }
        let data = if matches!(field, Field::Body | Field::Attachments) {
            let full = self.backend.full_postings(field, term);
            let docs: Vec<u32> = full.iter().map(|p| p.0).collect();
            let positions: Vec<Vec<u32>> = full.iter().map(|p| p.3.clone()).collect();
            let mut sections = (self.sections)(field, &docs, &positions);
            if sections.is_empty() {
                sections = vec![0; docs.len()];
            }
            PairData {
                postings: (full.iter())
                    .map(|p| Posting {
                        doc: p.0,
                        term_freq: p.1,
                        fieldnorm_id: p.2,
                    })
                    .collect(),
                sections,
            }
        } else {
            PairData {
                postings: self.backend.scored_postings(field, term),
                sections: Vec::new(),
            }
        };
        let data = Arc::new(data);
        self.cached += data.postings.len();
        if self.cached > CACHE_POSTINGS {
            self.cache.clear();
            self.cached = data.postings.len();
        }
        self.cache.insert(key, data.clone());
        data
    }
}
