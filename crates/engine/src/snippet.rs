//! Snippets: the passage of a document's text that best shows why it matched, cut at word
//! boundaries, with the matching words marked. Which word matches is [`MatchRule`]'s, applied
//! by each caller with the lemmas its backend can give (a closure over the word), so the CLI
//! and the browser mark the same words.

use crate::prelude::*;

/// A piece of a snippet: plain text or a highlighted match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The text, as in the document.
    pub text: String,
    /// Whether it is a matched word.
    pub highlighted: bool,
}

/// A chosen passage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passage in order; joined, it is a substring of the text (with "…" marks added).
    pub segments: Vec<Segment>,
    /// Byte offset in the text of the first highlighted word (to find the heading above it).
    pub first_match: Option<usize>,
}

/// Words (byte ranges) of a text: runs of letters and digits.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Picks the window of `window` words with the most distinct matching words (earliest on
/// ties) and marks the matches. Without any match, the text's beginning.
pub fn make_snippet(text: &str, window: usize, mut is_match: impl FnMut(&str) -> bool) -> Snippet {
    let spans = word_spans(text);
    if spans.is_empty() {
        return Snippet::default();
    }
    let words: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
    let matches: Vec<bool> = words.iter().map(|w| is_match(w)).collect();
    let window = window.max(1).min(spans.len());
    let mut best = (0usize, 0usize); // (distinct matches, start)
    for start in 0..=spans.len() - window {
        let mut seen: Vec<String> = Vec::new();
        for i in start..start + window {
            if matches[i] {
                let w = jawnik_analysis::to_lowercase(words[i]);
                if !seen.contains(&w) {
                    seen.push(w);
                }
            }
        }
        if seen.len() > best.0 {
            best = (seen.len(), start);
        }
    }
    let (start, end) = (best.1, best.1 + window);
    // Start a little before the first match so it has context.
    let mut segments = Vec::new();
    let from = spans[start].0;
    let to = spans[end - 1].1;
    if from > 0 {
        segments.push(Segment {
            text: "…".into(),
            highlighted: false,
        });
    }
    let mut cursor = from;
    let mut first_match = None;
    for i in start..end {
        let (s, e) = spans[i];
        if matches[i] {
            if s > cursor {
                segments.push(Segment {
                    text: text[cursor..s].to_string(),
                    highlighted: false,
                });
            }
            segments.push(Segment {
                text: text[s..e].to_string(),
                highlighted: true,
            });
            first_match.get_or_insert(s);
            cursor = e;
        }
    }
    if to > cursor {
        segments.push(Segment {
            text: text[cursor..to].to_string(),
            highlighted: false,
        });
    }
    if to < text.len() {
        segments.push(Segment {
            text: "…".into(),
            highlighted: false,
        });
    }
    // Merge neighbouring plain segments.
    let mut merged: Vec<Segment> = Vec::new();
    for seg in segments {
        match merged.last_mut() {
            Some(last) if !last.highlighted && !seg.highlighted => last.text.push_str(&seg.text),
            _ => merged.push(seg),
        }
    }
    Snippet {
        segments: merged,
        first_match,
    }
}

/// Which words of a snippet are marked, the same in the CLI and the browser: a word whose
/// folded form is a term sought, or one whose lemmas include one. A word's lemmas are looked
/// up only when it shares a term's first three letters: analysing every word of a long body
/// would read most of the lexicon.
pub struct MatchRule<'a> {
    highlight: &'a [String],
    /// The first three letters of each term sought (sorted).
    heads: Vec<String>,
}

/// What a word's folded form says of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMatch {
    Yes,
    No,
    /// A match when one of its lemmas is a term sought ([`MatchRule::by_lemmas`]).
    IfLemma,
}

impl<'a> MatchRule<'a> {
    /// The rule for these terms (sorted, as `sorted::has_str` reads them).
    pub fn new(highlight: &'a [String]) -> Self {
        let mut heads = Vec::new();
        for t in highlight {
            crate::sorted::insert_str(&mut heads, t.chars().take(3).collect());
        }
        MatchRule { highlight, heads }
    }

    /// The verdict on a word from its folded form alone.
    pub fn by_form(&self, folded: &str) -> FormMatch {
        if crate::sorted::has_str(self.highlight, folded) {
            return FormMatch::Yes;
        }
        let head: String = folded.chars().take(3).collect();
        if crate::sorted::has_str(&self.heads, &head) {
            FormMatch::IfLemma
        } else {
            FormMatch::No
        }
    }

    /// Whether one of a word's lemmas is a term sought.
    pub fn by_lemmas(&self, lemmas: &[String]) -> bool {
        lemmas
            .iter()
            .any(|l| crate::sorted::has_str(self.highlight, l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_window_with_most_matches_and_marks_them() {
        let text = "Na początku nic. Potem długo nic. Konsultacje z organizacjami i konsultacjach w dzielnicy.";
        let s = make_snippet(text, 5, |w| w.to_lowercase().starts_with("konsultacj"));
        let marked: Vec<&str> = s
            .segments
            .iter()
            .filter(|s| s.highlighted)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, ["Konsultacje", "konsultacjach"]);
        assert_eq!(s.first_match, text.find("Konsultacje"));
        assert!(s.segments[0].text.starts_with('…'));
    }

    #[test]
    fn no_match_gives_the_beginning() {
        let s = make_snippet("Ala ma kota, kot ma Alę.", 3, |_| false);
        assert_eq!(s.segments[0].text, "Ala ma kota…");
        assert_eq!(s.first_match, None);
    }

    #[test]
    fn empty_text() {
        assert_eq!(make_snippet("  ", 10, |_| true), Snippet::default());
    }
}
