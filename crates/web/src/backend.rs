//! [`ShardBackend`]: the query engine's view of the static shards. It answers from the files
//! loaded so far and, for anything else, records which file is missing; the caller (the
//! browser's JS, or a test reading a folder) loads those and runs the query again.

use crate::prelude::*;
use jawnik_analysis::{analyze_query_word, fold, to_lowercase, Lexicon, SiteLexicon, StopWords};
use jawnik_engine::sorted::{insert_str, sort_by};
use jawnik_engine::text::push_uint;
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{
    most_frequent, word_terms, Backend, DocId, Field, Posting, PostingsHead, WordTerms,
};

use crate::format::{
    decode_heads, decode_position_entry, decode_record, decode_terms, field_positions,
    positions_head_end, read_docs_file, read_positions_head, read_record_slot, record_slot,
    ChunkTable, DocRecord, Facets, FieldPostings, Meta, RecordSlot, ShardError, TermMap, WordHead,
    DOCS_FIXED_LEN,
};

/// The loaded chunks of one table, by chunk number (a `Vec` rather than a hash map: less code
/// in the WebAssembly module; chunk numbers are small and dense).
struct Chunks<T>(Vec<Option<T>>);

impl<T> Chunks<T> {
    fn new() -> Self {
        Chunks(Vec::new())
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.0.get(i)?.as_ref()
    }

    fn has(&self, i: usize) -> bool {
        self.get(i).is_some()
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.0.get_mut(i)?.as_mut()
    }

    fn insert(&mut self, i: usize, chunk: T) {
        if self.0.len() <= i {
            self.0.resize_with(i + 1, || None);
        }
        self.0[i] = Some(chunk);
    }
}

/// A document file, whole or in part: each of its records.
struct RecordFile(Vec<Record>);

/// A record of a [`RecordFile`].
enum Record {
    /// Not loaded.
    Missing,
    Loaded(DocRecord),
    /// Not loaded, and its slot says where it lies (it did not fit).
    Elsewhere(Span),
}

/// A position file, whole or in part: what its head says and the entries loaded.
struct PositionFile {
    /// Where each entry ends (from the file's start).
    ends: Vec<u32>,
    /// Where the head ends and the first entry starts.
    head_end: u32,
    /// The term of each entry (ascending).
    terms: Vec<String>,
    /// The entries loaded, inflated (term and encoded positions per field).
    parts: Vec<Option<Vec<u8>>>,
}

impl PositionFile {
    /// Reads a position file's head (`data`: from the file's start, at least to the head's
    /// end, which must be `expected` when only the head was fetched).
    fn read_head(data: &[u8], build: u64, expected: Option<u32>) -> Result<Self, ShardError> {
        let head_end = positions_head_end(data).unwrap_or(0);
        if expected.is_some_and(|e| e != head_end) {
            return Err(corrupt("a position file's head of another length"));
        }
        let (terms, ends): (Vec<String>, Vec<u32>) =
            read_positions_head(data, build)?.into_iter().unzip();
        let parts = ends.iter().map(|_| None).collect();
        Ok(PositionFile {
            ends,
            head_end,
            terms,
            parts,
        })
    }

    /// The bytes of entry `k`.
    fn span(&self, k: usize) -> Span {
        let start = if k == 0 {
            self.head_end
        } else {
            self.ends[k - 1]
        };
        (start, self.ends[k])
    }

    /// Loads the entries in bytes `start..end` of the file (`data`): whole entries only, each
    /// inflated and checked to be the one the head names there.
    fn load(&mut self, (start, end): Span, data: &[u8]) -> Result<(), ShardError> {
        let not_at_part = || corrupt("a byte range not at a part");
        let mut at = start.max(self.head_end);
        let mut k = match self.ends.iter().position(|&e| e == at) {
            Some(k) => k + 1,
            None if at == self.head_end => 0,
            None => return Err(not_at_part()),
        };
        while at < end {
            let part_end = *self
                .ends
                .get(k)
                .filter(|&&e| e <= end)
                .ok_or_else(not_at_part)?;
            let bytes = &data[(at - start) as usize..(part_end - start) as usize];
            let entry = crate::codec::inflate(bytes)?;
            let (term, _) = decode_position_entry(&entry)?;
            if term != self.terms[k] {
                return Err(corrupt("a position entry of another term"));
            }
            self.parts[k] = Some(entry);
            at = part_end;
            k += 1;
        }
        Ok(())
    }
}

/// Bytes `start..end` of a file.
pub type Span = (u32, u32);

/// A file name, or a byte range of the file: `d/3-5e0c9f2c.bin#100-356` (from byte 100 up
/// to, not including, 356).
pub fn split_span(name: &str) -> Result<(&str, Option<Span>), ShardError> {
    let Some((file, span)) = name.split_once('#') else {
        return Ok((name, None));
    };
    let bad = || ShardError::Unknown;
    let (a, b) = span.split_once('-').ok_or_else(bad)?;
    let (a, b) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if a >= b {
        return Err(bad());
    }
    Ok((file, Some((a, b))))
}

/// The engine over static shards.
pub struct ShardBackend {
    meta: Meta,
    terms: Chunks<TermMap>,
    /// Position files, whole or in part, read when a phrase needs them.
    positions: Chunks<PositionFile>,
    /// The lexicon part of each loaded term chunk.
    lexicon: Chunks<SiteLexicon>,
    /// The heads part of each loaded term chunk ([`WordHead`], by form).
    heads: Chunks<Vec<WordHead>>,
    /// The heads a search ranked with: their documents' sections are read from them.
    heads_used: Vec<WordHead>,
    docs: Chunks<RecordFile>,
    facets: Option<Facets>,
    /// Ask for byte ranges of document files (the host answers Range requests).
    ranges: bool,
    /// Files asked for and not loaded, sorted and deduplicated.
    missing: Vec<String>,
    stopwords: StopWords,
}

impl ShardBackend {
    /// A backend knowing only the meta file.
    pub fn new(meta: Meta) -> Self {
        ShardBackend {
            meta,
            terms: Chunks::new(),
            positions: Chunks::new(),
            lexicon: Chunks::new(),
            heads: Chunks::new(),
            heads_used: Vec::new(),
            docs: Chunks::new(),
            facets: None,
            ranges: false,
            missing: Vec::new(),
            stopwords: StopWords::polish(),
        }
    }

    /// The meta.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Files needed by the last queries and not loaded yet (and forgets them).
    pub fn take_missing(&mut self) -> Vec<String> {
        core::mem::take(&mut self.missing)
    }

    /// Whether to ask for byte ranges of document files (`name#start-end`) rather than whole
    /// files: for a host that answers Range requests.
    pub fn set_ranges(&mut self, ranges: bool) {
        self.ranges = ranges;
    }

    /// Takes a fetched file, named by its path inside the search folder, or a byte range of
    /// one (`name#start-end`, as asked for).
    pub fn load(&mut self, name: &str, compressed: &[u8]) -> Result<(), ShardError> {
        let (file, span) = split_span(name)?;
        if let Some(i) = self.meta.docs.position_of(file) {
            return self.load_docs(i, span, compressed);
        }
        if let Some(i) = self.meta.positions.position_of(file) {
            return self.load_positions(i, span, compressed);
        }
        if span.is_some() {
            return Err(ShardError::Unknown);
        }
        let inflated = crate::codec::inflate(compressed)?;
        let bytes = inflated.as_slice();
        let build = self.meta.build;
        let num_docs = self.meta.num_docs;
        let index_of = |table: &crate::format::ChunkTable| table.position_of(name);
        if let Some(i) = index_of(&self.meta.terms) {
            let (lexicon, heads, terms) = decode_terms(build, bytes, num_docs)?;
            let heads = decode_heads(heads, num_docs)?;
            let lexicon = if lexicon.is_empty() {
                SiteLexicon::default()
            } else {
                SiteLexicon::from_bytes(lexicon).map_err(|_| {
                    ShardError::Corrupt(crate::codec::Corrupt("the lexicon part of a term chunk"))
                })?
            };
            self.terms.insert(i, terms);
            self.lexicon.insert(i, lexicon);
            self.heads.insert(i, heads);
        } else if name == self.meta.facets_file {
            let facets = Facets::decode(build, bytes)?;
            if facets.dates.len() as u64 != num_docs {
                return Err(ShardError::Corrupt(crate::codec::Corrupt(
                    "facets of another size",
                )));
            }
            self.facets = Some(facets);
        } else {
            return Err(ShardError::Unknown);
        }
        Ok(())
    }

    /// A term's position entry (`Some(None)`: the position files have none), if loaded;
    /// else its position file, or with ranges the file's head or the entry's bytes, is
    /// recorded as missing. A single chunk (a common word's) is always fetched whole.
    fn position_entry(&mut self, term: &str) -> Option<Option<&[u8]>> {
        position_entry(
            &mut self.missing,
            &self.meta,
            &self.positions,
            self.ranges,
            term,
        )
    }

    /// How many records document chunk `i` holds.
    fn records_in(&self, i: usize) -> usize {
        let per = u64::from(self.meta.docs_per_chunk);
        self.meta.num_docs.saturating_sub(i as u64 * per).min(per) as usize
    }

    /// Takes a document file, or a byte range of one: a record's slot, or where a slot said
    /// its record lies.
    fn load_docs(&mut self, i: usize, span: Option<Span>, data: &[u8]) -> Result<(), ShardError> {
        let (build, n) = (self.meta.build, self.records_in(i));
        let slot = *self.meta.doc_slots.get(i).ok_or(ShardError::Unknown)?;
        let Some((start, end)) = span else {
            let records = read_docs_file(data, build, n, slot)?;
            let records = records.into_iter().map(Record::Loaded).collect();
            self.docs.insert(i, RecordFile(records));
            return Ok(());
        };
        if data.len() as u32 != end - start {
            return Err(corrupt("a byte range of another length"));
        }
        if !self.docs.has(i) {
            let records = (0..n).map(|_| Record::Missing).collect();
            self.docs.insert(i, RecordFile(records));
        }
        let records = &mut self.docs.get_mut(i).ok_or(ShardError::Unknown)?.0;
        let at_slot = start
            .checked_sub(DOCS_FIXED_LEN as u32)
            .filter(|at| at % slot == 0 && end - start == slot)
            .map(|at| (at / slot) as usize)
            .filter(|&k| k < n);
        let (k, blob) = match at_slot {
            Some(k) => match read_record_slot(data, n)? {
                RecordSlot::Here(blob) => (k, blob),
                RecordSlot::Elsewhere(a, b) => {
                    if !matches!(records[k], Record::Loaded(_)) {
                        records[k] = Record::Elsewhere((a, b));
                    }
                    return Ok(());
                }
            },
            None => {
                let k = records
                    .iter()
                    .position(|r| matches!(r, Record::Elsewhere(s) if *s == (start, end)))
                    .ok_or(corrupt("a byte range not at a record"))?;
                (k, data)
            }
        };
        records[k] = Record::Loaded(decode_record(&crate::codec::inflate(blob)?)?);
        Ok(())
    }

    /// Takes a position file, its head (the range from 0 to the head's end, as the meta
    /// says), or a range of whole entries in it (after its head).
    fn load_positions(
        &mut self,
        i: usize,
        span: Option<Span>,
        data: &[u8],
    ) -> Result<(), ShardError> {
        let head_end = self.meta.position_heads.get(i).copied().unwrap_or(0);
        let range = span.unwrap_or((0, data.len() as u32));
        if data.len() as u32 != range.1 - range.0
            || (span.is_some() && range.0 == 0 && range.1 != head_end)
        {
            return Err(corrupt("a byte range not at a part"));
        }
        if range.0 == 0 {
            let expected = span.map(|_| head_end);
            let file = PositionFile::read_head(data, self.meta.build, expected)?;
            if span.is_none() && file.ends.last().map_or(file.head_end, |&e| e) != range.1 {
                return Err(corrupt("a file of another length than its head says"));
            }
            if !self.positions.has(i) {
                self.positions.insert(i, file);
            }
        }
        // Entries before their file's head are not a range the engine asked for.
        let file = self.positions.get_mut(i).ok_or(ShardError::Unknown)?;
        file.load(range, data)
    }

    /// A document's record, if loaded (else its file, or with ranges the record's slot or
    /// where the slot said it lies, is recorded as missing).
    pub fn record(&mut self, doc: DocId) -> Option<&DocRecord> {
        let i = (doc / self.meta.docs_per_chunk) as usize;
        let k = (doc % self.meta.docs_per_chunk) as usize;
        if i >= self.meta.docs.len() {
            return None;
        }
        let file = self.meta.docs.file(i);
        let want = match self.docs.get(i).and_then(|f| f.0.get(k)) {
            Some(Record::Loaded(_)) => None,
            _ if !self.ranges => Some(file),
            Some(Record::Elsewhere((a, b))) => Some(concat_span(&file, *a, *b)),
            _ => {
                let (a, b) = record_slot(k, *self.meta.doc_slots.get(i)?);
                Some(concat_span(&file, a, b))
            }
        };
        if let Some(want) = want {
            insert_str(&mut self.missing, want);
            return None;
        }
        match self.docs.get(i)?.0.get(k)? {
            Record::Loaded(r) => Some(r),
            _ => None,
        }
    }

    /// The folded lemmas of a word for highlighting, if the term chunk holding its forms is
    /// loaded.
    pub fn lemmas_if_loaded(&self, word: &str) -> Option<Vec<String>> {
        let folded = fold(&to_lowercase(word));
        let chunk = self.meta.terms.find_range(&folded)?;
        let lexicon = self.lexicon.get(chunk)?;
        Some(analyze_query_word(word, lexicon).terms)
    }

    /// The section of a term's first occurrence in a document's body (`Some(None)`: not there).
    pub fn body_section(&mut self, term: &str, doc: DocId) -> Option<Option<u32>> {
        self.field_section(Field::Body, term, doc)
    }

    /// The section (body: heading; attachments: part) of a term's first occurrence in a
    /// document's field (`Some(None)`: not there).
    pub fn field_section(&mut self, field: Field, term: &str, doc: DocId) -> Option<Option<u32>> {
        // A head holds every posting of its documents: one of them needs no whole postings.
        for head in &self.heads_used {
            if let Some(pair) = head.pair(field, term).filter(|_| head.holds(doc)) {
                let f = &pair.postings;
                let at = f.docs.binary_search(&doc).ok();
                return Some(at.map(|i| f.sections.get(i).copied().unwrap_or(0)));
            }
        }
        let Some(f) = self.field_postings(field, term)? else {
            return Some(None);
        };
        Some(
            f.docs
                .binary_search(&doc)
                .ok()
                .map(|i| f.sections.get(i).copied().unwrap_or(0)),
        )
    }

    /// A term's postings in a field, if its term chunk is loaded (else it is recorded as
    /// missing); `Some(None)` when it has none.
    fn field_postings(&mut self, field: Field, term: &str) -> Option<Option<&FieldPostings>> {
        let chunk = loaded_chunk(&mut self.missing, &self.meta.terms, &self.terms, term)?;
        Some(postings_in(self.terms.get(chunk)?, field, term))
    }

    /// Every loaded-or-missing chunk in a prefix range; `None` if any is missing.
    fn prefix_chunks(&mut self, prefix: &str) -> Option<Vec<usize>> {
        let range: Vec<usize> = self.meta.terms.prefix_range(prefix).collect();
        let mut complete = true;
        for &i in &range {
            if !self.terms.has(i) {
                insert_str(&mut self.missing, self.meta.terms.file(i));
                complete = false;
            }
        }
        complete.then_some(range)
    }

    fn facets(&mut self) -> Option<&Facets> {
        if self.facets.is_none() {
            insert_str(&mut self.missing, self.meta.facets_file.clone());
        }
        self.facets.as_ref()
    }
}

impl Backend for ShardBackend {
    fn num_docs(&self) -> u64 {
        self.meta.num_docs
    }

    fn total_tokens(&self, field: Field) -> u64 {
        self.meta
            .total_tokens
            .get(field.index())
            .copied()
            .unwrap_or(0)
    }

    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        // The word's forms are in the term chunk of its folded form, which also holds that
        // form's own postings (the exact field) and, for most words, those of its lemmas.
        let folded = fold(&to_lowercase(word));
        // A stop word has no terms whatever the lexicon says (`word_terms`): no chunk needed.
        if self.stopwords.contains(&folded) {
            return Some(WordTerms {
                surface: folded,
                lemmas: Vec::new(),
            });
        }
        let chunk = self.meta.terms.find_range(&folded);
        let lexicon: &dyn Lexicon = match chunk {
            Some(i) => match self.lexicon.get(i) {
                Some(l) => l,
                None => {
                    insert_str(&mut self.missing, self.meta.terms.file(i));
                    return None;
                }
            },
            None => &EmptyLexicon,
        };
        Some(word_terms(word, lexicon, &self.stopwords))
    }

    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let Some(f) = self.field_postings(field, term)? else {
            return Some(Vec::new());
        };
        Some(
            f.docs
                .iter()
                .enumerate()
                .map(|(i, &doc)| Posting {
                    doc,
                    term_freq: f.tfs.get(i).copied().unwrap_or(1),
                    fieldnorm_id: f.norms.get(i).copied().unwrap_or(0),
                })
                .collect(),
        )
    }

    fn word_heads(&mut self, pairs: &[(Field, String)], tier: usize) -> Option<Vec<PostingsHead>> {
        // The first heads of a word whose term chunk holds them (its form's: loaded to
        // analyse it), if they are the pairs asked for; else every posting, as the head.
        let form = pairs.iter().find(|(f, _)| *f == Field::Exact).map(|p| &p.1);
        if let (0, Some(form)) = (tier, form) {
            // The chunk holding the form's part of the lexicon (loaded to analyse it).
            let chunk = self.meta.terms.find_range(form)?;
            let Some(heads) = self.heads.get(chunk) else {
                insert_str(&mut self.missing, self.meta.terms.file(chunk));
                return None;
            };
            if let Ok(k) = heads.binary_search_by(|h| h.form.as_str().cmp(form)) {
                let head = &heads[k];
                if head
                    .pair_keys()
                    .eq(pairs.iter().map(|(f, t)| (*f, t.as_str())))
                {
                    let engine = head.engine_heads();
                    if !self.heads_used.iter().any(|h| h.form == head.form) {
                        self.heads_used.push(head.clone());
                    }
                    return Some(engine);
                }
            }
        }
        jawnik_engine::backend::whole_heads(self, pairs)
    }

    fn doc_postings(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<(u64, Vec<Posting>)> {
        // Documents of a head: their postings are there (a head holds every posting of its
        // documents in each of its word's pairs).
        for head in &self.heads_used {
            let Some(pair) = head.pair(field, term) else {
                continue;
            };
            if docs.iter().all(|&d| head.holds(d)) {
                let mut postings = pair.engine_postings();
                postings.retain(|p| docs.binary_search(&p.doc).is_ok());
                return Some((pair.doc_freq, postings));
            }
        }
        jawnik_engine::backend::docs_of_whole(self, field, term, docs)
    }

    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        let inline = Field::PROXIMITY_FIELDS.contains(&field);
        let Some(terms) = loaded_chunk(&mut self.missing, &self.meta.terms, &self.terms, term)
        else {
            // The long fields' positions are read with the term chunk: ask for both at once.
            if !inline {
                self.position_entry(term);
            }
            return None;
        };
        let Some(f) = postings_in(self.terms.get(terms)?, field, term) else {
            return Some(Vec::new());
        };
        if inline {
            return Some(
                f.docs
                    .iter()
                    .copied()
                    .zip(f.positions.iter().cloned())
                    .collect(),
            );
        }
        // Damage (no positions for postings the term chunk has, or other counts) gives no
        // answer and asks for nothing: the page is told to reload.
        let entry = position_entry(
            &mut self.missing,
            &self.meta,
            &self.positions,
            self.ranges,
            term,
        )??;
        let (_, fields) = decode_position_entry(entry).ok()?;
        let (_, encoded) = fields.into_iter().find(|(f, _)| *f == field)?;
        field_positions(encoded, &f.docs, &f.tfs).ok()
    }

    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let chunks = self.prefix_chunks(prefix)?;
        let mut terms: Vec<(&String, u64)> = Vec::new();
        for i in &chunks {
            for (term, fields) in self.terms.get(*i)? {
                if term.starts_with(prefix) {
                    if let Some(f) = fields.iter().find(|f| f.field == field) {
                        terms.push((term, f.docs.len() as u64));
                    }
                }
            }
        }
        Some(most_frequent(terms, limit))
    }

    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        let head: String = term.chars().take(2).collect();
        let chunks = self.prefix_chunks(&head)?;
        let mut out: Vec<String> = Vec::new();
        for i in &chunks {
            for (candidate, fields) in self.terms.get(*i)? {
                if candidate.starts_with(&head)
                    && fields.iter().any(|f| f.field == Field::Exact)
                    && one_edit_apart(term, candidate)
                {
                    out.push(candidate.clone());
                }
            }
        }
        sort_by(&mut out, |a, b| a < b);
        Some(out)
    }

    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        // A search narrowed by language reads the meta's runs, not the facet table.
        #[cfg(feature = "multi")]
        if facet == jawnik_engine::schema::LANGUAGE_FACET {
            if let Some(docs) = self.meta.language_docs(value) {
                return Some(docs);
            }
        }
        let facets = self.facets()?;
        Some(
            facets
                .values
                .iter()
                .find(|(f, _)| f == facet)
                .and_then(|(_, values)| values.iter().find(|(v, _)| v == value))
                .map(|(_, docs)| docs.clone())
                .unwrap_or_default(),
        )
    }

    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        let facets = self.facets()?;
        let values = facets.values.iter().find(|(f, _)| f == facet);
        Some(
            values
                .map(|(_, v)| v.iter().map(|(v, _)| v.clone()).collect())
                .unwrap_or_default(),
        )
    }

    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        Some(self.facets()?.dates.clone())
    }
}

/// The number of the loaded chunk of `table` that holds `key`; a chunk not loaded yet is
/// recorded as missing.
fn loaded_chunk<T>(
    missing: &mut Vec<String>,
    table: &ChunkTable,
    chunks: &Chunks<T>,
    key: &str,
) -> Option<usize> {
    let chunk = table.find(key)?;
    if !chunks.has(chunk) {
        insert_str(missing, table.file(chunk));
        return None;
    }
    Some(chunk)
}

/// A term's postings in a field of a term chunk (`None`: none).
fn postings_in<'a>(map: &'a TermMap, field: Field, term: &str) -> Option<&'a FieldPostings> {
    let fields = jawnik_engine::sorted::get(map, term)?;
    fields.iter().find(|f| f.field == field)
}

struct EmptyLexicon;

impl Lexicon for EmptyLexicon {
    fn lookup(&self, _: &str) -> Vec<jawnik_analysis::LexEntry> {
        Vec::new()
    }
}

/// A term's position entry (`Some(None)`: the position files have none), if loaded; else its
/// position file, or with ranges the file's head or the entry's bytes, is recorded as missing.
/// A single chunk (a common word's: no head in the meta) is always fetched whole. (A free
/// function, as [`loaded_chunk`]: the caller keeps its term chunk borrowed meanwhile.)
fn position_entry<'a>(
    missing: &mut Vec<String>,
    meta: &Meta,
    positions: &'a Chunks<PositionFile>,
    ranges: bool,
    term: &str,
) -> Option<Option<&'a [u8]>> {
    let Some(i) = meta.positions.find(term) else {
        return Some(None);
    };
    let head_end = meta.position_heads.get(i).copied().unwrap_or(0);
    let known = match positions.get(i) {
        Some(f) => {
            let Ok(k) = f.terms.binary_search_by(|t| t.as_str().cmp(term)) else {
                return Some(None);
            };
            if let Some(entry) = &f.parts[k] {
                return Some(Some(entry));
            }
            Some(f.span(k))
        }
        None => None,
    };
    // With ranges, the entry's bytes, or the head first; else the whole file.
    let file = meta.positions.file(i);
    let want = match (ranges && head_end > 0, known) {
        (false, _) => file,
        (true, Some((start, end))) => concat_span(&file, start, end),
        (true, None) => concat_span(&file, 0, head_end),
    };
    insert_str(missing, want);
    None
}

/// `file#start-end`.
fn concat_span(file: &str, start: u32, end: u32) -> String {
    let mut s = String::with_capacity(file.len() + 24);
    s.push_str(file);
    s.push('#');
    push_uint(&mut s, u64::from(start));
    s.push('-');
    push_uint(&mut s, u64::from(end));
    s
}

fn corrupt(what: &'static str) -> ShardError {
    ShardError::Corrupt(crate::codec::Corrupt(what))
}
