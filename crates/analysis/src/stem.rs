//! Fallback for words the dictionary lacks (names, neologisms, typos): the Snowball Polish
//! stemmer (crate `frostem`, only its Polish algorithm, ~10 kB of code, builds for wasm32).
//!
//! # Collision policy
//!
//! A fallback term is the folded stem of the lowercase original word, prefixed with
//! [`FALLBACK_MARK`] (`~`). Dictionary lemmas never start with `~` (the tokenizer yields only
//! letters and digits), so a truncated stem such as `organizacj` or `pi` can never be confused
//! with a real lemma of another word; two unknown words match when they stem alike. The exact
//! (folded) surface form is indexed separately by the caller, so exact matches still work.

use frostem::{Algorithm, Stemmer};

use crate::fold::fold_into;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_names_alike() {
        assert_eq!(fallback_term("kowalczykowi"), fallback_term("kowalczykiem"));
        assert!(fallback_term("xyz").starts_with('~'));
    }
}
