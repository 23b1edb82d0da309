//! Tokenisation: maximal runs of Unicode letters and digits (Polish letters included). Anything
//! else separates words, so hyphenated compounds (`polsko-niemiecki`) split into their parts.
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
            if !word {
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
}
