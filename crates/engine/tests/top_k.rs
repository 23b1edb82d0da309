//! The early-terminating top-k search ([`jawnik_engine::top`]) against the exhaustive one, on
//! a generated site of 600 documents whose postings are cut into tiers of heads: for
//! every query of a generated set (common and rare words, inflected forms, `OR`, exclusions,
//! phrases, prefixes, filters), the first k results must be the exhaustive search's, to the
//! bit, whether the search stopped early or fell back; and it must stop early, reading part of
//! the tails only, for queries of common words. The backend loads what is asked lazily, as
//! the browser does: a run answers `None` until the data it asked for is there.

use std::collections::{BTreeMap, BTreeSet};

use jawnik_engine::bm25::{fieldnorm_to_id, Bm25Weight};
use jawnik_engine::top::{head_len, split_unit};
use jawnik_engine::{
    parse, search_top, search_with, Backend, DocId, Field, Filters, Outcome, Posting, PostingsHead,
    SortOrder, WordTerms,
};

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A word number, Zipf-like: small numbers are common.
    fn word(&mut self, vocabulary: usize) -> usize {
        let x = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((vocabulary as f64).powf(x) - 1.0) as usize
    }
}

const VOCABULARY: usize = 300;
const DOCS: usize = 600;
/// Tiers of heads cut ([`head_len`]: 16, 256, then every document of this site).
const TIERS: usize = 3;

/// Word `i` in one of its forms: `slowo<i>`, `slowo<i>ach`, `slowo<i>y` (one lemma); `i` and
/// `w` are stop words.
fn form(i: usize, variant: usize) -> String {
    match (i, variant % 3) {
        (0, _) => "i".into(),
        (1, _) => "w".into(),
        (_, 0) => format!("slowo{i}"),
        (_, 1) => format!("slowo{i}ach"),
        _ => format!("slowo{i}y"),
    }
}

fn lemma(word: &str) -> Vec<String> {
    if word == "i" || word == "w" {
        return Vec::new();
    }
    let stem = word.trim_end_matches("ach").trim_end_matches('y');
    vec![stem.to_string()]
}

#[derive(Default)]
struct Mem {
    /// (field, term) → doc → positions
    postings: BTreeMap<(Field, String), BTreeMap<DocId, Vec<u32>>>,
    lengths: BTreeMap<(Field, DocId), u32>,
    facets: BTreeMap<(String, String), Vec<DocId>>,
    num_docs: u64,
    /// Heads made once, as an exporter would: (head, tail) per tier and pair.
    cut: BTreeMap<(usize, Field, String), (PostingsHead, Vec<Posting>)>,
    /// What the lazy side has loaded: heads, and the tail documents of each pair.
    loaded_heads: BTreeSet<(usize, Field, String)>,
    loaded_tails: BTreeSet<(Field, String, DocId)>,
    /// Asked for in the current run and not loaded.
    wanted_heads: BTreeSet<(usize, Field, String)>,
    wanted_tails: BTreeSet<(Field, String, DocId)>,
    /// Whether to answer heads (false: every posting is the head, the exhaustive reference).
    with_heads: bool,
}

impl Mem {
    fn generate(seed: u64) -> Mem {
        let mut rng = Rng(seed);
        let mut m = Mem {
            num_docs: DOCS as u64,
            ..Mem::default()
        };
        for doc in 0..DOCS as DocId {
            let title_len = 2 + rng.below(6);
            let body_len = 10 + rng.below(150);
            let title: Vec<String> = (0..title_len)
                .map(|_| form(rng.word(VOCABULARY), rng.below(3)))
                .collect();
            let body: Vec<String> = (0..body_len)
                .map(|_| form(rng.word(VOCABULARY), rng.below(3)))
                .collect();
            for (field, words) in [(Field::Title, &title), (Field::Body, &body)] {
                for (pos, w) in words.iter().enumerate() {
                    for l in lemma(w) {
                        m.add_posting(field, l, doc, pos as u32);
                    }
                    m.add_posting(Field::Exact, w.clone(), doc, pos as u32);
                }
                m.lengths.insert((field, doc), words.len() as u32);
                *m.lengths.entry((Field::Exact, doc)).or_default() += words.len() as u32;
            }
            let kind = ["raport", "program", "strategia"][rng.below(3)];
            (m.facets.entry(("kind".into(), kind.into())))
                .or_default()
                .push(doc);
        }
        // Cut as an exporter would: per lemma over its fields, per form in `exact`.
        let mut units: BTreeMap<(bool, String), Vec<Field>> = BTreeMap::new();
        for (field, term) in m.postings.keys() {
            let unit = units.entry((*field == Field::Exact, term.clone()));
            unit.or_default().push(*field);
        }
        for ((_, term), fields) in units {
            let lists: Vec<(Bm25Weight, Vec<Posting>)> = (fields.iter())
                .map(|&field| {
                    let full = m.full_postings(field, &term);
                    let weight = Bm25Weight::new(
                        full.len() as u64,
                        m.num_docs,
                        m.total_tokens(field),
                        field.weight(),
                    );
                    (weight, full)
                })
                .collect();
            for tier in 0..TIERS {
                let cuts = split_unit(lists.clone(), head_len(tier));
                for (&field, cut) in fields.iter().zip(cuts) {
                    m.cut.insert((tier, field, term.clone()), cut);
                }
            }
        }
        m
    }

    fn add_posting(&mut self, field: Field, term: String, doc: DocId, pos: u32) {
        (self.postings.entry((field, term)).or_default())
            .entry(doc)
            .or_default()
            .push(pos);
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

    /// How many postings outside the first heads a query's pairs have, and how many of them
    /// the lazy side loaded (tail postings, and heads of deeper tiers).
    fn read_past_first_heads(&self, pairs: &[(Field, String)]) -> (usize, usize) {
        let (mut all, mut read) = (0, 0);
        for (field, term) in pairs {
            let Some((head, tail)) = self.cut.get(&(0, *field, term.clone())) else {
                continue;
            };
            all += tail.len();
            let loaded = |d: DocId| {
                self.loaded_tails.contains(&(*field, term.clone(), d))
                    || (1..TIERS).any(|t| {
                        let key = (t, *field, term.clone());
                        self.loaded_heads.contains(&key)
                            && self.cut[&key].0.head.iter().any(|p| p.doc == d)
                    })
            };
            read += tail.iter().filter(|p| loaded(p.doc)).count();
            let _ = head;
        }
        (all, read)
    }
}

impl Backend for Mem {
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
            lemmas: lemma(word),
        })
    }
    fn fold(&self, text: &str) -> String {
        text.to_string()
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        if self.with_heads {
            // The whole list: the first head and the whole tail, loaded as one.
            let head = self.postings_head(field, term, 0)?;
            let full = self.full_postings(field, term);
            let tail: Vec<DocId> = (full.iter().map(|p| p.doc))
                .filter(|d| head.head.binary_search_by_key(d, |p| p.doc).is_err())
                .collect();
            self.tail_postings(field, term, &tail)?;
            return Some(full);
        }
        Some(self.full_postings(field, term))
    }
    fn postings_head(&mut self, field: Field, term: &str, tier: usize) -> Option<PostingsHead> {
        if !self.with_heads {
            let head = self.full_postings(field, term);
            return Some(PostingsHead {
                head,
                ..PostingsHead::default()
            });
        }
        let key = (tier.min(TIERS - 1), field, term.to_string());
        if !self.loaded_heads.contains(&key) {
            self.wanted_heads.insert(key);
            return None;
        }
        Some(self.cut.get(&key).map(|c| c.0.clone()).unwrap_or_default())
    }
    fn tail_postings(&mut self, field: Field, term: &str, docs: &[DocId]) -> Option<Vec<Posting>> {
        let mut complete = true;
        for &d in docs {
            let key = (field, term.to_string(), d);
            if self.with_heads && !self.loaded_tails.contains(&key) {
                self.wanted_tails.insert(key);
                complete = false;
            }
        }
        if !complete {
            return None;
        }
        let full = self.full_postings(field, term);
        Some(full.into_iter().filter(|p| docs.contains(&p.doc)).collect())
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
                .filter(|(d, _)| docs.contains(d))
                .map(|(d, p)| (*d, p.clone()))
                .collect(),
        )
    }
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let mut terms: Vec<(usize, String)> = (self.postings.iter())
            .filter(|((f, t), _)| *f == field && t.starts_with(prefix))
            .map(|((_, t), docs)| (docs.len(), t.clone()))
            .collect();
        terms.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Some(terms.into_iter().take(limit).map(|(_, t)| t).collect())
    }
    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        Some(
            (self.postings.keys())
                .filter(|(f, c)| *f == Field::Exact && jawnik_engine::typo::one_edit_apart(term, c))
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

/// Runs the top-k search as the browser does: until it answers, loading what it asked for.
/// Returns the outcome and the number of rounds of loading.
fn top_lazily(m: &mut Mem, q: &str, filters: &Filters, k: usize) -> (Outcome, usize) {
    let query = parse(q).unwrap();
    m.with_heads = true;
    for rounds in 0..50 {
        if let Some(outcome) = search_top(m, &query, filters, k) {
            return (outcome, rounds);
        }
        assert!(
            !m.wanted_heads.is_empty() || !m.wanted_tails.is_empty(),
            "{q}: no answer and nothing asked for"
        );
        m.loaded_heads.append(&mut m.wanted_heads);
        m.loaded_tails.append(&mut m.wanted_tails);
    }
    panic!("{q}: no answer after 50 rounds");
}

fn exhaustive(m: &mut Mem, q: &str, filters: &Filters) -> Outcome {
    m.with_heads = false;
    let query = parse(q).unwrap();
    search_with(m, &query, filters, SortOrder::Relevance, false).unwrap()
}

/// (document, score bits, clauses missed) of the first `k` hits.
fn first(outcome: &Outcome, k: usize) -> Vec<(DocId, u32, u32)> {
    (outcome.hits.iter().take(k))
        .map(|h| (h.doc, h.score.to_bits(), h.missing))
        .collect()
}

/// Queries of the kinds people type, over the generated vocabulary.
fn queries(rng: &mut Rng) -> Vec<String> {
    let mut qs = Vec::new();
    let common = |rng: &mut Rng| form(2 + rng.below(8), rng.below(3));
    let any = |rng: &mut Rng| form(2 + rng.word(VOCABULARY - 2), rng.below(3));
    for _ in 0..15 {
        qs.push(format!("{} {}", common(rng), common(rng)));
        qs.push(format!("{} {} {}", common(rng), any(rng), common(rng)));
        qs.push(common(rng));
        qs.push(format!("{} {}", any(rng), any(rng)));
    }
    for _ in 0..8 {
        qs.push(format!("\"{} {}\"", common(rng), common(rng)));
        qs.push(format!("{} OR {} {}", any(rng), common(rng), common(rng)));
        qs.push(format!("{} {} -{}", common(rng), common(rng), common(rng)));
        qs.push(format!("{} slowo{}*", common(rng), 2 + rng.below(8)));
        qs.push(format!("{} i {}", common(rng), common(rng)));
        qs.push(format!("{} slowo{}", common(rng), 2 + rng.below(8)));
    }
    qs.push("slowo3 zzzzzz".into());
    qs.push("slowo3 slowo3yy".into());
    qs
}

#[test]
fn the_first_k_results_are_the_exhaustive_ones() {
    let mut m = Mem::generate(7);
    let mut rng = Rng(11);
    let (mut early, mut total) = (0, 0);
    for q in queries(&mut rng) {
        for (k, filters) in [
            (10, Filters::default()),
            (3, Filters::default()),
            (10, {
                let mut f = Filters::default();
                f.add("kind", "raport");
                f
            }),
        ] {
            m.loaded_heads.clear();
            m.loaded_tails.clear();
            let reference = exhaustive(&mut m, &q, &filters);
            let (top, _) = top_lazily(&mut m, &q, &filters, k);
            total += 1;
            assert_eq!(first(&top, k), first(&reference, k), "{q} (k = {k})");
            assert_eq!(top.clauses, reference.clauses, "{q}");
            assert_eq!(top.highlight, reference.highlight, "{q}");
            assert_eq!(top.corrections, reference.corrections, "{q}");
            assert_eq!(top.not_found, reference.not_found, "{q}");
            match top.estimated_total {
                Some(estimate) => {
                    early += 1;
                    assert_eq!(top.hits.len(), k, "{q}");
                    assert!(
                        estimate as usize >= top.all_words && top.all_words >= k,
                        "{q}"
                    );
                }
                None => assert_eq!(top, reference, "{q}: a fallback is the exhaustive answer"),
            }
        }
    }
    // Most queries of this site (common words) stop early.
    eprintln!("{early} of {total} stopped early");
    assert!(early * 2 > total, "{early} of {total} stopped early");
}

#[test]
fn common_words_read_part_of_the_tails_only() {
    let mut m = Mem::generate(3);
    let (mut read_sum, mut all_sum) = (0, 0);
    for q in ["slowo2 slowo3", "slowo4ach slowo2y", "slowo5 slowo6 slowo2"] {
        m.loaded_heads.clear();
        m.loaded_tails.clear();
        let reference = exhaustive(&mut m, q, &Filters::default());
        let (top, rounds) = top_lazily(&mut m, q, &Filters::default(), 10);
        assert!(top.estimated_total.is_some(), "{q}: did not stop early");
        assert_eq!(first(&top, 10), first(&reference, 10), "{q}");
        assert!(rounds <= 6, "{q}: {rounds} rounds");
        // The query's own pairs: what reading them whole would have cost.
        let pairs: Vec<(Field, String)> = (q.split(' '))
            .flat_map(|w| {
                let lemmas = lemma(w);
                (lemmas.into_iter())
                    .flat_map(|l| [(Field::Title, l.clone()), (Field::Body, l)])
                    .chain([(Field::Exact, w.to_string())])
            })
            .collect();
        let (all, read) = m.read_past_first_heads(&pairs);
        read_sum += read;
        all_sum += all;
    }
    // On 600 documents the second tier's heads (256) are much of a common word's postings:
    // the savings grow with the site (`crates/web/examples/cut_postings.rs` measures them on
    // built sites: a median of 6.8 % of the postings at 50,000 documents).
    eprintln!("read {read_sum} of the {all_sum} postings past the first heads");
    assert!(
        read_sum * 4 < all_sum * 3,
        "read {read_sum} of the {all_sum} postings past the first heads"
    );
}
