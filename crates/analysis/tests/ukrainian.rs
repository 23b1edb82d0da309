//! The Ukrainian judged set (`tests/data/uk/`, sources in its `SOURCES.md`): the ways of
//! matching a Ukrainian query word that the analysis could offer, measured on the same queries,
//! and a check that the figures the choice rests on hold: Snowball Ukrainian stems (what the
//! analysis gives) far above folding alone, and the query's stem as a prefix of the documents'
//! stems (what the engine can do with them) the best of all.
//!
//! The table: `cargo test -p jawnik-analysis --test ukrainian -- --nocapture`.
#![cfg(all(feature = "dictionary", feature = "ukrainian"))]

use std::collections::BTreeSet;

use jawnik_analysis::{analyze_query_in, stem_term, DocumentAnalyzer, Language, SiteLexicon};

const UK: Language = Language::Ukrainian;

/// How a query word is matched against a document's words.
#[derive(Clone, Copy, Debug)]
enum Method {
    /// The folded word, exactly (case, `ґ`, apostrophes normalised; no morphology).
    Fold,
    /// A document word starting with the folded query word (a prefix search of what is typed).
    TypedPrefix,
    /// A document word starting with the first `n` letters of the folded query word.
    Truncated(usize),
    /// The Snowball Ukrainian stems, exactly (what the analysis does).
    Snowball,
    /// A document stem starting with the query's stem.
    SnowballPrefix,
    /// Snowball stems of the words with their apostrophes dropped.
    SnowballNoApostrophe,
}

const METHODS: [Method; 8] = [
    Method::Fold,
    Method::TypedPrefix,
    Method::Truncated(4),
    Method::Truncated(5),
    Method::Truncated(6),
    Method::Snowball,
    Method::SnowballPrefix,
    Method::SnowballNoApostrophe,
];

/// One word as the analysis gives it: the folded surface and the stem.
struct Word {
    surface: String,
    stem: String,
}

impl Method {
    fn key(self, w: &Word) -> String {
        match self {
            Method::Fold | Method::TypedPrefix => w.surface.clone(),
            Method::Truncated(n) => w.surface.chars().take(n).collect(),
            Method::Snowball | Method::SnowballPrefix => w.stem.clone(),
            Method::SnowballNoApostrophe => {
                stem_term(UK, &w.surface.replace('\'', "")).expect("a stemmed language")
            }
        }
    }

    fn matches(self, query: &Word, doc: &BTreeSet<String>, doc_words: &[Word]) -> bool {
        let key = self.key(query);
        match self {
            Method::Fold | Method::Snowball | Method::SnowballNoApostrophe => doc.contains(&key),
            Method::TypedPrefix | Method::Truncated(_) => {
                doc_words.iter().any(|w| w.surface.starts_with(&key))
            }
            Method::SnowballPrefix => doc_words.iter().any(|w| w.stem.starts_with(&key)),
        }
    }
}

fn data(name: &str) -> Vec<(String, String)> {
    let path = format!("{}/tests/data/uk/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once('\t').unwrap_or_else(|| panic!("{name}: {l}"));
            (a.to_owned(), b.to_owned())
        })
        .collect()
}

fn words_of(tokens: Vec<jawnik_analysis::Token>) -> Vec<Word> {
    tokens
        .into_iter()
        .map(|t| Word {
            surface: t.surface,
            stem: t.terms.into_iter().next().expect("one stem"),
        })
        .collect()
}

/// Macro-averaged precision, recall, F1 and the number of queries none of whose relevant
/// documents is found.
struct Figures {
    precision: f64,
    recall: f64,
    f1: f64,
    missed: usize,
    fallback: usize,
}

fn measure(method: Method) -> Figures {
    let analyzer = DocumentAnalyzer::for_language(UK);
    let docs: Vec<(String, Vec<Word>)> = data("documents.tsv")
        .into_iter()
        .map(|(id, text)| (id, words_of(analyzer.analyze_text(&text))))
        .collect();
    let keys: Vec<BTreeSet<String>> = docs
        .iter()
        .map(|(_, words)| words.iter().map(|w| method.key(w)).collect())
        .collect();
    let queries = data("queries.tsv");
    let (mut precision, mut recall, mut missed, mut fallback) = (0.0, 0.0, 0, 0);
    for (query, relevant) in &queries {
        let relevant: BTreeSet<&str> = relevant.split_whitespace().collect();
        let words = words_of(analyze_query_in(
            UK,
            query,
            &SiteLexicon::default(),
            &UK.stopwords(),
        ));
        // As the engine does: documents with every word, or else with any.
        let hits = |all: bool| -> BTreeSet<&str> {
            docs.iter()
                .zip(&keys)
                .filter(|((_, dw), k)| {
                    let mut m = words.iter().map(|q| method.matches(q, k, dw));
                    if all {
                        m.all(|x| x)
                    } else {
                        m.any(|x| x)
                    }
                })
                .map(|((id, _), _)| id.as_str())
                .collect()
        };
        let mut found = hits(true);
        if found.is_empty() {
            fallback += 1;
            found = hits(false);
        }
        let good = found.intersection(&relevant).count() as f64;
        if good == 0.0 {
            missed += 1;
        }
        if !found.is_empty() {
            precision += good / found.len() as f64;
        }
        recall += good / relevant.len() as f64;
    }
    let n = queries.len() as f64;
    let (precision, recall) = (precision / n, recall / n);
    Figures {
        precision,
        recall,
        f1: 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE),
        missed,
        fallback,
    }
}

#[test]
fn snowball_stems_measure_best() {
    println!("method                  precision recall    F1  missed  any-word fallback");
    let mut figures = Vec::new();
    for method in METHODS {
        let f = measure(method);
        println!(
            "{:<24}{:>8.3}{:>7.3}{:>7.3}{:>7}{:>10}",
            format!("{method:?}"),
            f.precision,
            f.recall,
            f.f1,
            f.missed,
            f.fallback
        );
        figures.push((format!("{method:?}"), f.f1));
    }
    let f1 = |m: &str| figures.iter().find(|(x, _)| x == m).expect("measured").1;
    let best = figures.iter().map(|(_, f)| *f).fold(0.0, f64::max);
    assert_eq!(
        f1("SnowballPrefix"),
        best,
        "another method beats stem prefixes"
    );
    assert!(f1("Snowball") > f1("Fold") + 0.2);
    assert!(f1("Snowball") > f1("TypedPrefix") + 0.2);
}
