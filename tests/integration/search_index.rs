//! The tantivy index and `jawnik search` over a few documents: Polish inflection and missing
//! diacritics find their documents, the query language works, and results are deterministic.

use std::collections::{BTreeMap, BTreeSet};

use jawnik::index::{write_index, IndexDoc, TantivyBackend};
use jawnik::search::{run, SearchRequest};
use jawnik_analysis::DocumentAnalyzer;

fn doc(
    url: &str,
    kind: &str,
    title: &str,
    summary: &str,
    body: &str,
    date: Option<&str>,
) -> IndexDoc {
    IndexDoc {
        url: url.into(),
        kind: kind.into(),
        title: title.into(),
        summary: summary.into(),
        body: body.into(),
        date: date.map(Into::into),
        sectors: if kind == "raport" {
            vec!["kultura".into()]
        } else {
            vec![]
        },
        ..IndexDoc::default()
    }
}

fn corpus() -> Vec<IndexDoc> {
    vec![
        doc("raporty/konsultacje/", "raport", "Raport z konsultacji", "Konsultacje z organizacjami pozarządowymi.", "Odbyło się jedenaście spotkań konsultacyjnych. Mieszkańcy dzielnicy zgłaszali postulaty.", Some("2018-07-04")),
        doc("raporty/nowa-huta/", "raport", "Spotkanie o Nowej Hucie", "Przestrzeń publiczna i rewitalizacja.", "W Łodzi i w Krakowie mówiono o źródłach finansowania. Organizacjom brakuje lokali.", Some("2018-06-07")),
        doc("programy/wpw/", "program", "Wieloletni Program Współpracy", "Program współpracy miasta z organizacjami.", "Miasto wspiera organizacje. Konsultacjach nie poświęcono uwagi.", None),
        doc("strategie/kultura/", "strategia", "Strategia Rozwoju Kultury", "Kultura w mieście.", "Dzielnice i ich mieszkańców dotyczy strategia.", Some("2017-01-01")),
    ]
}

fn open() -> (tempfile::TempDir, TantivyBackend) {
    let dir = tempfile::tempdir().unwrap();
    let analyzer = DocumentAnalyzer::polish();
    write_index(dir.path(), &corpus(), &analyzer).unwrap();
    let backend = TantivyBackend::open(dir.path()).unwrap();
    (dir, backend)
}

fn paths(backend: &mut TantivyBackend, query: &str) -> Vec<String> {
    let request = SearchRequest {
        query: query.into(),
        limit: 10,
        ..Default::default()
    };
    run(backend, &request)
        .unwrap()
        .results
        .into_iter()
        .map(|r| r.path)
        .collect()
}

#[test]
fn inflected_and_diacritic_free_queries_find_their_documents() {
    let (_dir, mut b) = open();
    for (query, expected) in [
        ("konsultacjach", "raporty/konsultacje/"),
        ("konsultacji", "programy/wpw/"),
        ("lodz", "raporty/nowa-huta/"),
        ("Łódź", "raporty/nowa-huta/"),
        ("zrodla", "raporty/nowa-huta/"),
        ("mieszkancow", "raporty/konsultacje/"),
        ("mieszkańcy", "strategie/kultura/"),
        ("dzielnica", "strategie/kultura/"),
        ("organizacji", "programy/wpw/"),
    ] {
        let got = paths(&mut b, query);
        assert!(
            got.contains(&expected.to_string()),
            "{query}: {got:?} lacks {expected}"
        );
    }
}

#[test]
fn title_matches_rank_first_and_exact_form_above_lemma() {
    let (_dir, mut b) = open();
    let got = paths(&mut b, "konsultacje");
    assert_eq!(got[0], "raporty/konsultacje/");
    // Both other documents share only the lemma; "Konsultacjach" is exact for this query.
    let got = paths(&mut b, "konsultacjach");
    assert_eq!(got[0], "raporty/konsultacje/");
}

#[test]
fn query_language_phrases_exclusions_or_prefix_filters() {
    let (_dir, mut b) = open();
    assert_eq!(paths(&mut b, "\"nowej hucie\""), ["raporty/nowa-huta/"]);
    assert!(!paths(&mut b, "organizacje -kultury").contains(&"strategie/kultura/".to_string()));
    let mut got = paths(&mut b, "rewitalizacja OR strategia");
    got.sort();
    assert_eq!(got, ["raporty/nowa-huta/", "strategie/kultura/"]);
    assert!(paths(&mut b, "rewital*").contains(&"raporty/nowa-huta/".to_string()));
    let mut facets = BTreeMap::new();
    facets.insert("kind".to_string(), BTreeSet::from(["program".to_string()]));
    let request = SearchRequest {
        query: "organizacje".into(),
        facets,
        limit: 10,
        ..Default::default()
    };
    let response = run(&mut b, &request).unwrap();
    assert_eq!(response.results.len(), 1);
    assert_eq!(response.results[0].kind, "program");
}

#[test]
fn typos_are_corrected_and_fallback_to_any_word_is_reported() {
    let (_dir, mut b) = open();
    let request = SearchRequest {
        query: "rewitalizacje".into(),
        limit: 10,
        ..Default::default()
    };
    let r = run(&mut b, &request).unwrap();
    assert_eq!(r.results.len(), 1, "{r:?}");
    let request = SearchRequest {
        query: "rewitalizacjq".into(),
        limit: 10,
        ..Default::default()
    };
    let r = run(&mut b, &request).unwrap();
    assert_eq!(r.corrections.len(), 1, "{r:?}");
    // A word being typed (searched with its own prefix, as the page does) is not corrected
    // while its prefix matches; it is when nothing matches.
    let corrections = |b: &mut _, query: &str| {
        let request = SearchRequest {
            query: query.into(),
            limit: 10,
            ..Default::default()
        };
        let r = run(b, &request).unwrap();
        (r.corrections, r.total)
    };
    let (alone, _) = corrections(&mut b, "rewitalizacj");
    assert_eq!(alone.len(), 1, "the unfinished word alone is corrected");
    let (typed, total) = corrections(&mut b, "rewitalizacj OR rewitalizacj*");
    assert_eq!(
        (typed.len(), total),
        (0, 1),
        "corrected while its prefix matches"
    );
    let (typo, total) = corrections(&mut b, "rewitalizacjq OR rewitalizacjq*");
    assert_eq!(
        (typo.len(), total),
        (1, 1),
        "a typo whose prefix matches nothing"
    );
    let request = SearchRequest {
        query: "rewitalizacja strategia".into(),
        limit: 10,
        ..Default::default()
    };
    let r = run(&mut b, &request).unwrap();
    assert!(!r.matched_all_words);
    assert_eq!(r.total, 2);
}

#[test]
fn snippets_highlight_inflected_forms_and_bad_queries_are_errors() {
    let (_dir, mut b) = open();
    let request = SearchRequest {
        query: "lokal".into(),
        limit: 10,
        ..Default::default()
    };
    let r = run(&mut b, &request).unwrap();
    let marked: Vec<&str> = r.results[0]
        .snippet
        .iter()
        .filter(|p| p.is_match)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, ["lokali"]);
    let request = SearchRequest {
        query: "\"niezamknięty".into(),
        limit: 10,
        ..Default::default()
    };
    let err = run(&mut b, &request).unwrap_err().to_string();
    assert!(err.contains("not closed"), "{err}");
}

#[test]
fn same_documents_give_the_same_results() {
    let (_d1, mut a) = open();
    let (_d2, mut b) = open();
    for q in ["organizacje", "miasto", "kultura", "konsul*"] {
        let request = SearchRequest {
            query: q.into(),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(
            run(&mut a, &request).unwrap(),
            run(&mut b, &request).unwrap()
        );
    }
}

#[test]
fn documents_fed_one_by_one_must_come_in_url_order() {
    // `write_index_then` takes documents as an iterator (the site's text is never held at
    // once) and numbers them as they come: out of URL order is refused, and nothing is left.
    let analyzer = DocumentAnalyzer::polish();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let mut docs = corpus();
    docs.sort_by(|a, b| b.url.cmp(&a.url));
    let err = jawnik::index::write_index_then(&index, docs, &analyzer, |_| Ok(())).unwrap_err();
    assert!(
        err.to_string().contains("out of URL order"),
        "unexpected error: {err:#}"
    );
    assert!(!index.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // In order, from an iterator that makes them as it goes: all indexed.
    let mut docs = corpus();
    docs.sort_by(|a, b| a.url.cmp(&b.url));
    let count = docs.len();
    let (stats, ()) =
        jawnik::index::write_index_then(&index, docs.iter().cloned(), &analyzer, |_| Ok(()))
            .unwrap();
    assert_eq!(stats.docs, count);
}
