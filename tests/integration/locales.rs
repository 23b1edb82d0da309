//! The interface languages (`themes/default/locales/`, `src/render/locale.rs`): every locale
//! has every key; plural forms follow CLDR (Polish and Ukrainian one/few/many, English
//! one/other); dates in each language; `jawnik check` names a key or a plural form missing in
//! a theme's locale, and `jawnik.toml` an unknown language with its line; the example site
//! built in Ukrainian and in English has no word of the Polish interface left on any page,
//! feed or calendar (apart from the content, which stays Polish, and the accessibility statement, a Polish legal
//! document marked `lang="pl"`); the content, Polish, is marked `lang="pl"` on such a site.

use crate::common::*;
use jawnik::check::{check, CheckOptions};
use jawnik::config::Config;
use jawnik::render::locale::{Locale, LocaleFile, Message};
use jawnik::render::templates::Theme;
use jawnik::{Date, Kind, Status};
use std::collections::BTreeSet;
use std::path::Path;

fn theme() -> Theme {
    Theme::load(&manifest_dir(), "default").expect("the default theme loads")
}

fn locale(lang: &str) -> Locale {
    let theme = theme();
    let (_, file) = &theme.locale_files[lang];
    Locale::new(lang, file.clone()).unwrap()
}

#[test]
fn every_locale_has_every_key() {
    let theme = theme();
    let langs: Vec<&String> = theme.locale_files.keys().collect();
    assert_eq!(langs, ["en", "pl", "uk"]);
    let keys = |lang: &str| -> BTreeSet<String> {
        theme.locale_files[lang]
            .1
            .messages
            .keys()
            .cloned()
            .collect()
    };
    assert!(keys("pl").len() > 200, "{}", keys("pl").len());
    assert_eq!(keys("uk"), keys("pl"));
    assert_eq!(keys("en"), keys("pl"));
    assert!(jawnik::render::locale::check_locales(&theme.locale_files).is_empty());
}

#[test]
fn every_key_jawnik_uses_is_in_the_builtin_locales() {
    let pl = &theme().locale_files["pl"].1.messages;
    let mut used = BTreeSet::new();
    let mut scan = |dir: &Path, calls: &[&str]| {
        for e in walkdir::WalkDir::new(dir) {
            let e = e.unwrap();
            if !e.file_type().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            for call in calls {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
                        .collect();
                    // (A key put together in the template, `t("compare." ~ …)`, is not checked.)
                    if rest[key.len()..].starts_with('"')
                        && key.contains('.')
                        && !key.ends_with('.')
                    {
                        used.insert(key);
                    }
                }
            }
        }
    };
    for dir in ["src/render", "src/build"] {
        scan(
            &manifest_dir().join(dir),
            &[".text(\"", ".format(\"", ".plural(\""],
        );
    }
    scan(&manifest_dir().join("themes/default/templates"), &["t(\""]);
    assert!(used.len() > 100, "{used:?}");
    let missing: Vec<&String> = used.iter().filter(|k| !pl.contains_key(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but in no locale: {missing:?}"
    );
    let l = locale("pl");
    for k in Kind::ALL {
        assert!(!l.kind(k).is_empty() && !l.kinds(k).is_empty(), "{k:?}");
    }
    for s in Status::ALL {
        assert!(!l.status(s).is_empty(), "{s:?}");
    }
    for a in jawnik::content::postulates::Answer::ALL {
        assert!(!l.answer(a).is_empty(), "{a:?}");
    }
    for p in jawnik::content::postulates::Plane::ALL {
        assert!(!l.plane(p).is_empty(), "{p:?}");
    }
}

#[test]
fn plural_forms_follow_cldr() {
    let forms = |lang: &str, key: &str, ns: &[u64]| -> Vec<String> {
        let l = locale(lang);
        ns.iter().map(|n| l.plural(key, *n, &[])).collect()
    };
    assert_eq!(
        forms("pl", "entry.pages", &[1, 2, 5, 22, 12, 112]),
        [
            "1 strona",
            "2 strony",
            "5 stron",
            "22 strony",
            "12 stron",
            "112 stron"
        ]
    );
    assert_eq!(
        forms("pl", "freshness.months", &[1, 3, 12, 22, 25]),
        [
            "1 miesiąc",
            "3 miesiące",
            "12 miesięcy",
            "22 miesiące",
            "25 miesięcy"
        ]
    );
    assert_eq!(
        forms("uk", "entry.pages", &[1, 2, 5, 21, 11, 24]),
        [
            "1 сторінка",
            "2 сторінки",
            "5 сторінок",
            "21 сторінка",
            "11 сторінок",
            "24 сторінки"
        ]
    );
    assert_eq!(
        forms("uk", "calls.days_left", &[1, 3, 5, 21]),
        [
            "залишився 1 день",
            "залишилося 3 дні",
            "залишилося 5 днів",
            "залишився 21 день"
        ]
    );
    assert_eq!(
        forms("en", "entry.pages", &[1, 2, 21]),
        ["1 page", "2 pages", "21 pages"]
    );
    assert_eq!(locale("pl").category(22), "few");
    assert_eq!(locale("uk").category(21), "one");
    assert_eq!(locale("en").category(2), "other");
}

#[test]
fn dates_in_each_language() {
    let d = Date::parse_iso("2026-12-07").unwrap();
    let may = Date::parse_iso("2018-05-25").unwrap();
    assert_eq!(locale("pl").date(d), "7 grudnia 2026");
    assert_eq!(locale("pl").month_year(may), "maj 2018");
    assert_eq!(locale("uk").date(d), "7 грудня 2026");
    assert_eq!(locale("uk").date(may), "25 травня 2018");
    assert_eq!(locale("uk").month_year(may), "травень 2018");
    assert_eq!(locale("en").date(d), "7 December 2026");
    assert_eq!(locale("en").month_year(may), "May 2018");
}

/// The example site in a temporary folder, with `language` set.
fn example_in(name: &str, language: &str) -> std::path::PathBuf {
    site_in(&manifest_dir(), name, language)
}

/// The site at `src` (its content/ and jawnik.toml) in a temporary folder, in `language`.
fn site_in(src: &Path, name: &str, language: &str) -> std::path::PathBuf {
    let root = temp_dir(name);
    copy_dir(&src.join("content"), &root.join("content"));
    let config = read(src, "jawnik.toml");
    assert!(config.contains("language = \"pl\""));
    std::fs::write(
        root.join("jawnik.toml"),
        config.replace("language = \"pl\"", &format!("language = \"{language}\"")),
    )
    .unwrap();
    root
}

#[test]
fn check_names_a_key_missing_in_a_theme_locale() {
    let root = example_in("locales-check", "pl");
    let config = read(&root, "jawnik.toml");
    std::fs::write(
        root.join("jawnik.toml"),
        config.replace("theme = \"default\"", "theme = \"mine\""),
    )
    .unwrap();
    assert!(read(&root, "jawnik.toml").contains("theme = \"mine\""));
    // A theme overriding the templates adds a key in Polish only, and gives a Ukrainian
    // plural without the forms Ukrainian needs.
    let theme = root.join("themes/mine");
    copy_dir(
        &manifest_dir().join("themes/default/templates"),
        &theme.join("templates"),
    );
    std::fs::create_dir_all(theme.join("locales")).unwrap();
    std::fs::write(
        theme.join("locales/pl.toml"),
        "[mine]\nbanner = \"Serwis miejski\"\n",
    )
    .unwrap();
    std::fs::write(
        theme.join("locales/uk.toml"),
        "# Ukrainian\n\n[entry.pages]\none = \"{count} сторінка\"\nother = \"{count} сторінки\"\n",
    )
    .unwrap();
    let report = check(&CheckOptions::new(&root));
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let text = lines.join("\n");
    for want in [
        "themes/mine/locales/uk.toml: error: field `mine.banner`: key missing (the `pl` locale has it)",
        "themes/mine/locales/en.toml: error: field `mine.banner`: key missing (the `pl` locale has it)",
        "themes/mine/locales/uk.toml:3: error: field `entry.pages`: plural form missing: `uk` needs few, many",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want}\nnot in:\n{text}");
    }
    assert!(!text.contains("pl.toml: error"), "{text}");
    // `build` refuses the same theme with the same messages.
    let err = build(&root, &root.join("public"), None).unwrap_err();
    assert!(err.to_string().contains("field `mine.banner`"), "{err}");
    assert!(!root.join("public").exists());
}

#[test]
fn an_unknown_language_names_its_line() {
    let text = "title = \"T\"\nbase_url = \"https://example.org/\"\nlanguage = \"de\"\n";
    let errors = Config::parse(text, None).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert!(
        shown.iter().any(|s| s.starts_with(
            "jawnik.toml:3: field `language`: unknown or unsupported language tag `de`: use one of `pl`, `uk`, `en`"
        )),
        "{shown:?}"
    );
    // A payload in `language` (it goes into `<html lang>`) never gets that far.
    let hostile = "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"pl\\\"><script>alert(1)</script>\"\n";
    let errors = Config::parse(hostile, None).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .starts_with("jawnik.toml:3: field `language`: unknown"),
        "{errors:?}"
    );
    let ok = Config::parse(
        "title = \"T\"\nbase_url = \"https://e.org/\"\nlanguage = \"en-GB\"\n",
        None,
    )
    .unwrap();
    assert_eq!(ok.language, "en-GB");
}

/// The words (of three letters or more, lowercase) of some texts.
fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    texts
        .into_iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect()
}

fn locale_words(file: &LocaleFile) -> BTreeSet<String> {
    let mut texts = Vec::new();
    for m in file.messages.values() {
        match m {
            Message::Text(s) => texts.push(s.clone()),
            Message::List(l) => texts.extend(l.iter().cloned()),
            Message::Plural(f) => texts.extend(f.values().cloned()),
        }
    }
    words(texts.iter().map(String::as_str))
}

/// `text` without the elements from `open` to `close` (their content too).
fn without(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find(close)
            .map(|j| &rest[i + j + close.len()..])
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The text a reader meets on a page: text outside tags and the attributes read aloud or
/// shown (`aria-label`, `placeholder`, `title`, `alt`), scripts and code left out.
fn page_text(html: &str) -> String {
    let text = without(&without(html, "<code>", "</code>"), "<script", "</script>");
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    for attr in ["aria-label", "placeholder", "title", "alt"] {
        for v in attribute_values(&text, attr) {
            out.push(' ');
            out.push_str(&v);
        }
    }
    // File names (`konkursy.csv`), addresses (a feed entry's `<id>`, whose path has the site's
    // Polish slugs, `…/zmiany/`) and code (`<code>status</code>`) are not interface text.
    out.replace("&amp;", "&")
        .split_whitespace()
        .filter(|w| {
            ![".csv", ".json", ".ics", ".xml", "://"]
                .iter()
                .any(|x| w.contains(x))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Build the site at `src` in `lang` and list every page, feed and calendar that has a word
/// of the Polish interface (a word of `pl.toml` in neither `lang`'s file nor the site's own
/// content and jawnik.toml). Returns the output folder and the findings.
fn polish_left(src: &Path, lang: &str, min_pages: usize) -> (std::path::PathBuf, Vec<String>) {
    let theme = theme();
    let polish = locale_words(&theme.locale_files["pl"].1);
    let mut content = Vec::new();
    for e in walkdir::WalkDir::new(src.join("content")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            content.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    content.push(read(src, "jawnik.toml"));
    let content = words(content.iter().map(String::as_str));
    let own = locale_words(&theme.locale_files[lang].1);
    let only_polish: BTreeSet<&String> = polish
        .iter()
        .filter(|w| !own.contains(*w) && !content.contains(*w))
        .collect();
    assert!(only_polish.len() > 100, "{lang}: {}", only_polish.len());
    let name = src.file_name().unwrap().to_string_lossy();
    let root = site_in(src, &format!("locales-{name}-{lang}"), lang);
    let out = root.join("public");
    build(&root, &out, None).unwrap();
    let files = tree(&out);
    let pages: Vec<(&String, &Vec<u8>)> =
        files.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() >= min_pages, "{}", pages.len());
    let mut leaks = Vec::new();
    let mut look = |path: &str, text: &str| {
        let found: Vec<String> = words([page_text(text).as_str()])
            .into_iter()
            .filter(|w| only_polish.contains(w))
            .collect();
        if !found.is_empty() {
            leaks.push(format!("{path}: {found:?}"));
        }
    };
    // The feeds and calendars too (PRODID names the generator, not a reader's text).
    for (path, bytes) in files.iter().filter(|(p, _)| {
        (p.ends_with(".xml") && !p.ends_with("sitemap.xml")) || p.ends_with(".ics")
    }) {
        let text = String::from_utf8_lossy(bytes);
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("PRODID:"))
            .collect::<Vec<_>>()
            .join("\n");
        look(path, &text);
    }
    for (path, bytes) in pages {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
            "{path}"
        );
        if path == "deklaracja-dostepnosci/index.html" {
            assert!(html.contains("<article class=\"statement\" lang=\"pl\">"));
            continue;
        }
        look(path, &html);
    }
    (out, leaks)
}

#[test]
fn the_example_in_ukrainian_and_english_has_no_polish_interface_left() {
    for (lang, script) in [("uk", 'ї'), ("en", 'e')] {
        let (out, leaks) = polish_left(&manifest_dir(), lang, 40);
        assert!(
            leaks.is_empty(),
            "{lang}: Polish interface words:\n{}",
            leaks.join("\n")
        );
        let home = read(&out, "index.html");
        assert!(home.contains(script), "{lang}");
        // The (Polish) content is marked as such inside the page in another language.
        assert!(
            home.contains("<h1 id=\"szukaj-naglowek\" lang=\"pl\">"),
            "{lang}"
        );
        let report = read(
            &out,
            "raporty/raport-koncowy-konsultacje-wpw-2019-2022/index.html",
        );
        assert!(report.contains("<h1 lang=\"pl\">"), "{lang}");
        assert!(
            report.contains("<div class=\"prose\" lang=\"pl\">"),
            "{lang}"
        );
        assert!(
            report.contains("<h2 id=\"w-skrocie\">"),
            "{lang}: the interface's heading has no lang"
        );
        if lang == "uk" {
            assert!(home.contains("Найновіші документи"));
            assert!(read(&out, "raporty/index.html").contains("Звіти"));
        } else {
            assert!(home.contains("Latest documents"));
        }
    }
}

#[test]
fn a_polish_site_marks_no_content_language() {
    let out = temp_dir("locales-pl").join("public");
    build(&manifest_dir(), &out, None).unwrap();
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") && path != "deklaracja-dostepnosci/index.html" {
            let html = String::from_utf8(bytes).unwrap();
            // `<html lang="pl">` only.
            assert_eq!(html.matches("lang=\"pl\"").count(), 1, "{path}");
        }
    }
}

#[test]
fn comparison_pages_in_ukrainian_and_english_have_no_polish_interface_left() {
    for lang in ["uk", "en"] {
        let (out, leaks) = polish_left(&fixture("versions"), lang, 5);
        assert!(
            leaks.is_empty(),
            "{lang}: Polish interface words:\n{}",
            leaks.join("\n")
        );
        let compare: Vec<String> = tree(&out)
            .into_keys()
            .filter(|p| p.contains("/zmiany/") && p.ends_with("index.html"))
            .collect();
        assert!(!compare.is_empty(), "no comparison page");
        let page = read(&out, &compare[0]);
        let heading = if lang == "uk" {
            "Порівняння версій"
        } else {
            "Comparison of versions"
        };
        assert!(page.contains(heading), "{lang}");
        // What the versions brought (answer_ref, the archival versions' control, the changes
        // feeds) speaks the site's language too.
        let (answers, archival, feed) = if lang == "uk" {
            (
                "відповідає на пропозицію:",
                "показати архівні версії",
                "зміни в документах",
            )
        } else {
            (
                "answers a recommendation:",
                "show archived versions",
                "changes in documents",
            )
        };
        assert!(
            compare.iter().any(|p| read(&out, p).contains(answers)),
            "{lang}"
        );
        assert!(read(&out, "szukaj/index.html").contains(archival), "{lang}");
        assert!(read(&out, "zmiany/atom.xml").contains(feed), "{lang}");
    }
}
