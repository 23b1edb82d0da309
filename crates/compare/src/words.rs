//! Word level: the insertions and deletions inside a changed paragraph (Myers' diff from the
//! `similar` crate over word, space and punctuation tokens), and how alike two paragraphs are
//! (the Dice coefficient of their multisets of lowercased words), which decides whether a
//! deleted and an inserted paragraph are one changed paragraph or a move.
//!
//! Changes separated only by spaces or a little punctuation are merged (`[-a b-]{+c d+}`, not
//! `[-a-]{+c+} [-b-]{+d+}`): what a reader takes in as one edit. A paragraph of more than
//! [`MAX_TOKENS`] tokens is compared by sentences instead of words, and one of more than that
//! many sentences is shown deleted and inserted whole, so no pair of paragraphs costs more
//! than a bounded diff (the bound is by size, never by time: the result is deterministic).

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp};
use std::collections::HashMap;

/// The most tokens of one paragraph diffed word by word (about 2,000 words).
pub const MAX_TOKENS: usize = 4_000;

/// What a piece of text is in a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// In both versions.
    Same,
    /// Only in the old version.
    Del,
    /// Only in the new version.
    Ins,
}

/// A run of text with one [`Op`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

impl Segment {
    pub fn new(op: Op, text: impl Into<String>) -> Segment {
        Segment {
            op,
            text: text.into(),
        }
    }
}

/// Word, whitespace and punctuation tokens: runs of letters and digits, runs of whitespace,
/// and every other character alone.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut class = 0u8;
    for (i, c) in text.char_indices() {
        let c_class = if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        };
        if i > start && (c_class != class || c_class == 3) {
            out.push(&text[start..i]);
            start = i;
        }
        class = c_class;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Sentences (each with the spaces after it): cut after `.`, `;`, `:`, `!`, `?` followed by
/// a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_end = false;
    for (i, c) in text.char_indices() {
        if prev_end && !c.is_whitespace() && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        if matches!(c, '.' | ';' | ':' | '!' | '?') {
            prev_end = true;
        } else if !c.is_whitespace() {
            prev_end = false;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Whether an unchanged piece between two changes is only spaces and a little punctuation,
/// to be merged into them.
fn is_glue(text: &str) -> bool {
    text.chars().all(|c| !c.is_alphanumeric()) && text.trim().chars().count() <= 2
}

/// The word-level comparison of two texts: segments in reading order, a deletion before the
/// insertion that replaces it.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return vec![Segment::new(Op::Same, old)];
    }
    let (mut a, mut b) = (tokens(old), tokens(new));
    if a.len().max(b.len()) > MAX_TOKENS {
        (a, b) = (sentences(old), sentences(new));
    }
    if a.len().max(b.len()) > MAX_TOKENS {
        return [Segment::new(Op::Del, old), Segment::new(Op::Ins, new)]
            .into_iter()
            .filter(|s| !s.text.is_empty())
            .collect();
    }
    let ops = similar::capture_diff_slices(Algorithm::Myers, &a, &b);
    // Runs: unchanged text, or a change (deleted, inserted).
    enum Run {
        Same(String),
        Change(String, String),
    }
    let mut runs: Vec<Run> = Vec::new();
    for op in ops {
        let (same, del, ins) = match op {
            DiffOp::Equal { old_index, len, .. } => {
                (a[old_index..old_index + len].concat(), None, None)
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (
                String::new(),
                Some(a[old_index..old_index + old_len].concat()),
                None,
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (
                String::new(),
                None,
                Some(b[new_index..new_index + new_len].concat()),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                String::new(),
                Some(a[old_index..old_index + old_len].concat()),
                Some(b[new_index..new_index + new_len].concat()),
            ),
        };
        if del.is_none() && ins.is_none() {
            runs.push(Run::Same(same));
            continue;
        }
        let (del, ins) = (del.unwrap_or_default(), ins.unwrap_or_default());
        // A change after `change, glue` takes the glue and the earlier change in.
        let glued = matches!(runs.as_slice(), [.., Run::Change(..), Run::Same(g)] if is_glue(g));
        if glued {
            let Some(Run::Same(glue)) = runs.pop() else {
                unreachable!("matched above")
            };
            if let Some(Run::Change(d, i)) = runs.last_mut() {
                d.push_str(&glue);
                d.push_str(&del);
                i.push_str(&glue);
                i.push_str(&ins);
            }
        } else if let Some(Run::Change(d, i)) = runs.last_mut() {
            d.push_str(&del);
            i.push_str(&ins);
        } else {
            runs.push(Run::Change(del, ins));
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for run in runs {
        let parts = match run {
            Run::Same(s) => vec![(Op::Same, s)],
            Run::Change(d, i) => vec![(Op::Del, d), (Op::Ins, i)],
        };
        for (op, text) in parts {
            if text.is_empty() {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.op == op => last.text.push_str(&text),
                _ => out.push(Segment::new(op, text)),
            }
        }
    }
    out
}

/// Word ids shared by the two versions of a comparison, for [`Bag`]s.
#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    /// The sorted word ids of a text (lowercased words of letters and digits, repeats kept).
    pub fn bag(&mut self, text: &str) -> Bag {
        let mut ids: Vec<u32> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let next = self.ids.len() as u32;
                *self.ids.entry(w.to_lowercase()).or_insert(next)
            })
            .collect();
        ids.sort_unstable();
        Bag(ids)
    }
}

/// A multiset of words, as sorted ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bag(pub Vec<u32>);

impl Bag {
    /// The number of words.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The distinct word ids.
    pub fn distinct(&self) -> impl Iterator<Item = u32> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(|(i, w)| *i == 0 || self.0[i - 1] != **w)
            .map(|(_, w)| *w)
    }

    /// The Dice coefficient of two multisets: twice the shared words over all words, 0–1.
    pub fn similarity(&self, other: &Bag) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * shared as f64 / (a.len() + b.len()) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| match s.op {
                Op::Same => s.text.clone(),
                Op::Del => format!("[-{}-]", s.text),
                Op::Ins => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn tokens_keep_every_character() {
        let t = tokens("Art. 15 ust. 2,  „zamówienia” 20 000 ECU");
        assert_eq!(t.concat(), "Art. 15 ust. 2,  „zamówienia” 20 000 ECU");
        assert_eq!(&t[..4], ["Art", ".", " ", "15"]);
        assert!(t.contains(&"zamówienia"));
    }

    #[test]
    fn words_inside_a_paragraph() {
        let s = diff(
            "w pkt 1 wyrazy art. 15 ust. 2, a także",
            "w pkt 1 wyrazy art. 14 ust. 3, a także",
        );
        assert_eq!(
            marked(&s),
            "w pkt 1 wyrazy art. [-15-]{+14+} ust. [-2-]{+3+}, a także"
        );
        let s = diff(
            "3) jednostki samorządu terytorialnego,",
            "3) jednostki samorządu terytorialnego i sejmiki samorządowe,",
        );
        assert_eq!(
            marked(&s),
            "3) jednostki samorządu terytorialnego{+ i sejmiki samorządowe+},"
        );
        assert_eq!(diff("a b", "a b"), [Segment::new(Op::Same, "a b")]);
        // Changes apart only by spaces and punctuation are one.
        assert_eq!(
            marked(&diff("raz, dwa trzy", "jeden; cztery trzy")),
            "[-raz, dwa-]{+jeden; cztery+} trzy"
        );
        assert_eq!(marked(&diff("", "nowy")), "{+nowy+}");
    }

    #[test]
    fn long_paragraphs_fall_back_to_sentences_then_whole() {
        let long: String = (0..3_000).map(|i| format!("słowo{i} ")).collect();
        let old = format!("{long}Koniec. Dalej stare.");
        let new = format!("{long}Koniec. Dalej nowe.");
        let s = diff(&old, &new);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[1], Segment::new(Op::Del, "Dalej stare."));
        assert_eq!(s[2], Segment::new(Op::Ins, "Dalej nowe."));
        let many: String = (0..5_000).map(|i| format!("Zdanie {i}. ")).collect();
        let s = diff(&many, &format!("{many}Nowe."));
        assert_eq!(
            s.iter().map(|s| s.op).collect::<Vec<_>>(),
            [Op::Del, Op::Ins]
        );
    }

    #[test]
    fn similarity_of_word_bags() {
        let mut v = Vocabulary::default();
        let a = v.bag("Prezes Urzędu może również");
        let b = v.bag("prezes urzędu może");
        assert!((a.similarity(&b) - 6.0 / 7.0).abs() < 1e-9);
        assert_eq!(a.similarity(&v.bag("")), 0.0);
        assert_eq!(v.bag("a b a").distinct().count(), 2);
    }
}
