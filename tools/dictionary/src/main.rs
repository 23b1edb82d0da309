//! Converts a `form<TAB>lemma<TAB>tag` dump of Morfologik's `polish.dict` (made by
//! `DumpDict.java`) into jawnik's compact dictionary format.
//!
//! Usage: `jawnik-dictionary-tool polish.tsv out.jwd`

use std::io::{BufRead, BufReader, Write};
use std::time::Instant;

use jawnik_analysis::DictionaryBuilder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: {} <polish.tsv> <out.jwd>", args[0]);
        std::process::exit(2);
    }
    let t = Instant::now();
    let input = BufReader::with_capacity(1 << 20, std::fs::File::open(&args[1])?);
    let mut b = DictionaryBuilder::new();
    let mut lines = 0usize;
    for line in input.lines() {
        let line = line?;
        let mut parts = line.split('\t');
        if let (Some(form), Some(lemma)) = (parts.next(), parts.next()) {
            b.add(form, lemma);
            lines += 1;
        }
    }
    let skipped = b.skipped;
    let (bytes, stats) = b.finish();
    std::fs::File::create(&args[2])?.write_all(&bytes)?;
    eprintln!(
        "{lines} pairs ({skipped} skipped) -> {} forms, {} rules, {} rule sets; fst {} B, file {} B; {:.1?}",
        stats.forms, stats.rules, stats.rule_sets, stats.fst_bytes, stats.total_bytes, t.elapsed()
    );
    Ok(())
}
