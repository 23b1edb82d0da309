//! Edit distance for typo tolerance: the single rule both backends use to find near words.

use crate::prelude::*;

/// Whether two words are at most one insertion, deletion or substitution apart (and differ).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let s = a[p..]
        .iter()
        .rev()
        .zip(b[p..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len() - p - s <= 1 && b.len() - p - s <= 1
}

#[cfg(test)]
mod tests {
    use super::one_edit_apart;

    #[test]
    fn edits() {
        assert!(one_edit_apart("kultura", "kulture"));
        assert!(one_edit_apart("kultura", "kulturaa"));
        assert!(one_edit_apart("kultura", "kultra"));
        assert!(one_edit_apart("łódź", "łodź"));
        assert!(!one_edit_apart("kultura", "kultura"));
        assert!(!one_edit_apart("kultura", "kulturowa"));
        assert!(!one_edit_apart("abc", "cab"));
    }
}
