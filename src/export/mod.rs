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
//! The chunks are made one at a time (`chunks`: one chunker) and go to one of two sinks.
//! `jawnik build` streams them (`stream`, [`write_export`]): each is spooled to disk as it is
//! made, and the files are written once the build id is known, so the export's memory does
//! not grow with the site. `jawnik serve` keeps them in a [`SearchExport`] ([`export`]): the
//! chunks, uncompressed and not yet stamped with the build id; it patches it when a page
//! changes (`patch`) and serves its files from memory ([`ServedSearch`]), compressing a file
//! only when the browser asks for it. Both name, stamp and compress the files the same way
//! (`Outline`, `Plan`, `stamp` here), so they give the same bytes.

mod chunks;
mod heads;
mod patch;
mod stream;

pub use heads::HEADS_FROM;
pub use patch::{Contribution, LexiconChange};
pub use stream::{write_export, SPOOL_FILE};

use chunks::{export_chunks, ChunkSink, Part};

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use base64::Engine as _;
use jawnik_web::codec::{content_hash, deflate, deflate_parts, fnv1a};
use jawnik_web::format::{
    build_tag, docs_file, docs_slot, positions_file, positions_head_end, term_file_parts,
    ChunkTable, DocRecord, Facets, Meta, MAGIC_DOCS,
};

use crate::index::TantivyBackend;
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
/// The multi-language runtime (`crates/web` with its `multi` feature: English and Ukrainian
/// analysis), shipped instead of [`RUNTIME_WASM`] by a site with documents in other languages
/// than Polish ([`Runtime::for_languages`]).
pub const RUNTIME_MULTI_WASM: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/jawnik_web_multi.wasm"));
/// The same module as raw DEFLATE.
pub const RUNTIME_MULTI_WASM_DEFLATE: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/jawnik_web_multi.wasm.deflate"));
/// Where `build.rs` took the multi-language runtime from (as [`RUNTIME_ORIGIN`]).
pub const RUNTIME_MULTI_ORIGIN: &str = env!("JAWNIK_WASM_MULTI_ORIGIN");

/// Which of the two runtimes a site ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// Polish only: the smaller module.
    Polish,
    /// Polish, English and Ukrainian.
    Multi,
}

impl Runtime {
    /// The runtime for a site whose documents are in `languages` (tags): the Polish one when
    /// they are all Polish.
    pub fn for_languages<S: AsRef<str>>(languages: &[S]) -> Runtime {
        if languages.iter().all(|l| l.as_ref() == "pl") {
            Runtime::Polish
        } else {
            Runtime::Multi
        }
    }

    /// The module and its raw DEFLATE.
    pub fn bytes(self) -> (&'static [u8], &'static [u8]) {
        match self {
            Runtime::Polish => (RUNTIME_WASM, RUNTIME_WASM_DEFLATE),
            Runtime::Multi => (RUNTIME_MULTI_WASM, RUNTIME_MULTI_WASM_DEFLATE),
        }
    }
}

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
    /// For a patched position chunk: the chunk it replaced, whose file gives the compressed
    /// entries this one kept (`patch::positions_file_reusing`); let go once this one's file
    /// is made.
    previous: Arc<Mutex<Option<Chunk>>>,
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
            previous: Arc::default(),
        }
    }

    /// The file of this position or record chunk, with a zero build id.
    fn file(&self) -> &[u8] {
        self.file.get_or_init(|| {
            let file = match self.raw.get(..4) {
                Some(m) if m == MAGIC_DOCS => docs_file(&self.raw),
                _ => match self
                    .previous
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                {
                    Some(previous) => patch::positions_file_reusing(&self.raw, &previous),
                    None => positions_file(&self.raw),
                },
            };
            file.expect("the exporter's own chunk")
        })
    }

    /// The same chunk without its bytes: what naming the files needs of it (`stream`).
    fn without_bytes(&self) -> Chunk {
        Chunk {
            first: self.first.clone(),
            single: self.single,
            raw: Arc::default(),
            hash: self.hash,
            spans: Arc::default(),
            file: Arc::default(),
            previous: Arc::default(),
        }
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

/// Exports the index into memory (for `jawnik serve`, which patches the export and serves
/// it); `base_path` is the site's base path (`/` or `/ngo/`); words in more than
/// `heads_from` documents get first heads ([`HEADS_FROM`]). `jawnik build` streams the same
/// chunks to disk instead ([`write_export`]).
pub fn export(
    backend: &mut TantivyBackend,
    base_path: &str,
    labels: &Labels,
    heads_from: usize,
) -> Result<SearchExport> {
    /// Keeps every chunk and record.
    #[derive(Default)]
    struct Keep {
        records: Vec<DocRecord>,
        terms: Vec<Chunk>,
        positions: Vec<Chunk>,
        docs: Vec<Chunk>,
    }
    impl ChunkSink for Keep {
        fn chunk(&mut self, part: Part, chunk: Chunk) -> Result<()> {
            match part {
                Part::Terms => self.terms.push(chunk),
                Part::Positions => self.positions.push(chunk),
                Part::Docs => self.docs.push(chunk),
            }
            Ok(())
        }
        fn records(&mut self, records: Vec<DocRecord>) {
            self.records.extend(records);
        }
    }
    let mut keep = Keep::default();
    let totals = export_chunks(backend, base_path, heads_from, &mut keep)?;
    keep.positions.sort_by(|a, b| a.first.cmp(&b.first));
    Ok(SearchExport {
        base_path: base_path.to_string(),
        labels: labels.clone(),
        num_docs: totals.num_docs,
        total_tokens: totals.total_tokens,
        records: Arc::new(keep.records),
        terms: keep.terms,
        positions: keep.positions,
        docs: keep.docs,
        facets: totals.facets,
        facets_raw: totals.facets_raw,
    })
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
        self.outline().build_id()
    }

    /// Its chunks' keys and hashes, in file order.
    fn outline(&self) -> Outline<'_> {
        Outline {
            labels: &self.labels,
            num_docs: self.num_docs,
            total_tokens: &self.total_tokens,
            terms: &self.terms,
            positions: &self.positions,
            docs: &self.docs,
            facets_hash: self.facets_raw.hash,
            languages: document_languages(&self.facets),
        }
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
    fn plan(&self, build: u64) -> Plan {
        // Where each position file's head ends (0: a single chunk, always fetched whole) and
        // the slot size of each record file (where each record lies).
        let position_heads = self.positions.par_iter().map(position_head).collect();
        let doc_slots = self.docs.par_iter().map(doc_slot).collect();
        self.outline().plan(build, position_heads, doc_slots)
    }

    /// One data file, with a zero build id (a position or record chunk's file, else the
    /// chunk's bytes).
    fn unstamped(&self, source: Source) -> Vec<u8> {
        match source {
            // Made once from the chunk (the meta needs where a position file's head ends and
            // a record file's slot size), stamped by `stamp`.
            Source::Positions(_) | Source::Docs(_) => self.chunk(source).file().to_vec(),
            other => self.chunk(other).raw.to_vec(),
        }
    }

    /// One data file: stamped with the build id and compressed.
    fn stamped(&self, source: Source, build: u64, meta: &[u8]) -> Vec<u8> {
        match source {
            Source::Meta => meta.to_vec(),
            other => stamp(other, self.unstamped(other), build),
        }
    }

    /// Writes every file of the search folder through `sink`; returns how many.
    pub fn write_files(&self, sink: FileSink<'_>) -> Result<usize> {
        let build = self.build_id();
        let plan = self.plan(build);
        plan.write(build, &|source| Ok(self.unstamped(source)), sink)
    }

    /// Every file of the search folder, sorted by path.
    pub fn files(&self) -> Vec<SearchFile> {
        let files = Mutex::new(Vec::new());
        self.write_files(&|path, bytes| {
            let mut files = files.lock().unwrap_or_else(|e| e.into_inner());
            files.push((path.to_string(), bytes.to_vec()));
            Ok(())
        })
        .expect("writing into memory");
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort();
        files
    }

    /// The search folder as `jawnik serve` serves it: named now, compressed on request.
    pub fn served(self: &Arc<Self>) -> ServedSearch {
        let build = self.build_id();
        let plan = self.plan(build);
        ServedSearch {
            export: Arc::clone(self),
            build,
            sources: plan.names.into_iter().collect(),
            meta: plan.meta,
            page_meta: plan.page_meta,
            cache: Mutex::new(HashMap::new()),
        }
    }
}

/// Where a position file's head ends (0: a single chunk, always fetched whole).
fn position_head(chunk: &Chunk) -> u32 {
    match chunk.single {
        true => 0,
        false => positions_head_end(chunk.file()).unwrap_or(0),
    }
}

/// A record file's slot size (where each record lies).
fn doc_slot(chunk: &Chunk) -> u32 {
    docs_slot(chunk.file()).unwrap_or(0)
}

/// Where the search files are written: `(path inside the search folder, bytes)`, called from
/// several threads.
pub type FileSink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<()> + Sync);

/// What naming the files of an export needs: its chunks' keys and hashes (their bytes may
/// be gone: streamed to a spool, `stream`).
struct Outline<'a> {
    labels: &'a Labels,
    num_docs: u32,
    total_tokens: &'a [u64],
    terms: &'a [Chunk],
    positions: &'a [Chunk],
    docs: &'a [Chunk],
    facets_hash: u64,
    /// The documents' languages and their runs for the meta file ([`document_languages`]).
    languages: (Vec<String>, Vec<(u32, u32)>),
}

/// The files of an export: every data file's name and source, the meta file's bytes
/// (compressed) and `meta.json`.
struct Plan {
    names: Vec<(String, Source)>,
    meta: Vec<u8>,
    page_meta: Vec<u8>,
    runtime: Runtime,
}

/// The language tags of the documents (the `language` facet's values), sorted, and each
/// document's language as runs ([`Meta::language_runs`]); both empty when every document is
/// Polish, so that a Polish site's meta file ends as before languages.
pub(crate) fn document_languages(facets: &Facets) -> (Vec<String>, Vec<(u32, u32)>) {
    let values: Vec<&(String, Vec<u32>)> = facets
        .values
        .iter()
        .filter(|(facet, _)| facet == jawnik_engine::schema::LANGUAGE_FACET)
        .flat_map(|(_, values)| values.iter())
        .filter(|(_, docs)| !docs.is_empty())
        .collect();
    let tags: Vec<String> = values.iter().map(|(tag, _)| tag.clone()).collect();
    if Runtime::for_languages(&tags) == Runtime::Polish {
        return (Vec::new(), Vec::new());
    }
    let mut of_doc = vec![0u32; facets.dates.len()];
    for (i, (_, docs)) in values.iter().enumerate() {
        for &d in docs {
            if let Some(slot) = of_doc.get_mut(d as usize) {
                *slot = i as u32;
            }
        }
    }
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for language in of_doc {
        match runs.last_mut() {
            Some((l, n)) if *l == language => *n += 1,
            _ => runs.push((language, 1)),
        }
    }
    (tags, runs)
}

impl Outline<'_> {
    /// The runtime the site ships.
    fn runtime(&self) -> Runtime {
        Runtime::for_languages(&self.languages.0)
    }

    /// The build id: a hash of every chunk and of the runtime.
    fn build_id(&self) -> u64 {
        let mut all = Vec::new();
        for chunk in self.terms.iter().chain(self.positions).chain(self.docs) {
            all.extend_from_slice(&chunk.hash.to_le_bytes());
        }
        all.extend_from_slice(&self.facets_hash.to_le_bytes());
        all.extend_from_slice(&runtime_hash(self.runtime()).to_le_bytes());
        fnv1a(&all)
    }

    /// The files, given where each position file's head ends and each record file's slot
    /// size.
    fn plan(&self, build: u64, position_heads: Vec<u32>, doc_slots: Vec<u32>) -> Plan {
        let tag = build_tag(build);
        let mut names = Vec::new();
        let mut table = |dir: &str, chunks: &[Chunk], source: fn(usize) -> Source| {
            let table = chunk_table(dir, tag, chunks);
            names.extend((0..chunks.len()).map(|i| (table.file(i), source(i))));
            table
        };
        let terms = table("t", self.terms, Source::Terms);
        let positions = table("p", self.positions, Source::Positions);
        let docs = table("d", self.docs, Source::Docs);
        let facets_file = format!("f-{tag:08x}.bin");
        names.push((facets_file.clone(), Source::Facets));
        let meta = Meta {
            build,
            num_docs: u64::from(self.num_docs),
            total_tokens: self.total_tokens.to_vec(),
            terms,
            positions,
            position_heads,
            docs_per_chunk: DOCS_PER_CHUNK,
            docs,
            doc_slots,
            facets_file,
            languages: self.languages.0.clone(),
            language_runs: self.languages.1.clone(),
        }
        .encode();
        let meta = deflate(&meta);
        let meta_file = format!("meta-{tag:08x}.bin");
        names.push((meta_file.clone(), Source::Meta));
        let wasm = runtime_file_names(self.runtime());
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
        Plan {
            names,
            meta,
            page_meta,
            runtime: self.runtime(),
        }
    }
}

impl Plan {
    /// Writes every file through `sink`, in parallel, each data file read (with a zero build
    /// id) by `unstamped`, then stamped and compressed; returns how many files.
    fn write(
        self,
        build: u64,
        unstamped: &(dyn Fn(Source) -> Result<Vec<u8>> + Sync),
        sink: FileSink<'_>,
    ) -> Result<usize> {
        self.names.par_iter().try_for_each(|(name, source)| {
            let bytes = match source {
                Source::Meta => self.meta.clone(),
                other => stamp(*other, unstamped(*other)?, build),
            };
            sink(name, &bytes)
        })?;
        let (wasm, wasm_deflate) = runtime_file_names(self.runtime);
        let (module, module_deflate) = self.runtime.bytes();
        sink(&wasm, module)?;
        // The module again, compressed: the page inflates it where the browser can.
        sink(&wasm_deflate, module_deflate)?;
        sink("meta.json", &self.page_meta)?;
        Ok(self.names.len() + 3)
    }
}

/// A data file with a zero build id (not the meta file), stamped with the build id and
/// compressed.
fn stamp(source: Source, mut bytes: Vec<u8>, build: u64) -> Vec<u8> {
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

/// A runtime's hash (computed once).
fn runtime_hash(runtime: Runtime) -> u64 {
    static HASHES: OnceLock<[u64; 2]> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| [fnv1a(RUNTIME_WASM), fnv1a(RUNTIME_MULTI_WASM)]);
    hashes[runtime as usize]
}

/// The file names of a WebAssembly runtime in the search folder: the module and the same
/// module raw-DEFLATE compressed (the one the page fetches; the search page preloads it).
pub fn runtime_file_names(runtime: Runtime) -> (String, String) {
    let hash = runtime_hash(runtime) as u32;
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
    /// data files, `meta.json` or a runtime file (an edit adding the first document in another
    /// language than Polish switches to the multi-language module, which the output folder
    /// built before may lack).
    pub fn get(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        if path == "meta.json" {
            return Some(Arc::new(self.page_meta.clone()));
        }
        for runtime in [Runtime::Polish, Runtime::Multi] {
            let (wasm, deflate) = runtime_file_names(runtime);
            let (module, module_deflate) = runtime.bytes();
            if path == wasm {
                return Some(Arc::new(module.to_vec()));
            }
            if path == deflate {
                return Some(Arc::new(module_deflate.to_vec()));
            }
        }
        let source = *self.sources.get(path)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = cache
            .entry(path.to_string())
            .or_insert_with(|| Arc::new(self.export.stamped(source, self.build, &self.meta)));
        Some(Arc::clone(bytes))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compressed_runtime_is_the_runtime() {
        let inflated = jawnik_web::inflate::inflate(RUNTIME_WASM_DEFLATE, usize::MAX).unwrap();
        assert!(inflated == RUNTIME_WASM);
        assert!(RUNTIME_WASM_DEFLATE.len() < deflate(RUNTIME_WASM).len());
    }
}
