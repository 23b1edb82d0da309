//! Document records, `d/…`: what a result shows of a document ([`DocRecord`]: URL, title,
//! kind, date, summary, headings with their anchors, attachments and their parts).
//!
//! The exporter keeps a chunk of records one after another ([`MAGIC_DOCS`], [`encode_docs`]);
//! the file written to `search/` ([`MAGIC_DOC_FILE`], [`docs_file`]) gives every record a slot
//! of the same size, each record compressed on its own, so that a host answering Range
//! requests can serve one record from an offset the engine computes ([`record_slot`]); a
//! record too big for its slot is kept after the slots and its slot points to it.

use crate::prelude::*;
use jawnik_analysis::slugify;

use super::{
    fixed_start_last, put_header, read_gap, read_header, stamped_build, ShardError, HEADER_LEN,
};
use crate::codec::{put_str, put_varint, Corrupt, Reader};

/// Document records as the exporter keeps them: one after another ([`encode_docs`]).
pub const MAGIC_DOCS: &[u8; 4] = b"JWD6";
/// Document files: a fixed start, then one slot of the same size per record, each record
/// compressed on its own ([`docs_file`]), so that a host answering Range requests can serve a
/// single record from an offset the engine computes.
pub const MAGIC_DOC_FILE: &[u8; 4] = b"JWD5";

/// What a result shows of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocRecord {
    /// Absolute path of the page (with the base path).
    pub url: String,
    /// Title or name.
    pub title: String,
    /// Kind.
    pub kind: String,
    /// `YYYY-MM-DD` or empty.
    pub date: String,
    /// The summary (possibly shortened).
    pub summary: String,
    /// Headings: (body word position where the section starts, text, anchor).
    pub headings: Vec<(u32, String, String)>,
    /// Attachments: (title, absolute link).
    pub attachments: Vec<(String, String)>,
    /// Whether it is an earlier version of a document ("wersja archiwalna").
    pub archival: bool,
    /// Parts of the attachments field: (word position where the part starts, attachment
    /// index, page: 1-based for a PDF page, 0 for a title or a text without pages). An
    /// attachments posting's section k (≥ 1) is part k − 1.
    pub parts: Vec<(u32, u32, u32)>,
}

/// Encodes a chunk of records.
pub fn encode_docs(build: u64, docs: &[DocRecord]) -> Vec<u8> {
    let mut out = Vec::new();
    put_header(&mut out, MAGIC_DOCS, build);
    put_varint(&mut out, docs.len() as u64);
    for d in docs {
        encode_record(&mut out, d);
    }
    out
}

/// Appends one record.
fn encode_record(out: &mut Vec<u8>, d: &DocRecord) {
    for s in [&d.url, &d.title, &d.kind, &d.date, &d.summary] {
        put_str(out, s);
    }
    // The number of headings, shifted left by one, carries the archival flag in its low bit:
    // a record of fewer than 64 headings takes the byte it took without the flag.
    put_varint(out, (d.headings.len() as u64) << 1 | u64::from(d.archival));
    let mut prev = 0;
    for (pos, text, anchor) in &d.headings {
        // Positions ascend: deltas. The anchor is left out (empty) when it is the slug of
        // the text, as it is unless two headings share a text.
        put_varint(out, u64::from(pos.saturating_sub(prev)));
        prev = *pos;
        put_str(out, text);
        put_str(
            out,
            if *anchor == slugify(text) && !anchor.is_empty() {
                ""
            } else {
                anchor
            },
        );
    }
    put_varint(out, d.attachments.len() as u64);
    for (title, url) in &d.attachments {
        put_str(out, title);
        put_str(out, url);
    }
    put_varint(out, d.parts.len() as u64);
    let mut prev = 0;
    for &(start, attachment, page) in &d.parts {
        put_varint(out, u64::from(start - prev));
        put_varint(out, u64::from(attachment));
        put_varint(out, u64::from(page));
        prev = start;
    }
}

/// Length of a document file's fixed start: magic, build, number of records, slot size.
pub const DOCS_FIXED_LEN: usize = HEADER_LEN + 8;
/// Record slots are a multiple of this many bytes (the meta keeps the size in these units).
pub const SLOT_UNIT: usize = 8;
/// A slot holds at least a pointer to a record kept after the slots: a zero length, then
/// where the record starts and ends (u32 each).
pub(super) const MIN_SLOT: usize = 2 + 8;

/// Where record `k`'s slot lies in a document file of slots of `slot` bytes.
pub fn record_slot(k: usize, slot: u32) -> (u32, u32) {
    let start = DOCS_FIXED_LEN as u32 + k as u32 * slot;
    (start, start + slot)
}

/// The slot size for records compressed to these lengths: the largest record (with its
/// two-byte length) fits, unless it is an outlier (over 1.5 × the 90th percentile): such a
/// record is kept after the slots and its slot points to it. A multiple of [`SLOT_UNIT`].
fn slot_size(blobs: &[Vec<u8>]) -> usize {
    let mut needs: Vec<usize> = blobs.iter().map(|b| b.len() + 2).collect();
    needs.sort_unstable();
    let p90 = needs
        .get(needs.len().saturating_sub(1) * 9 / 10)
        .copied()
        .unwrap_or(0);
    let cap = (p90 * 3 / 2).min(usize::from(u16::MAX));
    let largest = needs
        .iter()
        .rev()
        .find(|&&n| n <= cap)
        .copied()
        .unwrap_or(0);
    largest.max(MIN_SLOT).next_multiple_of(SLOT_UNIT)
}

/// A document file made from a chunk of records kept in rows (stamped with its build): the
/// fixed start ([`DOCS_FIXED_LEN`]: magic, build, `n`, the slot size), then `n` slots of the
/// same size ([`record_slot`]), then the records too big for a slot. A slot holds its record
/// raw-DEFLATE compressed and sealed on its own (`codec::deflate`) after a u16 length, then
/// zeros; or a zero length and where its record lies after the slots. The meta keeps each
/// file's slot size, so where a host answers Range requests a browser fetches the slots of the
/// records it shows, and nothing else; elsewhere the whole file. The build is outside the
/// compressed parts, so they are the same in every build.
pub fn docs_file(rows: &[u8]) -> Result<Vec<u8>, ShardError> {
    let build = stamped_build(rows).ok_or(Corrupt("not a document chunk"))?;
    let blobs: Vec<Vec<u8>> = decode_docs(build, rows)?
        .iter()
        .map(|d| {
            let mut raw = Vec::new();
            encode_record(&mut raw, d);
            crate::codec::deflate(&raw)
        })
        .collect();
    let slot = slot_size(&blobs);
    let mut out = Vec::new();
    put_header(&mut out, MAGIC_DOC_FILE, build);
    out.extend_from_slice(&(blobs.len() as u32).to_le_bytes());
    out.extend_from_slice(&(slot as u32).to_le_bytes());
    let mut after = DOCS_FIXED_LEN + blobs.len() * slot;
    let mut outliers = Vec::new();
    for blob in &blobs {
        let start = out.len();
        if blob.len() + 2 <= slot {
            out.extend_from_slice(&(blob.len() as u16).to_le_bytes());
            out.extend_from_slice(blob);
        } else {
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&(after as u32).to_le_bytes());
            after += blob.len();
            out.extend_from_slice(&(after as u32).to_le_bytes());
            outliers.push(blob);
        }
        out.resize(start + slot, 0);
    }
    for blob in outliers {
        out.extend_from_slice(blob);
    }
    Ok(out)
}

/// The slot size of a document file (from its fixed start).
pub fn docs_slot(file: &[u8]) -> Option<u32> {
    fixed_start_last(file)
}

/// What a record's slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordSlot<'a> {
    /// The record, compressed and sealed.
    Here(&'a [u8]),
    /// Where in the file the record lies instead (after the slots: it did not fit).
    Elsewhere(u32, u32),
}

/// Reads one slot of a document file of `n` records (`bytes`: the slot's bytes).
pub fn read_record_slot(bytes: &[u8], n: usize) -> Result<RecordSlot<'_>, Corrupt> {
    let mut r = Reader::new(bytes);
    let len = u16::from_le_bytes(r.bytes(2)?.try_into().unwrap_or_default()) as usize;
    let slot = if len > 0 {
        RecordSlot::Here(r.bytes(len)?)
    } else {
        let (start, end) = (r.fixed_u32()?, r.fixed_u32()?);
        let slots_end = record_slot(n, bytes.len() as u32).0;
        if start < slots_end || end <= start {
            return Err(Corrupt("a record slot points into the slots"));
        }
        RecordSlot::Elsewhere(start, end)
    };
    if r.rest().iter().any(|&b| b != 0) {
        return Err(Corrupt("damaged: a record slot's padding is not zero"));
    }
    Ok(slot)
}

/// Checks a document file's fixed start (`bytes` may go on past it): its build, that it holds
/// `n` records in slots of `slot` bytes.
pub fn read_docs_start(bytes: &[u8], build: u64, n: usize, slot: u32) -> Result<(), ShardError> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, MAGIC_DOC_FILE, build)?;
    if r.fixed_u32()? as usize != n {
        return Err(Corrupt("a document chunk of another size").into());
    }
    if r.fixed_u32()? != slot {
        return Err(Corrupt("a document file of another slot size").into());
    }
    Ok(())
}

/// Every record of a whole document file of `n` records in slots of `slot` bytes.
pub fn read_docs_file(
    bytes: &[u8],
    build: u64,
    n: usize,
    slot: u32,
) -> Result<Vec<DocRecord>, ShardError> {
    read_docs_start(bytes, build, n, slot)?;
    let mut end = record_slot(n, slot).0 as usize;
    let mut records = Vec::with_capacity(n);
    for k in 0..n {
        let (a, b) = record_slot(k, slot);
        let slot_bytes = bytes
            .get(a as usize..b as usize)
            .ok_or(Corrupt("a document file is cut short"))?;
        let blob = match read_record_slot(slot_bytes, n)? {
            RecordSlot::Here(blob) => blob,
            RecordSlot::Elsewhere(a, b) => {
                // The records after the slots follow one another in order.
                if a as usize != end {
                    return Err(Corrupt("a document file's records overlap").into());
                }
                end = b as usize;
                bytes
                    .get(a as usize..end)
                    .ok_or(Corrupt("a document file is cut short"))?
            }
        };
        records.push(decode_record(&crate::codec::inflate(blob)?)?);
    }
    if bytes.len() != end {
        return Err(Corrupt("a document file of another length").into());
    }
    Ok(records)
}

/// One record, inflated from its own stream in a document file.
pub fn decode_record(bytes: &[u8]) -> Result<DocRecord, ShardError> {
    let mut r = Reader::new(bytes);
    let record = read_record(&mut r)?;
    if !r.at_end() {
        return Err(Corrupt("trailing bytes").into());
    }
    Ok(record)
}

/// Decodes a chunk of records.
pub fn decode_docs(build: u64, bytes: &[u8]) -> Result<Vec<DocRecord>, ShardError> {
    let mut r = Reader::new(bytes);
    read_header(&mut r, MAGIC_DOCS, build)?;
    let n = r.count()?;
    let mut docs = Vec::with_capacity(n);
    for _ in 0..n {
        docs.push(read_record(&mut r)?);
    }
    Ok(docs)
}

/// Reads one record.
fn read_record(r: &mut Reader) -> Result<DocRecord, ShardError> {
    let mut s = || r.str().map(str::to_string);
    let (url, title, kind, date, summary) = (s()?, s()?, s()?, s()?, s()?);
    let flagged = r.varint()?;
    let (k, archival) = ((flagged >> 1) as usize, flagged & 1 == 1);
    if k > r.remaining() {
        return Err(Corrupt("count larger than the shard").into());
    }
    let mut headings = Vec::with_capacity(k);
    let mut position: u32 = 0;
    for _ in 0..k {
        position = read_gap(r, position)?;
        let text = r.str()?.to_string();
        let anchor = match r.str()? {
            "" => slugify(&text),
            anchor => anchor.to_string(),
        };
        headings.push((position, text, anchor));
    }
    let k = r.count()?;
    let mut attachments = Vec::with_capacity(k);
    for _ in 0..k {
        attachments.push((r.str()?.to_string(), r.str()?.to_string()));
    }
    let k = r.count()?;
    let mut parts = Vec::with_capacity(k);
    let mut start: u32 = 0;
    for _ in 0..k {
        start = read_gap(r, start)?;
        let attachment = r.u32()?;
        if attachment as usize >= attachments.len() {
            return Err(ShardError::Corrupt(Corrupt("attachment out of range")));
        }
        parts.push((start, attachment, r.u32()?));
    }
    Ok(DocRecord {
        url,
        title,
        kind,
        date,
        summary,
        headings,
        attachments,
        archival,
        parts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_leave_out_anchors_that_are_slugs() {
        let docs = vec![DocRecord {
            url: "/a/".into(),
            title: "Ł".into(),
            kind: "raport".into(),
            date: "".into(),
            summary: "s".into(),
            headings: vec![(3, "H".into(), "h".into())],
            attachments: vec![("Załącznik".into(), "/pliki/a.pdf".into())],
            archival: true,
            parts: vec![(0, 0, 0), (103, 0, 1), (250, 0, 2)],
        }];
        assert_eq!(decode_docs(1, &encode_docs(1, &docs)).unwrap(), docs);
        // The archival flag rides on the headings' count: no byte more than without it.
        let latest = vec![DocRecord {
            archival: false,
            ..docs[0].clone()
        }];
        assert_eq!(decode_docs(1, &encode_docs(1, &latest)).unwrap(), latest);
        assert_eq!(encode_docs(1, &docs).len(), encode_docs(1, &latest).len());

        // Anchors that are the slug of their text are left out; others (a repeated text's
        // "-2", the fallback of a text without letters) are kept.
        let headings = vec![
            (3, "Art. 2.".to_string(), "art-2".to_string()),
            (40, "Cele programu".to_string(), "cele-programu".to_string()),
            (95, "Art. 2.".to_string(), "art-2-2".to_string()),
            (96, "—".to_string(), "sekcja".to_string()),
        ];
        let with = DocRecord {
            headings,
            ..DocRecord::default()
        };
        let encoded = encode_docs(1, core::slice::from_ref(&with));
        assert_eq!(decode_docs(1, &encoded).unwrap(), vec![with.clone()]);
        let spelled_out: usize = with.headings.iter().map(|h| h.2.len() + 1).sum();
        let without_anchors = encode_docs(
            1,
            &[DocRecord {
                headings: with
                    .headings
                    .iter()
                    .map(|(p, t, _)| (*p, t.clone(), String::new()))
                    .collect(),
                ..DocRecord::default()
            }],
        );
        assert_eq!(
            encoded.len(),
            without_anchors.len() + "art-2-2".len() + "sekcja".len(),
            "only the two anchors that are not slugs are stored ({spelled_out} bytes spelled out)"
        );
        assert_eq!(decode_docs(2, &encoded), Err(ShardError::Stale));
    }

    #[test]
    fn a_document_file_is_read_whole_or_record_by_record() {
        // Ten records of about the same size and one far bigger, kept after the slots.
        let docs: Vec<DocRecord> = (0..11)
            .map(|i| DocRecord {
                url: format!("/d{i}/"),
                title: "Tytuł".into(),
                summary: if i == 4 {
                    (0..400).map(|w| format!("słowo{w} ")).collect()
                } else {
                    format!("Streszczenie {i} ").repeat(20)
                },
                ..DocRecord::default()
            })
            .collect();
        let file = docs_file(&encode_docs(5, &docs)).unwrap();
        let slot = docs_slot(&file).unwrap();
        assert_eq!(slot as usize % SLOT_UNIT, 0);
        assert_eq!(read_docs_file(&file, 5, 11, slot).unwrap(), docs);
        assert!(read_docs_file(&file[..file.len() - 1], 5, 11, slot).is_err());
        assert_eq!(read_docs_file(&file, 6, 11, slot), Err(ShardError::Stale));
        assert!(matches!(
            read_docs_file(&file, 5, 10, slot),
            Err(ShardError::Corrupt(_))
        ));
        assert!(read_docs_start(&file, 5, 11, slot + SLOT_UNIT as u32).is_err());
        // Each record inflates on its own, from the slot the engine computes, or from where
        // its slot points.
        let read = |(a, b): (u32, u32)| &file[a as usize..b as usize];
        for (k, doc) in docs.iter().enumerate() {
            let blob = match read_record_slot(read(record_slot(k, slot)), 11).unwrap() {
                RecordSlot::Here(blob) => blob,
                RecordSlot::Elsewhere(a, b) => {
                    assert_eq!(k, 4, "record {k} did not fit its slot");
                    assert_eq!(b as usize, file.len());
                    read((a, b))
                }
            };
            assert!(k != 4 || blob.len() > slot as usize);
            let record = decode_record(&crate::codec::inflate(blob).unwrap()).unwrap();
            assert_eq!(&record, doc);
        }
        // A slot damaged anywhere is refused: in the record (its checksum), its length or its
        // padding.
        let (a, b) = record_slot(2, slot);
        for at in a..b {
            let mut damaged = read((a, b)).to_vec();
            damaged[(at - a) as usize] ^= 0x10;
            let read = read_record_slot(&damaged, 11)
                .map_err(ShardError::from)
                .and_then(|s| match s {
                    RecordSlot::Here(blob) => Ok(crate::codec::inflate(blob)?),
                    RecordSlot::Elsewhere(..) => Err(Corrupt("moved").into()),
                })
                .and_then(|raw| decode_record(&raw));
            assert!(
                read.is_err(),
                "a flipped bit at byte {at} of a slot was accepted"
            );
        }
    }
}
