//! Incremental rebuilds (`jawnik serve`) give what a full build gives: after each edit of a
//! copy of the example site, every file a full build of the edited site changes (pages,
//! feeds, sitemap) is among the pages the incremental rebuild rendered, with the same bytes,
//! and the patched search answers every query exactly as the full build's search folder.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jawnik::build::{build_keeping, BuildError, BuildOptions};
use jawnik::incremental::{Incremental, Outcome, Update};
use jawnik_web::{Answer, Request, Session};

const QUERIES: &[&str] = &[
    "kultura",
    "kulturze",
    "nowa huta",
    "lodz",
    "konsultacjach",
    "mieszkancow",
    "hipopotamy",
    "hipopotam",
    "\"różowe hipopotamy\"",
    "fioletowy",
    "sekcja testowa",
    "strategia",
    "strategia rozwoju krakowa",
    "rozwoju sportu",
    "konsul*",
    "sport OR senior",
    "konsultacje -kultura",
    "organizacje",
    "miasto",
    "\"nowej huty\"",
    "harmonogram konkursów",
    "radar",
    "\"rada miasta\"",
    "\"rada radaru\"",
];

/// A copy of the example site (content, theme, config) in a fresh folder.
fn example_copy(name: &str) -> PathBuf {
    let dir = common::temp_dir(name);
    let from = common::manifest_dir();
    for top in ["content", "themes", "jawnik.toml"] {
        for e in walkdir::WalkDir::new(from.join(top)) {
            let e = e.unwrap();
            let to = dir.join(e.path().strip_prefix(&from).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
    }
    dir
}

fn options(root: &Path, out: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join(out)),
        base_url: None,
        progress: false,
        index_dir: Some(root.join(format!("{out}-index"))),
        extract_cache: None,
        today: None,
    }
}

/// A full build of the site as it is now: its files (search folder apart) and search files.
fn full_build(root: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let _ = std::fs::remove_dir_all(root.join("full"));
    jawnik::build(&options(root, "full")).expect("the edited site builds");
    let mut site = common::tree(&root.join("full"));
    site.remove(".jawnik-output");
    let search = site
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("search/")?.to_string(), v.clone())))
        .collect();
    site.retain(|k, _| !k.starts_with("search/"));
    (site, search)
}

/// Runs a request, loading every file the session asks for from `files`.
fn run(session: &mut Session, files: &BTreeMap<String, Vec<u8>>, request: &Request) -> Answer {
    loop {
        match session.run(request) {
            Answer::Need(names) => {
                for name in names {
                    session.load(&name, &files[&name]).unwrap();
                }
            }
            answer => return answer,
        }
    }
}

/// Every query's answer (results and scores), from a search folder given as files.
fn answers(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let meta: serde_json::Value = serde_json::from_slice(&files["meta.json"]).unwrap();
    let mut session = Session::new(&files[meta["meta"].as_str().unwrap()]).unwrap();
    QUERIES
        .iter()
        .map(|q| {
            let request = Request {
                query: q.to_string(),
                limit: 100,
                facets: true,
                ..Request::default()
            };
            format!("{q}: {:?}", run(&mut session, files, &request))
        })
        .collect()
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) -> BTreeSet<PathBuf> {
    let path = root.join("content").join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, f(text)).unwrap();
    BTreeSet::from([path])
}

fn updated(outcome: Result<Outcome, BuildError>) -> Update {
    match outcome {
        Ok(Outcome::Updated(u)) => u,
        Ok(Outcome::FullBuild(why)) => panic!("asked for a full build: {why}"),
        Err(e) => panic!("{e}"),
    }
}

/// The update matches a full build of the edited site, which differs from `before` only in
/// files the update rendered.
fn assert_like_a_full_build(root: &Path, update: &Update, before: &BTreeMap<String, Vec<u8>>) {
    let (after, search) = full_build(root);
    let rendered: BTreeMap<&str, &[u8]> = update
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_slice()))
        .collect();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (path, bytes) in &after {
        if before[path] != *bytes {
            changed += 1;
            assert!(
                rendered.contains_key(path.as_str()),
                "a full build changes {path}, the update did not render it"
            );
        }
    }
    assert!(changed > 0, "the edit changed some page");
    for (path, bytes) in &rendered {
        assert_eq!(
            Some(*bytes),
            after.get(*path).map(Vec::as_slice),
            "{path} as rendered by the update differs from the full build's"
        );
    }
    let patched: BTreeMap<String, Vec<u8>> = update.search.files().into_iter().collect();
    let expected = answers(&search);
    let got = answers(&patched);
    for (e, g) in expected.iter().zip(&got) {
        assert_eq!(e, g);
    }
}

#[test]
fn edits_rebuild_like_a_full_build() {
    let root = example_copy("incremental");
    let (report, built) = build_keeping(&options(&root, "public")).unwrap();
    assert!(report.pages > 10);
    let mut incremental = Incremental::new(built);
    let (mut before, search) = full_build(&root);
    let first = answers(&search);
    eprintln!("{}", &first[6][..first[6].len().min(400)]);
    assert!(!first[6].contains("spotkanie-kultura"), "{}", first[6]);

    // 1. The body only: a new paragraph with words no page had, and a new heading.
    let report_file = "raporty/spotkanie-kultura-2018-05-25.md";
    let changed = edit(&root, report_file, |t| {
        format!("{t}\n\n## Sekcja testowa\n\nRóżowe hipopotamy i fioletowy słoń w Nowej Hucie.\n")
    });
    let update = updated(incremental.update(&changed));
    assert!(!update.lists, "only the body changed");
    assert_eq!(update.changed, vec![report_file.to_string()]);
    assert_like_a_full_build(&root, &update, &before);
    let got = answers(&update.search.files().into_iter().collect());
    assert!(got[6].contains("spotkanie-kultura"), "{}", got[6]);
    before = full_build(&root).0;

    // 2. The title of a strategy: lists, feeds and related pages change too.
    let strategy = "strategie/strategia-rozwoju-sportu-w-krakowie.md";
    let changed = edit(&root, strategy, |t| {
        t.replacen("title = \"", "title = \"Nowa — ", 1)
    });
    let update = updated(incremental.update(&changed));
    assert!(update.lists);
    assert_like_a_full_build(&root, &update, &before);
    before = full_build(&root).0;

    // 3. Words leave the site again: the paragraph is removed.
    let changed = edit(&root, report_file, |t| {
        t.replace("Różowe hipopotamy i fioletowy słoń w Nowej Hucie.\n", "")
    });
    let update = updated(incremental.update(&changed));
    assert_like_a_full_build(&root, &update, &before);
    before = full_build(&root).0;

    // 4. A broken edit is refused with the file named, and changes nothing.
    let changed = edit(&root, report_file, |t| {
        t.replacen("title = ", "titel = ", 1)
    });
    let Err(BuildError::Invalid(diags)) = incremental.update(&changed) else {
        panic!("a broken file is an error");
    };
    assert!(
        diags.iter().any(|d| d.file.ends_with(report_file)),
        "{diags:?}"
    );
    let changed = edit(&root, report_file, |t| {
        t.replacen("titel = ", "title = ", 1)
    });
    let update = updated(incremental.update(&changed));
    assert!(!update.lists, "back as it was");

    // 5. The body of a report with postulates (their own search records) only: incremental,
    //    and the patched search still finds the postulates at their anchors.
    let final_report = "raporty/raport-koncowy-konsultacje-wpw-2019-2022.md";
    let changed = edit(&root, final_report, |t| format!("{t}\nFioletowy słoń.\n"));
    let update = updated(incremental.update(&changed));
    assert!(!update.lists);
    assert_like_a_full_build(&root, &update, &before);
    let got = answers(&update.search.files().into_iter().collect());
    assert!(got[20].contains("#postulat-"), "{}", got[20]);

    // 6. A postulate changed: its record and the tracker need a full build.
    let changed = edit(&root, final_report, |t| {
        t.replacen("plane = \"I\"\n", "plane = \"II\"\n", 1)
    });
    let outcome = incremental.update(&changed).unwrap();
    assert!(matches!(outcome, Outcome::FullBuild(ref why) if why.contains("postulates")));

    // 7. A new file needs a full build.
    let new_file = root.join("content/raporty/nowy.md");
    std::fs::write(&new_file, "+++\ntitle = \"Nowy\"\n+++\n").unwrap();
    let outcome = incremental.update(&BTreeSet::from([new_file])).unwrap();
    assert!(matches!(outcome, Outcome::FullBuild(_)));
    drop(before);
    let _ = std::fs::remove_dir_all(&root);
}

/// A common word's positions have a chunk of their own (a single); an edit that touches it
/// and adds a word sorting right after it (which goes to the range chunk around the single)
/// is patched like a full build.
#[test]
fn edits_around_a_single_position_chunk_rebuild_like_a_full_build() {
    let root = example_copy("incremental-single");
    let common_page = "programy/program-otwarty-krakow.md";
    edit(&root, common_page, |t| {
        format!("{t}\n\n{}\n", "Rada rada. ".repeat(20_000))
    });
    let (_, built) = build_keeping(&options(&root, "public")).unwrap();
    let mut incremental = Incremental::new(built);
    let (before, search) = full_build(&root);
    let meta: serde_json::Value = serde_json::from_slice(&search["meta.json"]).unwrap();
    let meta_bin = jawnik_web::codec::inflate(&search[meta["meta"].as_str().unwrap()]).unwrap();
    let meta = jawnik_web::format::Meta::decode(&meta_bin).unwrap();
    let singles: Vec<&str> = meta
        .positions
        .singles
        .iter()
        .map(|&i| meta.positions.firsts[i as usize].as_str())
        .collect();
    assert!(singles.contains(&"rada"), "{singles:?}");

    let report_file = "raporty/spotkanie-kultura-2018-05-25.md";
    let changed = edit(&root, report_file, |t| {
        format!("{t}\n\nRada radaru i radarów zebrała się w Nowej Hucie.\n")
    });
    let update = updated(incremental.update(&changed));
    assert_like_a_full_build(&root, &update, &before);
    let got = answers(&update.search.files().into_iter().collect());
    let radar = got.iter().find(|a| a.starts_with("radar:")).unwrap();
    assert!(radar.contains("spotkanie-kultura"), "{radar}");
    let _ = std::fs::remove_dir_all(&root);
}

/// An edit of a page with attachments keeps their text searchable: the patched search points
/// to the same attachment pages as a full build.
/// Versions (`tests/fixtures/versions`): the body of the earlier version changes the
/// comparison page of the later one; its label, the chain on the later one's page.
#[test]
fn edits_of_a_version_rebuild_like_a_full_build() {
    let root = common::temp_dir("incremental-versions");
    common::copy_dir(&common::fixture("versions"), &root);
    let (_, built) = build_keeping(&options(&root, "public")).unwrap();
    let mut incremental = Incremental::new(built);
    let (mut before, _) = full_build(&root);
    let old = "programy/zamowienia-1994.md";
    let changed = edit(&root, old, |t| {
        format!("{t}\nAkapit dopisany na potrzeby testu.\n")
    });
    let update = updated(incremental.update(&changed));
    assert!(!update.lists, "only the body changed");
    assert_like_a_full_build(&root, &update, &before);
    before = full_build(&root).0;
    let changed = edit(&root, old, |t| {
        t.replacen("version = \"1994\"", "version = \"projekt\"", 1)
    });
    let update = updated(incremental.update(&changed));
    assert!(update.lists);
    assert_like_a_full_build(&root, &update, &before);

    // A body edit skips the checks across files, unless a heading changed: a postulate's
    // answer names this one (`postulat-roboty-budowlane.md`, `#art-2`).
    let answered = "programy/zamowienia-1997.md";
    let changed = edit(&root, answered, |t| {
        t.replacen("### Art. 2.", "### Art. 2x.", 1)
    });
    let Err(BuildError::Invalid(diags)) = incremental.update(&changed) else {
        panic!("a heading a postulate answers into cannot go");
    };
    assert!(
        diags.iter().any(
            |d| d.file.ends_with("postulat-roboty-budowlane.md") && d.message.contains("art-2")
        ),
        "{diags:?}"
    );
    let changed = edit(&root, answered, |t| {
        t.replacen("### Art. 2x.", "### Art. 2.", 1)
    });
    updated(incremental.update(&changed));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn edits_keep_attachment_text() {
    let root = common::temp_dir("incremental-attachments");
    let from = common::fixture("site-attachments");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let to = root.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let (_, built) = build_keeping(&options(&root, "public")).unwrap();
    let mut incremental = Incremental::new(built);
    let page = "raporty/spotkania-2018.md";
    let changed = edit(&root, page, |t| {
        format!("{t}\nDopisane zdanie o hipopotamach.\n")
    });
    let update = updated(incremental.update(&changed));
    let patched: BTreeMap<String, Vec<u8>> = update.search.files().into_iter().collect();
    let (_, full) = full_build(&root);
    let ask = |files: &BTreeMap<String, Vec<u8>>, q: &str| {
        let meta: serde_json::Value = serde_json::from_slice(&files["meta.json"]).unwrap();
        let mut session = Session::new(&files[meta["meta"].as_str().unwrap()]).unwrap();
        let request = Request {
            query: q.into(),
            limit: 10,
            ..Request::default()
        };
        run(&mut session, files, &request).to_json()
    };
    for q in ["mecenas", "niekompetentni", "hipopotamach"] {
        assert_eq!(ask(&patched, q), ask(&full, q), "{q}");
    }
    assert!(ask(&patched, "mecenas").contains("spotkanie-kultura-2018-05-25.pdf#page=4"));
    let _ = std::fs::remove_dir_all(&root);
}

/// On a site with translations (the `translations` fixture), an edit of a translation
/// (`x.uk.md`) or of a document shown untranslated in the other languages renders the pages
/// a full build changes, in every language, with the same bytes.
#[test]
fn edits_of_translations_rebuild_like_a_full_build() {
    let root = common::temp_dir("incremental-translations");
    common::copy_dir(&common::fixture("translations"), &root);
    let (_, built) = build_keeping(&options(&root, "public")).unwrap();
    let mut incremental = Incremental::new(built);
    let (mut before, _) = full_build(&root);

    // 1. The body of the Ukrainian translation: its page only.
    let uk = "raporty/spotkanie-antydyskryminacja-2018-06-15.uk.md";
    let changed = edit(&root, uk, |t| format!("{t}\nФіолетовий слон.\n"));
    let update = updated(incremental.update(&changed));
    assert!(!update.lists);
    let paths: Vec<&str> = update.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"uk/raporty/spotkanie-antydyskryminacja-2018-06-15/index.html"),
        "{paths:?}"
    );
    assert_like_a_full_build(&root, &update, &before);
    before = full_build(&root).0;

    // 2. Its title: the Ukrainian lists and feeds change, not the Polish ones' bytes.
    let changed = edit(&root, uk, |t| {
        t.replacen("title = \"", "title = \"Новий — ", 1)
    });
    let update = updated(incremental.update(&changed));
    assert!(update.lists);
    assert_like_a_full_build(&root, &update, &before);
    before = full_build(&root).0;

    // 3. The untranslated Polish report: its page in every language.
    let pl = "raporty/spotkanie-kultura-2018-05-25.md";
    let changed = edit(&root, pl, |t| {
        t.replacen("title = \"", "title = \"Nowy — ", 1)
    });
    let update = updated(incremental.update(&changed));
    let paths: Vec<&str> = update.files.iter().map(|f| f.path.as_str()).collect();
    for page in [
        "raporty/spotkanie-kultura-2018-05-25/index.html",
        "uk/raporty/spotkanie-kultura-2018-05-25/index.html",
        "en/raporty/spotkanie-kultura-2018-05-25/index.html",
    ] {
        assert!(paths.contains(&page), "{page} not in {paths:?}");
    }
    assert_like_a_full_build(&root, &update, &before);
    let _ = std::fs::remove_dir_all(&root);
}
