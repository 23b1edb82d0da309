//! The static search shards: what each file holds and how it is encoded and decoded, one
//! module per kind of file, each with its magic numbers, its encoder, its decoder and its
//! tests. Every file starts with a four-byte magic and the build's identifier (the header
//! below), so a shard cached from an earlier build is recognised as stale instead of giving
//! wrong answers. The byte codec underneath is [`crate::codec`].
//!
//! - `meta`: `meta-<tag>.bin` ([`Meta`]): statistics and the tables naming the chunk of each
//!   term range and document range ([`ChunkTable`]).
//! - `terms`: `t/…` term chunks: the site lexicon's forms of a key range (query word →
//!   lemmas) and, for each term of that range, its postings in every field (documents,
//!   frequencies, field-norm ids) and, for the short fields, positions; written column by
//!   column (all document gaps of a field together, all frequencies…), each column compressed
//!   with its own codes.
//!   A term chunk's heads part holds its forms' first heads ([`WordHead`], `heads`): what a
//!   first query of a common word ranks its first page with.
//! - `positions`: `p/…` position chunks: positions in the long fields (phrases only), read
//!   with the term chunk's documents and frequencies ([`field_positions`]); a common word's big
//!   entry is a single chunk of its own ([`ChunkTable::singles`]).
//! - `records`: `d/…` document records ([`DocRecord`]), one slot per record.
//! - `facets`: `f-<tag>.bin` ([`Facets`]): per facet value its documents (list or bitmap),
//!   and dates.
//!
//! Everything public is re-exported here: callers write `format::Meta`, `format::docs_file`.
//! This module holds what every kind shares (the header, [`ShardError`], chunks kept in rows,
//! gap-coded lists); the kinds depend on each other one way only: `terms` reads position rows
//! through `positions`, `meta` takes the slot unit from `records`.

use crate::prelude::*;

mod facets;
mod heads;
mod meta;
mod positions;
mod records;
mod terms;

pub use facets::{FacetValues, Facets, MAGIC_FACETS};
pub use heads::{decode_heads, encode_heads, HeadPair, WordHead};
pub use meta::{build_tag, chunk_file, ChunkTable, Meta, MAGIC_META};
pub use positions::{
    decode_position_entry, encode_position_entry, encode_position_fields, field_positions,
    positions_file, positions_file_with, positions_head_end, put_doc_positions,
    read_positions_head, skip_positions, FieldPositions, PositionEntry, MAGIC_POSITIONS,
    MAGIC_POSITION_FILE, POSITIONS_FIXED_LEN,
};
pub use records::{
    decode_docs, decode_record, docs_file, docs_slot, encode_docs, read_docs_file, read_docs_start,
    read_record_slot, record_slot, DocRecord, RecordSlot, DOCS_FIXED_LEN, MAGIC_DOCS,
    MAGIC_DOC_FILE, SLOT_UNIT,
};
pub use terms::{
    decode_term_entry, decode_terms, encode_term_entry, encode_terms, heads_part, lexicon_part,
    put_terms_header, replace_heads, replace_lexicon, term_entry_spans, term_file_parts,
    FieldPostings, TermFile, TermMap, MAGIC_TERMS, MAGIC_TERM_ROWS,
};

use crate::codec::{put_varint, Corrupt, Reader};
use jawnik_engine::DocId;

/// Length of a file header: magic and build id.
const HEADER_LEN: usize = 12;

/// Writes a file header.
pub fn put_header(out: &mut Vec<u8>, magic: &[u8; 4], build: u64) {
    out.extend_from_slice(magic);
    out.extend_from_slice(&build.to_le_bytes());
}

/// Checks a file header: `Err(stale)` when it is of another build.
pub fn read_header(r: &mut Reader, magic: &[u8; 4], build: u64) -> Result<(), ShardError> {
    if r.bytes(4).map_err(ShardError::Corrupt)? != magic {
        return Err(ShardError::Corrupt(Corrupt(
            "not a jawnik search shard of this kind",
        )));
    }
    let bytes = r.bytes(8).map_err(ShardError::Corrupt)?;
    let got = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    if got != build {
        return Err(ShardError::Stale);
    }
    Ok(())
}

/// Why a shard cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShardError {
    /// Truncated or damaged.
    Corrupt(Corrupt),
    /// From another build than the loaded `meta` (an old cached file).
    Stale,
    /// Not a file this index lists.
    Unknown,
}

impl From<Corrupt> for ShardError {
    fn from(c: Corrupt) -> Self {
        ShardError::Corrupt(c)
    }
}

impl ShardError {
    /// The error as shown (no `core::fmt`, for the browser's module).
    pub fn text(&self) -> String {
        match self {
            ShardError::Corrupt(c) => jawnik_engine::text::concat(&["corrupt search shard: ", c.0]),
            ShardError::Stale => "the search index changed since this page was loaded".into(),
            ShardError::Unknown => "not a file of this search index".into(),
        }
    }
}

impl core::fmt::Display for ShardError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.text())
    }
}

/// Terms with the byte range of their entry in a chunk.
pub type EntrySpans<'a> = Vec<(&'a str, core::ops::Range<usize>)>;

/// Reads the lexicon part that follows a term or position chunk's header.
fn read_lexicon_part<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], Corrupt> {
    let len = r.count()?;
    r.bytes(len)
}

/// The entries of a term or position chunk kept in rows (header, lexicon part, number of
/// entries, then each entry: its term and what `skip` reads past), undecoded: each term with
/// the byte range of its whole entry, and the byte offset where the entries start.
fn row_spans<'a>(
    magic: &[u8; 4],
    build: u64,
    bytes: &'a [u8],
    skip: impl Fn(&mut Reader<'a>) -> Result<(), Corrupt>,
) -> Result<(usize, EntrySpans<'a>), ShardError> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, magic, build)?;
    read_lexicon_part(&mut r)?;
    if magic == MAGIC_TERM_ROWS {
        read_lexicon_part(&mut r)?; // the heads part
    }
    let n = r.count()?;
    let start = r.position();
    let mut spans = Vec::with_capacity(n);
    for _ in 0..n {
        let at = r.position();
        let term = r.str()?;
        skip(&mut r)?;
        spans.push((term, at..r.position()));
    }
    if !r.at_end() {
        return Err(ShardError::Corrupt(Corrupt("trailing bytes")));
    }
    Ok((start, spans))
}

/// The build a chunk kept in rows is stamped with (after its magic).
fn stamped_build(rows: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(
        rows.get(4..HEADER_LEN)?.try_into().ok()?,
    ))
}

/// The last field of a document or position file's fixed start (a little-endian u32 after
/// the header and the count): the slot size, or where the head ends.
fn fixed_start_last(file: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(
        file.get(HEADER_LEN + 4..HEADER_LEN + 8)?.try_into().ok()?,
    ))
}

/// Appends an ascending list (documents, positions) as gaps: the first from 0, each next from
/// the one before.
fn put_gaps(out: &mut Vec<u8>, ascending: &[u32]) {
    let mut prev = 0;
    for &v in ascending {
        put_varint(out, u64::from(v - prev));
        prev = v;
    }
}

/// Reads `n` document numbers written as gaps by [`put_gaps`]; a document numbered `num_docs`
/// or more (gaps may be anything: added without overflow, then checked) is damage.
fn read_doc_gaps(r: &mut Reader, n: usize, num_docs: u64) -> Result<Vec<DocId>, ShardError> {
    let mut docs = Vec::with_capacity(n);
    let mut doc: u64 = 0;
    for _ in 0..n {
        doc = doc
            .checked_add(r.varint()?)
            .filter(|&d| d < num_docs)
            .ok_or(ShardError::Corrupt(Corrupt("document number out of range")))?;
        docs.push(doc as DocId);
    }
    Ok(docs)
}

/// Reads the next value of a list written by [`put_gaps`]: `prev` plus a gap.
fn read_gap(r: &mut Reader, prev: u32) -> Result<u32, Corrupt> {
    prev.checked_add(r.u32()?)
        .ok_or(Corrupt("position overflow"))
}
