//! Lowercasing exactly as the standard library's `str::to_lowercase` and `char::to_lowercase`
//! do (including the Greek final sigma), from compact tables. The standard library's tables
//! took about 16 kB of the browser's WebAssembly module; these take about 5 kB. A test checks
//! every `char` against the standard library, so both stay identical; when the toolchain's
//! Unicode version changes that test fails and `cargo run -p jawnik-analysis --example
//! lower_tables > crates/analysis/src/lower_tables.rs` writes the new tables.

use crate::lower_tables::{CASED, CASE_IGNORABLE, LOWER};
use crate::prelude::*;

/// The lowercase of `c` when it is one `char` (every `char` but `İ`, U+0130).
fn lower_one(c: char) -> char {
    let code = c as u32;
    if code < 0x80 {
        return c.to_ascii_lowercase();
    }
    // LOWER: (start << 8 | stride - 1 << 7 | count, delta), by start.
    let at = LOWER.partition_point(|&(packed, _)| packed >> 8 <= code);
    if let Some(&(packed, delta)) = at.checked_sub(1).and_then(|i| LOWER.get(i)) {
        let (start, stride, count) = (packed >> 8, (packed >> 7 & 1) + 1, packed & 0x7f);
        let offset = code - start;
        if offset.is_multiple_of(stride) && offset / stride < count {
            return char::from_u32(code.wrapping_add_signed(delta)).unwrap_or(c);
        }
    }
    c
}

/// Whether `c` is in a set of ranges packed as `start << 11 | (end - start)`.
fn in_set(set: &[u32], c: char) -> bool {
    let code = c as u32;
    let at = set.partition_point(|&packed| packed >> 11 <= code);
    at.checked_sub(1)
        .and_then(|i| set.get(i))
        .is_some_and(|&packed| code - (packed >> 11) <= packed & 0x7ff)
}

/// Appends the lowercase of `c` (as `char::to_lowercase`).
pub fn push_lower_char(c: char, out: &mut String) {
    if c == '\u{130}' {
        out.push_str("i\u{307}");
    } else {
        out.push(lower_one(c));
    }
}

/// Whether, skipping case-ignorable chars, the next char is cased (Unicode's `Final_Sigma`).
fn ignorable_then_cased(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !in_set(&CASE_IGNORABLE, c))
        .is_some_and(|c| in_set(&CASED, c))
}

/// Appends the lowercase of `s` (as `str::to_lowercase`).
pub fn push_lowercase(s: &str, out: &mut String) {
    if s.is_ascii() {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
        return;
    }
    for (i, c) in s.char_indices() {
        if c == 'Σ' {
            let before = s.get(..i).unwrap_or_default().chars().rev();
            let after = s.get(i + 2..).unwrap_or_default().chars();
            let word_final = ignorable_then_cased(before) && !ignorable_then_cased(after);
            out.push(if word_final { 'ς' } else { 'σ' });
        } else {
            push_lower_char(c, out);
        }
    }
}

/// The lowercase of `s` (as `str::to_lowercase`).
pub fn to_lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lowercase(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_chars() -> impl Iterator<Item = char> {
        (0u32..0x11_0000).filter_map(char::from_u32)
    }

    #[test]
    fn every_char_as_the_standard_library() {
        let mut s = String::new();
        for c in all_chars() {
            s.clear();
            push_lower_char(c, &mut s);
            assert!(
                s.chars().eq(c.to_lowercase()),
                "U+{:04X}: regenerate lower_tables.rs (see the module doc)",
                c as u32
            );
        }
    }

    #[test]
    fn final_sigma_as_the_standard_library() {
        // `xΣ` and `AxΣ` decide, for every x, both sets the rule reads.
        for c in all_chars() {
            for s in [
                format!("{c}Σ"),
                format!("A{c}Σ"),
                format!("AΣ{c}"),
                format!("AΣ{c}A"),
            ] {
                assert_eq!(
                    to_lowercase(&s),
                    s.to_lowercase(),
                    "U+{:04X}: regenerate lower_tables.rs (see the module doc)",
                    c as u32
                );
            }
        }
        for s in [
            "ΟΔΟΣ",
            "ΟΔΟΣ ΣΑΣ",
            "Σ",
            "ΑΣ.Β",
            "ΑΣ'Β",
            "İSTANBUL",
            "ZAŻÓŁĆ GĘŚLĄ JAŹŃ",
            "ǅ ǈ ᾈΣ",
        ] {
            assert_eq!(to_lowercase(s), s.to_lowercase(), "{s}");
        }
    }
}
