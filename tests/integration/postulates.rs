//! Postulates over the example site (the seed report's Part I, all "bez odpowiedzi") and the
//! `calls-site` fixture (one postulate per answer): the tracker's counts equal the front
//! matter's, the chart is well-formed SVG with a title and a text alternative, every
//! postulate has its anchor on the report page, and the CLI search finds a postulate by its
//! words and points at its anchor.

use crate::common;

use common::{fixture, manifest_dir, read, temp_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const REPORT: &str = "content/raporty/raport-koncowy-konsultacje-wpw-2019-2022.md";
const ANSWERS: [&str; 4] = ["przyjęty", "w realizacji", "odrzucony", "bez odpowiedzi"];
const LABELS: [&str; 4] = ["Przyjęty", "W realizacji", "Odrzucony", "Bez odpowiedzi"];

/// The `[[postulates]]` of a Markdown file's front matter, read with a TOML parser.
fn front_matter_postulates(path: &Path) -> Vec<toml::Table> {
    let text = std::fs::read_to_string(path).unwrap();
    let fm = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("\n+++\n"))
        .unwrap()
        .0;
    let table: toml::Table = fm.parse().unwrap();
    table["postulates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_table().unwrap().clone())
        .collect()
}

fn build(root: &Path, name: &str) -> (PathBuf, PathBuf) {
    let dir = temp_dir(name);
    let out = dir.join("out");
    let index = dir.join("index");
    let opts = jawnik::BuildOptions {
        output: Some(out.clone()),
        index_dir: Some(index.clone()),
        today: Some(jawnik::Date::parse_iso("2026-11-25").unwrap()),
        ..jawnik::BuildOptions::new(root)
    };
    jawnik::build(&opts).unwrap();
    (out, index)
}

/// The rows of the tracker's "counts" table: label → number.
fn count_table(html: &str) -> BTreeMap<String, usize> {
    let start = html.find("<table class=\"counts\" id=\"liczby\">").unwrap();
    let end = html[start..].find("</table>").unwrap() + start;
    let mut out = BTreeMap::new();
    for row in html[start..end].split("<tr").skip(1) {
        let Some(th) = row.split("<th scope=\"row\">").nth(1) else {
            continue;
        };
        let label = th.split("</th>").next().unwrap().to_string();
        let n = row
            .split("<td>")
            .nth(1)
            .unwrap()
            .split("</td>")
            .next()
            .unwrap();
        out.insert(label, n.parse().unwrap());
    }
    out
}

/// The inline SVG chart, parsed as XML.
fn check_chart(html: &str, counts: [usize; 4]) {
    let start = html.find("<svg class=\"chart\"").expect("inline SVG chart");
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    let svg = &html[start..end];
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some("wykres-tytul wykres-opis")
    );
    let total: usize = counts.iter().sum();
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.attribute("id"), Some("wykres-tytul"));
    assert_eq!(
        title.text(),
        Some(format!("Postulaty według odpowiedzi miasta (razem {total})").as_str())
    );
    let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
    for (label, n) in LABELS.iter().zip(counts) {
        assert!(
            desc.text()
                .unwrap()
                .contains(&format!("{}: {n}", label.to_lowercase())),
            "{:?}",
            desc.text()
        );
    }
    // Each bar: its label and count written out, and its own fill pattern (no colour needed).
    let bars: Vec<_> = root.descendants().filter(|n| n.has_tag_name("g")).collect();
    assert_eq!(bars.len(), 4);
    let mut patterns = std::collections::BTreeSet::new();
    for (bar, (label, n)) in bars.iter().zip(LABELS.iter().zip(counts)) {
        let texts: Vec<&str> = bar.descendants().filter_map(|t| t.text()).collect();
        assert!(texts.contains(label), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.starts_with(&format!("{n} ("))),
            "{texts:?}"
        );
        let rect = bar.descendants().find(|r| r.has_tag_name("rect")).unwrap();
        patterns.insert(rect.attribute("fill").unwrap().to_string());
    }
    assert_eq!(patterns.len(), 4, "a distinct pattern per answer");
    // A text alternative beside the chart: the same numbers as a table.
    let table = count_table(html);
    for (label, n) in LABELS.iter().zip(counts) {
        assert_eq!(table[*label], n, "{label}");
    }
    assert_eq!(table["Razem"], total);
}

#[test]
fn example_site_tracker_counts_match_the_front_matter() {
    let root = manifest_dir();
    let postulates = front_matter_postulates(&root.join(REPORT));
    let mut counts = [0; 4];
    for p in &postulates {
        let i = ANSWERS
            .iter()
            .position(|a| p["status"].as_str() == Some(a))
            .unwrap();
        counts[i] += 1;
        assert!(
            p.get("answered").is_none() && p.get("reason").is_none(),
            "nothing invented"
        );
    }
    assert_eq!(counts, [0, 0, 0, postulates.len()]);
    let planes = |pl: &str| {
        postulates
            .iter()
            .filter(|p| p["plane"].as_str() == Some(pl))
            .count()
    };
    assert!(
        planes("I") > 0 && planes("II") > 0 && planes("III") > 0,
        "all three planes"
    );

    let (out, index) = build(&root, "post-example");
    let tracker = read(&out, "postulaty/index.html");
    check_chart(&tracker, counts);
    for (plane, n) in [
        ("I", planes("I")),
        ("II", planes("II")),
        ("III", planes("III")),
    ] {
        let row = format!("<tr><th scope=\"row\">Płaszczyzna {plane} –");
        let at = tracker.find(&row).unwrap_or_else(|| panic!("{row}"));
        let tr = &tracker[at..at + tracker[at..].find("</tr>").unwrap()];
        assert!(
            tr.ends_with(&format!(
                "<td>0</td><td>0</td><td>0</td><td>{n}</td><td>{n}</td>"
            )),
            "{tr}"
        );
    }

    // Every postulate has its anchor, in order, with its text.
    let page = read(
        &out,
        "raporty/raport-koncowy-konsultacje-wpw-2019-2022/index.html",
    );
    let mut from = 0;
    for (i, p) in postulates.iter().enumerate() {
        let id = format!(
            "<tr id=\"postulat-{}\" data-status=\"bez-odpowiedzi\"",
            i + 1
        );
        let at = page[from..].find(&id).unwrap_or_else(|| panic!("{id}")) + from;
        let text = jawnik::render::xml::escape_html(p["text"].as_str().unwrap());
        assert!(page[at..].starts_with(&id));
        assert!(
            page[at..at + page[at..].find("</tr>").unwrap()].contains(&text),
            "{}",
            i + 1
        );
        from = at;
    }
    assert!(page.contains("<form id=\"postulate-filter\" class=\"filter-form\" hidden>"));
    assert!(page.contains("/js/postulate-filter.js?v="));
    // No answer is known, so the feed of answers is empty (and invents no date).
    let feed = read(&out, "postulaty/atom.xml");
    assert!(!feed.contains("<entry>"));
    assert!(feed.contains("<updated>1970-01-01T00:00:00Z</updated>"));

    // The CLI search finds a postulate by its words and points at its anchor.
    let n = postulates
        .iter()
        .position(|p| p["text"].as_str() == Some("stworzenie harmonogramu konkursów otwartych"))
        .expect("the postulate the NGOs made about a calls timetable")
        + 1;
    let mut backend = jawnik::index::TantivyBackend::open(&index).unwrap();
    let request = jawnik::search::SearchRequest {
        query: "harmonogram konkursów".into(),
        facets: BTreeMap::new(),
        from: None,
        to: None,
        by_date: false,
        limit: 5,
        ..Default::default()
    };
    let response = jawnik::search::run(&mut backend, &request).unwrap();
    let first = &response.results[0];
    assert_eq!(first.kind, "postulat");
    assert_eq!(
        first.path,
        format!("raporty/raport-koncowy-konsultacje-wpw-2019-2022/#postulat-{n}")
    );
    let only = jawnik::search::SearchRequest {
        facets: BTreeMap::from([("kind".to_string(), ["postulat".to_string()].into())]),
        query: "inkubator dla NGO".into(),
        ..request
    };
    let response = jawnik::search::run(&mut backend, &only).unwrap();
    assert!(response.results.iter().all(|r| r.kind == "postulat"));
    assert!(response.results[0]
        .title
        .starts_with("stworzenie inkubatora dla NGO"));
}

#[test]
fn fixture_tracker_counts_each_answer_and_shows_reasons() {
    let root = fixture("calls-site");
    let postulates = front_matter_postulates(&root.join("content/raporty/konsultacje-fikstura.md"));
    let counts = ANSWERS.map(|a| {
        postulates
            .iter()
            .filter(|p| p["status"].as_str() == Some(a))
            .count()
    });
    assert_eq!(counts, [1, 1, 1, 1]);
    let (out, _) = build(&root, "post-fixture");
    let tracker = read(&out, "postulaty/index.html");
    check_chart(&tracker, counts);
    let page = read(&out, "raporty/konsultacje-fikstura/index.html");
    assert!(page.contains("<span class=\"answer answer-odrzucony\">Odrzucony</span> (<time datetime=\"2026-03-02\">2 marca 2026</time>)<br>Brak środków w budżecie (fikstura).</td>"));
    assert!(
        page.contains("<tr id=\"postulat-2\" data-status=\"odrzucony\" data-sector=\"ekologia\">")
    );
    // The sector filter offers the sectors present.
    assert!(page.contains("<option value=\"ekologia\">Ekologia i ochrona środowiska (1)</option>"));
    assert!(read(&out, "index.html").contains("href=\"/postulaty/\""));

    // The feed of the city's answers: answered postulates only, latest answer first.
    let feed = read(&out, "postulaty/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_string()
            };
            (child("id"), child("updated"))
        })
        .collect();
    let base = "https://example.org/raporty/konsultacje-fikstura/#postulat-";
    assert_eq!(
        entries,
        [
            (format!("{base}3"), "2026-03-03T00:00:00Z".to_string()),
            (format!("{base}2"), "2026-03-02T00:00:00Z".to_string()),
            (format!("{base}1"), "2026-03-01T00:00:00Z".to_string()),
        ]
    );
    assert!(feed.contains("Odpowiedź miasta: Odrzucony. Brak środków w budżecie (fikstura)."));
    assert!(tracker.contains("href=\"/postulaty/atom.xml\""));
}
