//! Incremental rebuilds for `jawnik serve`: after a full build, a change to existing pages'
//! Markdown files re-reads only those files, validates them (alone and across the site),
//! renders only the pages that show them, and patches the search export in memory
//! (`crate::export::Contribution`). Anything else — a file added, removed or renamed, a slug
//! changed, `_index.md`, an attachment, the theme, `jawnik.toml` — asks for a full build.
//!
//! What is rendered: the changed pages; when more than the body changed (title, summary,
//! dates, sectors, related…), also every list page, the feeds, the sitemap, the pages that
//! link to or from the changed ones and the other versions of their chains (comparison pages
//! go with either version); on a site with translations, the pages of every version of those
//! (each language's view shows one, [`crate::render::languages`]), in every language.
//! `tests/integration/incremental.rs` checks that every page a full
//! build would change is among them, byte for byte, and that the patched search answers as a
//! full export does.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use jawnik_analysis::{Dictionary, DocumentAnalyzer, LemmaForms};

use crate::build::{BuildError, Built};
use crate::content::attachments::extract_attachments;
use crate::content::diagnostics::Diagnostics;
use crate::content::load::{check_site, Loader};
use crate::content::model::{Entry, Kind, Site};
use crate::export::{Contribution, SearchExport};
use crate::output::OutputFile;
use crate::render::frame::Scope;
use crate::render::site::render_site;
use crate::render::templates::Theme;

/// A full build's products, kept to rebuild parts of the site.
pub struct Incremental {
    site: Site,
    theme: Theme,
    env: minijinja::Environment<'static>,
    export: Arc<SearchExport>,
    /// Each entry's document number in the search export, by `content_path`.
    ords: HashMap<String, u32>,
    analyzer: DocumentAnalyzer<'static>,
    /// What each page edited so far puts into the search export now.
    contributions: HashMap<String, Contribution>,
}

/// What an incremental rebuild produced.
pub struct Update {
    /// The pages (and feeds, sitemap) rendered again: serve them instead of the built ones.
    pub files: Vec<OutputFile>,
    /// The patched search export.
    pub search: Arc<SearchExport>,
    /// The entries re-read.
    pub changed: Vec<String>,
    /// Whether the list pages were rendered again (more than a body changed).
    pub lists: bool,
    /// Time spent in each phase: load, check, render, search.
    pub phases: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
}

/// The result of [`Incremental::update`].
pub enum Outcome {
    Updated(Update),
    /// The change needs a full build (the reason, for the log).
    FullBuild(String),
}

impl Incremental {
    /// Keeps a full build's products.
    pub fn new(built: Built) -> Incremental {
        let Built {
            site,
            theme,
            env,
            export,
        } = built;
        let mut urls: Vec<(String, Option<String>)> = site
            .entries
            .iter()
            .map(|e| (e.url_path.clone(), Some(e.content_path.clone())))
            .collect();
        urls.extend(
            site.sections
                .iter()
                .map(|s| (format!("{}/", s.kind.section()), None)),
        );
        // A report's postulates are search records of their own (`crate::index`).
        urls.extend(site.entries.iter().flat_map(|e| {
            e.postulates
                .iter()
                .map(move |p| (format!("{}#{}", e.url_path, p.anchor), None))
        }));
        // Document numbers are ranks in URL order (`crate::index`).
        urls.sort();
        let ords = urls
            .into_iter()
            .enumerate()
            .filter_map(|(ord, (_, path))| path.map(|p| (p, ord as u32)))
            .collect();
        // Prepared in the background: an edit that brings a lemma new to the site needs it.
        let analyzer = DocumentAnalyzer::polish();
        let dictionary = analyzer.dictionary();
        if LEMMA_FORMS.get().is_none() {
            std::thread::spawn(move || lemma_forms(dictionary));
        }
        Incremental {
            site,
            theme,
            env,
            export: Arc::new(export),
            ords,
            analyzer,
            contributions: HashMap::new(),
        }
    }

    /// The search export as it stands.
    pub fn search(&self) -> Arc<SearchExport> {
        Arc::clone(&self.export)
    }

    /// Rebuilds after `changed` files (absolute paths) changed. On invalid content, the errors
    /// are returned and nothing is changed: the last good state stays.
    pub fn update(&mut self, changed: &BTreeSet<PathBuf>) -> Result<Outcome, BuildError> {
        let started = Instant::now();
        let site = &self.site;
        let content_dir = site.root.join("content");
        let mut targets: Vec<(usize, String)> = Vec::new();
        for path in changed {
            let Some(rel) = content_path(&content_dir, path) else {
                return Ok(Outcome::FullBuild(format!("{} changed", path.display())));
            };
            let Some(i) = site.entries.iter().position(|e| e.content_path == rel) else {
                return Ok(Outcome::FullBuild(format!(
                    "content/{rel} is new or not a page"
                )));
            };
            if !path.is_file() {
                return Ok(Outcome::FullBuild(format!("content/{rel} was removed")));
            }
            targets.push((i, rel));
        }
        if targets.is_empty() {
            return Ok(Outcome::FullBuild("nothing to update".into()));
        }

        // Read and validate the changed files alone.
        // Its body text kept, as the build for `serve` keeps every entry's (a later edit's
        // patch needs the text from before it).
        let loader = Loader::new(&site.root, &site.config).keeping_text();
        let mut diags = Diagnostics::default();
        let mut fresh: Vec<(usize, Entry)> = Vec::new();
        for (i, rel) in &targets {
            let loaded = loader.entry(site.entries[*i].kind, rel);
            match loaded {
                Ok(entry) if entry.url_path != site.entries[*i].url_path => {
                    return Ok(Outcome::FullBuild(format!(
                        "content/{rel}: its URL changed"
                    )));
                }
                Ok(mut entry) => {
                    attachment_text(&site.entries[*i], &mut entry, &site.root);
                    fresh.push((*i, entry))
                }
                Err(ds) => diags.extend(ds),
            }
        }
        if !diags.is_empty() {
            return Err(BuildError::Invalid(diags.into_sorted()));
        }

        let mut phases = vec![("load", started.elapsed())];
        let mut mark = |name: &'static str| {
            let total: Duration = phases.iter().map(|(_, d)| *d).sum();
            phases.push((name, started.elapsed() - total));
        };
        // Put them in, check across files, and take them out again on errors.
        let mut old: Vec<(usize, Entry)> = Vec::new();
        for (i, entry) in fresh {
            let previous = std::mem::replace(&mut self.site.entries[i], entry);
            old.push((i, previous));
        }
        let site = &self.site;
        // The cross-file checks read no page's body (a postulate's answer names a heading:
        // headings count): an edit of bodies alone leaves them as they were, passed. At 50k
        // documents running them took 110-430 ms of an update.
        let bodies_only = old.iter().all(|(i, before)| {
            let now = &site.entries[*i];
            before.headings == now.headings && differs_only_in_body(before, now)
        });
        let cross = if bodies_only {
            Vec::new()
        } else {
            check_site(&site.entries, &site.other_files)
        };
        if !cross.is_empty() {
            for (i, entry) in old {
                self.site.entries[i] = entry;
            }
            let mut diags = Diagnostics::default();
            diags.extend(cross);
            return Err(BuildError::Invalid(diags.into_sorted()));
        }

        mark("check");

        // A coordinator is shown on every page of its sectors, and postulates have search
        // records of their own: beyond a body edit, those need a full build.
        let wide = old.iter().find(|(i, before)| {
            let now = &site.entries[*i];
            !differs_only_in_body(before, now)
                && (now.kind == Kind::Kontakt
                    || !before.postulates.is_empty()
                    || !now.postulates.is_empty()
                    // Which version is archival (search records, facets) follows `previous`.
                    || before.versions.previous != now.versions.previous)
        });
        if let Some((i, _)) = wide {
            let reason = format!(
                "{}: a coordinator, postulates or a chain of versions changed",
                site.entries[*i].source_file
            );
            for (i, entry) in old {
                self.site.entries[i] = entry;
            }
            return Ok(Outcome::FullBuild(reason));
        }

        // Which pages show them.
        let lists = old
            .iter()
            .any(|(i, before)| !differs_only_in_body(before, &site.entries[*i]));
        let mut wanted: BTreeSet<String> = targets.iter().map(|(_, rel)| rel.clone()).collect();
        // The reports whose postulates are answered in a changed chain of versions link to
        // the changes by number (the tracker and the changes feeds follow in `render_site`).
        for (i, _) in &old {
            let chain = crate::content::versions::chain(&site.entries, &site.entries[*i]);
            for e in &site.entries {
                let answered_in_chain = e.postulates.iter().any(|p| {
                    p.answer_ref
                        .as_ref()
                        .is_some_and(|r| chain.iter().any(|v| v.content_path == r.path))
                });
                if answered_in_chain {
                    wanted.insert(e.content_path.clone());
                }
            }
        }
        if lists {
            for (i, before) in &old {
                let now = &site.entries[*i];
                wanted.extend(before.related.iter().chain(&now.related).cloned());
                for e in &site.entries {
                    // `related` may name any translation of it (each language's page links
                    // to its own language's version).
                    if e.related.iter().any(|r| {
                        r == &now.content_path
                            || crate::content::translations::split_suffix(r).0
                                == now.translation_key
                    }) {
                        wanted.insert(e.content_path.clone());
                    }
                }
                // The other versions of its chain show its label and date (and it may have
                // left a chain: its earlier previous version).
                wanted.extend(before.versions.previous.iter().cloned());
                wanted.extend(
                    crate::content::versions::chain(&site.entries, now)
                        .iter()
                        .map(|e| e.content_path.clone()),
                );
            }
        }
        if !site.config.languages.is_empty() {
            // Each language shows one version of a key: the pages of the other versions of
            // the pages rendered again (their views' `related` and chains lead to them).
            let keys: BTreeSet<&str> = site
                .entries
                .iter()
                .filter(|e| wanted.contains(&e.content_path))
                .map(|e| e.translation_key.as_str())
                .collect();
            let more: Vec<String> = site
                .entries
                .iter()
                .filter(|e| keys.contains(e.translation_key.as_str()))
                .map(|e| e.content_path.clone())
                .collect();
            wanted.extend(more);
        }
        let scope = Scope::Pages {
            entries: &wanted,
            lists,
        };
        let files = match render_site(site, &self.theme, &self.env, scope) {
            Ok(files) => files,
            Err(diags) => {
                for (i, entry) in old {
                    self.site.entries[i] = entry;
                }
                return Err(BuildError::Invalid(diags));
            }
        };

        mark("render");
        // Patch the search export.
        let export = Arc::make_mut(&mut self.export);
        let base_path = export.base_path().to_string();
        for (i, before) in &old {
            let now = &site.entries[*i];
            let ord = self.ords[&now.content_path];
            let contribution = |entry: &Entry| {
                let doc =
                    crate::index::index_doc(site, entry).map_err(|d| anyhow::anyhow!("{d}"))?;
                Contribution::of(&doc, ord, &base_path, &self.analyzer)
            };
            // The page's current contribution is known after its first edit.
            let (was, is) = match self.contributions.remove(&now.content_path) {
                Some(was) => (Ok(was), contribution(now)),
                None => rayon::join(|| contribution(before), || contribution(now)),
            };
            let result = was.and_then(|was| {
                let is = is?;
                let dictionary = self.analyzer.dictionary();
                export.replace_doc(ord, &was, &is, |added| {
                    lemma_forms(dictionary).site_lexicon(dictionary, added)
                })?;
                Ok(is)
            });
            match result {
                Ok(is) => {
                    self.contributions.insert(now.content_path.clone(), is);
                }
                Err(e) => return Ok(Outcome::FullBuild(format!("search index: {e:#}"))),
            }
        }
        mark("search");
        Ok(Outcome::Updated(Update {
            files,
            phases,
            search: Arc::clone(&self.export),
            changed: targets.into_iter().map(|(_, rel)| rel).collect(),
            lists,
            elapsed: started.elapsed(),
        }))
    }
}

static LEMMA_FORMS: OnceLock<LemmaForms> = OnceLock::new();

/// The dictionary's forms by lemma (built once per process; waits if being built).
fn lemma_forms(dictionary: &Dictionary) -> &'static LemmaForms {
    LEMMA_FORMS.get_or_init(|| LemmaForms::build(dictionary))
}

/// `path` relative to `content/`, with `/`, when it is a page's Markdown file there.
fn content_path(content_dir: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(content_dir).ok()?;
    let parts: Vec<&str> = rel.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    let name = *parts.last()?;
    (name.ends_with(".md") && name != "_index.md").then(|| parts.join("/"))
}

/// Gives a reloaded entry the text of its attachments: an unchanged file's from the previous
/// version (a changed file is not an edit of a page: it makes a full build), a newly listed
/// one's extracted through the site's cache.
fn attachment_text(before: &Entry, now: &mut Entry, root: &Path) {
    let cache = crate::extract::Cache::new(&root.join(crate::extract::CACHE_DIR));
    let mut new_file = false;
    for a in &mut now.attachments {
        if let Some(old) = before
            .attachments
            .iter()
            .find(|o| o.source.is_some() && o.source == a.source && o.format == a.format)
        {
            a.text.clone_from(&old.text);
        } else if a.source.is_some() {
            new_file = true;
        }
    }
    if new_file {
        extract_attachments(std::slice::from_mut(now), &cache, None);
    }
}

/// True when two versions of an entry differ at most in their body (which only their own
/// page and the search index show).
fn differs_only_in_body(a: &Entry, b: &Entry) -> bool {
    let mut a = a.clone();
    a.body = b.body;
    a.body_text.clone_from(&b.body_text);
    a.headings.clone_from(&b.headings);
    a == *b
}
