//! The order of a result list: the documents having every word of the query first, then
//! those matching part of it, the best cover first. The one place where the ordering key is
//! defined, so that an early-terminating evaluation (block-max / WAND, issue #21) can keep
//! exactly this order.
//!
//! A query's positive clauses (a word, `a OR b`, a prefix, a phrase) are *required* — a clause
//! of quoted phrases only: a hard constraint, as `-excluded` clauses are — or *optional*. A
//! clause that matches no document at all (after typo correction) is dropped from the query,
//! and the answer names it ([`crate::Outcome::not_found`]) instead of the whole query turning
//! into "any word"; a required clause matching nothing still empties the list. The candidates
//! are the documents matching every required clause and at least one clause kept.
//!
//! The key ([`before`]), compared in this order:
//! 1. tier: 0 when the document matches every clause kept, else 1 (a partial match, which
//!    names the clauses it misses: [`crate::Hit::missing`]);
//! 2. with [`crate::SortOrder::Date`] only: the date, newest first, undated last;
//! 3. coverage: the sum of the idf of each clause the document matches (BM25's idf of the
//!    number of documents matching the clause), so that a rare word counts more than a common
//!    one — the same for every document of tier 0;
//! 4. the score: BM25 summed over the clauses matched (plus the proximity bonus, in tier 0);
//! 5. the document number.
//!
//! Bounding the partial tier: coverage depends only on which clauses a document matches, so
//! the tier falls into groups, one per set of clauses, ordered by coverage. A top-k
//! evaluation can visit the groups in that order, reading the rarest clauses' postings first,
//! and stop once k documents are ranked: the documents missing only the commonest word come
//! right after tier 0, those holding nothing but the commonest word last. The exhaustive
//! evaluation of today reads every clause's postings anyway (tier 0 needs them all), so the
//! partial tier costs no fetch of its own: it ranks documents the engine already has.

use crate::backend::DocId;
use crate::bm25::idf;
use crate::eval::Hit;
use crate::prelude::*;

/// Scores per document for one clause, by ascending document.
pub type Scores = Vec<(DocId, f32)>;

/// A positive clause evaluated.
pub struct ClauseMatches {
    /// The documents matching it, with their scores (ascending by document).
    pub scores: Scores,
    /// A hard constraint (quoted phrases): documents without it are not candidates.
    pub required: bool,
    /// The lemmas of its word, for the proximity bonus (empty unless a single word).
    pub words: Vec<Vec<String>>,
    /// How it is shown ([`crate::Outcome::clauses`]).
    pub label: String,
}

/// The candidates of the clauses kept (none may be empty unless required; at most 32), by
/// ascending document: each with its score summed in clause order and the clauses it misses
/// ([`Hit::missing`]).
pub fn combine(clauses: &[ClauseMatches], num_docs: u64) -> Vec<Hit> {
    let mut union = Scores::new();
    for c in clauses {
        add_scores(&mut union, c.scores.clone());
    }
    let mut hits = Vec::new();
    'doc: for (doc, score) in union {
        let mut missing = 0u32;
        for (i, c) in clauses.iter().enumerate() {
            if score_in(&c.scores, doc).is_none() {
                if c.required {
                    continue 'doc;
                }
                missing |= 1 << i;
            }
        }
        hits.push(Hit {
            doc,
            score,
            missing,
            coverage: coverage(clauses, num_docs, missing),
        });
    }
    hits
}

/// Adds `items` (by ascending document) into `acc`, each document's in the order given: the
/// same sums, to the bit, as `*map.entry(doc).or_insert(0.0) += s` over a map.
pub fn add_scores(acc: &mut Scores, items: impl IntoIterator<Item = (DocId, f32)>) {
    let old = core::mem::take(acc);
    let mut old = old.into_iter().peekable();
    for (doc, s) in items {
        while let Some(&(d, _)) = old.peek() {
            if d > doc {
                break;
            }
            acc.extend(old.next());
        }
        match acc.last_mut() {
            Some((d, sum)) if *d == doc => *sum += s,
            _ => acc.push((doc, 0.0 + s)),
        }
    }
    acc.extend(old);
}

/// A document's score in a clause's matches.
pub fn score_in(scores: &Scores, doc: DocId) -> Option<f32> {
    scores
        .binary_search_by_key(&doc, |&(d, _)| d)
        .ok()
        .map(|i| scores[i].1)
}

/// The coverage of a document missing the clauses of `missing`: the idf (BM25's, of the
/// number of documents a clause matches) of the clauses it matches, summed in clause order
/// (so equal sets give equal bits).
pub fn coverage(clauses: &[ClauseMatches], num_docs: u64, missing: u32) -> f32 {
    let mut sum = 0.0;
    for (i, c) in clauses.iter().enumerate() {
        if missing & (1 << i) == 0 {
            sum += idf(c.scores.len() as u64, num_docs);
        }
    }
    sum
}

/// Whether `a` comes before `b`: the key of the module doc, compared in its order (`dates`:
/// each document's date, days since 1970-01-01, when sorting by date).
pub fn before(a: &Hit, b: &Hit, dates: Option<&[Option<i32>]>) -> bool {
    let date = |h: &Hit| dates.and_then(|d| d.get(h.doc as usize).copied().flatten());
    (a.missing != 0)
        .cmp(&(b.missing != 0))
        .then(date(b).cmp(&date(a)))
        .then(b.coverage.total_cmp(&a.coverage))
        .then(b.score.total_cmp(&a.score))
        .then(a.doc.cmp(&b.doc))
        .is_lt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(scores: Scores, required: bool) -> ClauseMatches {
        ClauseMatches {
            scores,
            required,
            words: Vec::new(),
            label: String::new(),
        }
    }

    /// (document, score, clauses missed) of each hit.
    fn summary(hits: &[Hit]) -> Vec<(DocId, f32, u32)> {
        hits.iter().map(|h| (h.doc, h.score, h.missing)).collect()
    }

    #[test]
    fn every_clause_first_then_the_rarest_words_then_score() {
        // Clause 0 is common (4 of 10 documents), clause 1 rare (1 of 10), clause 2 in 2.
        let clauses = [
            clause(vec![(1, 1.0), (2, 5.0), (3, 1.0), (4, 1.0)], false),
            clause(vec![(5, 0.5)], false),
            clause(vec![(1, 1.0), (2, 1.0)], false),
        ];
        let mut hits = combine(&clauses, 10);
        assert_eq!(
            summary(&hits),
            [
                (1, 2.0, 0b010),
                (2, 6.0, 0b010),
                (3, 1.0, 0b110),
                (4, 1.0, 0b110),
                (5, 0.5, 0b101)
            ]
        );
        crate::sorted::sort_by(&mut hits, |a, b| before(a, b, None));
        // No document has all three; the two with the common and the middle word cover more
        // than the one with the rare word alone, which covers more than the common word alone.
        let docs: Vec<DocId> = hits.iter().map(|h| h.doc).collect();
        assert_eq!(docs, [2, 1, 5, 3, 4]);
    }

    #[test]
    fn a_required_clause_bounds_the_candidates() {
        let clauses = [
            clause(vec![(1, 1.0), (3, 1.0)], false),
            clause(vec![(2, 1.0), (3, 1.0)], true),
        ];
        assert_eq!(
            summary(&combine(&clauses, 10)),
            [(2, 1.0, 0b01), (3, 2.0, 0)]
        );
        assert!(combine(&[clause(Vec::new(), true)], 10).is_empty());
    }
}
