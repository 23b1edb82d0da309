//! [`ShardBackend`]: the query engine's view of the static shards. It answers from the files
//! loaded so far and, for anything else, records which file is missing; the caller (the
//! browser's JS, or a test reading a folder) loads those and runs the query again.

use jawnik_analysis::{analyze_query_word, fold, to_lowercase, Lexicon, SiteLexicon, StopWords};
use jawnik_engine::sorted::{insert_str, sort_by};
use jawnik_engine::text::push_uint;
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{most_frequent, word_terms, Backend, DocId, Field, Posting, WordTerms};

use crate::format::{
    decode_position_entry, decode_record, decode_terms, docs_head_len, field_positions,
    positions_head_end, read_docs_head, read_positions_head, ChunkTable, DocRecord, Facets,
    FieldPostings, Meta, ShardError, TermMap,
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

/// A file of separately compressed parts (document records, position entries), whole or in
/// part: its head's entries (each saying where its part ends) and the parts loaded.
struct BlobFile<E> {
    head: Vec<E>,
    /// Where the head ends and the first part starts.
    head_end: u32,
    parts: Vec<Option<Part>>,
}

/// A loaded part of a [`BlobFile`].
enum Part {
    Record(DocRecord),
    /// A position entry, inflated (term and encoded positions per field).
    Entry(Vec<u8>),
}

/// What loading a range of a [`BlobFile`] must check and keep, per part.
type ReadPart<'a> = &'a mut dyn FnMut(usize, Vec<u8>) -> Result<Part, ShardError>;

/// Loads the parts in bytes `start..end` of a file (`data`), whose parts end at `ends` and
/// start after the head (`head_end`): whole parts only.
fn load_parts(
    parts: &mut [Option<Part>],
    ends: &[u32],
    head_end: u32,
    (start, end): Span,
    data: &[u8],
    read: ReadPart,
) -> Result<(), ShardError> {
    let corrupt = || ShardError::Corrupt(crate::codec::Corrupt("a byte range not at a part"));
    let mut at = start.max(head_end);
    let mut k = match ends.iter().position(|&e| e == at) {
        Some(k) => k + 1,
        None if at == head_end => 0,
        None => return Err(corrupt()),
    };
    while at < end {
        let part_end = *ends.get(k).filter(|&&e| e <= end).ok_or_else(corrupt)?;
        let bytes = &data[(at - start) as usize..(part_end - start) as usize];
        parts[k] = Some(read(k, crate::codec::inflate(bytes)?)?);
        at = part_end;
        k += 1;
    }
    Ok(())
}

/// Bytes `start..end` of a file.
type Span = (u32, u32);

/// A file name, or a byte range of the file: `d/3-5e0c9f2c.bin#100-356` (from byte 100 up
/// to, not including, 356).
fn split_span(name: &str) -> Result<(&str, Option<Span>), ShardError> {
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
    positions: Chunks<BlobFile<(String, u32)>>,
    /// The lexicon part of each loaded term chunk.
    lexicon: Chunks<SiteLexicon>,
    docs: Chunks<BlobFile<u32>>,
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
        std::mem::take(&mut self.missing)
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
            let (lexicon, terms) = decode_terms(build, bytes, num_docs)?;
            let lexicon = if lexicon.is_empty() {
                SiteLexicon::default()
            } else {
                SiteLexicon::from_bytes(lexicon).map_err(|_| {
                    ShardError::Corrupt(crate::codec::Corrupt("the lexicon part of a term chunk"))
                })?
            };
            self.terms.insert(i, terms);
            self.lexicon.insert(i, lexicon);
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
        let Some(i) = self.meta.positions.find(term) else {
            return Some(None);
        };
        let file = self.meta.positions.file(i);
        let head_end = self.meta.position_heads.get(i).copied().unwrap_or(0);
        let ranges = self.ranges && head_end > 0;
        let Some(loaded) = self.positions.get(i) else {
            let want = if ranges {
                concat_span(&file, 0, head_end)
            } else {
                file
            };
            insert_str(&mut self.missing, want);
            return None;
        };
        let Ok(k) = loaded.head.binary_search_by(|e| e.0.as_str().cmp(term)) else {
            return Some(None);
        };
        if let Some(Part::Entry(bytes)) = &loaded.parts[k] {
            return Some(Some(bytes));
        }
        let start = if k == 0 {
            loaded.head_end
        } else {
            loaded.head[k - 1].1
        };
        let want = if ranges {
            concat_span(&file, start, loaded.head[k].1)
        } else {
            file
        };
        insert_str(&mut self.missing, want);
        None
    }

    /// How many records document chunk `i` holds.
    fn records_in(&self, i: usize) -> usize {
        let per = u64::from(self.meta.docs_per_chunk);
        self.meta.num_docs.saturating_sub(i as u64 * per).min(per) as usize
    }

    /// Takes a document file, its head (the range from 0 to the head's end), or a range of
    /// whole records in it (after its head).
    fn load_docs(&mut self, i: usize, span: Option<Span>, data: &[u8]) -> Result<(), ShardError> {
        let (build, n) = (self.meta.build, self.records_in(i));
        let head_end = docs_head_len(n) as u32;
        let range = self.checked_range(span, data, head_end)?;
        if range.0 == 0 {
            let head = read_docs_head(data, build, n)?;
            if span.is_none() && head.last().map_or(head_end, |&e| e) != range.1 {
                return Err(corrupt("a document file of another length"));
            }
            if !self.docs.has(i) {
                let parts = (0..n).map(|_| None).collect();
                self.docs.insert(
                    i,
                    BlobFile {
                        head,
                        head_end,
                        parts,
                    },
                );
            }
        }
        let file = self.docs.get_mut(i).ok_or(ShardError::Unknown)?; // records before the head
        let read = &mut |_, bytes: Vec<u8>| Ok(Part::Record(decode_record(&bytes)?));
        load_parts(&mut file.parts, &file.head, head_end, range, data, read)
    }

    /// Takes a position file, its head (the range from 0 to the head's end, as the meta
    /// says), or a range of whole entries in it (after its head).
    fn load_positions(
        &mut self,
        i: usize,
        span: Option<Span>,
        data: &[u8],
    ) -> Result<(), ShardError> {
        // A range starting at 0 is the head, ending where the meta says.
        let expected = self.meta.position_heads.get(i).copied().unwrap_or(0);
        let range = self.checked_range(span, data, expected)?;
        if range.0 == 0 {
            let head_end = positions_head_end(data).unwrap_or(0);
            if span.is_some() && head_end != expected {
                return Err(corrupt("a position file's head of another length"));
            }
            let head = read_positions_head(data, self.meta.build)?;
            if span.is_none() && head.last().map_or(head_end, |e| e.1) != range.1 {
                return Err(corrupt("a position file of another length"));
            }
            if span.is_none() || !self.positions.has(i) {
                let parts = (0..head.len()).map(|_| None).collect();
                let file = BlobFile {
                    head,
                    head_end,
                    parts,
                };
                self.positions.insert(i, file);
            }
        }
        let file = self.positions.get_mut(i).ok_or(ShardError::Unknown)?;
        let head = &file.head;
        let ends: Vec<u32> = head.iter().map(|e| e.1).collect();
        let read = &mut |k: usize, bytes: Vec<u8>| {
            // The entry must be the one the head names there.
            let (term, _) = decode_position_entry(&bytes)?;
            if head.get(k).is_none_or(|e| e.0 != term) {
                return Err(corrupt("a position entry of another term"));
            }
            Ok(Part::Entry(bytes))
        };
        load_parts(&mut file.parts, &ends, file.head_end, range, data, read)
    }

    /// The byte range that `data` is: the span asked for (whose start is 0 only for the head,
    /// ending at `head_end`), or the whole file.
    fn checked_range(
        &self,
        span: Option<Span>,
        data: &[u8],
        head_end: u32,
    ) -> Result<Span, ShardError> {
        let range = span.unwrap_or((0, data.len() as u32));
        if data.len() as u32 != range.1 - range.0
            || (span.is_some() && range.0 == 0 && range.1 != head_end)
        {
            return Err(corrupt("a byte range not at a part"));
        }
        Ok(range)
    }

    /// A document's record, if loaded (else its file, or with ranges the file's head or the
    /// record's bytes, is recorded as missing).
    pub fn record(&mut self, doc: DocId) -> Option<&DocRecord> {
        let i = (doc / self.meta.docs_per_chunk) as usize;
        let k = (doc % self.meta.docs_per_chunk) as usize;
        if i >= self.meta.docs.len() {
            return None;
        }
        let file = self.meta.docs.file(i);
        let head_len = docs_head_len(self.records_in(i)) as u32;
        let want = match self.docs.get(i) {
            Some(c) if c.parts.get(k).is_some_and(Option::is_some) => None,
            Some(c) if self.ranges => {
                let start = if k == 0 { head_len } else { c.head[k - 1] };
                Some(concat_span(&file, start, *c.head.get(k)?))
            }
            None if self.ranges => Some(concat_span(&file, 0, head_len)),
            _ => Some(file),
        };
        if let Some(want) = want {
            insert_str(&mut self.missing, want);
            return None;
        }
        match self.docs.get(i)?.parts.get(k)? {
            Some(Part::Record(r)) => Some(r),
            _ => None,
        }
    }

    /// The folded lemmas of a word for highlighting, if the term chunk holding its forms is
    /// loaded.
    pub fn lemmas_if_loaded(&self, word: &str) -> Option<Vec<String>> {
        let folded = fold(&to_lowercase(word));
        let chunk = self.meta.terms.find(&folded)?;
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
        let chunk = self.meta.terms.find(&folded);
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
        let (docs, tfs) = (f.docs.clone(), f.tfs.clone());
        // Damage (no positions for postings the term chunk has, or other counts) gives no
        // answer and asks for nothing: the page is told to reload.
        let entry = self.position_entry(term)??;
        let (_, fields) = decode_position_entry(entry).ok()?;
        let (_, encoded) = fields.into_iter().find(|(f, _)| *f == field)?;
        field_positions(encoded, &docs, &tfs).ok()
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
