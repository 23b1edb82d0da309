//! Atom feeds (RFC 4287), written by hand with proper XML escaping: the whole site
//! (`atom.xml`), each document section and the calls (`{section}/atom.xml`) and each sector
//! (`branze/{sector}/atom.xml`). Only dated documents and calls (dated by their announcement)
//! appear (feeds need dates and jawnik never invents one; coordinators have none); the feed's
//! `updated` is the newest entry date, never the build time.

use super::locale::Locale;
use super::xml::escape_xml;
use crate::content::date::Date;
use crate::content::model::AttachmentLink;
use crate::content::model::{Entry, Kind, Site};
use crate::output::OutputFile;

/// At most this many entries per feed.
pub const FEED_LIMIT: usize = 50;

/// The timestamp used when a feed has no dated entry at all.
pub(super) const EPOCH: &str = "1970-01-01T00:00:00Z";

pub(super) fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The start of an Atom feed at `feed_path` for the HTML page at `page_path`, up to its
/// entries: title, the site's description, id, links, `updated`, author, generator.
pub(super) fn head(
    site: &Site,
    title: &str,
    feed_path: &str,
    page_path: &str,
    updated: &str,
) -> String {
    let cfg = &site.config;
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    x.push_str(&escape_xml(&cfg.language));
    x.push_str("\">\n");
    x.push_str(&format!("  <title>{}</title>\n", escape_xml(title)));
    if !cfg.description.is_empty() {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_xml(&cfg.description)
        ));
    }
    x.push_str(&format!(
        "  <id>{}</id>\n",
        escape_xml(&cfg.absolute_url(feed_path))
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&cfg.absolute_url(feed_path))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(&cfg.absolute_url(page_path))
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape_xml(&cfg.title)
    ));
    x.push_str("  <generator>jawnik</generator>\n");
    x
}

/// An entry's categories: its kind (with its label) and its sectors.
pub(super) fn categories(x: &mut String, l: &Locale, e: &Entry) {
    x.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        e.kind.name(),
        escape_xml(l.kind(e.kind))
    ));
    for s in &e.sectors {
        x.push_str(&format!("    <category term=\"{}\"/>\n", escape_xml(s)));
    }
}

/// One Atom feed at `feed_path` for the HTML page at `page_path`.
pub fn atom(
    site: &Site,
    l: &Locale,
    title: &str,
    feed_path: &str,
    page_path: &str,
    entries: &[&Entry],
) -> String {
    let cfg = &site.config;
    let mut dated: Vec<(&Entry, Date)> = entries
        .iter()
        .filter(|e| e.kind.is_document() || e.kind == Kind::Konkurs)
        .filter_map(|e| e.last_modified().map(|d| (*e, d)))
        .collect();
    dated.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.url_path.cmp(&b.0.url_path)));
    dated.truncate(FEED_LIMIT);
    let updated = dated
        .first()
        .map(|(_, d)| stamp(*d))
        .unwrap_or_else(|| EPOCH.to_string());
    let mut x = head(site, title, feed_path, page_path, &updated);
    for (e, d) in dated {
        let url = cfg.absolute_url(&e.url_path);
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", escape_xml(&e.title)));
        x.push_str(&format!("    <id>{}</id>\n", escape_xml(&url)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&url)
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", stamp(d)));
        if let Some(p) = e.published.or(e.date) {
            x.push_str(&format!("    <published>{}</published>\n", stamp(p)));
        }
        if let Some(a) = e.author.as_ref().or(e.issuer.as_ref()) {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape_xml(a)
            ));
        }
        categories(&mut x, l, e);
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape_xml(&e.summary)
        ));
        for a in &e.attachments {
            let href = match a.link() {
                Some(AttachmentLink::File(p)) => cfg.root_absolute_url(&p),
                Some(AttachmentLink::External(u)) => u.to_string(),
                None => continue,
            };
            let len = a
                .size
                .map(|s| format!(" length=\"{s}\""))
                .unwrap_or_default();
            x.push_str(&format!(
                "    <link rel=\"enclosure\" href=\"{}\" title=\"{}\"{len}/>\n",
                escape_xml(&href),
                escape_xml(&a.title)
            ));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// All feeds of the site.
pub fn all_feeds(site: &Site, l: &Locale) -> Vec<OutputFile> {
    let cfg = &site.config;
    let mut out = Vec::new();
    let all: Vec<&Entry> = site.entries.iter().collect();
    out.push(OutputFile {
        path: "atom.xml".into(),
        contents: atom(site, l, &cfg.title, "atom.xml", "", &all).into_bytes(),
    });
    for section in site
        .sections
        .iter()
        .filter(|s| s.kind.is_document() || s.kind == Kind::Konkurs)
    {
        let s = section.kind.section();
        let entries: Vec<&Entry> = site
            .entries
            .iter()
            .filter(|e| e.kind == section.kind)
            .collect();
        let path = format!("{s}/atom.xml");
        let title = format!("{}: {}", cfg.title, section.title);
        out.push(OutputFile {
            contents: atom(site, l, &title, &path, &format!("{s}/"), &entries).into_bytes(),
            path,
        });
    }
    for t in &cfg.sectors {
        let entries: Vec<&Entry> = site
            .entries
            .iter()
            .filter(|e| e.sectors.contains(&t.slug))
            .collect();
        let path = format!("branze/{}/atom.xml", t.slug);
        let title = format!("{}: {}", cfg.title, t.name);
        out.push(OutputFile {
            contents: atom(
                site,
                l,
                &title,
                &path,
                &format!("branze/{}/", t.slug),
                &entries,
            )
            .into_bytes(),
            path,
        });
    }
    out
}
