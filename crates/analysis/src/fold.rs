//! Diacritic folding: `ą→a ć→c ę→e ł→l ń→n ó→o ś→s ź→z ż→z` and the other lowercase Latin
//! letters with diacritics (Latin-1 Supplement, Latin Extended-A, Romanian comma letters); for
//! Ukrainian, `ґ→г` (a query typed without `ґ`, as many keyboards and habits have it, finds the
//! word; the few pairs it merges, such as `ґніт`/`гніт`, are a fair price) and the apostrophes
//! `’` (U+2019) and `ʼ` (U+02BC) → `'` (U+0027), the one a keyboard types and the Snowball
//! Ukrainian stemmer reads. (The tokenizer keeps an apostrophe inside a word only between
//! Cyrillic letters, see [`crate::tokenize`].) Other Cyrillic letters are kept: `ї і й и є е`
//! are distinct letters that Ukrainian keyboards have.
//!
//! Folding maps one `char` to exactly one `char`, so a folded word has the same number of chars
//! as the original; the dictionary relies on this to store an original form as "folded form plus
//! the positions that carried diacritics". Input is expected to be lowercase already (uppercase
//! letters pass through unchanged). Letters without a one-letter base (`æ œ ß þ ĳ`) are kept.

use crate::prelude::*;

/// Folds one lowercase char to its base letter (identity for chars without diacritics).
#[inline]
pub fn fold_char(c: char) -> char {
    if (c as u32) < 0xE0 {
        return c;
    }
    match c {
        'ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' => 'a',
        'ć' | 'ç' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' | 'ð' => 'd',
        'ę' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ł' | 'ĺ' | 'ļ' | 'ľ' | 'ŀ' => 'l',
        'ń' | 'ñ' | 'ņ' | 'ň' => 'n',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ґ' => 'г',
        '\u{2019}' | '\u{2bc}' => '\'',
        _ => c,
    }
}

/// Folds a lowercase string (see [`fold_char`]).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Appends the folding of `s` to `out` (no allocation when `out` has room).
#[inline]
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.push_str(s);
    } else {
        out.extend(s.chars().map(fold_char));
    }
}

/// True when folding changes `s`, i.e. it contains a letter with a diacritic.
#[inline]
pub fn has_diacritics(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| fold_char(c) != c)
}

/// Lowercases `s` into `out` (ASCII fast path).
#[inline]
pub fn lowercase_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            crate::lower::push_lower_char(c, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_letters() {
        assert_eq!(fold("zażółć gęślą jaźń"), "zazolc gesla jazn");
        assert_eq!(fold("łódź"), "lodz");
        assert_eq!(fold("café naïve škoda"), "cafe naive skoda");
        assert!(has_diacritics("sąd"));
        assert!(!has_diacritics("sad"));
    }

    #[test]
    fn ukrainian_letters_and_apostrophes() {
        assert_eq!(fold("ґрунт"), "грунт");
        assert_eq!(fold("сім’я"), "сім'я");
        assert_eq!(fold("сімʼя"), "сім'я");
        assert_eq!(fold("сім'я"), "сім'я");
        // Distinct letters stay.
        assert_eq!(fold("їжак йод єдність"), "їжак йод єдність");
    }

    #[test]
    fn one_to_one() {
        for c in '\u{80}'..='\u{24F}' {
            let l: String = c.to_lowercase().collect();
            for lc in l.chars() {
                assert!(fold_char(lc).is_alphanumeric() == lc.is_alphanumeric());
            }
        }
    }
}
