//! The build pipeline, stage by stage: load and validate (the content loader,
//! [`crate::content::load`], every error collected) → extract attachment text → render and
//! write (pages made, rendered and written a batch at a time into the new output folder,
//! [`crate::render::site::render_site_into`] into [`crate::output::Staging`]) → index and
//! export the search files (written into the same folder) → swap (the new folder replaces the
//! output whole; on any error before, it is deleted and the previous output stays).
//! This file is plain orchestration of those stages; each phase's progress bar and timings
//! are [`phases`]'s.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::content::attachments::extract_attachments;
use crate::content::date::Date;
use crate::content::diagnostics::Diagnostic;
use crate::content::load::load_site_with;
use crate::content::model::{Kind, Site};
use crate::memory::{self, Phase};
use crate::output::{self, OutputError};
use crate::render::frame::Scope;
use crate::render::labels::search_labels;
use crate::render::site::{render_site_into, RenderError};
use crate::render::templates::Theme;

mod phases;

pub(crate) use phases::usage_so_far;
pub use phases::PhaseUsage;
use phases::Phases;

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
    /// Time spent in each phase: load, extract, render + write, index + export, swap.
    pub phases: Vec<(&'static str, Duration)>,
    /// Per phase (where the platform says, Linux): the CPU time it took (all threads) and the
    /// process's peak resident memory by its end, in KiB. For benchmarks on a shared machine,
    /// where wall time depends on the others' load.
    pub usage: Vec<PhaseUsage>,
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
            BuildError::Index(e) if memory::is_out_of_memory(e) => {
                write!(f, "{}\n  (search index: {e:#})", memory::message())
            }
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
    memory::set_output(&out_dir);
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
    let mut phases = Phases::new(opts.progress && std::io::stderr().is_terminal(), start);
    let bar = phases.bar(Phase::Load, "{pos}/{len} pages read and checked");
    // A build holds no body text (the render and the index read each body back from its
    // file); `jawnik serve` keeps it for its patches of the search index.
    let mut site = load_site_with(&opts.root, opts.base_url.as_deref(), keep, bar.as_ref())
        .map_err(BuildError::Invalid)?;
    if let Some(today) = opts.today {
        site.today = today;
    }
    phases.mark(Phase::Load);
    // Bars for the phases of large sites only (a small site is built before one is read).
    phases.show &= site.entries.len() >= PROGRESS_THRESHOLD;
    let bar = phases.count(
        Phase::Extract,
        "{pos}/{len} attachments read",
        crate::content::attachments::extract_jobs(&site.entries),
    );
    let cache = crate::extract::Cache::new(
        &opts
            .extract_cache
            .clone()
            .unwrap_or_else(|| opts.root.join(crate::extract::CACHE_DIR)),
    );
    let mut warnings = extract_attachments(&mut site.entries, &cache, bar.as_ref());
    warnings.extend(site.config.warnings().map(ToString::to_string));
    cache.prune();
    phases.mark(Phase::Extract);
    let theme = Theme::for_site(&opts.root, &site.config).map_err(BuildError::Invalid)?;
    let env = theme
        .environment(&format!("themes/{}", site.config.theme))
        .map_err(BuildError::Invalid)?;

    // Each page is written into the new output folder as it is made; the folder replaces the
    // output only once the build is complete (dropped on any error, it is deleted).
    let staging = output::Staging::begin(&out_dir).map_err(BuildError::Output)?;
    let bar = phases.bar(Phase::Render, "{pos}/{len} pages");
    let write = |path: &str, contents: &[u8]| staging.write(path, contents);
    let paths = render_site_into(&site, &theme, &env, Scope::All, bar.as_ref(), &write).map_err(
        |e| match e {
            RenderError::Invalid(ds) => BuildError::Invalid(ds),
            RenderError::Output(e) => BuildError::Output(e),
        },
    )?;
    let mut copies: BTreeMap<String, &PathBuf> = BTreeMap::new();
    for e in &site.entries {
        for a in &e.attachments {
            if let (Some(dest), Some(src)) = (a.output_path(), &a.source) {
                copies.insert(dest, src);
            }
        }
    }
    for (dest, src) in &copies {
        staging.copy(dest, src).map_err(BuildError::Output)?;
    }
    let copied = copies.len();
    drop(copies);
    phases.mark(Phase::Render);

    let bar = phases.count(
        Phase::Index,
        "{pos}/{len} pages indexed",
        crate::index::index_doc_count(&site),
    );
    let analyzer = jawnik_analysis::DocumentAnalyzer::polish();
    let labels = search_labels(&site, &theme.locale);
    let heads_from = site.config.search_heads_from;
    let base_path = site.config.base_path();
    // The index is written (documents made one by one, in URL order) and the browser's
    // search files exported from the index this build wrote, before it replaces the previous
    // one, into the new output folder.
    let sink = |path: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let path = format!("{}/{path}", crate::export::SEARCH_DIR);
        staging.write(&path, bytes)?;
        bar.iter().for_each(|b| b.inc(1));
        Ok(())
    };
    // A page whose file changed since the load stops the documents; its diagnostic is the
    // build's error.
    let changed: std::cell::RefCell<Option<Diagnostic>> = std::cell::RefCell::new(None);
    let docs = crate::index::index_docs(&site)
        .map_while(|doc| doc.map_err(|d| *changed.borrow_mut() = Some(d)).ok())
        .inspect(|_| bar.iter().for_each(|b| b.inc(1)))
        // Once the documents are all handed over, tantivy writes its segment.
        .chain(std::iter::from_fn(|| {
            phases::next_step(bar.as_ref(), Phase::Index, "writing the index");
            None
        }));
    let (index_stats, (search_files, export)) =
        crate::index::write_index_then(&index_dir, docs, &analyzer, |fresh| {
            // Stopped by a changed page: the index is not kept.
            anyhow::ensure!(
                changed.borrow().is_none(),
                "a page changed during the build"
            );
            phases::next_step(bar.as_ref(), Phase::Index, "{pos} search files written");
            let mut backend = crate::index::TantivyBackend::open_for_export(fresh)?;
            if keep {
                let export = crate::export::export(&mut backend, &base_path, &labels, heads_from)?;
                Ok((export.write_files(&sink)?, Some(export)))
            } else {
                let spool = fresh.join(crate::export::SPOOL_FILE);
                let count = crate::export::write_export(
                    &mut backend,
                    &base_path,
                    &labels,
                    heads_from,
                    &spool,
                    &sink,
                )?;
                Ok((count, None))
            }
        })
        .map_err(|e| match (changed.take(), e.downcast::<OutputError>()) {
            (Some(d), _) => BuildError::Invalid(vec![d]),
            // A search file that could not be written into the new folder (a full disk).
            (None, Ok(e)) => BuildError::Output(e),
            (None, Err(e)) => BuildError::Index(e),
        })?;
    phases.mark(Phase::Index);
    phases.spin(Phase::Swap, "replacing the output folder");
    staging.finish().map_err(BuildError::Output)?;
    phases.mark(Phase::Swap);

    let report = BuildReport {
        documents: site.documents().count(),
        organisations: site
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Organizacja)
            .count(),
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len() + search_files + copied + 1,
        output: out_dir,
        indexed: index_stats.docs,
        elapsed: start.elapsed(),
        phases: std::mem::take(&mut phases.done),
        usage: std::mem::take(&mut phases.usage),
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
