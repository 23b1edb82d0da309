//! Loading the site: reading every file under `content/` (in parallel), validating it into an
//! [`Entry`], a [`Section`] or the [`HomeIntro`], and the checks across files (duplicate
//! slugs, `related` references, chains of versions, unreferenced files). [`load_site`] is
//! the one loader `build`, `check` and `serve`'s incremental updates use.

use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml::value::Datetime;
use toml::Spanned;

use super::attachments::{load_attachments, RawAttachment};
use super::date::Date;
use super::diagnostics::{Diagnostic, Diagnostics};
use super::front_matter::{self, span_line};
use super::model::{Entry, HomeIntro, Kind, NgoInfo, Section, Site, Status};
use super::validate::{split_file, utf8, FileCheck, LoadContext};
use super::walk;
use crate::config::Config;
use crate::render::markdown;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    date: Option<Spanned<Datetime>>,
    published: Option<Spanned<Datetime>>,
    updated: Option<Spanned<Datetime>>,
    issuer: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    period: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    districts: Option<Vec<Spanned<String>>>,
    source: Option<Spanned<String>>,
    sources: Option<Vec<String>>,
    related: Option<Vec<Spanned<String>>>,
    slug: Option<Spanned<String>>,
    attachments: Option<Vec<Spanned<RawAttachment>>>,
    postulates: Option<Vec<Spanned<super::postulates::RawPostulate>>>,
    previous: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNgo {
    name: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    districts: Option<Vec<Spanned<String>>>,
    address: Option<Spanned<String>>,
    website: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    krs: Option<Spanned<String>>,
    verified: Option<Spanned<Datetime>>,
    sources: Option<Vec<String>>,
    slug: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
}

/// Parse and validate one content file of a section.
pub fn load_entry(
    ctx: &LoadContext,
    kind: Kind,
    content_path: &str,
    bytes: &[u8],
) -> Result<Entry, Vec<Diagnostic>> {
    let file = format!("content/{content_path}");
    let text = utf8(&file, bytes).map_err(|d| vec![d])?;
    let split = split_file(&file, text)?;
    let fm = split.front_matter;
    let mut c = FileCheck {
        file: &file,
        fm,
        errors: Vec::new(),
    };
    // The body's text and headings only: its HTML is made when its page is rendered.
    let (body_text, headings) = markdown::text_and_headings(split.body);
    let (language, translation_key) =
        match super::translations::language_of(ctx.config, content_path) {
            Ok(found) => found,
            Err(why) => {
                c.errors.push(Diagnostic::new(&file, why));
                let key = super::translations::split_suffix(content_path).0;
                (ctx.config.language.clone(), key)
            }
        };
    let mut entry = Entry {
        kind,
        source_file: file.clone(),
        content_path: content_path.to_string(),
        slug: String::new(),
        language,
        translation_key,
        url_path: String::new(),
        title: String::new(),
        summary: String::new(),
        body: super::model::BodySpan::of(bytes, split.body),
        body_text: ctx.keep_text.then_some(body_text),
        headings,
        date: None,
        published: None,
        updated: None,
        issuer: None,
        author: None,
        status: None,
        period: None,
        source: None,
        sources: Vec::new(),
        sectors: Vec::new(),
        districts: Vec::new(),
        related: Vec::new(),
        attachments: Vec::new(),
        ngo: None,
        call: None,
        contact: None,
        postulates: Vec::new(),
        verified: None,
        slug_line: 1,
        related_lines: Vec::new(),
        versions: Default::default(),
    };
    let config = ctx.config;
    if kind.is_document() {
        let raw: RawDocument = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        entry.title = c.required("title", raw.title);
        entry.summary = c.required("summary", raw.summary);
        entry.date = c.date("date", raw.date);
        entry.published = c.date("published", raw.published);
        let updated_span = raw.updated.as_ref().map(|s| (s.span(), ()));
        entry.updated = c.date("updated", raw.updated);
        if let (Some(u), Some((span, _))) = (entry.updated, updated_span) {
            for (name, d) in [("published", entry.published), ("date", entry.date)] {
                if let Some(d) = d {
                    if u < d {
                        let line = span_line(fm, &span);
                        c.errors.push(
                            Diagnostic::new(&file, format!("{u} is before `{name}` ({d})"))
                                .at_line(line)
                                .field("updated"),
                        );
                    }
                }
            }
        }
        entry.issuer = c.optional("issuer", raw.issuer);
        entry.author = c.optional("author", raw.author);
        if let Some(s) = raw.status {
            match Status::parse(s.get_ref().trim()) {
                Some(st) => entry.status = Some(st),
                None => c.err(
                    "status",
                    Some(&s),
                    format!(
                        "unknown status {:?}; allowed values: {}",
                        s.get_ref(),
                        Status::ALL.map(|s| s.value()).join(", ")
                    ),
                ),
            }
        }
        entry.period = c.optional("period", raw.period);
        entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
        entry.districts = c.vocabulary("districts", "districts", raw.districts, &config.districts);
        entry.source = c.http_url("source", raw.source);
        entry.sources = raw.sources.unwrap_or_default();
        (entry.related, entry.related_lines) = c.related(raw.related);
        entry.versions = super::versions::load(&mut c, raw.previous, raw.version);
        let (slug, line) = c.slug(raw.slug, &entry.translation_key);
        entry.slug = slug;
        entry.slug_line = line;
        entry.attachments = load_attachments(&mut c, ctx, raw.attachments);
        match raw.postulates {
            Some(list) if kind == Kind::Raport => {
                entry.postulates =
                    super::postulates::load(&mut c, config, list, entry.date.or(entry.published));
            }
            Some(list) => {
                if let Some(first) = list.first() {
                    c.err(
                        "postulates",
                        Some(first),
                        "only reports (raporty) may list postulates",
                    );
                }
            }
            None => {}
        }
    } else if kind == Kind::Konkurs {
        let raw: super::calls::RawCall = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        super::calls::load_call(&mut c, ctx, raw, &mut entry);
    } else if kind == Kind::Kontakt {
        let raw: super::contacts::RawContact =
            front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        super::contacts::load_contact(&mut c, config, raw, &mut entry);
    } else {
        let raw: RawNgo = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        entry.title = c.required("name", raw.name);
        entry.summary = c.required("summary", raw.summary);
        entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
        entry.districts = c.vocabulary("districts", "districts", raw.districts, &config.districts);
        let mut info = NgoInfo {
            address: c.optional("address", raw.address),
            website: c.http_url("website", raw.website),
            ..NgoInfo::default()
        };
        info.email = c.email(raw.email);
        info.phone = c.phone(raw.phone);
        if let Some(k) = raw.krs {
            let v = k.get_ref().clone();
            if v.len() == 10 && v.chars().all(|ch| ch.is_ascii_digit()) {
                info.krs = Some(v);
            } else {
                c.err(
                    "krs",
                    Some(&k),
                    format!("must be exactly 10 digits, got {v:?}"),
                );
            }
        }
        entry.verified = super::freshness::load(&mut c, raw.verified);
        entry.sources = raw.sources.unwrap_or_default();
        let (slug, line) = c.slug(raw.slug, &entry.translation_key);
        entry.slug = slug;
        entry.slug_line = line;
        entry.ngo = Some(Box::new(info));
    }
    entry.url_path = format!(
        "{}{}/{}/",
        super::translations::prefix(config, &entry.language),
        kind.section(),
        entry.slug
    );
    if c.errors.is_empty() {
        Ok(entry)
    } else {
        Err(c.errors)
    }
}

/// Parse a section's `_index.md` (`kind` = Some) or the root `_index.md` (`None`).
pub fn load_index(
    kind: Option<Kind>,
    content_path: &str,
    bytes: &[u8],
    base_path: &str,
) -> Result<(Option<String>, Option<String>, String), Vec<Diagnostic>> {
    let file = format!("content/{content_path}");
    let text = utf8(&file, bytes).map_err(|d| vec![d])?;
    let split = split_file(&file, text)?;
    let raw: RawSection = front_matter::parse(&file, split.front_matter).map_err(|d| vec![d])?;
    let mut c = FileCheck {
        file: &file,
        fm: split.front_matter,
        errors: Vec::new(),
    };
    let title = if kind.is_some() {
        Some(c.required("title", raw.title))
    } else {
        c.optional("title", raw.title)
    };
    let summary = c.optional("summary", raw.summary);
    let html = markdown::render(split.body, base_path).html;
    if c.errors.is_empty() {
        Ok((title, summary, html))
    } else {
        Err(c.errors)
    }
}

/// Checks across files: duplicate slugs, `related` references that must exist, and files in
/// `content/` that no attachment references.
pub fn check_site(entries: &[Entry], other_files: &[String]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // Every language's site shows one version of each document at its slug (a document
    // untranslated into a language too), so two documents may not share a slug in any
    // language; the versions of one document may.
    let mut by_slug: BTreeMap<(Kind, &str), Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_slug
            .entry((e.kind, e.slug.as_str()))
            .or_default()
            .push(e);
    }
    for ((_, slug), group) in by_slug {
        if group.len() > 1 {
            let mut group = group;
            group.sort_by(|a, b| a.source_file.cmp(&b.source_file));
            let first = group[0];
            // Two files of one language for one key are reported by the translations check.
            for e in group[1..]
                .iter()
                .filter(|e| e.translation_key != first.translation_key)
            {
                let message = if e.language == first.language {
                    format!(
                        "duplicate slug {slug:?}: {} and {} would both be /{}",
                        first.source_file, e.source_file, e.url_path
                    )
                } else {
                    format!(
                        "duplicate slug {slug:?}: {} and {} are different documents, and a \
                         language showing both (one translated, the other not) would put \
                         them at one address",
                        first.source_file, e.source_file
                    )
                };
                errors.push(
                    Diagnostic::new(&e.source_file, message)
                        .at_line(e.slug_line)
                        .field("slug"),
                );
            }
        }
    }
    let known: BTreeSet<&str> = entries.iter().map(|e| e.content_path.as_str()).collect();
    for e in entries {
        for (r, line) in e.related.iter().zip(&e.related_lines) {
            if !known.contains(r.as_str()) {
                errors.push(
                    Diagnostic::new(&e.source_file, format!("no such content file: content/{r}"))
                        .at_line(*line)
                        .field("related"),
                );
            } else if *r == e.content_path {
                errors.push(
                    Diagnostic::new(&e.source_file, "a document cannot be related to itself")
                        .at_line(*line)
                        .field("related"),
                );
            }
        }
    }
    errors.extend(super::translations::check(entries));
    errors.extend(super::versions::check(entries));
    errors.extend(super::answer_refs::check(entries));
    let referenced: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.attachments.iter().filter_map(|a| a.file.as_deref()))
        .collect();
    for f in other_files {
        if !referenced.contains(f.as_str()) {
            errors.push(Diagnostic::new(
                format!("content/{f}"),
                "not referenced by any attachment (content/ holds only Markdown pages and attachment files)",
            ));
        }
    }
    errors
}

/// Reads and validates the files of one site: what [`load`] uses for the whole site and
/// `serve`'s incremental updates for the files an edit changed.
pub struct Loader<'a> {
    pub config: &'a Config,
    /// `<root>/content`.
    content_dir: PathBuf,
    /// Its canonical form (attachment paths must stay under it).
    content_canonical: PathBuf,
    /// Keep each entry's body text ([`Entry::body_text`]): for `jawnik serve`, whose patches
    /// of the search index need a page's text as it was before an edit.
    keep_text: bool,
}

impl<'a> Loader<'a> {
    pub fn new(root: &Path, config: &'a Config) -> Self {
        let content_dir = root.join("content");
        let content_canonical = content_dir
            .canonicalize()
            .unwrap_or_else(|_| content_dir.clone());
        Loader {
            config,
            content_dir,
            content_canonical,
            keep_text: false,
        }
    }

    /// This loader, keeping each entry's body text (see [`Loader::keep_text`]).
    pub fn keeping_text(self) -> Self {
        Loader {
            keep_text: true,
            ..self
        }
    }

    pub fn context(&self) -> LoadContext<'_> {
        LoadContext {
            config: self.config,
            content_dir: &self.content_dir,
            content_canonical: &self.content_canonical,
            keep_text: self.keep_text,
        }
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        walk::read_page(&self.content_dir, rel, self.config.max_file_size_mb).map_err(|d| vec![d])
    }

    /// Read and validate the page `content/{rel}` of a section of `kind`.
    pub fn entry(&self, kind: Kind, rel: &str) -> Result<Entry, Vec<Diagnostic>> {
        self.read(rel)
            .and_then(|bytes| load_entry(&self.context(), kind, rel, &bytes))
    }

    /// Read and validate `content/{rel}`, a section's `_index.md` (`kind` = Some) or the
    /// root one (`None`).
    fn index(
        &self,
        kind: Option<Kind>,
        rel: &str,
    ) -> Result<(Option<String>, Option<String>, String), Vec<Diagnostic>> {
        self.read(rel)
            .and_then(|b| load_index(kind, rel, &b, &self.config.base_path()))
    }
}

/// What loading a site gave: the site made of the files that loaded, and every problem found
/// (sorted; none when the site is valid).
pub struct Loaded {
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    /// The content files found, as `walk` listed them.
    pub files: walk::ContentFiles,
}

/// Load and validate the site at `root`; every problem is reported. Entries hold no body
/// text ([`Entry::body_text`] is `None`; [`super::body::text`] reads it back).
pub fn load_site(root: &Path, base_url: Option<&str>) -> Result<Site, Vec<Diagnostic>> {
    load_site_with(root, base_url, false, None)
}

/// [`load_site`], keeping each entry's body text when `keep_text` (`jawnik serve`);
/// `progress`, if given, counts the pages read (its length set once they are listed).
pub fn load_site_with(
    root: &Path,
    base_url: Option<&str>,
    keep_text: bool,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Site, Vec<Diagnostic>> {
    let loaded = load_with(Config::load(root, base_url)?, root, keep_text, progress);
    if loaded.diagnostics.is_empty() {
        Ok(loaded.site)
    } else {
        Err(loaded.diagnostics)
    }
}

/// Load every file of the site at `root` with `config`, keeping what loads and reporting
/// the rest.
pub fn load(config: Config, root: &Path) -> Loaded {
    load_with(config, root, false, None)
}

fn load_with(
    config: Config,
    root: &Path,
    keep_text: bool,
    progress: Option<&indicatif::ProgressBar>,
) -> Loaded {
    let content_dir = root.join("content");
    let files = walk::walk(&content_dir);
    if let Some(p) = progress {
        p.set_length(files.pages.len() as u64);
    }
    let mut diags = Diagnostics::default();
    diags.extend(files.errors.iter().cloned());
    let mut loader = Loader::new(root, &config);
    loader.keep_text = keep_text;

    let results: Vec<Result<Entry, Vec<Diagnostic>>> = files
        .pages
        .par_iter()
        .map(|(kind, rel)| {
            let entry = loader.entry(*kind, rel);
            progress.iter().for_each(|p| p.inc(1));
            entry
        })
        .collect();
    // Collected in place (the results' buffer becomes the entries'): an entry is ~1 KB
    // inline, and a second buffer growing beside the first was most of the load's peak.
    let mut entries: Vec<Entry> = results
        .into_iter()
        .filter_map(|r| match r {
            Ok(e) => Some(e),
            Err(ds) => {
                diags.extend(ds);
                None
            }
        })
        .collect();

    let mut sections = Vec::new();
    for (kind, index) in &files.sections {
        let Some(rel) = index else { continue };
        match loader.index(Some(*kind), rel) {
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
        match loader.index(None, rel) {
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
    let failed: BTreeSet<&str> = diags.0.iter().map(|d| d.file.as_str()).collect();
    let other: Vec<String> = if failed.iter().any(|f| f.ends_with(".md")) {
        // Some pages did not load, so their attachments are unknown: skip the
        // unreferenced-file check rather than report false positives.
        Vec::new()
    } else {
        files.other.clone()
    };
    let cross = check_site(&entries, &other);
    let known_failed: BTreeSet<String> = failed.iter().map(|s| s.to_string()).collect();
    for d in cross {
        // A `related` or `previous` reference to a file that exists but failed to load is not
        // an extra error.
        if matches!(d.field.as_deref(), Some("related" | "previous"))
            && known_failed.iter().any(|f| d.message.ends_with(f.as_str()))
        {
            continue;
        }
        diags.push(d);
    }

    let diagnostics = if diags.is_empty() {
        sections.sort_by_key(|s| s.kind);
        entries.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| a.content_path.cmp(&b.content_path))
        });
        Vec::new()
    } else {
        diags.into_sorted()
    };
    let site = Site {
        config,
        root: root.to_path_buf(),
        home,
        sections,
        entries,
        other_files: files.other.clone(),
        today: Date::today_utc(),
    };
    Loaded {
        site,
        diagnostics,
        files,
    }
}
