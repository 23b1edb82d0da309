//! Rendering a whole site (or, for `serve`, the part an edit touches): every page kind's
//! jobs rendered in parallel with rayon, then the feeds and calendars, the sitemap,
//! robots.txt and the theme's static files.

use indicatif::ProgressBar;
use minijinja::Environment;
use rayon::prelude::*;

use super::frame::{Ctx, Scope};
use super::templates::Theme;
use super::{
    accessibility, calendar, contacts, entries, feeds, pages, postulates, sitemap, versions,
};
use crate::content::diagnostics::Diagnostic;
use crate::content::model::Site;
use crate::output::OutputFile;

/// The site's feeds and calendars: the Atom feeds, the postulates feed and the iCalendar
/// files (the sitemap, which lists the pages, is made apart).
pub fn feeds_and_calendars(site: &Site, l: &super::locale::Locale) -> Vec<OutputFile> {
    let mut files = feeds::all_feeds(site, l);
    files.extend(calendar::ics_files(site, l));
    files.extend(postulates::answers_feed(site, l));
    files.extend(super::changes::feeds(site, l));
    files
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
    // A version's body is in the changes feeds (the comparison's summary) and, through the
    // changes' numbers, on the postulates tracker: both follow an edit of one.
    let versions_touched = !scope.lists()
        && versions::pairs(&site.entries)
            .any(|(old, new)| scope.entry(&old.content_path) || scope.entry(&new.content_path));

    if scope.lists() {
        pages::home_jobs(&c, &mut jobs);
        pages::section_jobs(&c, &mut jobs);
        pages::taxonomy_jobs(&c, &mut jobs);
        calendar::calendar_jobs(&c, &mut jobs);
        contacts::directory_jobs(&c, &mut jobs);
        postulates::tracker_jobs(&c, &mut jobs);
        accessibility::statement_jobs(&c, &mut jobs);
        super::open_data::page_jobs(&c, &mut jobs);
    } else if versions_touched {
        postulates::tracker_jobs(&c, &mut jobs);
    }
    entries::entry_jobs(&c, scope, &mut jobs);
    versions::compare_jobs(&c, scope, &mut jobs);

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

    if versions_touched {
        files.extend(super::changes::feeds(site, &theme.locale));
    }
    if scope.lists() {
        files.extend(feeds_and_calendars(site, &theme.locale));
        files.extend(super::open_data::files(site));
        // Every entry page and comparison page is in the sitemap, rendered this time or not.
        let entry_pages: Vec<String> = site
            .entries
            .iter()
            .map(|e| format!("{}index.html", e.url_path))
            .chain(
                versions::pairs(&site.entries)
                    .map(|(_, new)| format!("{}index.html", versions::compare_path(new))),
            )
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
