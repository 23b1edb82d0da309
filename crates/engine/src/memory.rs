//! An index held in memory, for tests and fuzzing (feature `memory`, never in the browser
//! module): documents of a title and a body, words analysed by a given function, and postings
//! cut by impact, per query word and tier, as an exporter cuts them
//! ([`crate::top::split_unit`]). It can
//! answer as a backend without heads (the exhaustive reference) or with them, loading on
//! demand as the browser does: a run answers `None` until what it asked for is loaded
//! ([`MemoryIndex::load_wanted`]), so [`top_lazily`] counts rounds and what was read.

use std::collections::{BTreeMap, BTreeSet};

use crate::backend::{Backend, DocId, Posting, PostingsHead, WordTerms};
use crate::bm25::{fieldnorm_to_id, Bm25Weight};
use crate::eval::{search_with, Filters, Outcome, SortOrder};
use crate::query::Query;
use crate::schema::Field;
use crate::top::{head_len, search_top, split_unit};

/// A word's pairs at a tier.
type TierWord = (usize, Vec<(Field, String)>);
/// A pair's posting of a document.
type DocPair = (Field, String, DocId);

/// The index (module doc).
pub struct MemoryIndex {
    /// A word → its lemmas (none for a stop word); the word itself goes to `exact`.
    lemmas: fn(&str) -> Vec<String>,
    /// (field, term) → document → positions.
    postings: BTreeMap<(Field, String), BTreeMap<DocId, Vec<u32>>>,
    lengths: BTreeMap<(Field, DocId), u32>,
    facets: BTreeMap<(String, String), Vec<DocId>>,
    num_docs: u64,
    /// Tiers of heads ([`MemoryIndex::cut`]).
    tiers: usize,
    /// Whether to answer with heads, loading on demand (else every posting, at once).
    pub with_heads: bool,
    heads: BTreeSet<TierWord>,
    /// The postings loaded, in a head or for given documents.
    known: BTreeSet<DocPair>,
    wanted_heads: BTreeSet<TierWord>,
    wanted_postings: BTreeSet<DocPair>,
}

impl MemoryIndex {
    /// An empty index analysing words with `lemmas`.
    pub fn new(lemmas: fn(&str) -> Vec<String>) -> Self {
        MemoryIndex {
            lemmas,
            postings: BTreeMap::new(),
            lengths: BTreeMap::new(),
            facets: BTreeMap::new(),
            num_docs: 0,
            tiers: 0,
            with_heads: false,
            heads: BTreeSet::new(),
            known: BTreeSet::new(),
            wanted_heads: BTreeSet::new(),
            wanted_postings: BTreeSet::new(),
        }
    }

    /// Adds a document of these words (lowercase, folded) with a `kind` facet value.
    pub fn add(&mut self, title: &[String], body: &[String], kind: &str) -> DocId {
        let doc = self.num_docs as DocId;
        self.num_docs += 1;
        for (field, words) in [(Field::Title, title), (Field::Body, body)] {
            for (pos, word) in words.iter().enumerate() {
                for lemma in (self.lemmas)(word) {
                    self.add_posting(field, lemma, doc, pos as u32);
                }
                self.add_posting(Field::Exact, word.clone(), doc, pos as u32);
            }
            self.lengths.insert((field, doc), words.len() as u32);
            *self.lengths.entry((Field::Exact, doc)).or_default() += words.len() as u32;
        }
        (self.facets.entry(("kind".into(), kind.into())))
            .or_default()
            .push(doc);
        doc
    }

    fn add_posting(&mut self, field: Field, term: String, doc: DocId, pos: u32) {
        (self.postings.entry((field, term)).or_default())
            .entry(doc)
            .or_default()
            .push(pos);
    }

    /// Answers with heads at the first `tiers` tiers of [`head_len`] (the last one answers
    /// every posting as the head).
    pub fn cut(&mut self, tiers: usize) {
        self.tiers = tiers;
    }

    /// A word's pairs cut at a tier ([`split_unit`]).
    fn split(&self, pairs: &[(Field, String)], tier: usize) -> Vec<(PostingsHead, Vec<Posting>)> {
        let lists: Vec<(Bm25Weight, Vec<Posting>)> = (pairs.iter())
            .map(|(field, term)| {
                let full = self.full_postings(*field, term);
                let weight = Bm25Weight::new(
                    full.len() as u64,
                    self.num_docs,
                    self.total_tokens(*field),
                    field.weight(),
                );
                (weight, full)
            })
            .collect();
        split_unit(lists, head_len(tier))
    }

    /// Whether the postings of `docs` in a pair are loaded (else they are asked for).
    fn postings_loaded(&mut self, field: Field, term: &str, docs: &[DocId]) -> bool {
        let mut complete = true;
        for d in docs {
            let key = (field, term.to_string(), *d);
            if self.with_heads && !self.known.contains(&key) {
                self.wanted_postings.insert(key);
                complete = false;
            }
        }
        complete
    }

    fn full_postings(&self, field: Field, term: &str) -> Vec<Posting> {
        let list = self.postings.get(&(field, term.to_string()));
        (list.into_iter().flatten())
            .map(|(doc, pos)| Posting {
                doc: *doc,
                term_freq: pos.len() as u32,
                fieldnorm_id: fieldnorm_to_id(self.lengths[&(field, *doc)]),
            })
            .collect()
    }

    /// Forgets what was loaded.
    pub fn unload(&mut self) {
        self.heads.clear();
        self.known.clear();
    }

    /// Loads what the last runs asked for; whether there was anything.
    pub fn load_wanted(&mut self) -> bool {
        let any = !self.wanted_heads.is_empty() || !self.wanted_postings.is_empty();
        for (tier, pairs) in core::mem::take(&mut self.wanted_heads) {
            for ((field, term), (head, _)) in pairs.iter().zip(self.split(&pairs, tier)) {
                (self.known).extend(head.head.iter().map(|p| (*field, term.clone(), p.doc)));
            }
            self.heads.insert((tier, pairs));
        }
        self.known.append(&mut self.wanted_postings);
        any
    }

    /// Of these pairs' postings: how many there are, and how many were loaded (in a head, or
    /// for the documents completed).
    pub fn postings_read(&self, pairs: &[(Field, String)]) -> (usize, usize) {
        let (mut all, mut read) = (0, 0);
        for (field, term) in pairs {
            for p in self.full_postings(*field, term) {
                all += 1;
                read += usize::from(self.known.contains(&(*field, term.clone(), p.doc)));
            }
        }
        (all, read)
    }
}

impl Backend for MemoryIndex {
    fn num_docs(&self) -> u64 {
        self.num_docs
    }
    fn total_tokens(&self, field: Field) -> u64 {
        (self.lengths.iter())
            .filter(|((f, _), _)| *f == field)
            .map(|(_, n)| *n as u64)
            .sum()
    }
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        Some(WordTerms {
            surface: word.to_string(),
            lemmas: (self.lemmas)(word),
        })
    }
    fn fold(&self, text: &str) -> String {
        text.to_string()
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let full = self.full_postings(field, term);
        let docs: Vec<DocId> = full.iter().map(|p| p.doc).collect();
        self.postings_loaded(field, term, &docs).then_some(full)
    }
    fn word_heads(&mut self, pairs: &[(Field, String)], tier: usize) -> Option<Vec<PostingsHead>> {
        if !self.with_heads || self.tiers == 0 {
            return crate::backend::whole_heads(self, pairs);
        }
        let key = (tier.min(self.tiers - 1), pairs.to_vec());
        if !self.heads.contains(&key) {
            self.wanted_heads.insert(key);
            return None;
        }
        Some(self.split(pairs, key.0).into_iter().map(|c| c.0).collect())
    }
    fn doc_postings(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<(u64, Vec<Posting>)> {
        let mut postings = self.full_postings(field, term);
        let doc_freq = postings.len() as u64;
        postings.retain(|p| docs.binary_search(&p.doc).is_ok());
        let have: Vec<DocId> = postings.iter().map(|p| p.doc).collect();
        self.postings_loaded(field, term, &have)
            .then_some((doc_freq, postings))
    }
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        // Positions come with the postings: the whole list needs the whole list loaded.
        self.postings(field, term)?;
        let list = self.postings.get(&(field, term.to_string()));
        Some(
            (list.into_iter().flatten())
                .map(|(d, p)| (*d, p.clone()))
                .collect(),
        )
    }
    fn doc_positions(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<Vec<(DocId, Vec<u32>)>> {
        // The documents' positions come with their postings.
        self.doc_postings(field, term, docs)?;
        let list = self.postings.get(&(field, term.to_string()));
        Some(
            (list.into_iter().flatten())
                .filter(|(d, _)| docs.binary_search(d).is_ok())
                .map(|(d, p)| (*d, p.clone()))
                .collect(),
        )
    }
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let terms: Vec<(&String, u64)> = (self.postings.iter())
            .filter(|((f, t), _)| *f == field && t.starts_with(prefix))
            .map(|((_, t), docs)| (t, docs.len() as u64))
            .collect();
        Some(crate::backend::most_frequent(terms, limit))
    }
    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        Some(
            (self.postings.keys())
                .filter(|(f, c)| *f == Field::Exact && crate::typo::one_edit_apart(term, c))
                .map(|(_, c)| c.clone())
                .collect(),
        )
    }
    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        let docs = self.facets.get(&(facet.into(), value.into()));
        Some(docs.cloned().unwrap_or_default())
    }
    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        let values = self.facets.keys().filter(|(f, _)| f == facet);
        Some(values.map(|(_, v)| v.clone()).collect())
    }
    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        Some(vec![None; self.num_docs as usize])
    }
}

/// The exhaustive search's outcome, every posting at once.
pub fn exhaustive(index: &mut MemoryIndex, query: &Query, filters: &Filters) -> Outcome {
    index.with_heads = false;
    let outcome = search_with(index, query, filters, SortOrder::Relevance, false);
    outcome.expect("everything is loaded")
}

/// [`search_top`] as the browser runs it: until it answers, loading what it asked for
/// (`max_rounds` at most, else a panic). Returns the outcome and the rounds of loading.
pub fn top_lazily(
    index: &mut MemoryIndex,
    query: &Query,
    filters: &Filters,
    k: usize,
    max_rounds: usize,
) -> (Outcome, usize) {
    index.with_heads = true;
    for rounds in 0..max_rounds {
        if let Some(outcome) = search_top(index, query, filters, k) {
            return (outcome, rounds);
        }
        assert!(index.load_wanted(), "no answer and nothing asked for");
    }
    panic!("no answer after {max_rounds} rounds");
}
