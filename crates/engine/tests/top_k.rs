//! The early-terminating top-k search ([`jawnik_engine::top`]) against the exhaustive one, on
//! a generated site of 600 documents whose postings are cut into tiers of heads: for
//! every query of a generated set (common and rare words, inflected forms, `OR`, exclusions,
//! phrases, prefixes, filters), the first k results must be the exhaustive search's, to the
//! bit, whether the search stopped early or fell back; and it must stop early, reading part of
//! the tails only, for queries of common words. The backend loads what is asked lazily, as
//! the browser does: a run answers `None` until the data it asked for is there.

use jawnik_engine::memory::{exhaustive, top_lazily, MemoryIndex};
use jawnik_engine::{parse, DocId, Field, Filters, Outcome};

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

/// The generated site, cut at three tiers ([`jawnik_engine::top::head_len`]: 16, 256, then
/// every document of this site).
fn generate(seed: u64) -> MemoryIndex {
    let mut rng = Rng(seed);
    let mut m = MemoryIndex::new(lemma);
    for _ in 0..DOCS {
        let title_len = 2 + rng.below(6);
        let body_len = 10 + rng.below(150);
        let title: Vec<String> = (0..title_len)
            .map(|_| form(rng.word(VOCABULARY), rng.below(3)))
            .collect();
        let body: Vec<String> = (0..body_len)
            .map(|_| form(rng.word(VOCABULARY), rng.below(3)))
            .collect();
        let kind = ["raport", "program", "strategia"][rng.below(3)];
        m.add(&title, &body, kind);
    }
    m.cut(3);
    m
}

fn top(m: &mut MemoryIndex, q: &str, filters: &Filters, k: usize) -> (Outcome, usize) {
    m.unload();
    top_lazily(m, &parse(q).unwrap(), filters, k, 50)
}

fn reference(m: &mut MemoryIndex, q: &str, filters: &Filters) -> Outcome {
    exhaustive(m, &parse(q).unwrap(), filters)
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
    let mut m = generate(7);
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
            let reference = reference(&mut m, &q, &filters);
            let (top, _) = top(&mut m, &q, &filters, k);
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
fn common_words_read_part_of_their_postings_only() {
    let mut m = generate(3);
    let (mut read_sum, mut all_sum) = (0, 0);
    for q in ["slowo2 slowo3", "slowo4ach slowo2y", "slowo5 slowo6 slowo2"] {
        let reference = reference(&mut m, q, &Filters::default());
        let (top, rounds) = top(&mut m, q, &Filters::default(), 10);
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
        let (all, read) = m.postings_read(&pairs);
        read_sum += read;
        all_sum += all;
    }
    // On 600 documents the second tier's heads (256) are much of a common word's postings:
    // the savings grow with the site (`crates/web/examples/cut_postings.rs` measures them on
    // built sites).
    eprintln!("read {read_sum} of the query words' {all_sum} postings");
    assert!(
        read_sum * 4 < all_sum * 3,
        "read {read_sum} of the query words' {all_sum} postings"
    );
}
