//! The build pipeline: load (`jawnik.toml`, walk `content/`, parse files in parallel) →
//! validate (per file and across files, every error collected) → render (pages, feeds,
//! sitemap) → write (atomic swap of the output folder). [`load_site`] returns the
//! validated [`Site`], which the search indexer reuses.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::diagnostics::{Diagnostic, Diagnostics};
use crate::content::model::{self, Date, Entry, HomeIntro, Kind, LoadContext, Section, Status};
use crate::content::walk;
use crate::output::{self, OutputError};
use crate::render::{pages, templates::Theme, OutputFile};

/// A progress bar is shown (on a terminal) from this many entries on.
pub const PROGRESS_THRESHOLD: usize = 200;

/// The loaded, validated site: what the renderer and the search indexer consume.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// The site root (the folder holding `jawnik.toml`).
    pub root: PathBuf,
    /// The home page intro from `content/_index.md` (empty when absent).
    pub home: HomeIntro,
    /// The sections present, in kind order.
    pub sections: Vec<Section>,
    /// Every document and NGO entry, sorted by kind then source path.
    pub entries: Vec<Entry>,
    /// The files under `content/` that are not pages (attachments, stray files), relative
    /// to `content/`: the unreferenced-file check needs them.
    pub other_files: Vec<String>,
    /// The day calls are counted from (upcoming vs archive): `--today`, else the build date.
    pub today: Date,
}

impl Site {
    /// Documents (strategies, programmes, reports) only.
    pub fn documents(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind.is_document())
    }

    /// The entry with this path relative to `content/` (`programy/x.md`).
    pub fn entry(&self, content_path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.content_path == content_path)
    }

    pub fn section(&self, kind: Kind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }
}

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

/// The labels the search page shows for facet values.
fn search_labels(site: &Site) -> crate::export::Labels {
    let mut labels = crate::export::Labels::new();
    let kinds = labels.entry("kind".into()).or_default();
    for kind in Kind::ALL {
        kinds.insert(kind.name().into(), kind.label().into());
    }
    kinds.insert("sekcja".into(), "Sekcja".into());
    kinds.insert(
        crate::index::POSTULATE_KIND.into(),
        "Postulat z konsultacji".into(),
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
        statuses.insert(status.value().into(), status.label().into());
    }
    for answer in crate::content::postulates::Answer::ALL {
        statuses.insert(answer.value().into(), answer.label().into());
    }
    labels
}

/// Load and validate the site at `root`; every problem is reported.
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<Site, Vec<Diagnostic>> {
    let config = Config::load(root, base_url)?;
    let content_dir = root.join("content");
    let files = walk::walk(&content_dir);
    let mut diags = Diagnostics::default();
    diags.extend(files.errors.iter().cloned());
    let content_canonical = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.clone());
    let ctx = LoadContext {
        config: &config,
        content_dir: &content_dir,
        content_canonical: &content_canonical,
    };
    let read = |rel: &str| -> Result<Vec<u8>, Vec<Diagnostic>> {
        walk::read_page(&content_dir, rel, config.max_file_size_mb).map_err(|d| vec![d])
    };

    let results: Vec<Result<Entry, Vec<Diagnostic>>> = files
        .pages
        .par_iter()
        .map(|(kind, rel)| read(rel).and_then(|bytes| model::load_entry(&ctx, *kind, rel, &bytes)))
        .collect();
    let mut entries = Vec::new();
    for r in results {
        match r {
            Ok(e) => entries.push(e),
            Err(ds) => diags.extend(ds),
        }
    }

    let mut sections = Vec::new();
    for (kind, index) in &files.sections {
        let Some(rel) = index else { continue };
        match read(rel).and_then(|b| model::load_index(Some(*kind), rel, &b, &config.base_path())) {
            Ok((title, summary, body_html)) => sections.push(Section {
                kind: *kind,
                title: title.unwrap_or_default(),
                summary,
                body_html,
                file: format!("content/{rel}"),
            }),
            Err(ds) => diags.extend(ds),
        }
    }
    let mut home = HomeIntro::default();
    if let Some(rel) = &files.root_index {
        match read(rel).and_then(|b| model::load_index(None, rel, &b, &config.base_path())) {
            Ok((title, summary, body_html)) => {
                home = HomeIntro {
                    title,
                    summary,
                    body_html,
                }
            }
            Err(ds) => diags.extend(ds),
        }
    }

    // Files that failed to load cannot be checked across files, but the others can.
    let failed: std::collections::BTreeSet<&str> =
        diags.0.iter().map(|d| d.file.as_str()).collect();
    let other: Vec<String> = if failed.iter().any(|f| f.ends_with(".md")) {
        // Some pages did not load, so their attachments are unknown: skip the
        // unreferenced-file check rather than report false positives.
        Vec::new()
    } else {
        files.other.clone()
    };
    let cross = model::check_site(&entries, &other);
    let known_failed: std::collections::BTreeSet<String> =
        failed.iter().map(|s| s.to_string()).collect();
    for d in cross {
        // A `related` reference to a file that exists but failed to load is not an extra error.
        if d.field.as_deref() == Some("related")
            && known_failed.iter().any(|f| d.message.ends_with(f.as_str()))
        {
            continue;
        }
        diags.push(d);
    }

    if !diags.is_empty() {
        return Err(diags.into_sorted());
    }
    sections.sort_by_key(|s| s.kind);
    entries.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| a.content_path.cmp(&b.content_path))
    });
    Ok(Site {
        config,
        root: root.to_path_buf(),
        home,
        sections,
        entries,
        other_files: files.other.clone(),
        today: Date::today_utc(),
    })
}

/// What a build keeps for `jawnik serve`'s incremental rebuilds (`crate::incremental`).
pub struct Built {
    pub site: Site,
    pub theme: Theme,
    pub env: minijinja::Environment<'static>,
    pub export: crate::export::SearchExport,
}

/// Build the site: load, validate, render and replace the output folder atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_keeping(opts).map(|(report, _)| report)
}

/// [`build`], also returning what was built.
pub fn build_keeping(opts: &BuildOptions) -> Result<(BuildReport, Built), BuildError> {
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
    let theme = Theme::load(&opts.root, &site.config.theme).map_err(BuildError::Invalid)?;
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
    let mut files = pages::render_site(&site, &theme, &env, pages::Scope::All, progress.as_ref())
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
    let index_docs = crate::index::index_docs(&site);
    let analyzer = jawnik_analysis::DocumentAnalyzer::polish();
    mark("render");
    // The browser's search files are exported from the index this build wrote, before it
    // replaces the previous one.
    let (index_stats, export) =
        crate::index::write_index_then(&index_dir, &index_docs, &analyzer, |fresh| {
            let mut backend = crate::index::TantivyBackend::open(fresh)?;
            crate::export::export(
                &mut backend,
                &site.config.base_path(),
                &search_labels(&site),
            )
        })
        .map_err(BuildError::Index)?;
    mark("index + export");
    files.extend(
        export
            .files()
            .into_iter()
            .map(|(path, contents)| OutputFile {
                path: format!("{}/{path}", crate::export::SEARCH_DIR),
                contents,
            }),
    );
    output::write_site(&out_dir, &files, &copies).map_err(BuildError::Output)?;
    mark("write");

    let report = BuildReport {
        documents: site.documents().count(),
        organisations: site
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Organizacja)
            .count(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len() + copies.len() + 1,
        output: out_dir,
        indexed: index_stats.docs,
        elapsed: start.elapsed(),
        phases,
        warnings,
    };
    let built = Built {
        site,
        theme,
        env,
        export,
    };
    Ok((report, built))
}

/// Extracts the text of every file attachment in a format with text (PDF, DOCX, ODT, TXT), in
/// parallel and through `cache`. Returns a warning, naming the file, for each that cannot be
/// read: the build goes on and its page says it has no searchable text.
pub fn extract_attachments(entries: &mut [Entry], cache: &crate::extract::Cache) -> Vec<String> {
    use crate::extract::Format;
    let mut jobs: Vec<(usize, usize, PathBuf, Format)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for (j, a) in e.attachments.iter().enumerate() {
            let (Some(source), Some(file)) = (&a.source, &a.file) else {
                continue;
            };
            let format = a
                .format
                .as_deref()
                .and_then(Format::from_name)
                .or_else(|| Format::from_path(Path::new(file)));
            if let Some(format) = format {
                jobs.push((i, j, source.clone(), format));
            }
        }
    }
    let results: Vec<_> = jobs
        .into_par_iter()
        .map(|(i, j, source, format)| (i, j, cache.extract(&source, format)))
        .collect();
    let mut warnings = Vec::new();
    for (i, j, result) in results {
        let entry = &mut entries[i];
        let attachment = &mut entry.attachments[j];
        if let Err(why) = &result {
            warnings.push(format!(
                "content/{}: attachment {:?} of {}: no searchable text: {why}",
                attachment.file.as_deref().unwrap_or_default(),
                attachment.title,
                entry.file
            ));
        }
        attachment.text = Some(result);
    }
    warnings
}
