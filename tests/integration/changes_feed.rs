//! The changes feeds (Atom) over the `versions` fixture: the site's (`zmiany/atom.xml`) and
//! its sector's (`branze/zamowienia-publiczne/zmiany/atom.xml`) hold one entry per comparison
//! page, with the RFC 4287 elements, dated by the newer version, summarised as the comparison
//! page is, linking to it; a sector without versions gets none, nor does the example site;
//! the pages link them with `<link rel="alternate">`; two builds give the same bytes.

use crate::common;

use common::{build, fixture, read, temp_dir};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The child `name` of `n` in the Atom namespace.
fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    n.children()
        .find(|c| c.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("no <{name}> in {n:?}"))
}

/// (id, updated, alternate link, summary) of each entry, after checking the feed's and each
/// entry's required elements.
fn entries(feed: &str) -> Vec<[String; 4]> {
    let doc = roxmltree::Document::parse(feed).expect("well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "{feed}");
    for name in ["id", "title", "updated", "author"] {
        child(root, name);
    }
    root.descendants()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .map(|e| {
            let text = |name: &str| child(e, name).text().unwrap_or_default().to_string();
            assert!(!text("title").is_empty());
            let link = e
                .children()
                .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate"))
                .and_then(|l| l.attribute("href"))
                .expect("an alternate link")
                .to_string();
            [text("id"), text("updated"), link, text("summary")]
        })
        .collect()
}

/// The comparison page's summary line, as the feed words it.
fn page_summary(html: &str) -> String {
    let start = html.find("<p>Zmiany w tekście: ").expect("a summary") + 3;
    html[start..start + html[start..].find("</p>").unwrap()].to_string()
}

#[test]
fn one_entry_per_comparison_in_the_site_and_sector_feeds() {
    let dir = temp_dir("changes-feed");
    let out = dir.join("out");
    build(&fixture("versions"), &out, None).unwrap();
    let site = entries(&read(&out, "zmiany/atom.xml"));
    let comparisons = [
        "programy/zamowienia-1997/zmiany/",
        "strategie/zamowienia-pdf-1997/zmiany/",
    ];
    assert_eq!(site.len(), comparisons.len());
    for (entry, path) in site.iter().zip(comparisons) {
        let url = format!("https://example.org/{path}");
        assert_eq!(entry[0], url);
        assert_eq!(entry[2], url);
        assert_eq!(entry[1], "1997-08-29T00:00:00Z");
        assert_eq!(
            entry[3],
            page_summary(&read(&out, &format!("{path}index.html")))
        );
    }
    // The sector's feed: only the chain whose newer version is in it.
    let sector = entries(&read(&out, "branze/zamowienia-publiczne/zmiany/atom.xml"));
    assert_eq!(sector, site[..1]);
    assert!(!out.join("branze/inne/zmiany/atom.xml").exists());

    // Linked from the comparison pages, the versions' pages, the home page, the sector page.
    let link = |path: &str| {
        format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Wersje dokumentów (fikstura testowa): {}zmiany w dokumentach\" href=\"/{path}\">",
            if path.starts_with("branze") { "Zamówienia publiczne: " } else { "" })
    };
    let site_link = link("zmiany/atom.xml");
    let sector_link = link("branze/zamowienia-publiczne/zmiany/atom.xml");
    for (page, links) in [
        ("index.html", vec![&site_link]),
        (
            "programy/zamowienia-1997/zmiany/index.html",
            vec![&site_link, &sector_link],
        ),
        (
            "programy/zamowienia-1997/index.html",
            vec![&site_link, &sector_link],
        ),
        ("programy/zamowienia-1994/index.html", vec![&site_link]),
        (
            "strategie/zamowienia-pdf-1997/zmiany/index.html",
            vec![&site_link],
        ),
        ("branze/zamowienia-publiczne/index.html", vec![&sector_link]),
    ] {
        let html = read(&out, page);
        for l in links {
            assert!(html.contains(l.as_str()), "{page} lacks {l}");
        }
    }
    assert!(!read(&out, "raporty/postulat-roboty-budowlane/index.html").contains("zmiany/atom.xml"));

    // Deterministic.
    let again = dir.join("again");
    build(&fixture("versions"), &again, None).unwrap();
    for f in [
        "zmiany/atom.xml",
        "branze/zamowienia-publiczne/zmiany/atom.xml",
    ] {
        assert_eq!(read(&out, f), read(&again, f), "{f}");
    }
}

#[test]
fn a_site_without_versions_has_no_changes_feed() {
    let site = jawnik::load_site(&common::manifest_dir(), None).unwrap();
    let files = common::feeds::machine_readable(&site);
    assert!(files.iter().any(|f| f.path == "atom.xml"));
    assert!(
        !files.iter().any(|f| f.path.contains("zmiany")),
        "the example site has no versions"
    );
}
