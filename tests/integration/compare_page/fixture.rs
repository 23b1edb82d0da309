//! The comparison page of the statute fixture (`tests/fixtures/compare/`), rendered with the
//! theme's minijinja environment and a base context like the site's: what the tests of
//! `compare_page.rs` check, and what `examples/compare_page.rs` writes for the browser test.

use std::path::Path;

use jawnik::diff::{read_version, Version};
use jawnik::render::templates::Theme;
use serde_json::json;

/// The theme as a site without its own themes/ folder gets it: the repository's.
pub fn theme() -> Theme {
    Theme::load(Path::new(env!("CARGO_MANIFEST_DIR")), "default").expect("the default theme loads")
}

/// The comparison page of two versions, with a base context like the site's.
pub fn render(old: &Version, new: &Version) -> String {
    let theme = theme();
    let env = theme
        .environment("themes/default")
        .expect("templates parse");
    let ctx = json!({
        "site": {"title": "Witryna testowa", "description": "Test", "language": "pl", "base": "/"},
        "page": {"title": "Porównanie wersji", "description": "Porównanie", "canonical": "", "og_type": "article", "jsonld": "{}"},
        "assets": {"css": "/css/style.css", "pages_css": "/css/pages.css", "favicon": "/favicon.svg"},
        "nav": [],
        "current": "",
        "breadcrumbs": [],
        "compare": jawnik::diff::page_view(old, new, 1),
        "old": {"title": "Wersja z 1994 r.", "label": "tekst z 1994 r.", "url": "", "date": "10 czerwca 1994"},
        "new": {"title": "Ustawa o zamówieniach publicznych, rozdziały 1–2", "label": "po zmianach z 1997 r.", "url": "", "date": "29 sierpnia 1997"},
        "fields": [{"label": "Data", "old": "10 czerwca 1994", "new": "29 sierpnia 1997"}],
    });
    env.get_template("compare.html")
        .expect("compare.html is in the theme")
        .render(ctx)
        .expect("the page renders")
}

pub fn fixture_page() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compare");
    render(
        &read_version(&dir.join("zamowienia-1994.md")).unwrap(),
        &read_version(&dir.join("zamowienia-1997.md")).unwrap(),
    )
}
