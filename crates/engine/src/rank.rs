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
//! The key ([`order`]), compared in this order:
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

use core::cmp::Ordering;

use crate::backend::DocId;
use crate::bm25::idf;
use crate::eval::Hit;

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
pub fn combine(clauses: &[ClauseMatches]) -> Vec<Hit> {
    let any_required = clauses.iter().any(|c| c.required);
    let mut docs: Vec<DocId> = Vec::new();
    for c in clauses {
        if c.required || !any_required {
            for &(doc, _) in &c.scores {
                docs.push(doc);
            }
        }
    }
    crate::sorted::sort_dedup(&mut docs);
    let mut hits = Vec::new();
    'doc: for doc in docs {
        let mut score = 0.0;
        let mut missing = 0u32;
        for (i, c) in clauses.iter().enumerate() {
            match score_in(&c.scores, doc) {
                Some(s) => score += s,
                None if c.required => continue 'doc,
                None => missing |= 1 << i,
            }
        }
        hits.push(Hit {
            doc,
            score,
            missing,
        });
    }
    hits
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

/// What [`order`] compares for one hit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankKey {
    /// The clauses missed (none: tier 0).
    pub missing: u32,
    /// The date, when sorting by date (days since 1970-01-01).
    pub date: Option<i32>,
    /// [`coverage`].
    pub coverage: f32,
    /// The score.
    pub score: f32,
    /// The document.
    pub doc: DocId,
}

/// The ordering key of the module doc: `Less` when `a` comes first.
pub fn order(a: &RankKey, b: &RankKey) -> Ordering {
    let tier = |k: &RankKey| k.missing != 0;
    tier(a)
        .cmp(&tier(b))
        .then(b.date.cmp(&a.date))
        .then(b.coverage.total_cmp(&a.coverage))
        .then(b.score.total_cmp(&a.score))
        .then(a.doc.cmp(&b.doc))
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

    fn hit(doc: DocId, score: f32, missing: u32) -> Hit {
        Hit {
            doc,
            score,
            missing,
        }
    }

    #[test]
    fn every_clause_first_then_the_rarest_words_then_score() {
        // Clause 0 is common (4 of 10 documents), clause 1 rare (1 of 10), clause 2 in 2.
        let clauses = [
            clause(vec![(1, 1.0), (2, 5.0), (3, 1.0), (4, 1.0)], false),
            clause(vec![(5, 0.5)], false),
            clause(vec![(1, 1.0), (2, 1.0)], false),
        ];
        let candidates = combine(&clauses);
        assert_eq!(
            candidates,
            [
                hit(1, 2.0, 0b010),
                hit(2, 6.0, 0b010),
                hit(3, 1.0, 0b110),
                hit(4, 1.0, 0b110),
                hit(5, 0.5, 0b101)
            ]
        );
        let mut keys: Vec<RankKey> = candidates
            .iter()
            .map(|h| RankKey {
                missing: h.missing,
                date: None,
                coverage: coverage(&clauses, 10, h.missing),
                score: h.score,
                doc: h.doc,
            })
            .collect();
        keys.sort_by(order);
        // No document has all three; the two with the common and the middle word cover more
        // than the one with the rare word alone, which covers more than the common word alone.
        let docs: Vec<DocId> = keys.iter().map(|k| k.doc).collect();
        assert_eq!(docs, [2, 1, 5, 3, 4]);
    }

    #[test]
    fn a_required_clause_bounds_the_candidates() {
        let clauses = [
            clause(vec![(1, 1.0), (3, 1.0)], false),
            clause(vec![(2, 1.0), (3, 1.0)], true),
        ];
        assert_eq!(combine(&clauses), [hit(2, 1.0, 0b01), hit(3, 2.0, 0)]);
        assert!(combine(&[clause(Vec::new(), true)]).is_empty());
    }
}
