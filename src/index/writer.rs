//! Writes the index: documents, taken from an iterator in URL order, analysed in parallel
//! (rayon) a batch at a time, fed to tantivy's multi-threaded writer as pre-tokenized text
//! under a fixed memory budget ([`WRITER_MEMORY`]: tantivy writes a segment whenever its
//! arena is full), merged into one segment; then the site lexicon (every form of every lemma
//! the site uses) saved beside it. What the writer holds does not grow with the site's text:
//! one batch of documents, tantivy's arena, and the set of lemmas (the vocabulary).

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use jawnik_analysis::{DocumentAnalyzer, SiteLexicon, Token as AnalysedToken};
use rayon::prelude::*;
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::schema::IndexSchema;
use super::{IndexDoc, LEXICON_FILE};
use jawnik_engine::Field;

/// What building the index did.
#[derive(Clone, Debug, Default)]
pub struct IndexStats {
    /// Documents indexed.
    pub docs: usize,
    /// Distinct lemma terms (the site lexicon's lemmas).
    pub lemmas: usize,
    /// Forms in the site lexicon.
    pub lexicon_forms: usize,
    /// Seconds spent analysing and indexing.
    pub seconds: f64,
}

/// Documents analysed at once before they are handed to tantivy.
const ANALYSIS_BATCH: usize = 256;

/// Memory for tantivy's writer, shared by its threads: the budget of its indexing arenas
/// (a full arena is written out as a segment). The whole index step stays near this plus
/// the analyzer's dictionary and one batch, whatever the site's size (`docs/scaling.md`).
pub const WRITER_MEMORY: usize = 200 * 1024 * 1024;
/// The indexing arena of a one-thread writer.
const SINGLE_WRITER_MEMORY: usize = 20 * 1024 * 1024;

/// One analysed document, ready for tantivy.
struct Analysed {
    doc: TantivyDocument,
    lemmas: BTreeSet<String>,
}

fn pre_tokenized(tokens: Vec<(usize, usize, u32, String)>) -> PreTokenizedString {
    // The text itself is not stored in these fields (the record holds it).
    PreTokenizedString {
        text: String::new(),
        tokens: tokens
            .into_iter()
            .map(|(offset_from, offset_to, position, text)| Token {
                offset_from,
                offset_to,
                position: position as usize,
                text,
                position_length: 1,
            })
            .collect(),
    }
}

/// The lemma tokens of an analysed text.
fn lemma_tokens(
    tokens: &[AnalysedToken],
    position_offset: u32,
) -> impl Iterator<Item = (usize, usize, u32, String)> + '_ {
    tokens.iter().flat_map(move |t| {
        t.terms
            .iter()
            .map(move |term| (t.start, t.end, t.position + position_offset, term.clone()))
    })
}

use super::VALUE_GAP;

/// The analyzer of a language other than the site's dictionary language, made once per process.
fn stemming_analyzer(language: jawnik_analysis::Language) -> &'static DocumentAnalyzer<'static> {
    static ANALYZERS: std::sync::OnceLock<Vec<DocumentAnalyzer<'static>>> =
        std::sync::OnceLock::new();
    let all = ANALYZERS.get_or_init(|| {
        jawnik_analysis::Language::ALL
            .iter()
            .map(|&l| DocumentAnalyzer::stemming(l, l.stopwords()))
            .collect()
    });
    let at = jawnik_analysis::Language::ALL
        .iter()
        .position(|&l| l == language)
        .unwrap_or(0);
    &all[at]
}

fn analyse(
    doc: &IndexDoc,
    ord: u64,
    analyzer: &DocumentAnalyzer,
    schema: &IndexSchema,
) -> Result<Analysed> {
    let language = doc.analysis_language();
    let analyzer = if language == analyzer.language() {
        analyzer
    } else {
        stemming_analyzer(language)
    };
    // Only dictionary lemmas belong in the site lexicon (a stem is no lemma).
    let to_lexicon = language.uses_dictionary();
    let mut tantivy_doc = TantivyDocument::new();
    let mut lemmas = BTreeSet::new();
    let mut exact: Vec<(usize, usize, u32, String)> = Vec::new();
    let mut exact_position = 0u32;
    // Values are `(text, whether its words also go to the exact field)`; body text and
    // attachment text do not (the exact field is for short fields).
    let mut add_field = |field: Field,
                         values: &[(&str, bool)],
                         tantivy_doc: &mut TantivyDocument| {
        let mut tokens = Vec::new();
        let mut offset = 0u32;
        for &(value, to_exact) in values {
            let analysed = analyzer.analyze_text(value);
            for t in &analysed {
                lemmas.extend(
                    t.terms
                        .iter()
                        .filter(|t| to_lexicon && !t.starts_with(jawnik_analysis::FALLBACK_MARK))
                        .cloned(),
                );
                if to_exact {
                    exact.push((
                        t.start,
                        t.end,
                        exact_position + t.position,
                        t.surface.clone(),
                    ));
                }
            }
            // The value's length in words, stop words included ([`super::value_starts`]).
            let last = jawnik_analysis::words(value).count() as u32;
            tokens.extend(lemma_tokens(&analysed, offset));
            offset += last + VALUE_GAP;
            if to_exact {
                exact_position += last + VALUE_GAP;
            }
        }
        tantivy_doc.add_pre_tokenized_text(schema.field(field), pre_tokenized(tokens));
    };
    add_field(
        Field::Title,
        &[(doc.title.as_str(), true)],
        &mut tantivy_doc,
    );
    add_field(
        Field::Summary,
        &[(doc.summary.as_str(), true)],
        &mut tantivy_doc,
    );
    let headings: Vec<(&str, bool)> = doc
        .headings
        .iter()
        .map(|h| (h.text.as_str(), true))
        .collect();
    add_field(Field::Headings, &headings, &mut tantivy_doc);
    add_field(Field::Body, &[(doc.body.as_str(), false)], &mut tantivy_doc);
    // Attachments: each title, then its pages (see `IndexDoc::attachment_parts`).
    let attachments: Vec<(&str, bool)> = doc
        .attachment_parts()
        .into_iter()
        .map(|p| (p.text, p.is_title))
        .collect();
    add_field(Field::Attachments, &attachments, &mut tantivy_doc);
    let mut tags: Vec<(&str, bool)> = doc.tags.iter().map(|t| (t.as_str(), true)).collect();
    tags.extend(doc.issuer.as_deref().map(|i| (i, true)));
    add_field(Field::Tags, &tags, &mut tantivy_doc);
    tantivy_doc.add_pre_tokenized_text(schema.field(Field::Exact), pre_tokenized(exact));

    let version = if doc.archival {
        jawnik_engine::schema::VERSION_ARCHIVAL
    } else {
        jawnik_engine::schema::VERSION_LATEST
    };
    let facet_values: [(&str, Vec<String>); 7] = [
        ("kind", vec![doc.kind.clone()]),
        ("sector", doc.sectors.clone()),
        ("district", doc.districts.clone()),
        ("status", doc.status.iter().cloned().collect()),
        ("year", doc.year().into_iter().collect()),
        ("version", vec![version.to_string()]),
        ("language", vec![doc.language_tag().to_string()]),
    ];
    for (facet, values) in facet_values {
        let field = schema.facet(facet).context("facet field")?;
        for value in values {
            tantivy_doc.add_text(field, value);
        }
    }
    tantivy_doc.add_u64(schema.ord, ord);
    tantivy_doc.add_i64(schema.date, doc.date_days().map_or(i64::MIN, i64::from));
    tantivy_doc.add_text(schema.record, serde_json::to_string(doc)?);
    Ok(Analysed {
        doc: tantivy_doc,
        lemmas,
    })
}

/// Indexes `docs` into `dir`, replacing the index there only once the new one is complete:
/// it is written beside (`<dir>.new-<pid>-<n>`) and renamed into place, so an interrupted build
/// leaves the previous index intact and two builds of one site do not write into each other's
/// files. Documents are numbered in URL order.
pub fn write_index(
    dir: &Path,
    docs: &[IndexDoc],
    analyzer: &DocumentAnalyzer,
) -> Result<IndexStats> {
    write_index_then(dir, in_url_order(docs), analyzer, |_| Ok(())).map(|(stats, ())| stats)
}

/// `docs` sorted by URL.
fn in_url_order(docs: &[IndexDoc]) -> Vec<&IndexDoc> {
    let mut order: Vec<&IndexDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));
    order
}

/// [`write_index`] for documents that come one by one, **in URL order** (an error otherwise):
/// from an iterator that makes each when it is asked for (or a channel's receiver, fed as
/// pages are rendered), so the site's text is never held at once. Runs `then` on the new
/// index (its folder) before it is moved into place: what `then` reads is the index this
/// build wrote, whatever another build does meanwhile.
pub fn write_index_then<T, D: Borrow<IndexDoc> + Send>(
    dir: &Path,
    docs: impl IntoIterator<Item = D>,
    analyzer: &DocumentAnalyzer,
    then: impl FnOnce(&Path) -> Result<T>,
) -> Result<(IndexStats, T)> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let unique = format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let name = dir
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    let fresh = dir.with_file_name(format!("{name}.new-{unique}"));
    let old = dir.with_file_name(format!("{name}.old-{unique}"));
    std::fs::create_dir_all(&fresh).with_context(|| format!("creating {}", fresh.display()))?;
    let result =
        write_new_index(&fresh, docs, analyzer).and_then(|stats| Ok((stats, then(&fresh)?)));
    match result {
        Ok(result) => {
            swap_into_place(&fresh, dir, &old)?;
            Ok(result)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            Err(e)
        }
    }
}

/// Renames `fresh` to `dir`, moving a present `dir` to `old` first (and removing it after).
/// Another build may swap in between: then try again, a few times.
fn swap_into_place(fresh: &Path, dir: &Path, old: &Path) -> Result<()> {
    let mut attempt = 0;
    loop {
        match std::fs::rename(dir, old) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("moving {} aside", dir.display())),
        }
        match std::fs::rename(fresh, dir) {
            Ok(()) => break,
            Err(_) if attempt < 10 => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("moving the new index to {}", dir.display()))
            }
        }
    }
    if old.exists() {
        std::fs::remove_dir_all(old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(())
}

fn write_new_index<D: Borrow<IndexDoc> + Send>(
    dir: &Path,
    docs: impl IntoIterator<Item = D>,
    analyzer: &DocumentAnalyzer,
) -> Result<IndexStats> {
    let started = Instant::now();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Read through `pread`, not `mmap`: the final merge reads every segment once, and mapped
    // pages it touched would count in the process's memory (`super::pread`).
    let index = Index::create(
        super::pread::PreadDirectory::open(dir)?,
        IndexSchema::new().schema,
        tantivy::IndexSettings::default(),
    )?;
    let (count, lemmas) = write_documents(&index, docs, analyzer, threads)?;
    let lexicon = SiteLexicon::build(analyzer.dictionary(), &lemmas);
    write_lexicon(dir, &lexicon)?;
    Ok(IndexStats {
        docs: count,
        lemmas: lemmas.len(),
        lexicon_forms: lexicon.form_count(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Writes the documents (in URL order) into a new index in `dir` (one segment); returns how
/// many and their lemmas.
fn write_documents<D: Borrow<IndexDoc> + Send>(
    index: &Index,
    docs: impl IntoIterator<Item = D>,
    analyzer: &DocumentAnalyzer,
    threads: usize,
) -> Result<(usize, BTreeSet<String>)> {
    let schema = IndexSchema::from_schema(index.schema())?;
    // One thread (a patch of one page) needs only tantivy's minimum arena.
    let memory = if threads == 1 {
        SINGLE_WRITER_MEMORY
    } else {
        WRITER_MEMORY
    };
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;
    let mut lemmas = BTreeSet::new();
    let mut docs = docs.into_iter();
    let mut count = 0usize;
    let mut last_url: Option<String> = None;
    // Take a batch, analyse it in parallel, hand it to tantivy, then the next: memory stays
    // bounded.
    loop {
        let batch: Vec<D> = docs.by_ref().take(ANALYSIS_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        for doc in &batch {
            let url = &doc.borrow().url;
            if let Some(last) = last_url.as_deref().filter(|last| *last > url.as_str()) {
                anyhow::bail!("index documents out of URL order: {url} after {last}");
            }
            last_url = Some(url.clone());
        }
        let first = count as u64;
        count += batch.len();
        let analysed: Vec<Analysed> = batch
            .into_par_iter()
            .enumerate()
            .map(|(i, doc)| analyse(doc.borrow(), first + i as u64, analyzer, &schema))
            .collect::<Result<_>>()?;
        for a in analysed {
            lemmas.extend(a.lemmas);
            writer.add_document(a.doc)?;
        }
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok((count, lemmas))
}

/// Saves the site lexicon beside the index: whole, and in parts for `jawnik search`.
fn write_lexicon(dir: &Path, lexicon: &SiteLexicon) -> Result<()> {
    std::fs::write(dir.join(LEXICON_FILE), lexicon.to_bytes())
        .with_context(|| format!("writing {}", dir.join(LEXICON_FILE).display()))?;
    super::lazy_lexicon::write_parts(dir, lexicon)
}

/// Indexes a few documents (a page being patched by `jawnik serve`) in memory, on one
/// thread; returns the index and their lemmas. Opened with
/// [`super::TantivyBackend::without_lexicon`], it gives the documents' postings exactly as a
/// whole-site index has them (a document's postings and field norms depend on it alone).
pub fn index_in_memory(
    docs: &[IndexDoc],
    analyzer: &DocumentAnalyzer,
) -> Result<(Index, BTreeSet<String>)> {
    let index = Index::create_in_ram(IndexSchema::new().schema);
    let (_, lemmas) = write_documents(&index, in_url_order(docs), analyzer, 1)?;
    Ok((index, lemmas))
}
