//! Numbers written as text without `core::fmt`: the formatting machinery adds kilobytes to the
//! browser's WebAssembly module, and the engine and the browser's answers only need decimals.

use crate::prelude::*;

/// Appends `n` in decimal.
pub fn push_uint(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits.
pub fn push_uint_padded(out: &mut String, n: u64, width: usize) {
    let mut tmp = String::new();
    push_uint(&mut tmp, n);
    for _ in tmp.len()..width {
        out.push('0');
    }
    out.push_str(&tmp);
}

/// `parts` joined into one string.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_format() {
        for n in [0u64, 7, 10, 99, 1_000, 123_456_789, u64::MAX] {
            let mut s = String::new();
            push_uint(&mut s, n);
            assert_eq!(s, n.to_string());
            let mut p = String::new();
            push_uint_padded(&mut p, n, 6);
            assert_eq!(p, format!("{n:06}"));
        }
        assert_eq!(concat(&["a", "", "bc"]), "abc");
    }
}
