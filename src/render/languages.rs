//! The site in each of its languages (`language` and `languages` of `jawnik.toml`): one
//! *view* per language, a whole site rendered with that language's locale under its prefix
//! (`/`, `/uk/`, `/en/`). A view holds one page per translation key: the translation in the
//! view's language, else the original (the site's language), else the first other one, shown
//! in its own language (`lang` on its text, `canonical` to its own page). This module makes
//! the views ([`Languages::view`]), and tells each page its language switcher and its
//! `<link rel="alternate" hreflang>` ([`Languages::page_links`]). A site without `languages`
//! has one view, the site itself, rendered as before.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::content::model::{Entry, Site};
use crate::content::translations::prefix;

/// The languages of a site and where each translation key's page is in each of them.
#[derive(Debug, Clone)]
pub struct Languages {
    /// The site's language (the root).
    pub default: String,
    /// Every language, the default first: tag and its name in itself (from its locale).
    pub names: Vec<(String, String)>,
    /// Translation key → language → the root-relative path of its own page (`uk/raporty/x/`),
    /// for the versions that exist.
    originals: BTreeMap<String, BTreeMap<String, String>>,
    /// (key, view language) → the path of the key's page in that view (`uk/raporty/x/`).
    in_view: BTreeMap<(String, String), String>,
    /// Per view language: the view's entry path (without prefix) → translation key and the
    /// language of the version shown.
    keys: BTreeMap<String, BTreeMap<String, (String, String)>>,
    /// The search runtime the whole site ships (a view's own entries cannot tell).
    pub runtime: crate::export::Runtime,
}

/// The language a view shows of `key`: its own version, else the default language's, else the
/// first in the site's order.
fn chosen<'a>(
    versions: &BTreeMap<&str, &'a Entry>,
    order: &[String],
    lang: &str,
) -> Option<&'a Entry> {
    versions
        .get(lang)
        .or_else(|| order.iter().find_map(|l| versions.get(l.as_str())))
        .copied()
}

/// The path of `e`'s page without its language prefix (`raporty/x/`).
fn bare_path<'a>(site: &Site, e: &'a Entry) -> &'a str {
    let p = prefix(&site.config, &e.language);
    e.url_path.strip_prefix(p.as_str()).unwrap_or(&e.url_path)
}

impl Languages {
    /// The languages of `site` and where each key's page is in each; `None` for a site
    /// without `languages` (rendered as it is). `names`: each language's name in itself.
    pub fn new(site: &Site, names: Vec<(String, String)>) -> Option<Languages> {
        if site.config.languages.is_empty() {
            return None;
        }
        let order: Vec<String> = site.config.all_languages().map(String::from).collect();
        let groups = groups(site);
        let mut langs = Languages {
            default: site.config.language.clone(),
            names,
            originals: BTreeMap::new(),
            in_view: BTreeMap::new(),
            keys: BTreeMap::new(),
            runtime: crate::index::site_runtime(site),
        };
        for (key, versions) in &groups {
            langs.originals.insert(
                key.to_string(),
                versions
                    .iter()
                    .map(|(l, e)| (l.to_string(), e.url_path.clone()))
                    .collect(),
            );
            for lang in &order {
                if let Some(e) = chosen(versions, &order, lang) {
                    let path = bare_path(site, e).to_string();
                    langs.in_view.insert(
                        (key.to_string(), lang.clone()),
                        format!("{}{path}", prefix(&site.config, lang)),
                    );
                    langs
                        .keys
                        .entry(lang.clone())
                        .or_default()
                        .insert(path, (key.to_string(), e.language.clone()));
                }
            }
        }
        Some(langs)
    }

    /// Every language of the site, the default first.
    pub fn order(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|(l, _)| l.as_str())
    }

    /// The site as the language `lang` shows it: its configuration in that language, one
    /// entry per translation key (made one language at a time: a view holds copies of the
    /// entries it shows).
    pub fn view(&self, site: &Site, lang: &str) -> Site {
        let order: Vec<String> = self.order().map(String::from).collect();
        let groups = groups(site);
        let mut config = site.config.clone();
        config.language = lang.to_string();
        config.lang_prefix = prefix(&site.config, lang);
        // The view's entry of each key, by the content path of every version (so that
        // `related` and `previous` naming any version lead to the view's page).
        let mut pick: BTreeMap<&str, &Entry> = BTreeMap::new();
        for versions in groups.values() {
            if let Some(e) = chosen(versions, &order, lang) {
                for other in versions.values() {
                    pick.insert(other.content_path.as_str(), e);
                }
            }
        }
        let repoint = |p: &String| {
            pick.get(p.as_str())
                .map(|c| c.content_path.clone())
                .unwrap_or_else(|| p.clone())
        };
        let entries = site
            .entries
            .iter()
            .filter(|e| {
                pick.get(e.content_path.as_str()).map(|c| &c.content_path) == Some(&e.content_path)
            })
            .map(|e| {
                let mut v = e.clone();
                v.url_path = bare_path(site, e).to_string();
                v.related = v.related.iter().map(repoint).collect();
                v.versions.previous = v.versions.previous.as_ref().map(repoint);
                v
            })
            .collect();
        Site {
            config,
            root: site.root.clone(),
            home: site.home.clone(),
            sections: site.sections.clone(),
            entries,
            other_files: site.other_files.clone(),
            today: site.today,
        }
    }
}

/// The entries of each translation key, by language.
fn groups(site: &Site) -> BTreeMap<&str, BTreeMap<&str, &Entry>> {
    let mut groups: BTreeMap<&str, BTreeMap<&str, &Entry>> = BTreeMap::new();
    for e in &site.entries {
        groups
            .entry(e.translation_key.as_str())
            .or_default()
            .insert(e.language.as_str(), e);
    }
    groups
}

/// What a page of a view links to in the other languages.
pub struct PageLinks {
    /// The language switcher: `{lang, name, url, current}` for each language.
    pub switcher: Value,
    /// `<link rel="alternate" hreflang>`: `{hreflang, href}` (absolute), `x-default` last.
    pub alternates: Value,
    /// The canonical address when the page shows a document of another language (its own
    /// page), absolute.
    pub canonical: Option<String>,
}

impl Languages {
    /// The switcher, alternates and canonical of the page at `path` (relative to the view's
    /// root; `None`: a page without an address of its own) in the view of `lang`.
    pub fn page_links(&self, site: &Site, lang: &str, path: Option<&str>) -> PageLinks {
        let cfg = &site.config;
        let shown = path.and_then(|p| self.keys.get(lang).and_then(|k| k.get(p)));
        let key = shown.map(|(k, _)| k);
        let url_in = |other: &str| -> String {
            let target = match (key, path) {
                (Some(k), _) => self.in_view.get(&(k.clone(), other.to_string())).cloned(),
                (None, Some(p)) => Some(format!("{}{p}", prefix_of(&self.default, other))),
                (None, None) => None,
            };
            cfg.root_url(&target.unwrap_or_else(|| prefix_of(&self.default, other)))
        };
        let switcher: Vec<Value> = self
            .names
            .iter()
            .map(|(l, name)| json!({"lang": l, "name": name, "url": url_in(l), "current": l == lang}))
            .collect();
        let mut alternates = Vec::new();
        let mut canonical = None;
        if let Some(k) = key {
            let own = &self.originals[k];
            if own.len() > 1 {
                for (l, _) in &self.names {
                    if let Some(p) = own.get(l) {
                        alternates.push(json!({"hreflang": l, "href": cfg.root_absolute_url(p)}));
                    }
                }
                if let Some(p) = own.get(&self.default) {
                    alternates
                        .push(json!({"hreflang": "x-default", "href": cfg.root_absolute_url(p)}));
                }
            }
            if let Some((_, shown_lang)) = shown.filter(|(_, l)| l != lang) {
                // Another language's document shown here: its own page is the canonical one.
                canonical = own.get(shown_lang).map(|p| cfg.root_absolute_url(p));
            }
        } else if path == Some("") {
            for (l, _) in &self.names {
                alternates.push(
                    json!({"hreflang": l, "href": cfg.root_absolute_url(&prefix_of(&self.default, l))}),
                );
            }
            alternates.push(json!({"hreflang": "x-default", "href": cfg.root_absolute_url("")}));
        }
        PageLinks {
            switcher: Value::Array(switcher),
            alternates: Value::Array(alternates),
            canonical,
        }
    }

    /// The language `content` of a document is written in when a view of `lang` shows it:
    /// `None` when it is the site's language (the theme's `content_lang` says it, as on a site
    /// without translations), `""` when it is the view's, else its tag.
    pub fn entry_lang<'e>(&self, lang: &str, e: &'e Entry) -> Option<&'e str> {
        if e.language == self.default {
            None
        } else if e.language == lang {
            Some("")
        } else {
            Some(&e.language)
        }
    }
}

fn prefix_of(default: &str, lang: &str) -> String {
    if lang == default {
        String::new()
    } else {
        format!("{lang}/")
    }
}
