//! Turns the loaded site ([`crate::content::model::Site`]) into the index's documents: every document,
//! NGO entry, call, coordinator and section page, and every postulate of a report (its own
//! record, pointing at its anchor on the report page). An entry's body text is read back
//! from its file as its document is made ([`crate::content::body::text`]), a batch of
//! documents at a time in parallel, so the site's text is never held whole.

use rayon::prelude::*;

use super::{Heading, IndexAttachment, IndexDoc, POSTULATE_KIND};
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{Entry, Site};
use crate::render::templates::CONTENT_LANGUAGE;

/// How many index documents are made at once (in parallel).
const BATCH: usize = 256;

/// Byte offsets in `text` (the entry's body text) where each heading's section starts
/// (found in order; a heading not found in the text starts where the previous one did).
fn locate_headings(entry: &Entry, text: &str) -> Vec<Heading> {
    let mut from = 0;
    entry
        .headings
        .iter()
        .map(|h| {
            if let Some(i) = text[from..].find(h.text.as_str()) {
                from += i;
            }
            Heading {
                text: h.text.clone(),
                anchor: h.anchor.clone(),
                offset: from,
            }
        })
        .collect()
}

/// An attachment as indexed: its link and the text extracted from it (none when unreadable).
fn index_attachment(a: &crate::content::model::Attachment) -> IndexAttachment {
    let (href, external) = match a.link() {
        Some(crate::content::model::AttachmentLink::File(p)) => (p, false),
        Some(crate::content::model::AttachmentLink::External(u)) => (u.to_string(), true),
        None => (String::new(), false),
    };
    let extracted = a.text.as_ref().and_then(|t| t.as_ref().ok());
    IndexAttachment {
        title: a.title.clone(),
        href,
        external,
        pages: extracted
            .filter(|x| x.has_text())
            .map(|x| x.pages.clone())
            .unwrap_or_default(),
        paged: extracted.is_some_and(|x| x.paged),
    }
}

/// The names of an entry's sectors and districts, and an organisation's address (people
/// search for the street).
fn tag_names(site: &Site, entry: &Entry) -> Vec<String> {
    let sectors = entry.sectors.iter().filter_map(|s| site.config.sector(s));
    let districts = entry
        .districts
        .iter()
        .filter_map(|d| site.config.district(d));
    let mut tags: Vec<String> = sectors.chain(districts).map(|t| t.name.clone()).collect();
    tags.extend(entry.ngo.as_ref().and_then(|n| n.address.clone()));
    tags.extend(entry.call.as_ref().map(|c| c.department.clone()));
    tags.extend(entry.contact.as_ref().map(|c| c.department.clone()));
    tags
}

/// The longest postulate title, in characters (longer texts are cut at a word).
const POSTULATE_TITLE_CHARS: usize = 110;

/// A postulate's title: its text, cut at a word boundary.
fn postulate_title(text: &str) -> String {
    if text.chars().count() <= POSTULATE_TITLE_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(POSTULATE_TITLE_CHARS).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

/// The index document of one of a report's postulates.
fn postulate_doc(
    site: &Site,
    entry: &Entry,
    p: &crate::content::postulates::Postulate,
    archival: bool,
) -> IndexDoc {
    let mut tags = vec![p.plane.label().to_string(), p.status.label().to_string()];
    tags.extend(
        p.sector
            .as_ref()
            .and_then(|s| site.config.sector(s))
            .map(|t| t.name.clone()),
    );
    tags.extend(p.department.clone());
    let mut body = p.text.clone();
    if let Some(r) = &p.reason {
        body.push('\n');
        body.push_str(r);
    }
    IndexDoc {
        url: postulate_url(entry, p),
        kind: POSTULATE_KIND.to_string(),
        title: postulate_title(&p.text),
        summary: format!(
            "Postulat nr {} ({}). Odpowiedź miasta: {}. Z raportu: {}",
            p.number,
            p.plane.label(),
            p.status.label().to_lowercase(),
            entry.title
        ),
        body,
        headings: Vec::new(),
        attachments: Vec::new(),
        tags,
        sectors: p.sector.iter().cloned().collect(),
        districts: Vec::new(),
        status: Some(p.status.value().to_string()),
        date: p.answered.or(entry.sort_date()).map(|d| d.to_string()),
        issuer: p.department.clone(),
        archival,
        language: entry_language(site, entry),
    }
}

fn postulate_url(entry: &Entry, p: &crate::content::postulates::Postulate) -> String {
    format!("{}#{}", entry.url_path, p.anchor)
}

/// Where an index document comes from.
#[derive(Clone, Copy)]
enum Source {
    Entry(usize),
    Postulate(usize, usize),
    Section(usize),
}

/// How many documents [`index_docs`] makes: one per entry, per postulate and per section.
pub fn index_doc_count(site: &Site) -> usize {
    site.entries.len()
        + site
            .entries
            .iter()
            .map(|e| e.postulates.len())
            .sum::<usize>()
        + site.sections.len()
}

/// The index documents of a site, in URL order (as the index writer takes them), each made
/// only when the iterator reaches its batch: the site's text is never copied whole. Earlier
/// versions (those a newer version names as its previous one) and their postulates are
/// archival. An entry whose file changed since it was loaded is an error (its text would not
/// be what was checked).
pub fn index_docs(site: &Site) -> impl Iterator<Item = Result<IndexDoc, Diagnostic>> + '_ {
    let archival: std::collections::BTreeSet<&str> = site
        .entries
        .iter()
        .filter_map(|e| e.versions.previous.as_deref())
        .collect();
    let is_archival = move |e: &Entry| archival.contains(e.content_path.as_str());
    let mut order: Vec<(String, Source)> = Vec::new();
    for (i, e) in site.entries.iter().enumerate() {
        order.push((e.url_path.clone(), Source::Entry(i)));
    }
    for (i, e) in site.entries.iter().enumerate() {
        for (j, p) in e.postulates.iter().enumerate() {
            order.push((postulate_url(e, p), Source::Postulate(i, j)));
        }
    }
    for (i, s) in site.sections.iter().enumerate() {
        order.push((section_url(s), Source::Section(i)));
    }
    // Stable: equal URLs keep the order above.
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let make = move |source: Source| -> Result<IndexDoc, Diagnostic> {
        Ok(match source {
            Source::Entry(i) => {
                let e = &site.entries[i];
                entry_doc(site, e, is_archival(e))?
            }
            Source::Postulate(i, j) => {
                let e = &site.entries[i];
                postulate_doc(site, e, &e.postulates[j], is_archival(e))
            }
            Source::Section(i) => {
                let s = &site.sections[i];
                IndexDoc {
                    url: section_url(s),
                    kind: "sekcja".to_string(),
                    title: s.title.clone(),
                    summary: s.summary.clone().unwrap_or_default(),
                    ..IndexDoc::default()
                }
            }
        })
    };
    let sources: Vec<Source> = order.into_iter().map(|(_, source)| source).collect();
    let batches: Vec<Vec<Source>> = sources.chunks(BATCH).map(<[Source]>::to_vec).collect();
    batches.into_iter().flat_map(move |batch| {
        batch
            .into_par_iter()
            .map(&make)
            .collect::<Vec<_>>()
            .into_iter()
    })
}

fn section_url(s: &crate::content::model::Section) -> String {
    format!("{}/", s.kind.section())
}

/// What the index knows of one entry.
pub fn index_doc(site: &Site, e: &Entry) -> Result<IndexDoc, Diagnostic> {
    let archival = site
        .entries
        .iter()
        .any(|x| x.versions.previous.as_deref() == Some(e.content_path.as_str()));
    entry_doc(site, e, archival)
}

/// [`index_doc`], told whether the entry is an earlier version.
fn entry_doc(site: &Site, e: &Entry, archival: bool) -> Result<IndexDoc, Diagnostic> {
    let text = crate::content::body::text(site, e)?;
    Ok(IndexDoc {
        url: e.url_path.clone(),
        kind: e.kind.name().to_string(),
        title: e.title.clone(),
        summary: e.summary.clone(),
        headings: locate_headings(e, &text),
        body: text,
        attachments: e.attachments.iter().map(index_attachment).collect(),
        tags: tag_names(site, e),
        sectors: e.sectors.clone(),
        districts: e.districts.clone(),
        status: e.status.map(|s| s.value().to_string()),
        date: e.sort_date().map(|d| d.to_string()),
        issuer: e.issuer.clone(),
        archival,
        language: entry_language(site, e),
    })
}

/// An entry's language as [`IndexDoc::language`] holds it: its tag, empty for Polish. A page
/// without a language suffix is in the content language ([`CONTENT_LANGUAGE`], Polish), as
/// the theme marks it (`content_lang`) even on a site whose interface is in another language;
/// `x.uk.md` is Ukrainian.
pub fn entry_language(site: &Site, e: &Entry) -> String {
    if e.language == site.config.language || e.language == CONTENT_LANGUAGE {
        String::new()
    } else {
        e.language.clone()
    }
}

/// The search runtime a site ships: the multi-language one when a document is in another
/// language than Polish (sections are searched in Polish, as their pages' content is).
pub fn site_runtime(site: &Site) -> crate::export::Runtime {
    let tags: Vec<String> = site
        .entries
        .iter()
        .map(|e| entry_language(site, e))
        .collect();
    crate::export::Runtime::for_languages(
        &tags
            .iter()
            .map(|t| if t.is_empty() { "pl" } else { t.as_str() })
            .collect::<Vec<_>>(),
    )
}
