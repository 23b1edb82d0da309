//! Benchmark of the comparison on long real text (bench/compare.sh runs it):
//!
//! ```sh
//! cargo run --release -p jawnik-compare --example bench -- STATUTE.txt OUT_DIR [OTHER.txt]
//! ```
//!
//! Reads a statute of the corpus (`../shared/corpora/ustawy/`, a `source:` and a `title:`
//! line, then hard-wrapped text), lays it out as Markdown (chapters `##`, articles `###`,
//! each ustęp, paragraf, punkt a paragraph) and makes a second version by seeded edits of
//! ours (no real amendment): words changed in 4% of paragraphs, 1% deleted, 1% inserted
//! (words of other paragraphs), 0.5% moved far. Writes both to `OUT_DIR/{old,new}.md` (for
//! timing `jawnik diff` on them and on PDFs made of them) and prints, best of 5 runs: reading
//! the blocks, the comparison, the page view and the JSON; then two worst cases: the first
//! text against `OTHER.txt` (a different statute: everything rewritten), against its own
//! blocks in reverse order (everything moved), and 3,000 identical short paragraphs against
//! the same with some changed (no unique paragraph to anchor on).
//! Last, the process's peak memory (`VmHWM`).

use std::time::{Duration, Instant};

use jawnik_compare::{compare, from_markdown, view, Options};

/// A small deterministic generator (64-bit LCG, high bits).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The statute's text as Markdown blocks: (heading level or 0, text).
fn statute_blocks(text: &str) -> Vec<(u8, String)> {
    let mut blocks: Vec<(u8, String)> = Vec::new();
    let mut open = false;
    for line in text.lines().skip(3) {
        let l = line.trim();
        if l.is_empty() {
            open = false;
            continue;
        }
        let starts_number = {
            let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
            let after = l[digits..].chars().next();
            (digits > 0 && matches!(after, Some('.') | Some(')')))
                || l.starts_with("§ ")
                || (l.len() > 2 && l.as_bytes()[1] == b')' && l.as_bytes()[0].is_ascii_lowercase())
        };
        let level = if l.starts_with("Art. ") && l.len() < 14 {
            3
        } else if ["Rozdział ", "DZIAŁ ", "TYTUŁ ", "Dział "]
            .iter()
            .any(|p| l.starts_with(p))
            && l.len() < 20
        {
            2
        } else {
            0
        };
        if level > 0 {
            blocks.push((level, l.to_string()));
            open = false;
        } else if open && !starts_number {
            let last = blocks.last_mut().expect("open");
            last.1.push(' ');
            last.1.push_str(l);
        } else {
            blocks.push((0, l.to_string()));
            open = true;
        }
    }
    blocks
}

fn markdown(blocks: &[(u8, String)]) -> String {
    let mut out = String::new();
    for (level, text) in blocks {
        if *level > 0 {
            out.push_str(&"#".repeat(usize::from(*level)));
            out.push(' ');
        }
        // Numbers stay text, not Markdown lists.
        let escaped = text.replacen(
            ". ",
            "\\. ",
            usize::from(*level == 0 && text.starts_with(|c: char| c.is_ascii_digit())),
        );
        if *level == 0 && escaped.starts_with(['-', '+', '>', '#', '=', '|']) {
            out.push('\\');
        }
        out.push_str(
            &escaped
                .replace(')', "\\)")
                .replace('*', "\\*")
                .replace('_', "\\_"),
        );
        out.push_str("\n\n");
    }
    out
}

/// The second version: seeded edits of paragraphs (headings kept).
fn edited(blocks: &[(u8, String)], seed: u64) -> (Vec<(u8, String)>, [usize; 4]) {
    let mut rng = Lcg(seed);
    let words: Vec<&str> = blocks.iter().flat_map(|(_, t)| t.split(' ')).collect();
    let mut out: Vec<(u8, String)> = Vec::new();
    let mut moved: Vec<(u8, String)> = Vec::new();
    let mut counts = [0usize; 4]; // changed, deleted, inserted, moved
    for (level, text) in blocks {
        if *level > 0 {
            out.push((*level, text.clone()));
            continue;
        }
        match rng.below(1000) {
            0..=39 => {
                let mut w: Vec<String> = text.split(' ').map(str::to_string).collect();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(w.len());
                    w[at] = words[rng.below(words.len())].to_string();
                }
                out.push((0, w.join(" ")));
                counts[0] += 1;
            }
            40..=49 => counts[1] += 1,
            50..=59 => {
                out.push((0, text.clone()));
                let n = 8 + rng.below(30);
                let start = rng.below(words.len().saturating_sub(n));
                out.push((0, words[start..start + n].join(" ")));
                counts[2] += 1;
            }
            60..=64 => {
                moved.push((0, text.clone()));
                counts[3] += 1;
            }
            _ => out.push((0, text.clone())),
        }
    }
    // Moved paragraphs go far: a third of the document away from the start, in turn.
    for (i, block) in moved.into_iter().enumerate() {
        let at = (out.len() / 3 + i * 97) % out.len().max(1);
        out.insert(at, block);
    }
    (out, counts)
}

/// The best time of 5 runs of `f`.
fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..5 {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        last = Some(v);
    }
    (best, last.expect("ran"))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench STATUTE.txt OUT_DIR [OTHER.txt]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).expect("readable statute");
    let old_blocks = statute_blocks(&text);
    let (new_blocks, counts) = edited(&old_blocks, 25);
    let (old_md, new_md) = (markdown(&old_blocks), markdown(&new_blocks));
    std::fs::create_dir_all(out_dir).expect("output folder");
    std::fs::write(format!("{out_dir}/old.md"), &old_md).expect("written");
    std::fs::write(format!("{out_dir}/new.md"), &new_md).expect("written");
    println!(
        "{input}: {} characters, {} blocks; edits: {} changed, {} deleted, {} inserted, {} moved",
        old_md.chars().count(),
        old_blocks.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
    let (t_read, (a, b)) = best(|| (from_markdown(&old_md, 1), from_markdown(&new_md, 1)));
    let options = Options::default();
    let (t_compare, c) = best(|| compare(&a, &b, &options));
    let (t_view, _) = best(|| view::page(&c, 1));
    let (t_json, json) = best(|| serde_json::to_string(&c).expect("serialisable"));
    let s = c.summary.counts;
    println!(
        "  found: {} changed, {} added, {} removed, {} moved, {} unchanged; {} changes",
        s.changed,
        s.added,
        s.removed,
        s.moved_here,
        s.unchanged,
        c.changes.len()
    );
    println!(
        "  read {}, compare {}, page view {}, JSON {} ({} bytes)",
        ms(t_read),
        ms(t_compare),
        ms(t_view),
        ms(t_json),
        json.len()
    );
    if let Some(other) = rest.first() {
        let other_md = markdown(&statute_blocks(
            &std::fs::read_to_string(other).expect("readable"),
        ));
        let o = from_markdown(&other_md, 1);
        let (t, c) = best(|| compare(&a, &o, &options));
        println!(
            "  worst case, another statute ({} blocks against {}): compare {}, {} changed, {} moved",
            a.len(),
            o.len(),
            ms(t),
            c.summary.counts.changed,
            c.summary.counts.moved_here
        );
    }
    let reversed: Vec<_> = a.iter().rev().cloned().collect();
    let (t, c) = best(|| compare(&a, &reversed, &options));
    println!(
        "  worst case, the same paragraphs in reverse order: compare {}, {} moved",
        ms(t),
        c.summary.counts.moved_here
    );
    let same: String = (0..3_000)
        .map(|i| format!("(uchylony {})\n\n", i % 3))
        .collect();
    let varied = same.replacen("(uchylony 1)", "(skreślony 1)", 300);
    let (x, y) = (from_markdown(&same, 1), from_markdown(&varied, 1));
    let (t, _) = best(|| compare(&x, &y, &options));
    println!(
        "  worst case, 3,000 repeated paragraphs, 300 changed: compare {}",
        ms(t)
    );
    println!("  peak memory (VmHWM): {}", peak_memory());
}
