//! Makes the chunks of the export from the index, one at a time, and hands each to a
//! [`ChunkSink`] as soon as it is complete: document records [`DOCS_PER_CHUNK`] at a time,
//! then every term of every field in term order (a merged walk over tantivy's term
//! dictionaries, never a list of the vocabulary), cut by one [`Chunker`] per kind of chunk.
//! One chunker, two sinks: [`super::export`] keeps every chunk (`jawnik serve` patches them),
//! [`super::stream`] writes each to a spool file and names, stamps and writes the files once
//! the build id is known (`jawnik build`). What this holds besides the current chunks is
//! per-document metadata (where each record's sections start) and the site lexicon.

use anyhow::Result;
use jawnik_analysis::{words, SiteLexicon};
use jawnik_engine::Backend;
use jawnik_engine::Field;
use jawnik_web::format::{
    encode_docs, encode_position_entry, encode_term_entry, put_terms_header, replace_lexicon,
    DocRecord, FacetValues, Facets, FieldPositions, FieldPostings, MAGIC_POSITIONS,
    MAGIC_TERM_ROWS,
};

use super::heads::HeadMaker;
use super::{
    Chunk, DOCS_PER_CHUNK, MAX_HEADINGS, POSITION_CHUNK_BYTES, POSITION_SINGLE_BYTES,
    SUMMARY_CHARS, TERM_CHUNK_BYTES, TERM_CHUNK_WITH_LEXICON_BYTES,
};
use crate::index::{value_starts, TantivyBackend};

/// The kinds of chunk, each with its own table and folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Terms,
    Positions,
    Docs,
}

/// Receives the chunks of an export as they are made.
pub(crate) trait ChunkSink {
    /// A complete chunk. Term and record chunks come in key order; a single position chunk
    /// comes before the range chunk around it (sort by first key for the table).
    fn chunk(&mut self, part: Part, chunk: Chunk) -> Result<()>;
    /// The records of the record chunk just given (only the in-memory export keeps them).
    fn records(&mut self, _records: Vec<DocRecord>) {}
}

/// What the export holds besides its chunks.
pub(crate) struct Totals {
    pub num_docs: u32,
    pub total_tokens: Vec<u64>,
    pub facets: Facets,
    pub facets_raw: Chunk,
}

/// Makes every chunk of the export of `backend` and gives it to `sink`; `base_path` is the
/// site's base path (`/` or `/ngo/`); words in more than `heads_from` documents get first
/// heads (`super::heads`).
pub(crate) fn export_chunks(
    backend: &mut TantivyBackend,
    base_path: &str,
    heads_from: usize,
    sink: &mut impl ChunkSink,
) -> Result<Totals> {
    // Document records (first: their heading positions give body postings their sections).
    let num_docs = backend.num_docs() as u32;
    let mut starts = SectionStarts {
        headings: Vec::with_capacity(num_docs as usize),
        parts: Vec::with_capacity(num_docs as usize),
    };
    for from in (0..num_docs).step_by(DOCS_PER_CHUNK as usize) {
        let to = (from + DOCS_PER_CHUNK).min(num_docs);
        let records: Vec<DocRecord> = (from..to)
            .map(|doc| record(backend, doc, base_path))
            .collect::<Result<_>>()?;
        starts.add(&records);
        sink.chunk(
            Part::Docs,
            Chunk::new(String::new(), encode_docs(0, &records)),
        )?;
        sink.records(records);
    }

    // Terms: every field's postings grouped by term, in term order, into chunks; short-field
    // positions inline, long-field positions into their own chunks.
    let mut term_chunks = Chunker::new(MAGIC_TERM_ROWS, TERM_CHUNK_BYTES, usize::MAX);
    term_chunks.extra_limit = TERM_CHUNK_WITH_LEXICON_BYTES;
    let mut position_chunks =
        Chunker::new(MAGIC_POSITIONS, POSITION_CHUNK_BYTES, POSITION_SINGLE_BYTES);
    let lexicon = backend.lexicon()?;
    let mut form_sizes = lexicon.key_sizes().peekable();
    let sections =
        |field, docs: &[u32], positions: &[Vec<u32>]| starts.of_first(field, docs, positions);
    let mut heads = HeadMaker::new(backend, &sections, heads_from);
    // A range term chunk waits for the next range chunk's first key: its part of the
    // lexicon ends there (a single holds none); the singles after it wait with it.
    let mut finish = |chunk: &Chunk, next: Option<&str>| -> Result<Chunk> {
        let part = lexicon.range(&chunk.first, next);
        heads.add_heads(chunk_with_part(chunk, &part)?, &part)
    };
    let mut waiting: Option<Chunk> = None;
    let mut singles: Vec<Chunk> = Vec::new();
    let mut bytes = Vec::new();
    let mut give_terms = |ready: Vec<Chunk>, last: bool, sink: &mut _| -> Result<()> {
        for chunk in ready {
            if chunk.single {
                singles.push(chunk);
                continue;
            }
            if let Some(done) = waiting.replace(chunk) {
                let next = waiting.as_ref().map(|c| c.first.as_str());
                ChunkSink::chunk(sink, Part::Terms, finish(&done, next)?)?;
                for single in singles.drain(..) {
                    ChunkSink::chunk(sink, Part::Terms, single)?;
                }
            }
        }
        if last {
            if let Some(done) = waiting.take() {
                ChunkSink::chunk(sink, Part::Terms, finish(&done, None)?)?;
            }
            for single in singles.drain(..) {
                ChunkSink::chunk(sink, Part::Terms, single)?;
            }
        }
        Ok(())
    };
    backend.each_term(|term| {
        // The site lexicon's forms before this term go into the chunk of the term before it.
        let mut forms = 0;
        while let Some((_, size)) = form_sizes.next_if(|(key, _)| *key < term) {
            forms += size;
        }
        term_chunks.add_extra(forms / 2);
        let (entry, position_entry) = term_entries(backend, term, &starts);
        if !position_entry.is_empty() {
            encode_position_entry(&mut bytes, term, &position_entry);
            position_chunks.push(term, &mut bytes);
            for chunk in position_chunks.take_ready() {
                sink.chunk(Part::Positions, chunk)?;
            }
        }
        encode_term_entry(&mut bytes, term, &entry);
        term_chunks.push(term, &mut bytes);
        give_terms(term_chunks.take_ready(), false, sink)
    })?;
    give_terms(term_chunks.finish(), true, sink)?;
    for chunk in position_chunks.finish() {
        sink.chunk(Part::Positions, chunk)?;
    }
    let facets = Facets {
        values: facet_values(backend),
        dates: backend.doc_dates().unwrap_or_default(),
    };
    let facets_raw = Chunk::new(String::new(), facets.encode(0));
    Ok(Totals {
        num_docs,
        total_tokens: Field::ALL
            .iter()
            .map(|f| backend.total_tokens(*f))
            .collect(),
        facets,
        facets_raw,
    })
}

/// Per document, the word positions where its sections start: body sections (headings) and
/// attachment parts (each attachment's title and pages).
pub(super) struct SectionStarts {
    headings: Vec<Vec<u32>>,
    parts: Vec<Vec<u32>>,
}

impl SectionStarts {
    /// The section of each document's first occurrence of a term (`positions`: its positions
    /// per document of `docs`) in `field`: for the body, under which heading (documents
    /// without headings: 0); for attachments, in which part (an attachment's title or page).
    /// Empty for other fields, and when every section is 0.
    pub(super) fn of_first(&self, field: Field, docs: &[u32], positions: &[Vec<u32>]) -> Vec<u32> {
        match field {
            Field::Body => section_of_first(docs, positions, &self.headings),
            Field::Attachments => section_of_first(docs, positions, &self.parts),
            _ => Vec::new(),
        }
    }

    /// Adds the section starts of the next records.
    fn add(&mut self, records: &[DocRecord]) {
        for r in records {
            self.headings.push(r.headings.iter().map(|h| h.0).collect());
            self.parts.push(r.parts.iter().map(|p| p.0).collect());
        }
    }
}

/// The section starts of each record.
pub(super) fn heading_starts(records: &[DocRecord]) -> SectionStarts {
    let mut starts = SectionStarts {
        headings: Vec::new(),
        parts: Vec::new(),
    };
    starts.add(records);
    starts
}

/// Every facet's values with their documents.
pub(super) fn facet_values(backend: &mut TantivyBackend) -> Vec<(String, FacetValues)> {
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

/// Puts into term chunks `which` the part of `lexicon` in each one's key range, to the next
/// range chunk (replacing what they held; a single holds none).
pub(super) fn with_lexicon(
    chunks: &mut [Chunk],
    lexicon: &SiteLexicon,
    which: impl Iterator<Item = usize>,
) -> Result<()> {
    for i in which {
        if chunks[i].single {
            continue;
        }
        let next = (chunks[i + 1..].iter())
            .find(|c| !c.single)
            .map(|c| c.first.clone());
        chunks[i] = chunk_with_lexicon(&chunks[i], lexicon, next.as_deref())?;
    }
    Ok(())
}

/// The term chunk `chunk` holding the part of `lexicon` from its first key to `next` (the
/// next chunk's first key; `None`: to the end).
fn chunk_with_lexicon(chunk: &Chunk, lexicon: &SiteLexicon, next: Option<&str>) -> Result<Chunk> {
    chunk_with_part(chunk, &lexicon.range(&chunk.first, next))
}

/// The term chunk `chunk` with `part` as its lexicon part.
fn chunk_with_part(chunk: &Chunk, part: &SiteLexicon) -> Result<Chunk> {
    let part = if part.is_empty() {
        Vec::new()
    } else {
        part.to_bytes()
    };
    let raw = replace_lexicon(&chunk.raw, &part)
        .map_err(|e| anyhow::anyhow!("a term chunk of the export: {e}"))?;
    Ok(chunk.with_raw(raw))
}

/// One term's entries: for the term chunk (every field; positions of the short fields
/// inline) and for the position chunk (positions of the long fields; empty when none).
pub(super) fn term_entries(
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
        let sections = starts.of_first(field, &docs, &positions);
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
    /// Whether a range chunk was made (the first one holds the range from "").
    ranged: bool,
    /// Complete chunks not yet taken ([`Self::take_ready`]).
    ready: Vec<Chunk>,
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
            ranged: false,
            ready: Vec::new(),
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
            self.push_single(term, entry);
            return;
        }
        // A big entry (a common word's) gets a chunk of its own: the rare words next to it
        // in term order do not pay for it. After the first range chunk it is a single, so
        // that the range chunk before it holds the lexicon and heads of its key range (a
        // query of the common word does not fetch its whole entry to analyse it).
        let alone = entry.len() > self.target;
        let size = self.encoded.len() + entry.len();
        let full = size > self.target || size.saturating_add(self.extra) > self.extra_limit;
        if (alone || full) && self.count > 0 {
            self.flush();
        }
        if alone && self.ranged {
            self.push_single(term, entry);
            return;
        }
        self.first.get_or_insert_with(|| term.to_string());
        self.count += 1;
        self.encoded.append(entry);
        if alone {
            self.flush();
        }
    }

    /// A single chunk of one entry: made before the range chunk around it, if any.
    fn push_single(&mut self, term: &str, entry: &mut Vec<u8>) {
        let mut bytes = Vec::with_capacity(16 + entry.len());
        put_terms_header(&mut bytes, self.magic, 0, &[], 1);
        bytes.append(entry);
        let mut chunk = Chunk::new(term.to_string(), bytes);
        chunk.single = true;
        self.ready.push(chunk);
    }

    fn flush(&mut self) {
        let first = self.first.take().unwrap_or_default();
        // The first range chunk holds the range from "" (every key has a chunk).
        let first = if self.ranged { first } else { String::new() };
        self.ranged = true;
        let mut bytes = Vec::with_capacity(16 + self.encoded.len());
        put_terms_header(&mut bytes, self.magic, 0, &[], self.count);
        bytes.append(&mut self.encoded);
        self.ready.push(Chunk::new(first, bytes));
        self.count = 0;
        self.extra = 0;
    }

    /// The chunks completed since the last call, in the order they were completed (a single
    /// before the range chunk around it).
    fn take_ready(&mut self) -> Vec<Chunk> {
        std::mem::take(&mut self.ready)
    }

    /// The last chunks (there is always a range chunk, the one from "").
    fn finish(mut self) -> Vec<Chunk> {
        if self.count > 0 || !self.ranged {
            self.flush();
        }
        self.ready
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
pub(super) fn record(backend: &TantivyBackend, doc: u32, base_path: &str) -> Result<DocRecord> {
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
    use super::super::chunk_table;
    use super::*;
    use jawnik_web::format::term_entry_spans;

    fn positions(term: &str, n: usize) -> Vec<u8> {
        let mut entry = Vec::new();
        let field = (Field::Body, vec![(0..n as u32).map(|p| p * 200).collect()]);
        encode_position_entry(&mut entry, term, &[field]);
        entry
    }

    /// Every chunk of `chunker`, in key order.
    fn all(mut chunker: Chunker, pushes: impl FnOnce(&mut Chunker)) -> Vec<Chunk> {
        pushes(&mut chunker);
        let mut chunks = chunker.take_ready();
        chunks.extend(chunker.finish());
        chunks.sort_by(|a, b| a.first.cmp(&b.first));
        chunks
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
        let chunks = all(Chunker::new(MAGIC_POSITIONS, 60, 1000), |chunker| {
            for (term, n) in sizes {
                chunker.push(term, &mut positions(term, n));
            }
        });
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
            let chunks = all(chunker, |chunker| {
                for term in ["a", "b", "c", "d", "e"] {
                    if term == "c" {
                        chunker.add_extra(90);
                    }
                    chunker.push(term, &mut positions(term, 10));
                }
            });
            let table = chunk_table("t", 0, &chunks);
            table.firsts.clone()
        };
        assert_eq!(firsts(usize::MAX), ["", "e"]);
        assert_eq!(firsts(150), ["", "c"]);
    }
}
