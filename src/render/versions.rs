//! Versions of a document on the site: the chain shown on each version's page ("Wersje:
//! projekt (12.05.2019) → przyjęty (07.11.2019)", the current one marked) and the comparison
//! page of each pair of consecutive versions, `<newer version>/zmiany/`, made with
//! `jawnik-compare` from the two bodies (or, for a version without a body, from the text
//! extracted from its attachments), with the document's data that changed (title, dates,
//! status, period), and rendered with the theme's `compare.html`. A change in the section a
//! postulate's `answer_ref` names (the newer version's heading or one it falls under) carries
//! that postulate (`compare.answers`), and [`answer_value`] gives the postulates tracker
//! the link to the section and to those changes. The changes feeds' paths and the
//! `<link rel="alternate">`s pages give them ([`changes_feed_links`]) are here too, with the
//! pairs they list (the feeds themselves: [`super::changes`]).

use std::collections::BTreeMap;

use jawnik_compare::view::PageView;
use jawnik_compare::Block;
use serde_json::{json, Value};

use super::frame::{page_context, Ctx, Job, Jobs, Scope};
use super::locale::Locale;
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{Entry, Site};
use crate::content::postulates::AnswerRef;
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
pub(super) fn label(e: &Entry) -> String {
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
fn field_changes(l: &Locale, old: &Entry, new: &Entry) -> Vec<Value> {
    let date = |d: Option<crate::content::date::Date>| d.map(|d| l.date(d));
    let status = |e: &Entry| e.status.map(|s| l.status(s).to_string());
    [
        (
            l.text("compare.title_field"),
            Some(old.title.clone()),
            Some(new.title.clone()),
        ),
        (l.text("field.date"), date(old.date), date(new.date)),
        (
            l.text("field.published"),
            date(old.published),
            date(new.published),
        ),
        (l.text("field.status"), status(old), status(new)),
        (
            l.text("field.period"),
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

/// The comparison of `new` with its previous version, `None` for a first version.
/// A body that cannot be read back counts as no comparison here: the comparison page itself
/// reports the error (the build fails).
fn view_with_previous(c: &Ctx, new: &Entry) -> Option<PageView> {
    let old = c.versions.previous(new)?;
    Some(crate::diff::blocks_page_view(
        &blocks(c.site, old).ok()?,
        &blocks(c.site, new).ok()?,
        CONTEXT,
    ))
}

/// The numbers of the changes of `view` in the section with heading `anchor`.
fn changes_in_section(view: &PageView, anchor: &str) -> Vec<usize> {
    view.changes
        .iter()
        .filter(|ch| ch.anchors.iter().any(|a| a == anchor))
        .map(|ch| ch.number)
        .collect()
}

/// For each change of `view` (change `n` at `n - 1`), the postulates its section answers:
/// `{number, text, url, report, status}`.
fn change_answers(c: &Ctx, new: &Entry, view: &PageView) -> Vec<Vec<Value>> {
    let mut out = vec![Vec::new(); view.changes.len()];
    for (report, p) in c.version_links.answering(new) {
        if let Some(r) = p.answer_ref.as_ref() {
            for n in changes_in_section(view, &r.anchor) {
                out[n - 1].push(json!({
                    "number": p.number,
                    "text": p.text,
                    "url": c.url(&format!("{}#{}", report.url_path, p.anchor)),
                    "report": report.title,
                    "status": c.locale().answer(p.status),
                }));
            }
        }
    }
    out
}

/// Where a postulate's answer is, for the postulates tracker and the report's table: the
/// section of the document (`{url, title, label, heading}`) and the changes of that section
/// against the document's previous version (`changes`: `{number, url}`). `views` keeps the
/// comparisons made, by the newer version's content path.
pub(super) fn answer_value(
    c: &Ctx,
    r: &AnswerRef,
    views: &mut BTreeMap<String, Option<PageView>>,
) -> Value {
    let Some(doc) = c.version_links.by_path.get(r.path.as_str()).copied() else {
        return Value::Null;
    };
    let view = views
        .entry(r.path.clone())
        .or_insert_with(|| view_with_previous(c, doc));
    let changes: Vec<Value> = view
        .as_ref()
        .map(|v| changes_in_section(v, &r.anchor))
        .unwrap_or_default()
        .into_iter()
        .map(|n| {
            json!({
                "number": n,
                "url": c.url(&format!(
                    "{}#{}",
                    compare_path(doc),
                    jawnik_compare::view::change_anchor(n)
                )),
            })
        })
        .collect();
    json!({
        "url": c.url(&format!("{}#{}", doc.url_path, r.anchor)),
        "title": doc.title,
        "label": doc.versions.label,
        "heading": doc.headings.iter().find(|h| h.anchor == r.anchor).map(|h| h.text.clone()),
        "changes": changes,
    })
}

/// A comparison page per pair of consecutive versions whose either side is in `scope`.
pub(super) fn compare_jobs(c: &Ctx, scope: Scope, jobs: &mut Jobs) {
    let l = c.locale();
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
                "date": v.sort_date().map(|d| l.date(d)),
            })
        };
        let fields = field_changes(l, old, new);
        let answers = change_answers(c, new, &view);
        let path = compare_path(new);
        let title = l.format(
            "compare.page_title",
            &[("title", &new.title), ("label", &label(new))],
        );
        let description = l.format(
            "compare.description",
            &[("new", &label(new)), ("old", &label(old))],
        );
        let breadcrumbs = vec![
            (
                l.kinds(new.kind).to_string(),
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
                json!({"compare": view, "old": side(old), "new": side(new), "fields": fields, "answers": answers,
                    "changes_feeds": changes_feed_links(c, true, &new.sectors)}),
            ),
        });
    }
}

/// The site's changes feed (written by [`super::changes`]).
pub const FEED_PATH: &str = "zmiany/atom.xml";

/// A sector's changes feed.
pub fn sector_feed_path(slug: &str) -> String {
    format!("branze/{slug}/zmiany/atom.xml")
}

/// The changes feeds a page links with `<link rel="alternate">` (`{title, url}`, the
/// context's `changes_feeds`): the site's when `site_wide`, and those of `sectors`, each
/// when it is written.
pub(super) fn changes_feed_links(c: &Ctx, site_wide: bool, sectors: &[String]) -> Value {
    let site = c.site;
    if !c.version_links.any_feed() {
        return json!([]);
    }
    let l = c.locale();
    let mut out = Vec::new();
    if site_wide {
        out.push(json!({
            "title": l.format("changes.feed_title", &[("site", &site.config.title)]),
            "url": c.url(FEED_PATH),
        }));
    }
    for s in sectors {
        if c.version_links.has_sector_feed(s) {
            out.push(json!({
                "title": l.format(
                    "changes.sector_feed_title",
                    &[("site", &site.config.title), ("sector", &c.sector_name(s))],
                ),
                "url": c.url(&sector_feed_path(s)),
            }));
        }
    }
    Value::Array(out)
}
