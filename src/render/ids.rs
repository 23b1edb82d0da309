//! Element ids: which ones belong to the theme, and the anchors content may have instead.
//!
//! The theme's ids keep their names (`#tresc`, `#w-skrocie`, `#postulat-3` are public
//! anchors, and the scripts find their forms by id). Content never takes one of them: the
//! only ids a content body carries are the anchors jawnik gives its Markdown headings
//! (raw-HTML `id`s are removed by the sanitiser), and [`anchor`] never returns a theme id —
//! `## Postulat 1` becomes `#postulat-1-2`, `<h2 id="ngo-filter">` loses its id.
//!
//! Theme ids are the names in [`THEME_IDS`], the numbered families in [`NUMBERED`]
//! (`postulat-1`, `grupa-2`, `raport-3`) and everything under a prefix in [`PREFIXES`]
//! (`jawnik-…` for the search page and any id a theme adds, `miesiac-…`, `wydzial-…`,
//! `filtr-…`, `wzor-…`, `a11y-…` for the accessibility statement's required ids). `tests/integration/hostile.rs` checks that every id in the default theme's
//! templates is one of them.

/// The default theme's fixed ids.
pub const THEME_IDS: [&str; 33] = [
    "tresc",
    "q",
    "header-q",
    "w-skrocie",
    "metryczka",
    "zalaczniki",
    "spis-tresci",
    "powiazane",
    "zrodla",
    "koordynatorzy",
    "tabela-postulatow",
    "postulate-filter",
    "postulate-filter-status",
    "ngo-filter",
    "ngo-filter-status",
    "zawez",
    "subskrypcja",
    "wydzialy",
    "terminy",
    "najnowsze",
    "wg-rodzaju",
    "wg-branzy",
    "szukaj-naglowek",
    "wykres",
    "liczby",
    "spis-zmian",
    "porownanie",
    "liczby-plaszczyzny",
    "aktualnosc",
    "licencja-danych",
    "pliki-danych",
    "schemat-danych",
    "wersje",
];

/// Families of numbered theme ids: `{prefix}{n}`.
pub const NUMBERED: [&str; 3] = ["postulat-", "grupa-", "raport-"];

/// Prefixes reserved for the theme: no content id starts with one.
pub const PREFIXES: [&str; 7] = [
    "jawnik-", "miesiac-", "wydzial-", "filtr-", "wzor-", "wykres-", "a11y-",
];

/// Whether `id` is (or could be) one of the theme's ids.
pub fn is_theme_id(id: &str) -> bool {
    THEME_IDS.contains(&id)
        || PREFIXES.iter().any(|p| id.starts_with(p))
        || NUMBERED.iter().any(|p| {
            id.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// A content anchor from the slug `base`: `base` itself, or `base-2`, `base-3`… when that is
/// a theme id or already in `used`; a base under a theme prefix gets `sekcja-` before it, and
/// so does a heading named after a numbered family or a prefix (`postulat`, `wydzial`: their
/// `-2`, `-3`… are all theme ids) when that name is taken (`## Wykres`: `wykres` is a theme
/// id and `wykres-` a prefix). The result is added to `used`.
pub fn anchor(base: &str, used: &mut std::collections::BTreeSet<String>) -> String {
    let names_a_family = || {
        NUMBERED
            .iter()
            .chain(PREFIXES.iter())
            .any(|p| p.strip_suffix('-') == Some(base))
    };
    let base = if base.is_empty() {
        "sekcja".to_string()
    } else if PREFIXES.iter().any(|p| base.starts_with(p))
        || ((used.contains(base) || is_theme_id(base)) && names_a_family())
    {
        format!("sekcja-{base}")
    } else {
        base.to_string()
    };
    jawnik_analysis::number_past(base, used, is_theme_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn content_anchors_avoid_theme_ids() {
        let mut used = BTreeSet::new();
        let got: Vec<String> = [
            "postulat-1",
            "postulat-1",
            "tresc",
            "ngo-filter",
            "jawnik-search-status",
            "wydzial-kultury",
            "postulaty",
            "",
            "cele",
            "raport",
            "raport",
            "raport",
        ]
        .iter()
        .map(|b| anchor(b, &mut used))
        .collect();
        assert_eq!(
            got,
            [
                "postulat-1-2",
                "postulat-1-3",
                "tresc-2",
                "ngo-filter-2",
                "sekcja-jawnik-search-status",
                "sekcja-wydzial-kultury",
                "postulaty",
                "sekcja",
                "cele",
                "raport",
                "sekcja-raport",
                "sekcja-raport-2"
            ]
        );
        assert!(got.iter().all(|a| !is_theme_id(a)));
        // Every family and prefix named twice (their numbered forms are all taken).
        for stem in NUMBERED.iter().chain(PREFIXES.iter()) {
            let stem = stem.trim_end_matches('-');
            let twice = [anchor(stem, &mut used), anchor(stem, &mut used)];
            assert!(twice.iter().all(|a| !is_theme_id(a)), "{twice:?}");
        }
        assert!(is_theme_id("postulat-12") && !is_theme_id("postulat-12-a"));
        assert!(is_theme_id("miesiac-2026-11") && is_theme_id("grupa-3"));
    }
}
