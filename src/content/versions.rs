//! Versions of a document: the `previous` (content path of the earlier version) and `version`
//! (`projekt`, `po konsultacjach`, `przyjęty` or a year) fields of strategies, programmes and
//! reports, their checks one file at a time, the checks of the chains across files (missing
//! target, target of another kind, a cycle, two documents naming the same previous one) and
//! each document's chain, oldest first, for the renderer ([`VersionIndex`]), and what the
//! renderer looks up across versions once per render ([`VersionLinks`]: entries by path, the
//! postulates answered in each document, which changes feeds exist).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use toml::Spanned;

use super::diagnostics::Diagnostic;
use super::model::{entries_by_path, Entry, VersionInfo};
use super::postulates::Postulate;
use super::validate::FileCheck;

/// The version labels allowed besides a year.
pub const LABELS: [&str; 3] = ["projekt", "po konsultacjach", "przyjęty"];

/// Whether `s` is an allowed version label: one of [`LABELS`] or a year (1900–2200).
pub fn is_label(s: &str) -> bool {
    LABELS.contains(&s)
        || (s.len() == 4
            && s.bytes().all(|b| b.is_ascii_digit())
            && (1900..=2200).contains(&s.parse::<u16>().unwrap_or(0)))
}

/// Reads `previous` and `version` of one document.
pub(crate) fn load(
    c: &mut FileCheck,
    previous: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
) -> VersionInfo {
    let mut info = VersionInfo {
        previous_line: 1,
        ..VersionInfo::default()
    };
    if let Some(p) = previous {
        info.previous_line = c.line(&p);
        let (paths, _) = c.related(Some(vec![p]));
        // `related` reports a bad path under its own name: say which field it was.
        if let Some(d) = c.errors.last_mut() {
            if paths.is_empty() && d.field.as_deref() == Some("related") {
                d.field = Some("previous".into());
            }
        }
        info.previous = paths.into_iter().next();
    }
    if let Some(v) = version {
        let text = v.get_ref().trim().to_string();
        if is_label(&text) {
            info.label = Some(text);
        } else {
            c.err(
                "version",
                Some(&v),
                format!(
                    "unknown version {text:?}; allowed values: {}, or a year (2024)",
                    LABELS.join(", ")
                ),
            );
        }
    }
    info
}

/// The checks of the chains across files: the earlier version must exist, be of the same
/// kind, not be the document itself or lead back to it, and be named by one document only.
pub fn check(entries: &[Entry]) -> Vec<Diagnostic> {
    let by_path = entries_by_path(entries);
    let mut errors = Vec::new();
    let at = |e: &Entry, msg: String| {
        Diagnostic::new(&e.source_file, msg)
            .at_line(e.versions.previous_line)
            .field("previous")
    };
    // Translations of two versions name the same earlier version, each in its language.
    let mut named_by: BTreeMap<(&str, &str), &Entry> = BTreeMap::new();
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| a.source_file.cmp(&b.source_file));
    for e in sorted {
        let Some(p) = e.versions.previous.as_deref() else {
            continue;
        };
        let Some(target) = by_path.get(p) else {
            errors.push(at(e, format!("no such content file: content/{p}")));
            continue;
        };
        if target.kind != e.kind {
            errors.push(at(
                e,
                format!(
                    "content/{p} is a {}, not a {}: versions of a document are of one kind",
                    target.kind.name(),
                    e.kind.name()
                ),
            ));
            continue;
        }
        if let Some(first) = named_by.get(&(p, e.language.as_str())) {
            errors.push(at(
                e,
                format!(
                    "{} already names content/{p} as its previous version (versions form a chain, not a tree)",
                    first.source_file
                ),
            ));
            continue;
        }
        named_by.insert((p, e.language.as_str()), e);
        // Follow the chain back: reaching this document again is a cycle.
        let mut seen = BTreeSet::from([e.content_path.as_str()]);
        let mut at_path = Some(p);
        while let Some(q) = at_path {
            if !seen.insert(q) {
                if q == e.content_path {
                    let mut cycle: Vec<&str> = seen.iter().copied().collect();
                    cycle.sort();
                    errors.push(at(
                        e,
                        format!(
                            "the versions form a cycle ({}): the first version names no previous one",
                            cycle.join(", ")
                        ),
                    ));
                }
                break;
            }
            at_path = by_path.get(q).and_then(|t| t.versions.previous.as_deref());
        }
    }
    errors
}

/// The version links of a site, indexed once (by content path, each entry's earlier and
/// later version) so that every page's chain is found without scanning the site again.
pub struct VersionIndex<'a> {
    by_path: HashMap<&'a str, &'a Entry>,
    next: HashMap<&'a str, &'a Entry>,
    len: usize,
}

impl<'a> VersionIndex<'a> {
    pub fn new(entries: &'a [Entry]) -> Self {
        let next: HashMap<&str, &Entry> = entries
            .iter()
            .filter_map(|x| x.versions.previous.as_deref().map(|p| (p, x)))
            .collect();
        let by_path: HashMap<&str, &Entry> = entries
            .iter()
            .map(|x| (x.content_path.as_str(), x))
            .collect();
        VersionIndex {
            by_path,
            next,
            len: entries.len(),
        }
    }

    /// The earlier version `e` names, when it is on the site.
    pub fn previous(&self, e: &Entry) -> Option<&'a Entry> {
        self.by_path.get(e.versions.previous.as_deref()?).copied()
    }

    /// The chain `e` belongs to, oldest first (just `e` when it has no versions). Expects the
    /// chains checked by [`check`].
    pub fn chain(&self, e: &'a Entry) -> Vec<&'a Entry> {
        let mut first = e;
        let mut steps = 0;
        while let Some(p) = first.versions.previous.as_deref() {
            match self.by_path.get(p) {
                Some(t) if steps < self.len => first = t,
                _ => break,
            }
            steps += 1;
        }
        let mut out = vec![first];
        while let Some(n) = self.next.get(out[out.len() - 1].content_path.as_str()) {
            if out.len() > self.len {
                break;
            }
            out.push(n);
        }
        out
    }
}

/// The chain `e` belongs to, oldest first ([`VersionIndex::chain`], for one entry).
pub fn chain<'a>(entries: &'a [Entry], e: &'a Entry) -> Vec<&'a Entry> {
    VersionIndex::new(entries).chain(e)
}

/// What the render's changes-feed links and comparison pages' answers read, computed once per
/// render (a page scanning every entry would make the render quadratic, `docs/scaling.md`).
pub struct VersionLinks<'a> {
    /// Entries by content path (also the entry pages' related documents).
    pub by_path: BTreeMap<&'a str, &'a Entry>,
    /// The postulates whose `answer_ref` names a document, with their report, by its path.
    answering: BTreeMap<&'a str, Vec<(&'a Entry, &'a Postulate)>>,
    /// Whether the site's changes feed is written (a version with a dated previous one).
    any_feed: bool,
    /// The sectors whose changes feed is written.
    sector_feeds: BTreeSet<&'a str>,
}

impl<'a> VersionLinks<'a> {
    pub fn new(entries: &'a [Entry], index: &VersionIndex<'a>) -> Self {
        let by_path = entries_by_path(entries);
        let mut answering: BTreeMap<&str, Vec<(&Entry, &Postulate)>> = BTreeMap::new();
        for report in entries {
            for p in &report.postulates {
                if let Some(r) = &p.answer_ref {
                    answering
                        .entry(r.path.as_str())
                        .or_default()
                        .push((report, p));
                }
            }
        }
        let mut any_feed = false;
        let mut sector_feeds = BTreeSet::new();
        for new in entries {
            if index.previous(new).is_some() && new.sort_date().is_some() {
                any_feed = true;
                sector_feeds.extend(new.sectors.iter().map(String::as_str));
            }
        }
        VersionLinks {
            by_path,
            answering,
            any_feed,
            sector_feeds,
        }
    }

    /// The postulates answered in `doc`, with their report, in the site's order.
    pub fn answering(&self, doc: &Entry) -> impl Iterator<Item = (&'a Entry, &'a Postulate)> + '_ {
        self.answering
            .get(doc.content_path.as_str())
            .into_iter()
            .flatten()
            .copied()
    }

    /// Whether the site's changes feed is written.
    pub fn any_feed(&self) -> bool {
        self.any_feed
    }

    /// Whether the sector `slug` has a changes feed.
    pub fn has_sector_feed(&self, slug: &str) -> bool {
        self.sector_feeds.contains(slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for ok in ["projekt", "po konsultacjach", "przyjęty", "2024"] {
            assert!(is_label(ok), "{ok}");
        }
        for bad in ["Projekt", "przyjety", "24", "0999", "wersja 2", ""] {
            assert!(!is_label(bad), "{bad}");
        }
    }
}
