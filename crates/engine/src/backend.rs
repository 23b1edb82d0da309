//! What the engine needs from an index, as a trait with two implementations: tantivy on disk
//! (the CLI) and static shards fetched by the browser. Every method may answer "not loaded
//! yet" (`None`): the browser then fetches what [`Backend::missing`] lists and runs the query
//! again, so the engine itself stays synchronous and identical on both sides.

use crate::prelude::*;
use jawnik_analysis::{analyze_query_word, Lexicon, StopWords};

use crate::schema::Field;

/// A document's number: its rank in the site's stable order (by URL), the same in the tantivy
/// index's fast field and in the shards. Ties in score are broken by it.
pub type DocId = u32;

/// One document's occurrences of a term in a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The document.
    pub doc: DocId,
    /// How many times the term occurs in the field.
    pub term_freq: u32,
    /// The field's length in tantivy's one-byte coding.
    pub fieldnorm_id: u8,
}

/// The analysis of one query word, all folded: what the user typed and the lemmas it may be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordTerms {
    /// The typed form, lowercased and folded (matches the `exact` field).
    pub surface: String,
    /// The lemma terms (match the lemma fields). Empty for a stop word.
    pub lemmas: Vec<String>,
}

/// A term's postings in a field cut by impact, for the early-terminating search of
/// [`crate::top`]. The cut is made per *word* — the (field, term) pairs one query word
/// resolves to: its lemmas in every lemma field ([`Field::LEMMA_FIELDS`]) and its form in the
/// `exact` field, a group of [`crate::eval::atom_groups`] — by the documents' scores over all
/// those pairs ([`crate::top::split_unit`]): a document is in the head of every pair of the
/// word or in none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PostingsHead {
    /// The postings of the unit's best documents, by ascending document (every posting when
    /// `tail_len` is 0).
    pub head: Vec<Posting>,
    /// How many postings are left out of `head` (the document frequency is the sum).
    pub tail_len: u64,
    /// The highest score in the whole unit of a document left out of the unit's head.
    pub tail_bound: f32,
}

/// Index statistics and data the engine reads. `None` means "not loaded yet".
pub trait Backend {
    /// Number of documents in the index.
    fn num_docs(&self) -> u64;
    /// Total number of tokens in a field over all documents.
    fn total_tokens(&self, field: Field) -> u64;
    /// Analyses a query word with the site lexicon (the same analysis on every side).
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms>;
    /// Folds a string (lowercase, no diacritics) as the analyzer does.
    fn fold(&self, text: &str) -> String {
        jawnik_analysis::fold(&jawnik_analysis::to_lowercase(text))
    }
    /// The postings of a term in a field, by ascending document; empty when the term is absent.
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>>;
    /// The number of documents a term occurs in, with its postings as [`Backend::postings`];
    /// scoring reads both through this (a backend that answers for some documents only, as
    /// [`crate::top`]'s, still gives the whole index's document frequency).
    fn postings_and_df(&mut self, field: Field, term: &str) -> Option<(u64, Vec<Posting>)> {
        self.postings(field, term).map(|p| (p.len() as u64, p))
    }
    /// The heads of the pairs one query word resolves to (a group of
    /// [`crate::eval::atom_groups`]), cut together at a tier ([`PostingsHead`]): the heads hold
    /// every posting of the word's [`crate::top::head_len`]`(tier)` best documents, scored
    /// over all the pairs. A backend without such a cut answers every posting as the head, at
    /// every tier.
    fn word_heads(&mut self, pairs: &[(Field, String)], tier: usize) -> Option<Vec<PostingsHead>> {
        let _ = tier;
        whole_heads(self, pairs)
    }
    /// The postings of a term for `docs` (ascending) only, by ascending document, with the
    /// term's document frequency in the whole index.
    fn doc_postings(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<(u64, Vec<Posting>)> {
        docs_of_whole(self, field, term, docs)
    }
    /// The positions of a term in a field, per document (ascending), for phrases and proximity.
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>>;
    /// [`Backend::positions`] of `docs` (ascending) only.
    fn doc_positions(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<Vec<(DocId, Vec<u32>)>> {
        let mut positions = self.positions(field, term)?;
        positions.retain(|(doc, _)| crate::sorted::has(docs, *doc));
        Some(positions)
    }
    /// Terms of a field starting with `prefix`, the `limit` most frequent (ties by term).
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>>;
    /// Terms of the `exact` field at most one edit away from `term` with the same first two
    /// letters (they decide the shard, so the browser and the CLI see the same candidates).
    fn near_terms(&mut self, term: &str) -> Option<Vec<String>>;
    /// The documents having a facet value (ascending).
    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>>;
    /// Every value of a facet (sorted).
    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>>;
    /// Each document's date as days since 1970-01-01 (`None` for undated), indexed by [`DocId`].
    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>>;
}

/// Every posting of each pair as its head, with no tail: [`Backend::word_heads`] of a backend
/// without heads.
pub fn whole_heads<B: Backend + ?Sized>(
    backend: &mut B,
    pairs: &[(Field, String)],
) -> Option<Vec<PostingsHead>> {
    let mut heads = Vec::with_capacity(pairs.len());
    let mut complete = true;
    for (field, term) in pairs {
        match backend.postings(*field, term) {
            Some(head) => heads.push(PostingsHead {
                head,
                ..PostingsHead::default()
            }),
            None => complete = false,
        }
    }
    complete.then_some(heads)
}

/// A term's postings of `docs` (ascending) with its document frequency, read from its whole
/// postings: [`Backend::doc_postings`] of a backend without heads.
pub fn docs_of_whole<B: Backend + ?Sized>(
    backend: &mut B,
    field: Field,
    term: &str,
    docs: &[DocId],
) -> Option<(u64, Vec<Posting>)> {
    let (doc_freq, mut postings) = backend.postings_and_df(field, term)?;
    postings.retain(|p| crate::sorted::has(docs, p.doc));
    Some((doc_freq, postings))
}

/// The one rule for analysing a query word, whatever the backend: the lexicon's lemmas, or
/// none for a stop word.
pub fn word_terms<L: Lexicon + ?Sized>(
    word: &str,
    lexicon: &L,
    stopwords: &StopWords,
) -> WordTerms {
    let q = analyze_query_word(word, lexicon);
    let lemmas = if stopwords.contains(&q.surface) {
        Vec::new()
    } else {
        q.terms
    };
    WordTerms {
        surface: q.surface,
        lemmas,
    }
}

/// The one rule for choosing a prefix's expansions, whatever the backend: the `limit` terms
/// with the highest document frequency, ties by term.
pub fn most_frequent<S: AsRef<str>>(mut terms: Vec<(S, u64)>, limit: usize) -> Vec<String> {
    crate::sorted::sort_by(&mut terms, |a, b| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.as_ref().cmp(b.0.as_ref()))
            .is_lt()
    });
    terms
        .into_iter()
        .take(limit)
        .map(|(t, _)| t.as_ref().to_string())
        .collect()
}
