//! Stemming: the fallback for Polish words the dictionary lacks (names, neologisms, typos), and
//! the terms of the languages analysed by a stemmer only (English, Ukrainian). All Snowball
//! stemmers from the crate `frostem` (BSD-3-Clause), each language a feature of it, so the
//! browser's module carries only the ones it is built with; all build for wasm32.
//!
//! # Collision policy (Polish)
//!
//! A fallback term is the folded stem of the lowercase original word, prefixed with
//! [`FALLBACK_MARK`] (`~`). Dictionary lemmas never start with `~` (the tokenizer yields only
//! letters and digits), so a truncated stem such as `organizacj` or `pi` can never be confused
//! with a real lemma of another word; two unknown words match when they stem alike. The exact
//! (folded) surface form is indexed separately by the caller, so exact matches still work.
//!
//! # Stemmed languages
//!
//! English and Ukrainian terms are `stem(folded word)`, unmarked: every word of such a text is
//! stemmed alike, so no dictionary lemma competes, and an unmarked stem can be found by a
//! prefix the way a lemma can. Folding comes first (`ґрунт` and `грунт`, `сім’я` and `сім'я`
//! must stem alike; the Ukrainian algorithm expects the ASCII apostrophe, which folding gives).

use crate::prelude::*;
use frostem::{Algorithm, Stemmer};

use crate::fold::fold_into;
use crate::language::Language;

/// The prefix of every stemmer-fallback term.
pub const FALLBACK_MARK: char = '~';

/// The fallback term of a lowercase word not found in the lexicon: `~` + fold(stem(word)).
pub fn fallback_term(lower: &str) -> String {
    let stem = Stemmer::new(Algorithm::Polish).stem(lower);
    let mut out = String::with_capacity(stem.len() + 1);
    out.push(FALLBACK_MARK);
    fold_into(&stem, &mut out);
    out
}

/// The term of a folded lowercase word in a language analysed by a stemmer (`None` for Polish,
/// whose terms are dictionary lemmas).
pub fn stem_term(language: Language, folded: &str) -> Option<String> {
    let algorithm = match language {
        Language::Polish => None,
        #[cfg(feature = "ukrainian")]
        Language::Ukrainian => Some(Algorithm::Ukrainian),
        #[cfg(feature = "english")]
        Language::English => Some(Algorithm::English),
    };
    algorithm.map(|a| Stemmer::new(a).stem(folded).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_names_alike() {
        assert_eq!(fallback_term("kowalczykowi"), fallback_term("kowalczykiem"));
        assert!(fallback_term("xyz").starts_with('~'));
        assert_eq!(stem_term(Language::Polish, "kowalczykowi"), None);
    }
}
