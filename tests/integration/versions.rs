//! Versions of a document over the `versions` fixture (two chains made from the 1994/1997
//! procurement texts: one of Markdown bodies, one of PDF attachments only): each version's
//! page shows its chain with the current version marked and links to the comparison; the
//! comparison page of each pair is built, listed in the sitemap, byte-identical across
//! builds, and its summary counts equal those of `jawnik diff` on the source files; each
//! invalid `previous`/`version` is reported with its file, line and field, all at once.

use crate::common;

use common::{build, copy_dir, fixture, read, temp_dir, tree};
use std::collections::BTreeMap;

/// The numbers of the comparison page's summary ("11 akapitów zmienionych, 21 dodanych, 5
/// usuniętych"), by the stem of their word: `zmienion`, `dodan`, `usunięt`.
fn summary_counts(html: &str) -> BTreeMap<&'static str, usize> {
    let needle = "Zmiany w tekście: ";
    let start = html.find(needle).expect("a summary of changes") + needle.len();
    let text = &html[start..start + html[start..].find('.').unwrap()];
    let mut out = BTreeMap::new();
    for part in text.split(", ") {
        let n: usize = part.split(' ').next().unwrap().parse().unwrap();
        for stem in ["zmienion", "dodan", "usunięt", "przeniesion"] {
            if part.contains(stem) {
                out.insert(stem, n);
            }
        }
    }
    out
}

fn expected_counts(old: &str, new: &str) -> BTreeMap<&'static str, usize> {
    let dir = fixture("compare");
    let report = jawnik::diff::diff_files(&dir.join(old), &dir.join(new)).unwrap();
    let c = &report.comparison.summary.counts;
    [
        ("zmienion", c.changed),
        ("dodan", c.added),
        ("usunięt", c.removed),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect()
}

#[test]
fn chain_is_shown_on_each_version_page() {
    let dir = temp_dir("versions-chain");
    let out = dir.join("out");
    build(&fixture("versions"), &out, None).unwrap();
    let newer = read(&out, "programy/zamowienia-1997/index.html");
    let nav = &newer[newer.find("<nav class=\"versions\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("<a href=\"/programy/zamowienia-1994/\">1994</a> (10.06.1994)"));
    assert!(nav.contains(
        "<a href=\"/programy/zamowienia-1997/\" aria-current=\"page\"><strong>1997</strong></a> (29.08.1997)"
    ));
    assert!(nav.find("1994").unwrap() < nav.find("1997</strong>").unwrap());
    assert!(nav.contains("href=\"/programy/zamowienia-1997/zmiany/\""));
    assert_eq!(nav.matches("aria-current").count(), 1);

    let older = read(&out, "programy/zamowienia-1994/index.html");
    let nav = &older[older.find("<nav class=\"versions\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("aria-current=\"page\"><strong>1994</strong>"));
    assert!(
        !nav.contains("versions-compare\""),
        "the first version has no previous one"
    );
    assert!(
        nav.contains("class=\"versions-compare-next\" href=\"/programy/zamowienia-1997/zmiany/\"")
    );
    // The attachment-only chain too.
    let pdf = read(&out, "strategie/zamowienia-pdf-1997/index.html");
    assert!(pdf.contains("href=\"/strategie/zamowienia-pdf-1997/zmiany/\""));
}

#[test]
fn comparison_pages_are_built_with_the_engines_counts() {
    let dir = temp_dir("versions-compare");
    let out = dir.join("out");
    build(&fixture("versions"), &out, None).unwrap();
    let md = read(&out, "programy/zamowienia-1997/zmiany/index.html");
    let expected = expected_counts("zamowienia-1994.md", "zamowienia-1997.md");
    assert!(expected["zmienion"] > 0 && expected["dodan"] > 0);
    assert_eq!(summary_counts(&md), expected);
    // Headings keep the anchors of the document's page; the page links both versions.
    assert!(
        md.contains("id=\"art-6a\""),
        "the added article's heading anchor"
    );
    assert!(md.contains("href=\"/programy/zamowienia-1994/\""));
    assert!(md.contains("<ins><span class=\"visually-hidden\">dodano: </span>"));
    // The document's data that changed: the date (the titles are the same).
    assert!(md.contains("<li>Data dokumentu: <del><span class=\"visually-hidden\">usunięto: </span>10 czerwca 1994</del> → <ins><span class=\"visually-hidden\">dodano: </span>29 sierpnia 1997</ins></li>"), "the changed date is listed");
    assert!(!md.contains("<li>Tytuł:"));

    // A pair of versions whose text is only in their PDF attachments.
    let pdf = read(&out, "strategie/zamowienia-pdf-1997/zmiany/index.html");
    assert_eq!(
        summary_counts(&pdf),
        expected_counts("zamowienia-1994.pdf", "zamowienia-1997.pdf")
    );

    let sitemap = read(&out, "sitemap.xml");
    for page in [
        "https://example.org/programy/zamowienia-1997/zmiany/",
        "https://example.org/strategie/zamowienia-pdf-1997/zmiany/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{page}</loc>")), "{page}");
    }
    assert!(!sitemap.contains("zamowienia-1994/zmiany/"));
    assert!(!out.join("programy/zamowienia-1994/zmiany").exists());

    let again = dir.join("again");
    build(&fixture("versions"), &again, None).unwrap();
    let (a, b) = (tree(&out), tree(&again));
    for path in [
        "programy/zamowienia-1997/zmiany/index.html",
        "strategie/zamowienia-pdf-1997/zmiany/index.html",
        "programy/zamowienia-1997/index.html",
    ] {
        assert_eq!(a[path], b[path], "{path} differs between two builds");
    }
}

/// A copy of the fixture with `files` (content path → text) written over it.
fn site_with(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let root = temp_dir(name).join("site");
    copy_dir(&fixture("versions"), &root);
    for (path, text) in files {
        std::fs::write(root.join("content").join(path), text).unwrap();
    }
    root
}

fn doc(extra: &str) -> String {
    format!("+++\ntitle = \"Wersja testowa\"\nsummary = \"Test.\"\n{extra}\n+++\nTekst.\n")
}

#[test]
fn every_invalid_chain_is_reported_with_its_line() {
    // `previous`/`version` on line 4 of each file (after `+++`, title, summary).
    let root = site_with(
        "versions-errors",
        &[
            (
                "programy/brak.md",
                &doc("previous = \"programy/nie-ma.md\""),
            ),
            (
                "programy/inny-rodzaj.md",
                &doc("previous = \"strategie/zamowienia-pdf-1994.md\""),
            ),
            (
                "programy/petla-a.md",
                &doc("previous = \"programy/petla-b.md\""),
            ),
            (
                "programy/petla-b.md",
                &doc("previous = \"programy/petla-a.md\""),
            ),
            (
                "programy/zz-druga-1997.md",
                &doc("previous = \"programy/zamowienia-1994.md\""),
            ),
            ("programy/etykieta.md", &doc("version = \"wersja robocza\"")),
            ("programy/sciezka.md", &doc("previous = \"../poza.md\"")),
        ],
    );
    let errors = jawnik::load_site(&root, None).unwrap_err();
    let found: Vec<(String, Option<usize>, Option<String>, String)> = errors
        .iter()
        .map(|d| (d.file.clone(), d.line, d.field.clone(), d.message.clone()))
        .collect();
    let expect = |file: &str, field: &str, words: &str| {
        assert!(
            found
                .iter()
                .any(|(f, l, fl, m)| f == &format!("content/programy/{file}")
                    && *l == Some(4)
                    && fl.as_deref() == Some(field)
                    && m.contains(words)),
            "no `{field}` error with {words:?} at content/programy/{file}:4 in {found:#?}"
        );
    };
    expect(
        "brak.md",
        "previous",
        "no such content file: content/programy/nie-ma.md",
    );
    expect(
        "inny-rodzaj.md",
        "previous",
        "is a strategia, not a program",
    );
    expect("petla-a.md", "previous", "cycle");
    expect("petla-b.md", "previous", "cycle");
    expect(
        "zz-druga-1997.md",
        "previous",
        "content/programy/zamowienia-1997.md already names content/programy/zamowienia-1994.md",
    );
    expect(
        "etykieta.md",
        "version",
        "unknown version \"wersja robocza\"",
    );
    expect("sciezka.md", "previous", "../poza.md");
    assert_eq!(errors.len(), 7, "{found:#?}");
}

#[test]
fn a_valid_chain_of_three_with_labels_loads() {
    let root = site_with(
        "versions-three",
        &[(
            "programy/zamowienia-przyjety.md",
            &doc("previous = \"programy/zamowienia-1997.md\"\nversion = \"przyjęty\""),
        )],
    );
    let site = jawnik::load_site(&root, None).unwrap_or_else(|e| panic!("{e:#?}"));
    let last = site.entry("programy/zamowienia-przyjety.md").unwrap();
    let chain: Vec<&str> = jawnik::content::versions::chain(&site.entries, last)
        .iter()
        .map(|e| e.content_path.as_str())
        .collect();
    assert_eq!(
        chain,
        [
            "programy/zamowienia-1994.md",
            "programy/zamowienia-1997.md",
            "programy/zamowienia-przyjety.md"
        ]
    );
}
