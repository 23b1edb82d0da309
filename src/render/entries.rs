//! The page of each entry: a document's (metadata, attachments with their size and the pages
//! of their text, table of contents, postulates, the coordinators of its sectors, related
//! documents and those linking to it, its chain of versions), a call's, a coordinator's and an NGO entry's.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::frame::{page_context, Ctx, Job, Jobs, Scope, BATCH};
use super::{calendar, contacts, postulates};
use crate::content::diagnostics::Diagnostic;
use crate::content::model::AttachmentLink;
use crate::content::model::{Entry, Kind};

/// A document gets a table of contents when it has at least this many headings.
pub const TOC_MIN_HEADINGS: usize = 3;

/// `1 strona`, `3 strony`, `5 stron`, `22 strony`.
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

/// Who names each entry in `related` (its backlinks), computed once per render (entries by
/// content path are the context's, [`crate::content::versions::VersionLinks`]).
struct Links<'a> {
    backlinks: BTreeMap<&'a str, BTreeSet<&'a str>>,
}

impl<'a> Links<'a> {
    fn new(entries: &'a [Entry]) -> Self {
        let mut backlinks: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for e in entries {
            for r in &e.related {
                backlinks
                    .entry(r.as_str())
                    .or_default()
                    .insert(e.content_path.as_str());
            }
        }
        Links { backlinks }
    }
}

/// The pages of the entries in `scope`, made a batch at a time in parallel.
pub(super) fn entry_jobs(c: &Ctx, scope: Scope, jobs: &mut Jobs) {
    let links = Links::new(&c.site.entries);
    let chosen: Vec<&Entry> = c
        .site
        .entries
        .iter()
        .filter(|e| scope.entry(&e.content_path))
        .collect();
    for chunk in chosen.chunks(BATCH) {
        let made: Vec<Result<Job, Diagnostic>> =
            chunk.par_iter().map(|e| entry_job(c, &links, e)).collect();
        for job in made {
            match job {
                Ok(job) => jobs.push(job),
                Err(d) => jobs.fail(d),
            }
        }
    }
}

/// The page of one entry (its body read back from its file and rendered).
fn entry_job(c: &Ctx, links: &Links, e: &Entry) -> Result<Job, Diagnostic> {
    let cfg = &c.site.config;
    let (by_path, backlinks) = (&c.version_links.by_path, &links.backlinks);
    let l = c.locale();
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
        .map(|r| json!({"title": r.title, "url": c.url(&r.url_path), "kind_label": l.kind(r.kind), "lang": c.entry_lang(r)}))
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
    let breadcrumbs = vec![(l.kinds(e.kind).to_string(), section_path.clone())];
    let (template, metadata, ld) = if let Some(call) = &e.call {
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Event",
            "name": format!("Termin składania ofert: {}", e.title),
            "description": e.summary,
            "url": cfg.absolute_url(&e.url_path),
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
            "url": cfg.absolute_url(&e.url_path),
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
            "url": cfg.absolute_url(&e.url_path),
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
            row(l.text("field.krs"), ngo.krs.clone()),
            row(l.text("field.address"), ngo.address.clone()),
            json!({"label": l.text("field.website"), "value": ngo.website, "href": ngo.website, "external": true}),
            json!({"label": l.text("field.email"), "value": ngo.email, "href": ngo.email.as_ref().map(|m| crate::content::address::mailto(m))}),
            json!({"label": l.text("field.phone"), "value": ngo.phone, "href": ngo.phone.as_ref().map(|p| format!("tel:{}", p.replace([' ', '(', ')', '/'], "")))}),
            links_row(l.text("field.sectors"), &sector_links),
            links_row(l.text("field.districts"), &district_links),
        ];
        ("ngo.html", metadata, ld)
    } else {
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": if e.kind == Kind::Raport { "Report" } else { "DigitalDocument" },
            "name": e.title,
            "description": e.summary,
            "url": cfg.absolute_url(&e.url_path),
            "inLanguage": e.language,
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
            .map(|s| json!({"name": l.status(*s), "url": c.url(&format!("status/{}/", s.slug()))}))
            .collect();
        let metadata = vec![
            row(l.text("field.kind"), Some(l.kind(e.kind).to_string())),
            row(l.text("field.issuer"), e.issuer.clone()),
            row(l.text("field.author"), e.author.clone()),
            row(l.text("field.date"), e.date.map(|d| l.date(d))),
            row(l.text("field.published"), e.published.map(|d| l.date(d))),
            if status_links.is_empty() {
                row(l.text("field.status"), None)
            } else {
                links_row(l.text("field.status"), &status_links)
            },
            row(l.text("field.period"), e.period.clone()),
            links_row(l.text("field.sectors"), &sector_links),
            links_row(l.text("field.districts"), &district_links),
            json!({"label": l.text("field.source"), "value": e.source, "href": e.source}),
            row(l.text("field.updated"), e.updated.map(|d| l.date(d))),
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
                info.push(l.plural("entry.pages", n as u64, &[]));
            }
            // Files whose text was read are searchable; say so when it could not be.
            let no_text = matches!(&a.text, Some(Err(_)))
                || matches!(&a.text, Some(Ok(x)) if !x.has_text());
            let info = if info.is_empty() { l.text("entry.unknown_format").to_string() } else { info.join(", ") };
            let (url, external) = match a.link() {
                Some(AttachmentLink::File(p)) => (cfg.root_url(&p), false),
                Some(AttachmentLink::External(u)) => (u.to_string(), true),
                None => (String::new(), false),
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
        "lang": c.entry_lang(e),
        "summary": e.summary,
        "kind_label": l.kind(e.kind),
        "status": e.status.map(|s| l.status(s)),
        "metadata": metadata,
        "attachments": attachments,
        "toc": toc,
        "body_html": super::markdown::render(&crate::content::body::read(c.site, e)?, &c.base).html,
        "related": related,
        "sources": e.sources,
        "metadata_heading": match e.kind {
            Kind::Konkurs => Some(l.text("entry.call_metadata")),
            Kind::Kontakt => Some(l.text("entry.contact_metadata")),
            _ => None,
        },
        "coordinators": contacts::coordinators_for(c, e),
        "postulates": postulates::report_value(c, e),
        "ics": e.call.as_ref().map(|_| c.url(&calendar::call_ics_path(e))),
        "freshness": super::freshness::entry_value(l, c.site, e),
        "versions": super::versions::chain_value(c, e),
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
        Some(&e.url_path),
        og_type,
        ld,
        None,
        &breadcrumbs,
    );
    Ok(Job {
        path: format!("{}index.html", e.url_path),
        template,
        ctx: page_context(
            m,
            json!({
                "entry": entry_value,
                // A version's page links the changes feeds of its chain.
                "changes_feeds": if c.versions.chain(e).len() > 1 {
                    super::versions::changes_feed_links(c, true, &e.sectors)
                } else {
                    json!([])
                },
            }),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1,5 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3,0 MB");
    }
}
