//! Every page of the site: home, search, 404, section lists with pagination, document and
//! NGO pages, and the taxonomy pages (branże, dzielnice, lata, status). Builds the template
//! contexts (all URLs root-relative under the base path), renders them in parallel with
//! rayon, and adds feeds, the sitemap, robots.txt and the theme's static files.

use indicatif::ProgressBar;
use minijinja::Environment;
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

use super::templates::Theme;
use super::{
    accessibility, calendar, contacts, freshness, markdown::slugify, open_data, postulates,
    sitemap, OutputFile,
};
use crate::build::Site;
use crate::config::accessibility::PAGE_PATH as STATEMENT_PATH;
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{Entry, Kind, Status};

/// How many documents the home page lists as the latest.
pub const LATEST_ON_HOME: usize = 10;
/// A document gets a table of contents when it has at least this many headings.
pub const TOC_MIN_HEADINGS: usize = 3;

/// Which pages [`render_site`] renders.
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
    fn entry(&self, content_path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Pages { entries, .. } => entries.contains(content_path),
        }
    }

    fn lists(&self) -> bool {
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

/// Percent-encode a path for use in a URL (keeps `/` and unreserved characters).
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `1 strona`, `3 strony`, `5 stron`, `22 strony`.
fn pages_label(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        _ if n == 1 => "strona",
        (2..=4, r) if !(12..=14).contains(&r) => "strony",
        _ => "stron",
    };
    format!("{n} {word}")
}

/// A human-readable size in Polish notation (`1,5 MB`).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{:.1} {}", v, UNITS[unit]).replace('.', ",")
}

/// Documents newest first (undated last), then by title; NGO entries by name.
pub fn sort_entries(entries: &mut [&Entry]) {
    entries.sort_by(|a, b| {
        b.sort_date()
            .cmp(&a.sort_date())
            .then_with(|| slugify(&a.title).cmp(&slugify(&b.title)))
            .then_with(|| a.path.cmp(&b.path))
    });
}

fn sort_by_name(entries: &mut [&Entry]) {
    entries.sort_by(|a, b| {
        slugify(&a.title)
            .cmp(&slugify(&b.title))
            .then_with(|| a.path.cmp(&b.path))
    });
}

pub(super) struct Ctx<'a> {
    pub(super) site: &'a Site,
    pub(super) theme: &'a Theme,
    pub(super) base: String,
}

impl<'a> Ctx<'a> {
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
            "url": self.url(&e.path),
            "kind_label": e.kind.label(),
            "date": e.sort_date().map(|d| d.polish()),
            "date_iso": e.sort_date().map(|d| d.to_string()),
            "status": e.status.map(|s| s.label()),
            "summary": e.summary,
            "sector_slugs": e.sectors.join(" "),
            "district_slugs": e.districts.join(" "),
            "freshness": freshness::item_value(self, e),
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
            .map(|s| json!({"label": s.kind.label_plural(), "url": self.url(&format!("{}/", s.kind.section())), "current": current == s.kind.section()}))
            .collect();
        if postulates::any(self.site) {
            items.push(json!({"label": "Postulaty", "url": self.url(postulates::TRACKER_PATH), "current": current == "postulaty"}));
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
            json!({"title": cfg.title, "description": cfg.description, "base": self.base, "language": cfg.language, "meta_csp": cfg.meta_csp,
                "statement": cfg.accessibility.as_ref().map(|_| json!({"url": self.url(STATEMENT_PATH), "absolute": cfg.absolute_url(STATEMENT_PATH)}))}),
        );
        m.insert(
            "assets".into(),
            json!({
                "css": self.theme.asset_url(&self.base, "css/style.css"),
                "filter_js": self.theme.asset_url(&self.base, "js/ngo-filter.js"),
                "postulate_filter_js": self.theme.asset_url(&self.base, "js/postulate-filter.js"),
                "search_js": self.theme.asset_url(&self.base, "js/search.js"),
                "search_wasm": format!(
                    "{}{}/{}",
                    self.base,
                    crate::export::SEARCH_DIR,
                    crate::export::runtime_file_names().1
                ),
                "favicon": self.theme.asset_url(&self.base, "favicon.svg"),
            }),
        );
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
                "canonical": path.map(|p| cfg.absolute_url(p)),
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

pub(super) fn with(mut m: Map<String, Value>, extra: Value) -> Value {
    if let Value::Object(e) = extra {
        m.extend(e);
    }
    Value::Object(m)
}

/// Paginated list pages of `items` at `base_path` (`strategie/`), `strona/{n}/` for n ≥ 2.
fn paginate(
    total_items: usize,
    page_size: usize,
    base_path: &str,
) -> Vec<(String, std::ops::Range<usize>, usize, usize)> {
    let pages = total_items.div_ceil(page_size).max(1);
    (1..=pages)
        .map(|n| {
            let path = if n == 1 {
                base_path.to_string()
            } else {
                format!("{base_path}strona/{n}/")
            };
            let start = (n - 1) * page_size;
            (path, start..(start + page_size).min(total_items), n, pages)
        })
        .collect()
}

fn pagination_value(c: &Ctx, base_path: &str, n: usize, total: usize) -> Value {
    let page_url = |k: usize| {
        if k == 1 {
            c.url(base_path)
        } else {
            c.url(&format!("{base_path}strona/{k}/"))
        }
    };
    json!({
        "current": n,
        "total": total,
        "prev": (n > 1).then(|| page_url(n - 1)),
        "next": (n < total).then(|| page_url(n + 1)),
        "links": (1..=total).map(|k| json!({"number": k, "url": page_url(k), "current": k == n})).collect::<Vec<_>>(),
    })
}

fn entry_jobs(c: &Ctx, scope: Scope, jobs: &mut Vec<Job>) {
    let site = c.site;
    let cfg = &site.config;
    let by_path: BTreeMap<&str, &Entry> = site
        .entries
        .iter()
        .map(|e| (e.content_path.as_str(), e))
        .collect();
    let mut backlinks: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &site.entries {
        for r in &e.related {
            backlinks
                .entry(r.as_str())
                .or_default()
                .insert(e.content_path.as_str());
        }
    }
    for e in site.entries.iter().filter(|e| scope.entry(&e.content_path)) {
        let mut related: Vec<&Entry> = e
            .related
            .iter()
            .filter_map(|r| by_path.get(r.as_str()).copied())
            .collect();
        if let Some(back) = backlinks.get(e.content_path.as_str()) {
            for b in back {
                if !e.related.iter().any(|r| r == b) {
                    if let Some(x) = by_path.get(b) {
                        related.push(x);
                    }
                }
            }
        }
        let related: Vec<Value> = related
            .iter()
            .map(|r| json!({"title": r.title, "url": c.url(&r.path), "kind_label": r.kind.label()}))
            .collect();
        let sector_links = c.sector_links(&e.sectors);
        let district_links: Vec<Value> = e
            .districts
            .iter()
            .map(|s| json!({"name": c.district_name(s), "url": c.url(&format!("dzielnice/{s}/"))}))
            .collect();
        let row = |label: &str, value: Option<String>| json!({"label": label, "value": value});
        let links_row = |label: &str, links: &Vec<Value>| json!({"label": label, "links": links});
        let section_path = format!("{}/", e.kind.section());
        let breadcrumbs = vec![(e.kind.label_plural().to_string(), section_path.clone())];
        let (template, metadata, ld) = if let Some(call) = &e.call {
            let mut ld = json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": format!("Termin składania ofert: {}", e.title),
                "description": e.summary,
                "url": cfg.absolute_url(&e.path),
                "startDate": call.deadline.date.to_string(),
                "organizer": {"@type": "Organization", "name": call.department},
            });
            if let Some(u) = &call.url {
                ld.as_object_mut()
                    .expect("object")
                    .insert("sameAs".into(), json!(u));
            }
            ("entry.html", calendar::call_rows(c, e, call), ld)
        } else if let Some(info) = &e.contact {
            let ld = json!({
                "@context": "https://schema.org",
                "@type": "ContactPoint",
                "name": e.title,
                "description": e.summary,
                "url": cfg.absolute_url(&e.path),
                "email": info.email,
                "telephone": info.phone,
                "hoursAvailable": info.office_hours,
                "contactType": info.department,
            });
            ("entry.html", contacts::contact_rows(c, e, info), ld)
        } else if let Some(ngo) = &e.ngo {
            let mut ld = json!({
                "@context": "https://schema.org",
                "@type": "NGO",
                "name": e.title,
                "description": e.summary,
                "url": cfg.absolute_url(&e.path),
            });
            let o = ld.as_object_mut().expect("object");
            if let Some(a) = &ngo.address {
                o.insert("address".into(), json!(a));
            }
            if let Some(w) = &ngo.website {
                o.insert("sameAs".into(), json!(w));
            }
            if let Some(m) = &ngo.email {
                o.insert("email".into(), json!(m));
            }
            if let Some(p) = &ngo.phone {
                o.insert("telephone".into(), json!(p));
            }
            if let Some(k) = &ngo.krs {
                o.insert(
                    "identifier".into(),
                    json!({"@type": "PropertyValue", "propertyID": "KRS", "value": k}),
                );
            }
            let metadata = vec![
                row("Numer KRS", ngo.krs.clone()),
                row("Adres", ngo.address.clone()),
                json!({"label": "Strona internetowa", "value": ngo.website, "href": ngo.website, "external": true}),
                json!({"label": "E-mail", "value": ngo.email, "href": ngo.email.as_ref().map(|m| crate::content::address::mailto(m))}),
                json!({"label": "Telefon", "value": ngo.phone, "href": ngo.phone.as_ref().map(|p| format!("tel:{}", p.replace([' ', '(', ')', '/'], "")))}),
                links_row("Branże", &sector_links),
                links_row("Dzielnice", &district_links),
            ];
            ("ngo.html", metadata, ld)
        } else {
            let mut ld = json!({
                "@context": "https://schema.org",
                "@type": if e.kind == Kind::Raport { "Report" } else { "DigitalDocument" },
                "name": e.title,
                "description": e.summary,
                "url": cfg.absolute_url(&e.path),
                "inLanguage": cfg.language,
            });
            let o = ld.as_object_mut().expect("object");
            if let Some(d) = e.date {
                o.insert("dateCreated".into(), json!(d.to_string()));
            }
            if let Some(d) = e.published {
                o.insert("datePublished".into(), json!(d.to_string()));
            }
            if let Some(d) = e.updated {
                o.insert("dateModified".into(), json!(d.to_string()));
            }
            if let Some(i) = &e.issuer {
                o.insert(
                    "publisher".into(),
                    json!({"@type": "Organization", "name": i}),
                );
            }
            if let Some(a) = &e.author {
                o.insert("author".into(), json!({"@type": "Organization", "name": a}));
            }
            if !e.sectors.is_empty() {
                o.insert(
                    "keywords".into(),
                    json!(e
                        .sectors
                        .iter()
                        .map(|s| c.sector_name(s))
                        .collect::<Vec<_>>()
                        .join(", ")),
                );
            }
            if let Some(s) = &e.source {
                o.insert("sameAs".into(), json!(s));
            }
            let status_links: Vec<Value> = e
                .status
                .iter()
                .map(|s| json!({"name": s.label(), "url": c.url(&format!("status/{}/", s.slug()))}))
                .collect();
            let metadata = vec![
                row("Rodzaj dokumentu", Some(e.kind.label().to_string())),
                row("Wydał", e.issuer.clone()),
                row("Autor / opracowanie", e.author.clone()),
                row("Data dokumentu", e.date.map(|d| d.polish())),
                row("Data publikacji", e.published.map(|d| d.polish())),
                if status_links.is_empty() {
                    row("Status", None)
                } else {
                    links_row("Status", &status_links)
                },
                row("Okres obowiązywania", e.period.clone()),
                links_row("Branże", &sector_links),
                links_row("Dzielnice", &district_links),
                json!({"label": "Źródło (BIP)", "value": e.source, "href": e.source}),
                row("Ostatnia aktualizacja", e.updated.map(|d| d.polish())),
            ];
            ("entry.html", metadata, ld)
        };
        let attachments: Vec<Value> = e
            .attachments
            .iter()
            .map(|a| {
                let mut info = Vec::new();
                if let Some(f) = &a.format {
                    info.push(f.clone());
                }
                if let Some(s) = a.size {
                    info.push(human_size(s));
                }
                let extracted = a.text.as_ref().and_then(|t| t.as_ref().ok());
                if let Some(n) = extracted.and_then(|x| x.page_count()) {
                    info.push(pages_label(n));
                }
                // Files whose text was read are searchable; say so when it could not be.
                let no_text = matches!(&a.text, Some(Err(_)))
                    || matches!(&a.text, Some(Ok(x)) if !x.has_text());
                let info = if info.is_empty() { "format nieznany".to_string() } else { info.join(", ") };
                let (url, external) = match (&a.output_path(), &a.url) {
                    (Some(p), _) => (c.url(&encode_path(p)), false),
                    (None, Some(u)) => (u.clone(), true),
                    (None, None) => (String::new(), false),
                };
                json!({"title": a.title, "url": url, "external": external, "info": info, "format": a.format, "size": a.size, "no_text": no_text, "download": a.download})
            })
            .collect();
        let min_level = e.headings.iter().map(|h| h.level).min().unwrap_or(2);
        let toc: Vec<Value> = if e.headings.len() >= TOC_MIN_HEADINGS {
            e.headings
                .iter()
                .filter(|h| h.level <= min_level + 1)
                .map(|h| json!({"level": if h.level == min_level { 2 } else { 3 }, "text": h.text, "anchor": h.anchor}))
                .collect()
        } else {
            Vec::new()
        };
        let entry_value = json!({
            "title": e.title,
            "summary": e.summary,
            "kind_label": e.kind.label(),
            "status": e.status.map(|s| s.label()),
            "metadata": metadata,
            "attachments": attachments,
            "toc": toc,
            "body_html": e.body_html,
            "related": related,
            "sources": e.sources,
            "metadata_heading": match e.kind {
                Kind::Konkurs => Some("Najważniejsze informacje"),
                Kind::Kontakt => Some("Dane kontaktowe"),
                _ => None,
            },
            "coordinators": contacts::coordinators_for(c, e),
            "postulates": postulates::report_value(c, e),
            "ics": e.call.as_ref().map(|_| c.url(&calendar::call_ics_path(e))),
            "freshness": freshness::entry_value(c, e),
        });
        let og_type = if e.kind.is_document() {
            "article"
        } else {
            "profile"
        };
        let m = c.page(
            e.kind.section(),
            &e.title,
            &e.summary,
            Some(&e.path),
            og_type,
            ld,
            None,
            &breadcrumbs,
        );
        jobs.push(Job {
            path: format!("{}index.html", e.path),
            template,
            ctx: with(m, json!({ "entry": entry_value })),
        });
    }
}

fn section_jobs(c: &Ctx, jobs: &mut Vec<Job>) {
    let site = c.site;
    let cfg = &site.config;
    for section in &site.sections {
        let kind = section.kind;
        if matches!(kind, Kind::Konkurs | Kind::Kontakt) {
            // The calendar and the directory have pages of their own.
            continue;
        }
        let mut entries: Vec<&Entry> = site.entries.iter().filter(|e| e.kind == kind).collect();
        if kind.is_document() {
            sort_entries(&mut entries);
        } else {
            sort_by_name(&mut entries);
        }
        let base_path = format!("{}/", kind.section());
        let feed_path = format!("{}atom.xml", base_path);
        let feed_title = format!("{}: {}", cfg.title, section.title);
        let filters = (kind == Kind::Organizacja).then(|| {
            let count = |f: &dyn Fn(&Entry) -> bool| entries.iter().filter(|e| f(e)).count();
            json!({
                "sectors": cfg.sectors.iter().map(|t| json!({"slug": t.slug, "name": t.name, "url": c.url(&format!("branze/{}/", t.slug)), "count": count(&|e: &Entry| e.sectors.contains(&t.slug))})).collect::<Vec<_>>(),
                "districts": cfg.districts.iter().map(|t| json!({"slug": t.slug, "name": t.name, "url": c.url(&format!("dzielnice/{}/", t.slug)), "count": count(&|e: &Entry| e.districts.contains(&t.slug))})).collect::<Vec<_>>(),
                "freshness": freshness::filter_value(c, &entries),
            })
        });
        for (path, range, n, total) in paginate(entries.len(), cfg.page_size, &base_path) {
            let title = if n == 1 {
                section.title.clone()
            } else {
                format!("{} — strona {n}", section.title)
            };
            let feed = kind
                .is_document()
                .then_some((feed_title.as_str(), feed_path.as_str()));
            let m = c.page(
                kind.section(),
                &title,
                section.summary.as_deref().unwrap_or(""),
                Some(&path),
                "website",
                c.collection_ld(&title, &path),
                feed,
                &[],
            );
            jobs.push(Job {
                path: format!("{path}index.html"),
                template: "list.html",
                ctx: with(
                    m,
                    json!({
                        "heading": section.title,
                        "summary": section.summary,
                        "intro_html": if n == 1 { section.body_html.clone() } else { String::new() },
                        "items": c.items(&entries[range]),
                        "pagination": pagination_value(c, &base_path, n, total),
                        "filters": filters,
                    }),
                ),
            });
        }
    }
}

/// Taxonomy pages; returns the feeds to write for sectors.
fn taxonomy_jobs(c: &Ctx, jobs: &mut Vec<Job>) {
    let site = c.site;
    let cfg = &site.config;
    let docs: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| e.kind.is_document())
        .collect();
    let ngos: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Organizacja)
        .collect();
    let others: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| matches!(e.kind, Kind::Konkurs | Kind::Kontakt))
        .collect();

    let groups = |matching: &dyn Fn(&Entry) -> bool| -> (Value, usize) {
        let mut d: Vec<&Entry> = docs.iter().copied().filter(|e| matching(e)).collect();
        sort_entries(&mut d);
        let mut n: Vec<&Entry> = ngos.iter().copied().filter(|e| matching(e)).collect();
        sort_by_name(&mut n);
        let mut o: Vec<&Entry> = others.iter().copied().filter(|e| matching(e)).collect();
        sort_by_name(&mut o);
        let count = d.len() + n.len() + o.len();
        let mut g = Vec::new();
        if !d.is_empty() {
            g.push(json!({"label": "Dokumenty", "items": c.items(&d)}));
        }
        if !n.is_empty() {
            g.push(json!({"label": "Organizacje pozarządowe", "items": c.items(&n)}));
        }
        for kind in [Kind::Konkurs, Kind::Kontakt] {
            let k: Vec<&Entry> = o.iter().copied().filter(|e| e.kind == kind).collect();
            if !k.is_empty() {
                g.push(json!({"label": kind.label_plural(), "items": c.items(&k)}));
            }
        }
        (Value::Array(g), count)
    };

    type Term = (String, String, Box<dyn Fn(&Entry) -> bool>, Option<String>);
    let families: Vec<(&str, &str, &str, Vec<Term>)> = vec![
        (
            "branze",
            "Branże",
            "Dokumenty i organizacje według branży.",
            cfg.sectors
                .iter()
                .map(|t| {
                    let slug = t.slug.clone();
                    (
                        t.slug.clone(),
                        t.name.clone(),
                        Box::new(move |e: &Entry| e.sectors.contains(&slug))
                            as Box<dyn Fn(&Entry) -> bool>,
                        Some(format!("branze/{}/atom.xml", t.slug)),
                    )
                })
                .collect(),
        ),
        (
            "dzielnice",
            "Dzielnice",
            "Dokumenty i organizacje według dzielnicy.",
            cfg.districts
                .iter()
                .map(|t| {
                    let slug = t.slug.clone();
                    (
                        t.slug.clone(),
                        t.name.clone(),
                        Box::new(move |e: &Entry| e.districts.contains(&slug))
                            as Box<dyn Fn(&Entry) -> bool>,
                        None,
                    )
                })
                .collect(),
        ),
        (
            "lata",
            "Lata",
            "Dokumenty według roku (data dokumentu albo publikacji).",
            docs.iter()
                .filter_map(|e| e.year())
                .collect::<BTreeSet<u16>>()
                .into_iter()
                .rev()
                .map(|y| {
                    (
                        y.to_string(),
                        y.to_string(),
                        Box::new(move |e: &Entry| e.year() == Some(y))
                            as Box<dyn Fn(&Entry) -> bool>,
                        None,
                    )
                })
                .collect(),
        ),
        (
            "status",
            "Status dokumentów",
            "Dokumenty według statusu: projekt, konsultacje, obowiązujące, archiwalne.",
            Status::ALL
                .iter()
                .map(|&s| {
                    (
                        s.slug().to_string(),
                        s.label().to_string(),
                        Box::new(move |e: &Entry| e.status == Some(s))
                            as Box<dyn Fn(&Entry) -> bool>,
                        None,
                    )
                })
                .collect(),
        ),
    ];
    for (family, label, summary, terms) in families {
        let mut term_values = Vec::new();
        for (slug, name, matching, feed) in &terms {
            let path = format!("{family}/{slug}/");
            let (groups, count) = groups(matching.as_ref());
            term_values.push(json!({"name": name, "url": c.url(&path), "count": count}));
            let feed_title = format!("{}: {}", cfg.title, name);
            let m = c.page(
                family,
                name,
                &format!("{label}: {name}"),
                Some(&path),
                "website",
                c.collection_ld(name, &path),
                feed.as_deref().map(|f| (feed_title.as_str(), f)),
                &[(label.to_string(), format!("{family}/"))],
            );
            jobs.push(Job {
                path: format!("{path}index.html"),
                template: "list.html",
                ctx: with(
                    m,
                    json!({"heading": name, "summary": null, "groups": groups}),
                ),
            });
        }
        let path = format!("{family}/");
        let m = c.page(
            family,
            label,
            summary,
            Some(&path),
            "website",
            c.collection_ld(label, &path),
            None,
            &[],
        );
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "terms.html",
            ctx: with(
                m,
                json!({"heading": label, "summary": summary, "terms": term_values}),
            ),
        });
    }
}

/// The home, search and 404 pages.
fn home_jobs(c: &Ctx, jobs: &mut Vec<Job>) {
    let site = c.site;
    let cfg = &site.config;
    // Home.
    let mut latest: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| e.kind.is_document())
        .collect();
    sort_entries(&mut latest);
    latest.truncate(LATEST_ON_HOME);
    let kinds: Vec<Value> = site
        .sections
        .iter()
        .map(|s| json!({"name": s.kind.label_plural(), "url": c.url(&format!("{}/", s.kind.section())), "count": site.entries.iter().filter(|e| e.kind == s.kind).count()}))
        .collect();
    let sectors: Vec<Value> = cfg
        .sectors
        .iter()
        .map(|t| json!({"name": t.name, "url": c.url(&format!("branze/{}/", t.slug)), "count": site.entries.iter().filter(|e| e.sectors.contains(&t.slug)).count()}))
        .collect();
    let home_ld = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": cfg.title,
        "description": cfg.description,
        "url": cfg.base_url,
        "inLanguage": cfg.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}szukaj/?q={{search_term_string}}", cfg.base_url),
            "query-input": "required name=search_term_string",
        },
    });
    let m = c.page(
        "",
        &cfg.title,
        &cfg.description,
        Some(""),
        "website",
        home_ld,
        None,
        &[],
    );
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        ctx: with(
            m,
            json!({
                "intro": {"title": site.home.title, "summary": site.home.summary, "body_html": site.home.body_html},
                "latest": c.items(&latest),
                "kinds": kinds,
                "sectors": sectors,
                "calls": calendar::home_value(c),
                "postulates_url": postulates::any(site).then(|| c.url(postulates::TRACKER_PATH)),
            }),
        ),
    });

    // Search and 404.
    let search_ld = json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": "Szukaj", "url": cfg.absolute_url("szukaj/")});
    let m = c.page(
        "szukaj",
        "Szukaj",
        "Wyszukiwarka dokumentów i organizacji.",
        Some("szukaj/"),
        "website",
        search_ld,
        None,
        &[],
    );
    jobs.push(Job {
        path: "szukaj/index.html".into(),
        template: "search.html",
        ctx: Value::Object(m),
    });
    let nf_ld = json!({"@context": "https://schema.org", "@type": "WebPage", "name": "Nie znaleziono strony"});
    let m = c.page(
        "",
        "Nie znaleziono strony",
        "Pod tym adresem nie ma strony.",
        None,
        "website",
        nf_ld,
        None,
        &[],
    );
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        ctx: Value::Object(m),
    });
}

/// Render the whole site into output files. `progress` is advanced once per page.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    env: &Environment<'static>,
    scope: Scope,
    progress: Option<&ProgressBar>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let cfg = &site.config;
    let c = Ctx {
        site,
        theme,
        base: cfg.base_path(),
    };
    let mut jobs = Vec::new();

    if scope.lists() {
        home_jobs(&c, &mut jobs);
        section_jobs(&c, &mut jobs);
        taxonomy_jobs(&c, &mut jobs);
        calendar::calendar_jobs(&c, &mut jobs);
        contacts::directory_jobs(&c, &mut jobs);
        postulates::tracker_jobs(&c, &mut jobs);
        accessibility::statement_jobs(&c, &mut jobs);
        open_data::page_jobs(&c, &mut jobs);
    }
    entry_jobs(&c, scope, &mut jobs);

    if let Some(p) = progress {
        p.set_length(jobs.len() as u64);
    }
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let r = env
                .get_template(job.template)
                .and_then(|t| t.render(&job.ctx))
                .map(|html| OutputFile {
                    path: job.path.clone(),
                    contents: html.into_bytes(),
                })
                .map_err(|e| {
                    let mut msg = e.to_string();
                    let mut src = std::error::Error::source(&e);
                    while let Some(s) = src {
                        msg.push_str(&format!(": {s}"));
                        src = s.source();
                    }
                    Diagnostic::new(
                        format!(
                            "themes/{}/templates/{}",
                            cfg.theme,
                            e.name().unwrap_or(job.template)
                        ),
                        format!("while rendering {}: {msg}", job.path),
                    )
                    .with_line(e.line())
                });
            if let Some(p) = progress {
                p.inc(1);
            }
            r
        })
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    if scope.lists() {
        files.extend(super::feeds_and_calendars(site));
        files.extend(open_data::files(site));
        // Every entry page is in the sitemap, rendered this time or not.
        let entry_pages: Vec<String> = site
            .entries
            .iter()
            .map(|e| format!("{}index.html", e.path))
            .collect();
        let paths = files
            .iter()
            .map(|f| f.path.as_str())
            .chain(entry_pages.iter().map(String::as_str));
        files.push(OutputFile {
            path: "sitemap.xml".into(),
            contents: sitemap::sitemap(site, paths).into_bytes(),
        });
        files.push(OutputFile {
            path: "robots.txt".into(),
            contents: sitemap::robots(site).into_bytes(),
        });
    }
    if let Scope::All = scope {
        for (path, bytes) in &theme.static_files {
            files.push(OutputFile {
                path: path.clone(),
                contents: bytes.clone(),
            });
        }
    }
    files.sort();
    Ok(files)
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

    #[test]
    fn sizes() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1,5 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3,0 MB");
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("pliki/a b/ż.pdf"), "pliki/a%20b/%C5%BC.pdf");
    }

    #[test]
    fn pages() {
        let p = paginate(45, 20, "strategie/");
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].0, "strategie/strona/2/");
        assert_eq!(p[2].1, 40..45);
        assert_eq!(paginate(0, 20, "x/").len(), 1);
    }
}
