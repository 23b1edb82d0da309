//! Rendering a whole site (or, for `serve`, the part an edit touches) as a stream: every page
//! kind's jobs made and rendered in parallel with rayon a batch at a time, each file handed to
//! the caller's writer as soon as it is made (`jawnik build` writes it into the new output
//! folder; nothing holds the whole site's pages), then the feeds and calendars, the sitemap,
//! robots.txt and the theme's static files.

use indicatif::ProgressBar;
use minijinja::Environment;
use rayon::prelude::*;

use super::frame::{Ctx, Job, Jobs, Scope};
use super::templates::Theme;
use super::{
    accessibility, calendar, contacts, entries, feeds, pages, postulates, sitemap, versions,
};
use crate::content::diagnostics::Diagnostic;
use crate::content::model::Site;
use crate::output::{OutputError, OutputFile};
use std::sync::Mutex;

/// The site's feeds and calendars: the Atom feeds, the postulates feed and the iCalendar
/// files (the sitemap, which lists the pages, is made apart). An error names a version whose
/// body could not be read back (the changes feeds compare versions).
pub fn feeds_and_calendars(
    site: &Site,
    l: &super::locale::Locale,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut files = feeds::all_feeds(site, l);
    files.extend(calendar::ics_files(site, l));
    files.extend(postulates::answers_feed(site, l));
    files.extend(super::changes::feeds(site, l)?);
    Ok(files)
}

/// Why a render stopped: template errors (all of them), or a file that could not be written.
#[derive(Debug)]
pub enum RenderError {
    Invalid(Vec<Diagnostic>),
    Output(OutputError),
}

/// Where a render puts each file as it is made (a path relative to the output folder, and its
/// bytes); called from several threads.
pub type Write<'w> = dyn Fn(&str, &[u8]) -> Result<(), OutputError> + Sync + 'w;

/// Render the site (or the `scope` of it) and hand every file to `write` as soon as it is
/// made: pages a batch at a time (made and rendered in parallel with rayon), then the feeds,
/// calendars, open data, sitemap, robots.txt and the theme's static files. Returns the paths
/// written. `progress` is advanced once per page. A template error does not stop the render
/// (every error is reported); a write error does.
pub fn render_site_into(
    site: &Site,
    theme: &Theme,
    env: &Environment<'static>,
    scope: Scope,
    progress: Option<&ProgressBar>,
    write: &Write,
) -> Result<Vec<String>, RenderError> {
    let names = site
        .config
        .all_languages()
        .map(|l| {
            let name = theme
                .locale_files
                .get(l)
                .and_then(|(_, f)| super::locale::Locale::new(l, f.clone()).ok())
                .map(|loc| loc.text("language.name").to_string())
                .unwrap_or_else(|| l.to_string());
            (l.to_string(), name)
        })
        .collect();
    let Some(langs) = super::languages::Languages::new(site, names) else {
        return render_view_into(site, theme, env, scope, progress, write, None);
    };
    let mut paths = Vec::new();
    for lang in langs.order() {
        let view = &langs.view(site, lang);
        let prefix = view.config.lang_prefix.clone();
        if prefix.is_empty() {
            paths.extend(render_view_into(
                view,
                theme,
                env,
                scope,
                progress,
                write,
                Some(&langs),
            )?);
            continue;
        }
        let view_theme = Theme::for_site(&site.root, &view.config).map_err(RenderError::Invalid)?;
        let view_env = view_theme
            .environment(&format!("themes/{}", view.config.theme))
            .map_err(RenderError::Invalid)?;
        let prefixed = |path: &str, bytes: &[u8]| write(&format!("{prefix}{path}"), bytes);
        let made = render_view_into(
            view,
            &view_theme,
            &view_env,
            scope,
            progress,
            &prefixed,
            Some(&langs),
        )?;
        paths.extend(made.into_iter().map(|p| format!("{prefix}{p}")));
    }
    Ok(paths)
}

/// Render one language's view of the site ([`super::languages`]; the site itself when it
/// has one language) into `write`, its paths relative to the view's root.
fn render_view_into(
    site: &Site,
    theme: &Theme,
    env: &Environment<'static>,
    scope: Scope,
    progress: Option<&ProgressBar>,
    write: &Write,
    languages: Option<&super::languages::Languages>,
) -> Result<Vec<String>, RenderError> {
    let cfg = &site.config;
    let is_root = cfg.lang_prefix.is_empty();
    let mut c = Ctx::new(site, theme);
    c.languages = languages;
    if let Some(l) = languages {
        c.set_search_runtime(l.runtime);
    }
    let mut paths: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    let mut failed: Option<OutputError> = None;
    let put = |paths: &mut Vec<String>, path: String, contents: &[u8]| {
        write(&path, contents).map_err(RenderError::Output)?;
        paths.push(path);
        Ok::<(), RenderError>(())
    };
    // A version's body is in the changes feeds (the comparison's summary) and, through the
    // changes' numbers, on the postulates tracker: both follow an edit of one.
    let versions_touched = !scope.lists()
        && versions::pairs(&site.entries)
            .any(|(old, new)| scope.entry(&old.content_path) || scope.entry(&new.content_path));
    // The open-data files, written first: their page shows their sizes.
    let mut open_data_sizes = Vec::new();
    if scope.lists() {
        for f in super::open_data::files(site) {
            open_data_sizes.push((f.path.clone(), f.contents.len() as u64));
            put(&mut paths, f.path, &f.contents)?;
        }
    }
    let mut run = |batch: Vec<Job>| {
        if failed.is_some() {
            return;
        }
        if let Some(p) = progress {
            p.inc_length(batch.len() as u64);
        }
        let results: Vec<Result<String, RenderError>> = batch
            .into_par_iter()
            .map(|job| {
                let r = render_page(env, &cfg.theme, &job)
                    .map_err(|d| RenderError::Invalid(vec![d]))
                    .and_then(|html| write(&job.path, html.as_bytes()).map_err(RenderError::Output))
                    .map(|()| job.path);
                if let Some(p) = progress {
                    p.inc(1);
                }
                r
            })
            .collect();
        for r in results {
            match r {
                Ok(path) => paths.push(path),
                Err(RenderError::Invalid(ds)) => errors.extend(ds),
                Err(RenderError::Output(e)) => {
                    failed.get_or_insert(e);
                }
            }
        }
    };
    let mut jobs = Jobs::new(&mut run);
    if scope.lists() {
        pages::home_jobs(&c, &mut jobs);
        pages::section_jobs(&c, &mut jobs);
        pages::taxonomy_jobs(&c, &mut jobs);
        calendar::calendar_jobs(&c, &mut jobs);
        contacts::directory_jobs(&c, &mut jobs);
        postulates::tracker_jobs(&c, &mut jobs);
        accessibility::statement_jobs(&c, &mut jobs);
        super::open_data::page_jobs(&c, &open_data_sizes, &mut jobs);
    } else if versions_touched {
        postulates::tracker_jobs(&c, &mut jobs);
    }
    entries::entry_jobs(&c, scope, &mut jobs);
    versions::compare_jobs(&c, scope, &mut jobs);
    let unmade = jobs.finish();
    errors.extend(unmade);
    if let Some(e) = failed {
        return Err(RenderError::Output(e));
    }
    if !errors.is_empty() {
        return Err(RenderError::Invalid(errors));
    }

    if versions_touched {
        for f in
            super::changes::feeds(site, &theme.locale).map_err(|d| RenderError::Invalid(vec![d]))?
        {
            put(&mut paths, f.path, &f.contents)?;
        }
    }
    if scope.lists() {
        for f in
            feeds_and_calendars(site, &theme.locale).map_err(|d| RenderError::Invalid(vec![d]))?
        {
            put(&mut paths, f.path, &f.contents)?;
        }
        // Every entry page and comparison page is in the sitemap, rendered this time or not.
        // A document shown in another language's view has its own page in the sitemap.
        let entry_pages: Vec<String> = site
            .entries
            .iter()
            .filter(|e| e.language == cfg.language)
            .map(|e| format!("{}index.html", e.url_path))
            .chain(
                versions::pairs(&site.entries)
                    .map(|(_, new)| format!("{}index.html", versions::compare_path(new))),
            )
            .collect();
        let foreign: std::collections::BTreeSet<String> = site
            .entries
            .iter()
            .filter(|e| e.language != cfg.language)
            .map(|e| format!("{}index.html", e.url_path))
            .collect();
        let sitemap = sitemap::sitemap(
            site,
            paths
                .iter()
                .map(String::as_str)
                .filter(|p| !foreign.contains(*p))
                .chain(entry_pages.iter().map(String::as_str)),
        );
        put(&mut paths, "sitemap.xml".into(), sitemap.as_bytes())?;
        if is_root {
            put(
                &mut paths,
                "robots.txt".into(),
                sitemap::robots(site).as_bytes(),
            )?;
        }
    }
    if let (Scope::All, true) = (scope, is_root) {
        for (path, bytes) in &theme.static_files {
            put(&mut paths, path.clone(), bytes)?;
        }
    }
    Ok(paths)
}

/// One page through its template; an error names the template file and line.
fn render_page(env: &Environment<'static>, theme: &str, job: &Job) -> Result<String, Diagnostic> {
    env.get_template(job.template)
        .and_then(|t| t.render(&job.ctx))
        .map_err(|e| {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::new(
                format!(
                    "themes/{theme}/templates/{}",
                    e.name().unwrap_or(job.template)
                ),
                format!("while rendering {}: {msg}", job.path),
            )
            .with_line(e.line())
        })
}

/// [`render_site_into`] collecting the files in memory, sorted by path (for `jawnik serve`'s
/// partial renders and `jawnik check`, which reads every page's ids).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    env: &Environment<'static>,
    scope: Scope,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let collect = |path: &str, contents: &[u8]| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(OutputFile {
                path: path.to_string(),
                contents: contents.to_vec(),
            });
        Ok(())
    };
    match render_site_into(site, theme, env, scope, None, &collect) {
        Ok(_) => {}
        Err(RenderError::Invalid(ds)) => return Err(ds),
        Err(RenderError::Output(e)) => unreachable!("collecting in memory cannot fail: {e}"),
    }
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort();
    Ok(files)
}
