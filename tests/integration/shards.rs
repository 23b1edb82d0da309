//! The static search shards answer exactly as the tantivy index does: the same query engine
//! over `ShardBackend` (what the browser runs, here natively) and over `TantivyBackend` (what
//! `jawnik search` runs) gives the same documents, in the same order, with the same scores to
//! the bit, the same totals, partial matches, dropped words, corrections and facet counts (on
//! the queries below and on the relevance set's, `tests/relevance/judged.tsv`). Also: stale
//! and corrupt shards are refused, and the export is deterministic.

use crate::common;
use jawnik_engine::LanguageOutcome;

use std::path::Path;

use jawnik::export::HEADS_FROM;
use jawnik::index::TantivyBackend;
use jawnik_engine::{parse, search, Filters, SortOrder};
use jawnik_web::format::{self, ShardError};
use jawnik_web::{Answer, Request, Session};

/// Queries: the relevance set's, inflected and diacritic-free forms, phrases, exclusions,
/// OR, prefixes, typos.
const QUERIES: &[&str] = &[
    "kultura",
    "kulturze",
    "nowa huta",
    "rewitalizacji",
    "lodz",
    "Łódź",
    "biznesu",
    "współpraca z biznesem",
    "migrantow",
    "mniejszosci",
    "prawa kobiet",
    "dyskryminacja",
    "program otwarty krakow",
    "wieloletni program współpracy",
    "programu wspolpracy 2019",
    "sportu",
    "federacja małopolska",
    "biuro inicjatyw spolecznych",
    "interkulturalni",
    "siemacha",
    "strategia rozwoju krakowa",
    "strategii kultury 2030",
    "raport z konsultacji",
    "seniorzy",
    "osob z niepelnosprawnosciami",
    "magiczny krakow",
    "innowacje spoleczne",
    "dotacji",
    "konsultacjach",
    "mieszkancow",
    "zrodla",
    "organizacje",
    "miasto",
    "\"nowej huty\"",
    "konsultacje -kultura",
    "sport OR senior",
    "konsul*",
    "rewitalizacjq",
    "rewitalizacj OR rewitalizacj*",
    "rewitalizacjq OR rewitalizacjq*",
    "organizacji pozarządowych w krakowie",
    "kultura strategia miasto",
    "\"raport z konsultacji\"",
    "w sprawie strategii",
    "kultura qqqzzz",
    "kultura \"nowa huta\" rewitalizacja",
    "\"nowa qqqzzz\" kultura",
    "sport seniorzy -kultura",
];

fn built_site(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let out = common::temp_dir(name).join("public");
    common::build(&common::manifest_dir(), &out, None).expect("the example site builds");
    let index = out.with_file_name("public-index");
    (out, index)
}

/// Runs a request, loading every file the session asks for from the search folder.
pub(crate) fn run_loaded(
    session: &mut Session,
    search_dir: &Path,
    request: &Request,
) -> (Answer, usize) {
    for round in 0..10 {
        match session.run(request) {
            Answer::Need(files) => {
                assert!(!files.is_empty(), "a need answer names files");
                for f in files {
                    let bytes = read_span(search_dir, &f);
                    session.load(&f, &bytes).unwrap();
                }
            }
            answer => return (answer, round),
        }
    }
    panic!("too many rounds");
}

/// A file of the search folder, or the byte range `file#start-end` of one (as a host that
/// answers Range requests sends it).
fn read_span(search_dir: &Path, name: &str) -> Vec<u8> {
    let (file, span) = jawnik_web::backend::split_span(name).unwrap();
    let bytes = std::fs::read(search_dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    match span {
        Some((a, b)) => bytes[a as usize..b as usize].to_vec(),
        None => bytes,
    }
}

/// The records of a whole document file (its count, slot size and build read from its start).
fn records_of(file: &[u8]) -> Vec<format::DocRecord> {
    let build = u64::from_le_bytes(file[4..12].try_into().unwrap());
    let n = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
    let slot = format::docs_slot(file).unwrap();
    format::read_docs_file(file, build, n, slot).unwrap()
}

/// The meta of a built site's search folder.
fn meta_of(search_dir: &Path) -> format::Meta {
    let meta_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(search_dir.join("meta.json")).unwrap()).unwrap();
    let bytes = std::fs::read(search_dir.join(meta_json["meta"].as_str().unwrap())).unwrap();
    format::Meta::decode(&jawnik_web::codec::inflate(&bytes).unwrap()).unwrap()
}

pub(crate) fn session(search_dir: &Path) -> Session {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(search_dir.join("meta.json")).unwrap()).unwrap();
    let meta_file = meta["meta"].as_str().unwrap();
    Session::new(&std::fs::read(search_dir.join(meta_file)).unwrap()).unwrap()
}

/// Runs `q` through the shards (a session over `search_dir`) and through tantivy, and asserts
/// the same outcome: hits (documents, scores to the bit, the words each lacks), totals, the
/// words dropped and corrected, facet counts, and the records shown.
fn assert_same_outcome(
    tantivy: &mut TantivyBackend,
    session: &mut Session,
    search_dir: &Path,
    q: &str,
) {
    let expected = search(
        tantivy,
        &parse(q).unwrap(),
        &Filters::default(),
        SortOrder::Relevance,
    )
    .unwrap();
    let request = Request {
        query: q.to_string(),
        limit: 100,
        facets: true,
        ..Request::default()
    };
    let (answer, _) = run_loaded(session, search_dir, &request);
    let Answer::Ok {
        outcome: LanguageOutcome { outcome, .. },
        results,
    } = answer
    else {
        panic!("{q}: {answer:?}")
    };
    assert_eq!(outcome.hits, expected.hits, "{q}: hits differ");
    assert_eq!(outcome.matched_any, expected.matched_any, "{q}");
    assert_eq!(outcome.all_words, expected.all_words, "{q}");
    assert_eq!(outcome.clauses, expected.clauses, "{q}");
    assert_eq!(outcome.not_found, expected.not_found, "{q}");
    assert_eq!(outcome.corrections, expected.corrections, "{q}");
    assert_eq!(outcome.facet_counts, expected.facet_counts, "{q}");
    assert_eq!(results.len(), expected.hits.len().min(100));
    for r in &results {
        assert_eq!(
            r.record.url,
            format!("/{}", tantivy.record(r.doc).unwrap().url),
            "{q}"
        );
    }
}

#[test]
fn shards_rank_exactly_like_the_tantivy_index() {
    let (out, index) = built_site("rank");
    let search_dir = out.join("search");
    let mut tantivy = TantivyBackend::open(&index).unwrap();
    let mut session = session(&search_dir);
    for q in QUERIES {
        assert_same_outcome(&mut tantivy, &mut session, &search_dir, q);
    }
}

/// The relevance set's queries (`tests/relevance/judged.tsv`), on both of its sites.
#[test]
fn the_relevance_sets_rank_exactly_alike() {
    let judged = common::judged_queries();
    for site in ["example", "ustawy"] {
        let out = common::temp_dir(&format!("judged-{site}")).join("public");
        common::build(&common::judged_site_root(site), &out, None).expect("the site builds");
        let search_dir = out.join("search");
        let mut tantivy = TantivyBackend::open(&out.with_file_name("public-index")).unwrap();
        let mut session = session(&search_dir);
        let queries: Vec<&str> = judged
            .iter()
            .filter(|j| j.site == site)
            .map(|j| j.query.as_str())
            .collect();
        assert!(queries.len() >= 20, "{site}: {} queries", queries.len());
        for q in queries {
            assert_same_outcome(&mut tantivy, &mut session, &search_dir, q);
        }
    }
}

#[test]
fn filters_and_date_order_match_too() {
    let (out, index) = built_site("filters");
    let search_dir = out.join("search");
    let mut tantivy = TantivyBackend::open(&index).unwrap();
    let mut session = session(&search_dir);
    let request =
        Request::parse("q=organizacje\nfilter=kind:raport\nfrom=2018-06-01\nsort=date\nlimit=50")
            .unwrap();
    let expected = search(
        &mut tantivy,
        &parse("organizacje").unwrap(),
        &request.filters,
        SortOrder::Date,
    )
    .unwrap();
    assert!(!expected.hits.is_empty());
    let (answer, _) = run_loaded(&mut session, &search_dir, &request);
    let Answer::Ok {
        outcome: LanguageOutcome { outcome, .. },
        ..
    } = answer
    else {
        panic!("{answer:?}")
    };
    assert_eq!(outcome.hits, expected.hits);
}

#[test]
fn a_rare_word_needs_few_files_and_highlights_inflected_forms() {
    let (out, _) = built_site("rare");
    let search_dir = out.join("search");
    let mut first = session(&search_dir);
    let request = Request {
        query: "rewitalizacja".into(),
        limit: 10,
        facets: false,
        ..Request::default()
    };
    let (answer, rounds) = run_loaded(&mut first, &search_dir, &request);
    // Lexicon (+ the guessed term chunk), then records and sections: at most three rounds.
    assert!(rounds <= 3, "{rounds} rounds");
    let Answer::Ok { results, .. } = answer else {
        panic!("{answer:?}")
    };
    let marked: Vec<String> = results
        .iter()
        .flat_map(|r| r.snippet.iter().filter(|s| s.1).map(|s| s.0.clone()))
        .collect();
    // The summaries say "rewitalizacji": the inflected form is marked.
    assert!(marked.iter().any(|m| m == "rewitalizacji"), "{marked:?}");
    // A five-word phrase asks for all its words' data at once, not one word per round.
    let mut fresh = session(&search_dir);
    let phrase = Request {
        query: "\"organizacji pozarządowych działających w obszarze\"".into(),
        limit: 10,
        facets: false,
        ..Request::default()
    };
    let (answer, rounds) = run_loaded(&mut fresh, &search_dir, &phrase);
    assert!(
        matches!(answer, Answer::Ok { ref results, .. } if !results.is_empty()),
        "{answer:?}"
    );
    assert!(rounds <= 4, "a 5-word phrase took {rounds} rounds");
    let json = Answer::Ok {
        outcome: Default::default(),
        results,
    }
    .to_json();
    assert!(json.contains("\"heading\""));
    // Stop words have no terms: they are known without fetching their term chunks, so a
    // phrase's "w", "i", "od" cost nothing (here: no file at all for stop words alone).
    let mut fresh = session(&search_dir);
    let stop_words = Request {
        query: "\"w i od\" z".into(),
        limit: 10,
        facets: false,
        ..Request::default()
    };
    let (answer, rounds) = run_loaded(&mut fresh, &search_dir, &stop_words);
    assert_eq!(rounds, 0, "stop words fetched files: {answer:?}");
}

#[test]
fn records_and_positions_by_byte_range_answer_as_whole_files_do() {
    let (out, _) = built_site("ranges");
    let search_dir = out.join("search");
    for q in QUERIES {
        let request = |ranges| Request {
            query: q.to_string(),
            limit: 20,
            facets: true,
            ranges,
            ..Request::default()
        };
        let mut whole = session(&search_dir);
        let (expected, _) = run_loaded(&mut whole, &search_dir, &request(false));
        // A host answering Range requests: only the records shown, at once (their slots).
        let mut ranged = session(&search_dir);
        let mut asked = Vec::new();
        let mut rounds = 0;
        let answer = loop {
            match ranged.run(&request(true)) {
                Answer::Need(files) => {
                    rounds += 1;
                    assert!(rounds < 12, "{q}: too many rounds: {asked:?}");
                    for f in files {
                        ranged.load(&f, &read_span(&search_dir, &f)).unwrap();
                        asked.push(f);
                    }
                }
                answer => break answer,
            }
        };
        assert_eq!(format!("{answer:?}"), format!("{expected:?}"), "{q}");
        let docs: Vec<&String> = asked.iter().filter(|f| f.starts_with("d/")).collect();
        assert!(
            docs.iter().all(|f| f.contains('#') && !f.contains("#0-")),
            "{q}: whole document files or their starts: {docs:?}"
        );
        // A phrase reads its words' position entries, not the position file.
        if q.starts_with('"') {
            let p: Vec<&String> = asked.iter().filter(|f| f.starts_with("p/")).collect();
            assert!(
                p.iter().any(|f| !f.contains("#0-")) && p.iter().all(|f| f.contains('#')),
                "{q}: {p:?}"
            );
        }
        // A host without Range support sends the whole file: it answers as well.
        let mut fallback = session(&search_dir);
        let answer = loop {
            match fallback.run(&request(true)) {
                Answer::Need(files) => {
                    for f in files {
                        let file = f.split('#').next().unwrap();
                        fallback.load(file, &read_span(&search_dir, file)).unwrap();
                    }
                }
                answer => break answer,
            }
        };
        assert_eq!(format!("{answer:?}"), format!("{expected:?}"), "{q}");
    }
    // A record asked for by range costs its slot's bytes, not the file.
    let mut ranged = session(&search_dir);
    let request = Request {
        query: "rewitalizacja".into(),
        limit: 1,
        ranges: true,
        ..Request::default()
    };
    let mut record_bytes = 0;
    let mut file_bytes = 0;
    while let Answer::Need(files) = ranged.run(&request) {
        for f in files {
            let bytes = read_span(&search_dir, &f);
            if let Some((file, _)) = f.split_once('#') {
                record_bytes += bytes.len();
                file_bytes = read_span(&search_dir, file).len();
            }
            ranged.load(&f, &bytes).unwrap();
        }
    }
    assert!(
        record_bytes > 0 && record_bytes * 3 < file_bytes,
        "{record_bytes} of {file_bytes}"
    );
    // A range that is not where a record starts or ends is refused.
    let mut session = session(&search_dir);
    let span = loop {
        let Answer::Need(files) = session.run(&request) else {
            panic!("no record asked for by range")
        };
        if let Some(span) = files.iter().find(|f| f.starts_with("d/")) {
            break span.clone();
        }
        for f in files {
            session.load(&f, &read_span(&search_dir, &f)).unwrap();
        }
    };
    let (file, range) = span.split_once('#').unwrap();
    let (a, b) = range.split_once('-').unwrap();
    let shifted = format!("{file}#{}-{b}", a.parse::<u32>().unwrap() + 1);
    assert!(matches!(
        session.load(&shifted, &read_span(&search_dir, &shifted)),
        Err(ShardError::Corrupt(_))
    ));
}

/// A record far bigger than the others of its file is kept after the slots (so that the
/// others' slots stay small): read by range, its slot says where it is, and the next round
/// fetches it; most records take one range, their slot.
#[test]
fn a_record_too_big_for_its_slot_is_read_from_where_the_slot_points() {
    let (out, _) = built_site("slots");
    let search_dir = out.join("search");
    let mut meta = meta_of(&search_dir);
    let name = meta.docs.file(0);
    let mut records = records_of(&std::fs::read(search_dir.join(&name)).unwrap());
    records[1].summary = (0..300).map(|w| format!("słowo{w} ")).collect();
    let file = format::docs_file(&format::encode_docs(meta.build, &records)).unwrap();
    meta.doc_slots[0] = format::docs_slot(&file).unwrap();
    assert!(
        (meta.doc_slots[0] as usize) < records[1].summary.len() / 4,
        "the big record set the slot size: {}",
        meta.doc_slots[0]
    );
    let mut backend = jawnik_web::backend::ShardBackend::new(meta);
    backend.set_ranges(true);
    let mut moved = 0;
    for (doc, expected) in records.iter().enumerate() {
        let mut asked = Vec::new();
        let record = loop {
            if let Some(record) = backend.record(doc as u32) {
                break record.clone();
            }
            let missing = backend.take_missing();
            let [wanted] = missing.as_slice() else {
                panic!("record {doc}: asked for {missing:?}")
            };
            let (_, span) = jawnik_web::backend::split_span(wanted).unwrap();
            let (a, b) = span.expect("a byte range");
            backend.load(wanted, &file[a as usize..b as usize]).unwrap();
            asked.push(wanted.clone());
        };
        assert_eq!(&record, expected);
        assert!(
            asked.len() == 2 || (doc != 1 && asked.len() == 1),
            "{doc}: {asked:?}"
        );
        moved += asked.len() - 1;
    }
    assert!(
        moved * 10 <= records.len(),
        "{moved} of {} records moved",
        records.len()
    );
}

#[test]
fn stale_and_corrupt_shards_are_refused() {
    let (out, _) = built_site("stale");
    let search_dir = out.join("search");
    let mut session = session(&search_dir);
    let Answer::Need(files) = session.run(&Request {
        query: "kultura".into(),
        limit: 10,
        ..Request::default()
    }) else {
        panic!("needs files first")
    };
    let name = &files[0];
    let mut bytes = std::fs::read(search_dir.join(name)).unwrap();
    assert!(matches!(
        session.load(name, &bytes[..bytes.len() / 2]),
        Err(ShardError::Corrupt(_))
    ));
    // The same shard stamped with another build's id (an old cached file).
    let mut plain = jawnik_web::codec::inflate(&bytes).unwrap();
    plain[5] ^= 0xff;
    bytes = jawnik_web::codec::deflate(&plain);
    assert_eq!(session.load(name, &bytes), Err(ShardError::Stale));
    assert_eq!(
        session.load("t/nonexistent.bin", &bytes),
        Err(ShardError::Unknown)
    );
    assert!(Session::new(b"not a meta file").is_err());
}

#[test]
fn the_export_is_deterministic() {
    let (a, _) = built_site("determinism");
    let b = common::temp_dir("shards-again").join("public");
    common::build(&common::manifest_dir(), &b, None).unwrap();
    assert_eq!(
        common::tree(&a.join("search")),
        common::tree(&b.join("search"))
    );
}

#[test]
fn the_streamed_export_writes_the_files_of_the_kept_one() {
    // One chunker, two sinks: `jawnik build` streams the export through a spool file and
    // writes each file once the build id is known; `jawnik serve` keeps the export in memory.
    // Both give the same files, and the build's search folder is them.
    let (out, index) = built_site("stream-vs-kept");
    let mut backend = TantivyBackend::open(&index).unwrap();
    let labels = jawnik::export::Labels::new();
    let kept = jawnik::export::export(&mut backend, "/", &labels, HEADS_FROM)
        .unwrap()
        .files();
    let dir = common::temp_dir("stream-vs-kept-files");
    let spool = dir.join("spool");
    let search = dir.join("search");
    let sink = |path: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = search.join(path);
        std::fs::create_dir_all(path.parent().unwrap())?;
        Ok(std::fs::write(path, bytes)?)
    };
    let count = jawnik::export::write_export(&mut backend, "/", &labels, HEADS_FROM, &spool, &sink)
        .unwrap();
    assert!(!spool.exists(), "the spool is removed");
    let streamed = common::tree(&dir.join("search"));
    assert_eq!(count, kept.len());
    assert!(kept.len() > 10, "{} files", kept.len());
    assert!(streamed == kept.into_iter().collect(), "streamed != kept");
    // The build's own files: the same but for meta.json, which carries the site's labels.
    let built = common::tree(&out.join("search"));
    assert_eq!(built.len(), streamed.len());
    for (name, bytes) in &streamed {
        if name != "meta.json" {
            assert!(built.get(name) == Some(bytes), "{name} differs");
        }
    }
}

#[test]
fn two_builds_of_one_site_at_once_both_succeed_and_leave_a_whole_index() {
    // A copy of the example site, built twice at the same time into two outputs with the
    // default index folder (`<root>/.jawnik/index`), as parallel test runs would. The build
    // lock (`.jawnik/build.lock`) makes the second wait for the first (tests/integration/interrupt.rs).
    let root = common::temp_dir("concurrent");
    for entry in walkdir::WalkDir::new(common::manifest_dir().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(common::manifest_dir()).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(root.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), root.join(rel)).unwrap();
        }
    }
    std::fs::copy(
        common::manifest_dir().join("jawnik.toml"),
        root.join("jawnik.toml"),
    )
    .unwrap();
    let builds: Vec<_> = (0..2)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut options = jawnik::BuildOptions::new(&root);
                options.output = Some(root.join(format!("public-{i}")));
                jawnik::build(&options)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for b in builds {
        b.join().unwrap().unwrap();
    }
    let index = root.join(".jawnik/index");
    let mut backend = TantivyBackend::open(&index).unwrap();
    let hits = search(
        &mut backend,
        &parse("kultura").unwrap(),
        &Filters::default(),
        SortOrder::Relevance,
    )
    .unwrap();
    assert!(!hits.hits.is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(root.join(".jawnik"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index" && n != jawnik::lock::LOCK_FILE)
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn an_organisation_is_found_by_the_street_of_its_address() {
    let out = common::temp_dir("address").join("public");
    common::build(&common::fixture("site-ok"), &out, None).unwrap();
    let mut backend = TantivyBackend::open(&out.with_file_name("public-index")).unwrap();
    // "ul. Przykładowa 1" in the fixture's NGO entry; typed inflected and without diacritics.
    let outcome = search(
        &mut backend,
        &parse("przykladowej").unwrap(),
        &Filters::default(),
        SortOrder::Relevance,
    )
    .unwrap();
    let urls: Vec<String> = outcome
        .hits
        .iter()
        .map(|h| backend.record(h.doc).unwrap().url)
        .collect();
    assert!(
        urls.iter().any(|u| u.contains("fundacja-zielona")),
        "{urls:?}"
    );
}

/// A match inside an attachment: the browser's session and `jawnik search` name the same
/// attachment and page, from the shards' attachment parts (no attachment text is shipped).
#[test]
fn attachment_matches_point_to_the_same_attachment_and_page() {
    let out = common::temp_dir("attachments").join("public");
    common::build(&common::fixture("site-attachments"), &out, None).expect("builds");
    let index = out.with_file_name("public-index");
    let search_dir = out.join("search");
    let mut tantivy = TantivyBackend::open(&index).unwrap();
    let mut session = session(&search_dir);
    let mut pages = Vec::new();
    for q in [
        "mecenas",
        "partypacyjnego",
        "niekompetentni",
        "ponadbranżowe",
        "przestrzeń publiczna",
        "zaszyfrowany",
        "kultury mecenas",
        "załącznikach",
    ] {
        let cli = jawnik::search::run(
            &mut tantivy,
            &jawnik::search::SearchRequest {
                query: q.into(),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        let request = Request {
            query: q.to_string(),
            limit: 10,
            facets: false,
            ..Request::default()
        };
        let (answer, _) = run_loaded(&mut session, &search_dir, &request);
        let Answer::Ok { results, .. } = answer else {
            panic!("{q}: {answer:?}")
        };
        assert_eq!(results.len(), cli.results.len(), "{q}");
        for (browser, cli) in results.iter().zip(&cli.results) {
            let from_cli = cli
                .attachment
                .as_ref()
                .map(|a| (a.title.clone(), format!("/{}", a.path), a.page.unwrap_or(0)));
            assert_eq!(browser.attachment, from_cli, "{q}");
            pages.push((q, browser.attachment.clone()));
        }
    }
    let page_of = |q: &str| {
        pages
            .iter()
            .find(|(p, _)| *p == q)
            .and_then(|(_, a)| a.clone())
            .unwrap_or_else(|| panic!("{q}: no attachment"))
    };
    assert_eq!(
        page_of("mecenas"),
        (
            "Podsumowanie spotkania: kultura i sztuka".into(),
            "/pliki/raporty/files/spotkanie-kultura-2018-05-25.pdf#page=4".into(),
            4
        )
    );
    assert_eq!(page_of("partypacyjnego").2, 1);
    assert_eq!(
        page_of("niekompetentni").1,
        "/pliki/raporty/files/spotkanie-przestrzen-2018-06-07.docx"
    );
    assert_eq!(
        page_of("ponadbranżowe").0,
        "Podsumowanie spotkania: współpraca z biznesem"
    );
    // A title match points to the attachment, without a page.
    assert_eq!(page_of("zaszyfrowany").0, "Plik zaszyfrowany");
    assert_eq!(page_of("zaszyfrowany").2, 0);
    // Words of the body only: no attachment.
    assert!(pages
        .iter()
        .any(|(q, a)| *q == "załącznikach" && a.is_none()));
    // The shipped records hold the attachments' parts, never their text.
    let records: String = common::tree(&search_dir.join("d"))
        .into_values()
        .flat_map(|b| records_of(&b))
        .map(|r| {
            let (headings, attachments) = (r.headings.len(), r.attachments.len());
            let texts = r.headings.into_iter().map(|h| h.1);
            let texts = texts.chain(r.attachments.into_iter().flat_map(|a| [a.0, a.1]));
            let texts: Vec<String> = [r.url, r.title, r.kind, r.date, r.summary]
                .into_iter()
                .chain(texts)
                .collect();
            format!("{}{headings}{attachments}", texts.concat())
        })
        .collect();
    assert!(records.contains("Podsumowanie spotkania: przestrzeń publiczna"));
    assert!(!records.contains("niekompetentni") && !records.contains("Mecenas"));
    assert!(records.len() < 2_000, "{} bytes of records", records.len());
}

/// Found by fuzzing (fuzz/fuzz_targets/shard.rs): a meta file listing fewer document chunks
/// than it has documents made the session ask for no file at all, which the page would have
/// retried forever. Such a meta is refused, a document chunk of the wrong size too, and an
/// answer that cannot name a missing file says "damaged" (the page: reload).
#[test]
fn a_meta_or_document_chunk_that_does_not_fit_is_refused() {
    let (out, _) = built_site("meta-fit");
    let search_dir = out.join("search");
    let meta = meta_of(&search_dir);
    let mut more_docs = meta.clone();
    more_docs.num_docs += u64::from(meta.docs_per_chunk);
    let mut trailing = meta.encode();
    trailing.push(0);
    for bad in [more_docs.encode(), trailing] {
        assert!(matches!(
            Session::new(&jawnik_web::codec::deflate(&bad)),
            Err(ShardError::Corrupt(_))
        ));
    }
    // A document chunk with one record less than the meta says it holds.
    let mut session = session(&search_dir);
    let docs_chunk = meta.docs.file(0);
    let records = records_of(&std::fs::read(search_dir.join(&docs_chunk)).unwrap());
    let short = format::encode_docs(meta.build, &records[..records.len() - 1]);
    assert_eq!(
        session.load(&docs_chunk, &format::docs_file(&short).unwrap()),
        Err(ShardError::Corrupt(jawnik_web::codec::Corrupt(
            "a document chunk of another size"
        )))
    );
    assert_eq!(
        Answer::Damaged("x".into()).to_json(),
        "{\"status\":\"error\",\"stale\":true,\"message\":\"x\"}"
    );

    // A position chunk whose entry has one position less than the term chunk's frequencies
    // say: a phrase needing it is answered "damaged", not with wrong documents.
    let phrase = Request {
        query: "\"nowej huty\"".into(),
        limit: 10,
        ..Request::default()
    };
    let mut session = self::session(&search_dir);
    let mut shortened = false;
    for round in 0..10 {
        let Answer::Need(files) = session.run(&phrase) else {
            break;
        };
        assert!(round < 9);
        for f in files {
            let mut bytes = std::fs::read(search_dir.join(&f)).unwrap();
            if f.starts_with("p/") {
                let rows = drop_last_position(&position_rows(&bytes), "huta");
                bytes = format::positions_file(&rows).unwrap();
                bytes[4..12].copy_from_slice(&rows[4..12]);
                shortened = true;
            }
            session.load(&f, &bytes).unwrap();
        }
    }
    assert!(shortened, "the phrase read a position chunk");
    assert!(
        matches!(session.run(&phrase), Answer::Damaged(_)),
        "{:?}",
        session.run(&phrase)
    );
}

/// A position file's entries one after another, as the exporter keeps them.
fn position_rows(file: &[u8]) -> Vec<u8> {
    let build = u64::from_le_bytes(file[4..12].try_into().unwrap());
    let head = format::read_positions_head(file, build).unwrap();
    let mut rows = Vec::new();
    format::put_terms_header(&mut rows, format::MAGIC_POSITIONS, build, &[], head.len());
    let mut start = format::positions_head_end(file).unwrap() as usize;
    for (_, end) in head {
        rows.extend(jawnik_web::codec::inflate(&file[start..end as usize]).unwrap());
        start = end as usize;
    }
    rows
}

/// A position chunk with `term`'s entry one position short in its first field.
fn drop_last_position(chunk: &[u8], term: &str) -> Vec<u8> {
    use jawnik_web::format::{
        decode_position_entry, encode_position_entry, put_terms_header, term_entry_spans,
        MAGIC_POSITIONS,
    };
    let build = u64::from_le_bytes(chunk[4..12].try_into().unwrap());
    let (_, spans) = term_entry_spans(MAGIC_POSITIONS, build, chunk).unwrap();
    let mut out = Vec::new();
    put_terms_header(&mut out, MAGIC_POSITIONS, build, &[], spans.len());
    for (t, span) in spans {
        let entry = &chunk[span];
        if t != term {
            out.extend_from_slice(entry);
            continue;
        }
        let (_, fields) = decode_position_entry(entry).unwrap();
        // The deltas of all documents, re-encoded as one list (the same bytes), the first
        // field's without its last.
        let fields: Vec<_> = fields
            .into_iter()
            .enumerate()
            .map(|(i, (f, bytes))| {
                let mut r = jawnik_web::codec::Reader::new(bytes);
                let mut list = Vec::new();
                let mut p = 0;
                while !r.at_end() {
                    p += r.u32().unwrap();
                    list.push(p);
                }
                if i == 0 {
                    list.pop();
                }
                (f, vec![list])
            })
            .collect();
        encode_position_entry(&mut out, t, &fields);
    }
    out
}

/// The fuzz target `shard` starts from the shards committed in `fuzz/shards/`; after a change
/// of the format they must be made again (`scripts/fuzz.sh --refresh-shards`), or CI's fuzzing
/// stops at its first input. Checked here because local runs skip fuzzing.
#[test]
fn the_fuzz_targets_shards_are_of_todays_format() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/shards");
    let meta = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("meta-")
        })
        .expect("a meta file in fuzz/shards");
    let stale = "fuzz/shards is not of today's format: run scripts/fuzz.sh --refresh-shards";
    let mut session =
        Session::new(&std::fs::read(meta).unwrap()).unwrap_or_else(|e| panic!("{stale} ({e:?})"));
    let request = Request::parse("q=strategia\nlimit=20\nranges=0\n").unwrap();
    let (answer, _) = run_loaded(&mut session, &dir, &request);
    assert!(matches!(answer, Answer::Ok { .. }), "{stale}: {answer:?}");
}

/// The first page of a request without facet counts, on a site whose words have first heads
/// (`search_heads_from`, here 2 so that the small example site has some), is the exhaustive
/// search's first page: the same documents, in the same order, with the same scores to the
/// bit; a search that stopped on the heads says its total is an estimate, and read fewer term
/// files than the exhaustive one.
#[test]
fn the_first_page_from_heads_is_the_exhaustive_one() {
    let dir = common::temp_dir("heads");
    let root = dir.join("site");
    for part in ["content", "themes"] {
        common::copy_dir(&common::manifest_dir().join(part), &root.join(part));
    }
    let config = std::fs::read_to_string(common::manifest_dir().join("jawnik.toml")).unwrap();
    std::fs::write(
        root.join("jawnik.toml"),
        format!("search_heads_from = 2\n{config}"),
    )
    .unwrap();
    let out = dir.join("public");
    common::build(&root, &out, None).expect("the example site builds");
    let search_dir = out.join("search");
    let page = |q: &str, facets: bool| {
        let request = Request {
            query: q.to_string(),
            limit: 10,
            facets,
            ..Request::default()
        };
        let mut session = session(&search_dir);
        let mut terms_loaded = 0;
        for _ in 0..10 {
            match session.run(&request) {
                Answer::Need(files) => {
                    for f in files {
                        terms_loaded += usize::from(f.starts_with("t/"));
                        session.load(&f, &read_span(&search_dir, &f)).unwrap();
                    }
                }
                Answer::Ok {
                    outcome: LanguageOutcome { outcome, .. },
                    results,
                } => return (outcome, results, terms_loaded),
                other => panic!("{q}: {other:?}"),
            }
        }
        panic!("{q}: too many rounds")
    };
    let mut early = 0;
    for q in QUERIES
        .iter()
        .chain(&["krakowa", "organizacji", "program współpracy"])
    {
        let (all, all_results, all_terms) = page(q, true);
        let (top, top_results, top_terms) = page(q, false);
        let first = |o: &jawnik_engine::Outcome| -> Vec<(u32, u32, u32)> {
            (o.hits.iter().take(10))
                .map(|h| (h.doc, h.score.to_bits(), h.missing))
                .collect()
        };
        assert_eq!(first(&top), first(&all), "{q}");
        let urls =
            |r: &[jawnik_web::session::ShownResult]| -> Vec<(String, Option<(String, String)>)> {
                r.iter()
                    .map(|r| (r.record.url.clone(), r.heading.clone()))
                    .collect()
            };
        assert_eq!(urls(&top_results), urls(&all_results), "{q}");
        assert_eq!(top.not_found, all.not_found, "{q}");
        assert_eq!(top.corrections, all.corrections, "{q}");
        match top.estimated_total {
            Some(estimate) => {
                early += 1;
                eprintln!("{q}: stopped on the heads, about {estimate}");
                assert!(estimate as usize >= top.hits.len(), "{q}");
                assert!(
                    top_terms <= all_terms,
                    "{q}: {top_terms} term files, {all_terms}"
                );
            }
            None => assert_eq!(top.hits, all.hits, "{q}"),
        }
    }
    eprintln!("{early} queries stopped on the heads");
    assert!(early > 0, "no query stopped on the heads");
}
