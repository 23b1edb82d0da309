//! The first page of results without reading whole postings (issue #21): an exact top-k
//! search over postings cut by impact ([`PostingsHead`]).
//!
//! A backend may keep, for a query word with many postings, the postings of the documents
//! that score highest on it (the *head*: over all the word's (field, term) pairs, its lemmas in
//! the lemma fields and its form in `exact`) apart from the rest (the *tail*, readable for
//! given documents only), and the best score of a document in the tail, which bounds every
//! other. [`search_top`] then:
//!
//! 1. reads the heads of every word of the query; the documents in them are the
//!    *candidates*, each with an upper bound of its score (its exact score on the words whose
//!    heads hold it, the tail bound of every other word, the largest proximity bonus); a
//!    document in no head is bounded by the tails' bounds alone;
//! 2. completes the candidates that may rank first, best bound first: reads their postings
//!    (and positions, for phrases and proximity) and runs the ordinary evaluation
//!    ([`crate::eval::search_with`]) over those documents only, which gives each of them
//!    exactly the score, to the bit, and the clauses the exhaustive search gives it (the
//!    statistics are the whole index's);
//! 3. stops once k documents have every word and no other document — a candidate not
//!    completed, or one in no head — can score above the k-th of them: the list's first k
//!    documents are then those of the exhaustive search, in its order
//!    ([`crate::rank::before`]: in the tier of documents having every word, the coverage is
//!    the same for all, so the score and then the document number decide).
//!
//! When that cannot be shown — fewer than k documents have every word (the partial matches'
//! order needs every clause's exact document count), a word needs a typo correction, or the
//! tails' bound is not below the k-th score — it runs the exhaustive search, so the answer is
//! always the exhaustive one; only its cost differs. The counts of an early stop are
//! estimates ([`crate::Outcome::estimated_total`]). Sorting by date and facet counts need every
//! match: they use the exhaustive search.
//!
//! Heads come in tiers ([`head_len`]: a unit's best 16 documents, 256, 4,096, then all):
//! a search that cannot stop early with one tier's heads tries the next. The documents it
//! completes are chosen in one go where it can: the k-th best of the documents the heads
//! already show to have every word (`Plan::lower_bound`) bounds the k-th score from below,
//! and every candidate that may reach it is completed at once; the postings and positions
//! the evaluation of those documents will read are asked for together (`prefetch`).
//!
//! Measured with `crates/web/examples/cut_postings.rs` (the engine over a built site's
//! shards, every word cut as above, each query's first 10 checked against the exhaustive
//! search to the bit) on the 50 queries of `bench/queries-browser.txt`: on the generated
//! 50,000-document site 49 stop early, reading a median of 3.3 % of their words' postings;
//! a one-word query stops on its first heads, in one round; `docs/top-k.md` has the figures.
//! The unit of the cut matters: cut by lemma and by form apart, a one-word query completes
//! the candidates each shows the other (4 rounds for `ustawa`); cut by (field, term) pair —
//! a bound summed over every field, as if one document were the best in all of them — 40 of
//! 450 generated searches stopped even with heads of 40 %.
//!
//! Each round of reading is one run of this function: a backend that has not loaded what a
//! step asks for answers `None`, the caller fetches it and runs the same search again, and the
//! steps, decided by the data alone, ask for the same things and then go further.

use crate::backend::{Backend, DocId, Posting, PostingsHead, WordTerms};
use crate::bm25::{Bm25Weight, Score};
use crate::eval::{atom_groups, search_dyn, Filters, Outcome, SortOrder, PROXIMITY_BONUS};
use crate::prelude::*;
use crate::query::{Atom, Query};
use crate::schema::Field;
use crate::sorted::{has, sort_by, sort_dedup};

/// Documents completed in the first round, per result asked for: enough, usually, for the
/// k-th score to prune the rest.
pub const FIRST_ROUND_PER_RESULT: usize = 3;

/// Bounds are summed in another order than scores, which f32 rounding may tell apart in the
/// last bits: a bound is trusted only this much (relatively) above a score.
const ROUNDING_MARGIN: Score = 1e-4;

/// Cuts a unit's postings — one list per field of the unit, by ascending document, each with
/// its field's BM25 weight — into a head per field holding the postings of the `head_len`
/// documents scoring highest in the whole unit (ties: the lower document), and the tails,
/// both by ascending document. The exporter of a backend with heads calls this, so that every
/// backend cuts alike.
pub fn split_unit(
    fields: Vec<(Bm25Weight, Vec<Posting>)>,
    head_len: usize,
) -> Vec<(PostingsHead, Vec<Posting>)> {
    let mut unit: Vec<(DocId, Score)> = Vec::new();
    for (weight, postings) in &fields {
        let scores = postings
            .iter()
            .map(|p| (p.doc, weight.score(p.fieldnorm_id, p.term_freq)));
        crate::rank::add_scores(&mut unit, scores);
    }
    if unit.len() <= head_len {
        let whole = |(_, head)| {
            let head = PostingsHead {
                head,
                ..PostingsHead::default()
            };
            (head, Vec::new())
        };
        return fields.into_iter().map(whole).collect();
    }
    sort_by(&mut unit, |a, b| {
        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).is_lt()
    });
    let tail_bound = unit[head_len].1;
    let mut head_docs: Vec<DocId> = unit[..head_len].iter().map(|u| u.0).collect();
    sort_dedup(&mut head_docs);
    let cut = |(_, postings): (Bm25Weight, Vec<Posting>)| {
        let (head, tail): (Vec<Posting>, Vec<Posting>) =
            postings.into_iter().partition(|p| has(&head_docs, p.doc));
        let head = PostingsHead {
            head,
            tail_len: tail.len() as u64,
            tail_bound,
        };
        (head, tail)
    };
    fields.into_iter().map(cut).collect()
}

/// One (field, term) pair of the query with its head.
struct Pair {
    field: Field,
    term: String,
    head: PostingsHead,
    weight: Bm25Weight,
}

impl Pair {
    fn doc_freq(&self) -> u64 {
        self.head.head.len() as u64 + self.head.tail_len
    }
    /// The head's score of `doc`, if it is in the head.
    fn head_score(&self, doc: DocId) -> Option<Score> {
        let head = &self.head.head;
        let k = head.binary_search_by_key(&doc, |p| p.doc).ok()?;
        Some(self.weight.score(head[k].fieldnorm_id, head[k].term_freq))
    }
}

/// A unit of pairs cut together ([`PostingsHead`]): the pairs of a query word.
struct Unit {
    /// Its (field, term) pairs, as the query word resolved to them.
    key: Vec<(Field, String)>,
    pairs: Vec<usize>,
    /// The documents of its heads (ascending).
    head_docs: Vec<DocId>,
    /// No document outside `head_docs` scores more in the unit (0 without a tail).
    bound: Score,
    has_tail: bool,
}

/// A positive clause: its atoms, each as the units of its words (indices).
struct ClausePlan {
    atoms: Vec<Vec<usize>>,
    /// Per atom: a phrase (being in its words' heads does not tell whether it matches).
    phrases: Vec<bool>,
    /// A single word (it counts for the proximity bonus).
    single_word: bool,
    /// `-word`: read only to tell whether a word is found nowhere.
    negated: bool,
}

/// The query resolved to pairs with their heads.
struct Plan {
    pairs: Vec<Pair>,
    units: Vec<Unit>,
    /// The positive clauses searched (not only stop words).
    clauses: Vec<ClausePlan>,
    /// The largest proximity bonus a document can get.
    proximity: Vec<Score>,
}

impl Plan {
    /// The most `doc` (`None`: a document in no head) can score in a unit.
    fn unit_bound(&self, unit: &Unit, doc: Option<DocId>) -> Score {
        match doc.filter(|&d| has(&unit.head_docs, d)) {
            // In the unit's head: exact (the heads hold every posting of the document).
            Some(d) => (unit.pairs.iter())
                .filter_map(|&p| self.pairs[p].head_score(d))
                .sum(),
            None => unit.bound,
        }
    }

    /// The most `doc` (`None`: a document in no head) can score, with the proximity bonuses
    /// and the rounding margin.
    fn bound(&self, doc: Option<DocId>) -> Score {
        let mut total = 0.0;
        for clause in &self.clauses {
            for &u in clause.atoms.iter().flatten() {
                total += self.unit_bound(&self.units[u], doc);
            }
        }
        for bonus in &self.proximity {
            total += bonus;
        }
        total * (1.0 + ROUNDING_MARGIN)
    }

    /// The least `doc` scores, if the heads show it has every word: the scores of the units
    /// whose heads hold it (exact there: a unit's head holds all of a document's postings),
    /// less the rounding margin. Only without exclusions and filters, which may drop it.
    fn lower_bound(&self, doc: DocId) -> Option<Score> {
        let in_head = |u: &usize| has(&self.units[*u].head_docs, doc);
        let known = self.clauses.iter().all(|c| {
            (c.atoms.iter().zip(&c.phrases))
                .any(|(units, &phrase)| !phrase && units.iter().any(in_head))
        });
        if !known {
            return None;
        }
        let mut total = 0.0;
        for &u in self.clauses.iter().flat_map(|c| c.atoms.iter().flatten()) {
            if in_head(&u) {
                for &p in &self.units[u].pairs {
                    total += self.pairs[p].head_score(doc).unwrap_or(0.0);
                }
            }
        }
        Some(total * (1.0 - ROUNDING_MARGIN))
    }

    /// Whether `doc` (`None`: a document in no head) may match every clause.
    fn may_match_all(&self, doc: Option<DocId>) -> bool {
        let may_have = |u: &usize| {
            let unit = &self.units[*u];
            unit.has_tail || doc.is_some_and(|d| has(&unit.head_docs, d))
        };
        self.clauses.iter().all(|c| {
            c.atoms
                .iter()
                .any(|units| !units.is_empty() && units.iter().all(may_have))
        })
    }

    /// An estimate of how many documents match every clause, and any clause.
    fn estimate(&self, num_docs: u64) -> (usize, usize) {
        let n = num_docs.max(1) as f64;
        let (mut all, mut none) = (1.0f64, 1.0f64);
        for clause in &self.clauses {
            let df = (clause.atoms.iter().flatten())
                .flat_map(|&u| &self.units[u].pairs)
                .map(|&p| self.pairs[p].doc_freq())
                .max()
                .unwrap_or(0);
            let share = (df as f64 / n).min(1.0);
            all *= share;
            none *= 1.0 - share;
        }
        (
            // Rounded to the nearest (`f64::round` is not in `core`).
            (n * all + 0.5) as usize,
            (n * (1.0 - none) + 0.5) as usize,
        )
    }

    /// Whether a unit has a posting.
    fn unit_found(&self, u: usize) -> bool {
        self.units[u]
            .pairs
            .iter()
            .any(|&p| self.pairs[p].doc_freq() > 0)
    }
}

/// The head of a unit at each tier: the best 16 documents, then 256, then 4,096, then every
/// document (a search that cannot stop early at one tier reads the next: a round more).
pub fn head_len(tier: usize) -> usize {
    match tier {
        0..=2 => 16 << (4 * tier),
        _ => usize::MAX,
    }
}

/// Tiers tried at most (a backend should have no tail at the last, [`head_len`]).
const TIERS: usize = 4;

/// The first `k` documents of the list of [`crate::search`] for relevance order without facet
/// counts, read as the module doc says; `None`: fetch what the backend misses and run again.
pub fn search_top<B: Backend>(
    backend: &mut B,
    query: &Query,
    filters: &Filters,
    k: usize,
) -> Option<Outcome> {
    top_dyn(backend, query, filters, k)
}

/// [`search_top`] over any backend, compiled once ([`crate::eval::search_dyn`]).
fn top_dyn(
    backend: &mut dyn Backend,
    query: &Query,
    filters: &Filters,
    k: usize,
) -> Option<Outcome> {
    if k > 0 {
        for tier in 0..TIERS {
            let Some(plan) = plan(backend, query, tier)? else {
                break;
            };
            if !plan.units.iter().any(|u| u.has_tail) {
                break;
            }
            if let Some(outcome) = stop_early(backend, query, filters, k, &plan)? {
                return Some(outcome);
            }
        }
    }
    search_dyn(backend, query, filters, SortOrder::Relevance, false)
}

/// Steps 2 and 3 of the module doc with the heads of `tier`: `Some(None)` when no early stop
/// can be shown with them.
fn stop_early(
    backend: &mut dyn Backend,
    query: &Query,
    filters: &Filters,
    k: usize,
    plan: &Plan,
) -> Option<Option<Outcome>> {
    // The candidates that may have every word, best bound first.
    let mut heads: Vec<DocId> = (plan.clauses.iter())
        .flat_map(|c| c.atoms.iter().flatten())
        .flat_map(|&u| plan.units[u].head_docs.iter().copied())
        .collect();
    sort_dedup(&mut heads);
    let mut candidates: Vec<(Score, DocId)> = (heads.into_iter())
        .filter(|&d| plan.may_match_all(Some(d)))
        .map(|d| (plan.bound(Some(d)), d))
        .collect();
    sort_by(&mut candidates, |a, b| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).is_lt()
    });
    let beats = |(score, doc): (Score, DocId), (kth_score, kth_doc): (Score, DocId)| {
        score > kth_score || score == kth_score && doc < kth_doc
    };

    // The k-th of the documents known to have every word scores at least this: every
    // candidate that may score as much is completed at once (one round instead of several).
    let mut lower: Vec<Score> = Vec::new();
    if filters == &Filters::default() && !query.clauses.iter().any(|c| c.negated) {
        lower = (candidates.iter())
            .filter_map(|&(_, d)| plan.lower_bound(d))
            .collect();
        sort_by(&mut lower, |a, b| b.total_cmp(a).is_lt());
    }
    // A document in no head may score up to this: the k-th score must beat it, so only the
    // candidates that may beat it can matter (all of them, at once, not some a round).
    let unseen = plan.may_match_all(None).then(|| plan.bound(None));
    let least = lower.get(k - 1).copied();
    let matters = |c: &(Score, DocId)| {
        least.is_none_or(|least| c.0 >= least) && unseen.is_none_or(|unseen| c.0 > unseen)
    };
    let mattering = candidates.partition_point(matters);
    let first = match (least, unseen) {
        (None, None) => k * FIRST_ROUND_PER_RESULT,
        _ => mattering,
    };
    // With fewer than k documents having every word among those, the k-th score cannot
    // beat the unseen documents' bound at this tier.
    let enough = unseen.map_or(candidates.len(), |_| mattering);

    let mut taken = 0;
    let mut kth: Option<(Score, DocId)> = None;
    let mut outcome = None;
    loop {
        let next = match kth {
            None if taken == 0 => first,
            None if taken >= enough => return Some(None),
            None => taken + (k * FIRST_ROUND_PER_RESULT).max(taken),
            Some(kth) => candidates.partition_point(|&c| beats(c, kth)),
        }
        .min(candidates.len());
        if next <= taken {
            break;
        }
        taken = next;
        let mut docs: Vec<DocId> = candidates[..taken].iter().map(|c| c.1).collect();
        sort_dedup(&mut docs);
        let mut restricted = Restricted {
            inner: backend,
            docs,
        };
        restricted.prefetch(plan)?;
        let found = search_dyn(&mut restricted, query, filters, SortOrder::Relevance, false)?;
        // A clause none of these documents has is dropped from their search, which then
        // ranks them without it: none of them has every word.
        let whole = found.not_found.is_empty() && found.corrections.is_empty();
        if whole && found.all_words >= k {
            let h = &found.hits[k - 1];
            if unseen.is_some_and(|unseen| unseen >= h.score) {
                return Some(None); // the k-th score only grows as more are completed
            }
            kth = Some((h.score, h.doc));
            outcome = Some(found);
        }
    }
    let (Some(kth), Some(mut outcome)) = (kth, outcome) else {
        return Some(None);
    };
    if unseen.is_some_and(|unseen| unseen >= kth.0) {
        return Some(None);
    }
    let (all_words, total) = plan.estimate(backend.num_docs());
    outcome.hits.truncate(k);
    outcome.all_words = all_words.max(outcome.all_words);
    outcome.estimated_total = Some(total.max(outcome.all_words).min(u32::MAX as usize) as u32);
    Some(Some(outcome))
}

/// The query's clauses as units of pairs with their heads; `Some(None)` when an early stop
/// cannot be shown (a word found nowhere is corrected or named, which needs the exhaustive
/// search).
fn plan(backend: &mut dyn Backend, query: &Query, tier: usize) -> Option<Option<Plan>> {
    let mut plan = Plan {
        pairs: Vec::new(),
        units: Vec::new(),
        clauses: Vec::new(),
        proximity: Vec::new(),
    };
    let mut complete = true;
    let num_docs = backend.num_docs();
    for clause in &query.clauses {
        let mut atoms = Vec::new();
        for atom in &clause.any_of {
            let Some(groups) = atom_groups(backend, atom) else {
                complete = false;
                continue;
            };
            let mut atom_units = Vec::new();
            for group in groups {
                let Some(heads) = backend.word_heads(&group, tier) else {
                    complete = false;
                    continue;
                };
                if let Some(u) = plan.units.iter().position(|u| u.key == group) {
                    atom_units.push(u);
                    continue;
                }
                let mut unit = Unit {
                    key: group.clone(),
                    pairs: Vec::new(),
                    head_docs: Vec::new(),
                    bound: 0.0,
                    has_tail: false,
                };
                for ((field, term), head) in group.into_iter().zip(heads) {
                    let doc_freq = head.head.len() as u64 + head.tail_len;
                    let weight = Bm25Weight::new(
                        doc_freq,
                        num_docs,
                        backend.total_tokens(field),
                        field.weight(),
                    );
                    unit.head_docs.extend(head.head.iter().map(|p| p.doc));
                    if head.tail_len > 0 {
                        unit.has_tail = true;
                        unit.bound = unit.bound.max(head.tail_bound);
                    }
                    unit.pairs.push(plan.pairs.len());
                    plan.pairs.push(Pair {
                        field,
                        term,
                        head,
                        weight,
                    });
                }
                sort_dedup(&mut unit.head_docs);
                atom_units.push(plan.units.len());
                plan.units.push(unit);
            }
            atoms.push(atom_units);
        }
        plan.clauses.push(ClausePlan {
            atoms,
            phrases: (clause.any_of.iter())
                .map(|a| matches!(a, Atom::Phrase(_)))
                .collect(),
            single_word: matches!(clause.any_of[..], [Atom::Word(_)]),
            negated: clause.negated,
        });
    }
    if !complete {
        return None;
    }
    // A word found nowhere is corrected, or named as not found: the exhaustive search's to
    // do (checked on negated clauses too, which are otherwise read for the completed
    // documents only, by the evaluation itself). A clause of stop words only is not searched.
    let found = |units: &Vec<usize>| units.iter().any(|&u| plan.unit_found(u));
    let nowhere = (query.clauses.iter().zip(&plan.clauses)).any(|(clause, c)| {
        (clause.any_of.iter().zip(&c.atoms)).any(|(atom, groups)| match atom {
            Atom::Word(w) => {
                let own_prefix =
                    (clause.any_of.iter()).any(|a| matches!(a, Atom::Prefix(p) if p == w));
                !own_prefix && !groups.is_empty() && !found(groups)
            }
            _ => false,
        })
    });
    let positive = |c: &ClausePlan| !c.negated && c.atoms.iter().any(|g| !g.is_empty());
    let all_found = (plan.clauses.iter())
        .filter(|c| positive(c))
        .all(|c| c.atoms.iter().any(found));
    plan.clauses.retain(positive);
    if nowhere || !all_found || plan.clauses.is_empty() {
        return Some(None);
    }
    // Two consecutive single words may earn the bonus in a proximity field both occur in.
    let in_field = |c: &ClausePlan, field: Field| {
        (c.atoms.iter().flatten())
            .flat_map(|&u| &plan.units[u].pairs)
            .any(|&p| plan.pairs[p].field == field && plan.pairs[p].doc_freq() > 0)
    };
    let single: Vec<&ClausePlan> = plan.clauses.iter().filter(|c| c.single_word).collect();
    let mut proximity = Vec::new();
    for field in Field::PROXIMITY_FIELDS {
        for pair in single.windows(2) {
            if in_field(pair[0], field) && in_field(pair[1], field) {
                proximity.push(PROXIMITY_BONUS * field.weight());
            }
        }
    }
    plan.proximity = proximity;
    Some(Some(plan))
}

/// A view of a backend that holds only `docs`: their postings (the head's and the tail's)
/// and positions, with the whole index's statistics; it corrects no typo.
struct Restricted<'a> {
    inner: &'a mut dyn Backend,
    docs: Vec<DocId>,
}

impl Restricted<'_> {
    /// Asks at once for everything the evaluation of the documents will read — the postings
    /// of every pair, the positions of phrases' words and of single words (for the proximity
    /// bonus) — which the evaluation would ask for a step at a time, a round each.
    fn prefetch(&mut self, plan: &Plan) -> Option<()> {
        let mut complete = true;
        for pair in &plan.pairs {
            complete &= self.postings_and_df(pair.field, &pair.term).is_some();
        }
        let proximity = plan.clauses.iter().filter(|c| c.single_word).count() > 1;
        for clause in &plan.clauses {
            for (units, &phrase) in clause.atoms.iter().zip(&clause.phrases) {
                let fields: &[Field] = match (phrase, clause.single_word && proximity) {
                    (true, _) => &Field::LEMMA_FIELDS,
                    (false, true) => &Field::PROXIMITY_FIELDS,
                    (false, false) => &[],
                };
                let mut lemmas: Vec<&str> = (units.iter())
                    .flat_map(|&u| &plan.units[u].key)
                    .filter(|(field, _)| *field != Field::Exact)
                    .map(|(_, term)| term.as_str())
                    .collect();
                sort_by(&mut lemmas, |a, b| a < b);
                lemmas.dedup();
                for lemma in lemmas {
                    for &field in fields {
                        complete &= self.positions(field, lemma).is_some();
                    }
                }
            }
        }
        complete.then_some(())
    }
}

impl Backend for Restricted<'_> {
    fn num_docs(&self) -> u64 {
        self.inner.num_docs()
    }
    fn total_tokens(&self, field: Field) -> u64 {
        self.inner.total_tokens(field)
    }
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        self.inner.analyze_word(word)
    }
    fn fold(&self, text: &str) -> String {
        self.inner.fold(text)
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        self.postings_and_df(field, term).map(|(_, p)| p)
    }
    fn postings_and_df(&mut self, field: Field, term: &str) -> Option<(u64, Vec<Posting>)> {
        self.inner.doc_postings(field, term, &self.docs)
    }
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        self.inner.doc_positions(field, term, &self.docs)
    }
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        self.inner.expand_prefix(field, prefix, limit)
    }
    fn near_terms(&mut self, _term: &str) -> Option<Vec<String>> {
        Some(Vec::new())
    }
    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        self.inner.facet_docs(facet, value)
    }
    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        self.inner.facet_values(facet)
    }
    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        self.inner.doc_dates()
    }
}
