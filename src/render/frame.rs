//! The rendering frame every page kind shares: which pages a render covers ([`Scope`]), a
//! page to render (`Job`), the context common to every page (`Ctx`: site, theme, URLs,
//! navigation, the page's head), and the JSON-LD and URL-path encodings. The page kinds are
//! [`super::pages`], [`super::calendar`], [`super::contacts`], [`super::postulates`] and
//! [`super::accessibility`]; [`super::site`] renders them all.

use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

use super::markdown::slugify;
use super::templates::Theme;
use crate::config::accessibility::PAGE_PATH as STATEMENT_PATH;
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{ContactInfo, Entry, Kind, Site};
use crate::content::versions::{VersionIndex, VersionLinks};

/// The postulates tracker page (in the navigation when a report lists postulates).
pub const TRACKER_PATH: &str = "postulaty/";

/// Which pages [`super::site::render_site`] renders.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// The whole site, theme files included.
    All,
    /// For `jawnik serve` after a change: the pages of these entries (by `content_path`), and,
    /// when `lists`, every page listing entries (home, sections, taxonomies) with the feeds
    /// and the sitemap. Theme files are not copied.
    Pages {
        entries: &'a BTreeSet<String>,
        lists: bool,
    },
}

impl Scope<'_> {
    pub(super) fn entry(&self, content_path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Pages { entries, .. } => entries.contains(content_path),
        }
    }

    pub(super) fn lists(&self) -> bool {
        match self {
            Scope::All => true,
            Scope::Pages { lists, .. } => *lists,
        }
    }
}

/// A page to render: output path, template, context.
pub(super) struct Job {
    pub(super) path: String,
    pub(super) template: &'static str,
    pub(super) ctx: Value,
}

/// How many pages are made before they are rendered and written: the contexts held at once.
pub(super) const BATCH: usize = 256;

/// Where the page kinds put their pages: a batch of at most [`BATCH`] jobs, handed to `run`
/// (which renders and writes them) when full and at the end, so the whole site's contexts
/// and pages are never in memory together.
pub(super) struct Jobs<'r> {
    pending: Vec<Job>,
    run: &'r mut dyn FnMut(Vec<Job>),
    /// Pages that could not be made (a body that could not be read back).
    errors: Vec<Diagnostic>,
}

impl<'r> Jobs<'r> {
    pub(super) fn new(run: &'r mut dyn FnMut(Vec<Job>)) -> Self {
        Jobs {
            pending: Vec::with_capacity(BATCH),
            run,
            errors: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, job: Job) {
        self.pending.push(job);
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// A page that could not be made.
    pub(super) fn fail(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Hand over the jobs still waiting; the pages that could not be made.
    pub(super) fn finish(mut self) -> Vec<Diagnostic> {
        self.flush();
        std::mem::take(&mut self.errors)
    }

    /// Render and write the jobs waiting now (after a page whose context is large).
    pub(super) fn flush(&mut self) {
        if !self.pending.is_empty() {
            let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
            (self.run)(batch);
        }
    }
}

/// Serialise JSON-LD safely for a `<script>` element: `<`, `>` and `&` become `\u003c`, …
pub fn json_ld(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// What every page of one render reads: the site, the theme's asset URLs, and the cross-page structures
/// computed once per render (never per page: a page scanning the whole site makes the render
/// quadratic in the number of entries, see `docs/scaling.md`).
pub(super) struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) base: String,
    /// Each document's chain of versions.
    pub(super) versions: VersionIndex<'a>,
    /// Entries by path, the postulates answered in each document, which changes feeds exist.
    pub(super) version_links: VersionLinks<'a>,
    /// The coordinators, by department (slugified) then URL.
    pub(super) contacts: Vec<(&'a Entry, &'a ContactInfo)>,
    /// Whether any report lists postulates (the navigation links the tracker).
    pub(super) has_postulates: bool,
    /// The theme's asset URLs (each with its content hash), the same on every page.
    assets: Value,
    /// The site's languages, when it has more than one ([`super::languages`]).
    pub(super) languages: Option<&'a super::languages::Languages>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let mut contacts: Vec<(&Entry, &ContactInfo)> = site
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Kontakt)
            .filter_map(|e| e.contact.as_deref().map(|i| (e, i)))
            .collect();
        contacts.sort_by_cached_key(|(e, i)| (slugify(&i.department), e.url_path.clone()));
        let base = site.config.base_path();
        let assets = json!({
            "css": theme.asset_url(&base, "css/style.css"),
            // Themes without a css/pages.css (one stylesheet for all pages) link none.
            "pages_css": theme
                .static_files
                .contains_key("css/pages.css")
                .then(|| theme.asset_url(&base, "css/pages.css")),
            "filter_js": theme.asset_url(&base, "js/ngo-filter.js"),
            "postulate_filter_js": theme.asset_url(&base, "js/postulate-filter.js"),
            "search_js": theme.asset_url(&base, "js/search.js"),
            "search_wasm": format!(
                "{base}{}/{}",
                crate::export::SEARCH_DIR,
                crate::export::runtime_file_names(crate::index::site_runtime(site)).1
            ),
            "favicon": theme.asset_url(&base, "favicon.svg"),
        });
        let versions = VersionIndex::new(&site.entries);
        Ctx {
            site,
            theme,
            assets,
            base,
            version_links: VersionLinks::new(&site.entries, &versions),
            versions,
            contacts,
            has_postulates: site.has_postulates(),
            languages: None,
        }
    }

    /// Sets the search runtime the search page preloads: the whole site's, for a language view.
    pub(super) fn set_search_runtime(&mut self, runtime: crate::export::Runtime) {
        let base = self.site.config.base_path();
        self.assets["search_wasm"] = Value::String(format!(
            "{base}{}/{}",
            crate::export::SEARCH_DIR,
            crate::export::runtime_file_names(runtime).1
        ));
    }

    /// The language `lang` attribute of an entry's text shown in this view: `None` leaves it
    /// to the theme's `content_lang` (a site without translations: as before).
    pub(super) fn entry_lang<'e>(&self, e: &'e Entry) -> Option<&'e str> {
        self.languages
            .and_then(|l| l.entry_lang(&self.site.config.language, e))
    }

    /// The site's interface language.
    pub(super) fn locale(&self) -> &super::locale::Locale {
        &self.theme.locale
    }

    pub(super) fn url(&self, path: &str) -> String {
        self.site.config.url(path)
    }

    /// Links to the pages of these sectors: `{name, url}`.
    pub(super) fn sector_links(&self, slugs: &[String]) -> Vec<Value> {
        slugs
            .iter()
            .map(|s| json!({"name": self.sector_name(s), "url": self.url(&format!("branze/{s}/"))}))
            .collect()
    }

    pub(super) fn sector_name(&self, slug: &str) -> String {
        self.site
            .config
            .sector(slug)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| slug.to_string())
    }

    pub(super) fn district_name(&self, slug: &str) -> String {
        self.site
            .config
            .district(slug)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| slug.to_string())
    }

    pub(super) fn item(&self, e: &Entry) -> Value {
        json!({
            "title": e.title,
            "url": self.url(&e.url_path),
            "kind_label": self.locale().kind(e.kind),
            "date": e.sort_date().map(|d| self.locale().date(d)),
            "date_iso": e.sort_date().map(|d| d.to_string()),
            "status": e.status.map(|s| self.locale().status(s)),
            "summary": e.summary,
            "sector_slugs": e.sectors.join(" "),
            "district_slugs": e.districts.join(" "),
            "freshness": super::freshness::item_value(self.locale(), self.site, e),
            "lang": self.entry_lang(e),
        })
    }

    pub(super) fn items(&self, entries: &[&Entry]) -> Value {
        Value::Array(entries.iter().map(|e| self.item(e)).collect())
    }

    pub(super) fn nav(&self, current: &str) -> Value {
        let mut items: Vec<Value> = self
            .site
            .sections
            .iter()
            .map(|s| json!({"label": self.locale().kinds(s.kind), "url": self.url(&format!("{}/", s.kind.section())), "current": current == s.kind.section()}))
            .collect();
        if self.has_postulates {
            items.push(json!({"label": self.locale().text("nav.postulates"), "url": self.url(TRACKER_PATH), "current": current == "postulaty"}));
        }
        Value::Array(items)
    }

    /// The common context of every page.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn page(
        &self,
        current: &str,
        title: &str,
        description: &str,
        path: Option<&str>,
        og_type: &str,
        jsonld: Value,
        feed: Option<(&str, &str)>,
        breadcrumbs: &[(String, String)],
    ) -> Map<String, Value> {
        let cfg = &self.site.config;
        let mut m = Map::new();
        m.insert(
            "site".into(),
            json!({"title": cfg.title, "description": cfg.description, "base": self.url(""), "root": self.base, "language": cfg.language, "meta_csp": cfg.meta_csp,
                "statement": cfg.accessibility.as_ref().map(|_| json!({"url": self.url(STATEMENT_PATH), "absolute": cfg.absolute_url(STATEMENT_PATH)}))}),
        );
        let mut canonical = path.map(|p| cfg.absolute_url(p));
        if let Some(langs) = self.languages {
            let links = langs.page_links(self.site, &cfg.language, path);
            m.insert("languages".into(), links.switcher);
            m.insert("alternates".into(), links.alternates);
            if links.canonical.is_some() {
                canonical = links.canonical;
            }
        }
        m.insert("assets".into(), self.assets.clone());
        m.insert("nav".into(), self.nav(current));
        m.insert("current".into(), json!(current));
        m.insert(
            "breadcrumbs".into(),
            Value::Array(
                breadcrumbs
                    .iter()
                    .map(|(l, p)| json!({"label": l, "url": self.url(p)}))
                    .collect(),
            ),
        );
        let description = if description.is_empty() {
            cfg.description.as_str()
        } else {
            description
        };
        m.insert(
            "page".into(),
            json!({
                "title": title,
                "description": description,
                "canonical": canonical,
                "og_type": og_type,
                "jsonld": json_ld(&jsonld),
                "feed": feed.map(|(t, p)| json!({"title": t, "url": self.url(p)})),
            }),
        );
        m
    }

    pub(super) fn collection_ld(&self, name: &str, path: &str) -> Value {
        json!({
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": name,
            "url": self.site.config.absolute_url(path),
            "inLanguage": self.site.config.language,
            "isPartOf": {"@type": "WebSite", "name": self.site.config.title, "url": self.site.config.base_url},
        })
    }
}

/// The common context of a page (`Ctx::page`) extended by the page's own fields.
pub(super) fn page_context(m: Map<String, Value>, extra: Value) -> Value {
    let mut v = Value::Object(m);
    add_fields(&mut v, extra);
    v
}

/// Add the keys of object `extra` to object `v`.
pub(super) fn add_fields(v: &mut Value, extra: Value) {
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_is_script_safe() {
        let s = json_ld(&json!({"name": "</script><script>alert(1)</script>&"}));
        assert!(!s.contains('<'));
        assert!(s.contains("\\u003c/script\\u003e"));
    }
}
