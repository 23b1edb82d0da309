//! The site's list pages: home, search, 404, section lists with pagination and the taxonomy
//! pages (branże, dzielnice, lata, status); each entry's own page is [`super::entries`]'s.
//! Each is a `Job` whose context is built on the common frame ([`super::frame`]; all URLs
//! root-relative under the base path).

use serde_json::{json, Value};
use std::collections::BTreeSet;

use super::frame::{page_context, Ctx, Job, Jobs, TRACKER_PATH};
use super::{calendar, markdown::slugify};
use crate::content::model::{Entry, Kind, Status};

/// How many documents the home page lists as the latest.
pub const LATEST_ON_HOME: usize = 10;

/// Documents newest first (undated last), then by title; NGO entries by name.
pub fn sort_entries(entries: &mut [&Entry]) {
    // Keys made once per entry, not per comparison (a title's slug in every comparison was
    // a visible share of a 100k-document render).
    entries.sort_by_cached_key(|e| (std::cmp::Reverse(e.sort_date()), name_key(e)));
}

/// An entry's place in a list by name: its title's slug, then its URL.
pub(crate) fn name_key(e: &Entry) -> (String, String) {
    (slugify(&e.title), e.url_path.clone())
}

/// Entries by name ([`name_key`]): how directories are listed.
pub(crate) fn sort_by_name(entries: &mut [&Entry]) {
    entries.sort_by_cached_key(|e| name_key(e));
}

/// The title of page `n` (≥ 2) of a list called `title`, in the page's language.
fn list_page_title(c: &Ctx, title: &str, n: usize) -> String {
    c.locale().format(
        "list.page_title",
        &[("title", title), ("n", n.to_string().as_str())],
    )
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
        "links": page_window(n, total)
            .into_iter()
            .map(|k| match k {
                Some(k) => json!({"number": k, "url": page_url(k), "current": k == n}),
                None => json!({"gap": true}),
            })
            .collect::<Vec<_>>(),
    })
}

/// The page numbers a list page links to: the first and the last, and two either side of
/// page `n`; `None` is a gap of two or more pages (a gap of one shows that page). A list page
/// links to at most 9 others, so a section's list pages grow the output linearly with the
/// section (linking every page from every page made it grow with its square: a quarter of the
/// render time at 30,000 documents, docs/scaling.md).
fn page_window(n: usize, total: usize) -> Vec<Option<usize>> {
    let around = n.saturating_sub(2).max(1)..=(n + 2).min(total);
    let mut shown: Vec<Option<usize>> = Vec::new();
    let mut last = 0;
    for k in std::iter::once(1)
        .chain(around)
        .chain(std::iter::once(total))
    {
        if k <= last {
            continue;
        }
        if k == last + 2 {
            shown.push(Some(last + 1));
        } else if k > last + 2 {
            shown.push(None);
        }
        shown.push(Some(k));
        last = k;
    }
    shown
}

pub(super) fn section_jobs(c: &Ctx, jobs: &mut Jobs) {
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
                "freshness": super::freshness::filter_value(c.locale(), c.site, &entries),
            })
        });
        for (path, range, n, total) in paginate(entries.len(), cfg.page_size, &base_path) {
            let title = if n == 1 {
                section.title.clone()
            } else {
                list_page_title(c, &section.title, n)
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
                ctx: page_context(
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

/// A term's entries under a group label (documents, organisations, calls, contacts).
type Group<'a> = (&'a str, Vec<&'a Entry>);

/// The groups of one page of a term: the entries at `range` of the term's entries taken in
/// group order, each group with its label and its size over all the term's pages.
fn page_groups(c: &Ctx, groups: &[Group], range: std::ops::Range<usize>) -> Value {
    let mut start = 0;
    let mut shown = Vec::new();
    for (label, entries) in groups {
        let end = start + entries.len();
        let (from, to) = (range.start.max(start), range.end.min(end));
        if from < to {
            shown.push(json!({"label": label, "count": entries.len(),
                "items": c.items(&entries[from - start..to - start])}));
        }
        start = end;
    }
    Value::Array(shown)
}

/// Taxonomy pages (each term's, paginated, and each family's list of terms).
pub(super) fn taxonomy_jobs(c: &Ctx, jobs: &mut Jobs) {
    let site = c.site;
    let cfg = &site.config;
    let l = c.locale();
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

    // A term's entries in the order its pages list them: documents, organisations, calls,
    // contacts, each with its group's label and size.
    let term_entries = |matching: &dyn Fn(&Entry) -> bool| -> Vec<Group> {
        let mut d: Vec<&Entry> = docs.iter().copied().filter(|e| matching(e)).collect();
        sort_entries(&mut d);
        let mut n: Vec<&Entry> = ngos.iter().copied().filter(|e| matching(e)).collect();
        sort_by_name(&mut n);
        let mut o: Vec<&Entry> = others.iter().copied().filter(|e| matching(e)).collect();
        sort_by_name(&mut o);
        let mut g = vec![
            (l.text("list.documents"), d),
            (l.kinds(Kind::Organizacja), n),
        ];
        for kind in [Kind::Konkurs, Kind::Kontakt] {
            g.push((
                l.kinds(kind),
                o.iter().copied().filter(|e| e.kind == kind).collect(),
            ));
        }
        g.retain(|(_, entries)| !entries.is_empty());
        g
    };

    type Term = (String, String, Box<dyn Fn(&Entry) -> bool>, Option<String>);
    let families: Vec<(&str, &str, &str, Vec<Term>)> = vec![
        (
            "branze",
            l.text("nav.sectors"),
            l.text("taxonomy.sectors_summary"),
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
            l.text("nav.districts"),
            l.text("taxonomy.districts_summary"),
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
            l.text("nav.years"),
            l.text("taxonomy.years_summary"),
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
            l.text("nav.statuses"),
            l.text("taxonomy.statuses_summary"),
            Status::ALL
                .iter()
                .map(|&s| {
                    (
                        s.slug().to_string(),
                        l.status(s).to_string(),
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
            let groups = term_entries(matching.as_ref());
            let count: usize = groups.iter().map(|(_, g)| g.len()).sum();
            term_values.push(json!({"name": name, "url": c.url(&path), "count": count}));
            let feed_title = format!("{}: {}", cfg.title, name);
            let changes_feeds = if family == "branze" {
                super::versions::changes_feed_links(c, false, std::slice::from_ref(slug))
            } else {
                json!([])
            };
            for (page_path, range, n, total) in paginate(count, cfg.page_size, &path) {
                let title = if n == 1 {
                    name.clone()
                } else {
                    list_page_title(c, name, n)
                };
                let m = c.page(
                    family,
                    &title,
                    &format!("{label}: {name}"),
                    Some(&page_path),
                    "website",
                    c.collection_ld(&title, &page_path),
                    feed.as_deref().map(|f| (feed_title.as_str(), f)),
                    &[(label.to_string(), format!("{family}/"))],
                );
                jobs.push(Job {
                    path: format!("{page_path}index.html"),
                    template: "list.html",
                    ctx: page_context(
                        m,
                        json!({"heading": name, "summary": null,
                        "groups": page_groups(c, &groups, range),
                        "pagination": pagination_value(c, &path, n, total),
                        "changes_feeds": changes_feeds}),
                    ),
                });
            }
            // A term's pages are paginated as a section's list (`page_size` entries each), so
            // no page grows with the site; they are rendered and written before the next
            // term's are made.
            jobs.flush();
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
            ctx: page_context(
                m,
                json!({"heading": label, "summary": summary, "terms": term_values}),
            ),
        });
    }
}

/// The home, search and 404 pages.
pub(super) fn home_jobs(c: &Ctx, jobs: &mut Jobs) {
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
        .map(|s| json!({"name": c.locale().kinds(s.kind), "url": c.url(&format!("{}/", s.kind.section())), "count": site.entries.iter().filter(|e| e.kind == s.kind).count()}))
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
        ctx: page_context(
            m,
            json!({
                "intro": {"title": site.home.title, "summary": site.home.summary, "body_html": site.home.body_html},
                "latest": c.items(&latest),
                "kinds": kinds,
                "sectors": sectors,
                "calls": calendar::home_value(c),
                "postulates_url": c.has_postulates.then(|| c.url(TRACKER_PATH)),
                "changes_feeds": super::versions::changes_feed_links(c, true, &[]),
            }),
        ),
    });

    // Search and 404.
    let l = c.locale();
    let search_ld = json!({"@context": "https://schema.org", "@type": "SearchResultsPage", "name": l.text("search_form.heading"), "url": cfg.absolute_url("szukaj/")});
    let m = c.page(
        "szukaj",
        l.text("search_form.heading"),
        l.text("taxonomy.search_summary"),
        Some("szukaj/"),
        "website",
        search_ld,
        None,
        &[],
    );
    jobs.push(Job {
        path: "szukaj/index.html".into(),
        template: "search.html",
        // The "show archived versions" control, when some document has an earlier version.
        ctx: page_context(
            m,
            json!({
                "messages": super::frame::json_ld(&l.script_messages()),
                "archival_versions": super::versions::pairs(&site.entries).next().is_some(),
            }),
        ),
    });
    let nf_ld = json!({"@context": "https://schema.org", "@type": "WebPage", "name": l.text("not_found.heading")});
    let m = c.page(
        "",
        l.text("not_found.heading"),
        l.text("not_found.summary"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let p = paginate(45, 20, "strategie/");
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].0, "strategie/strona/2/");
        assert_eq!(p[2].1, 40..45);
        assert_eq!(paginate(0, 20, "x/").len(), 1);
    }

    #[test]
    fn a_page_links_to_a_window_of_pages() {
        let w = |n, total| -> Vec<String> {
            page_window(n, total)
                .into_iter()
                .map(|k| k.map_or("…".to_string(), |k| k.to_string()))
                .collect()
        };
        assert_eq!(w(1, 1), ["1"]);
        assert_eq!(w(2, 3), ["1", "2", "3"]);
        assert_eq!(w(1, 9), ["1", "2", "3", "…", "9"]);
        // A gap of one page shows the page.
        assert_eq!(w(5, 9), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(
            w(50, 100),
            ["1", "…", "48", "49", "50", "51", "52", "…", "100"]
        );
        assert_eq!(w(100, 100), ["1", "…", "98", "99", "100"]);
        for total in 1..60 {
            for n in 1..=total {
                let shown = page_window(n, total);
                assert!(shown.len() <= 9, "{n} of {total}: {shown:?}");
                assert!(shown.contains(&Some(n)) && shown.contains(&Some(1)));
                assert!(shown.contains(&Some(total)));
            }
        }
    }
}
