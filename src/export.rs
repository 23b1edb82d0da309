//! Exports the tantivy index to the static search folder `search/` that the browser runtime
//! reads (format: `jawnik_web::format`; protocol: `docs/browser-search.md`).
//!
//! Terms of all fields are grouped by term and cut into chunks of about [`TERM_CHUNK_BYTES`]
//! (a query word costs one chunk, whatever the site's size); long-field positions, needed only
//! for phrases, go to separate chunks; the site lexicon is cut into ranges the same way, and
//! document records into fixed-size chunks. Every file's name carries a hash of its content and
//! every file carries the build's identifier, a hash of the whole export: the same index gives
//! byte-identical files.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use jawnik_analysis::words;
use jawnik_engine::Backend;
use jawnik_engine::Field;
use jawnik_web::codec::{deflate, fnv1a};
use jawnik_web::format::{
    chunk_file, encode_docs, encode_terms, put_header, ChunkTable, DocRecord, Facets,
    FieldPostings, Meta, MAGIC_LEXICON, MAGIC_POSITIONS, MAGIC_TERMS,
};

use crate::index::TantivyBackend;

/// Target size of a term chunk (before compression).
pub const TERM_CHUNK_BYTES: usize = 48 * 1024;
/// Target size of a position chunk (phrases only).
pub const POSITION_CHUNK_BYTES: usize = 256 * 1024;
/// Target size of a lexicon chunk.
pub const LEXICON_CHUNK_BYTES: usize = 48 * 1024;
/// Documents per record chunk.
pub const DOCS_PER_CHUNK: u32 = 32;
/// Longest summary kept in a record, in characters.
pub const SUMMARY_CHARS: usize = 200;
/// Most headings kept in a record (results point into the first ones).
pub const MAX_HEADINGS: usize = 24;
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

    // Document records (first: their heading positions give body postings their sections).
    let num_docs = backend.num_docs() as u32;
    let records: Vec<DocRecord> = (0..num_docs)
        .map(|doc| record(backend, doc, base_path))
        .collect::<Result<_>>()?;
    let heading_starts: Vec<Vec<u32>> = records
        .iter()
        .map(|r| r.headings.iter().map(|h| h.0).collect())
        .collect();
    let doc_chunks: Vec<Vec<u8>> = records
        .chunks(DOCS_PER_CHUNK as usize)
        .map(|c| encode_docs(0, c))
        .collect();
    drop(records);

    // Terms: every field's postings grouped by term, streamed in term order into chunks;
    // short-field positions inline, long-field positions into their own chunks.
    let all_terms: BTreeSet<String> = Field::ALL
        .iter()
        .flat_map(|f| backend.all_terms(*f).into_iter().map(|(t, _)| t))
        .collect();
    let mut term_chunks = Chunker::new(MAGIC_TERMS, TERM_CHUNK_BYTES);
    let mut position_chunks = Chunker::new(MAGIC_POSITIONS, POSITION_CHUNK_BYTES);
    for term in all_terms {
        let mut entry = Vec::new();
        let mut position_entry = Vec::new();
        for field in Field::ALL {
            let postings = backend.full_postings(field, &term);
            if postings.is_empty() {
                continue;
            }
            let inline = Field::PROXIMITY_FIELDS.contains(&field);
            let docs: Vec<u32> = postings.iter().map(|p| p.0).collect();
            let tfs = postings.iter().map(|p| p.1).collect();
            let norms = postings.iter().map(|p| p.2).collect();
            let positions: Vec<Vec<u32>> = postings.into_iter().map(|p| p.3).collect();
            // The section of each document's first occurrence, for documents with headings.
            let sections = if field == Field::Body {
                section_of_first(&docs, &positions, &heading_starts)
            } else {
                Vec::new()
            };
            if !inline && field != Field::Exact {
                position_entry.push(FieldPostings {
                    field,
                    docs: docs.clone(),
                    tfs: Vec::new(),
                    norms: Vec::new(),
                    positions: positions.clone(),
                    sections: Vec::new(),
                });
            }
            entry.push(FieldPostings {
                field,
                docs,
                tfs,
                norms,
                positions: if inline { positions } else { Vec::new() },
                sections,
            });
        }
        if !position_entry.is_empty() {
            position_chunks.push(&term, position_entry);
        }
        term_chunks.push(&term, entry);
    }
    let term_chunks = term_chunks.finish();
    let position_chunks = position_chunks.finish();

    // The lexicon, in ranges of folded forms.
    let lexicon_chunks: Vec<(String, Vec<u8>)> = backend
        .lexicon()?
        .split_by_size(LEXICON_CHUNK_BYTES)
        .into_iter()
        .map(|(first, part)| {
            let mut bytes = Vec::new();
            put_header(&mut bytes, MAGIC_LEXICON, 0);
            bytes.extend_from_slice(&part.to_bytes());
            (first, bytes)
        })
        .collect();

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
    let docs_table = namer.table(
        "d",
        doc_chunks.into_iter().map(|b| (String::new(), b)).collect(),
        &mut files,
    );
    let mut facet_bytes = facet_bytes;
    facet_bytes[4..12].copy_from_slice(&build.to_le_bytes());
    let facet_bytes = deflate(&facet_bytes);
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
        docs: docs_table,
        facets_file,
    }
    .encode();
    let meta = deflate(&meta);
    let meta_file = format!("meta-{:08x}.bin", fnv1a(&meta) as u32);
    files.push((meta_file.clone(), meta));
    let wasm_file = format!("jawnik-{:08x}.wasm", fnv1a(RUNTIME_WASM) as u32);
    files.push((wasm_file.clone(), RUNTIME_WASM.to_vec()));
    // The module again, compressed: the page inflates it where the browser can.
    let wasm_deflate_file = format!("jawnik-{:08x}.wasm.deflate", fnv1a(RUNTIME_WASM) as u32);
    files.push((wasm_deflate_file.clone(), deflate(RUNTIME_WASM)));
    let page_meta = serde_json::json!({
        "build": format!("{build:016x}"),
        "wasm": wasm_file,
        "wasm_deflate": wasm_deflate_file,
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
    /// Stamps, compresses and names one chunk; returns its file hash.
    fn file(&self, dir: &str, i: usize, mut bytes: Vec<u8>, files: &mut Vec<SearchFile>) -> u32 {
        bytes[4..12].copy_from_slice(&self.build.to_le_bytes());
        let bytes = deflate(&bytes);
        let hash = fnv1a(&bytes) as u32;
        files.push((chunk_file(dir, i, hash), bytes));
        hash
    }

    fn table(
        &self,
        dir: &str,
        chunks: Vec<(String, Vec<u8>)>,
        files: &mut Vec<SearchFile>,
    ) -> ChunkTable {
        ChunkTable {
            dir: dir.to_string(),
            chunks: chunks
                .into_iter()
                .enumerate()
                .map(|(i, (first, bytes))| (first, self.file(dir, i, bytes, files)))
                .collect(),
        }
    }
}

/// Cuts term entries, pushed in term order, into chunks of about `target` bytes:
/// `(first term, bytes)`, the first chunk's first term being "".
struct Chunker {
    magic: &'static [u8; 4],
    target: usize,
    current: Vec<(String, Vec<FieldPostings>)>,
    size: usize,
    chunks: Vec<(String, Vec<u8>)>,
}

impl Chunker {
    fn new(magic: &'static [u8; 4], target: usize) -> Self {
        Chunker {
            magic,
            target,
            current: Vec::new(),
            size: 0,
            chunks: Vec::new(),
        }
    }

    fn push(&mut self, term: &str, fields: Vec<FieldPostings>) {
        let entry_size = term.len()
            + fields
                .iter()
                .map(|f| f.docs.len() * 3 + f.positions.iter().map(|p| p.len() + 1).sum::<usize>())
                .sum::<usize>();
        if self.size + entry_size > self.target && !self.current.is_empty() {
            self.flush();
        }
        self.size += entry_size;
        self.current.push((term.to_string(), fields));
    }

    fn flush(&mut self) {
        let first = if self.chunks.is_empty() {
            String::new()
        } else {
            self.current[0].0.clone()
        };
        self.chunks
            .push((first, encode_terms(self.magic, 0, &self.current)));
        self.current.clear();
        self.size = 0;
    }

    fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        if !self.current.is_empty() || self.chunks.is_empty() {
            self.flush();
        }
        self.chunks
    }
}

/// For each posting, the section of the first occurrence: 0 before the first heading, k under
/// the k-th; all zeros (and so nothing stored) when no document has headings.
fn section_of_first(docs: &[u32], positions: &[Vec<u32>], heading_starts: &[Vec<u32>]) -> Vec<u32> {
    let sections: Vec<u32> = docs
        .iter()
        .zip(positions)
        .map(|(&doc, positions)| {
            let first = positions.first().copied().unwrap_or(0);
            let starts = heading_starts
                .get(doc as usize)
                .map_or(&[][..], |s| s.as_slice());
            starts.partition_point(|&start| start <= first) as u32
        })
        .collect();
    if sections.iter().all(|&s| s == 0) {
        Vec::new()
    } else {
        sections
    }
}

/// A document's record: its URL under the base path, shortened summary, and the word
/// positions where its headings' sections start.
fn record(backend: &TantivyBackend, doc: u32, base_path: &str) -> Result<DocRecord> {
    let d = backend.record(doc)?;
    let summary = shorten(&d.summary, SUMMARY_CHARS);
    let mut headings = Vec::new();
    let mut spans = words(&d.body).enumerate().peekable();
    for h in d.headings.iter().take(MAX_HEADINGS) {
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
