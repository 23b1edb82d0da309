//! Lexicons for query analysis: the [`Lexicon`] trait, its implementation on the full
//! [`Dictionary`], and [`SiteLexicon`] — the forms of only those lemmas that occur in a site,
//! small enough to ship to the browser, serialisable and split into shards by [`shard_key`].
//!
//! # SiteLexicon byte format (one shard or a whole lexicon)
//!
//! ```text
//! b"JWLX" u8 version(1)
//! varint K                          folded keys, sorted
//! K × { varint shared, str rest             key, front-coded against the previous key
//!       varint E                             entries (original forms), sorted by form
//!       E × { varint D, D × (varint char position, varint char)   chars that folding changed
//!             varint L, L × (varint strip, str append) } }        lemmas, relative to the key
//! ```
//! Strings are `varint length + UTF-8`.

use crate::prelude::*;
use alloc::collections::{BTreeMap, BTreeSet};

use crate::codec::{put_front_coded, put_str, put_varint, Corrupt, Reader};
#[cfg(not(target_arch = "wasm32"))]
use crate::dictionary::Dictionary;
use crate::dictionary::{strip_chars, FormatError};
use crate::fold::fold_char;
#[cfg(not(target_arch = "wasm32"))]
use crate::fold::fold_into;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::HashSet;

const MAGIC: &[u8; 4] = b"JWLX";
const VERSION: u8 = 1;

/// One dictionary form and its lemmas.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LexEntry {
    /// The original lowercase form, with diacritics.
    pub form: String,
    /// Its folded lemmas, sorted and deduplicated.
    pub lemmas: Vec<String>,
}

/// A source of forms for query analysis.
pub trait Lexicon {
    /// All forms whose folding equals `folded_form`, with their folded lemmas; sorted by form.
    fn lookup(&self, folded_form: &str) -> Vec<LexEntry>;
}

impl<L: Lexicon + ?Sized> Lexicon for &L {
    fn lookup(&self, folded_form: &str) -> Vec<LexEntry> {
        (**self).lookup(folded_form)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Lexicon for Dictionary {
    fn lookup(&self, folded_form: &str) -> Vec<LexEntry> {
        let mut out = Vec::new();
        self.for_each_folding_to(folded_form, |form, id| {
            let mut lemmas = Vec::new();
            self.apply_rules(id, folded_form, |l| lemmas.push(l.to_owned()));
            lemmas.sort_unstable();
            lemmas.dedup();
            out.push(LexEntry {
                form: form.to_owned(),
                lemmas,
            });
        });
        out.sort_unstable();
        out
    }
}

fn first_key(map: &[(String, Vec<LexEntry>)]) -> String {
    map.first().map(|(k, _)| k.clone()).unwrap_or_default()
}

/// The shard of a folded form: its first two chars, with anything but `a-z0-9` replaced by `_`
/// (safe as a file name). Forms shorter than two chars are their own shard key.
pub fn shard_key(folded_form: &str) -> String {
    folded_form
        .chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Collects the entries of a [`SiteLexicon`] for a set of wanted lemmas, form by form.
#[cfg(not(target_arch = "wasm32"))]
struct LexiconBuilder<'w> {
    wanted: &'w HashSet<&'w str>,
    map: BTreeMap<String, Vec<LexEntry>>,
    buf: String,
    folded: String,
    hits: Vec<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'w> LexiconBuilder<'w> {
    fn new(wanted: &'w HashSet<&'w str>) -> Self {
        LexiconBuilder {
            wanted,
            map: BTreeMap::new(),
            buf: String::new(),
            folded: String::new(),
            hits: Vec::new(),
        }
    }

    /// Adds a dictionary form (with its rule set) if it has wanted lemmas.
    fn add(&mut self, dict: &Dictionary, form: &str, id: u64) {
        self.folded.clear();
        fold_into(form, &mut self.folded);
        self.hits.clear();
        let (wanted, hits) = (self.wanted, &mut self.hits);
        dict.apply_rules_buf(id, &self.folded, &mut self.buf, |l| {
            if wanted.contains(l) {
                hits.push(l.to_owned());
            }
        });
        if self.hits.is_empty() {
            return;
        }
        self.hits.sort_unstable();
        self.hits.dedup();
        let entry = LexEntry {
            form: form.to_owned(),
            lemmas: self.hits.clone(),
        };
        self.map.entry(self.folded.clone()).or_default().push(entry);
    }

    fn finish(mut self) -> SiteLexicon {
        for v in self.map.values_mut() {
            v.sort_unstable();
        }
        SiteLexicon {
            map: self.map.into_iter().collect(),
        }
    }
}

/// The dictionary turned around: which forms have a given lemma. Built once (one pass over
/// the dictionary, about 80 MB), it gives [`SiteLexicon::build`]'s result for a few lemmas at
/// once instead of in another pass — what `jawnik serve` needs when an edit brings a lemma
/// new to the site.
#[cfg(not(target_arch = "wasm32"))]
pub struct LemmaForms {
    /// (hash of a lemma, form number), sorted.
    by_lemma: Vec<(u32, u32)>,
    /// The forms, concatenated, with their start offsets and rule sets.
    forms: String,
    starts: Vec<u32>,
    rule_sets: Vec<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl LemmaForms {
    /// Reads the whole dictionary.
    pub fn build(dict: &Dictionary) -> LemmaForms {
        let mut out = LemmaForms {
            by_lemma: Vec::new(),
            forms: String::new(),
            starts: Vec::new(),
            rule_sets: Vec::new(),
        };
        let (mut folded, mut buf) = (String::new(), String::new());
        dict.for_each_form(|form, id| {
            let number = out.starts.len() as u32;
            out.starts.push(out.forms.len() as u32);
            out.forms.push_str(form);
            out.rule_sets.push(id as u32);
            folded.clear();
            fold_into(form, &mut folded);
            let by_lemma = &mut out.by_lemma;
            dict.apply_rules_buf(id, &folded, &mut buf, |l| {
                by_lemma.push((lemma_hash(l), number));
            });
        });
        out.starts.push(out.forms.len() as u32);
        out.by_lemma.sort_unstable();
        out.by_lemma.dedup();
        out
    }

    /// [`SiteLexicon::build`]`(dict, lemmas)`, from the forms of those lemmas only.
    pub fn site_lexicon(&self, dict: &Dictionary, lemmas: &BTreeSet<String>) -> SiteLexicon {
        let mut numbers: Vec<u32> = Vec::new();
        for lemma in lemmas {
            let hash = lemma_hash(lemma);
            let from = self.by_lemma.partition_point(|&(h, _)| h < hash);
            numbers.extend(
                self.by_lemma[from..]
                    .iter()
                    .take_while(|&&(h, _)| h == hash)
                    .map(|&(_, n)| n),
            );
        }
        // In dictionary order, each form once, as a pass over the dictionary meets them.
        numbers.sort_unstable();
        numbers.dedup();
        let wanted: HashSet<&str> = lemmas.iter().map(String::as_str).collect();
        let mut lexicon = LexiconBuilder::new(&wanted);
        for n in numbers {
            let (start, end) = (self.starts[n as usize], self.starts[n as usize + 1]);
            let form = &self.forms[start as usize..end as usize];
            lexicon.add(dict, form, u64::from(self.rule_sets[n as usize]));
        }
        lexicon.finish()
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn lemma_hash(lemma: &str) -> u32 {
    // FNV-1a: stable, and any collision only adds a form that the rules then reject.
    let mut h: u32 = 0x811c_9dc5;
    for b in lemma.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

/// About the bytes a folded form's entries take serialised ([`SiteLexicon::to_bytes`]).
fn entry_size(key: &str, entries: &[LexEntry]) -> usize {
    key.len()
        + entries
            .iter()
            .map(|e| e.form.len() / 2 + 2 + e.lemmas.len() * 3)
            .sum::<usize>()
}

/// The forms of a chosen set of lemmas: folded form -> entries. Implements [`Lexicon`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteLexicon {
    /// (folded form, entries), sorted by folded form, each once (a sorted `Vec` rather than a
    /// map: the browser only reads and looks up, and a map's code is large in WebAssembly).
    map: Vec<(String, Vec<LexEntry>)>,
}

impl SiteLexicon {
    /// Collects every dictionary form having at least one lemma in `lemmas` (folded lemmas, e.g.
    /// all index terms of a site; other terms are simply ignored). An entry keeps only the
    /// lemmas that are in the set. One pass over the dictionary.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn build(dict: &Dictionary, lemmas: &BTreeSet<String>) -> SiteLexicon {
        let wanted: HashSet<&str> = lemmas.iter().map(String::as_str).collect();
        let mut lexicon = LexiconBuilder::new(&wanted);
        dict.for_each_form(|form, id| lexicon.add(dict, form, id));
        lexicon.finish()
    }

    /// The folded forms, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.iter().map(|(k, _)| k.as_str())
    }

    /// The entries whose folded form is at least `from` and, when given, below `to`.
    pub fn range(&self, from: &str, to: Option<&str>) -> SiteLexicon {
        let start = self.map.partition_point(|(k, _)| k.as_str() < from);
        let map = self.map[start..]
            .iter()
            .take_while(|(k, _)| to.is_none_or(|to| k.as_str() < to))
            .cloned()
            .collect();
        SiteLexicon { map }
    }

    /// Number of distinct folded forms.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of original forms.
    pub fn form_count(&self) -> usize {
        self.map.iter().map(|(_, v)| v.len()).sum()
    }

    /// Adds another lexicon's entries (e.g. a shard fetched by the browser).
    pub fn merge(&mut self, other: SiteLexicon) {
        let mut map: BTreeMap<String, Vec<LexEntry>> =
            core::mem::take(&mut self.map).into_iter().collect();
        for (k, mut v) in other.map {
            let e = map.entry(k).or_default();
            e.append(&mut v);
            e.sort_unstable();
            e.dedup();
        }
        self.map = map.into_iter().collect();
    }

    /// Removes these lemmas from every entry, and the forms left without any.
    pub fn remove_lemmas(&mut self, lemmas: &BTreeSet<String>) {
        for (_, entries) in self.map.iter_mut() {
            for e in entries.iter_mut() {
                e.lemmas.retain(|l| !lemmas.contains(l));
            }
            entries.retain(|e| !e.lemmas.is_empty());
        }
        self.map.retain(|(_, entries)| !entries.is_empty());
    }

    /// Adds the forms of another lexicon, a form present in both getting the union of their
    /// lemmas. Query analysis reads lemmas per form, so `build(a)` merged with `build(b)`
    /// analyses every word as `build(a ∪ b)` does.
    pub fn merge_forms(&mut self, other: SiteLexicon) {
        let mut map: BTreeMap<String, Vec<LexEntry>> =
            core::mem::take(&mut self.map).into_iter().collect();
        for (key, new) in other.map {
            let entries = map.entry(key).or_default();
            for e in new {
                match entries.iter_mut().find(|x| x.form == e.form) {
                    Some(x) => {
                        x.lemmas.extend(e.lemmas);
                        x.lemmas.sort_unstable();
                        x.lemmas.dedup();
                    }
                    None => entries.push(e),
                }
            }
            entries.sort_unstable();
        }
        self.map = map.into_iter().collect();
    }

    /// The shard keys present, sorted.
    pub fn shard_keys(&self) -> Vec<String> {
        let keys: BTreeSet<String> = self.keys().map(shard_key).collect();
        keys.into_iter().collect()
    }

    /// The part of this lexicon in shard `key` (see [`shard_key`]).
    pub fn shard(&self, key: &str) -> SiteLexicon {
        let map = self
            .map
            .iter()
            .filter(|(k, _)| shard_key(k) == key)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        SiteLexicon { map }
    }

    /// All shards: shard key -> shard.
    pub fn shards(&self) -> BTreeMap<String, SiteLexicon> {
        let mut out: BTreeMap<String, SiteLexicon> = BTreeMap::new();
        for (k, v) in &self.map {
            // In key order, so each shard stays sorted.
            out.entry(shard_key(k))
                .or_default()
                .map
                .push((k.clone(), v.clone()));
        }
        out
    }

    /// Each folded form with about the bytes its entries take serialised, in order.
    pub fn key_sizes(&self) -> impl Iterator<Item = (&str, usize)> {
        self.map
            .iter()
            .map(|(key, entries)| (key.as_str(), entry_size(key, entries)))
    }

    /// Splits into consecutive ranges of folded forms, each about `target_bytes` serialised
    /// (a single key never splits): `(first key, part)`, the first key of the first part being "".
    /// The browser fetches only the part holding a query word.
    pub fn split_by_size(&self, target_bytes: usize) -> Vec<(String, SiteLexicon)> {
        let mut parts: Vec<(String, SiteLexicon)> = Vec::new();
        let mut current = Vec::new();
        let mut size = 0usize;
        for (key, entries) in &self.map {
            if size >= target_bytes && !current.is_empty() {
                let first = if parts.is_empty() {
                    String::new()
                } else {
                    first_key(&current)
                };
                parts.push((
                    first,
                    SiteLexicon {
                        map: core::mem::take(&mut current),
                    },
                ));
                size = 0;
            }
            size += entry_size(key, entries);
            current.push((key.clone(), entries.clone()));
        }
        if !current.is_empty() || parts.is_empty() {
            let first = if parts.is_empty() {
                String::new()
            } else {
                first_key(&current)
            };
            parts.push((first, SiteLexicon { map: current }));
        }
        parts
    }

    /// Serialises (see the module doc for the format). Deterministic.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        put_varint(&mut out, self.map.len() as u64);
        let mut prev: &str = "";
        for (key, entries) in &self.map {
            put_front_coded(&mut out, prev, key);
            put_varint(&mut out, entries.len() as u64);
            let key_chars = key.chars().count();
            for e in entries {
                let diffs: Vec<(usize, char)> = e
                    .form
                    .chars()
                    .enumerate()
                    .filter(|&(_, c)| fold_char(c) != c)
                    .collect();
                put_varint(&mut out, diffs.len() as u64);
                for (i, c) in diffs {
                    put_varint(&mut out, i as u64);
                    put_varint(&mut out, u64::from(c as u32));
                }
                put_varint(&mut out, e.lemmas.len() as u64);
                for l in &e.lemmas {
                    let common = key
                        .chars()
                        .zip(l.chars())
                        .take_while(|(a, b)| a == b)
                        .count();
                    put_varint(&mut out, (key_chars - common) as u64);
                    let at = l.char_indices().nth(common).map_or(l.len(), |(i, _)| i);
                    put_str(&mut out, &l[at..]);
                }
            }
            prev = key;
        }
        out
    }

    /// Reads bytes written by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<SiteLexicon, FormatError> {
        const BAD: FormatError = FormatError("truncated or corrupt site lexicon");
        let bad = |_: Corrupt| BAD;
        let mut r = Reader::new(bytes);
        if r.bytes(4).ok() != Some(&MAGIC[..]) {
            return Err(FormatError("not a jawnik site lexicon (magic)"));
        }
        if r.bytes(1).ok() != Some(&[VERSION][..]) {
            return Err(FormatError("unsupported site lexicon version"));
        }
        let n = r.usize().map_err(bad)?;
        let mut map: Vec<(String, Vec<LexEntry>)> = Vec::new();
        let mut key = String::new();
        for _ in 0..n {
            r.front_coded(&mut key).map_err(bad)?;
            let ne = r.usize().map_err(bad)?;
            let mut entries = Vec::with_capacity(ne.min(1024));
            for _ in 0..ne {
                let mut chars: Vec<char> = key.chars().collect();
                let nd = r.usize().map_err(bad)?;
                for _ in 0..nd {
                    let i = r.usize().map_err(bad)?;
                    let c = r.u32().ok().and_then(char::from_u32);
                    *chars.get_mut(i).ok_or(BAD)? = c.ok_or(BAD)?;
                }
                let nl = r.usize().map_err(bad)?;
                let mut lemmas = Vec::with_capacity(nl.min(64));
                for _ in 0..nl {
                    let strip = r.usize().map_err(bad)?;
                    let append = r.str().map_err(bad)?;
                    let mut l = strip_chars(&key, strip).to_owned();
                    l.push_str(append);
                    lemmas.push(l);
                }
                entries.push(LexEntry {
                    form: chars.into_iter().collect(),
                    lemmas,
                });
            }
            // The writer prefix-codes keys in order: anything else is damage.
            if map.last().is_some_and(|(prev, _)| *prev >= key) {
                return Err(BAD);
            }
            map.push((key.clone(), entries));
        }
        if !r.at_end() {
            return Err(FormatError("trailing bytes in site lexicon"));
        }
        Ok(SiteLexicon { map })
    }
}

impl Lexicon for SiteLexicon {
    fn lookup(&self, folded_form: &str) -> Vec<LexEntry> {
        self.map
            .binary_search_by(|(k, _)| k.as_str().cmp(folded_form))
            .map(|at| self.map[at].1.clone())
            .unwrap_or_default()
    }
}
