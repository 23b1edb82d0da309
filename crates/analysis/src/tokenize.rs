//! Tokenisation: maximal runs of Unicode letters and digits (Polish letters included). Anything
//! else separates words, so hyphenated compounds (`polsko-niemiecki`) split into their parts.
//! One exception, for Ukrainian: an apostrophe `'` or `’` between two Cyrillic letters belongs
//! to the word (`сім'я`, `м’ясо`, as `ʼ` U+02BC, a letter, always does); between Latin letters
//! it still separates (`up’ami`, `council's`), so Polish and English text split as before.
//! Input is expected in NFC (precomposed letters, as Polish text practically always is).
//!
//! The iterator allocates nothing; ASCII bytes take a table-free fast path.

/// Iterator over the words of a text as byte ranges `(start, end)`.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// Splits `text` into words (see the module doc).
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// A letter of the Cyrillic block (U+0400–U+04FF), which Ukrainian is written in.
#[inline]
fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4ff}').contains(&c) && c.is_alphabetic()
}

/// Whether the apostrophe at byte `i` (`'` or `’`) joins two Cyrillic letters.
fn joins_cyrillic(text: &str, i: usize) -> bool {
    let mut after = text[i..].chars();
    let apostrophe = after.next();
    matches!(apostrophe, Some('\'' | '\u{2019}'))
        && text[..i].chars().next_back().is_some_and(is_cyrillic)
        && after.next().is_some_and(is_cyrillic)
}

#[inline]
fn char_at(bytes: &[u8], i: usize, text: &str) -> (bool, usize) {
    let b = bytes[i];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), 1);
    }
    // Safe: i is always on a char boundary.
    let c = text[i..].chars().next().unwrap_or(' ');
    (c.is_alphanumeric(), c.len_utf8())
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        // Skip separators.
        loop {
            if i >= bytes.len() {
                self.pos = i;
                return None;
            }
            let (word, w) = char_at(bytes, i, self.text);
            if word {
                break;
            }
            i += w;
        }
        let start = i;
        while i < bytes.len() {
            let (word, w) = char_at(bytes, i, self.text);
            if !word && !joins_cyrillic(self.text, i) {
                break;
            }
            i += w;
        }
        self.pos = i;
        Some((start, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(t: &str) -> Vec<&str> {
        words(t).map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn splits() {
        assert_eq!(
            ws("Zażółć, gęślą-jaźń! art. 12a §3"),
            ["Zażółć", "gęślą", "jaźń", "art", "12a", "3"]
        );
        assert_eq!(ws("  "), Vec::<&str>::new());
        assert_eq!(ws("polsko-niemiecki"), ["polsko", "niemiecki"]);
    }

    #[test]
    fn apostrophes_join_cyrillic_letters_only() {
        assert_eq!(
            ws("Сім'я, м’ясо і памʼять: 'лапки' та ’інші’ up’ami council's"),
            [
                "Сім'я",
                "м’ясо",
                "і",
                "памʼять",
                "лапки",
                "та",
                "інші",
                "up",
                "ami",
                "council",
                "s"
            ]
        );
        assert_eq!(ws("сім' я п'"), ["сім", "я", "п"]);
        assert_eq!(ws("a'я я'a"), ["a", "я", "я", "a"]);
    }
}
