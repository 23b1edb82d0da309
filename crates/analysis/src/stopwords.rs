//! Stop words: short default lists for Polish, Ukrainian and English, and a configurable set.
//!
//! Source of the default lists: chosen for jawnik from the most frequent function words of each
//! language (prepositions, conjunctions, particles, articles, pronoun forms) — the core of common
//! lists such as Lucene's (Stempel for Polish, the English analyzer's), but deliberately short:
//! negation (`nie`, `не`, `not`, `no`), numerals and content words are kept searchable. Entries
//! are compared after folding, so `sie` and `się` are the same stop word.

use crate::fold::fold;
use crate::prelude::*;

/// The default Polish stop words (lowercase, with diacritics).
pub const DEFAULT_POLISH: &[&str] = &[
    "a", "aby", "ale", "albo", "ani", "bo", "by", "być", "czy", "dla", "do", "go", "i", "ich",
    "iż", "jak", "jako", "je", "jego", "jej", "jest", "już", "lub", "ma", "mu", "na", "nad", "o",
    "od", "oraz", "po", "pod", "przez", "przy", "się", "są", "ta", "tak", "te", "tego", "tej",
    "ten", "to", "tu", "tym", "u", "w", "we", "z", "za", "ze", "że", "żeby",
];

/// The default Ukrainian stop words (lowercase).
pub const DEFAULT_UKRAINIAN: &[&str] = &[
    "а", "але", "або", "б", "би", "бо", "в", "від", "він", "вона", "вони", "воно", "де", "для",
    "до", "є", "ж", "же", "з", "за", "зі", "й", "і", "із", "їх", "її", "його", "коли", "на", "над",
    "під", "по", "при", "про", "та", "так", "те", "ті", "то", "у", "це", "ці", "чи", "що", "щоб",
    "як",
];

/// The default English stop words (lowercase; `s` is what the tokenizer leaves of `'s`).
pub const DEFAULT_ENGLISH: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "of", "on", "or", "s", "such", "that", "the", "their", "then", "there", "these", "they",
    "this", "to", "was", "will", "with",
];

/// A set of stop words, stored folded (a sorted `Vec`: a few dozen words, searched as fast as
/// a hash set, with less code in the browser's WebAssembly module).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopWords {
    words: Vec<String>,
}

impl StopWords {
    /// No stop words at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The default Polish list ([`DEFAULT_POLISH`]).
    pub fn polish() -> Self {
        Self::new(DEFAULT_POLISH.iter().copied())
    }

    /// A set from any words (lowercased and folded here).
    pub fn new<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut words: Vec<String> = words
            .into_iter()
            .map(|w| fold(&crate::lower::to_lowercase(w.as_ref())))
            .collect();
        crate::sort::sort_by(&mut words, |a, b| a < b);
        words.dedup();
        StopWords { words }
    }

    /// Is the folded lowercase word a stop word?
    #[inline]
    pub fn contains(&self, folded: &str) -> bool {
        self.words
            .binary_search_by(|w| w.as_str().cmp(folded))
            .is_ok()
    }

    /// Number of stop words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}
