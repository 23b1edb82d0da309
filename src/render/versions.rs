//! Versions of a document on the site: the chain shown on each version's page ("Wersje:
//! projekt (12.05.2019) → przyjęty (07.11.2019)", the current one marked) and the comparison
//! page of each pair of consecutive versions, `<newer version>/zmiany/`, made with
//! `jawnik-compare` from the two bodies (or, for a version without a body, from the text
//! extracted from its attachments), with the document's data that changed (title, dates,
//! status, period), and rendered with the theme's `compare.html`.

use jawnik_compare::Block;
use serde_json::{json, Value};

use super::frame::{page_context, Ctx, Job, Jobs, Scope};
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{Entry, Site};
use crate::content::versions;

/// Unchanged paragraphs shown around each change on a comparison page (longer runs fold).
pub const CONTEXT: usize = 1;

/// The comparison page of `e` with its previous version, relative to the base URL.
pub fn compare_path(e: &Entry) -> String {
    format!("{}zmiany/", e.url_path)
}

/// `12.05.2019`.
fn short_date(e: &Entry) -> Option<String> {
    e.sort_date()
        .map(|d| format!("{:02}.{:02}.{}", d.day, d.month, d.year))
}

/// How a version is named in the chain: its label, else its title.
fn label(e: &Entry) -> String {
    e.versions.label.clone().unwrap_or_else(|| e.title.clone())
}

/// The text a version is compared by: its Markdown body, or when that is empty the text
/// extracted from its attachments, in their order.
pub fn blocks(site: &Site, e: &Entry) -> Result<Vec<Block>, Diagnostic> {
    let markdown = crate::content::body::read(site, e)?;
    if !markdown.trim().is_empty() {
        return Ok(jawnik_compare::from_markdown(&markdown, 1));
    }
    Ok(e.attachments
        .iter()
        .filter_map(|a| a.text.as_ref().and_then(|t| t.as_ref().ok()))
        .flat_map(crate::diff::extracted_blocks)
        .collect())
}

/// The chain of versions on a document's page; `None` for a document without versions.
pub(super) fn chain_value(c: &Ctx, e: &Entry) -> Option<Value> {
    let chain = c.versions.chain(e);
    if chain.len() < 2 {
        return None;
    }
    let items: Vec<Value> = chain
        .iter()
        .map(|v| {
            json!({
                "label": label(v),
                "date": short_date(v),
                "url": c.url(&v.url_path),
                "current": v.content_path == e.content_path,
            })
        })
        .collect();
    let has_previous = chain.first().map(|f| f.content_path != e.content_path) == Some(true);
    let next = chain
        .iter()
        .position(|v| v.content_path == e.content_path)
        .and_then(|i| chain.get(i + 1));
    Some(json!({
        "items": items,
        "compare_url": has_previous.then(|| c.url(&compare_path(e))),
        "next_compare_url": next.map(|n| c.url(&compare_path(n))),
        "next_label": next.map(|n| label(n)),
    }))
}

/// The document's data that differ between two versions (`compare.html`'s `fields`).
fn field_changes(old: &Entry, new: &Entry) -> Vec<Value> {
    let date = |d: Option<crate::content::date::Date>| d.map(|d| d.polish());
    [
        ("Tytuł", Some(old.title.clone()), Some(new.title.clone())),
        ("Data dokumentu", date(old.date), date(new.date)),
        ("Data publikacji", date(old.published), date(new.published)),
        (
            "Status",
            old.status.map(|s| s.label().to_string()),
            new.status.map(|s| s.label().to_string()),
        ),
        (
            "Okres obowiązywania",
            old.period.clone(),
            new.period.clone(),
        ),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(label, a, b)| json!({"label": label, "old": a, "new": b}))
    .collect()
}

/// The entries that have a previous version, with it.
pub fn pairs<'a>(entries: &'a [Entry]) -> impl Iterator<Item = (&'a Entry, &'a Entry)> + 'a {
    let index = versions::VersionIndex::new(entries);
    entries
        .iter()
        .filter_map(move |e| index.previous(e).map(|old| (old, e)))
}

/// A comparison page per pair of consecutive versions whose either side is in `scope`.
pub(super) fn compare_jobs(c: &Ctx, scope: Scope, jobs: &mut Jobs) {
    for (old, new) in pairs(&c.site.entries) {
        if !scope.entry(&new.content_path) && !scope.entry(&old.content_path) {
            continue;
        }
        let (old_blocks, new_blocks) = match (blocks(c.site, old), blocks(c.site, new)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(d), _) | (_, Err(d)) => {
                jobs.fail(d);
                continue;
            }
        };
        let view = crate::diff::blocks_page_view(&old_blocks, &new_blocks, CONTEXT);
        let side = |v: &Entry| {
            json!({
                "title": v.title,
                "label": label(v),
                "url": c.url(&v.url_path),
                "date": v.sort_date().map(|d| d.polish()),
            })
        };
        let fields = field_changes(old, new);
        let path = compare_path(new);
        let title = format!("Zmiany: {} ({})", new.title, label(new));
        let description = format!(
            "Porównanie wersji „{}” z wersją „{}”.",
            label(new),
            label(old)
        );
        let breadcrumbs = vec![
            (
                new.kind.label_plural().to_string(),
                format!("{}/", new.kind.section()),
            ),
            (new.title.clone(), new.url_path.clone()),
        ];
        let ld = json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": title,
            "description": description,
            "url": c.site.config.absolute_url(&path),
        });
        let m = c.page(
            new.kind.section(),
            &title,
            &description,
            Some(&path),
            "article",
            ld,
            None,
            &breadcrumbs,
        );
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "compare.html",
            ctx: page_context(
                m,
                json!({"compare": view, "old": side(old), "new": side(new), "fields": fields}),
            ),
        });
    }
}
