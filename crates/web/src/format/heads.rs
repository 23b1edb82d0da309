//! Word heads, the part of a term chunk after its lexicon part (issue #21): for each form of
//! the chunk's lexicon range whose word is in many documents, the word's first head of
//! `jawnik_engine::top` — every posting, in each of the word's (field, term) pairs, of the
//! [`jawnik_engine::top::head_len`]`(0)` documents scoring highest on the word — with each
//! pair's document frequency and the bound of every other document's score. A first query of
//! such a word stops on it: the chunk that analyses the word also ranks its first page, and
//! the word's whole postings (a common word's single chunk, hundreds of kilobytes at 50,000
//! documents) are not fetched.
//!
//! The heads are valid for the statistics of the build that made them: an export patched by
//! `jawnik serve` drops them (an empty part), and the search reads whole postings again.

use crate::prelude::*;
use jawnik_engine::{DocId, Field, Posting, PostingsHead};

use super::terms::{encode_term_entry, read_term_entry, FieldPostings};
use crate::codec::{put_str, put_varint, Corrupt, Reader};

/// One pair of a word's head.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadPair {
    /// The pair's document frequency in the whole index.
    pub doc_freq: u64,
    /// The pair's postings of the head's documents, by strictly ascending document (its field
    /// is the pair's; the body and attachments with sections, as in term entries).
    pub postings: FieldPostings,
    /// The pair's term.
    pub term: String,
}

/// One word's first head.
#[derive(Clone, Debug, PartialEq)]
pub struct WordHead {
    /// The word's form (folded): the term of its `exact` pair, by which a query finds it.
    pub form: String,
    /// Every pair of the word, in the engine's order (`jawnik_engine::eval::word_pairs`).
    pub pairs: Vec<HeadPair>,
    /// No document outside the head scores more on the word.
    pub tail_bound: f32,
}

impl HeadPair {
    /// The head's postings as the engine takes them.
    pub fn engine_postings(&self) -> Vec<Posting> {
        let f = &self.postings;
        (f.docs.iter().zip(&f.tfs).zip(&f.norms))
            .map(|((&doc, &term_freq), &fieldnorm_id)| Posting {
                doc,
                term_freq,
                fieldnorm_id,
            })
            .collect()
    }
}

impl WordHead {
    /// The word's (field, term) pairs.
    pub fn pair_keys(&self) -> impl Iterator<Item = (Field, &str)> {
        (self.pairs.iter()).map(|p| (p.postings.field, p.term.as_str()))
    }

    /// Its pair (field, term), if it has it.
    pub fn pair(&self, field: Field, term: &str) -> Option<&HeadPair> {
        (self.pairs.iter()).find(|p| p.postings.field == field && p.term == term)
    }

    /// Whether `doc` is one of the head's documents.
    pub fn holds(&self, doc: DocId) -> bool {
        (self.pairs.iter()).any(|p| p.postings.docs.binary_search(&doc).is_ok())
    }

    /// The heads as the engine takes them ([`jawnik_engine::Backend::word_heads`]).
    pub fn engine_heads(&self) -> Vec<PostingsHead> {
        (self.pairs.iter())
            .map(|p| PostingsHead {
                tail_len: p.doc_freq - p.postings.docs.len() as u64,
                head: p.engine_postings(),
                tail_bound: self.tail_bound,
            })
            .collect()
    }
}

/// Encodes the heads of a term chunk (sorted by form).
pub fn encode_heads(heads: &[WordHead]) -> Vec<u8> {
    let mut out = Vec::new();
    if heads.is_empty() {
        return out;
    }
    put_varint(&mut out, heads.len() as u64);
    for head in heads {
        put_str(&mut out, &head.form);
        out.extend_from_slice(&head.tail_bound.to_bits().to_le_bytes());
        put_varint(&mut out, head.pairs.len() as u64);
        for pair in &head.pairs {
            put_varint(&mut out, pair.doc_freq);
            encode_term_entry(&mut out, &pair.term, core::slice::from_ref(&pair.postings));
        }
    }
    out
}

/// Decodes the heads part of a term chunk (empty: none) of an index of `num_docs` documents.
pub fn decode_heads(bytes: &[u8], num_docs: u64) -> Result<Vec<WordHead>, Corrupt> {
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let mut r = Reader::new(bytes);
    let n = r.count()?;
    let mut heads: Vec<WordHead> = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let form = r.str()?.to_string();
        let bits = u32::from_le_bytes(r.bytes(4)?.try_into().unwrap_or_default());
        let tail_bound = f32::from_bits(bits);
        if !tail_bound.is_finite() || tail_bound < 0.0 {
            return Err(Corrupt("a head's bound is not a score"));
        }
        let count = r.count()?;
        let mut pairs = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            let doc_freq = r.varint()?;
            let (term, mut fields) = read_term_entry(&mut r, num_docs).map_err(|e| match e {
                super::ShardError::Corrupt(c) => c,
                _ => Corrupt("a head's postings"),
            })?;
            let postings = fields
                .pop()
                .ok_or(Corrupt("a head pair without postings"))?;
            let n = postings.docs.len();
            if !fields.is_empty()
                || postings.docs.windows(2).any(|w| w[0] >= w[1])
                || postings.tfs.len() != n
                || postings.norms.len() != n
                || doc_freq < n as u64
                || doc_freq > num_docs
            {
                return Err(Corrupt("a head pair of the wrong shape"));
            }
            pairs.push(HeadPair {
                doc_freq,
                postings,
                term: term.to_string(),
            });
        }
        if heads.last().is_some_and(|last| last.form >= form) {
            return Err(Corrupt("heads out of order"));
        }
        heads.push(WordHead {
            form,
            pairs,
            tail_bound,
        });
    }
    if !r.at_end() {
        return Err(Corrupt("trailing bytes"));
    }
    Ok(heads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(form: &str) -> WordHead {
        WordHead {
            form: form.to_string(),
            pairs: vec![
                HeadPair {
                    doc_freq: 40,
                    postings: FieldPostings {
                        field: Field::Body,
                        docs: vec![2, 9],
                        tfs: vec![3, 1],
                        norms: vec![20, 31],
                        positions: Vec::new(),
                        sections: vec![0, 2],
                    },
                    term: "ustawa".to_string(),
                },
                HeadPair {
                    doc_freq: 2,
                    postings: FieldPostings {
                        field: Field::Title,
                        docs: vec![9],
                        tfs: vec![1],
                        norms: vec![4],
                        positions: vec![vec![0]],
                        sections: Vec::new(),
                    },
                    term: "ustawa".to_string(),
                },
            ],
            tail_bound: 1.25,
        }
    }

    #[test]
    fn heads_round_trip_and_refuse_damage() {
        let heads = vec![head("ustawa"), head("ustawy")];
        let bytes = encode_heads(&heads);
        assert_eq!(decode_heads(&bytes, 50).unwrap(), heads);
        assert_eq!(decode_heads(&[], 50).unwrap(), Vec::new());
        assert!(encode_heads(&[]).is_empty());
        // The engine's view: the tail is what the document frequency leaves out.
        let engine = heads[0].engine_heads();
        assert_eq!((engine[0].tail_len, engine[1].tail_len), (38, 1));
        assert_eq!(engine[0].head[1].doc, 9);
        // Documents past the index, a cut file, heads out of order, a bound that is no score.
        assert!(decode_heads(&bytes, 5).is_err());
        for cut in [1, 3, bytes.len() / 2] {
            assert!(decode_heads(&bytes[..bytes.len() - cut], 50).is_err());
        }
        let swapped = encode_heads(&[head("ustawy"), head("ustawa")]);
        assert!(decode_heads(&swapped, 50).is_err());
        let mut nan = head("ustawa");
        nan.tail_bound = f32::NAN;
        assert!(decode_heads(&encode_heads(&[nan]), 50).is_err());
        let mut twice = head("ustawa");
        twice.pairs[0].postings.docs = vec![9, 9];
        assert!(decode_heads(&encode_heads(&[twice]), 50).is_err());
        let mut fewer = head("ustawa");
        fewer.pairs[1].doc_freq = 0;
        assert!(decode_heads(&encode_heads(&[fewer]), 50).is_err());
    }
}
