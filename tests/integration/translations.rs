//! Translated pages over the `translations` fixture (a Polish report with a Ukrainian and an
//! English translation of a passage, made by the team and labelled so, and an untranslated
//! Polish report): each entry's language and translation key come from the file name
//! (`x.uk.md`), other languages' pages live under `/uk/`, `/en/`, and a suffix the site does
//! not publish or two files of one language for one key are errors naming the file, all at
//! once. The built site has each language under its prefix with its interface, a language
//! switcher and `hreflang` links between translations, the untranslated report shown in
//! Polish (`lang="pl"`) in the other languages with `canonical` to its own page, feeds and
//! sitemaps per language, every link resolving (under a base path too).

use crate::common;

use common::{build, check_links, copy_dir, fixture, read, temp_dir, tree};
use std::fs;

const KEY: &str = "raporty/spotkanie-antydyskryminacja-2018-06-15.md";

#[test]
fn entries_carry_their_language_and_translation_key() {
    let site =
        jawnik::load_site(&fixture("translations"), None).unwrap_or_else(|e| panic!("{e:#?}"));
    let mut found: Vec<(&str, &str, &str)> = site
        .entries
        .iter()
        .filter(|e| e.translation_key == KEY)
        .map(|e| {
            (
                e.language.as_str(),
                e.content_path.as_str(),
                e.url_path.as_str(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "en",
                "raporty/spotkanie-antydyskryminacja-2018-06-15.en.md",
                "en/raporty/spotkanie-antydyskryminacja-2018-06-15/"
            ),
            ("pl", KEY, "raporty/spotkanie-antydyskryminacja-2018-06-15/"),
            (
                "uk",
                "raporty/spotkanie-antydyskryminacja-2018-06-15.uk.md",
                "uk/raporty/spotkanie-antydyskryminacja-2018-06-15/"
            ),
        ]
    );
    let uk = site
        .entry("raporty/spotkanie-antydyskryminacja-2018-06-15.uk.md")
        .unwrap();
    assert_eq!(uk.slug, "spotkanie-antydyskryminacja-2018-06-15");
    assert!(uk.title.starts_with("Підсумок"), "{}", uk.title);
    let untranslated = site
        .entry("raporty/spotkanie-kultura-2018-05-25.md")
        .unwrap();
    assert_eq!(untranslated.language, "pl");
    assert_eq!(untranslated.translation_key, untranslated.content_path);
    assert_eq!(site.config.languages, ["uk", "en"]);
}

#[test]
fn a_site_without_languages_keeps_its_entries_in_its_language() {
    let site = jawnik::load_site(&fixture("versions"), None).unwrap();
    assert!(site.config.languages.is_empty());
    for e in &site.entries {
        assert_eq!(e.language, "pl");
        assert_eq!(e.translation_key, e.content_path);
        assert!(!e.url_path.starts_with("pl/"), "{}", e.url_path);
    }
}

#[test]
fn unknown_suffixes_and_second_files_of_a_language_are_all_reported() {
    let root = temp_dir("translations-errors");
    copy_dir(&fixture("translations"), &root);
    let raporty = root.join("content/raporty");
    let pl = fs::read_to_string(raporty.join("spotkanie-kultura-2018-05-25.md")).unwrap();
    // `de` is not among `languages`; `x.pl.md` is a second Polish file of `x.md`'s key.
    fs::write(raporty.join("spotkanie-kultura-2018-05-25.de.md"), &pl).unwrap();
    fs::write(raporty.join("spotkanie-kultura-2018-05-25.pl.md"), &pl).unwrap();
    let errors = jawnik::load_site(&root, None).unwrap_err();
    let shown: Vec<String> = errors
        .iter()
        .map(|d| format!("{}: {}", d.file, d.message))
        .collect();
    assert_eq!(errors.len(), 2, "{shown:#?}");
    assert!(shown.iter().any(|s| s.starts_with(
        "content/raporty/spotkanie-kultura-2018-05-25.de.md: the file name's suffix `.de` names a language the site does not publish"
    )), "{shown:#?}");
    assert!(shown.iter().any(|s| s
        == "content/raporty/spotkanie-kultura-2018-05-25.pl.md: content/raporty/spotkanie-kultura-2018-05-25.md is already the `pl` version of content/raporty/spotkanie-kultura-2018-05-25.md: one file per language"),
        "{shown:#?}");
}

#[test]
fn languages_in_jawnik_toml_are_checked() {
    let base = "title = \"t\"\nbase_url = \"https://example.org/\"\n";
    let ok = jawnik::config::Config::parse(&format!("languages = [\"uk\", \"en\"]\n{base}"), None)
        .unwrap();
    assert_eq!(ok.all_languages().collect::<Vec<_>>(), ["pl", "uk", "en"]);
    for (bad, why) in [
        ("[\"de\"]", "unknown or unsupported language tag"),
        ("[\"pl\"]", "is the site's `language`"),
        ("[\"pl\"]\nlanguage = \"pl-PL\"", "is the site's `language`"),
        ("[\"uk\", \"uk\"]", "is listed twice"),
        ("[\"en-GB\"]", "primary language tag"),
    ] {
        let errors =
            jawnik::config::Config::parse(&format!("languages = {bad}\n{base}"), None).unwrap_err();
        assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
        assert!(errors[0].message.contains(why), "{bad}: {errors:?}");
        assert_eq!(errors[0].line, Some(1), "{bad}");
        assert_eq!(errors[0].field.as_deref(), Some("languages"));
    }
}

const PAGE: &str = "raporty/spotkanie-antydyskryminacja-2018-06-15/";
const UNTRANSLATED: &str = "raporty/spotkanie-kultura-2018-05-25/";

/// The `<head>` of a page.
fn head(html: &str) -> &str {
    &html[..html.find("</head>").expect("a head")]
}

/// The `(hreflang, href)` of the page's `<link rel="alternate" hreflang>`.
fn alternates(html: &str) -> Vec<(String, String)> {
    head(html)
        .split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|rest| {
            let (lang, rest) = rest.split_once('"').unwrap();
            let href = rest.split("href=\"").nth(1).unwrap();
            (
                lang.to_string(),
                href[..href.find('"').unwrap()].to_string(),
            )
        })
        .collect()
}

/// The language switcher's links: `(lang, href, current)`.
fn switcher(html: &str) -> Vec<(String, String, bool)> {
    let start = html
        .find("<nav class=\"language-switcher\"")
        .expect("a language switcher");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li><a href=\"")
        .skip(1)
        .map(|rest| {
            let (href, rest) = rest.split_once('"').unwrap();
            let lang = rest.split("lang=\"").nth(1).unwrap();
            let lang = &lang[..lang.find('"').unwrap()];
            let current = rest[..rest.find('>').unwrap()].contains("aria-current");
            (lang.to_string(), href.to_string(), current)
        })
        .collect()
}

#[test]
fn each_language_is_built_under_its_prefix_with_its_interface() {
    let dir = temp_dir("translations-build");
    let out = dir.join("out");
    build(&fixture("translations"), &out, None).unwrap();
    let pl = read(&out, &format!("{PAGE}index.html"));
    let uk = read(&out, &format!("uk/{PAGE}index.html"));
    let en = read(&out, &format!("en/{PAGE}index.html"));
    assert!(pl.starts_with("<!DOCTYPE html>\n<html lang=\"pl\">"));
    assert!(uk.starts_with("<!DOCTYPE html>\n<html lang=\"uk\">"));
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // The translation's own text, in the page's language (no `lang` of its own)…
    assert!(uk.contains("<h1>Підсумок консультаційної зустрічі"), "{uk}");
    assert!(uk.contains("У місті немає міграційної політики"));
    assert!(en.contains("<h1>Summary of the consultation meeting"));
    // …in the interface of that language (the skip link, the navigation).
    assert!(uk.contains(">Перейти до змісту</a>"));
    assert!(
        en.contains(">Skip to content</a>") || en.contains("Skip to"),
        "{en}"
    );
    assert!(pl.contains(">Przejdź do treści</a>"));
    // Navigation stays in the language's tree.
    assert!(uk.contains("href=\"/uk/szukaj/\""));
    assert!(uk.contains("href=\"/uk/raporty/\""));
    assert!(!pl.contains("href=\"/pl/"));

    // hreflang: the three versions and x-default (the Polish original), the same on each.
    let expected: Vec<(String, String)> = [
        ("pl", format!("https://example.org/{PAGE}")),
        ("uk", format!("https://example.org/uk/{PAGE}")),
        ("en", format!("https://example.org/en/{PAGE}")),
        ("x-default", format!("https://example.org/{PAGE}")),
    ]
    .into_iter()
    .map(|(l, h)| (l.to_string(), h))
    .collect();
    for html in [&pl, &uk, &en] {
        assert_eq!(alternates(html), expected);
    }
    assert!(head(&uk).contains(&format!(
        "<link rel=\"canonical\" href=\"https://example.org/uk/{PAGE}\">"
    )));

    // The switcher leads to the translations, the current one marked.
    assert_eq!(
        switcher(&uk),
        [
            ("pl".to_string(), format!("/{PAGE}"), false),
            ("uk".to_string(), format!("/uk/{PAGE}"), true),
            ("en".to_string(), format!("/en/{PAGE}"), false),
        ]
    );
    assert!(
        uk.contains(">Українська</a>") && uk.contains(">English</a>") && uk.contains(">Polski</a>")
    );
}

#[test]
fn untranslated_documents_are_shown_in_their_own_language() {
    let dir = temp_dir("translations-untranslated");
    let out = dir.join("out");
    build(&fixture("translations"), &out, None).unwrap();
    let uk = read(&out, &format!("uk/{UNTRANSLATED}index.html"));
    assert!(uk.starts_with("<!DOCTYPE html>\n<html lang=\"uk\">"));
    assert!(uk.contains("<h1 lang=\"pl\">Podsumowanie spotkania konsultacyjnego"));
    assert!(uk.contains("<div class=\"prose\" lang=\"pl\">"));
    // Its own page is the canonical one; no translations, so no hreflang.
    assert!(head(&uk).contains(&format!(
        "<link rel=\"canonical\" href=\"https://example.org/{UNTRANSLATED}\">"
    )));
    assert!(alternates(&uk).is_empty());
    // On the Ukrainian list: the translation in Ukrainian, the untranslated one marked Polish.
    let list = read(&out, "uk/raporty/index.html");
    assert!(list.contains(&format!(
        "<a href=\"/uk/{PAGE}\">Підсумок консультаційної зустрічі"
    )));
    assert!(list.contains(&format!(
        "<a href=\"/uk/{UNTRANSLATED}\" lang=\"pl\">Podsumowanie spotkania"
    )));
    // The Polish list has no `lang` on its Polish items.
    let pl_list = read(&out, "raporty/index.html");
    assert!(pl_list.contains(&format!("<a href=\"/{PAGE}\">Podsumowanie spotkania")));
    assert!(pl_list.contains(&format!(
        "<a href=\"/{UNTRANSLATED}\">Podsumowanie spotkania"
    )));
    // Each language's sitemap lists its own pages, not another language's document shown
    // in it; robots.txt names the three.
    let uk_sitemap = read(&out, "uk/sitemap.xml");
    assert!(uk_sitemap.contains(&format!("<loc>https://example.org/uk/{PAGE}</loc>")));
    assert!(!uk_sitemap.contains(UNTRANSLATED));
    assert!(uk_sitemap.contains("<loc>https://example.org/uk/raporty/</loc>"));
    let sitemap = read(&out, "sitemap.xml");
    assert!(!sitemap.contains("example.org/uk/"));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n\
         Sitemap: https://example.org/uk/sitemap.xml\nSitemap: https://example.org/en/sitemap.xml\n"
    );
    // Feeds per language.
    let feed = read(&out, "uk/atom.xml");
    assert!(feed.contains("xml:lang=\"uk\""));
    assert!(feed.contains(&format!("https://example.org/uk/{PAGE}")));
    assert!(read(&out, "atom.xml").contains("xml:lang=\"pl\""));
    // The home pages are alternates of each other.
    let home = read(&out, "uk/index.html");
    assert_eq!(
        alternates(&home)
            .iter()
            .map(|(l, h)| format!("{l} {h}"))
            .collect::<Vec<_>>(),
        [
            "pl https://example.org/",
            "uk https://example.org/uk/",
            "en https://example.org/en/",
            "x-default https://example.org/"
        ]
    );
}

#[test]
fn every_link_resolves_and_builds_are_identical() {
    let dir = temp_dir("translations-links");
    let (a, b) = (dir.join("a"), dir.join("b"));
    build(
        &fixture("translations"),
        &a,
        Some("https://example.org/ngo/"),
    )
    .unwrap();
    build(
        &fixture("translations"),
        &b,
        Some("https://example.org/ngo/"),
    )
    .unwrap();
    let (problems, checked) = check_links(&a, "/ngo/");
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 500, "{checked}");
    assert!(tree(&a) == tree(&b), "two builds differ");
    let uk = read(&a, &format!("uk/{PAGE}index.html"));
    assert!(uk.contains(&format!("href=\"/ngo/{PAGE}\" lang=\"pl\"")));
    // The search page of every language reads the one index at the root.
    assert!(read(&a, "uk/szukaj/index.html").contains("data-index-url=\"/ngo/search/\""));
}

/// A copy of the site at `from` publishing Ukrainian and English as well.
fn with_languages(from: &std::path::Path, name: &str) -> std::path::PathBuf {
    let root = temp_dir(name).join("site");
    fs::create_dir_all(&root).unwrap();
    for part in ["content", "themes"] {
        if from.join(part).is_dir() {
            copy_dir(&from.join(part), &root.join(part));
        }
    }
    let toml = fs::read_to_string(from.join("jawnik.toml")).unwrap();
    fs::write(
        root.join("jawnik.toml"),
        format!("languages = [\"uk\", \"en\"]\n{toml}"),
    )
    .unwrap();
    root
}

#[test]
fn the_example_site_builds_in_every_language_with_its_links_resolving() {
    // The example site has no translated documents (none exist in the seeds): every page of
    // /uk/ and /en/ shows the Polish documents in that interface. Postulates, versions,
    // open data and the calendar are built in each language and their links resolve.
    let root = with_languages(&common::manifest_dir(), "translations-example");
    let out = root.with_file_name("public");
    build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    let (problems, checked) = check_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 1000, "{checked}");
    for lang in ["", "uk/", "en/"] {
        for feed in ["atom.xml", "sitemap.xml"] {
            let path = format!("{lang}{feed}");
            roxmltree::Document::parse(&read(&out, &path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
    let tracker = read(&out, "uk/postulaty/index.html");
    assert!(tracker.starts_with("<!DOCTYPE html>\n<html lang=\"uk\">"));
    let home = read(&out, "en/index.html");
    assert!(home.contains("<html lang=\"en\">") && home.contains(">Polski</a>"));
}

#[test]
fn versions_and_their_comparisons_are_built_in_every_language() {
    let root = with_languages(&fixture("versions"), "translations-versions");
    let out = root.with_file_name("public");
    build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    let (problems, _) = check_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let uk = read(&out, "uk/programy/zamowienia-1997/index.html");
    assert!(
        uk.contains("href=\"/uk/programy/zamowienia-1997/zmiany/\""),
        "{uk}"
    );
    assert!(uk.contains("href=\"/uk/programy/zamowienia-1994/\""));
    let compare = read(&out, "uk/programy/zamowienia-1997/zmiany/index.html");
    assert!(compare.starts_with("<!DOCTYPE html>\n<html lang=\"uk\">"));
}

#[test]
fn two_documents_may_not_share_a_slug_in_any_language() {
    // `y.uk.md` takes the slug of the untranslated `spotkanie-kultura-…` report: the Ukrainian
    // site would show both at /uk/raporty/spotkanie-kultura-2018-05-25/.
    let root = temp_dir("translations-slugs");
    copy_dir(&fixture("translations"), &root);
    let uk = fs::read_to_string(
        root.join("content/raporty/spotkanie-antydyskryminacja-2018-06-15.uk.md"),
    )
    .unwrap();
    fs::write(
        root.join("content/raporty/inny.uk.md"),
        uk.replacen("+++\n", "+++\nslug = \"spotkanie-kultura-2018-05-25\"\n", 1),
    )
    .unwrap();
    let errors = jawnik::load_site(&root, None).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].file,
        "content/raporty/spotkanie-kultura-2018-05-25.md"
    );
    assert!(
        errors[0].message.contains("content/raporty/inny.uk.md")
            && errors[0].message.contains("different documents"),
        "{errors:#?}"
    );
    assert_eq!(errors[0].field.as_deref(), Some("slug"));
}

#[test]
fn a_document_in_another_language_only_is_shown_on_the_default_languages_site() {
    // The English passage alone under a key of its own (`tylko-en.en.md`, no Polish file):
    // the Polish site shows it in English, marked so, its canonical the English page.
    let root = temp_dir("translations-only-en");
    copy_dir(&fixture("translations"), &root);
    let raporty = root.join("content/raporty");
    fs::rename(
        raporty.join("spotkanie-antydyskryminacja-2018-06-15.en.md"),
        raporty.join("tylko-en.en.md"),
    )
    .unwrap();
    let out = root.join("public");
    build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    let pl = read(&out, "raporty/tylko-en/index.html");
    assert!(pl.starts_with("<!DOCTYPE html>\n<html lang=\"pl\">"));
    assert!(pl.contains("<h1 lang=\"en\">Summary of the consultation meeting"));
    assert!(head(&pl)
        .contains("<link rel=\"canonical\" href=\"https://example.org/en/raporty/tylko-en/\">"));
    let en = read(&out, "en/raporty/tylko-en/index.html");
    assert!(en.contains("<h1>Summary of the consultation meeting"));
    assert!(!read(&out, "sitemap.xml").contains("raporty/tylko-en/"));
    assert!(read(&out, "en/sitemap.xml").contains("https://example.org/en/raporty/tylko-en/"));
    // The English page of the other report now shows the Polish original.
    let en_other = read(&out, &format!("en/{PAGE}index.html"));
    assert!(en_other.contains("<h1 lang=\"pl\">Podsumowanie spotkania"));
    let (problems, _) = check_links(&out, "/");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_calendar_and_coordinators_are_built_in_every_language() {
    let root = with_languages(&fixture("calls-site"), "translations-calls");
    let out = root.with_file_name("public");
    build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    let (problems, _) = check_links(&out, "/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for lang in ["uk", "en"] {
        let calendar = read(&out, &format!("{lang}/konkursy/index.html"));
        assert!(calendar.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")));
        // The calls are Polish documents shown in that interface: marked so.
        assert!(
            calendar.contains("class=\"item-title\"><a href=\"/"),
            "{calendar}"
        );
        assert!(calendar.contains(&format!("href=\"/{lang}/konkursy/")));
        assert!(calendar.contains("lang=\"pl\">"));
        let ics: Vec<String> = tree(&out)
            .into_keys()
            .filter(|k| k.starts_with(&format!("{lang}/")) && k.ends_with(".ics"))
            .collect();
        assert!(!ics.is_empty());
        assert!(tree(&out).contains_key(&format!("{lang}/kontakty/index.html")));
    }
}

#[test]
fn list_pages_after_the_first_are_titled_in_their_language() {
    // One entry a page: the reports' list has a second page in every language, its title
    // made from the locale's `list.page_title`, not Polish words in the code.
    let root = temp_dir("translations-page-titles");
    copy_dir(&fixture("translations"), &root);
    let toml = fs::read_to_string(root.join("jawnik.toml")).unwrap();
    fs::write(
        root.join("jawnik.toml"),
        toml.replace("theme = \"default\"", "theme = \"default\"\npage_size = 1"),
    )
    .unwrap();
    let out = root.join("public");
    build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    let title = |path: &str| {
        let html = read(&out, path);
        let start = html.find("<title>").expect("a <title>") + "<title>".len();
        html[start..start + html[start..].find("</title>").unwrap()].to_string()
    };
    let pl = title("raporty/strona/2/index.html");
    let en = title("en/raporty/strona/2/index.html");
    let uk = title("uk/raporty/strona/2/index.html");
    assert!(pl.contains("— strona 2"), "{pl}");
    assert!(en.contains("— page 2") && !en.contains("strona"), "{en}");
    assert!(
        uk.contains("— сторінка 2") && !uk.contains("strona"),
        "{uk}"
    );
}
