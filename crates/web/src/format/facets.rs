//! The facets file, `f-<tag>.bin` ([`Facets`], magic [`MAGIC_FACETS`]): for each facet each
//! value with its documents, as a gap list or a bitmap, whichever is smaller; and each
//! document's date. The engine asks for it only when a request needs facets or dates
//! (filters, facet counts, sorting by date).

use crate::prelude::*;
use jawnik_engine::DocId;

use super::{put_gaps, put_header, read_doc_gaps, read_header, ShardError};
use crate::codec::{put_str, put_varint, Corrupt, Reader};

/// Magic of the facets file.
pub const MAGIC_FACETS: &[u8; 4] = b"JWF1";

/// One facet's values, each with its documents (ascending).
pub type FacetValues = Vec<(String, Vec<DocId>)>;

/// Facet tables and dates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// facet → value → documents (ascending).
    pub values: Vec<(String, FacetValues)>,
    /// Date of each document, days since 1970-01-01.
    pub dates: Vec<Option<i32>>,
}

impl Facets {
    /// Encodes; each value's documents as a delta list or a bitmap, whichever is smaller.
    pub fn encode(&self, build: u64) -> Vec<u8> {
        let num_docs = self.dates.len();
        let mut out = Vec::new();
        put_header(&mut out, MAGIC_FACETS, build);
        put_varint(&mut out, num_docs as u64);
        put_varint(&mut out, self.values.len() as u64);
        for (facet, values) in &self.values {
            put_str(&mut out, facet);
            put_varint(&mut out, values.len() as u64);
            for (value, docs) in values {
                put_str(&mut out, value);
                let mut list = Vec::new();
                put_gaps(&mut list, docs);
                let bitmap_len = num_docs.div_ceil(8);
                if list.len() <= bitmap_len {
                    out.push(0);
                    put_varint(&mut out, docs.len() as u64);
                    out.extend_from_slice(&list);
                } else {
                    out.push(1);
                    let mut bitmap = vec![0u8; bitmap_len];
                    for &d in docs {
                        bitmap[d as usize / 8] |= 1 << (d % 8);
                    }
                    out.extend_from_slice(&bitmap);
                }
            }
        }
        for date in &self.dates {
            // 0 = undated; otherwise zigzag(days) + 1.
            put_varint(
                &mut out,
                date.map_or(0, |d| (((d << 1) ^ (d >> 31)) as u32 as u64) + 1),
            );
        }
        out
    }

    /// Decodes.
    pub fn decode(build: u64, bytes: &[u8]) -> Result<Self, ShardError> {
        let mut r = Reader::new(bytes);
        read_header(&mut r, MAGIC_FACETS, build)?;
        let num_docs = r.varint()? as usize;
        if num_docs > bytes.len() {
            return Err(ShardError::Corrupt(Corrupt(
                "document count larger than the file",
            )));
        }
        let n = r.count()?;
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            let facet = r.str()?.to_string();
            let k = r.count()?;
            let mut list = Vec::with_capacity(k);
            for _ in 0..k {
                let value = r.str()?.to_string();
                let docs = match r.byte()? {
                    0 => {
                        let m = r.count()?;
                        read_doc_gaps(&mut r, m, num_docs as u64)?
                    }
                    1 => {
                        let bitmap = r.bytes(num_docs.div_ceil(8))?;
                        (0..num_docs as DocId)
                            .filter(|d| bitmap[*d as usize / 8] & (1 << (d % 8)) != 0)
                            .collect()
                    }
                    _ => return Err(ShardError::Corrupt(Corrupt("unknown facet encoding"))),
                };
                list.push((value, docs));
            }
            values.push((facet, list));
        }
        let mut dates = Vec::with_capacity(num_docs);
        for _ in 0..num_docs {
            let v = r.varint()?;
            dates.push((v != 0).then(|| {
                let z = (v - 1) as u32;
                ((z >> 1) as i32) ^ -((z & 1) as i32)
            }));
        }
        Ok(Facets { values, dates })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_round_trip_and_reject_other_builds() {
        let facets = Facets {
            values: vec![(
                "kind".into(),
                vec![
                    ("raport".into(), vec![0, 2, 3]),
                    ("program".into(), vec![1]),
                ],
            )],
            dates: vec![Some(17_676), None, Some(-5), Some(0)],
        };
        assert_eq!(Facets::decode(2, &facets.encode(2)).unwrap(), facets);
        assert_eq!(Facets::decode(3, &facets.encode(2)), Err(ShardError::Stale));
    }

    #[test]
    fn gaps_that_overflow_are_refused() {
        // Four documents; facet "kind", value "raport" as a gap list: 1, then 2^64 - 1.
        let mut bytes = Vec::new();
        put_header(&mut bytes, MAGIC_FACETS, 2);
        for v in [4, 1] {
            put_varint(&mut bytes, v);
        }
        put_str(&mut bytes, "kind");
        put_varint(&mut bytes, 1);
        put_str(&mut bytes, "raport");
        bytes.push(0);
        for v in [2, 1, u64::MAX] {
            put_varint(&mut bytes, v);
        }
        bytes.extend([0; 4]);
        assert!(matches!(
            Facets::decode(2, &bytes),
            Err(ShardError::Corrupt(_))
        ));
    }
}
