//! Builds the fixture site `tests/fixtures/site-ok` and checks the output: every page type,
//! links, feeds and sitemap as XML, document pages, escaping, determinism, sub-paths and the
//! output folder's safety rules.

use crate::common;

use common::*;

fn built(name: &str, base_url: Option<&str>) -> std::path::PathBuf {
    let out = temp_dir(name).join("public");
    build(&fixture("site-ok"), &out, base_url).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    out
}

#[test]
fn every_page_type_exists() {
    let out = built("pages", None);
    for p in [
        "index.html",
        "404.html",
        "szukaj/index.html",
        "strategie/index.html",
        "programy/index.html",
        "programy/strona/2/index.html",
        "raporty/index.html",
        "organizacje/index.html",
        "organizacje/strona/2/index.html",
        "strategie/strategia-rozwoju/index.html",
        "organizacje/fundacja-zielona/index.html",
        "branze/index.html",
        "branze/ekologia/index.html",
        "dzielnice/index.html",
        "dzielnice/nowa-huta/index.html",
        "lata/index.html",
        "lata/2018/index.html",
        "status/index.html",
        "status/obowiazuje/index.html",
        "atom.xml",
        "strategie/atom.xml",
        "branze/kultura/atom.xml",
        "sitemap.xml",
        "robots.txt",
        "css/style.css",
        "js/ngo-filter.js",
        ".jawnik-output",
        "pliki/strategie/files/strategia-2030.pdf",
        "pliki/raporty/pliki/wyniki ankiety.csv",
    ] {
        assert!(out.join(p).is_file(), "missing {p}");
    }
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn links_resolve() {
    let out = built("links", None);
    let (problems, checked) = check_links(&out, "/");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn feeds_and_sitemap_are_xml() {
    let out = built("xml", None);
    for p in [
        "atom.xml",
        "strategie/atom.xml",
        "programy/atom.xml",
        "raporty/atom.xml",
        "branze/ekologia/atom.xml",
        "sitemap.xml",
    ] {
        let text = read(&out, p);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(doc.root_element().tag_name().name() == "feed" || p == "sitemap.xml");
    }
    let atom = read(&out, "atom.xml");
    assert!(atom.contains("<id>https://example.org/strategie/strategia-rozwoju/</id>"));
    assert!(atom.contains("<updated>2023-11-02T00:00:00Z</updated>"));
    assert!(
        !atom.contains("program-bez-daty"),
        "undated documents stay out of feeds"
    );
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/organizacje/fundacja-zielona/</loc>"));
    assert!(sitemap.contains("<lastmod>2019-01-15</lastmod>"));
    assert!(!sitemap.contains("404"));
}

#[test]
fn document_page_shows_summary_metadata_and_attachments() {
    let out = built("doc", None);
    let html = read(&out, "strategie/strategia-rozwoju/index.html");
    let summary = html.find("W skrócie").expect("summary heading");
    let meta = html.find("Metryczka").expect("metryczka");
    let body = html.find("id=\"wprowadzenie\"").expect("body");
    assert!(
        summary < meta && meta < body,
        "summary first, then metryczka, then body"
    );
    assert!(html.contains("Długofalowy plan rozwoju miasta"));
    for label in [
        "Wydał",
        "Autor",
        "Data dokumentu",
        "Data publikacji",
        "Status",
        "Okres obowiązywania",
        "Branże",
        "Dzielnice",
        "Źródło",
        "Ostatnia aktualizacja",
    ] {
        assert!(html.contains(label), "metryczka row {label}");
    }
    assert!(html.contains("Rada Miasta Krakowa"));
    assert!(html.contains("25 maja 2018"));
    assert!(html.contains("Pełny tekst strategii</a> <span class=\"file-info\">(PDF, 27 B)</span>"));
    assert!(
        html.contains("Uchwała Rady Miasta</a> <span class=\"file-info\">(PDF, 200,0 KB)</span>")
    );
    assert!(
        html.contains("class=\"toc\""),
        "a long document has a table of contents"
    );
    assert!(html.contains("<table>"), "Markdown tables render");
    assert!(
        html.contains("Program ochrony środowiska"),
        "related document listed"
    );
    assert!(html.contains("Raport z konsultacji"), "backlink listed");
    assert!(html.contains("<link rel=\"canonical\""));
    assert!(html.contains("og:title"));
    assert!(html.contains("application/ld+json"));
    // Missing metadata is shown as missing, never guessed.
    let undated = read(&out, "programy/program-bez-daty/index.html");
    assert!(undated.contains("nie podano"));
    let csv = std::fs::read(out.join("pliki/raporty/pliki/wyniki ankiety.csv")).unwrap();
    assert_eq!(csv.len(), 3000);
    let report = read(&out, "raporty/konsultacje-2023/index.html");
    assert!(report.contains("wyniki%20ankiety.csv"));
    assert!(report.contains("(CSV, 2,9 KB)"));
}

#[test]
fn ngo_page_and_directory() {
    let out = built("ngo", None);
    let html = read(&out, "organizacje/fundacja-zielona/index.html");
    assert!(html.contains("0000012345"));
    assert!(html.contains("mailto:biuro@zielony.example.org"));
    assert!(html.contains("\"@type\":\"NGO\""));
    let dir = read(&out, "organizacje/index.html");
    assert!(dir.contains("id=\"ngo-filter\""));
    assert!(dir.contains("data-sectors=\"ekologia\""));
    assert!(dir.contains("js/ngo-filter.js"));
    // The fixture lists one entry a page (`page_size = 1`): the sector's entries are on
    // its pages.
    let sector = ["", "strona/2/", "strona/3/"]
        .map(|p| read(&out, &format!("branze/ekologia/{p}index.html")))
        .concat();
    assert!(sector.contains("Fundacja Zielony Kraków"));
    assert!(sector.contains("Program ochrony środowiska"));
}

#[test]
fn taxonomy_pages_are_paginated() {
    // A term's page would list every entry with the term (one page growing with the site):
    // its entries are paginated as a section's, `page_size` (here 1) a page, in group order
    // (documents newest first, then organisations), each group's heading counting the
    // whole term's entries of the group.
    let out = built("taxonomy-pages", None);
    let pages: Vec<String> = ["", "strona/2/", "strona/3/"]
        .iter()
        .map(|p| read(&out, &format!("branze/ekologia/{p}index.html")))
        .collect();
    assert!(!out.join("branze/ekologia/strona/4/index.html").exists());
    assert!(!out.join("branze/ekologia/strona/1/index.html").exists());
    let titles = [
        "Strategia Rozwoju Krakowa 2030",
        "Program ochrony środowiska",
        "Fundacja Zielony Kraków",
    ];
    for (n, page) in pages.iter().enumerate() {
        let listed: Vec<&str> = titles
            .iter()
            .copied()
            .filter(|t| page.contains(&format!(">{t}</a>")))
            .collect();
        assert_eq!(listed.len(), 1, "page {}: one entry, not {listed:?}", n + 1);
        assert!(page.contains("class=\"pagination\""), "page {}", n + 1);
        assert!(page.contains("aria-current=\"page\">"));
    }
    // Documents (2 in the term) come first, the organisation last.
    assert!(pages[0].contains("<span class=\"count\">(2)</span>"));
    assert!(pages[1].contains("<span class=\"count\">(2)</span>"));
    assert!(pages[2].contains(">Fundacja Zielony Kraków</a>"));
    assert!(pages[2].contains("<span class=\"count\">(1)</span>"));
    assert!(pages[1].contains("— strona 2 z 3"));
    assert!(pages[0].contains("href=\"/branze/ekologia/strona/2/\""));
    // The family's page still counts every entry of the term.
    let family = read(&out, "branze/index.html");
    assert!(
        family.contains("<span class=\"count\">(3)</span>"),
        "{family}"
    );
}

#[test]
fn home_and_search_pages() {
    let out = built("home", None);
    let home = read(&out, "index.html");
    let form = home.find("<form").expect("search form");
    assert!(
        form < home.find("Najnowsze dokumenty").unwrap(),
        "search box first"
    );
    assert!(home.contains("method=\"get\""));
    assert!(home.contains("<label for=\"q\">"));
    let search = read(&out, "szukaj/index.html");
    assert!(search.contains("id=\"jawnik-search-results\""));
    assert!(search.contains("data-index-url="));
    assert!(search.contains("<noscript>"));
}

#[test]
fn pages_pass_the_content_security_policy() {
    let out = built("csp", None);
    for (path, bytes) in tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(!html.contains(" style="), "{path}: style attribute");
        assert!(!html.contains("<style"), "{path}: style element");
        assert!(
            !html.contains(" onclick=") && !html.contains(" onerror="),
            "{path}: event handler"
        );
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(
                // Data blocks (JSON-LD, the search page's messages) are not run.
                tag.contains("type=\"application/ld+json\"")
                    || tag.contains("type=\"application/json\"")
                    || tag.contains(" src="),
                "{path}: inline script {tag}"
            );
        }
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"pl\">"),
            "{path}: lang"
        );
        assert!(html.contains("class=\"skip-link\""), "{path}: skip link");
    }
}

#[test]
fn untrusted_content_is_inert() {
    let out = built("escape", None);
    let html = read(&out, "raporty/escaping/index.html");
    assert!(
        !html.contains("<script>alert"),
        "script tags escaped or removed"
    );
    assert!(!html.contains("javascript:"), "javascript: links removed");
    assert!(!html.contains("onerror") && !html.contains("onclick"));
    assert!(!html.contains(" style="));
    assert!(html.contains("&lt;script&gt;alert("), "title shown as text");
    assert!(
        html.contains("{{ 7*7 }}"),
        "template syntax in content is not evaluated"
    );
    assert!(!html.contains("49"));
    assert!(html.contains("\\u003cscript\\u003e"), "JSON-LD escapes <");
    let list = read(&out, "raporty/index.html");
    assert!(!list.contains("<script>alert"));
    let atom = read(&out, "raporty/atom.xml");
    roxmltree::Document::parse(&atom).unwrap();
    assert!(atom.contains("&lt;script&gt;"));
}

#[test]
fn builds_are_byte_identical() {
    let a = built("det-a", None);
    let b = built("det-b", None);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
}

#[test]
fn works_under_a_sub_path() {
    let out = built("subpath", Some("https://example.org/ngo/"));
    let (problems, checked) = check_links(&out, "/ngo/");
    assert!(
        problems.is_empty(),
        "broken links under /ngo/:\n{}",
        problems.join("\n")
    );
    assert!(checked > 100);
    let home = read(&out, "index.html");
    assert!(
        home.contains("action=\"/ngo/szukaj/\"")
            || home.contains("action=\"&#x2f;ngo&#x2f;szukaj&#x2f;\"")
    );
    let doc = read(&out, "strategie/strategia-rozwoju/index.html");
    assert!(
        doc.contains("href=\"/ngo/programy/program-ekologiczny/\""),
        "root-relative Markdown links are rebased"
    );
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.org/ngo/sitemap.xml"));
    assert!(read(&out, "atom.xml").contains("https://example.org/ngo/strategie/strategia-rozwoju/"));
}

#[test]
fn rebuild_replaces_previous_output() {
    let dir = temp_dir("rebuild");
    let out = dir.join("public");
    build(&fixture("site-ok"), &out, None).unwrap();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    build(&fixture("site-ok"), &out, None).unwrap();
    assert!(!out.join("stale.html").exists(), "output is replaced whole");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with('.')),
        "no temporary folders left: {leftovers:?}"
    );
}

#[test]
fn refuses_to_replace_a_foreign_folder() {
    let dir = temp_dir("foreign");
    let out = dir.join("public");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("precious.txt"), "keep me").unwrap();
    let err = build(&fixture("site-ok"), &out, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refusing to replace"), "{err}");
    assert!(err.contains(".jawnik-output"), "{err}");
    assert_eq!(read(&out, "precious.txt"), "keep me");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn site_model_exposes_entries_for_the_indexer() {
    let site = jawnik::load_site(&fixture("site-ok"), None).unwrap();
    let e = site.entry("strategie/strategia-rozwoju.md").unwrap();
    assert_eq!(e.url_path, "strategie/strategia-rozwoju/");
    assert_eq!(e.kind, jawnik::Kind::Strategia);
    // A build's load holds no body text; the index reads it back from the file.
    assert_eq!(e.body_text, None);
    let text = jawnik::content::body::text(&site, e).unwrap();
    assert!(text.contains("Strategia opisuje wizję miasta."));
    assert_eq!(e.headings[0].anchor, "wprowadzenie");
    assert_eq!(e.headings[2].text, "Cel 1: Zielony Kraków");
    assert_eq!(e.sectors, ["kultura", "ekologia"]);
    assert_eq!(e.status, Some(jawnik::Status::Obowiazuje));
    assert_eq!(e.attachments[0].size, Some(27));
    assert_eq!(site.entries.len(), 7);
}
