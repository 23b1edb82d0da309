//! Tests of `export::patch`: a patch of term and position chunks gives the bytes a full
//! export makes of the edited postings.

use super::*;
use jawnik_web::format::{encode_position_entry, put_terms_header};

/// Term → field → document → positions.
type Postings = BTreeMap<&'static str, BTreeMap<Field, BTreeMap<u32, Vec<u32>>>>;

/// A term or position chunk kept in rows, holding `entries` (term order).
fn chunk(magic: &[u8; 4], entries: &[Vec<u8>]) -> Chunk {
    let mut raw = Vec::new();
    put_terms_header(&mut raw, magic, 0, &[], entries.len());
    entries.iter().for_each(|e| raw.extend_from_slice(e));
    Chunk::new(String::new(), raw)
}

/// A term's entry in the term chunk: documents, frequencies, norms.
fn term_postings(fields: &BTreeMap<Field, BTreeMap<u32, Vec<u32>>>) -> Vec<FieldPostings> {
    fields
        .iter()
        .map(|(field, docs)| FieldPostings {
            field: *field,
            docs: docs.keys().copied().collect(),
            tfs: docs.values().map(|p| p.len() as u32).collect(),
            norms: docs.keys().map(|&d| d as u8 + 3).collect(),
            positions: Vec::new(),
            sections: Vec::new(),
        })
        .collect()
}

/// The term and position chunks a full export makes of `postings`.
fn chunks_of(postings: &Postings) -> (Chunk, Chunk) {
    let (mut terms, mut positions) = (Vec::new(), Vec::new());
    for (term, fields) in postings {
        let mut entry = Vec::new();
        encode_term_entry(&mut entry, term, &term_postings(fields));
        terms.push(entry);
        let mut entry = Vec::new();
        let fields: Vec<_> = fields
            .iter()
            .map(|(f, docs)| (*f, docs.values().cloned().collect()))
            .collect();
        encode_position_entry(&mut entry, term, &fields);
        positions.push(entry);
    }
    (
        chunk(MAGIC_TERM_ROWS, &terms),
        chunk(MAGIC_POSITIONS, &positions),
    )
}

/// What document `ord` puts into the term and position chunks.
fn contribution(postings: &Postings, ord: u32) -> [BTreeMap<String, Vec<FieldPostings>>; 2] {
    let (mut terms, mut positions) = (BTreeMap::new(), BTreeMap::new());
    for (term, fields) in postings {
        let mine: BTreeMap<Field, BTreeMap<u32, Vec<u32>>> = fields
            .iter()
            .filter_map(|(f, docs)| {
                let p = docs.get(&ord)?;
                Some((*f, BTreeMap::from([(ord, p.clone())])))
            })
            .collect();
        if mine.is_empty() {
            continue;
        }
        terms.insert(term.to_string(), term_postings(&mine));
        let fields = mine
            .iter()
            .map(|(f, docs)| FieldPostings {
                field: *f,
                docs: vec![ord],
                tfs: Vec::new(),
                norms: Vec::new(),
                positions: docs.values().cloned().collect(),
                sections: Vec::new(),
            })
            .collect();
        positions.insert(term.to_string(), fields);
    }
    [terms, positions]
}

#[test]
fn a_patch_splices_positions_into_the_bytes_a_full_export_makes() {
    let (body, attachments) = (Field::Body, Field::Attachments);
    let positions = |list: &[u32]| list.to_vec();
    let before: Postings = BTreeMap::from([
        (
            "akt",
            BTreeMap::from([
                (
                    body,
                    BTreeMap::from([
                        (0, positions(&[1, 5, 300])),
                        (1, positions(&[2, 200])),
                        (2, positions(&[7])),
                    ]),
                ),
                (attachments, BTreeMap::from([(1, positions(&[4]))])),
            ]),
        ),
        (
            "rada",
            BTreeMap::from([(attachments, BTreeMap::from([(1, positions(&[9, 10]))]))]),
        ),
        (
            "sejm",
            BTreeMap::from([(body, BTreeMap::from([(2, positions(&[3, 130_000]))]))]),
        ),
        // Not in document 1: its entry is kept, and its compressed bytes reused.
        (
            "zarząd",
            BTreeMap::from([(body, BTreeMap::from([(0, positions(&[40, 41]))]))]),
        ),
    ]);
    // Document 1 edited: other positions of "akt" in the body, none in its attachments;
    // "rada" gone from the site, "gmina" new to it, "sejm" now in it too.
    let mut after = before.clone();
    after.get_mut("akt").unwrap().remove(&attachments);
    after
        .get_mut("akt")
        .unwrap()
        .get_mut(&body)
        .unwrap()
        .insert(1, positions(&[3, 4, 150]));
    after.remove("rada");
    after.insert(
        "gmina",
        BTreeMap::from([(body, BTreeMap::from([(1, positions(&[0]))]))]),
    );
    after
        .get_mut("sejm")
        .unwrap()
        .get_mut(&body)
        .unwrap()
        .insert(1, positions(&[8]));

    let (terms, positions_chunk) = chunks_of(&before);
    let mut terms = vec![terms];
    let mut position_chunks = vec![positions_chunk];
    // The file as served before the edit: the patched chunk's takes its kept entries.
    let served_before = position_chunks[0].file().to_vec();
    let [old_terms, old_positions] = contribution(&before, 1);
    let [new_terms, new_positions] = contribution(&after, 1);
    let mut decoded = HashMap::new();
    patch_chunks(
        &mut position_chunks,
        Entries::Positions(&terms),
        (3, 1),
        &old_positions,
        &new_positions,
        &mut BTreeMap::new(),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded.len(), 3, "akt, rada, sejm decoded once");
    let mut presence = BTreeMap::new();
    patch_chunks(
        &mut terms,
        Entries::Terms,
        (3, 1),
        &old_terms,
        &new_terms,
        &mut presence,
        &mut decoded,
    )
    .unwrap();
    assert!(decoded.is_empty(), "each taken by its term's patch");

    let (expected_terms, expected_positions) = chunks_of(&after);
    assert!(terms[0].raw == expected_terms.raw);
    assert!(position_chunks[0].raw == expected_positions.raw);
    assert!(position_chunks[0].previous.lock().unwrap().is_some());
    let file = position_chunks[0].file();
    assert!(file == positions_file(&expected_positions.raw).unwrap().as_slice());
    assert!(file != served_before.as_slice());
    assert!(
        position_chunks[0].previous.lock().unwrap().is_none(),
        "let go"
    );
    assert_eq!(presence["rada"], (true, false));
    assert_eq!(presence["gmina"], (false, true));
}
