//! Exports the tantivy index to the static search folder `search/` that the browser runtime
//! reads (format: `jawnik_web::format`; protocol: `docs/browser-search.md`).
//!
//! Terms of all fields are grouped by term and cut into chunks of about [`TERM_CHUNK_BYTES`]
//! (a query word costs one chunk, whatever the site's size); long-field positions, needed only
//! for phrases, go to separate chunks; the site lexicon is cut into ranges the same way, and
//! document records into fixed-size chunks. Every file's name carries a hash of its content and
//! every file carries the build's identifier, a hash of the whole export: the same index gives
//! byte-identical files.

use std::collections::BTreeMap;

use anyhow::Result;
use jawnik_analysis::words;
use jawnik_engine::Backend;
use jawnik_engine::Field;
use jawnik_web::codec::fnv1a;
use jawnik_web::format::{
    encode_docs, encode_terms, put_header, ChunkTable, DocRecord, Facets, FieldPostings, Meta,
    MAGIC_LEXICON, MAGIC_POSITIONS, MAGIC_TERMS,
};

use crate::index::TantivyBackend;

/// Target size of a term chunk.
pub const TERM_CHUNK_BYTES: usize = 24 * 1024;
/// Target size of a position chunk.
pub const POSITION_CHUNK_BYTES: usize = 64 * 1024;
/// Target size of a lexicon chunk.
pub const LEXICON_CHUNK_BYTES: usize = 12 * 1024;
/// Documents per record chunk.
pub const DOCS_PER_CHUNK: u32 = 32;
/// Longest summary kept in a record, in characters.
pub const SUMMARY_CHARS: usize = 320;
/// The folder, under the output, that holds the search files.
pub const SEARCH_DIR: &str = "search";

/// The WebAssembly runtime, built from `crates/web` by `build.rs`.
pub const RUNTIME_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jawnik_web.wasm"));

/// One exported file: path inside the search folder, bytes.
pub type SearchFile = (String, Vec<u8>);

/// Labels shown by the page for facet values.
pub type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// Exports the index; `base_path` is the site's base path (`/` or `/ngo/`).
pub fn export(
    backend: &mut TantivyBackend,
    base_path: &str,
    labels: &Labels,
) -> Result<Vec<SearchFile>> {
    let mut files: Vec<SearchFile> = Vec::new();

    // Terms: every field's postings grouped by term; short-field positions inline.
    let mut terms: BTreeMap<String, Vec<FieldPostings>> = BTreeMap::new();
    let mut positions: BTreeMap<String, Vec<FieldPostings>> = BTreeMap::new();
    for field in Field::ALL {
        for (term, _) in backend.all_terms(field) {
            let postings = backend.full_postings(field, &term);
            let docs: Vec<u32> = postings.iter().map(|p| p.0).collect();
            let inline = Field::PROXIMITY_FIELDS.contains(&field);
            let all_positions: Vec<Vec<u32>> = postings.iter().map(|p| p.3.clone()).collect();
            terms.entry(term.clone()).or_default().push(FieldPostings {
                field,
                docs: docs.clone(),
                tfs: postings.iter().map(|p| p.1).collect(),
                norms: postings.iter().map(|p| p.2).collect(),
                positions: if inline {
                    all_positions.clone()
                } else {
                    Vec::new()
                },
            });
            if !inline && field != Field::Exact {
                positions.entry(term).or_default().push(FieldPostings {
                    field,
                    docs,
                    tfs: Vec::new(),
                    norms: Vec::new(),
                    positions: all_positions,
                });
            }
        }
    }
    let term_chunks = chunk_terms(MAGIC_TERMS, &terms, TERM_CHUNK_BYTES);
    let position_chunks = chunk_terms(MAGIC_POSITIONS, &positions, POSITION_CHUNK_BYTES);

    // The lexicon, in ranges of folded forms.
    let lexicon_chunks: Vec<(String, Vec<u8>)> = backend
        .lexicon()
        .split_by_size(LEXICON_CHUNK_BYTES)
        .into_iter()
        .map(|(first, part)| {
            let mut bytes = Vec::new();
            put_header(&mut bytes, MAGIC_LEXICON, 0);
            bytes.extend_from_slice(&part.to_bytes());
            (first, bytes)
        })
        .collect();

    // Document records.
    let num_docs = backend.num_docs() as u32;
    let mut doc_chunks = Vec::new();
    let mut chunk = Vec::new();
    for doc in 0..num_docs {
        chunk.push(record(backend, doc, base_path)?);
        if chunk.len() as u32 == DOCS_PER_CHUNK || doc + 1 == num_docs {
            doc_chunks.push(encode_docs(0, &std::mem::take(&mut chunk)));
        }
    }

    // Facets and dates.
    let mut facets = Facets {
        values: Vec::new(),
        dates: backend.doc_dates().unwrap_or_default(),
    };
    for facet in jawnik_engine::schema::FACETS {
        let mut values = Vec::new();
        for value in backend.facet_values(facet).unwrap_or_default() {
            let docs = backend.facet_docs(facet, &value).unwrap_or_default();
            values.push((value, docs));
        }
        facets.values.push((facet.to_string(), values));
    }
    let facet_bytes = facets.encode(0);

    // The build id: a hash of everything, then written into every header.
    let mut all = Vec::new();
    for bytes in term_chunks
        .iter()
        .chain(&position_chunks)
        .chain(&lexicon_chunks)
        .map(|(_, b)| b)
        .chain(&doc_chunks)
        .chain(std::iter::once(&facet_bytes))
    {
        all.extend_from_slice(&fnv1a(bytes).to_le_bytes());
    }
    all.extend_from_slice(RUNTIME_WASM);
    let build = fnv1a(&all);
    let namer = Namer { build };
    let terms_table = namer.table("t", term_chunks, &mut files);
    let positions_table = namer.table("p", position_chunks, &mut files);
    let lexicon_table = namer.table("l", lexicon_chunks, &mut files);
    let doc_files: Vec<String> = doc_chunks
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| namer.file("d", i, bytes, &mut files))
        .collect();
    let mut facet_bytes = facet_bytes;
    facet_bytes[4..12].copy_from_slice(&build.to_le_bytes());
    let facets_file = format!("f-{:08x}.bin", fnv1a(&facet_bytes) as u32);
    files.push((facets_file.clone(), facet_bytes));

    let meta = Meta {
        build,
        num_docs: u64::from(num_docs),
        total_tokens: Field::ALL
            .iter()
            .map(|f| backend.total_tokens(*f))
            .collect(),
        terms: terms_table,
        positions: positions_table,
        lexicon: lexicon_table,
        docs_per_chunk: DOCS_PER_CHUNK,
        doc_files,
        facets_file,
    }
    .encode();
    let meta_file = format!("meta-{:08x}.bin", fnv1a(&meta) as u32);
    files.push((meta_file.clone(), meta));
    let wasm_file = format!("jawnik-{:08x}.wasm", fnv1a(RUNTIME_WASM) as u32);
    files.push((wasm_file.clone(), RUNTIME_WASM.to_vec()));
    let page_meta = serde_json::json!({
        "build": format!("{build:016x}"),
        "wasm": wasm_file,
        "meta": meta_file,
        "documents": num_docs,
        "labels": labels,
    });
    files.push(("meta.json".to_string(), serde_json::to_vec(&page_meta)?));
    files.sort();
    Ok(files)
}

/// Stamps files with the build id and names them by their content.
struct Namer {
    build: u64,
}

impl Namer {
    fn file(&self, dir: &str, i: usize, mut bytes: Vec<u8>, files: &mut Vec<SearchFile>) -> String {
        bytes[4..12].copy_from_slice(&self.build.to_le_bytes());
        let file = format!("{dir}/{i}-{:08x}.bin", fnv1a(&bytes) as u32);
        files.push((file.clone(), bytes));
        file
    }

    fn table(
        &self,
        dir: &str,
        chunks: Vec<(String, Vec<u8>)>,
        files: &mut Vec<SearchFile>,
    ) -> ChunkTable {
        ChunkTable {
            chunks: chunks
                .into_iter()
                .enumerate()
                .map(|(i, (first, bytes))| (first, self.file(dir, i, bytes, files)))
                .collect(),
        }
    }
}

/// Cuts term entries into chunks of about `target` bytes: `(first term, bytes)`, the first "".
fn chunk_terms(
    magic: &[u8; 4],
    terms: &BTreeMap<String, Vec<FieldPostings>>,
    target: usize,
) -> Vec<(String, Vec<u8>)> {
    let mut chunks = Vec::new();
    let mut current: Vec<(String, Vec<FieldPostings>)> = Vec::new();
    let mut size = 0;
    let flush = |current: &mut Vec<(String, Vec<FieldPostings>)>,
                 chunks: &mut Vec<(String, Vec<u8>)>| {
        let first = if chunks.is_empty() {
            String::new()
        } else {
            current[0].0.clone()
        };
        chunks.push((first, encode_terms(magic, 0, current)));
        current.clear();
    };
    for (term, fields) in terms {
        let entry_size = term.len()
            + fields
                .iter()
                .map(|f| f.docs.len() * 3 + f.positions.iter().map(|p| p.len() + 1).sum::<usize>())
                .sum::<usize>();
        if size + entry_size > target && !current.is_empty() {
            flush(&mut current, &mut chunks);
            size = 0;
        }
        size += entry_size;
        current.push((term.clone(), fields.clone()));
    }
    if !current.is_empty() || chunks.is_empty() {
        flush(&mut current, &mut chunks);
    }
    chunks
}

/// A document's record: its URL under the base path, shortened summary, and the word
/// positions where its headings' sections start.
fn record(backend: &TantivyBackend, doc: u32, base_path: &str) -> Result<DocRecord> {
    let d = backend.record(doc)?;
    let summary = shorten(&d.summary, SUMMARY_CHARS);
    let mut headings = Vec::new();
    let mut spans = words(&d.body).enumerate().peekable();
    for h in &d.headings {
        let mut position = 0u32;
        while let Some(&(i, (start, _))) = spans.peek() {
            if start >= h.offset {
                position = i as u32;
                break;
            }
            spans.next();
            position = i as u32 + 1;
        }
        headings.push((position, h.text.clone(), h.anchor.clone()));
    }
    Ok(DocRecord {
        url: format!("{base_path}{}", d.url),
        title: d.title,
        kind: d.kind,
        date: d.date.unwrap_or_default(),
        summary,
        headings,
    })
}

/// `text` cut at a word boundary to at most `max` characters, with "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}
