//! Fuzz target: the heads part of a term chunk (`jawnik_web::format::decode_heads`), the first
//! page's postings of common words (issue #21). Untrusted bytes must be refused or read, never
//! crash; what is read is every pair's postings of documents inside the index, by ascending
//! document, with no more than its document frequency and a bound that is a score; and it
//! encodes back to bytes that read the same. The input is the number of documents (its first
//! two bytes) and the part's bytes.
#![no_main]

use jawnik_web::format::{decode_heads, encode_heads};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let num_docs = u64::from(u16::from_le_bytes([*a, *b]));
    let Ok(heads) = decode_heads(rest, num_docs) else {
        return;
    };
    for head in &heads {
        assert!(head.tail_bound.is_finite() && head.tail_bound >= 0.0);
        for pair in &head.pairs {
            let docs = &pair.postings.docs;
            assert!(docs.windows(2).all(|w| w[0] < w[1]), "documents ascending");
            assert!(docs.iter().all(|&d| u64::from(d) < num_docs));
            assert!(docs.len() as u64 <= pair.doc_freq && pair.doc_freq <= num_docs);
            assert_eq!(pair.postings.tfs.len(), docs.len());
        }
        let engine = head.engine_heads();
        assert_eq!(engine.len(), head.pairs.len());
    }
    assert_eq!(
        decode_heads(&encode_heads(&heads), num_docs).as_ref(),
        Ok(&heads)
    );
});
