//! Search knows versions, over the `versions` fixture (two chains, 1994 → 1997): `jawnik
//! search` (tantivy) with `--versions latest` (the default) finds no earlier version, with
//! `--versions all` finds them marked archival; and the browser's engine (a session over the
//! static shards, as the page runs it) with the page's default filter (`version:latest`) or
//! without it gives the same results in the same order with the same archival marks, and the
//! same `version` facet counts. A document outside any chain is `latest`.

use crate::common;
use jawnik_engine::LanguageOutcome;

use jawnik::search::{run, SearchRequest, Versions};
use jawnik_web::{Answer, Request};

const QUERIES: &[&str] = &[
    "zamówienia publiczne",
    "roboty budowlane",
    "prawo budowlane",
    "urząd zamówień publicznych",
    "zamawiający",
    "prezes urzędu",
    "środki publiczne",
    "postulat",
];

#[test]
fn the_cli_and_the_shards_show_the_same_versions() {
    let out = common::temp_dir("versions-search").join("public");
    common::build(&common::fixture("versions"), &out, None).expect("builds");
    let index = out.with_file_name("public-index");
    let search_dir = out.join("search");
    let mut tantivy = jawnik::index::TantivyBackend::open(&index).unwrap();
    let mut session = crate::shards::session(&search_dir);
    let (mut archival_seen, mut more_with_all) = (0, 0);
    for q in QUERIES {
        let mut totals = Vec::new();
        for versions in [Versions::Latest, Versions::All] {
            let cli = run(
                &mut tantivy,
                &SearchRequest {
                    query: q.to_string(),
                    limit: 50,
                    versions,
                    ..Default::default()
                },
            )
            .unwrap();
            // The page's request: `filter=version:latest` unless archival versions are asked for.
            let mut text = format!("q={q}\nlimit=50");
            if versions == Versions::Latest {
                text.push_str("\nfilter=version:latest");
            }
            let request = Request::parse(&text).unwrap();
            let (answer, _) = crate::shards::run_loaded(&mut session, &search_dir, &request);
            let Answer::Ok {
                outcome: LanguageOutcome { outcome, .. },
                results,
            } = answer
            else {
                panic!("{q}: {answer:?}")
            };
            let from_cli: Vec<(String, bool)> = cli
                .results
                .iter()
                .map(|r| (format!("/{}", r.path), r.archival))
                .collect();
            let from_shards: Vec<(String, bool)> = results
                .iter()
                .map(|r| (r.record.url.clone(), r.record.archival))
                .collect();
            assert_eq!(from_shards, from_cli, "{q} ({versions:?})");
            let counts = |c: &Vec<(String, Vec<(String, usize)>)>| {
                c.iter()
                    .find(|(f, _)| f == "version")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let cli_counts: Vec<(String, usize)> = cli
                .facets
                .get("version")
                .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
                .unwrap_or_default();
            assert_eq!(
                counts(&outcome.facet_counts),
                cli_counts,
                "{q} ({versions:?})"
            );
            for (path, archival) in &from_cli {
                // The fixture's earlier versions are its 1994 texts.
                assert_eq!(*archival, path.contains("-1994/"), "{q}: {path}");
                if versions == Versions::Latest {
                    assert!(!archival, "{q}: {path} shown without --versions all");
                }
            }
            archival_seen += from_cli.iter().filter(|(_, a)| *a).count();
            totals.push(cli.total);
        }
        if totals[1] > totals[0] {
            more_with_all += 1;
        }
    }
    assert!(archival_seen >= 4, "only {archival_seen} archival results");
    assert!(
        more_with_all >= 4,
        "only {more_with_all} queries find more with --versions all"
    );
}

#[test]
fn the_cli_marks_archival_versions_in_text_and_json() {
    let out = common::temp_dir("versions-search-cli").join("public");
    common::build(&common::fixture("versions"), &out, None).expect("builds");
    let mut tantivy =
        jawnik::index::TantivyBackend::open(&out.with_file_name("public-index")).unwrap();
    let all = run(
        &mut tantivy,
        &SearchRequest {
            query: "zamówienia publiczne".into(),
            limit: 10,
            versions: Versions::All,
            ..Default::default()
        },
    )
    .unwrap();
    let text = jawnik::search::format_text(&all, "https://example.org/", false);
    assert!(
        text.contains("(program, 1994-06-10, wersja archiwalna)\n   https://example.org/programy/zamowienia-1994/"),
        "{text}"
    );
    assert!(text.contains("(program, 1997-08-29)\n"), "{text}");
    let json = serde_json::to_value(&all).unwrap();
    let first_archival = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["archival"] == true)
        .expect("an archival result");
    assert_eq!(first_archival["path"], "programy/zamowienia-1994/");
}
