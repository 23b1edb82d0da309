//! Evaluates a parsed query over a [`Backend`]: which documents match each clause, their BM25
//! scores (summed in one fixed order, so every backend gets the same bits), typo correction,
//! filters and facet counts; the documents with every word first, then the partial matches,
//! in the order [`crate::rank`] defines.

use crate::backend::{Backend, DocId, Posting, WordTerms};
use crate::bm25::Bm25Weight;
use crate::prelude::*;
use crate::query::{Atom, Clause, Query};
use crate::rank::{self, add_scores, ClauseMatches, Scores};
use crate::schema::{Field, FACETS};
use crate::sorted::{entry, has, insert_str, sort_by, sort_dedup};

/// How many terms a prefix (`konsul*`) expands to in each field.
pub const PREFIX_EXPANSION: usize = 16;
/// Words shorter than this (in characters) are not corrected for typos.
pub const TYPO_MIN_CHARS: usize = 5;
/// Bonus, times the field's weight, for two consecutive query words side by side in a short field.
pub const PROXIMITY_BONUS: f32 = 0.5;

/// Narrowing of a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Facet name → accepted values (a document must have one of them, for every facet
    /// named); sorted by facet, each facet's values sorted and deduplicated (use [`Filters::add`]).
    pub facets: Vec<(String, Vec<String>)>,
    /// Earliest date, days since 1970-01-01, inclusive.
    pub date_from: Option<i32>,
    /// Latest date, inclusive.
    pub date_to: Option<i32>,
}

impl Filters {
    /// Accepts `value` for `facet`.
    pub fn add(&mut self, facet: &str, value: &str) {
        insert_str(entry(&mut self.facets, facet), value.to_string());
    }
}

/// Facet → value → number of hits with it, both sorted by name (sorted `Vec`s rather than maps:
/// see [`crate::sorted`]; look up with [`crate::sorted::get`]).
pub type FacetCounts = Vec<(String, Vec<(String, usize)>)>;

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best score first.
    #[default]
    Relevance,
    /// Newest first; undated last.
    Date,
}

/// One ranked hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The document.
    pub doc: DocId,
    /// Its score.
    pub score: f32,
    /// The clauses of the query it does not match: bit i stands for [`Outcome::clauses`]`[i]`
    /// (0: it matches every word; see [`Outcome::missing`]).
    pub missing: u32,
    /// How much of the query it covers ([`crate::rank::coverage`]).
    pub coverage: f32,
}

/// The outcome of a search.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Every matching document, ranked: those with every word first, then the partial
    /// matches (see [`crate::rank`]).
    pub hits: Vec<Hit>,
    /// How many of `hits` (the first ones) have every word.
    pub all_words: usize,
    /// True when no document has every word, and the partial matches are shown.
    pub matched_any: bool,
    /// The query's positive clauses kept, as shown to people ("wieloletni", "sport OR
    /// senior", `"nowa huta"`): what [`Hit::missing`] refers to.
    pub clauses: Vec<String>,
    /// The clauses dropped because they match no document (after typo correction), as shown;
    /// a quoted phrase matching nothing is named here too (and empties the list).
    pub not_found: Vec<String>,
    /// Words that matched nothing and were replaced by a near term: (typed, used).
    pub corrections: Vec<(String, String)>,
    /// Folded terms to highlight: lemmas and surface forms the query matched; sorted and
    /// deduplicated (test with [`crate::sorted::has_str`]).
    pub highlight: Vec<String>,
    /// Facet → value → number of hits with it.
    pub facet_counts: FacetCounts,
    /// `Some` when the search stopped early ([`crate::top`]): `hits` then holds only the
    /// first documents of the list (exactly those an exhaustive search ranks first, in its
    /// order), and this and [`Outcome::all_words`] are estimates of how many documents match.
    pub estimated_total: Option<u32>,
}

impl Outcome {
    /// The clauses named by a [`Hit::missing`] mask, as shown.
    pub fn missing(&self, mask: u32) -> Vec<&str> {
        self.clauses
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, c)| c.as_str())
            .collect()
    }
}

/// A query word resolved to terms: the (field, term) pairs it matches, in canonical order.
struct Resolved {
    pairs: Vec<(Field, String)>,
    /// Lemma alternatives, for phrases and proximity.
    lemmas: Vec<String>,
}

/// Runs a query. `None` means something was not loaded: fetch [`Backend`]'s missing data and run again.
pub fn search<B: Backend>(
    backend: &mut B,
    query: &Query,
    filters: &Filters,
    order: SortOrder,
) -> Option<Outcome> {
    search_with(backend, query, filters, order, true)
}

/// [`search`], choosing whether to count facets (the browser first answers without them).
pub fn search_with<B: Backend>(
    backend: &mut B,
    query: &Query,
    filters: &Filters,
    order: SortOrder,
    with_facet_counts: bool,
) -> Option<Outcome> {
    search_dyn(backend, query, filters, order, with_facet_counts)
}

/// [`search_with`] over any backend: the evaluation is compiled once, not once per backend
/// type (the browser's module has two: the shards, and [`crate::top`]'s restricted view).
pub(crate) fn search_dyn(
    backend: &mut dyn Backend,
    query: &Query,
    filters: &Filters,
    order: SortOrder,
    with_facet_counts: bool,
) -> Option<Outcome> {
    let mut out = Outcome::default();
    let mut complete = true;

    // Resolve every clause's atoms into scored document sets.
    let mut positive: Vec<ClauseMatches> = Vec::new();
    let mut excluded: Vec<DocId> = Vec::new();
    for clause in &query.clauses {
        match eval_clause(backend, clause, &mut out) {
            Some(Some((scores, words))) => {
                if clause.negated {
                    excluded.extend(scores.iter().map(|&(d, _)| d));
                } else {
                    positive.push(ClauseMatches {
                        scores,
                        words,
                        required: clause.any_of.iter().all(|a| matches!(a, Atom::Phrase(_))),
                        label: clause_label(clause, &out.corrections),
                    });
                }
            }
            Some(None) => {} // only stop words
            None => complete = false,
        }
    }
    let dates =
        if filters.date_from.is_some() || filters.date_to.is_some() || order == SortOrder::Date {
            let dates = backend.doc_dates();
            complete &= dates.is_some();
            dates
        } else {
            None
        };
    let allowed = allowed_docs(backend, filters, dates.as_deref());
    if !complete || allowed.is_none() && !filters.facets.is_empty() {
        return None;
    }

    // A clause matching nothing is dropped (a required one empties the list, below).
    let mut clauses: Vec<ClauseMatches> = Vec::new();
    for p in positive {
        if p.scores.is_empty() {
            out.not_found.push(p.label.clone());
        }
        if p.required || !p.scores.is_empty() {
            clauses.push(p);
        }
    }
    let mut hits = rank::combine(&clauses, backend.num_docs());
    sort_dedup(&mut excluded);
    hits.retain(|h| !has(&excluded, h.doc) && allowed.as_ref().is_none_or(|a| has(a, h.doc)));
    add_proximity(backend, &clauses, &mut hits)?;
    out.all_words = hits.iter().filter(|h| h.missing == 0).count();
    out.matched_any = out.all_words == 0 && !hits.is_empty();

    let dates = dates.as_deref().filter(|_| order == SortOrder::Date);
    sort_by(&mut hits, |a, b| rank::before(a, b, dates));
    for c in clauses {
        out.clauses.push(c.label);
    }
    if with_facet_counts {
        out.facet_counts = count_facets(backend, &hits)?;
    }
    out.hits = hits;
    Some(out)
}

/// How a clause is shown: its alternatives joined by ` OR `, a word as corrected, a prefix
/// with its `*` (unless the word itself is there too: `konsul OR konsul*`, a word being
/// typed, is shown as `konsul`), a phrase in quotation marks.
fn clause_label(clause: &Clause, corrections: &[(String, String)]) -> String {
    let mut label = String::new();
    for atom in &clause.any_of {
        let own_word =
            |p: &String| (clause.any_of.iter()).any(|a| matches!(a, Atom::Word(w) if w == p));
        if matches!(atom, Atom::Prefix(p) if own_word(p)) {
            continue;
        }
        if !label.is_empty() {
            label.push_str(" OR ");
        }
        match atom {
            Atom::Word(w) => {
                let used = corrections.iter().find(|(typed, _)| typed == w);
                label.push_str(used.map_or(w, |(_, used)| used));
            }
            Atom::Prefix(p) => {
                label.push_str(p);
                label.push('*');
            }
            Atom::Phrase(words) => {
                label.push('"');
                for (i, w) in words.iter().enumerate() {
                    if i > 0 {
                        label.push(' ');
                    }
                    label.push_str(w);
                }
                label.push('"');
            }
        }
    }
    label
}

/// Evaluates one clause: `Some(None)` when it has nothing to search (stop words only).
#[allow(clippy::type_complexity)]
fn eval_clause(
    backend: &mut dyn Backend,
    clause: &Clause,
    out: &mut Outcome,
) -> Option<Option<(Scores, Vec<Vec<String>>)>> {
    let mut scores = Scores::new();
    let mut words_lemmas = Vec::new();
    let mut searched = false;
    let mut complete = true;
    // Prefixes first: a word searched together with its own prefix (`konsul OR konsul*`, what
    // the page sends for the word being typed) is not corrected for typos while the prefix
    // matches — it is unfinished, not mistyped (and correcting it would fetch every term of its
    // first two letters).
    let prefixes: Vec<Option<Scores>> = clause
        .any_of
        .iter()
        .map(|atom| match atom {
            Atom::Prefix(prefix) => eval_prefix(backend, prefix, out),
            _ => None,
        })
        .collect();
    let being_typed = |word: &str| {
        let own_prefix = clause
            .any_of
            .iter()
            .position(|a| matches!(a, Atom::Prefix(p) if p == word));
        // (While the prefix's data is not loaded, the clause is incomplete anyway.)
        own_prefix.is_some_and(|i| prefixes[i].as_ref().is_none_or(|s| !s.is_empty()))
    };
    let correct: Vec<bool> = clause
        .any_of
        .iter()
        .map(|atom| !matches!(atom, Atom::Word(word) if being_typed(word)))
        .collect();
    for ((atom, prefix), correct) in clause.any_of.iter().zip(prefixes).zip(correct) {
        let result = match atom {
            Atom::Word(word) => eval_word(backend, word, correct, out).map(|r| {
                r.map(|(s, lemmas)| {
                    words_lemmas.push(lemmas);
                    s
                })
            }),
            Atom::Prefix(_) => prefix.map(Some),
            Atom::Phrase(words) => eval_phrase(backend, words, out),
        };
        match result {
            Some(Some(atom_scores)) => {
                searched = true;
                add_scores(&mut scores, atom_scores);
            }
            Some(None) => {}
            None => complete = false,
        }
    }
    if !complete {
        return None;
    }
    // An OR of several atoms is not used for proximity.
    if clause.any_of.len() != 1 {
        words_lemmas.clear();
    }
    Some(searched.then_some((scores, words_lemmas)))
}

fn resolve(terms: &WordTerms) -> Resolved {
    Resolved {
        pairs: word_pairs(terms),
        lemmas: terms.lemmas.clone(),
    }
}

/// The (field, term) pairs a query word is scored on, in the order their scores are summed:
/// its lemmas in every lemma field, then its form in `exact` (none for a stop word). An
/// exporter cutting postings per word ([`crate::top::split_unit`]) cuts these together.
pub fn word_pairs(terms: &WordTerms) -> Vec<(Field, String)> {
    let mut pairs = Vec::new();
    for field in Field::LEMMA_FIELDS {
        for lemma in &terms.lemmas {
            pairs.push((field, lemma.clone()));
        }
    }
    if !terms.lemmas.is_empty() {
        pairs.push((Field::Exact, terms.surface.clone()));
    }
    pairs
}

/// The (field, term) pairs an atom scores, in the order it sums them, grouped by word: one
/// group for a word or a prefix, one for each word of a phrase but its stop words (none for
/// a stop word or a phrase of stop words). A document can match the atom only if it has a
/// pair of every group.
pub(crate) fn atom_groups(
    backend: &mut dyn Backend,
    atom: &Atom,
) -> Option<Vec<Vec<(Field, String)>>> {
    let word_groups = |analysed: &[WordTerms]| -> Vec<Vec<(Field, String)>> {
        (analysed.iter())
            .filter(|t| !t.lemmas.is_empty())
            .map(|t| resolve(t).pairs)
            .collect()
    };
    match atom {
        Atom::Word(word) => Some(word_groups(&[backend.analyze_word(word)?])),
        Atom::Phrase(words) => {
            let analysed: Vec<Option<WordTerms>> =
                words.iter().map(|w| backend.analyze_word(w)).collect();
            Some(word_groups(
                &analysed.into_iter().collect::<Option<Vec<_>>>()?,
            ))
        }
        Atom::Prefix(prefix) => {
            let folded = backend.fold(prefix);
            Some(vec![prefix_pairs(backend, &folded)?])
        }
    }
}

/// A (folded) prefix's expansions in every field: the most frequent terms starting with it.
fn prefix_pairs(backend: &mut dyn Backend, folded: &str) -> Option<Vec<(Field, String)>> {
    let mut pairs = Vec::new();
    let mut complete = true;
    for field in Field::ALL {
        match backend.expand_prefix(field, folded, PREFIX_EXPANSION) {
            Some(terms) => pairs.extend(terms.into_iter().map(|t| (field, t))),
            None => complete = false,
        }
    }
    complete.then_some(pairs)
}

/// Scores the (field, term) pairs: the sum, in pair order, of BM25 for each posting.
fn score_pairs(backend: &mut dyn Backend, pairs: &[(Field, String)]) -> Option<Scores> {
    let mut scores = Scores::new();
    let mut complete = true;
    let num_docs = backend.num_docs();
    for (field, term) in pairs {
        let Some((doc_freq, postings)) = backend.postings_and_df(*field, term) else {
            complete = false;
            continue;
        };
        if postings.is_empty() {
            continue;
        }
        let weight = Bm25Weight::new(
            doc_freq,
            num_docs,
            backend.total_tokens(*field),
            field.weight(),
        );
        add_scores(
            &mut scores,
            postings.into_iter().map(
                |Posting {
                     doc,
                     term_freq,
                     fieldnorm_id,
                 }| (doc, weight.score(fieldnorm_id, term_freq)),
            ),
        );
    }
    complete.then_some(scores)
}

fn remember(out: &mut Outcome, terms: &WordTerms) {
    insert_str(&mut out.highlight, terms.surface.clone());
    for lemma in &terms.lemmas {
        insert_str(&mut out.highlight, lemma.clone());
    }
}

/// A word: its lemmas in every field plus its exact form; corrected, if `correct`, when it
/// matches nothing.
fn eval_word(
    backend: &mut dyn Backend,
    word: &str,
    correct: bool,
    out: &mut Outcome,
) -> Option<Option<(Scores, Vec<String>)>> {
    let terms = backend.analyze_word(word)?;
    if terms.lemmas.is_empty() {
        return Some(None); // a stop word
    }
    let resolved = resolve(&terms);
    let scores = score_pairs(backend, &resolved.pairs)?;
    if !scores.is_empty() || !correct || word.chars().count() < TYPO_MIN_CHARS {
        remember(out, &terms);
        return Some(Some((scores, resolved.lemmas)));
    }
    // Nothing matched: try the nearest known word (one edit away).
    let candidates = backend.near_terms(&terms.surface)?;
    let mut best: Option<(Scores, Vec<String>, WordTerms, String)> = None;
    for candidate in candidates {
        let candidate_terms = backend.analyze_word(&candidate)?;
        let resolved = resolve(&candidate_terms);
        let scores = score_pairs(backend, &resolved.pairs)?;
        if best.as_ref().is_none_or(|(b, ..)| scores.len() > b.len()) {
            best = Some((scores, resolved.lemmas, candidate_terms, candidate));
        }
    }
    match best {
        Some((scores, lemmas, candidate_terms, candidate)) if !scores.is_empty() => {
            remember(out, &candidate_terms);
            out.corrections.push((word.to_string(), candidate));
            Some(Some((scores, lemmas)))
        }
        _ => {
            remember(out, &terms);
            Some(Some((Scores::new(), resolved.lemmas)))
        }
    }
}

/// A prefix: the most frequent terms starting with it, in every field.
fn eval_prefix(backend: &mut dyn Backend, prefix: &str, out: &mut Outcome) -> Option<Scores> {
    let folded = backend.fold(prefix);
    let pairs = prefix_pairs(backend, &folded)?;
    for (_, t) in &pairs {
        insert_str(&mut out.highlight, t.clone());
    }
    insert_str(&mut out.highlight, folded);
    score_pairs(backend, &pairs)
}

/// A phrase: documents where the words' lemmas stand side by side, in order, in one field;
/// scored as the sum of its words.
fn eval_phrase(
    backend: &mut dyn Backend,
    words: &[String],
    out: &mut Outcome,
) -> Option<Option<Scores>> {
    // Analyse every word before giving up, so that all missing data is asked for at once.
    let analysed: Vec<Option<WordTerms>> = words.iter().map(|w| backend.analyze_word(w)).collect();
    let analysed: Vec<WordTerms> = analysed.into_iter().collect::<Option<_>>()?;
    // Stop words inside a phrase keep their place but match any word.
    let slots: Vec<&WordTerms> = analysed.iter().collect();
    if slots.iter().all(|t| t.lemmas.is_empty()) {
        return Some(None);
    }
    let mut pairs = Vec::new();
    // A stop word is not highlighted, as outside phrases (`eval_word`): it has no postings in
    // the lemma fields, and marking every `i` and `w` of a snippet says nothing.
    for terms in slots.iter().filter(|t| !t.lemmas.is_empty()) {
        pairs.extend(resolve(terms).pairs);
        remember(out, terms);
    }
    let mut scores = score_pairs(backend, &pairs)?;
    let lemma_slots: Vec<Vec<String>> = slots.iter().map(|t| t.lemmas.clone()).collect();
    let mut phrase_docs = Vec::new();
    for field in Field::LEMMA_FIELDS {
        phrase_docs.extend(adjacent_docs(backend, field, &lemma_slots)?);
    }
    sort_dedup(&mut phrase_docs);
    scores.retain(|&(doc, _)| has(&phrase_docs, doc));
    Some(Some(scores))
}

/// Positions per document: by ascending document, each document once, its positions sorted
/// and deduplicated.
type DocPositions = Vec<(DocId, Vec<u32>)>;

/// Documents where, in `field`, slot i's lemmas occur at position p + i (empty slots match
/// anything); ascending.
fn adjacent_docs(
    backend: &mut dyn Backend,
    field: Field,
    slots: &[Vec<String>],
) -> Option<Vec<DocId>> {
    let mut per_slot: Vec<Option<DocPositions>> = Vec::new();
    let mut complete = true;
    for lemmas in slots {
        if lemmas.is_empty() {
            per_slot.push(None);
            continue;
        }
        let mut all: DocPositions = Vec::new();
        for lemma in lemmas {
            match backend.positions(field, lemma) {
                Some(list) => all.extend(list),
                None => complete = false,
            }
        }
        // Group by document (the lemmas' lists overlap), then sort each document's positions.
        sort_by(&mut all, |a, b| a.0 < b.0);
        let mut map: DocPositions = Vec::with_capacity(all.len());
        for (doc, positions) in all {
            match map.last_mut() {
                Some((d, p)) if *d == doc => p.extend(positions),
                _ => map.push((doc, positions)),
            }
        }
        for (_, p) in &mut map {
            sort_dedup(p);
        }
        per_slot.push(Some(map));
    }
    if !complete {
        return None;
    }
    let Some((anchor, Some(first))) = per_slot.iter().enumerate().find(|(_, s)| s.is_some()) else {
        return Some(Vec::new());
    };
    let mut docs = Vec::new();
    'doc: for (doc, starts) in first {
        for &start in starts {
            let Some(base) = start.checked_sub(anchor as u32) else {
                continue;
            };
            let all = per_slot.iter().enumerate().all(|(i, slot)| match slot {
                None => true,
                Some(map) => map
                    .binary_search_by_key(doc, |(d, _)| *d)
                    .is_ok_and(|k| has(&map[k].1, base + i as u32)),
            });
            if all {
                docs.push(*doc);
                continue 'doc;
            }
        }
    }
    Some(docs)
}

/// Adds the proximity bonus to the hits having every word (`hits` by ascending document):
/// consecutive single-word clauses side by side in a short field.
fn add_proximity(
    backend: &mut dyn Backend,
    positive: &[ClauseMatches],
    hits: &mut [Hit],
) -> Option<()> {
    let words: Vec<&Vec<String>> = positive
        .iter()
        .filter(|p| p.words.len() == 1)
        .map(|p| &p.words[0])
        .collect();
    if words.len() < 2 || !hits.iter().any(|h| h.missing == 0) {
        return Some(());
    }
    let mut complete = true;
    for field in Field::PROXIMITY_FIELDS {
        for pair in words.windows(2) {
            let slots = [pair[0].clone(), pair[1].clone()];
            match adjacent_docs(backend, field, &slots) {
                Some(docs) => {
                    for doc in docs {
                        match hits.binary_search_by_key(&doc, |h| h.doc) {
                            Ok(k) if hits[k].missing == 0 => {
                                hits[k].score += PROXIMITY_BONUS * field.weight()
                            }
                            _ => {}
                        }
                    }
                }
                None => complete = false,
            }
        }
    }
    complete.then_some(())
}

/// The documents the filters allow; `None` when there is no filter (or when not loaded, if facets were asked).
fn allowed_docs(
    backend: &mut dyn Backend,
    filters: &Filters,
    dates: Option<&[Option<i32>]>,
) -> Option<Vec<DocId>> {
    let mut allowed: Option<Vec<DocId>> = None;
    for (facet, values) in &filters.facets {
        let mut docs = Vec::new();
        for value in values {
            docs.extend(backend.facet_docs(facet, value)?);
        }
        sort_dedup(&mut docs);
        allowed = Some(match allowed {
            None => docs,
            Some(mut prev) => {
                prev.retain(|&d| has(&docs, d));
                prev
            }
        });
    }
    if filters.date_from.is_some() || filters.date_to.is_some() {
        let dates = dates?;
        let in_range = |d: &Option<i32>| {
            d.is_some_and(|d| {
                filters.date_from.is_none_or(|f| d >= f) && filters.date_to.is_none_or(|t| d <= t)
            })
        };
        let docs: Vec<DocId> = dates
            .iter()
            .enumerate()
            .filter(|(_, d)| in_range(d))
            .map(|(i, _)| i as DocId)
            .collect();
        allowed = Some(match allowed {
            None => docs,
            Some(mut prev) => {
                prev.retain(|&d| has(&docs, d));
                prev
            }
        });
    }
    allowed
}

fn count_facets(backend: &mut dyn Backend, hits: &[Hit]) -> Option<FacetCounts> {
    let mut hit_docs: Vec<DocId> = hits.iter().map(|h| h.doc).collect();
    sort_dedup(&mut hit_docs);
    let mut counts = FacetCounts::new();
    let mut complete = true;
    for facet in FACETS {
        let Some(values) = backend.facet_values(facet) else {
            complete = false;
            continue;
        };
        let mut per_value = Vec::new();
        for value in values {
            match backend.facet_docs(facet, &value) {
                Some(docs) => {
                    *entry(&mut per_value, &value) =
                        docs.iter().filter(|&&d| has(&hit_docs, d)).count();
                }
                None => complete = false,
            }
        }
        *entry(&mut counts, facet) = per_value;
    }
    complete.then_some(counts)
}
