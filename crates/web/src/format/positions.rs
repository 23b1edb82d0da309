//! Position chunks, `p/…`: the positions of terms in the long fields, read only for phrases.
//! An entry holds a term's positions per field and document, without the documents and
//! frequencies: those are the term chunk's ([`field_positions`] reads the two together).
//!
//! The exporter keeps a chunk in rows ([`MAGIC_POSITIONS`]: written by
//! `terms::put_terms_header` and [`encode_position_entry`], spliced by [`position_entry_spans`]);
//! the file written to `search/` ([`MAGIC_POSITION_FILE`], [`positions_file`]) has a head
//! naming each entry's term and end, then each entry compressed on its own, so that a phrase
//! on a host answering Range requests fetches its words' entries, not the whole chunk. A
//! common word's big entry is a chunk of its own (`ChunkTable::singles`), fetched whole.

use crate::prelude::*;
use jawnik_engine::{DocId, Field};

use super::{
    fixed_start_last, put_gaps, put_header, read_gap, read_header, row_spans, stamped_build,
    EntrySpans, ShardError, HEADER_LEN,
};
use crate::codec::{put_str, put_varint, Corrupt, Reader};

/// Position chunks as the exporter keeps them: the entries one after another.
pub const MAGIC_POSITIONS: &[u8; 4] = b"JWP3";
/// Position files: a head naming each entry's term and end, then each entry compressed on its
/// own ([`positions_file`]), so that a phrase on a host answering Range requests fetches its
/// words' entries, not the whole chunk.
pub const MAGIC_POSITION_FILE: &[u8; 4] = b"JWP4";

/// One term's positions in the fields a position chunk holds them for: per field, the
/// positions of each document of the term's postings in that field (as the term chunk lists
/// them), ascending.
pub type FieldPositions = (Field, Vec<Vec<u32>>);

/// Encodes one term's entry of a position chunk: the term, then per field its byte length
/// and, for each document of the term's postings in that field, its `tf` position deltas
/// (from 0). The documents and the frequencies are the term chunk's: repeating them here
/// made position chunks 30 % bigger.
pub fn encode_position_entry(out: &mut Vec<u8>, term: &str, fields: &[FieldPositions]) {
    put_str(out, term);
    put_varint(out, fields.len() as u64);
    let mut data = Vec::new();
    for (field, docs) in fields {
        data.clear();
        for positions in docs {
            put_gaps(&mut data, positions);
        }
        out.push(field.index() as u8);
        put_varint(out, data.len() as u64);
        out.extend_from_slice(&data);
    }
}

/// Encodes a position entry from each field's encoded positions (as
/// [`decode_position_entry`] gives them, [`put_doc_positions`] writes them): what
/// [`encode_position_entry`] writes for the same positions. A patch splices one document's
/// positions in or out ([`skip_positions`]) without decoding the other documents'.
pub fn encode_position_fields(out: &mut Vec<u8>, term: &str, fields: &[(Field, Vec<u8>)]) {
    put_str(out, term);
    put_varint(out, fields.len() as u64);
    for (field, data) in fields {
        out.push(field.index() as u8);
        put_varint(out, data.len() as u64);
        out.extend_from_slice(data);
    }
}

/// Appends one document's positions (ascending) as a field of a position entry holds them.
pub fn put_doc_positions(out: &mut Vec<u8>, positions: &[u32]) {
    put_gaps(out, positions);
}

/// Where the `n` positions that start at byte `from` of a field's encoded positions end.
pub fn skip_positions(bytes: &[u8], from: usize, n: usize) -> Result<usize, Corrupt> {
    if n == 0 {
        return Ok(from);
    }
    let mut left = n;
    for (i, &b) in bytes.get(from..).unwrap_or_default().iter().enumerate() {
        // A varint's last byte has the high bit clear.
        if b < 0x80 {
            left -= 1;
            if left == 0 {
                return Ok(from + i + 1);
            }
        }
    }
    Err(Corrupt("more positions than the data holds"))
}

/// Reads the fields of a position entry: each field with its encoded positions.
fn read_position_fields<'a>(r: &mut Reader<'a>) -> Result<Vec<(Field, &'a [u8])>, Corrupt> {
    let n = r.count()?;
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        let field = *Field::ALL
            .get(r.byte()? as usize)
            .ok_or(Corrupt("unknown field"))?;
        let len = r.count()?;
        fields.push((field, r.bytes(len)?));
    }
    Ok(fields)
}

/// The entries of a position chunk kept in rows, undecoded (see `terms::term_entry_spans`,
/// which takes either kind of chunk).
pub(super) fn position_entry_spans(
    build: u64,
    rows: &[u8],
) -> Result<(usize, EntrySpans<'_>), ShardError> {
    row_spans(MAGIC_POSITIONS, build, rows, |r| {
        read_position_fields(r).map(drop)
    })
}

/// A position entry's term and, per field, its encoded positions.
pub type PositionEntry<'a> = (&'a str, Vec<(Field, &'a [u8])>);

/// Decodes one entry of a position chunk (as [`encode_position_entry`] wrote it).
pub fn decode_position_entry(bytes: &[u8]) -> Result<PositionEntry<'_>, Corrupt> {
    let mut r = Reader::new(bytes);
    let term = r.str()?;
    let fields = read_position_fields(&mut r)?;
    if !r.at_end() {
        return Err(Corrupt("trailing bytes"));
    }
    Ok((term, fields))
}

/// The positions of one field of a position entry, given the documents of the term's
/// postings in that field and its frequency in each (the term chunk's): exactly that many
/// positions per document.
pub fn field_positions(
    bytes: &[u8],
    docs: &[DocId],
    tfs: &[u32],
) -> Result<Vec<(DocId, Vec<u32>)>, Corrupt> {
    if docs.len() != tfs.len() {
        return Err(Corrupt("frequencies of another length"));
    }
    let mut r = Reader::new(bytes);
    let mut all = Vec::with_capacity(tfs.len());
    for (&doc, &tf) in docs.iter().zip(tfs) {
        // Each position takes at least a byte: a frequency beyond the data is damage.
        if tf as usize > r.remaining() {
            return Err(Corrupt("more positions than the data holds"));
        }
        all.push((doc, read_positions(&mut r, tf as usize)?));
    }
    if !r.at_end() {
        return Err(Corrupt("positions left over"));
    }
    Ok(all)
}

/// `n` positions written as gaps (the first from 0).
pub(super) fn read_positions(r: &mut Reader, n: usize) -> Result<Vec<u32>, Corrupt> {
    let mut list = Vec::with_capacity(n);
    let mut p: u32 = 0;
    for _ in 0..n {
        p = read_gap(r, p)?;
        list.push(p);
    }
    Ok(list)
}

/// Length of a position file's fixed start: magic, build, number of entries, end of the head.
pub const POSITIONS_FIXED_LEN: usize = HEADER_LEN + 8;

/// A position file made from a position chunk kept in rows (its build stamped later at
/// bytes 4..12): the fixed start ([`POSITIONS_FIXED_LEN`]), the head (compressed and sealed:
/// each entry's term and where the entry ends, counted from the head's end), then each entry
/// compressed and sealed on its own. The build is outside the compressed parts, so they are
/// the same in every build.
pub fn positions_file(rows: &[u8]) -> Result<Vec<u8>, ShardError> {
    positions_file_with(rows, &mut |_, entry| crate::codec::deflate(entry))
}

/// As [`positions_file`], each entry compressed by `blob` (given the entry's term and bytes;
/// it must give what `codec::deflate` gives): a patched chunk's file takes the entries it
/// kept from its previous file instead of compressing them again (`jawnik serve`).
pub fn positions_file_with(
    rows: &[u8],
    blob: &mut dyn FnMut(&str, &[u8]) -> Vec<u8>,
) -> Result<Vec<u8>, ShardError> {
    let build = stamped_build(rows).ok_or(Corrupt("not a position chunk"))?;
    let (_, spans) = position_entry_spans(build, rows)?;
    let blobs: Vec<Vec<u8>> = spans
        .iter()
        .map(|(term, r)| blob(term, &rows[r.clone()]))
        .collect();
    // Ends counted from the head's end, so that the head does not depend on its own length.
    let mut head = Vec::new();
    let mut end = 0u64;
    for ((term, _), blob) in spans.iter().zip(&blobs) {
        end += blob.len() as u64;
        put_str(&mut head, term);
        put_varint(&mut head, end);
    }
    let head = crate::codec::deflate(&head);
    let head_end = POSITIONS_FIXED_LEN + head.len();
    let mut out = Vec::with_capacity(head_end + end as usize);
    put_header(&mut out, MAGIC_POSITION_FILE, build);
    out.extend_from_slice(&(spans.len() as u32).to_le_bytes());
    out.extend_from_slice(&(head_end as u32).to_le_bytes());
    out.extend_from_slice(&head);
    for blob in blobs {
        out.extend_from_slice(&blob);
    }
    Ok(out)
}

/// The end of a position file's head (from its fixed start).
pub fn positions_head_end(file: &[u8]) -> Option<u32> {
    fixed_start_last(file)
}

/// A position file's head (`bytes` from the file's start to at least the head's end): each
/// entry's term (ascending) and where the entry ends.
pub fn read_positions_head(bytes: &[u8], build: u64) -> Result<Vec<(String, u32)>, ShardError> {
    let mut r = Reader::new(
        bytes
            .get(..POSITIONS_FIXED_LEN)
            .ok_or(Corrupt("cut short"))?,
    );
    read_header(&mut r, MAGIC_POSITION_FILE, build)?;
    let n = r.fixed_u32()? as usize;
    let head_end = r.fixed_u32()?;
    let head = bytes
        .get(POSITIONS_FIXED_LEN..head_end as usize)
        .ok_or(Corrupt("a position file's head is cut short"))?;
    let head = crate::codec::inflate(head)?;
    let mut r = Reader::new(&head);
    let mut entries: Vec<(String, u32)> = Vec::with_capacity(n.min(head.len()));
    let mut prev = head_end;
    for _ in 0..n {
        let term = r.str()?.to_string();
        let end = r.u32()?.checked_add(head_end).ok_or(Corrupt("overflow"))?;
        if end <= prev || entries.last().is_some_and(|(t, _)| *t >= term) {
            return Err(Corrupt("a position file's head is out of order").into());
        }
        prev = end;
        entries.push((term, end));
    }
    if !r.at_end() {
        return Err(Corrupt("trailing bytes").into());
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_entries_are_read_with_the_term_chunks_frequencies() {
        let docs = vec![vec![3, 200, 201], vec![0], vec![70_000, 70_001]];
        let mut entry = Vec::new();
        encode_position_entry(&mut entry, "rada", &[(Field::Body, docs.clone())]);
        let (term, fields) = decode_position_entry(&entry).unwrap();
        assert_eq!((term, fields.len(), fields[0].0), ("rada", 1, Field::Body));
        // The same entry from its fields' bytes; a document's positions found by skipping.
        let mut again = Vec::new();
        let raw: Vec<(Field, Vec<u8>)> = fields.iter().map(|(f, b)| (*f, b.to_vec())).collect();
        encode_position_fields(&mut again, "rada", &raw);
        assert_eq!(again, entry);
        let second = skip_positions(fields[0].1, 0, 3).unwrap();
        let third = skip_positions(fields[0].1, second, 1).unwrap();
        let mut one = Vec::new();
        put_doc_positions(&mut one, &[0]);
        assert_eq!(&fields[0].1[second..third], one.as_slice());
        assert_eq!(skip_positions(fields[0].1, third, 2), Ok(fields[0].1.len()));
        assert!(skip_positions(fields[0].1, third, 3).is_err());
        let read = field_positions(fields[0].1, &[4, 5, 9], &[3, 1, 2]).unwrap();
        assert_eq!(read, [4, 5, 9].into_iter().zip(docs).collect::<Vec<_>>());
        // Frequencies that do not fit the data are damage, whichever way they differ.
        assert!(field_positions(fields[0].1, &[4, 5, 9], &[3, 1, 1]).is_err());
        assert!(field_positions(fields[0].1, &[4, 5, 9], &[3, 1, 3]).is_err());
        assert!(field_positions(fields[0].1, &[4, 5], &[3, 1]).is_err());
    }

    #[test]
    fn a_position_file_names_each_entry_and_each_inflates_alone() {
        let mut rows = Vec::new();
        put_header(&mut rows, MAGIC_POSITIONS, 9);
        put_varint(&mut rows, 0); // no lexicon part
        let terms = ["dziennik", "rada", "ustawa"];
        put_varint(&mut rows, terms.len() as u64);
        for (i, t) in terms.iter().enumerate() {
            let positions = vec![(0..20 + i as u32 * 50).map(|p| p * 3).collect::<Vec<u32>>()];
            encode_position_entry(&mut rows, t, &[(Field::Body, positions)]);
        }
        let file = positions_file(&rows).unwrap();
        let head = read_positions_head(&file, 9).unwrap();
        assert_eq!(head.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), terms);
        assert_eq!(head[2].1 as usize, file.len());
        let mut start = positions_head_end(&file).unwrap() as usize;
        for (term, end) in &head {
            let entry = crate::codec::inflate(&file[start..*end as usize]).unwrap();
            assert_eq!(decode_position_entry(&entry).unwrap().0, term);
            start = *end as usize;
        }
        // The head alone is enough; another build is stale; a damaged head is refused.
        let head_end = positions_head_end(&file).unwrap() as usize;
        assert_eq!(read_positions_head(&file[..head_end], 9).unwrap(), head);
        assert_eq!(read_positions_head(&file, 8), Err(ShardError::Stale));
        assert!(read_positions_head(&file[..head_end - 1], 9).is_err());
        let mut damaged = file.clone();
        damaged[head_end - 3] ^= 1;
        assert!(read_positions_head(&damaged, 9).is_err());
    }
}
