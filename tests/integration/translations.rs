//! Translated pages over the `translations` fixture (a Polish report with a Ukrainian and an
//! English translation of a passage, made by the team and labelled so, and an untranslated
//! Polish report): each entry's language and translation key come from the file name
//! (`x.uk.md`), other languages' pages live under `/uk/`, `/en/`, and a suffix the site does
//! not publish or two files of one language for one key are errors naming the file, all at
//! once.

use crate::common;

use common::{copy_dir, fixture, temp_dir};
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
