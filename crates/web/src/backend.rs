//! [`ShardBackend`]: the query engine's view of the static shards. It answers from the files
//! loaded so far and, for anything else, records which file is missing; the caller (the
//! browser's JS, or a test reading a folder) loads those and runs the query again.

use jawnik_analysis::{analyze_query_word, fold, to_lowercase, Lexicon, SiteLexicon, StopWords};
use jawnik_engine::sorted::{insert_str, sort_by};
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{most_frequent, word_terms, Backend, DocId, Field, Posting, WordTerms};

use crate::format::{
    decode_docs, decode_terms, field_positions, find_positions, ChunkTable, DocRecord, Facets,
    FieldPostings, Meta, ShardError, TermMap,
};

/// The loaded chunks of one table, by chunk number (a `Vec` rather than a hash map: less code
/// in the WebAssembly module; chunk numbers are small and dense).
struct Chunks<T>(Vec<Option<T>>);

impl<T> Chunks<T> {
    fn new() -> Self {
        Chunks(Vec::new())
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.0.get(i)?.as_ref()
    }

    fn has(&self, i: usize) -> bool {
        self.get(i).is_some()
    }

    fn insert(&mut self, i: usize, chunk: T) {
        if self.0.len() <= i {
            self.0.resize_with(i + 1, || None);
        }
        self.0[i] = Some(chunk);
    }
}

/// The engine over static shards.
pub struct ShardBackend {
    meta: Meta,
    terms: Chunks<TermMap>,
    /// Position chunks, inflated and checked, read when a phrase needs them.
    positions: Chunks<Vec<u8>>,
    /// The lexicon part of each loaded term chunk.
    lexicon: Chunks<SiteLexicon>,
    docs: Chunks<Vec<DocRecord>>,
    facets: Option<Facets>,
    /// Files asked for and not loaded, sorted and deduplicated.
    missing: Vec<String>,
    stopwords: StopWords,
}

impl ShardBackend {
    /// A backend knowing only the meta file.
    pub fn new(meta: Meta) -> Self {
        ShardBackend {
            meta,
            terms: Chunks::new(),
            positions: Chunks::new(),
            lexicon: Chunks::new(),
            docs: Chunks::new(),
            facets: None,
            missing: Vec::new(),
            stopwords: StopWords::polish(),
        }
    }

    /// The meta.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// Files needed by the last queries and not loaded yet (and forgets them).
    pub fn take_missing(&mut self) -> Vec<String> {
        std::mem::take(&mut self.missing)
    }

    /// Takes a fetched file, named by its path inside the search folder.
    pub fn load(&mut self, name: &str, compressed: &[u8]) -> Result<(), ShardError> {
        let inflated = crate::codec::inflate(compressed)?;
        let bytes = inflated.as_slice();
        let build = self.meta.build;
        let num_docs = self.meta.num_docs;
        let index_of = |table: &crate::format::ChunkTable| table.position_of(name);
        if let Some(i) = index_of(&self.meta.terms) {
            let (lexicon, terms) = decode_terms(build, bytes, num_docs)?;
            let lexicon = if lexicon.is_empty() {
                SiteLexicon::default()
            } else {
                SiteLexicon::from_bytes(lexicon).map_err(|_| {
                    ShardError::Corrupt(crate::codec::Corrupt("the lexicon part of a term chunk"))
                })?
            };
            self.terms.insert(i, terms);
            self.lexicon.insert(i, lexicon);
        } else if let Some(i) = index_of(&self.meta.positions) {
            find_positions(bytes, build, "", Field::Body)?;
            self.positions.insert(i, inflated);
        } else if let Some(i) = index_of(&self.meta.docs) {
            let records = decode_docs(build, bytes)?;
            let per = u64::from(self.meta.docs_per_chunk);
            let expected = num_docs.saturating_sub(i as u64 * per).min(per);
            if records.len() as u64 != expected {
                return Err(ShardError::Corrupt(crate::codec::Corrupt(
                    "a document chunk of another size",
                )));
            }
            self.docs.insert(i, records);
        } else if name == self.meta.facets_file {
            let facets = Facets::decode(build, bytes)?;
            if facets.dates.len() as u64 != num_docs {
                return Err(ShardError::Corrupt(crate::codec::Corrupt(
                    "facets of another size",
                )));
            }
            self.facets = Some(facets);
        } else {
            return Err(ShardError::Unknown);
        }
        Ok(())
    }

    /// A document's record, if its chunk is loaded (else it is recorded as missing).
    pub fn record(&mut self, doc: DocId) -> Option<&DocRecord> {
        let chunk = (doc / self.meta.docs_per_chunk) as usize;
        if !self.docs.has(chunk) {
            if chunk < self.meta.docs.len() {
                insert_str(&mut self.missing, self.meta.docs.file(chunk));
            }
            return None;
        }
        let offset = (doc % self.meta.docs_per_chunk) as usize;
        self.docs.get(chunk).and_then(|d| d.get(offset))
    }

    /// The folded lemmas of a word for highlighting, if the term chunk holding its forms is
    /// loaded.
    pub fn lemmas_if_loaded(&self, word: &str) -> Option<Vec<String>> {
        let folded = fold(&to_lowercase(word));
        let chunk = self.meta.terms.find(&folded)?;
        let lexicon = self.lexicon.get(chunk)?;
        Some(analyze_query_word(word, lexicon).terms)
    }

    /// The section of a term's first occurrence in a document's body (`Some(None)`: not there).
    pub fn body_section(&mut self, term: &str, doc: DocId) -> Option<Option<u32>> {
        self.field_section(Field::Body, term, doc)
    }

    /// The section (body: heading; attachments: part) of a term's first occurrence in a
    /// document's field (`Some(None)`: not there).
    pub fn field_section(&mut self, field: Field, term: &str, doc: DocId) -> Option<Option<u32>> {
        let Some(f) = self.field_postings(field, term)? else {
            return Some(None);
        };
        Some(
            f.docs
                .binary_search(&doc)
                .ok()
                .map(|i| f.sections.get(i).copied().unwrap_or(0)),
        )
    }

    /// A term's postings in a field, if its term chunk is loaded (else it is recorded as
    /// missing); `Some(None)` when it has none.
    fn field_postings(&mut self, field: Field, term: &str) -> Option<Option<&FieldPostings>> {
        let chunk = loaded_chunk(&mut self.missing, &self.meta.terms, &self.terms, term)?;
        Some(postings_in(self.terms.get(chunk)?, field, term))
    }

    /// Every loaded-or-missing chunk in a prefix range; `None` if any is missing.
    fn prefix_chunks(&mut self, prefix: &str) -> Option<Vec<usize>> {
        let range: Vec<usize> = self.meta.terms.prefix_range(prefix).collect();
        let mut complete = true;
        for &i in &range {
            if !self.terms.has(i) {
                insert_str(&mut self.missing, self.meta.terms.file(i));
                complete = false;
            }
        }
        complete.then_some(range)
    }

    fn facets(&mut self) -> Option<&Facets> {
        if self.facets.is_none() {
            insert_str(&mut self.missing, self.meta.facets_file.clone());
        }
        self.facets.as_ref()
    }
}

impl Backend for ShardBackend {
    fn num_docs(&self) -> u64 {
        self.meta.num_docs
    }

    fn total_tokens(&self, field: Field) -> u64 {
        self.meta
            .total_tokens
            .get(field.index())
            .copied()
            .unwrap_or(0)
    }

    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        // The word's forms are in the term chunk of its folded form, which also holds that
        // form's own postings (the exact field) and, for most words, those of its lemmas.
        let folded = fold(&to_lowercase(word));
        // A stop word has no terms whatever the lexicon says (`word_terms`): no chunk needed.
        if self.stopwords.contains(&folded) {
            return Some(WordTerms {
                surface: folded,
                lemmas: Vec::new(),
            });
        }
        let chunk = self.meta.terms.find(&folded);
        let lexicon: &dyn Lexicon = match chunk {
            Some(i) => match self.lexicon.get(i) {
                Some(l) => l,
                None => {
                    insert_str(&mut self.missing, self.meta.terms.file(i));
                    return None;
                }
            },
            None => &EmptyLexicon,
        };
        Some(word_terms(word, lexicon, &self.stopwords))
    }

    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let Some(f) = self.field_postings(field, term)? else {
            return Some(Vec::new());
        };
        Some(
            f.docs
                .iter()
                .enumerate()
                .map(|(i, &doc)| Posting {
                    doc,
                    term_freq: f.tfs.get(i).copied().unwrap_or(1),
                    fieldnorm_id: f.norms.get(i).copied().unwrap_or(0),
                })
                .collect(),
        )
    }

    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        let inline = Field::PROXIMITY_FIELDS.contains(&field);
        let Some(terms) = loaded_chunk(&mut self.missing, &self.meta.terms, &self.terms, term)
        else {
            // The long fields' positions are read with the term chunk: ask for both at once.
            if !inline {
                loaded_chunk(
                    &mut self.missing,
                    &self.meta.positions,
                    &self.positions,
                    term,
                );
            }
            return None;
        };
        let Some(f) = postings_in(self.terms.get(terms)?, field, term) else {
            return Some(Vec::new());
        };
        if inline {
            return Some(
                f.docs
                    .iter()
                    .copied()
                    .zip(f.positions.iter().cloned())
                    .collect(),
            );
        }
        let chunk = loaded_chunk(
            &mut self.missing,
            &self.meta.positions,
            &self.positions,
            term,
        )?;
        // Damage (no positions for postings the term chunk has, or other counts) gives no
        // answer and asks for nothing: the page is told to reload.
        let encoded =
            find_positions(self.positions.get(chunk)?, self.meta.build, term, field).ok()??;
        field_positions(encoded, &f.docs, &f.tfs).ok()
    }

    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let chunks = self.prefix_chunks(prefix)?;
        let mut terms: Vec<(&String, u64)> = Vec::new();
        for i in &chunks {
            for (term, fields) in self.terms.get(*i)? {
                if term.starts_with(prefix) {
                    if let Some(f) = fields.iter().find(|f| f.field == field) {
                        terms.push((term, f.docs.len() as u64));
                    }
                }
            }
        }
        Some(most_frequent(terms, limit))
    }

    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        let head: String = term.chars().take(2).collect();
        let chunks = self.prefix_chunks(&head)?;
        let mut out: Vec<String> = Vec::new();
        for i in &chunks {
            for (candidate, fields) in self.terms.get(*i)? {
                if candidate.starts_with(&head)
                    && fields.iter().any(|f| f.field == Field::Exact)
                    && one_edit_apart(term, candidate)
                {
                    out.push(candidate.clone());
                }
            }
        }
        sort_by(&mut out, |a, b| a < b);
        Some(out)
    }

    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        let facets = self.facets()?;
        Some(
            facets
                .values
                .iter()
                .find(|(f, _)| f == facet)
                .and_then(|(_, values)| values.iter().find(|(v, _)| v == value))
                .map(|(_, docs)| docs.clone())
                .unwrap_or_default(),
        )
    }

    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        let facets = self.facets()?;
        let values = facets.values.iter().find(|(f, _)| f == facet);
        Some(
            values
                .map(|(_, v)| v.iter().map(|(v, _)| v.clone()).collect())
                .unwrap_or_default(),
        )
    }

    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        Some(self.facets()?.dates.clone())
    }
}

/// The number of the loaded chunk of `table` that holds `key`; a chunk not loaded yet is
/// recorded as missing.
fn loaded_chunk<T>(
    missing: &mut Vec<String>,
    table: &ChunkTable,
    chunks: &Chunks<T>,
    key: &str,
) -> Option<usize> {
    let chunk = table.find(key)?;
    if !chunks.has(chunk) {
        insert_str(missing, table.file(chunk));
        return None;
    }
    Some(chunk)
}

/// A term's postings in a field of a term chunk (`None`: none).
fn postings_in<'a>(map: &'a TermMap, field: Field, term: &str) -> Option<&'a FieldPostings> {
    let fields = jawnik_engine::sorted::get(map, term)?;
    fields.iter().find(|f| f.field == field)
}

struct EmptyLexicon;

impl Lexicon for EmptyLexicon {
    fn lookup(&self, _: &str) -> Vec<jawnik_analysis::LexEntry> {
        Vec::new()
    }
}
