//! The changes feeds (Atom): one entry per comparison page of two consecutive versions
//! (`<newer version>/zmiany/`), dated by the newer version's date (`date`, else `published`;
//! an undated one is left out, jawnik never invents a date), its summary the comparison's
//! ("Zmiany w tekście: 2 akapity zmienione, 1 dodany."), newest first, at most
//! [`FEED_LIMIT`]. One feed for the site (`zmiany/atom.xml`) and one per sector of the newer
//! versions (`branze/<sector>/zmiany/atom.xml`), written only when they have an entry; and
//! their paths and the `<link rel="alternate">`s pages give them are
//! [`super::versions::changes_feed_links`]'s. Their text is the locale's (`changes.*`, and the
//! comparison page's `compare.*` counts).

use super::feeds::{categories, head, stamp, EPOCH, FEED_LIMIT};
use super::locale::Locale;
use super::versions::{compare_path, label, pairs, sector_feed_path, FEED_PATH};
use super::xml::escape_xml;
use crate::content::date::Date;
use crate::content::diagnostics::Diagnostic;
use crate::content::model::{Entry, Site};
use crate::output::OutputFile;

/// The dated pairs (older, newer, the newer's date), newest first.
fn dated_pairs(site: &Site) -> Vec<(&Entry, &Entry, Date)> {
    let mut out: Vec<(&Entry, &Entry, Date)> = pairs(&site.entries)
        .filter_map(|(old, new)| new.sort_date().map(|d| (old, new, d)))
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.url_path.cmp(&b.1.url_path)));
    out
}

/// The summary line of the comparison of `old` with `new` (their bodies read back).
fn summary_line(site: &Site, l: &Locale, old: &Entry, new: &Entry) -> Result<String, Diagnostic> {
    let comparison = jawnik_compare::compare(
        &super::versions::blocks(site, old)?,
        &super::versions::blocks(site, new)?,
        &jawnik_compare::Options::default(),
    );
    Ok(match l.change_counts(&comparison.summary.counts) {
        Some(s) => format!("{} {s}.", l.text("compare.text_changes")),
        None => l.text("compare.same").to_string(),
    })
}

fn feed(
    site: &Site,
    l: &Locale,
    title: &str,
    feed_path: &str,
    page_path: &str,
    items: &[(&Entry, &Entry, Date)],
) -> Result<OutputFile, Diagnostic> {
    let cfg = &site.config;
    let items = &items[..items.len().min(FEED_LIMIT)];
    let updated = items
        .first()
        .map_or_else(|| EPOCH.to_string(), |i| stamp(i.2));
    let mut x = head(site, title, feed_path, page_path, &updated);
    for (old, new, d) in items {
        let url = cfg.absolute_url(&compare_path(new));
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&l.format(
                "changes.entry_title",
                &[
                    ("title", &new.title),
                    ("old", &label(old)),
                    ("new", &label(new))
                ]
            ))
        ));
        x.push_str(&format!("    <id>{}</id>\n", escape_xml(&url)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&url)
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", stamp(*d)));
        categories(&mut x, l, new);
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n  </entry>\n",
            escape_xml(&summary_line(site, l, old, new)?)
        ));
    }
    x.push_str("</feed>\n");
    Ok(OutputFile {
        path: feed_path.to_string(),
        contents: x.into_bytes(),
    })
}

/// The changes feeds of the site: none when no version has a dated previous one. An error
/// names a version whose body could not be read back.
pub fn feeds(site: &Site, l: &Locale) -> Result<Vec<OutputFile>, Diagnostic> {
    let cfg = &site.config;
    let all = dated_pairs(site);
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = vec![feed(
        site,
        l,
        &l.format("changes.feed_title", &[("site", &cfg.title)]),
        FEED_PATH,
        "",
        &all,
    )?];
    for t in &cfg.sectors {
        let items: Vec<_> = all
            .iter()
            .filter(|(_, new, _)| new.sectors.contains(&t.slug))
            .copied()
            .collect();
        if !items.is_empty() {
            out.push(feed(
                site,
                l,
                &l.format(
                    "changes.sector_feed_title",
                    &[("site", &cfg.title), ("sector", &t.name)],
                ),
                &sector_feed_path(&t.slug),
                &format!("branze/{}/", t.slug),
                &items,
            )?);
        }
    }
    Ok(out)
}
