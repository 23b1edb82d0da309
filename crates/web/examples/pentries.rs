use jawnik_web::format::{term_entry_spans, MAGIC_POSITIONS};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    for f in &args[1..] {
        let raw = std::fs::read(f).unwrap();
        let bytes = jawnik_web::codec::inflate(&raw).unwrap();
        let build = u64::from_le_bytes(bytes[4..12].try_into().unwrap());
        let (_, spans) = term_entry_spans(MAGIC_POSITIONS, build, &bytes).unwrap();
        let mut v: Vec<(usize, &str)> = spans.iter().map(|(t, r)| (r.len(), *t)).collect();
        v.sort();
        let big: Vec<String> = v
            .iter()
            .rev()
            .take(5)
            .map(|(n, t)| format!("{t}:{n}"))
            .collect();
        println!(
            "{f}: {} KB wire, {} entries, raw {} KB; biggest {}",
            raw.len() / 1024,
            spans.len(),
            bytes.len() / 1024,
            big.join(" ")
        );
    }
}
