//! `jawnik check`: everything `build` validates (through [`load_site`]) and the rendering of
//! the theme, plus what a build cannot see: internal links in Markdown bodies resolved against
//! the pages the site will have (with their `#fragments`), duplicate titles and summaries,
//! documents without sectors, NGO entries without contact, placeholder summaries left by
//! `jawnik new`, stale directory entries (`content::freshness`, judged on `--today`), and (with `--external`) the external links, checked over HTTP.
//!
//! Every problem is a [`Problem`] with a severity; errors make the command fail, warnings do
//! not. The text report is `file:line: error|warning: message`, sorted, then a summary line;
//! the JSON report is a stable array of `{file, line, severity, field, message}`.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::build::{load_site, Site};
use crate::config::Config;
use crate::content::diagnostics::{line_of, Diagnostic};
use crate::content::front_matter;
use crate::content::model::{self, Entry, HomeIntro, LoadContext, Section};
use crate::content::walk;
use crate::render::{pages, templates::Theme};

/// The summary `jawnik new` writes: a placeholder that `check` reports until it is replaced.
pub const PLACEHOLDER_PREFIX: &str = "TODO";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found by `jawnik check`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// Relative to the site root, `/` separators (`content/raporty/x.md`).
    pub file: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    pub severity: Severity,
    /// The front-matter field concerned (`related`, `sectors`), `body` for body links.
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    fn new(
        severity: Severity,
        file: &str,
        line: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.to_string(),
            line,
            severity,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    fn from_diagnostic(d: Diagnostic) -> Self {
        Problem {
            file: d.file,
            line: d.line,
            severity: Severity::Error,
            field: d.field,
            message: d.message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}: ", self.severity.as_str())?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

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
    pub today: Option<model::Date>,
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

/// One Markdown file of `content/` and the page URL its relative links resolve from.
struct MdFile {
    /// `content/...`
    file: String,
    /// Path relative to `content/`.
    content_path: String,
    /// The page's path relative to the base URL (`raporty/x/`, `` for the home page).
    url: String,
}

/// Where an external address is used.
struct ExternalUse {
    file: String,
    line: Option<usize>,
    field: String,
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
    let content_dir = root.join("content");
    let files = walk::walk(&content_dir);

    // What `build` validates, exactly as it reports it; when it fails, the pages that did
    // load are still checked for the rest.
    let (site, loaded_ok) = match load_site(root, None) {
        Ok(mut site) => {
            // Attachments whose text `build` cannot read (through the build's cache).
            let cache = crate::extract::Cache::new(&root.join(crate::extract::CACHE_DIR));
            crate::build::extract_attachments(&mut site.entries, &cache);
            for e in &site.entries {
                for a in &e.attachments {
                    if let (Some(Err(why)), Some(file)) = (&a.text, &a.file) {
                        let text = std::fs::read_to_string(root.join(&e.file)).unwrap_or_default();
                        problems.push(Problem::new(
                            Severity::Warning,
                            &e.file,
                            value_line(&text, file),
                            Some("attachments.file"),
                            format!("content/{file}: no searchable text: {why}"),
                        ));
                    }
                }
            }
            (site, true)
        }
        Err(ds) => {
            problems.extend(ds.into_iter().map(Problem::from_diagnostic));
            (partial_site(root, &config, &files), false)
        }
    };

    // The pages the site will have: the rendered output (which also checks the theme).
    let mut outputs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let rendered = Theme::load(root, &site.config.theme).and_then(|theme| {
        let env = theme.environment(&format!("themes/{}", site.config.theme))?;
        pages::render_site(&site, &theme, &env, pages::Scope::All, None)
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
                outputs.insert(format!("{}index.html", e.path), ids);
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
    let by_content: BTreeMap<&str, &Entry> = site
        .entries
        .iter()
        .map(|e| (e.content_path.as_str(), e))
        .collect();
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
            Some(e) => e.path.clone(),
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
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for md in &md_files {
        let Ok(text) = std::fs::read_to_string(content_dir.join(&md.content_path)) else {
            continue; // reported by load_site
        };
        let Ok(split) = front_matter::split(&text) else {
            continue;
        };
        let body_offset = split.body.as_ptr() as usize - text.as_ptr() as usize;
        let links = body_links(split.body);
        for (dest, offset) in links {
            let line = line_of(&text, body_offset + offset);
            match classify(&dest) {
                Link::Skip => {}
                Link::External(url) => external.entry(url).or_default().push(ExternalUse {
                    file: md.file.clone(),
                    line: Some(line),
                    field: "body".into(),
                }),
                Link::Internal => {
                    report.internal_links += 1;
                    if let Some(p) = check_internal(md, &dest, &outputs, &page_urls) {
                        problems.push(Problem {
                            line: Some(line),
                            ..p
                        });
                    }
                }
            }
        }
        texts.insert(md.file.clone(), text);
    }

    entry_checks(&site.entries, &texts, &mut problems, &mut external);
    // Stale (and, with `[organisations]`, unconfirmed) organisations and coordinators.
    let today = opts.today.unwrap_or_else(model::Date::today_utc);
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

/// The entries that load, when the site as a whole does not (their errors are already
/// reported by `load_site`).
fn partial_site(root: &Path, config: &Config, files: &walk::ContentFiles) -> Site {
    let content_dir = root.join("content");
    let content_canonical = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.clone());
    let ctx = LoadContext {
        config,
        content_dir: &content_dir,
        content_canonical: &content_canonical,
    };
    let entries = files
        .pages
        .iter()
        .filter_map(|(kind, rel)| {
            let bytes = std::fs::read(content_dir.join(rel)).ok()?;
            model::load_entry(&ctx, *kind, rel, &bytes).ok()
        })
        .collect();
    let sections = files
        .sections
        .iter()
        .map(|(kind, index)| Section {
            kind: *kind,
            title: kind.label_plural().to_string(),
            summary: None,
            body_html: String::new(),
            file: index.clone().unwrap_or_default(),
        })
        .collect();
    Site {
        config: config.clone(),
        root: root.to_path_buf(),
        home: HomeIntro::default(),
        sections,
        entries,
        other_files: files.other.clone(),
        today: crate::content::model::Date::today_utc(),
    }
}

/// The `id` attribute values of an HTML text.
fn html_ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Every link and image destination of a Markdown body, with its byte offset.
fn body_links(body: &str) -> Vec<(String, usize)> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = ev
        else {
            continue;
        };
        if link_type != LinkType::Email {
            out.push((dest_url.to_string(), range.start));
        }
    }
    out
}

enum Link {
    Skip,
    External(String),
    Internal,
}

fn classify(dest: &str) -> Link {
    let d = dest.trim();
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Link::External(d.to_string());
    }
    if d.starts_with("//") {
        return Link::Skip;
    }
    // Any other scheme (mailto:, tel:, …) is not ours to check.
    if let Some(i) = d.find(':') {
        let scheme = &d[..i];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !d[..i].contains('/')
        {
            return Link::Skip;
        }
    }
    Link::Internal
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolve `rel` (a relative path) against the folder `dir` (`a/b/`, or empty); `None` when
/// it climbs above the root.
fn resolve(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = rel.split('/').collect();
    let trailing = rel.ends_with('/') || rel.ends_with("/.") || rel.ends_with("/..");
    for seg in &segments {
        match *seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if (trailing || rel == "." || rel == "..") && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// One internal link of `md`; a problem (without its line) when it does not resolve.
fn check_internal(
    md: &MdFile,
    dest: &str,
    outputs: &BTreeMap<String, BTreeSet<String>>,
    page_urls: &BTreeMap<String, String>,
) -> Option<Problem> {
    let problem =
        |severity, msg: String| Some(Problem::new(severity, &md.file, None, Some("body"), msg));
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let path = percent_decode(path_part);

    // A link to a content file by its path (`../programy/x.md`).
    if path.ends_with(".md") {
        let target = if let Some(abs) = path.strip_prefix('/') {
            resolve("", abs)
        } else {
            let dir = match md.content_path.rfind('/') {
                Some(i) => &md.content_path[..=i],
                None => "",
            };
            resolve(dir, &path)
        };
        let Some(target) = target else {
            return problem(
                Severity::Error,
                format!("broken link {dest:?}: it leaves content/"),
            );
        };
        if let Some(url) = page_urls.get(&target) {
            return problem(
                Severity::Warning,
                format!(
                    "link {dest:?} names the source file content/{target}; the built site has no such address: link to its page /{url} instead"
                ),
            );
        }
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: no such content file: content/{target}"),
        );
    }

    let target = if path.is_empty() {
        Some(md.url.clone())
    } else if let Some(abs) = path.strip_prefix('/') {
        // Root-relative links are rewritten under the base path by the renderer.
        resolve("", abs).map(|r| {
            if abs.ends_with('/') && !r.is_empty() && !r.ends_with('/') {
                r + "/"
            } else {
                r
            }
        })
    } else {
        resolve(&md.url, &path)
    };
    let Some(target) = target else {
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: it climbs above the site's root"),
        );
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if outputs.contains_key(&target) {
        target.clone()
    } else {
        format!("{target}/index.html")
    };
    let Some(ids) = outputs.get(&file) else {
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: the site has no page /{target}"),
        );
    };
    if let Some(f) = fragment {
        let f = percent_decode(f);
        if !f.is_empty() && file.ends_with(".html") && !ids.contains(&f) {
            return problem(
                Severity::Warning,
                format!("link {dest:?}: no heading or anchor #{f} on /{target}"),
            );
        }
    }
    None
}

/// The 1-based line of a `key = …` line in the front matter of `text`.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let split = front_matter::split(text).ok()?;
    for (i, line) in split.front_matter.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(front_matter::FRONT_MATTER_FIRST_LINE + i);
            }
        }
    }
    None
}

/// The 1-based line of the first front-matter line containing `needle`.
fn value_line(text: &str, needle: &str) -> Option<usize> {
    let split = front_matter::split(text).ok()?;
    split
        .front_matter
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| front_matter::FRONT_MATTER_FIRST_LINE + i)
}

fn normalise_text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Checks of the loaded entries: duplicates, sectors, contact, placeholders; and the
/// external addresses of their front matter.
fn entry_checks(
    entries: &[Entry],
    texts: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
    external: &mut BTreeMap<String, Vec<ExternalUse>>,
) {
    let text_of = |e: &Entry| texts.get(&e.file).map(String::as_str).unwrap_or("");
    let title_key = |e: &Entry| {
        if e.kind.is_document() || e.kind == model::Kind::Konkurs {
            "title"
        } else {
            "name"
        }
    };

    for (field, get) in [
        (
            "title",
            (|e: &Entry| e.title.as_str()) as fn(&Entry) -> &str,
        ),
        ("summary", |e: &Entry| e.summary.as_str()),
    ] {
        let mut groups: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
        for e in entries {
            let v = normalise_text(get(e));
            if !v.is_empty() {
                groups.entry(v).or_default().push(e);
            }
        }
        for group in groups.values_mut().filter(|g| g.len() > 1) {
            group.sort_by(|a, b| a.file.cmp(&b.file));
            let first = group[0];
            for e in &group[1..] {
                let key = if field == "title" {
                    title_key(e)
                } else {
                    "summary"
                };
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.file,
                    key_line(text_of(e), key),
                    Some(key),
                    format!(
                        "duplicate {field}: {} and {} have the same {field}",
                        first.file, e.file
                    ),
                ));
            }
        }
    }

    for e in entries {
        let text = text_of(e);
        if e.summary.trim_start().starts_with(PLACEHOLDER_PREFIX) {
            problems.push(Problem::new(
                Severity::Warning,
                &e.file,
                key_line(text, "summary"),
                Some("summary"),
                "placeholder summary: write the real summary in a few plain sentences",
            ));
        }
        // `jawnik new konkurs|kontakt` writes "Wydział …", "…@um.krakow.pl" and example dates.
        let placeholders = [
            ("department", e.call.as_ref().map(|c| c.department.as_str())),
            (
                "department",
                e.contact.as_ref().map(|c| c.department.as_str()),
            ),
            ("email", e.contact.as_ref().and_then(|c| c.email.as_deref())),
        ];
        for (field, value) in placeholders {
            if value.is_some_and(|v| v.contains('…')) {
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.file,
                    key_line(text, field),
                    Some(field),
                    format!("placeholder {field}: write the real value (and check the dates)"),
                ));
            }
        }
        if (e.kind.is_document() || e.kind == model::Kind::Konkurs) && e.sectors.is_empty() {
            problems.push(Problem::new(
                Severity::Warning,
                &e.file,
                Some(key_line(text, "sectors").unwrap_or(1)),
                Some("sectors"),
                "no sectors: it will not be listed under any sector (branża)",
            ));
        }
        if let Some(ngo) = &e.ngo {
            if ngo.address.is_none()
                && ngo.website.is_none()
                && ngo.email.is_none()
                && ngo.phone.is_none()
            {
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.file,
                    Some(1),
                    None,
                    "no contact: give at least one of `address`, `website`, `email`, `phone`",
                ));
            }
            if let Some(w) = &ngo.website {
                external.entry(w.clone()).or_default().push(ExternalUse {
                    file: e.file.clone(),
                    line: value_line(text, w),
                    field: "website".into(),
                });
            }
        }
        if let Some(s) = &e.source {
            external.entry(s.clone()).or_default().push(ExternalUse {
                file: e.file.clone(),
                line: value_line(text, s),
                field: "source".into(),
            });
        }
        if let Some(u) = e.call.as_ref().and_then(|c| c.url.as_ref()) {
            external.entry(u.clone()).or_default().push(ExternalUse {
                file: e.file.clone(),
                line: value_line(text, u),
                field: "url".into(),
            });
        }
        for a in &e.attachments {
            if let Some(u) = &a.url {
                external.entry(u.clone()).or_default().push(ExternalUse {
                    file: e.file.clone(),
                    line: value_line(text, u),
                    field: "attachments.url".into(),
                });
            }
        }
    }
}

/// Check each address with HEAD (GET when HEAD is refused), `concurrency` at a time, each
/// bounded by `timeout`. `Err` holds why the address failed, as a phrase ("returned 404").
pub fn check_external(
    urls: Vec<String>,
    timeout: Duration,
    concurrency: usize,
) -> BTreeMap<String, Result<(), String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("jawnik-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = Mutex::new(urls);
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| loop {
                let Some(url) = queue.lock().expect("queue").pop() else {
                    break;
                };
                let r = check_one(&agent, &url);
                results.lock().expect("results").insert(url, r);
            });
        }
    });
    results.into_inner().expect("results")
}

fn check_one(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let describe = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "is unreachable: host not found".to_string(),
        ureq::Error::ConnectionFailed => "is unreachable: connection failed".to_string(),
        ureq::Error::Io(e) => format!("is unreachable: {e}"),
        other => format!("failed: {other}"),
    };
    let fatal = |e: &ureq::Error| {
        matches!(
            e,
            ureq::Error::Timeout(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed
        ) || matches!(e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused)
    };
    match agent.head(url).call() {
        Ok(r) if r.status().as_u16() < 400 => return Ok(()),
        Ok(_) => {}
        Err(e) if fatal(&e) => return Err(describe(e)),
        Err(_) => {}
    }
    match agent.get(url).call() {
        Ok(r) if r.status().as_u16() < 400 => Ok(()),
        Ok(r) => Err(format!("returned HTTP {}", r.status().as_u16())),
        Err(e) => Err(describe(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("raporty/x/", "../../programy/y/").as_deref(),
            Some("programy/y/")
        );
        assert_eq!(resolve("", "raporty/").as_deref(), Some("raporty/"));
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(
            resolve("strategie/", "../programy/p.md").as_deref(),
            Some("programy/p.md")
        );
    }

    #[test]
    fn classifies_links() {
        assert!(matches!(classify("https://e.org/"), Link::External(_)));
        assert!(matches!(classify("mailto:a@b.pl"), Link::Skip));
        assert!(matches!(classify("../x/"), Link::Internal));
        assert!(matches!(classify("#cele"), Link::Internal));
    }
}
