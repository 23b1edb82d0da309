//! Word and text analysis: the document side ([`DocumentAnalyzer`], full dictionary) and the
//! query side ([`analyze_query_word`], any [`Lexicon`]) — both produce folded lemma terms; in a
//! language analysed by a stemmer ([`Language::uses_dictionary`] false: English, Ukrainian),
//! both produce the stem of the folded word instead, the same on both sides, with no lexicon
//! (`*_in` functions, [`DocumentAnalyzer::for_language`]).
//!
//! Order of operations for every word: lowercase → look up the ORIGINAL lowercase form (with its
//! diacritics) → fold the resulting lemmas. Folding first would lose information (`łodzi` is a
//! form of `łódź`, but `lodzi` is no dictionary form at all).
//!
//! * Document word `w`: digits present → the folded word itself; the exact form `w` in the
//!   dictionary → its lemmas (documents are taken at their word: `lodzi` written without
//!   diacritics is a form of `lodzić`); otherwise (text written without diacritics, or a misspelt
//!   diacritic) → the union of lemmas of all forms folding like `w`; otherwise → the stemmer
//!   fallback (see [`crate::stem`]).
//! * Query word `w`: `F = fold(w)`, entries = `lexicon.lookup(F)`. If `w` has diacritics, the
//!   lemmas of entries whose form is exactly `w` (all entries if none is); if not, the union
//!   over all entries (`sad` → {sad, sąd}, `zrodla` → źródło). No entries → stemmer fallback.
//!
//! * Any word in English or Ukrainian: digits present → the folded word itself; otherwise
//!   `stem(fold(w))` (see [`crate::stem`]).
//!
//! Terms are sorted and deduplicated; the same input always gives the same output.

use crate::prelude::*;
#[cfg(not(target_arch = "wasm32"))]
use core::hash::{BuildHasherDefault, Hasher};
#[cfg(not(target_arch = "wasm32"))]
use std::collections::HashMap;

#[cfg(not(target_arch = "wasm32"))]
use crate::dictionary::Dictionary;
use crate::fold::{fold_into, has_diacritics, lowercase_into};
use crate::language::Language;
use crate::lexicon::Lexicon;
use crate::stem::{fallback_term, stem_term};
use crate::stopwords::StopWords;
use crate::tokenize::words;

/// One analysed word of a document or query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// Word number in the text (stop words count too, so phrase gaps are kept).
    pub position: u32,
    /// Byte offset of the word's start in the original text (for highlighting).
    pub start: usize,
    /// Byte offset just past the word's end.
    pub end: usize,
    /// The folded lowercase word (for "exact form ranks higher").
    pub surface: String,
    /// The folded lemmas (or the `~`-marked stem, or the number), sorted, deduplicated.
    pub terms: Vec<String>,
}

/// A borrowed [`Token`], passed by [`DocumentAnalyzer::for_each_token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRef<'a> {
    /// Word number in the text.
    pub position: u32,
    /// Byte offset of the word's start.
    pub start: usize,
    /// Byte offset just past the word's end.
    pub end: usize,
    /// The folded lowercase word.
    pub surface: &'a str,
    /// The folded lemma terms, sorted, deduplicated.
    pub terms: &'a [String],
}

impl TokenRef<'_> {
    /// An owned copy.
    pub fn to_token(&self) -> Token {
        Token {
            position: self.position,
            start: self.start,
            end: self.end,
            surface: self.surface.to_owned(),
            terms: self.terms.to_vec(),
        }
    }
}

/// The analysis of one query word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryWord {
    /// `fold(lowercase(word))`.
    pub surface: String,
    /// Folded lemma terms, sorted, deduplicated.
    pub terms: Vec<String>,
}

#[inline]
fn has_digit(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_digit())
    } else {
        s.chars().any(char::is_numeric)
    }
}

fn finish(mut terms: Vec<String>) -> Vec<String> {
    crate::sort::sort_by(&mut terms, |a, b| a < b);
    terms.dedup();
    terms
}

/// Analyses one Polish query word against a lexicon (the rule in the module doc). `word` may be
/// in any case. Used identically by the CLI and the browser runtime.
pub fn analyze_query_word<L: Lexicon + ?Sized>(word: &str, lexicon: &L) -> QueryWord {
    analyze_query_word_in(Language::Polish, word, lexicon)
}

/// Analyses one query word in `language`: Polish against the lexicon, a stemmed language by
/// the very rule of its documents (the lexicon unused).
pub fn analyze_query_word_in<L: Lexicon + ?Sized>(
    language: Language,
    word: &str,
    lexicon: &L,
) -> QueryWord {
    let mut lower = String::new();
    lowercase_into(word, &mut lower);
    let mut surface = String::with_capacity(lower.len());
    fold_into(&lower, &mut surface);
    if has_digit(&lower) {
        return QueryWord {
            terms: vec![surface.clone()],
            surface,
        };
    }
    if let Some(term) = stem_term(language, &surface) {
        return QueryWord {
            terms: vec![term],
            surface,
        };
    }
    let entries = lexicon.lookup(&surface);
    let mut terms: Vec<String> = Vec::new();
    if has_diacritics(&lower) {
        for e in entries.iter().filter(|e| e.form == lower) {
            terms.extend(e.lemmas.iter().cloned());
        }
    }
    if terms.is_empty() {
        for e in &entries {
            terms.extend(e.lemmas.iter().cloned());
        }
    }
    if terms.is_empty() {
        terms.push(fallback_term(&lower));
    }
    QueryWord {
        surface,
        terms: finish(terms),
    }
}

/// Analyses a Polish query text: tokenises like documents, drops stop words (keeping
/// positions), and applies [`analyze_query_word`] to each word.
pub fn analyze_query<L: Lexicon + ?Sized>(
    text: &str,
    lexicon: &L,
    stopwords: &StopWords,
) -> Vec<Token> {
    analyze_query_in(Language::Polish, text, lexicon, stopwords)
}

/// [`analyze_query`] in `language` (words by [`analyze_query_word_in`]).
pub fn analyze_query_in<L: Lexicon + ?Sized>(
    language: Language,
    text: &str,
    lexicon: &L,
    stopwords: &StopWords,
) -> Vec<Token> {
    let mut out = Vec::new();
    let mut folded = String::new();
    let mut lower = String::new();
    for (position, (start, end)) in words(text).enumerate() {
        let w = &text[start..end];
        lowercase_into(w, &mut lower);
        folded.clear();
        fold_into(&lower, &mut folded);
        if stopwords.contains(&folded) {
            continue;
        }
        let q = analyze_query_word_in(language, w, lexicon);
        out.push(Token {
            position: position as u32,
            start,
            end,
            surface: q.surface,
            terms: q.terms,
        });
    }
    out
}

/// The shard keys ([`shard_key`](crate::shard_key)) a query text needs: what the browser must
/// fetch before calling [`analyze_query`]. Sorted, deduplicated.
pub fn query_shard_keys(text: &str) -> Vec<String> {
    let mut lower = String::new();
    let mut folded = String::new();
    let mut keys: Vec<String> = words(text)
        .map(|(s, e)| {
            lowercase_into(&text[s..e], &mut lower);
            folded.clear();
            fold_into(&lower, &mut folded);
            crate::lexicon::shard_key(&folded)
        })
        .collect();
    crate::sort::sort_by(&mut keys, |a, b| a < b);
    keys.dedup();
    keys
}

/// Analyses documents: Polish with the full dictionary, English and Ukrainian with their
/// stemmer. Immutable and `Sync`: share one across threads.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct DocumentAnalyzer<'d> {
    dict: &'d Dictionary,
    stopwords: StopWords,
    language: Language,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Scratch {
    lower: String,
    folded: String,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'d> DocumentAnalyzer<'d> {
    /// A Polish analyzer over `dict` with the given stop words.
    pub fn new(dict: &'d Dictionary, stopwords: StopWords) -> Self {
        DocumentAnalyzer {
            dict,
            stopwords,
            language: Language::Polish,
        }
    }

    /// The embedded dictionary with the default Polish stop words.
    #[cfg(feature = "dictionary")]
    pub fn polish() -> DocumentAnalyzer<'static> {
        DocumentAnalyzer::new(Dictionary::embedded(), StopWords::polish())
    }

    /// The analyzer of a language with its default stop words: [`polish`](Self::polish), or
    /// [`stemming`](Self::stemming).
    #[cfg(feature = "dictionary")]
    pub fn for_language(language: Language) -> DocumentAnalyzer<'static> {
        if language.uses_dictionary() {
            DocumentAnalyzer::polish()
        } else {
            DocumentAnalyzer::stemming(language, language.stopwords())
        }
    }

    /// An analyzer of a language whose terms are stems (English, Ukrainian), with no dictionary:
    /// [`dictionary`](Self::dictionary) is [`Dictionary::empty`], so a site lexicon built from it
    /// is empty too. (Given Polish, every word is one the dictionary lacks.)
    pub fn stemming(language: Language, stopwords: StopWords) -> DocumentAnalyzer<'static> {
        DocumentAnalyzer {
            dict: Dictionary::empty(),
            stopwords,
            language,
        }
    }

    /// The dictionary in use (empty for a stemmed language).
    pub fn dictionary(&self) -> &'d Dictionary {
        self.dict
    }

    /// The language analysed.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stop words in use.
    pub fn stopwords(&self) -> &StopWords {
        &self.stopwords
    }

    /// Tokenises and analyses a text. Stop words yield no token but keep their position.
    pub fn analyze_text(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 8);
        self.for_each_token(text, |t| out.push(t.to_token()));
        out
    }

    /// Like [`analyze_text`](Self::analyze_text) without allocating per token: calls `f` with
    /// borrowed tokens (the fast path for an indexer's token stream).
    ///
    /// Words repeat a lot, so each distinct word is analysed once per call (a cache local to
    /// the call, keyed by the word as written; nothing is shared between calls or threads).
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(TokenRef<'_>)) {
        let mut s = Scratch::default();
        let mut cache: HashMap<&str, Option<(String, Vec<String>)>, FnvBuild> = HashMap::default();
        for (position, (start, end)) in words(text).enumerate() {
            let w = &text[start..end];
            let analysed = cache.entry(w).or_insert_with(|| self.word(w, &mut s));
            if let Some((surface, terms)) = analysed {
                f(TokenRef {
                    position: position as u32,
                    start,
                    end,
                    surface,
                    terms,
                });
            }
        }
    }

    /// Analyses one document word: `(folded surface, terms)`, or `None` for a stop word.
    pub fn analyze_word(&self, word: &str) -> Option<(String, Vec<String>)> {
        self.word(word, &mut Scratch::default())
    }

    fn word(&self, word: &str, s: &mut Scratch) -> Option<(String, Vec<String>)> {
        lowercase_into(word, &mut s.lower);
        s.folded.clear();
        fold_into(&s.lower, &mut s.folded);
        if self.stopwords.contains(&s.folded) {
            return None;
        }
        let surface = s.folded.clone();
        if has_digit(&s.lower) {
            return Some((surface.clone(), vec![surface]));
        }
        if let Some(term) = stem_term(self.language, &surface) {
            return Some((surface, vec![term]));
        }
        let mut terms = Vec::new();
        if !self.dict.lemmas_of_form(&s.lower, &s.folded, &mut terms) {
            for e in self.dict.lookup(&s.folded) {
                terms.extend(e.lemmas);
            }
            if terms.is_empty() {
                terms.push(fallback_term(&s.lower));
            }
        }
        Some((surface, finish(terms)))
    }
}

/// FNV-1a: a fast hash for the short word keys of the per-call cache.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Fnv(u64);

#[cfg(not(target_arch = "wasm32"))]
impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[cfg(not(target_arch = "wasm32"))]
type FnvBuild = BuildHasherDefault<Fnv>;
