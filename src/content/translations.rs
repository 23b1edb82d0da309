//! Translated pages, Zola's convention: `raporty/x.md` is in the site's `language`,
//! `raporty/x.uk.md` and `raporty/x.en.md` are its translations in languages listed in
//! `languages` of `jawnik.toml`. This module owns the file-name suffix ([`split_suffix`]), an
//! entry's language and translation key ([`language_of`]), the URL prefix of a language
//! ([`prefix`]), the checks across files ([`check`]: two files of one language for one key)
//! and the groups of translations the renderer links ([`Translations`]).

use std::collections::BTreeMap;

use super::diagnostics::Diagnostic;
use super::model::Entry;
use crate::config::Config;

/// A content path split into its translation key and language suffix:
/// `raporty/x.uk.md` → (`raporty/x.md`, Some(`uk`)), `raporty/x.md` → (`raporty/x.md`, None).
pub fn split_suffix(content_path: &str) -> (String, Option<&str>) {
    let Some(stem) = content_path.strip_suffix(".md") else {
        return (content_path.to_string(), None);
    };
    let (dir, name) = match stem.rfind('/') {
        Some(i) => stem.split_at(i + 1),
        None => ("", stem),
    };
    match name.rsplit_once('.') {
        Some((base, suffix)) if !base.is_empty() => (format!("{dir}{base}.md"), Some(suffix)),
        _ => (content_path.to_string(), None),
    }
}

/// The language and translation key of the page `content_path` on a site with `config`, or
/// the error when its suffix names a language the site does not publish.
pub fn language_of(config: &Config, content_path: &str) -> Result<(String, String), String> {
    let (key, suffix) = split_suffix(content_path);
    match suffix {
        None => Ok((config.language.clone(), key)),
        Some(s) if s == config.language || config.languages.iter().any(|l| l == s) => {
            Ok((s.to_string(), key))
        }
        Some(s) => Err(format!(
            "the file name's suffix `.{s}` names a language the site does not publish: \
             list it in `languages` of jawnik.toml ({}) or rename the file",
            if config.languages.is_empty() {
                "now empty".to_string()
            } else {
                format!("now {}", config.languages.join(", "))
            }
        )),
    }
}

/// The URL prefix of a language's pages, relative to the base URL: empty for the site's
/// `language`, `uk/` for another.
pub fn prefix(config: &Config, language: &str) -> String {
    if language == config.language {
        String::new()
    } else {
        format!("{language}/")
    }
}

/// Two files of one language for one translation key (`x.md` and `x.pl.md` on a Polish
/// site) are an error, on the later file.
pub fn check(entries: &[Entry]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(&str, &str), Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        seen.entry((e.translation_key.as_str(), e.language.as_str()))
            .or_default()
            .push(e);
    }
    let mut errors = Vec::new();
    for ((key, lang), mut group) in seen {
        group.sort_by(|a, b| a.source_file.cmp(&b.source_file));
        for e in &group[1..] {
            errors.push(Diagnostic::new(
                &e.source_file,
                format!(
                    "{} is already the `{lang}` version of content/{key}: one file per language",
                    group[0].source_file
                ),
            ));
        }
    }
    errors
}

/// The translations of each page: translation key → (language → index into the entries),
/// for the language switcher and `hreflang` links.
#[derive(Debug, Default, Clone)]
pub struct Translations {
    groups: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Translations {
    pub fn new(entries: &[Entry]) -> Self {
        let mut groups: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            groups
                .entry(e.translation_key.clone())
                .or_default()
                .entry(e.language.clone())
                .or_insert(i);
        }
        Translations { groups }
    }

    /// The versions of `entry` by language (itself included), or `None` when it has no
    /// translation.
    pub fn of(&self, entry: &Entry) -> Option<&BTreeMap<String, usize>> {
        self.groups
            .get(&entry.translation_key)
            .filter(|g| g.len() > 1)
    }

    /// The entry of `key` in `language`, if there is one.
    pub fn get(&self, key: &str, language: &str) -> Option<usize> {
        self.groups.get(key).and_then(|g| g.get(language)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(
            split_suffix("raporty/x.uk.md"),
            ("raporty/x.md".into(), Some("uk"))
        );
        assert_eq!(split_suffix("raporty/x.md"), ("raporty/x.md".into(), None));
        assert_eq!(split_suffix("raporty/.md"), ("raporty/.md".into(), None));
        assert_eq!(split_suffix("x.en.md"), ("x.md".into(), Some("en")));
    }
}
