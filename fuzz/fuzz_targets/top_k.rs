//! Fuzz target: the search that stops early (`jawnik_engine::top`) against the exhaustive
//! one. The input is a small site and a query: segments separated by 0xFF are documents (a
//! 0xFE in a segment ends its title), the last segment the query; every byte is a word of a
//! small vocabulary (inflected forms of a few lemmas and two stop words), and in the query its
//! high bits add operators (`-`, `*`, quotation marks, `OR`). The postings are cut by impact as
//! an exporter cuts them, and the first k results (k = 1, 3, 10; without a filter and with a
//! kind filter) must be the exhaustive search's to the bit, whether the search stopped early or
//! not; a search that did not stop early must give the exhaustive answer whole.
#![no_main]

use jawnik_engine::memory::{exhaustive, top_lazily, MemoryIndex};
use jawnik_engine::{parse, Filters};
use libfuzzer_sys::fuzz_target;

/// Lemmas of the vocabulary; each word byte picks a lemma and one of three forms.
const LEMMAS: [&str; 10] = [
    "rada", "ustawa", "miasto", "program", "dom", "sport", "kultura", "woda", "park", "szkola",
];

fn word(byte: u8) -> String {
    match byte % 32 {
        30 => "i".into(),
        31 => "w".into(),
        b => {
            let lemma = LEMMAS[(b as usize / 3) % LEMMAS.len()];
            match b % 3 {
                0 => lemma.to_string(),
                1 => format!("{lemma}ach"),
                _ => format!("{lemma}y"),
            }
        }
    }
}

fn lemma(word: &str) -> Vec<String> {
    if word == "i" || word == "w" {
        return Vec::new();
    }
    let stem = word.strip_suffix("ach").or_else(|| word.strip_suffix('y'));
    vec![stem.unwrap_or(word).to_string()]
}

/// The query's text: each byte a word; bits 5–7 an operator.
fn query_text(bytes: &[u8]) -> String {
    let mut text = String::new();
    let mut in_phrase = false;
    for &b in bytes.iter().take(12) {
        if !text.is_empty() {
            text.push(' ');
        }
        match b >> 5 {
            1 if !in_phrase => text.push('-'),
            2 if !in_phrase => {
                text.push('"');
                in_phrase = true;
            }
            3 if !in_phrase && !text.is_empty() => text.push_str("OR "),
            _ => {}
        }
        text.push_str(&word(b));
        match b >> 5 {
            4 if !in_phrase => text.push('*'),
            5 | 6 if in_phrase => {
                text.push('"');
                in_phrase = false;
            }
            _ => {}
        }
    }
    if in_phrase {
        text.push('"');
    }
    text
}

fuzz_target!(|data: &[u8]| {
    let mut segments: Vec<&[u8]> = data.split(|&b| b == 0xFF).collect();
    let Some(query_bytes) = segments.pop() else {
        return;
    };
    if segments.is_empty() || segments.len() > 300 {
        return;
    }
    let Ok(query) = parse(&query_text(query_bytes)) else {
        return;
    };
    let mut index = MemoryIndex::new(lemma);
    for (i, segment) in segments.iter().enumerate() {
        let (title, body) = match segment.iter().position(|&b| b == 0xFE) {
            Some(at) => (&segment[..at], &segment[at + 1..]),
            None => (&segment[..0], *segment),
        };
        let words = |bytes: &[u8]| bytes.iter().map(|&b| word(b)).collect::<Vec<_>>();
        index.add(&words(title), &words(body), ["raport", "program"][i % 2]);
    }
    // Heads of 16 documents, then every document (at most 300 here: under the next tier's 256
    // for most inputs; a third tier covers the rest).
    index.cut(3);
    let mut kind = Filters::default();
    kind.add("kind", "raport");
    for filters in [Filters::default(), kind] {
        let reference = exhaustive(&mut index, &query, &filters);
        for k in [1, 3, 10] {
            index.unload();
            let (top, _) = top_lazily(&mut index, &query, &filters, k, 100);
            let first = |o: &jawnik_engine::Outcome| -> Vec<(u32, u32, u32)> {
                (o.hits.iter().take(k))
                    .map(|h| (h.doc, h.score.to_bits(), h.missing))
                    .collect()
            };
            assert_eq!(first(&top), first(&reference), "k = {k}, {query:?}");
            assert_eq!(top.clauses, reference.clauses);
            assert_eq!(top.highlight, reference.highlight);
            match top.estimated_total {
                Some(_) => assert!(top.hits.len() == k && top.all_words >= k),
                None => assert_eq!(top, reference, "a search that did not stop early"),
            }
        }
    }
});
