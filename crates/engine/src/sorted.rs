//! Small sorted-vector helpers the engine uses instead of `BTreeMap`/`BTreeSet` and the standard
//! sorts: every map or set type and every sort is compiled again for each element type, and
//! those copies made up much of the browser's WebAssembly module. A sorted `Vec` and one compact
//! heapsort per element type keep it small; results are the same (every order used is total).

use crate::backend::DocId;
use crate::prelude::*;

pub use jawnik_analysis::sort::sort_by;

/// Sorts and deduplicates document numbers (or any `u32`).
pub fn sort_dedup(v: &mut Vec<DocId>) {
    sort_by(v, |a, b| a < b);
    v.dedup();
}

/// Whether a sorted, deduplicated list holds `doc`.
pub fn has(docs: &[DocId], doc: DocId) -> bool {
    docs.binary_search(&doc).is_ok()
}

/// Inserts `item` into a sorted, deduplicated list of strings (a set kept as a `Vec`).
pub fn insert_str(set: &mut Vec<String>, item: String) {
    if let Err(at) = set.binary_search(&item) {
        set.insert(at, item);
    }
}

/// Whether a sorted, deduplicated list of strings holds `item`.
pub fn has_str(set: &[String], item: &str) -> bool {
    set.binary_search_by(|s| s.as_str().cmp(item)).is_ok()
}

/// The value for `key` in a list of (key, value) sorted by key, inserted (`V::default()`) if absent.
pub fn entry<'a, V: Default>(map: &'a mut Vec<(String, V)>, key: &str) -> &'a mut V {
    let at = match map.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
        Ok(at) => at,
        Err(at) => {
            map.insert(at, (key.to_string(), V::default()));
            at
        }
    };
    &mut map[at].1
}

/// The value for `key` in a list of (key, value) sorted by key.
pub fn get<'a, V>(map: &'a [(String, V)], key: &str) -> Option<&'a V> {
    map.binary_search_by(|(k, _)| k.as_str().cmp(key))
        .ok()
        .map(|at| &map[at].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_sort() {
        let mut seed = 12_345u32;
        for n in [0usize, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    seed % 97
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            sort_by(&mut v, |a, b| a < b);
            assert_eq!(v, expected);
            let mut d = v.clone();
            sort_dedup(&mut d);
            expected.dedup();
            assert_eq!(d, expected);
        }
        let mut set = Vec::new();
        for w in ["kot", "ala", "kot", "żaba"] {
            insert_str(&mut set, w.to_string());
        }
        assert_eq!(set, ["ala", "kot", "żaba"]);
        assert!(has_str(&set, "kot") && !has_str(&set, "pies"));
        let mut map: Vec<(String, u32)> = Vec::new();
        *entry(&mut map, "b") += 1;
        *entry(&mut map, "a") += 2;
        *entry(&mut map, "b") += 3;
        assert_eq!(map, [("a".to_string(), 2), ("b".to_string(), 4)]);
        assert_eq!(get(&map, "b"), Some(&4));
        assert_eq!(get(&map, "c"), None);
        let mut words = vec!["żaba", "ala", "kot", "ala"];
        sort_by(&mut words, |a, b| a > b);
        assert_eq!(words, ["żaba", "kot", "ala", "ala"]);
    }
}
