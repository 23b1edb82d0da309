//! An index held in memory, for tests and fuzzing (feature `memory`, never in the browser
//! module): documents of a title and a body, words analysed by a given function, and postings
//! cut by impact at every tier as an exporter cuts them ([`crate::top::split_unit`]). It can
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

/// A pair at a tier.
type TierPair = (usize, Field, String);
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
    /// The heads and tails per tier and pair ([`MemoryIndex::cut`]).
    cut: BTreeMap<TierPair, (PostingsHead, Vec<Posting>)>,
    tiers: usize,
    /// Whether to answer with heads, loading on demand (else every posting, at once).
    pub with_heads: bool,
    heads: BTreeSet<TierPair>,
    tails: BTreeSet<DocPair>,
    wanted_heads: BTreeSet<TierPair>,
    wanted_tails: BTreeSet<DocPair>,
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
            cut: BTreeMap::new(),
            tiers: 0,
            with_heads: false,
            heads: BTreeSet::new(),
            tails: BTreeSet::new(),
            wanted_heads: BTreeSet::new(),
            wanted_tails: BTreeSet::new(),
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

    /// Cuts every unit — a lemma over its fields, a word form in `exact` — at the first
    /// `tiers` tiers of [`head_len`] (the last one answers every posting as the head).
    pub fn cut(&mut self, tiers: usize) {
        self.tiers = tiers;
        let mut units: BTreeMap<(bool, String), Vec<Field>> = BTreeMap::new();
        for (field, term) in self.postings.keys() {
            let unit = units.entry((*field == Field::Exact, term.clone()));
            unit.or_default().push(*field);
        }
        for ((_, term), fields) in units {
            let lists: Vec<(Bm25Weight, Vec<Posting>)> = (fields.iter())
                .map(|&field| {
                    let full = self.full_postings(field, &term);
                    let weight = Bm25Weight::new(
                        full.len() as u64,
                        self.num_docs,
                        self.total_tokens(field),
                        field.weight(),
                    );
                    (weight, full)
                })
                .collect();
            for tier in 0..tiers {
                let cuts = split_unit(lists.clone(), head_len(tier));
                for (&field, cut) in fields.iter().zip(cuts) {
                    self.cut.insert((tier, field, term.clone()), cut);
                }
            }
        }
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
        self.tails.clear();
    }

    /// Loads what the last runs asked for; whether there was anything.
    pub fn load_wanted(&mut self) -> bool {
        let any = !self.wanted_heads.is_empty() || !self.wanted_tails.is_empty();
        self.heads.append(&mut self.wanted_heads);
        self.tails.append(&mut self.wanted_tails);
        any
    }

    /// Of the postings outside the first heads of these pairs: how many there are, and how
    /// many were loaded (as tail postings, or in deeper heads).
    pub fn read_past_first_heads(&self, pairs: &[(Field, String)]) -> (usize, usize) {
        let (mut all, mut read) = (0, 0);
        for (field, term) in pairs {
            let Some((_, tail)) = self.cut.get(&(0, *field, term.clone())) else {
                continue;
            };
            all += tail.len();
            let loaded = |d: DocId| {
                self.tails.contains(&(*field, term.clone(), d))
                    || (1..self.tiers).any(|t| {
                        let key = (t, *field, term.clone());
                        self.heads.contains(&key)
                            && self.cut[&key].0.head.iter().any(|p| p.doc == d)
                    })
            };
            read += tail.iter().filter(|p| loaded(p.doc)).count();
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
        if self.with_heads {
            // The whole list: the first head and the whole tail.
            let head = self.postings_head(field, term, 0)?;
            let tail: Vec<DocId> = (full.iter().map(|p| p.doc))
                .filter(|d| head.head.binary_search_by_key(d, |p| p.doc).is_err())
                .collect();
            self.tail_postings(field, term, &tail)?;
        }
        Some(full)
    }
    fn postings_head(&mut self, field: Field, term: &str, tier: usize) -> Option<PostingsHead> {
        if !self.with_heads || self.tiers == 0 {
            let head = self.full_postings(field, term);
            return Some(PostingsHead {
                head,
                ..PostingsHead::default()
            });
        }
        let key = (tier.min(self.tiers - 1), field, term.to_string());
        if !self.heads.contains(&key) {
            self.wanted_heads.insert(key);
            return None;
        }
        Some(self.cut.get(&key).map(|c| c.0.clone()).unwrap_or_default())
    }
    fn tail_postings(&mut self, field: Field, term: &str, docs: &[DocId]) -> Option<Vec<Posting>> {
        let mut complete = true;
        for &d in docs {
            let key = (field, term.to_string(), d);
            if self.with_heads && !self.tails.contains(&key) {
                self.wanted_tails.insert(key);
                complete = false;
            }
        }
        let mut postings = self.full_postings(field, term);
        postings.retain(|p| docs.binary_search(&p.doc).is_ok());
        complete.then_some(postings)
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
        // The documents' positions come with their postings (first head or tail).
        let head = self.postings_head(field, term, 0)?;
        let in_tail: Vec<DocId> = (docs.iter().copied())
            .filter(|d| head.head.binary_search_by_key(d, |p| p.doc).is_err())
            .collect();
        if head.tail_len > 0 {
            self.tail_postings(field, term, &in_tail)?;
        }
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
