//! The theme's comparison page (`themes/default/templates/compare.html`), rendered with the
//! theme's minijinja environment from the view of the statute fixture
//! (`tests/fixtures/compare/`, see its README): the summary in Polish with its plurals, the
//! `<ins>`/`<del>` marks with their hidden labels, heading anchors, the jump list, folds,
//! unique ids and working in-page links, escaping of hostile text, byte-identical output.
//! The page itself is made by [`fixture`], which `examples/compare_page.rs` shares to write
//! it for the browser test `tests/browser/compare.test.mjs`.

mod fixture;

use std::collections::BTreeSet;

use crate::common;
use fixture::{fixture_page, render};
use jawnik::diff::read_version;

/// The values of `attr="…"` in `html`.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn summary_marks_and_anchors() {
    let html = fixture_page();
    assert!(
        html.contains(
            "<p>Zmiany w tekście: 11 akapitów zmienionych, 21 dodanych, 5 usuniętych.</p>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "zgodnie z art. <del><span class=\"visually-hidden\">usunięto: </span>15</del><ins><span class=\"visually-hidden\">dodano: </span>14</ins> ust. "
    ));
    // A whole block added: its visible label is hidden from screen readers, which read the
    // label inside <ins>.
    assert!(html.contains("<div class=\"cmp-row cmp-added\"><p class=\"cmp-label\"><span class=\"cmp-status\" aria-hidden=\"true\">Dodano</span> </p><h4 id=\"art-6a\"><ins><span class=\"visually-hidden\">dodano: </span>Art. 6a.</ins></h4></div>"), "{html}");
    assert!(html.contains("<h3 id=\"rozdzial-1-przepisy-ogolne\">Rozdział 1. Przepisy ogólne</h3>"));
    assert!(html.contains("<h4 id=\"art-11\"><del><span class=\"visually-hidden\">usunięto: </span>Art. 11.</del></h4>"));
    assert!(html.contains("<li>Data: <del><span class=\"visually-hidden\">usunięto: </span>10 czerwca 1994</del> → <ins>"));
}

#[test]
fn jump_list_folds_ids_and_links() {
    let html = fixture_page();
    let ids = attributes(&html, "id");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    for href in attributes(&html, "href") {
        if let Some(id) = href.strip_prefix('#') {
            assert!(unique.contains(id), "#{id} has a target");
        }
    }
    let jump = &html[html.find("<nav class=\"cmp-jump\"").unwrap()..];
    let jump = &jump[..jump.find("</nav>").unwrap()];
    let targets: Vec<&str> = attributes(jump, "href");
    let expected: Vec<String> = (1..=11).map(|n| format!("#zmiana_{n}")).collect();
    assert_eq!(targets, expected);
    assert!(jump.contains("<a href=\"#zmiana_7\">Rozdział 2. Urząd Zamówień Publicznych › Art. 9.</a>: 1 akapit zmieniony — <q>1) zatwierdzanie wyboru trybu udzielania zamówienia publicznego innego niż przetarg nieograniczony, zgodnie…</q>"), "{jump}");
    assert!(
        jump.contains(": 1 akapit zmieniony, 6 dodanych — "),
        "{jump}"
    );
    // Folds of unchanged paragraphs, their count said with the right plural.
    let folds: Vec<&str> = html
        .match_indices("<summary>")
        .map(|(i, _)| {
            let rest = &html[i + 9..];
            &rest[..rest.find("</summary>").unwrap()]
        })
        .collect();
    assert!(!folds.is_empty());
    for f in folds {
        let (n, words) = f.split_once(' ').unwrap();
        let n: usize = n.parse().unwrap();
        let noun = jawnik::diff::text::plural(n, ["akapit", "akapity", "akapitów"]);
        assert_eq!(words, format!("{noun} bez zmian"));
    }
}

#[test]
fn hostile_text_is_escaped_and_output_is_deterministic() {
    let dir = common::temp_dir("compare-page-xss");
    let old = dir.join("a.md");
    let new = dir.join("b.md");
    std::fs::write(&old, "## Tytuł\n\nAkapit pierwszy bez zmian.\n").unwrap();
    std::fs::write(
        &new,
        "## Tytuł <img src=x onerror=alert(1)>\n\nAkapit pierwszy <script>alert(1)</script> bez zmian.\n\n<iframe srcdoc=\"x\"></iframe>\n\n{{ 7*191 }}\n",
    )
    .unwrap();
    let (a, b) = (read_version(&old).unwrap(), read_version(&new).unwrap());
    let html = render(&a, &b);
    for bad in ["<img", "<script>alert", "<iframe", "1337"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("{{ 7*191 }}"));
    assert_eq!(html, render(&a, &b), "byte-identical");
}
