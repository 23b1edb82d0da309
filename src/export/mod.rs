//! Exports the tantivy index to the static search folder `search/` that the browser runtime
//! reads (format: `jawnik_web::format`; protocol: `docs/browser-search.md`).
//!
//! Terms of all fields are grouped by term and cut into chunks of about [`TERM_CHUNK_BYTES`]
//! (a query word costs one chunk, whatever the site's size; a common word's entry bigger than
//! that is a chunk of its own, so rare words never download it); each term chunk also holds the
//! site lexicon's forms of its key range, so the chunk that analyses a query word also holds its
//! exact-form postings and, mostly, its lemmas' (and a range dense in forms ends a chunk
//! early: [`TERM_CHUNK_WITH_LEXICON_BYTES`]); long-field positions, needed only for phrases,
//! go to separate chunks (a common word's alone: [`POSITION_SINGLE_BYTES`]); document records
//! into fixed-size chunks. Term chunks are kept in rows (a patch splices one term's entry) and
//! written column by column (`format::term_file_parts`). Every file carries the build's
//! identifier, a hash of the whole export, and every name its tag (`format::build_tag`): the
//! same index gives byte-identical files.
//!
//! The export is first a [`SearchExport`]: the chunks, uncompressed and not yet stamped with
//! the build id. `jawnik build` turns it into files at once ([`SearchExport::files`]);
//! `jawnik serve` keeps it, patches it when a page changes (`patch`) and serves its files from
//! memory ([`ServedSearch`]), compressing a file only when the browser asks for it.
//!
//! Why one file of ~800 lines (tests included): the chunker, the term entries and the export's
//! file set share the chunk types and are read together when the format changes; the block
//! files of the early-terminating reader (issue #21, branch work) split it along those seams.

mod patch;

pub use patch::{Contribution, LexiconChange};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use base64::Engine as _;
use jawnik_analysis::{words, SiteLexicon};
use jawnik_engine::Backend;
use jawnik_engine::Field;
use jawnik_web::codec::{content_hash, deflate, deflate_parts, fnv1a};
use jawnik_web::format::{
    build_tag, docs_file, docs_slot, encode_docs, encode_position_entry, encode_term_entry,
    positions_file, positions_head_end, put_terms_header, replace_lexicon, term_file_parts,
    ChunkTable, DocRecord, FacetValues, Facets, FieldPositions, FieldPostings, Meta, MAGIC_DOCS,
    MAGIC_POSITIONS, MAGIC_TERM_ROWS,
};

use crate::index::{value_starts, TantivyBackend};
use rayon::prelude::*;

// Chunk sizes: a query pays for whole chunks, a site pays one file per chunk. These keep the
// search folder of the generated benchmark site small in files and a query's transfer small
// (the figures: `bench/README.md`, "Search files"); the sizes, not the number of files, stay
// the same as a site grows.
/// Target size of a term chunk (encoded, before compression); a term whose entry alone is
/// bigger gets a chunk of its own.
pub const TERM_CHUNK_BYTES: usize = 33 * 1024;
/// A term chunk also ends when its entries and its part of the site lexicon, counted at half
/// its size (forms compress about twice as well as postings), would pass this: a key range
/// dense in forms (the negated *nie…* words) is cut into several chunks, not one large one
/// (`bench/README.md`, "Search files").
pub const TERM_CHUNK_WITH_LEXICON_BYTES: usize = TERM_CHUNK_BYTES * 3 / 2;
/// Target size of a position chunk (phrases only).
pub const POSITION_CHUNK_BYTES: usize = 128 * 1024;
/// A term whose position entry is at least this big (a common word's) gets a single chunk of
/// its own, and the range chunk around it goes on past it (`ChunkTable::singles`): a phrase of
/// common words fetches their positions, not a chunk of other words' each (how many:
/// `bench/README.md`, "Search files").
pub const POSITION_SINGLE_BYTES: usize = 32 * 1024;
/// Documents per record chunk. A page of 10 results reads up to 10 of them: on a host that
/// answers Range requests the slots of the records shown (so the size of a file hardly
/// matters: the file budget goes to term chunks), elsewhere the whole files
/// (`docs/browser-search.md`, "Byte ranges"; the files it makes: `bench/README.md`, "Search
/// files").
pub const DOCS_PER_CHUNK: u32 = 40;
/// Longest summary kept in a record, in characters.
pub const SUMMARY_CHARS: usize = 200;
/// Most headings kept in a record (results point into the first ones).
pub const MAX_HEADINGS: usize = 24;
/// The folder, under the output, that holds the search files.
pub const SEARCH_DIR: &str = "search";

/// The WebAssembly runtime, built from `crates/web` by `build.rs` (`build/runtime.rs`).
pub const RUNTIME_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jawnik_web.wasm"));
/// The same module as raw DEFLATE (by Zopfli, in `build.rs`): what the page fetches.
pub const RUNTIME_WASM_DEFLATE: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/jawnik_web.wasm.deflate"));
/// Where `build.rs` took the runtime from: `source` (compiled from `crates/web`), `prebuilt`
/// (`prebuilt/jawnik_web.wasm`, where the wasm32 target is missing) or `JAWNIK_WASM`.
pub const RUNTIME_ORIGIN: &str = env!("JAWNIK_WASM_ORIGIN");

/// One exported file: path inside the search folder, bytes.
pub type SearchFile = (String, Vec<u8>);

/// Labels shown by the page for facet values.
pub type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// One chunk of the export: the first key it holds ("" for the first chunk and for record
/// chunks), whether it holds that key only, its bytes with a zero build id, and their hash.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub first: String,
    pub single: bool,
    pub raw: Arc<Vec<u8>>,
    pub hash: u64,
    /// For term and position chunks being patched: where each term's entry lies.
    spans: Arc<OnceLock<patch::Spans>>,
    /// For position and record chunks: the file (`format::positions_file`,
    /// `format::docs_file`) with a zero build id, made once (the meta needs where a position
    /// file's head ends and a record file's slot size before the files are written).
    file: Arc<OnceLock<Vec<u8>>>,
}

impl Chunk {
    fn new(first: String, raw: Vec<u8>) -> Chunk {
        Chunk {
            first,
            single: false,
            hash: content_hash(&raw),
            raw: Arc::new(raw),
            spans: Arc::default(),
            file: Arc::default(),
        }
    }

    /// The file of this position or record chunk, with a zero build id.
    fn file(&self) -> &[u8] {
        self.file.get_or_init(|| {
            let file = match self.raw.get(..4) {
                Some(m) if m == MAGIC_DOCS => docs_file(&self.raw),
                _ => positions_file(&self.raw),
            };
            file.expect("the exporter's own chunk")
        })
    }

    /// The same chunk (first key, single or range) with other bytes.
    fn with_raw(&self, raw: Vec<u8>) -> Chunk {
        Chunk {
            single: self.single,
            ..Chunk::new(self.first.clone(), raw)
        }
    }
}

/// The whole export of a site, before it is stamped, compressed and named.
#[derive(Clone, Debug)]
pub struct SearchExport {
    base_path: String,
    labels: Labels,
    num_docs: u32,
    total_tokens: Vec<u64>,
    records: Arc<Vec<DocRecord>>,
    terms: Vec<Chunk>,
    positions: Vec<Chunk>,
    docs: Vec<Chunk>,
    facets: Facets,
    facets_raw: Chunk,
}

/// Exports the index; `base_path` is the site's base path (`/` or `/ngo/`).
pub fn export(
    backend: &mut TantivyBackend,
    base_path: &str,
    labels: &Labels,
) -> Result<SearchExport> {
    // Document records (first: their heading positions give body postings their sections).
    let num_docs = backend.num_docs() as u32;
    let records: Vec<DocRecord> = (0..num_docs)
        .map(|doc| record(backend, doc, base_path))
        .collect::<Result<_>>()?;
    let heading_starts = heading_starts(&records);
    let docs = records
        .chunks(DOCS_PER_CHUNK as usize)
        .map(|c| Chunk::new(String::new(), encode_docs(0, c)))
        .collect();

    // Terms: every field's postings grouped by term, streamed in term order into chunks;
    // short-field positions inline, long-field positions into their own chunks.
    let all_terms: BTreeSet<String> = Field::ALL
        .iter()
        .flat_map(|f| backend.all_terms(*f).into_iter().map(|(t, _)| t))
        .collect();
    let mut term_chunks = Chunker::new(MAGIC_TERM_ROWS, TERM_CHUNK_BYTES, usize::MAX);
    term_chunks.extra_limit = TERM_CHUNK_WITH_LEXICON_BYTES;
    let mut position_chunks =
        Chunker::new(MAGIC_POSITIONS, POSITION_CHUNK_BYTES, POSITION_SINGLE_BYTES);
    let lexicon = backend.lexicon()?;
    let mut form_sizes = lexicon.key_sizes().peekable();
    let mut bytes = Vec::new();
    for term in all_terms {
        // The site lexicon's forms before this term go into the chunk of the term before it.
        let mut forms = 0;
        while let Some((_, size)) = form_sizes.next_if(|(key, _)| *key < term.as_str()) {
            forms += size;
        }
        term_chunks.add_extra(forms / 2);
        let (entry, position_entry) = term_entries(backend, &term, &heading_starts);
        if !position_entry.is_empty() {
            encode_position_entry(&mut bytes, &term, &position_entry);
            position_chunks.push(&term, &mut bytes);
        }
        encode_term_entry(&mut bytes, &term, &entry);
        term_chunks.push(&term, &mut bytes);
    }

    let mut terms = term_chunks.finish();
    let all = 0..terms.len();
    with_lexicon(&mut terms, &lexicon, all)?;
    let facets = Facets {
        values: facet_values(backend),
        dates: backend.doc_dates().unwrap_or_default(),
    };
    let facets_raw = Chunk::new(String::new(), facets.encode(0));
    Ok(SearchExport {
        base_path: base_path.to_string(),
        labels: labels.clone(),
        num_docs,
        total_tokens: Field::ALL
            .iter()
            .map(|f| backend.total_tokens(*f))
            .collect(),
        records: Arc::new(records),
        terms,
        positions: position_chunks.finish(),
        docs,
        facets,
        facets_raw,
    })
}

/// Per document, the word positions where its sections start: body sections (headings) and
/// attachment parts (each attachment's title and pages).
struct SectionStarts {
    headings: Vec<Vec<u32>>,
    parts: Vec<Vec<u32>>,
}

/// The section starts of each record.
fn heading_starts(records: &[DocRecord]) -> SectionStarts {
    SectionStarts {
        headings: records
            .iter()
            .map(|r| r.headings.iter().map(|h| h.0).collect())
            .collect(),
        parts: records
            .iter()
            .map(|r| r.parts.iter().map(|p| p.0).collect())
            .collect(),
    }
}

/// Every facet's values with their documents.
fn facet_values(backend: &mut TantivyBackend) -> Vec<(String, FacetValues)> {
    let mut all = Vec::new();
    for facet in jawnik_engine::schema::FACETS {
        let mut values = Vec::new();
        for value in backend.facet_values(facet).unwrap_or_default() {
            let docs = backend.facet_docs(facet, &value).unwrap_or_default();
            values.push((value, docs));
        }
        all.push((facet.to_string(), values));
    }
    all
}

/// Puts into term chunks `which` the part of `lexicon` in each one's key range (replacing
/// what they held).
fn with_lexicon(
    chunks: &mut [Chunk],
    lexicon: &SiteLexicon,
    which: impl Iterator<Item = usize>,
) -> Result<()> {
    for i in which {
        let next = chunks.get(i + 1).map(|c| c.first.clone());
        let chunk = &chunks[i];
        let part = lexicon.range(&chunk.first, next.as_deref());
        let part = if part.is_empty() {
            Vec::new()
        } else {
            part.to_bytes()
        };
        let raw = replace_lexicon(&chunk.raw, &part)
            .map_err(|e| anyhow::anyhow!("a term chunk of the export: {e}"))?;
        chunks[i] = chunk.with_raw(raw);
    }
    Ok(())
}

/// One term's entries: for the term chunk (every field; positions of the short fields
/// inline) and for the position chunk (positions of the long fields; empty when none).
fn term_entries(
    backend: &TantivyBackend,
    term: &str,
    starts: &SectionStarts,
) -> (Vec<FieldPostings>, Vec<FieldPositions>) {
    let mut entry = Vec::new();
    let mut position_entry = Vec::new();
    for field in Field::ALL {
        let postings = backend.full_postings(field, term);
        if postings.is_empty() {
            continue;
        }
        let inline = Field::PROXIMITY_FIELDS.contains(&field);
        let docs: Vec<u32> = postings.iter().map(|p| p.0).collect();
        let tfs = postings.iter().map(|p| p.1).collect();
        let norms = postings.iter().map(|p| p.2).collect();
        let positions: Vec<Vec<u32>> = postings.into_iter().map(|p| p.3).collect();
        // The section of each document's first occurrence, for documents with headings; in
        // the attachments field, the part (an attachment's title or page) of the first one.
        let sections = match field {
            Field::Body => section_of_first(&docs, &positions, &starts.headings),
            Field::Attachments => section_of_first(&docs, &positions, &starts.parts),
            _ => Vec::new(),
        };
        if !inline && field != Field::Exact {
            position_entry.push((field, positions.clone()));
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
    (entry, position_entry)
}

/// The table naming `chunks` (in key order) in folder `dir`.
fn chunk_table(dir: &str, tag: u32, chunks: &[Chunk]) -> ChunkTable {
    ChunkTable {
        dir: dir.to_string(),
        tag,
        firsts: chunks.iter().map(|c| c.first.clone()).collect(),
        singles: (0..chunks.len() as u32)
            .filter(|&i| chunks[i as usize].single)
            .collect(),
    }
}

/// Where a served file's bytes come from.
#[derive(Clone, Copy, Debug)]
enum Source {
    Terms(usize),
    Positions(usize),
    Docs(usize),
    Facets,
    Meta,
}

impl SearchExport {
    /// The site's base path the records' URLs start with.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Number of documents (pages and sections) searched.
    pub fn num_docs(&self) -> u32 {
        self.num_docs
    }

    /// The build id: a hash of every chunk and of the runtime.
    pub fn build_id(&self) -> u64 {
        let mut all = Vec::new();
        for chunk in self
            .terms
            .iter()
            .chain(&self.positions)
            .chain(&self.docs)
            .chain(std::iter::once(&self.facets_raw))
        {
            all.extend_from_slice(&chunk.hash.to_le_bytes());
        }
        all.extend_from_slice(&runtime_hash().to_le_bytes());
        fnv1a(&all)
    }

    fn chunk(&self, source: Source) -> &Chunk {
        match source {
            Source::Terms(i) => &self.terms[i],
            Source::Positions(i) => &self.positions[i],
            Source::Docs(i) => &self.docs[i],
            Source::Facets | Source::Meta => &self.facets_raw,
        }
    }

    /// The names of every data file and where each comes from, the meta file's bytes
    /// (compressed) and `meta.json`.
    fn plan(&self, build: u64) -> (Vec<(String, Source)>, Vec<u8>, Vec<u8>) {
        let tag = build_tag(build);
        let mut names = Vec::new();
        let mut table = |dir: &str, chunks: &[Chunk], source: fn(usize) -> Source| {
            let table = chunk_table(dir, tag, chunks);
            names.extend((0..chunks.len()).map(|i| (table.file(i), source(i))));
            table
        };
        let terms = table("t", &self.terms, Source::Terms);
        let positions = table("p", &self.positions, Source::Positions);
        // Where each position file's head ends (0: a single chunk, always fetched whole).
        let position_heads = self
            .positions
            .par_iter()
            .map(|c| match c.single {
                true => 0,
                false => positions_head_end(c.file()).unwrap_or(0),
            })
            .collect();
        let docs = table("d", &self.docs, Source::Docs);
        // The slot size of each record file (where each record lies).
        let doc_slots = self
            .docs
            .par_iter()
            .map(|c| docs_slot(c.file()).unwrap_or(0))
            .collect();
        let facets_file = format!("f-{tag:08x}.bin");
        names.push((facets_file.clone(), Source::Facets));
        let meta = Meta {
            build,
            num_docs: u64::from(self.num_docs),
            total_tokens: self.total_tokens.clone(),
            terms,
            positions,
            position_heads,
            docs_per_chunk: DOCS_PER_CHUNK,
            docs,
            doc_slots,
            facets_file,
        }
        .encode();
        let meta = deflate(&meta);
        let meta_file = format!("meta-{tag:08x}.bin");
        names.push((meta_file.clone(), Source::Meta));
        let wasm = runtime_file_names();
        let page_meta = serde_json::json!({
            "build": format!("{build:016x}"),
            "wasm": wasm.0,
            "wasm_deflate": wasm.1,
            "meta": meta_file,
            // The same bytes inline, so that the page starts the engine one round trip sooner.
            "meta_inline": base64::engine::general_purpose::STANDARD.encode(&meta),
            "documents": self.num_docs,
            "labels": self.labels,
        });
        let page_meta = serde_json::to_vec(&page_meta).expect("JSON of strings");
        (names, meta, page_meta)
    }

    /// One data file: stamped with the build id and compressed.
    fn stamped(&self, source: Source, build: u64, meta: &[u8]) -> Vec<u8> {
        let mut bytes = match source {
            Source::Meta => return meta.to_vec(),
            // Made once from the chunk (the meta needs where a position file's head ends and
            // a record file's slot size), stamped here.
            Source::Positions(_) | Source::Docs(_) => self.chunk(source).file().to_vec(),
            other => self.chunk(other).raw.to_vec(),
        };
        bytes[4..12].copy_from_slice(&build.to_le_bytes());
        match source {
            // Kept in rows (a patch splices entries), written column by column.
            Source::Terms(_) => {
                let parts = term_file_parts(&bytes).expect("the exporter's own term chunk");
                deflate_parts(&parts)
            }
            Source::Positions(_) | Source::Docs(_) => bytes,
            _ => deflate(&bytes),
        }
    }

    /// Every file of the search folder (for `jawnik build`), sorted by path.
    pub fn files(&self) -> Vec<SearchFile> {
        let build = self.build_id();
        let (names, meta, page_meta) = self.plan(build);
        let mut files: Vec<SearchFile> = names
            .into_iter()
            .map(|(name, source)| {
                let bytes = self.stamped(source, build, &meta);
                (name, bytes)
            })
            .collect();
        let (wasm, wasm_deflate) = runtime_file_names();
        files.push((wasm, RUNTIME_WASM.to_vec()));
        // The module again, compressed: the page inflates it where the browser can.
        files.push((wasm_deflate, RUNTIME_WASM_DEFLATE.to_vec()));
        files.push(("meta.json".to_string(), page_meta));
        files.sort();
        files
    }

    /// The search folder as `jawnik serve` serves it: named now, compressed on request.
    pub fn served(self: &Arc<Self>) -> ServedSearch {
        let build = self.build_id();
        let (names, meta, page_meta) = self.plan(build);
        ServedSearch {
            export: Arc::clone(self),
            build,
            sources: names.into_iter().collect(),
            meta,
            page_meta,
            cache: Mutex::new(HashMap::new()),
        }
    }
}

/// The runtime's hash (computed once).
fn runtime_hash() -> u64 {
    static HASH: OnceLock<u64> = OnceLock::new();
    *HASH.get_or_init(|| fnv1a(RUNTIME_WASM))
}

/// The file names of the WebAssembly runtime in the search folder: the module and the same
/// module raw-DEFLATE compressed (the one the page fetches; the search page preloads it).
pub fn runtime_file_names() -> (String, String) {
    let hash = runtime_hash() as u32;
    (
        format!("jawnik-{hash:08x}.wasm"),
        format!("jawnik-{hash:08x}.wasm.deflate"),
    )
}

/// A search folder served from memory (`jawnik serve`): a file is stamped and compressed the
/// first time it is asked for, so a patched export is served at once.
#[derive(Debug)]
pub struct ServedSearch {
    export: Arc<SearchExport>,
    build: u64,
    sources: HashMap<String, Source>,
    meta: Vec<u8>,
    page_meta: Vec<u8>,
    cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl ServedSearch {
    /// The build id of what is served.
    pub fn build(&self) -> u64 {
        self.build
    }

    /// The bytes of `path` (relative to the search folder), if it is one of this export's
    /// data files or `meta.json`. The runtime files are not here (they do not change).
    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        if path == "meta.json" {
            return Some(Arc::new(self.page_meta.clone()));
        }
        let source = *self.sources.get(path)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = cache
            .entry(path.to_string())
            .or_insert_with(|| Arc::new(self.export.stamped(source, self.build, &self.meta)));
        Some(Arc::clone(bytes))
    }
}
/// Cuts term entries, pushed in term order, into chunks of about `target` bytes:
/// the first chunk's first term being "".
struct Chunker {
    magic: &'static [u8; 4],
    target: usize,
    /// Entries at least this big become single chunks.
    single: usize,
    /// The current range chunk: its first term, its number of entries and the entries encoded.
    first: Option<String>,
    count: usize,
    encoded: Vec<u8>,
    /// Bytes that will share the current range chunk besides its entries ([`Self::add_extra`]).
    extra: usize,
    /// A range chunk also ends before its entries and extra bytes pass this.
    extra_limit: usize,
    chunks: Vec<Chunk>,
}

impl Chunker {
    /// Chunks of about `target` bytes; an entry of `single` bytes or more gets a single chunk
    /// (`usize::MAX`: never; then an entry bigger than `target` gets a range chunk of its own).
    fn new(magic: &'static [u8; 4], target: usize, single: usize) -> Self {
        Chunker {
            magic,
            target,
            single,
            first: None,
            count: 0,
            encoded: Vec::new(),
            extra: 0,
            extra_limit: usize::MAX,
            chunks: Vec::new(),
        }
    }

    /// Counts bytes that will share the current range chunk without being entries (a term
    /// chunk's lexicon forms) towards its `extra_limit`.
    fn add_extra(&mut self, bytes: usize) {
        self.extra += bytes;
    }

    /// Adds a term's encoded entry (and empties `entry`).
    fn push(&mut self, term: &str, entry: &mut Vec<u8>) {
        if entry.len() >= self.single {
            let mut bytes = Vec::with_capacity(16 + entry.len());
            put_terms_header(&mut bytes, self.magic, 0, &[], 1);
            bytes.append(entry);
            let mut chunk = Chunk::new(term.to_string(), bytes);
            chunk.single = true;
            self.chunks.push(chunk);
            return;
        }
        // A big entry (a common word's) gets a chunk of its own: the rare words next to it
        // in term order do not pay for it.
        let alone = entry.len() > self.target;
        let size = self.encoded.len() + entry.len();
        let full = size > self.target || size.saturating_add(self.extra) > self.extra_limit;
        if (alone || full) && self.count > 0 {
            self.flush();
        }
        self.first.get_or_insert_with(|| term.to_string());
        self.count += 1;
        self.encoded.append(entry);
        if alone {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let first = self.first.take().unwrap_or_default();
        // The first range chunk holds the range from "" (every key has a chunk).
        let first = if self.chunks.iter().any(|c| !c.single) {
            first
        } else {
            String::new()
        };
        let mut bytes = Vec::with_capacity(16 + self.encoded.len());
        put_terms_header(&mut bytes, self.magic, 0, &[], self.count);
        bytes.append(&mut self.encoded);
        self.chunks.push(Chunk::new(first, bytes));
        self.count = 0;
        self.extra = 0;
    }

    /// The chunks in key order (a single is pushed before the range chunk around it ends).
    fn finish(mut self) -> Vec<Chunk> {
        if self.count > 0 || self.chunks.iter().all(|c| c.single) {
            self.flush();
        }
        self.chunks.sort_by(|a, b| a.first.cmp(&b.first));
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
    let parts = d.attachment_parts();
    let part_starts = value_starts(parts.iter().map(|p| p.text));
    let parts = parts
        .iter()
        .zip(part_starts)
        .map(|(p, start)| (start, p.attachment as u32, p.page))
        .collect();
    let attachments = d
        .attachments
        .iter()
        .map(|a| {
            let url = if a.external {
                a.href.clone()
            } else {
                format!("{base_path}{}", a.href)
            };
            (a.title.clone(), url)
        })
        .collect();
    Ok(DocRecord {
        attachments,
        parts,
        url: format!("{base_path}{}", d.url),
        title: d.title,
        kind: d.kind,
        date: d.date.unwrap_or_default(),
        summary,
        headings,
        archival: d.archival,
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

#[cfg(test)]
mod tests {
    use super::*;
    use jawnik_web::format::term_entry_spans;

    fn positions(term: &str, n: usize) -> Vec<u8> {
        let mut entry = Vec::new();
        let field = (Field::Body, vec![(0..n as u32).map(|p| p * 200).collect()]);
        encode_position_entry(&mut entry, term, &[field]);
        entry
    }

    #[test]
    fn the_compressed_runtime_is_the_runtime() {
        let inflated = jawnik_web::inflate::inflate(RUNTIME_WASM_DEFLATE, usize::MAX).unwrap();
        assert!(inflated == RUNTIME_WASM);
        assert!(RUNTIME_WASM_DEFLATE.len() < deflate(RUNTIME_WASM).len());
    }

    #[test]
    fn big_entries_are_single_chunks_and_every_term_is_found_where_it_is() {
        // Entries of ~2 bytes a position: "b" and "d" (1,000 positions) are singles, the rest
        // (10 positions, ~25 bytes) share range chunks of ~60 bytes that go on around them.
        let sizes = [
            ("a", 10),
            ("b", 1000),
            ("ba", 10),
            ("c", 10),
            ("d", 1000),
            ("da", 10),
        ];
        let mut chunker = Chunker::new(MAGIC_POSITIONS, 60, 1000);
        for (term, n) in sizes {
            chunker.push(term, &mut positions(term, n));
        }
        let chunks = chunker.finish();
        let table = chunk_table("p", 0, &chunks);
        let firsts: Vec<&str> = table.firsts.iter().map(String::as_str).collect();
        assert_eq!(firsts, ["", "b", "c", "d"]);
        assert_eq!(table.singles, [1, 3]);
        for (term, _) in sizes {
            let i = table.find(term).unwrap();
            let (_, spans) = term_entry_spans(MAGIC_POSITIONS, 0, &chunks[i].raw).unwrap();
            assert!(
                spans.iter().any(|(t, _)| *t == term),
                "{term} not in chunk {i}"
            );
        }
        // "ba" is in the first range chunk, past the single "b"; "da" in the one from "c".
        assert_eq!(table.find("ba"), Some(0));
        assert_eq!(table.find("da"), Some(2));
    }

    #[test]
    fn a_range_chunk_ends_early_when_its_extra_bytes_fill_it() {
        // Entries of ~25 bytes in chunks of 100; "c" follows 90 extra bytes (lexicon forms
        // sorting before it, which go into the chunk of "b").
        let firsts = |extra_limit: usize| {
            let mut chunker = Chunker::new(MAGIC_POSITIONS, 100, usize::MAX);
            chunker.extra_limit = extra_limit;
            for term in ["a", "b", "c", "d", "e"] {
                if term == "c" {
                    chunker.add_extra(90);
                }
                chunker.push(term, &mut positions(term, 10));
            }
            let chunks = chunker.finish();
            let table = chunk_table("t", 0, &chunks);
            table.firsts.clone()
        };
        assert_eq!(firsts(usize::MAX), ["", "e"]);
        assert_eq!(firsts(150), ["", "c"]);
    }
}
