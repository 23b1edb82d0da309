//! `jawnik check`: everything `build` validates (through [`crate::content::load`]) and the
//! rendering of the theme, plus what a build cannot see: internal links in Markdown bodies
//! resolved against the pages the site will have (with their `#fragments`), duplicate titles
//! and summaries, documents without sectors, NGO entries without contact, placeholder
//! summaries left by `jawnik new`, stale directory entries (`content::freshness`, judged on
//! `--today`), and (with `--external`) the external links, checked over
//! HTTP.
//!
//! Here the orchestration and the report; the link checker is `links.rs`, the content checks
//! `content.rs`, a problem and its severity `problem.rs`. Errors make the command fail,
//! warnings do not. The text report is `file:line: error|warning: message`, sorted, then a
//! summary line; the JSON report is a stable array of `{file, line, severity, field, message}`.

mod content;
mod links;
mod problem;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use content::{entry_checks, value_line};
pub use links::check_external;
use links::{check_bodies, html_ids, ExternalUse, MdFile};
pub use problem::{Problem, Severity};

use crate::config::Config;
use crate::content::attachments::extract_attachments;
use crate::content::load::{load, Loaded};
use crate::content::model::{entries_by_path, HomeIntro, Section};
use crate::content::walk;
use crate::render::frame::Scope;
use crate::render::site::render_site;
use crate::render::templates::Theme;

/// Options of `jawnik check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Check external (http/https) links over the network.
    pub external: bool,
    /// Per-request timeout of external checks.
    pub timeout: Duration,
    /// External requests in flight at once.
    pub concurrency: usize,
    /// The day stale directory entries are judged from (`--today`). Default: today (UTC).
    pub today: Option<crate::content::date::Date>,
}

impl CheckOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        CheckOptions {
            root: root.into(),
            external: false,
            timeout: Duration::from_secs(5),
            concurrency: 4,
            today: None,
        }
    }
}

/// What `jawnik check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Sorted and deduplicated.
    pub problems: Vec<Problem>,
    /// Markdown files read.
    pub files: usize,
    /// Internal links (and images) resolved.
    pub internal_links: usize,
    /// Distinct external addresses checked (0 without `--external`).
    pub external_links: usize,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    /// The problems, one per line, then the summary line.
    pub fn format_text(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.to_string());
            out.push('\n');
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut checked = format!(
            "{}, {}",
            plural(self.files, "file"),
            plural(self.internal_links, "internal link")
        );
        if self.external_links > 0 {
            checked.push_str(&format!(
                ", {}",
                plural(self.external_links, "external address")
            ));
        }
        format!(
            "{}, {} (checked {checked})",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }

    /// A stable JSON array of `{file, line, severity, field, message}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.problems).expect("serialisable")
    }
}

/// Run every check on the site at `opts.root`.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let root = &opts.root;
    let mut problems: Vec<Problem> = Vec::new();
    let config = match Config::load(root, None) {
        Ok(c) => c,
        Err(ds) => {
            problems.extend(ds.into_iter().map(Problem::from_diagnostic));
            return finish(problems, CheckReport::default());
        }
    };
    // Fields the tables of jawnik.toml leave out (`build` warns of them too).
    for d in config.warnings() {
        problems.push(Problem {
            severity: Severity::Warning,
            ..Problem::from_diagnostic(d.clone())
        });
    }
    // What `build` validates, exactly as it reports it; when it fails, the pages that did
    // load are still checked for the rest.
    let Loaded {
        mut site,
        diagnostics,
        files,
    } = load(config, root);
    let loaded_ok = diagnostics.is_empty();
    if loaded_ok {
        // Attachments whose text `build` cannot read (through the build's cache).
        let cache = crate::extract::Cache::new(&root.join(crate::extract::CACHE_DIR));
        extract_attachments(&mut site.entries, &cache, None);
        for e in &site.entries {
            for a in &e.attachments {
                if let (Some(Err(why)), Some(file)) = (&a.text, &a.file) {
                    let text =
                        std::fs::read_to_string(root.join(&e.source_file)).unwrap_or_default();
                    problems.push(Problem::new(
                        Severity::Warning,
                        &e.source_file,
                        value_line(&text, file),
                        Some("attachments.file"),
                        format!("content/{file}: no searchable text: {why}"),
                    ));
                }
            }
        }
    } else {
        problems.extend(diagnostics.into_iter().map(Problem::from_diagnostic));
        // Every section gets its pages, whether or not its `_index.md` loaded.
        site.sections = every_section(&files);
        site.home = HomeIntro::default();
    }

    // The pages the site will have: the rendered output (which also checks the theme).
    let mut outputs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let rendered = Theme::for_site(root, &site.config).and_then(|theme| {
        let env = theme.environment(&format!("themes/{}", site.config.theme))?;
        render_site(&site, &theme, &env, Scope::All)
    });
    match rendered {
        Ok(out) => {
            for f in out {
                let ids = if f.path.ends_with(".html") {
                    html_ids(&String::from_utf8_lossy(&f.contents))
                } else {
                    BTreeSet::new()
                };
                outputs.insert(f.path, ids);
            }
        }
        Err(ds) => {
            if loaded_ok {
                problems.extend(ds.into_iter().map(Problem::from_diagnostic));
            }
            // Fall back to the pages known from the content alone.
            outputs.insert("index.html".into(), BTreeSet::new());
            for s in &site.sections {
                outputs.insert(format!("{}/index.html", s.kind.section()), BTreeSet::new());
            }
            for e in &site.entries {
                let ids = e.headings.iter().map(|h| h.anchor.clone()).collect();
                outputs.insert(format!("{}index.html", e.url_path), ids);
            }
        }
    }
    for e in &site.entries {
        for a in &e.attachments {
            if let Some(p) = a.output_path() {
                outputs.insert(p, BTreeSet::new());
            }
        }
    }

    // The Markdown files and their URLs; pages that failed to load get their default URL.
    let by_content = entries_by_path(&site.entries);
    let mut md_files = Vec::new();
    if let Some(rel) = &files.root_index {
        md_files.push(MdFile {
            file: format!("content/{rel}"),
            content_path: rel.clone(),
            url: String::new(),
        });
    }
    for (kind, index) in &files.sections {
        if let Some(rel) = index {
            md_files.push(MdFile {
                file: format!("content/{rel}"),
                content_path: rel.clone(),
                url: format!("{}/", kind.section()),
            });
        }
    }
    for (kind, rel) in &files.pages {
        let url = match by_content.get(rel.as_str()) {
            Some(e) => e.url_path.clone(),
            None => {
                let stem = Path::new(rel)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("");
                let url = format!("{}/{stem}/", kind.section());
                outputs.entry(format!("{url}index.html")).or_default();
                url
            }
        };
        md_files.push(MdFile {
            file: format!("content/{rel}"),
            content_path: rel.clone(),
            url,
        });
    }

    // Every Markdown file (by its path under content/) and the URL of its page.
    let page_urls: BTreeMap<String, String> = md_files
        .iter()
        .map(|m| (m.content_path.clone(), m.url.clone()))
        .collect();
    let mut report = CheckReport {
        files: md_files.len(),
        ..CheckReport::default()
    };
    let mut external: BTreeMap<String, Vec<ExternalUse>> = BTreeMap::new();
    let bodies = check_bodies(
        &root.join("content"),
        &md_files,
        &outputs,
        &page_urls,
        &mut external,
    );
    report.internal_links = bodies.internal_links;
    problems.extend(bodies.problems);
    let texts = bodies.texts;

    entry_checks(&site.entries, &texts, &mut problems, &mut external);
    // Stale (and, with `[organisations]`, unconfirmed) organisations and coordinators.
    let today = opts
        .today
        .unwrap_or_else(crate::content::date::Date::today_utc);
    for d in crate::content::freshness::warnings(&site.entries, &site.config, today) {
        problems.push(Problem {
            severity: Severity::Warning,
            ..Problem::from_diagnostic(d)
        });
    }

    if opts.external {
        report.external_links = external.len();
        let results = check_external(
            external.keys().cloned().collect(),
            opts.timeout,
            opts.concurrency,
        );
        for (url, result) in results {
            if let Err(why) = result {
                for u in &external[&url] {
                    problems.push(Problem::new(
                        Severity::Error,
                        &u.file,
                        u.line,
                        Some(&u.field),
                        format!("external link {url} {why}"),
                    ));
                }
            }
        }
    }
    finish(problems, report)
}

fn finish(mut problems: Vec<Problem>, mut report: CheckReport) -> CheckReport {
    problems.sort();
    problems.dedup();
    report.problems = problems;
    report
}

/// The sections of the site as `check` assumes them when the site does not load: every
/// section folder, titled by its kind (the errors of its `_index.md` are reported already).
fn every_section(files: &walk::ContentFiles) -> Vec<Section> {
    files
        .sections
        .iter()
        .map(|(kind, index)| Section {
            kind: *kind,
            title: kind.label_plural().to_string(),
            summary: None,
            body_html: String::new(),
            file: index.clone().unwrap_or_default(),
        })
        .collect()
}
