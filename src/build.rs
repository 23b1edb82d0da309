//! The build pipeline, stage by stage: load and validate (the content loader,
//! [`crate::content::load`], every error collected) → extract attachment text → render
//! (pages, feeds, sitemap) → index and export the search files → write (atomic swap of the
//! output folder).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::content::attachments::extract_attachments;
use crate::content::date::Date;
use crate::content::diagnostics::Diagnostic;
use crate::content::load::load_site;
use crate::content::model::{Kind, Site, Status};
use crate::output::{self, OutputError};
use crate::render::frame::Scope;
use crate::render::site::render_site;
use crate::render::templates::Theme;

/// A progress bar is shown (on a terminal) from this many entries on.
pub const PROGRESS_THRESHOLD: usize = 200;

/// Options of `jawnik build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Show a progress bar when stderr is a terminal and the site is large.
    pub progress: bool,
    /// Where the search index is written. Default: `<root>/.jawnik/index`.
    pub index_dir: Option<PathBuf>,
    /// Where text extracted from attachments is cached. Default: `<root>/.jawnik/extract`.
    pub extract_cache: Option<PathBuf>,
    /// The day calls are counted from. Default: today's date (UTC) from the system clock.
    pub today: Option<Date>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            progress: false,
            index_dir: None,
            extract_cache: None,
            today: None,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub documents: usize,
    pub organisations: usize,
    pub pages: usize,
    pub files: usize,
    pub output: PathBuf,
    /// Pages in the search index.
    pub indexed: usize,
    /// Time spent in each phase: load, render, index + export, write.
    pub phases: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
    /// Attachments whose text could not be read (the build went on without it).
    pub warnings: Vec<String>,
}

#[derive(Debug)]
pub enum BuildError {
    /// Content or configuration errors, all of them, sorted.
    Invalid(Vec<Diagnostic>),
    Output(OutputError),
    /// The search index could not be written.
    Index(anyhow::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Invalid(ds) => {
                for d in ds {
                    writeln!(f, "{d}")?;
                }
                write!(
                    f,
                    "{} error{} found; nothing was written",
                    ds.len(),
                    if ds.len() == 1 { "" } else { "s" }
                )
            }
            BuildError::Output(e) => write!(f, "{e}"),
            BuildError::Index(e) => write!(f, "search index: {e:#}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<OutputError> for BuildError {
    fn from(e: OutputError) -> Self {
        BuildError::Output(e)
    }
}

/// The labels the search page shows for facet values.
fn search_labels(site: &Site, l: &crate::render::locale::Locale) -> crate::export::Labels {
    let mut labels = crate::export::Labels::new();
    let kinds = labels.entry("kind".into()).or_default();
    for kind in Kind::ALL {
        kinds.insert(kind.name().into(), l.kind(kind).into());
    }
    kinds.insert("sekcja".into(), l.text("kind_extra.sekcja").into());
    kinds.insert(
        crate::index::POSTULATE_KIND.into(),
        l.text("kind_extra.postulat").into(),
    );
    for (facet, terms) in [
        ("sector", &site.config.sectors),
        ("district", &site.config.districts),
    ] {
        let map = labels.entry(facet.into()).or_default();
        for t in terms {
            map.insert(t.slug.clone(), t.name.clone());
        }
    }
    let statuses = labels.entry("status".into()).or_default();
    for status in [
        Status::Projekt,
        Status::Konsultacje,
        Status::Obowiazuje,
        Status::Archiwalny,
    ] {
        statuses.insert(status.value().into(), l.status(status).into());
    }
    for answer in crate::content::postulates::Answer::ALL {
        statuses.insert(answer.value().into(), l.answer(answer).into());
    }
    labels
}

/// What a build keeps for `jawnik serve`'s incremental rebuilds (`crate::incremental`).
pub struct Built {
    pub site: Site,
    pub theme: Theme,
    pub env: minijinja::Environment<'static>,
    pub export: crate::export::SearchExport,
}

/// Build the site: load, validate, render and replace the output folder atomically. The
/// search files are streamed to the output as they are made (`crate::export::write_export`).
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    run(opts, false).map(|(report, _)| report)
}

/// [`build`], also returning what was built (the search export kept in memory, for
/// `jawnik serve`'s patches; the files written are the same).
pub fn build_keeping(opts: &BuildOptions) -> Result<(BuildReport, Built), BuildError> {
    let (report, built) = run(opts, true)?;
    Ok((report, built.expect("the export is kept")))
}

fn run(opts: &BuildOptions, keep: bool) -> Result<(BuildReport, Option<Built>), BuildError> {
    let start = Instant::now();
    let out_dir = opts.output_dir();
    // One build at a time per index folder (a second one waits, saying for whom).
    let index_dir = opts
        .index_dir
        .clone()
        .unwrap_or_else(|| opts.root.join(crate::index::INDEX_DIR));
    let lock_path = crate::lock::BuildLock::path_for(&index_dir);
    let _lock = crate::lock::BuildLock::acquire(&lock_path, |m| eprintln!("{m}")).map_err(|e| {
        BuildError::Output(OutputError::Io(format!(
            "cannot take the build lock {}: {e}",
            lock_path.display()
        )))
    })?;
    crate::lock::remove_interrupted_index_folders(&index_dir);
    // Refuse early, before any work, to replace something that is not ours.
    output::prepare(&out_dir).map_err(BuildError::Output)?;
    let mut site = load_site(&opts.root, opts.base_url.as_deref()).map_err(BuildError::Invalid)?;
    if let Some(today) = opts.today {
        site.today = today;
    }
    let mut phases = vec![("load", start.elapsed())];
    let cache = crate::extract::Cache::new(
        &opts
            .extract_cache
            .clone()
            .unwrap_or_else(|| opts.root.join(crate::extract::CACHE_DIR)),
    );
    let mut warnings = extract_attachments(&mut site.entries, &cache);
    warnings.extend(site.config.warnings().map(ToString::to_string));
    cache.prune();
    let mut mark = |name: &'static str| {
        let total: Duration = phases.iter().map(|(_, d)| *d).sum();
        phases.push((name, start.elapsed() - total));
    };
    mark("extract");
    let theme = Theme::for_site(&opts.root, &site.config).map_err(BuildError::Invalid)?;
    let env = theme
        .environment(&format!("themes/{}", site.config.theme))
        .map_err(BuildError::Invalid)?;

    let progress = (opts.progress
        && std::io::stderr().is_terminal()
        && site.entries.len() >= PROGRESS_THRESHOLD)
        .then(|| {
            let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            pb.set_style(
                ProgressStyle::with_template(
                    "{spinner} rendering {pos}/{len} pages {wide_bar} {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        });
    let files = render_site(&site, &theme, &env, Scope::All, progress.as_ref())
        .map_err(BuildError::Invalid)?;
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }

    let mut copies: BTreeMap<String, PathBuf> = BTreeMap::new();
    for e in &site.entries {
        for a in &e.attachments {
            if let (Some(dest), Some(src)) = (a.output_path(), &a.source) {
                copies.insert(dest, src.clone());
            }
        }
    }
    let copies: Vec<(String, PathBuf)> = copies.into_iter().collect();
    let analyzer = jawnik_analysis::DocumentAnalyzer::polish();
    let labels = search_labels(&site, &theme.locale);
    let base_path = site.config.base_path();
    mark("render");
    // The index is written (documents made one by one, in URL order) and the browser's
    // search files exported from the index this build wrote, before it replaces the previous
    // one, into the new output folder.
    let (index_stats, (search_files, export)) =
        output::write_site_with(&out_dir, &files, &copies, |tmp| {
            let sink = crate::export::into_folder(tmp);
            let docs = crate::index::index_docs(&site);
            let written = crate::index::write_index_then(&index_dir, docs, &analyzer, |fresh| {
                let mut backend = crate::index::TantivyBackend::open(fresh)?;
                if keep {
                    let export = crate::export::export(&mut backend, &base_path, &labels)?;
                    Ok((export.write_files(&sink)?, Some(export)))
                } else {
                    let spool = fresh.join(crate::export::SPOOL_FILE);
                    let count = crate::export::write_export(
                        &mut backend,
                        &base_path,
                        &labels,
                        &spool,
                        &sink,
                    )?;
                    Ok((count, None))
                }
            })
            .map_err(BuildError::Index)?;
            mark("index + export");
            Ok::<_, BuildError>(written)
        })?;
    mark("write");

    let report = BuildReport {
        documents: site.documents().count(),
        organisations: site
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Organizacja)
            .count(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len() + search_files + copies.len() + 1,
        output: out_dir,
        indexed: index_stats.docs,
        elapsed: start.elapsed(),
        phases,
        warnings,
    };
    let built = export.map(|export| Built {
        site,
        theme,
        env,
        export,
    });
    Ok((report, built))
}
