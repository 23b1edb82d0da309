//! Every form of a word finds every other: a form analysed as a document word and another form
//! analysed as a query word (against a SiteLexicon built from the document's terms) share a term.
#![cfg(feature = "dictionary")]

use std::collections::BTreeSet;

use jawnik_analysis::{analyze_query_word, Dictionary, DocumentAnalyzer, SiteLexicon};

fn doc_terms(word: &str) -> Vec<String> {
    DocumentAnalyzer::polish()
        .analyze_word(word)
        .map(|(_, t)| t)
        .unwrap_or_default()
}

/// The failures of "doc word `a` is found by query word `b`" over `site`, as messages.
fn check(a: &str, b: &str, site: &SiteLexicon) -> Option<String> {
    let d = doc_terms(a);
    let q = analyze_query_word(b, site).terms;
    if d.iter().any(|t| q.contains(t)) {
        None
    } else {
        Some(format!(
            "document {a:?} {d:?} not found by query {b:?} {q:?}"
        ))
    }
}

fn site_for(words: &[&str]) -> SiteLexicon {
    let lemmas: BTreeSet<String> = words.iter().flat_map(|w| doc_terms(w)).collect();
    SiteLexicon::build(Dictionary::embedded(), &lemmas)
}

const FAMILIES: &[&[&str]] = &[
    &["konsultacje", "konsultacji", "konsultacjach"],
    &["organizacja", "organizacji", "organizacjom"],
    &["miasto", "miasta", "miastem"],
    &["dzielnica", "dzielnicy", "dzielnic"],
    &["mieszkańcy", "mieszkańców"],
    &["Łódź", "Łodzi", "Lodz"],
    &["źródła", "źródło", "zrodla"],
];

#[test]
fn required_families_match_both_ways() {
    let mut failures = Vec::new();
    for family in FAMILIES {
        for &a in *family {
            // A SiteLexicon built from A's lemmas only.
            let site = site_for(&[a]);
            for &b in *family {
                failures.extend(check(a, b, &site));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn queries_without_diacritics() {
    let site = site_for(&["źródła", "mieszkańcy", "Łódź"]);
    for (query, doc) in [
        ("zrodla", "źródła"),
        ("mieszkancow", "mieszkańcy"),
        ("lodz", "Łódź"),
        ("LODZI", "Łódź"),
    ] {
        assert_eq!(check(doc, query, &site), None);
    }
    let sad = site_for(&["sad", "sąd"]);
    let q = analyze_query_word("sad", &sad);
    assert_eq!(q.surface, "sad");
    assert!(q.terms.contains(&"sad".to_owned()));
}

fn seed_pairs() -> Vec<(String, String)> {
    include_str!("data/pairs.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once('\t').expect("two tab-separated forms");
            (a.to_owned(), b.to_owned())
        })
        .collect()
}

#[test]
fn seed_vocabulary_pairs_match_both_ways() {
    let pairs = seed_pairs();
    assert!(pairs.len() >= 60, "{} pairs", pairs.len());
    let words: Vec<&str> = pairs
        .iter()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    let site = site_for(&words);
    let mut failures = Vec::new();
    for (a, b) in &pairs {
        failures.extend(check(a, b, &site));
        failures.extend(check(b, a, &site));
        // The same without diacritics in the query.
        failures.extend(check(a, &jawnik_analysis::fold(&b.to_lowercase()), &site));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
