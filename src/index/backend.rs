//! [`TantivyBackend`]: the query engine's view of the tantivy index on disk. Postings,
//! field norms and statistics come from tantivy; query words are analysed with the site
//! lexicon saved beside the index, exactly as the browser analyses them.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use jawnik_analysis::{SiteLexicon, StopWords};
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{most_frequent, word_terms, Backend, DocId, Field, Posting, WordTerms};
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, IndexReader, Searcher, Term, TERMINATED};

use super::lazy_lexicon::LazyLexicon;
use super::schema::IndexSchema;
use super::{IndexDoc, LEXICON_FILE};

/// A searchable index opened from disk.
pub struct TantivyBackend {
    searcher: Searcher,
    schema: IndexSchema,
    lexicon: LazyLexicon,
    dir: std::path::PathBuf,
    stopwords: StopWords,
    /// Per segment: tantivy doc id → [`DocId`].
    ords: Vec<Vec<DocId>>,
    /// [`DocId`] → tantivy address.
    addresses: Vec<tantivy::DocAddress>,
    _reader: IndexReader,
}

impl TantivyBackend {
    /// Opens the index in `dir` (see [`super::INDEX_DIR`]).
    pub fn open(dir: &Path) -> Result<Self> {
        let index = Index::open_in_dir(dir).with_context(|| {
            format!(
                "no search index in {} (run `jawnik build` first)",
                dir.display()
            )
        })?;
        Self::with_lexicon(index, LazyLexicon::open(dir)?, dir)
    }

    /// [`TantivyBackend::open`], reading the index's files with `pread` rather than mapping
    /// them ([`super::pread::PreadDirectory`]): for a build's export, which reads the whole
    /// index once, so that what it read does not stay in the process's memory.
    pub fn open_for_export(dir: &Path) -> Result<Self> {
        #[cfg(unix)]
        let index = super::pread::PreadDirectory::open(dir).and_then(Index::open);
        #[cfg(not(unix))]
        let index = Index::open_in_dir(dir);
        let index = index.with_context(|| format!("no search index in {}", dir.display()))?;
        Self::with_lexicon(index, LazyLexicon::open(dir)?, dir)
    }

    /// An index without a site lexicon (a page being patched: its postings are what count).
    pub fn without_lexicon(index: Index) -> Result<Self> {
        Self::with_lexicon(index, LazyLexicon::empty(), Path::new(""))
    }

    fn with_lexicon(index: Index, lexicon: LazyLexicon, dir: &Path) -> Result<Self> {
        let schema = IndexSchema::from_schema(index.schema())?;
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let mut ords: Vec<Vec<DocId>> = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64(super::schema::ORD_FIELD)?;
            ords.push(
                (0..segment.max_doc())
                    .map(|d| column.first(d).unwrap_or(0) as DocId)
                    .collect(),
            );
        }
        let mut addresses = vec![tantivy::DocAddress::new(0, 0); searcher.num_docs() as usize];
        for (segment_ord, segment_ords) in ords.iter().enumerate() {
            for (local, &ord) in segment_ords.iter().enumerate() {
                if let Some(slot) = addresses.get_mut(ord as usize) {
                    *slot = tantivy::DocAddress::new(segment_ord as u32, local as u32);
                }
            }
        }
        Ok(TantivyBackend {
            searcher,
            schema,
            lexicon,
            dir: dir.to_path_buf(),
            stopwords: StopWords::polish(),
            ords,
            addresses,
            _reader: reader,
        })
    }

    /// The stored record of a document.
    pub fn record(&self, doc: DocId) -> Result<IndexDoc> {
        let address = *self
            .addresses
            .get(doc as usize)
            .with_context(|| format!("no document {doc}"))?;
        let stored: tantivy::TantivyDocument = self.searcher.doc(address)?;
        let json = stored
            .get_first(self.schema.record)
            .and_then(|v| tantivy::schema::Value::as_str(&v))
            .context("document without a record")?;
        Ok(serde_json::from_str(json)?)
    }

    /// Every term of a field with its document frequency, in term order.
    pub fn all_terms(&self, field: Field) -> Vec<(String, u64)> {
        self.terms_between(self.schema.field(field), "", None)
    }

    /// Calls `f` with every term of every field, once each, in term order: a merged walk over
    /// the term dictionaries of every field and segment (the vocabulary is never listed whole).
    pub fn each_term(&self, mut f: impl FnMut(&str) -> Result<()>) -> Result<()> {
        let mut readers = Vec::new();
        for field in Field::ALL {
            for segment in self.searcher.segment_readers() {
                if let Ok(inverted) = segment.inverted_index(self.schema.field(field)) {
                    readers.push(inverted);
                }
            }
        }
        let mut streams = Vec::new();
        for reader in &readers {
            let mut stream = reader.terms().stream()?;
            if stream.advance() {
                streams.push(stream);
            }
        }
        let mut term = Vec::new();
        while let Some(smallest) = streams.iter().map(|s| s.key()).min() {
            term.clear();
            term.extend_from_slice(smallest);
            streams.retain_mut(|s| s.key() != term.as_slice() || s.advance());
            if let Ok(text) = std::str::from_utf8(&term) {
                f(text)?;
            }
        }
        Ok(())
    }

    /// A term's postings in a field with positions: (doc, term frequency, field-norm id, positions), by doc.
    pub fn full_postings(&self, field: Field, term: &str) -> Vec<(DocId, u32, u8, Vec<u32>)> {
        let mut out = Vec::new();
        self.visit(
            self.schema.field(field),
            term,
            true,
            |doc, tf, norm, positions| {
                out.push((doc, tf, norm, positions.to_vec()));
            },
        );
        out.sort_by_key(|p| p.0);
        out
    }

    /// A term's postings in a field without positions, by doc ([`Backend::postings`], from a
    /// shared reference: the export reads them while walking the terms).
    pub fn scored_postings(&self, field: Field, term: &str) -> Vec<Posting> {
        let mut out = Vec::new();
        self.visit(
            self.schema.field(field),
            term,
            false,
            |doc, term_freq, fieldnorm_id, _| {
                out.push(Posting {
                    doc,
                    term_freq,
                    fieldnorm_id,
                });
            },
        );
        out.sort_by_key(|p| p.doc);
        out
    }

    /// The whole site lexicon (for the export; queries read it in parts).
    pub fn lexicon(&self) -> Result<SiteLexicon> {
        let path = self.dir.join(LEXICON_FILE);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        SiteLexicon::from_bytes(&bytes).map_err(|e| anyhow::anyhow!("{}: {e:?}", path.display()))
    }

    /// The tantivy searcher (for export).
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    fn term(&self, field: tantivy::schema::Field, text: &str) -> Term {
        Term::from_field_text(field, text)
    }

    /// Visits each posting of a term: (doc, term frequency, field-norm id, positions if asked).
    fn visit(
        &self,
        field: tantivy::schema::Field,
        text: &str,
        with_positions: bool,
        mut f: impl FnMut(DocId, u32, u8, &[u32]),
    ) {
        let term = self.term(field, text);
        let option = if with_positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let mut positions = Vec::new();
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(Some(mut postings)) = inverted.read_postings(&term, option) else {
                continue;
            };
            let fieldnorms = segment.get_fieldnorms_reader(field).ok();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if with_positions {
                    postings.positions(&mut positions);
                }
                let norm = fieldnorms.as_ref().map_or(0, |r| r.fieldnorm_id(doc));
                f(
                    self.ords[segment_ord][doc as usize],
                    postings.term_freq(),
                    norm,
                    &positions,
                );
                doc = postings.advance();
            }
        }
    }

    /// Terms of a field in `[from, to)` with their document frequency.
    fn terms_between(
        &self,
        field: tantivy::schema::Field,
        from: &str,
        to: Option<&str>,
    ) -> Vec<(String, u64)> {
        let mut merged: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let mut range = inverted.terms().range().ge(from.as_bytes());
            if let Some(to) = to {
                range = range.lt(to.as_bytes());
            }
            let Ok(mut stream) = range.into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *merged.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        merged.into_iter().collect()
    }
}

/// The smallest string greater than every string starting with `prefix`.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl Backend for TantivyBackend {
    fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn total_tokens(&self, field: Field) -> u64 {
        let field = self.schema.field(field);
        self.searcher
            .segment_readers()
            .iter()
            .filter_map(|s| s.inverted_index(field).ok())
            .map(|i| i.total_num_tokens())
            .sum()
    }

    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        Some(word_terms(word, &self.lexicon, &self.stopwords))
    }

    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        Some(self.scored_postings(field, term))
    }

    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        let mut out = Vec::new();
        self.visit(
            self.schema.field(field),
            term,
            true,
            |doc, _, _, positions| {
                out.push((doc, positions.to_vec()));
            },
        );
        out.sort_by_key(|p| p.0);
        Some(out)
    }

    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let end = prefix_end(prefix);
        let terms = self.terms_between(self.schema.field(field), prefix, end.as_deref());
        Some(most_frequent(terms, limit))
    }

    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        let head: String = term.chars().take(2).collect();
        let end = prefix_end(&head);
        let terms = self.terms_between(self.schema.field(Field::Exact), &head, end.as_deref());
        Some(
            terms
                .into_iter()
                .map(|(t, _)| t)
                .filter(|t| one_edit_apart(term, t))
                .collect(),
        )
    }

    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        let Some(field) = self.schema.facet(facet) else {
            return Some(Vec::new());
        };
        let mut out = Vec::new();
        let term = self.term(field, value);
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(Some(mut postings)) = inverted.read_postings(&term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                out.push(self.ords[segment_ord][doc as usize]);
                doc = postings.advance();
            }
        }
        out.sort_unstable();
        Some(out)
    }

    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        let Some(field) = self.schema.facet(facet) else {
            return Some(Vec::new());
        };
        Some(
            self.terms_between(field, "", None)
                .into_iter()
                .map(|(t, _)| t)
                .collect(),
        )
    }

    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        let mut dates = vec![None; self.num_docs() as usize];
        for (segment_ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().i64(super::schema::DATE_FIELD).ok()?;
            for doc in 0..segment.max_doc() {
                let ord = self.ords[segment_ord][doc as usize] as usize;
                if let (Some(v), Some(slot)) = (column.first(doc), dates.get_mut(ord)) {
                    *slot = (v != i64::MIN).then_some(v as i32);
                }
            }
        }
        Some(dates)
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn prefix_end_is_the_next_string() {
        assert_eq!(prefix_end("ab").as_deref(), Some("ac"));
    }
}
