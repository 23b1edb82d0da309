//! The full morphological dictionary (PoliMorf via Morfologik): its compact binary format, the
//! reader ([`Dictionary`]) and the writer ([`DictionaryBuilder`], used by `tools/dictionary`).
//! Native only (the `fst` crate needs `std`): the `no_std` WebAssembly build keeps just
//! [`FormatError`] and `strip_chars`, which the site lexicon's reader uses.
//!
//! # Format (`data/polimorf.jwd`)
//!
//! ```text
//! b"JWDICT03"
//! u32 LE  R            number of rule sets
//! u32 LE  B            byte length of the rule-set area
//! u32 LE × (R+1)       offsets of rule sets in the rule-set area
//! B bytes              rule sets: u8 n, then n × (u8 prefix strip, u8 suffix strip,
//!                      u8 len, len bytes append)
//! rest                 an fst::Map: lowercase form (UTF-8, with diacritics) -> rule-set id
//! ```
//!
//! A rule `(p, s, append)` turns the FOLDED form into a folded lemma: drop `p` chars from the
//! start (`naj…` superlatives), `s` chars from the end, append `append`. A rule set is the sorted
//! list of a form's rules (one per lemma: ambiguous forms have several). Working on folded
//! strings makes the rules fewer (8 289 sets instead of 10 536). Rule sets are numbered by
//! decreasing frequency, so common ones get small fst outputs.
//!
//! Exact lookup is one `get`. The folded lookup needed by [`Lexicon`](crate::Lexicon) ("every
//! form whose folding is `f`") walks the fst following, at each char of `f`, only the chars that
//! fold to it ([`unfold_variants`]).
//!
//! Sizes tried (PoliMorf 2.1, 4.6 M forms): fst::Map form -> set id 3.8 MB (chosen); fst::Set
//! of `form 0x00 id` 4.1 MB; a Set keyed by `fold(form) 0x00 diacritic-diffs id` (direct range
//! lookup by folded form) 14.4 MB, because the diffs break the fst's suffix sharing.

#[cfg(not(target_arch = "wasm32"))]
use crate::prelude::*;
#[cfg(not(target_arch = "wasm32"))]
use alloc::borrow::Cow;
use core::fmt;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::HashMap;

#[cfg(not(target_arch = "wasm32"))]
use crate::codec::Reader;
#[cfg(not(target_arch = "wasm32"))]
use crate::fold::{fold_char, lowercase_into};

#[cfg(not(target_arch = "wasm32"))]
const MAGIC: &[u8; 8] = b"JWDICT03";

/// A malformed dictionary or lexicon file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub &'static str);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed data: {}", self.0)
    }
}

impl core::error::Error for FormatError {}

/// The full dictionary: lowercase form -> folded lemmas. Immutable, `Send + Sync`.
#[cfg(not(target_arch = "wasm32"))]
pub struct Dictionary {
    map: fst::Map<Cow<'static, [u8]>>,
    rules: Cow<'static, [u8]>,
    offsets: Vec<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dictionary")
            .field("forms", &self.map.len())
            .field("rule_sets", &self.rule_set_count())
            .finish()
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Dictionary {
    /// The dictionary embedded in the crate (feature `dictionary`, on by default). Parsed once
    /// (a few milliseconds: the fst is used in place, only the rule offsets are decoded).
    #[cfg(feature = "dictionary")]
    pub fn embedded() -> &'static Dictionary {
        static DATA: &[u8] = include_bytes!("../data/polimorf.jwd");
        static DICT: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
        DICT.get_or_init(|| Dictionary::from_static(DATA).expect("embedded dictionary is valid"))
    }

    /// A dictionary without any form: the one of languages analysed by a stemmer alone.
    pub fn empty() -> &'static Dictionary {
        static EMPTY: std::sync::OnceLock<Dictionary> = std::sync::OnceLock::new();
        EMPTY.get_or_init(|| {
            let (bytes, _) = DictionaryBuilder::new().finish();
            Dictionary::from_bytes(bytes).expect("an empty dictionary is valid")
        })
    }

    /// Reads a dictionary from static bytes without copying.
    pub fn from_static(data: &'static [u8]) -> Result<Dictionary, FormatError> {
        let (offsets, rules, fst_at) = parse_header(data)?;
        let map =
            fst::Map::new(Cow::Borrowed(&data[fst_at..])).map_err(|_| FormatError("bad fst"))?;
        Ok(Dictionary {
            map,
            rules: Cow::Borrowed(&data[rules]),
            offsets,
        })
    }

    /// Reads a dictionary from owned bytes (e.g. a file read at run time).
    pub fn from_bytes(data: Vec<u8>) -> Result<Dictionary, FormatError> {
        let (offsets, rules, fst_at) = parse_header(&data)?;
        let rules = data[rules].to_vec();
        let map = fst::Map::new(Cow::Owned(data[fst_at..].to_vec()))
            .map_err(|_| FormatError("bad fst"))?;
        Ok(Dictionary {
            map,
            rules: Cow::Owned(rules),
            offsets,
        })
    }

    /// Number of distinct lowercase forms.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the dictionary holds no form.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of distinct rule sets.
    pub fn rule_set_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Appends the folded lemmas of the exact lowercase form `lower` to `out` (unsorted; one per
    /// rule) and returns whether the form is in the dictionary. `folded` must be `fold(lower)`.
    pub fn lemmas_of_form(&self, lower: &str, folded: &str, out: &mut Vec<String>) -> bool {
        match self.map.get(lower) {
            Some(id) => {
                self.apply_rules(id, folded, |l| out.push(l.to_owned()));
                true
            }
            None => false,
        }
    }

    /// Calls `f(lemma)` for each folded lemma of rule set `id` applied to `folded`.
    pub(crate) fn apply_rules(&self, id: u64, folded: &str, f: impl FnMut(&str)) {
        let mut buf = String::with_capacity(folded.len() + 8);
        self.apply_rules_buf(id, folded, &mut buf, f);
    }

    /// [`apply_rules`](Self::apply_rules) with a caller-provided scratch buffer.
    pub(crate) fn apply_rules_buf(
        &self,
        id: u64,
        folded: &str,
        buf: &mut String,
        mut f: impl FnMut(&str),
    ) {
        for (prefix, strip, append) in self.rule_set(id) {
            buf.clear();
            buf.push_str(strip_chars(skip_chars(folded, prefix), strip));
            buf.push_str(append);
            f(buf);
        }
    }

    /// The rules of set `id`: `(chars to drop at the start, chars to drop at the end, append)`.
    pub(crate) fn rule_set(&self, id: u64) -> impl Iterator<Item = (usize, usize, &str)> + '_ {
        let id = id as usize;
        let (start, end) = match (self.offsets.get(id), self.offsets.get(id + 1)) {
            (Some(&s), Some(&e)) => (s as usize, e as usize),
            _ => (0, 0),
        };
        let bytes = self.rules.get(start..end).unwrap_or(&[]);
        let mut r = Reader::new(bytes);
        let n = r.byte().unwrap_or(0);
        (0..n).map_while(move |_| {
            let h = r.bytes(3).ok()?;
            let s = core::str::from_utf8(r.bytes(usize::from(h[2])).ok()?).ok()?;
            Some((usize::from(h[0]), usize::from(h[1]), s))
        })
    }

    /// Calls `f(form, rule-set id)` for every form (in byte order).
    pub(crate) fn for_each_form(&self, mut f: impl FnMut(&str, u64)) {
        use fst::Streamer;
        let mut stream = self.map.stream();
        while let Some((k, v)) = stream.next() {
            if let Ok(form) = core::str::from_utf8(k) {
                f(form, v);
            }
        }
    }

    /// Calls `f(form, rule-set id)` for every form whose folding is `folded`, in byte order.
    /// A depth-first walk of the fst that follows, at each position, only the chars folding to
    /// the next char of `folded` ([`unfold_variants`]): a handful of node steps per char.
    pub(crate) fn for_each_folding_to(&self, folded: &str, mut f: impl FnMut(&str, u64)) {
        let fst = self.map.as_fst();
        let chars: Vec<char> = folded.chars().collect();
        let mut path = Vec::with_capacity(folded.len() + 8);
        walk(
            fst,
            fst.root(),
            fst::raw::Output::zero(),
            &chars,
            &mut path,
            &mut f,
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn walk<D: AsRef<[u8]>>(
    fst: &fst::raw::Fst<D>,
    node: fst::raw::Node<'_>,
    out: fst::raw::Output,
    rest: &[char],
    path: &mut Vec<u8>,
    f: &mut impl FnMut(&str, u64),
) {
    let Some((&want, rest)) = rest.split_first() else {
        if node.is_final() {
            if let Ok(form) = core::str::from_utf8(path) {
                f(form, out.cat(node.final_output()).value());
            }
        }
        return;
    };
    let mut tmp = [0u8; 4];
    for &c in core::iter::once(&want).chain(unfold_variants(want)) {
        let bytes = c.encode_utf8(&mut tmp).as_bytes();
        let mut n = node;
        let mut o = out;
        let mut ok = true;
        for &b in bytes {
            match n.find_input(b) {
                Some(i) => {
                    let t = n.transition(i);
                    o = o.cat(t.out);
                    n = fst.node(t.addr);
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            let len = path.len();
            path.extend_from_slice(bytes);
            walk(fst, n, o, rest, path, f);
            path.truncate(len);
        }
    }
}

/// The chars other than `base` that [`fold_char`] maps to `base` (the inverse of folding).
#[cfg(not(target_arch = "wasm32"))]
pub fn unfold_variants(base: char) -> &'static [char] {
    match base {
        'a' => &['ą', 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă'],
        'c' => &['ć', 'ç', 'ĉ', 'ċ', 'č'],
        'd' => &['ď', 'đ', 'ð'],
        'e' => &['ę', 'è', 'é', 'ê', 'ë', 'ē', 'ĕ', 'ė', 'ě'],
        'g' => &['ĝ', 'ğ', 'ġ', 'ģ'],
        'h' => &['ĥ', 'ħ'],
        'i' => &['ì', 'í', 'î', 'ï', 'ĩ', 'ī', 'ĭ', 'į', 'ı'],
        'j' => &['ĵ'],
        'k' => &['ķ'],
        'l' => &['ł', 'ĺ', 'ļ', 'ľ', 'ŀ'],
        'n' => &['ń', 'ñ', 'ņ', 'ň'],
        'o' => &['ó', 'ò', 'ô', 'õ', 'ö', 'ø', 'ō', 'ŏ', 'ő'],
        'r' => &['ŕ', 'ŗ', 'ř'],
        's' => &['ś', 'ŝ', 'ş', 'š', 'ș', 'ſ'],
        't' => &['ţ', 'ť', 'ŧ', 'ț'],
        'u' => &['ù', 'ú', 'û', 'ü', 'ũ', 'ū', 'ŭ', 'ů', 'ű', 'ų'],
        'w' => &['ŵ'],
        'y' => &['ý', 'ÿ', 'ŷ'],
        'z' => &['ź', 'ż', 'ž'],
        'г' => &['ґ'],
        '\'' => &['\u{2019}', '\u{2bc}'],
        _ => &[],
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_header(data: &[u8]) -> Result<(Vec<u32>, core::ops::Range<usize>, usize), FormatError> {
    let mut r = Reader::new(data);
    if r.bytes(8).ok() != Some(&MAGIC[..]) {
        return Err(FormatError("not a jawnik dictionary (magic)"));
    }
    let n = r.fixed_u32().map_err(|_| FormatError("header"))? as usize;
    let len = r.fixed_u32().map_err(|_| FormatError("header"))? as usize;
    let mut offsets = Vec::with_capacity(n + 1);
    for _ in 0..=n {
        let o = r.fixed_u32().map_err(|_| FormatError("offsets"))?;
        if o as usize > len {
            return Err(FormatError("offset out of range"));
        }
        offsets.push(o);
    }
    let start = r.position();
    let end = start
        .checked_add(len)
        .filter(|&e| e <= data.len())
        .ok_or(FormatError("rules"))?;
    Ok((offsets, start..end, end))
}

/// `s` without its last `n` chars (all of it gone if `n` exceeds its length).
#[inline]
pub(crate) fn strip_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return s;
    }
    match s.char_indices().rev().nth(n - 1) {
        Some((i, _)) => &s[..i],
        None => "",
    }
}

/// `s` without its first `n` chars.
#[cfg(not(target_arch = "wasm32"))]
#[inline]
pub(crate) fn skip_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return s;
    }
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[i..],
        None => "",
    }
}

/// `(prefix strip, suffix strip, append)`.
#[cfg(not(target_arch = "wasm32"))]
type Rule = (u8, u8, String);

/// The rule turning folded form `f` into folded lemma `l`: the prefix strip (0..=4) that keeps
/// the longest common prefix, ties going to the smaller strip.
#[cfg(not(target_arch = "wasm32"))]
fn rule_for(f: &[char], l: &[char]) -> (usize, usize, String) {
    let mut best = (0usize, 0usize);
    for p in 0..=4.min(f.len()) {
        let common = f[p..].iter().zip(l).take_while(|(a, b)| a == b).count();
        if common > best.1 + p.saturating_sub(best.0) {
            best = (p, common);
        }
    }
    let (p, common) = best;
    (p, f.len() - p - common, l[common..].iter().collect())
}

/// Builds the binary dictionary from `(form, lemma)` pairs (any case; lowercased here).
///
/// Forms that contain anything but letters and digits (`ABB-ach`, abbreviations with dots,
/// multi-word entries) are skipped: the tokenizer never produces them.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
pub struct DictionaryBuilder {
    entries: Vec<(Box<[u8]>, u32)>,
    rule_ids: HashMap<Rule, u32>,
    rules: Vec<Rule>,
    lower: String,
    lemma: String,
    /// Pairs skipped because of their shape.
    pub skipped: usize,
}

/// Sizes of a built dictionary.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy)]
pub struct BuildStats {
    /// Distinct lowercase forms.
    pub forms: usize,
    /// Distinct `(strip, append)` rules.
    pub rules: usize,
    /// Distinct rule sets.
    pub rule_sets: usize,
    /// Bytes of the fst.
    pub fst_bytes: usize,
    /// Bytes of the whole file.
    pub total_bytes: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl DictionaryBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one `form -> lemma` pair.
    pub fn add(&mut self, form: &str, lemma: &str) {
        lowercase_into(form, &mut self.lower);
        if self.lower.is_empty() || !self.lower.chars().all(char::is_alphanumeric) {
            self.skipped += 1;
            return;
        }
        let mut l = String::new();
        lowercase_into(lemma, &mut l);
        self.lemma.clear();
        self.lemma.extend(l.chars().map(fold_char));
        if self.lemma.is_empty() || self.lower.chars().count() > 255 {
            self.skipped += 1;
            return;
        }
        let folded: Vec<char> = self.lower.chars().map(fold_char).collect();
        let lemma: Vec<char> = self.lemma.chars().collect();
        let (prefix, strip, append) = rule_for(&folded, &lemma);
        if strip > 255 || append.len() > 255 {
            self.skipped += 1;
            return;
        }
        let rule = (prefix as u8, strip as u8, append);
        let next = self.rules.len() as u32;
        let id = *self.rule_ids.entry(rule.clone()).or_insert(next);
        if id == next {
            self.rules.push(rule);
        }
        self.entries
            .push((self.lower.clone().into_bytes().into_boxed_slice(), id));
    }

    /// Writes the dictionary file.
    pub fn finish(mut self) -> (Vec<u8>, BuildStats) {
        self.entries.sort_unstable();
        self.entries.dedup();
        // Group rules per key, intern the sets.
        let mut keys: Vec<(Box<[u8]>, u32)> = Vec::new();
        let mut set_ids: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        let mut i = 0;
        while i < self.entries.len() {
            let mut j = i;
            let mut set = Vec::new();
            while j < self.entries.len() && self.entries[j].0 == self.entries[i].0 {
                set.push(self.entries[j].1);
                j += 1;
            }
            // Sort rules by their lemma-affecting content for determinism.
            set.sort_by(|a, b| self.rules[*a as usize].cmp(&self.rules[*b as usize]));
            set.truncate(255);
            let next = sets.len() as u32;
            let id = *set_ids.entry(set.clone()).or_insert(next);
            if id == next {
                sets.push(set);
                counts.push(0);
            }
            counts[id as usize] += 1;
            keys.push((core::mem::take(&mut self.entries[i].0), id));
            i = j;
        }
        // Renumber sets by decreasing frequency (ties by content, for determinism).
        let mut order: Vec<u32> = (0..sets.len() as u32).collect();
        order.sort_by(|&a, &b| {
            counts[b as usize]
                .cmp(&counts[a as usize])
                .then_with(|| sets[a as usize].cmp(&sets[b as usize]))
        });
        let mut new_id = vec![0u32; sets.len()];
        for (n, &old) in order.iter().enumerate() {
            new_id[old as usize] = n as u32;
        }
        let mut rule_bytes = Vec::new();
        let mut offsets = Vec::with_capacity(sets.len() + 1);
        for &old in &order {
            offsets.push(rule_bytes.len() as u32);
            let set = &sets[old as usize];
            rule_bytes.push(set.len() as u8);
            for &r in set {
                let (prefix, strip, append) = &self.rules[r as usize];
                rule_bytes.push(*prefix);
                rule_bytes.push(*strip);
                rule_bytes.push(append.len() as u8);
                rule_bytes.extend_from_slice(append.as_bytes());
            }
        }
        offsets.push(rule_bytes.len() as u32);
        let mut fst = fst::MapBuilder::memory();
        for (k, id) in &keys {
            fst.insert(k, u64::from(new_id[*id as usize]))
                .expect("sorted unique keys");
        }
        let fst = fst.into_inner().expect("fst build");
        let mut out = Vec::with_capacity(16 + offsets.len() * 4 + rule_bytes.len() + fst.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(sets.len() as u32).to_le_bytes());
        out.extend_from_slice(&(rule_bytes.len() as u32).to_le_bytes());
        for o in &offsets {
            out.extend_from_slice(&o.to_le_bytes());
        }
        out.extend_from_slice(&rule_bytes);
        out.extend_from_slice(&fst);
        let stats = BuildStats {
            forms: keys.len(),
            rules: self.rules.len(),
            rule_sets: sets.len(),
            fst_bytes: fst.len(),
            total_bytes: out.len(),
        };
        (out, stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_and_read() {
        let mut b = DictionaryBuilder::new();
        for (f, l) in [
            ("Łodzi", "Łódź"),
            ("łodzi", "łódź"),
            ("łódź", "łódź"),
            ("sąd", "sąd"),
            ("sad", "sad"),
            ("sądu", "sąd"),
            ("ABB-ach", "ABBA"),
            ("miastem", "miasto"),
            ("miasta", "miasto"),
        ] {
            b.add(f, l);
        }
        let (bytes, stats) = b.finish();
        assert_eq!(stats.forms, 7);
        let d = Dictionary::from_bytes(bytes).unwrap();
        let mut out = Vec::new();
        assert!(d.lemmas_of_form("łodzi", "lodzi", &mut out));
        assert_eq!(out, ["lodz"]);
        out.clear();
        assert!(!d.lemmas_of_form("lodzi", "lodzi", &mut out));
        assert!(d.lemmas_of_form("miastem", "miastem", &mut out));
        assert_eq!(out, ["miasto"]);
        let mut forms = Vec::new();
        d.for_each_folding_to("lodzi", |f, _| forms.push(f.to_owned()));
        assert_eq!(forms, ["łodzi"]);
        forms.clear();
        d.for_each_folding_to("sad", |f, _| forms.push(f.to_owned()));
        assert_eq!(forms, ["sad", "sąd"]);
    }

    #[test]
    fn variants_invert_folding() {
        let cyrillic = '\u{400}'..='\u{4ff}';
        for c in ('\u{0}'..='\u{24f}')
            .chain(cyrillic)
            .chain(['\u{2bc}', '\u{2019}'])
        {
            let b = fold_char(c);
            if b != c {
                assert!(unfold_variants(b).contains(&c), "{c}");
            }
        }
        for b in ('a'..='z').chain(['г', '\'']) {
            assert!(unfold_variants(b).iter().all(|&c| fold_char(c) == b));
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(strip_chars("źródła", 2), "źród");
        assert_eq!(strip_chars("ab", 5), "");
        assert_eq!(skip_chars("najlepszy", 3), "lepszy");
        let f: Vec<char> = "najpiekniejszego".chars().collect();
        let l: Vec<char> = "piekny".chars().collect();
        assert_eq!(rule_for(&f, &l), (3, 8, "y".to_owned()));
    }
}
