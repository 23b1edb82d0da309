//! Search per language (issue #24, point 3) over the `translations` fixture (a Polish report
//! with a Ukrainian and an English translation, an untranslated Polish report): each document
//! is analysed in its language (Ukrainian and English by their Snowball stems, Polish by the
//! dictionary), a search in one language returns that language's documents only and counts
//! the matches in the others, a Polish-only site is searched as before, and the browser's
//! engine (a session over the static shards) answers exactly as `jawnik search --language`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common;
use jawnik::search::{run, SearchRequest, SearchResponse};
use jawnik_engine::LanguageOutcome;
use jawnik_web::{Answer, Request};

const UK_PAGE: &str = "uk/raporty/spotkanie-antydyskryminacja-2018-06-15/";
const EN_PAGE: &str = "en/raporty/spotkanie-antydyskryminacja-2018-06-15/";
const PL_PAGE: &str = "raporty/spotkanie-antydyskryminacja-2018-06-15/";

/// The fixture built once per test: (output folder, index folder).
fn built(name: &str) -> (PathBuf, PathBuf) {
    let out = common::temp_dir(name).join("public");
    common::build(&common::fixture("translations"), &out, None).expect("the fixture builds");
    let index = out.with_file_name("public-index");
    (out, index)
}

fn search(index: &Path, language: &str, query: &str) -> SearchResponse {
    let mut backend = jawnik::index::TantivyBackend::open(index).unwrap();
    run(
        &mut backend,
        &SearchRequest {
            query: query.to_string(),
            limit: 50,
            language: Some(language.to_string()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn paths(r: &SearchResponse) -> Vec<&str> {
    r.results.iter().map(|x| x.path.as_str()).collect()
}

#[test]
fn each_language_is_analysed_by_its_own_rules() {
    let (_out, index) = built("languages-analysis");
    // Ukrainian inflected forms (genitive and nominative plural, genitive and nominative
    // singular) find each other by their stem.
    for (a, b) in [
        ("мігрантів", "мігранти"),
        ("політики", "політика"),
        ("співпраці", "співпраця"),
    ] {
        let (ra, rb) = (search(&index, "uk", a), search(&index, "uk", b));
        assert_eq!(paths(&ra), [UK_PAGE], "{a}");
        assert_eq!(paths(&rb), [UK_PAGE], "{b}");
        // The snippet marks the document's form whichever form was typed.
        let marked = |r: &SearchResponse| -> Vec<String> {
            r.results[0]
                .snippet
                .iter()
                .filter(|p| p.is_match)
                .map(|p| p.text.clone())
                .collect()
        };
        assert!(
            !marked(&ra).is_empty() && marked(&ra) == marked(&rb),
            "{a} / {b}"
        );
    }
    // English: Snowball stems (policies → polici ← policy; resident(s); programme(s)).
    for (a, b) in [
        ("policies", "policy"),
        ("residents", "resident"),
        ("programme", "programmes"),
    ] {
        assert_eq!(paths(&search(&index, "en", a)), [EN_PAGE], "{a}");
        assert_eq!(paths(&search(&index, "en", b)), [EN_PAGE], "{b}");
    }
    // Polish stays the dictionary's: an inflected form finds the Polish page.
    assert_eq!(paths(&search(&index, "pl", "migrantów")), [PL_PAGE]);
    assert_eq!(paths(&search(&index, "pl", "migranci")), [PL_PAGE]);
    // A Ukrainian word is not a Polish or English one: nothing found in those languages.
    assert_eq!(search(&index, "pl", "мігрантів").total, 0);
    assert_eq!(search(&index, "en", "мігрантів").total, 0);
}

#[test]
fn a_search_returns_its_language_and_counts_the_others() {
    let (_out, index) = built("languages-counts");
    let counts = |r: &SearchResponse| -> Vec<(String, usize)> {
        r.other_languages
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    };
    // A name written alike everywhere: the Ukrainian page, and both Polish reports and the
    // English translation counted.
    let uk = search(&index, "uk", "Chromniak");
    assert_eq!(uk.language, "uk");
    assert_eq!(paths(&uk), [UK_PAGE]);
    assert_eq!(counts(&uk), [("en".into(), 1), ("pl".into(), 2)]);
    assert!(uk.results.iter().all(|r| r.language == "uk"));
    let pl = search(&index, "pl", "Chromniak");
    assert_eq!(pl.total, 2);
    assert!(pl.results.iter().all(|r| r.language == "pl"));
    assert_eq!(counts(&pl), [("en".into(), 1), ("uk".into(), 1)]);
    // A word of one language only: found there, counted from the others.
    let en = search(&index, "uk", "discrimination");
    assert_eq!(en.total, 0);
    assert_eq!(counts(&en), [("en".into(), 1), ("pl".into(), 0)]);
    // The text output says it too.
    let text = jawnik::search::format_text(&uk, "https://example.org/", false);
    assert!(
        text.contains("3 wyniki w innych językach (en: 1, pl: 2"),
        "{text}"
    );
    // JSON: the additive fields.
    let json = serde_json::to_value(&uk).unwrap();
    assert_eq!(json["language"], "uk");
    assert_eq!(json["other_languages"]["pl"], 2);
    assert_eq!(json["results"][0]["language"], "uk");
}

#[test]
fn a_polish_site_is_searched_in_polish_and_ships_the_polish_module() {
    let out = common::temp_dir("languages-polish").join("public");
    common::build(&common::fixture("site-ok"), &out, None).expect("builds");
    let index = out.with_file_name("public-index");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("search/meta.json")).unwrap()).unwrap();
    let polish = jawnik::export::runtime_file_names(jawnik::export::Runtime::Polish);
    assert_eq!(meta["wasm"], polish.0.as_str());
    let r = search(&index, "uk", "konsultacje");
    // One language only: every document searched in it, whatever was asked.
    assert_eq!(r.language, "pl");
    assert!(r.other_languages.is_empty());
    assert_eq!(r.total, search(&index, "pl", "konsultacje").total);
    // The translated fixture ships the multi-language module.
    let (tr, _) = built("languages-multi");
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tr.join("search/meta.json")).unwrap()).unwrap();
    let multi = jawnik::export::runtime_file_names(jawnik::export::Runtime::Multi);
    assert_eq!(meta["wasm"], multi.0.as_str());
    assert_ne!(polish, multi);
}

#[test]
fn the_shards_answer_as_the_cli_in_every_language() {
    let (out, index) = built("languages-parity");
    let search_dir = out.join("search");
    let mut session = crate::shards::session(&search_dir);
    let queries = [
        "Chromniak",
        "BIP",
        "мігрантів",
        "міграційної політики",
        "Кракова мешканців",
        "migrants",
        "migration policy",
        "discrimination",
        "migrantów",
        "polityki migracyjnej",
        "Krakowa",
        "konsultacje",
        "програм*",
        "polic*",
    ];
    let mut with_others = 0;
    for language in ["pl", "uk", "en"] {
        for q in queries {
            let cli = search(&index, language, q);
            let request = Request::parse(&format!("q={q}\nlimit=50\nlang={language}")).unwrap();
            let (answer, _) = crate::shards::run_loaded(&mut session, &search_dir, &request);
            let Answer::Ok {
                outcome:
                    LanguageOutcome {
                        language: searched,
                        outcome,
                        other_languages,
                    },
                results,
            } = answer
            else {
                panic!("{language} {q}: {answer:?}")
            };
            assert_eq!(searched.tag(), cli.language, "{language} {q}");
            assert_eq!(outcome.hits.len(), cli.total, "{language} {q}");
            let shown: Vec<String> = results.iter().map(|r| r.record.url.clone()).collect();
            let expected: Vec<String> =
                cli.results.iter().map(|r| format!("/{}", r.path)).collect();
            assert_eq!(shown, expected, "{language} {q}");
            for (r, c) in outcome.hits.iter().zip(&cli.results) {
                assert_eq!(r.score, c.score, "{language} {q}: scores to the bit");
            }
            let others: BTreeMap<String, usize> = other_languages.into_iter().collect();
            assert_eq!(others, cli.other_languages, "{language} {q}");
            if others.values().any(|&n| n > 0) {
                with_others += 1;
            }
        }
    }
    assert!(
        with_others >= 20,
        "only {with_others} searches count other languages"
    );
}

#[test]
fn narrowing_by_language_needs_no_facet_table() {
    let (out, _) = built("languages-no-facets");
    let search_dir = out.join("search");
    for (language, q) in [("uk", "мігрантів"), ("en", "migrants"), ("pl", "Chromniak")] {
        let mut session = crate::shards::session(&search_dir);
        let request =
            Request::parse(&format!("q={q}\nlang={language}\nfacets=0\nlimit=10")).unwrap();
        let mut fetched = Vec::new();
        let answer = loop {
            match session.run(&request) {
                Answer::Need(files) => {
                    for f in files {
                        let bytes = std::fs::read(search_dir.join(&f)).unwrap();
                        session.load(&f, &bytes).unwrap();
                        fetched.push(f);
                    }
                }
                answer => break answer,
            }
        };
        assert!(matches!(answer, Answer::Ok { ref results, .. } if !results.is_empty()));
        assert!(
            fetched.iter().all(|f| !f.starts_with("f-")),
            "{language} {q}: {fetched:?}"
        );
    }
}
