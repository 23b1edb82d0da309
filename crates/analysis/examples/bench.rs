//! Measures the analysis: dictionary load, lookups/s, document throughput (MB/s) over a folder
//! of `.txt` files, and SiteLexicon build/serialise/shard.
//!
//! `cargo run --release -p jawnik-analysis --example bench -- /work/shared/corpora/ustawy`

use std::collections::BTreeSet;
use std::time::Instant;

use jawnik_analysis::{analyze_query_word, Dictionary, DocumentAnalyzer, Lexicon, SiteLexicon};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/corpora/ustawy".into());
    let t = Instant::now();
    let dict = Dictionary::embedded();
    println!(
        "dictionary load: {:.2?} ({} forms, {} rule sets)",
        t.elapsed(),
        dict.len(),
        dict.rule_set_count()
    );

    let mut texts = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(&p).expect("utf-8 text"));
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let analyzer = DocumentAnalyzer::polish();
    let t = Instant::now();
    let mut tokens = 0usize;
    let mut lemmas = BTreeSet::new();
    let mut words: Vec<String> = Vec::new();
    for text in &texts {
        for tok in analyzer.analyze_text(text) {
            tokens += 1;
            if words.len() < 200_000 && tokens.is_multiple_of(7) {
                words.push(text[tok.start..tok.end].to_lowercase());
            }
            for term in tok.terms {
                lemmas.insert(term);
            }
        }
    }
    let el = t.elapsed();
    println!(
        "analyze_text (1 thread, incl. collecting terms): {} files, {:.1} MB, {} tokens in {:.2?} = {:.1} MB/s, {:.2} M tokens/s",
        texts.len(), bytes as f64 / 1e6, tokens, el, bytes as f64 / 1e6 / el.as_secs_f64(),
        tokens as f64 / 1e6 / el.as_secs_f64()
    );
    let t = Instant::now();
    let mut n = 0;
    for text in &texts {
        n += analyzer.analyze_text(text).len();
    }
    let el = t.elapsed();
    println!(
        "analyze_text only (Vec<Token>): {n} tokens, {:.1} MB/s",
        bytes as f64 / 1e6 / el.as_secs_f64()
    );
    let t = Instant::now();
    let mut n = 0;
    for text in &texts {
        analyzer.for_each_token(text, |t| n += t.terms.len());
    }
    let el = t.elapsed();
    println!(
        "for_each_token (no per-token allocation): {n} terms, {:.1} MB/s",
        bytes as f64 / 1e6 / el.as_secs_f64()
    );
    let t = Instant::now();
    let n = std::thread::scope(|sc| {
        let handles: Vec<_> = texts
            .chunks(texts.len().div_ceil(2).max(1))
            .map(|chunk| {
                let analyzer = &analyzer;
                sc.spawn(move || {
                    let mut n = 0;
                    for text in chunk {
                        analyzer.for_each_token(text, |t| n += t.terms.len());
                    }
                    n
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .sum::<usize>()
    });
    let el = t.elapsed();
    println!(
        "for_each_token, 2 threads sharing one analyzer: {n} terms, {:.1} MB/s",
        bytes as f64 / 1e6 / el.as_secs_f64()
    );

    let t = Instant::now();
    let mut out = Vec::new();
    let mut hits = 0;
    for w in &words {
        out.clear();
        let f = jawnik_analysis::fold(w);
        hits += usize::from(dict.lemmas_of_form(w, &f, &mut out));
    }
    let el = t.elapsed();
    println!(
        "exact form lookups: {} in {:.2?} = {:.2} M/s ({} hits)",
        words.len(),
        el,
        words.len() as f64 / 1e6 / el.as_secs_f64(),
        hits
    );
    let folded: Vec<String> = words.iter().map(|w| jawnik_analysis::fold(w)).collect();
    let t = Instant::now();
    let mut entries = 0;
    for f in &folded {
        entries += dict.lookup(f).len();
    }
    let el = t.elapsed();
    println!(
        "folded Lexicon::lookup on the dictionary: {:.2} M/s ({} entries)",
        folded.len() as f64 / 1e6 / el.as_secs_f64(),
        entries
    );

    let t = Instant::now();
    let site = SiteLexicon::build(dict, &lemmas);
    println!(
        "SiteLexicon::build from {} terms: {:.2?} -> {} folded forms, {} forms",
        lemmas.len(),
        t.elapsed(),
        site.len(),
        site.form_count()
    );
    let t = Instant::now();
    let b = site.to_bytes();
    println!("to_bytes: {} B in {:.2?}", b.len(), t.elapsed());
    let t = Instant::now();
    let back = SiteLexicon::from_bytes(&b).expect("roundtrip");
    println!("from_bytes: {:.2?} (equal: {})", t.elapsed(), back == site);
    let shards = site.shards();
    let sizes: Vec<usize> = shards.values().map(|s| s.to_bytes().len()).collect();
    println!(
        "shards: {} (max {} B, mean {} B)",
        shards.len(),
        sizes.iter().max().unwrap_or(&0),
        sizes.iter().sum::<usize>() / sizes.len().max(1)
    );
    let t = Instant::now();
    let mut nt = 0;
    for w in &words {
        nt += analyze_query_word(w, &site).terms.len();
    }
    let el = t.elapsed();
    println!(
        "analyze_query_word on SiteLexicon: {:.2} M/s ({nt} terms)",
        words.len() as f64 / 1e6 / el.as_secs_f64()
    );
    let _ = site.lookup("x");
}
