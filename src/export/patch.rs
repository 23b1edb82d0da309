//! Patching an export when one page changes (`jawnik serve`): the page's old and new
//! [`Contribution`]s, each read from a one-page tantivy index written by the same code as the
//! site's index, are taken out of and put into only the chunks that hold their terms, its
//! record chunk, the facets and the field totals. The site lexicon changes only when a lemma
//! appears in, or disappears from, the whole site.
//!
//! A term's position entry is patched in place: the edited document's positions are
//! spliced out of and into each field's bytes, the others' copied, not decoded. A patched
//! position chunk's file takes the compressed entries it kept from the file of the chunk it
//! replaced (`positions_file_reusing`).
//!
//! A patched export answers every query as a full export of the changed site does (same
//! documents, order, scores; `tests/incremental.rs`); its chunk boundaries may differ, since
//! a patch never moves a term to another chunk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use anyhow::{Context, Result};
use jawnik_analysis::{DocumentAnalyzer, SiteLexicon};
use jawnik_engine::{Backend, Field};
use jawnik_web::codec::{deflate, put_varint};
use jawnik_web::format::{
    decode_position_entry, decode_term_entry, encode_docs, encode_position_fields,
    encode_term_entry, heads_part, lexicon_part, positions_file, positions_file_with,
    positions_head_end, put_doc_positions, read_positions_head, replace_heads, skip_positions,
    term_entry_spans, ChunkTable, DocRecord, FieldPostings, ShardError, MAGIC_POSITIONS,
    MAGIC_TERM_ROWS,
};

use super::{Chunk, SearchExport, DOCS_PER_CHUNK};
use crate::index::{IndexDoc, TantivyBackend};

/// What one document puts into an export.
#[derive(Clone, Debug)]
pub struct Contribution {
    /// Term → its postings in each field (one document), as in a term chunk.
    terms: BTreeMap<String, Vec<FieldPostings>>,
    /// Term → long-field positions (documents and positions only).
    positions: BTreeMap<String, Vec<FieldPostings>>,
    record: DocRecord,
    /// Facet → the document's values.
    facets: Vec<(String, Vec<String>)>,
    date: Option<i32>,
    total_tokens: Vec<u64>,
    lemmas: BTreeSet<String>,
}

/// What a patch did to the site lexicon.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LexiconChange {
    /// Lemmas new to the site (their forms were added).
    pub added: usize,
    /// Lemmas no page uses any more (their forms were removed).
    pub removed: usize,
}

impl Contribution {
    /// What `doc` puts into the export as document `ord` (read from a one-page index in
    /// memory).
    pub fn of(
        doc: &IndexDoc,
        ord: u32,
        base_path: &str,
        analyzer: &DocumentAnalyzer,
    ) -> Result<Contribution> {
        let (index, lemmas) = crate::index::index_in_memory(std::slice::from_ref(doc), analyzer)
            .with_context(|| format!("indexing {}", doc.url))?;
        let mut backend = TantivyBackend::without_lexicon(index)?;
        let record = super::chunks::record(&backend, 0, base_path)?;
        let heading_starts = super::chunks::heading_starts(std::slice::from_ref(&record));
        let all_terms: BTreeSet<String> = Field::ALL
            .iter()
            .flat_map(|f| backend.all_terms(*f).into_iter().map(|(t, _)| t))
            .collect();
        let mut terms = BTreeMap::new();
        let mut positions = BTreeMap::new();
        for term in all_terms {
            let (mut entry, position_entry) =
                super::chunks::term_entries(&backend, &term, &heading_starts);
            for f in &mut entry {
                f.docs.iter_mut().for_each(|d| *d = ord);
            }
            if !position_entry.is_empty() {
                let fields = position_entry
                    .into_iter()
                    .map(|(field, positions)| FieldPostings {
                        field,
                        docs: vec![ord],
                        tfs: Vec::new(),
                        norms: Vec::new(),
                        positions,
                        sections: Vec::new(),
                    })
                    .collect();
                positions.insert(term.clone(), fields);
            }
            terms.insert(term, entry);
        }
        let facets = super::chunks::facet_values(&mut backend)
            .into_iter()
            .map(|(facet, values)| (facet, values.into_iter().map(|(v, _)| v).collect()))
            .collect();
        let date = backend
            .doc_dates()
            .and_then(|dates| dates.first().copied())
            .flatten();
        let total_tokens = Field::ALL
            .iter()
            .map(|f| backend.total_tokens(*f))
            .collect();
        Ok(Contribution {
            terms,
            positions,
            record,
            facets,
            date,
            total_tokens,
            lemmas,
        })
    }
}

impl SearchExport {
    /// Replaces document `ord`'s `old` contribution by `new`. `forms` gives the forms of
    /// lemmas new to the site (e.g. `SiteLexicon::build` on the dictionary, or the faster
    /// `LemmaForms::site_lexicon`).
    pub fn replace_doc(
        &mut self,
        ord: u32,
        old: &Contribution,
        new: &Contribution,
        forms: impl Fn(&BTreeSet<String>) -> SiteLexicon,
    ) -> Result<LexiconChange> {
        anyhow::ensure!(ord < self.num_docs, "no document {ord} in the export");
        self.drop_heads()?;
        // Positions first: their entries are read with the term chunks' documents and
        // frequencies as they are before this patch (the term entries decoded for that are
        // kept for the term chunks' patch).
        let mut decoded = HashMap::new();
        patch_chunks(
            &mut self.positions,
            Entries::Positions(&self.terms),
            (self.num_docs, ord),
            &old.positions,
            &new.positions,
            &mut BTreeMap::new(),
            &mut decoded,
        )?;
        let mut presence = BTreeMap::new();
        patch_chunks(
            &mut self.terms,
            Entries::Terms,
            (self.num_docs, ord),
            &old.terms,
            &new.terms,
            &mut presence,
            &mut decoded,
        )?;

        // The record and its chunk.
        let records = std::sync::Arc::make_mut(&mut self.records);
        records[ord as usize] = new.record.clone();
        let chunk = (ord / DOCS_PER_CHUNK) as usize;
        let start = chunk * DOCS_PER_CHUNK as usize;
        let end = (start + DOCS_PER_CHUNK as usize).min(self.records.len());
        self.docs[chunk] = Chunk::new(String::new(), encode_docs(0, &self.records[start..end]));

        // Facets and dates.
        for (facet, values) in &mut self.facets.values {
            for (_, docs) in values.iter_mut() {
                if let Ok(i) = docs.binary_search(&ord) {
                    docs.remove(i);
                }
            }
            values.retain(|(_, docs)| !docs.is_empty());
            let wanted = new
                .facets
                .iter()
                .find(|(f, _)| f == facet)
                .map_or(&[][..], |(_, v)| v.as_slice());
            for value in wanted {
                let i = match values.binary_search_by(|(v, _)| v.as_str().cmp(value)) {
                    Ok(i) => i,
                    Err(i) => {
                        values.insert(i, (value.clone(), Vec::new()));
                        i
                    }
                };
                let docs = &mut values[i].1;
                if let Err(at) = docs.binary_search(&ord) {
                    docs.insert(at, ord);
                }
            }
        }
        self.facets.dates[ord as usize] = new.date;
        self.facets_raw = Chunk::new(String::new(), self.facets.encode(0));

        for (total, (o, n)) in self
            .total_tokens
            .iter_mut()
            .zip(old.total_tokens.iter().zip(&new.total_tokens))
        {
            *total = *total - o + n;
        }

        // The lexicon: only lemmas that entered or left the whole site change it.
        let added: BTreeSet<String> = new
            .lemmas
            .difference(&old.lemmas)
            .filter(|l| presence.get(*l) == Some(&(false, true)))
            .cloned()
            .collect();
        let removed: BTreeSet<String> = old
            .lemmas
            .difference(&new.lemmas)
            .filter(|l| presence.get(*l) == Some(&(true, false)))
            .cloned()
            .collect();
        let change = LexiconChange {
            added: added.len(),
            removed: removed.len(),
        };
        if !added.is_empty() || !removed.is_empty() {
            self.patch_lexicon(&forms(&added), &forms(&removed), &removed)?;
        }
        Ok(change)
    }
}

impl SearchExport {
    /// Empties the term chunks' heads parts: a head holds for the statistics of the export
    /// that made it (`super::heads`), and a patch changes them; the search then reads whole
    /// postings, as before heads.
    fn drop_heads(&mut self) -> Result<()> {
        for chunk in &mut self.terms {
            let (heads, _) = heads_part(&chunk.raw).map_err(damaged)?;
            if !heads.is_empty() {
                *chunk = chunk.with_raw(replace_heads(&chunk.raw, &[]).map_err(damaged)?);
            }
        }
        Ok(())
    }

    /// Adds the forms of lemmas new to the site and drops the lemmas gone from it (whose
    /// forms are `gone`), in the lexicon parts of the term chunks holding those forms only.
    fn patch_lexicon(
        &mut self,
        new: &SiteLexicon,
        gone: &SiteLexicon,
        removed: &BTreeSet<String>,
    ) -> Result<()> {
        let table = super::chunk_table("", 0, &self.terms);
        let touched: BTreeSet<usize> = new
            .keys()
            .chain(gone.keys())
            .filter_map(|k| table.find_range(k))
            .collect();
        let mut lexicon = SiteLexicon::default();
        for &i in &touched {
            let (part, _) = lexicon_part(&self.terms[i].raw)
                .map_err(|e| anyhow::anyhow!("patching a term chunk: {e}"))?;
            if !part.is_empty() {
                lexicon.merge_forms(
                    SiteLexicon::from_bytes(part)
                        .map_err(|e| anyhow::anyhow!("patching a lexicon part: {e:?}"))?,
                );
            }
        }
        lexicon.remove_lemmas(removed);
        lexicon.merge_forms(new.clone());
        super::chunks::with_lexicon(&mut self.terms, &lexicon, touched.into_iter())
    }
}

/// The entries of a term or position chunk: the header's length, and each term with the
/// byte range of its entry.
#[derive(Clone, Debug)]
pub(super) struct Spans {
    header: usize,
    terms: Vec<(Box<str>, std::ops::Range<usize>)>,
}

impl Spans {
    fn of(magic: &[u8; 4], raw: &[u8]) -> Result<Spans> {
        let (start, spans) = term_entry_spans(magic, 0, raw)
            .map_err(|e| anyhow::anyhow!("patching a search chunk: {e:?}"))?;
        Ok(Spans {
            header: start - varint_len(spans.len()),
            terms: spans.into_iter().map(|(t, r)| (t.into(), r)).collect(),
        })
    }
}

/// The kind of chunks being patched.
#[derive(Clone, Copy)]
enum Entries<'a> {
    Terms,
    /// Position chunks, whose entries are read with these term chunks.
    Positions(&'a [Chunk]),
}

impl Entries<'_> {
    fn magic(self) -> &'static [u8; 4] {
        match self {
            Entries::Terms => MAGIC_TERM_ROWS,
            Entries::Positions(_) => MAGIC_POSITIONS,
        }
    }

    /// A term's entry with document `ord`'s postings replaced by `one` (its postings in the
    /// new version; none: it lacks the term), from the entry's bytes before (none: the term
    /// was not in the chunk). Gives the new entry's bytes (none: no document has the term
    /// any more) and whether a lemma field held the term before and after. `decoded` holds
    /// the term chunks' entries decoded for position entries (each taken by its term's
    /// patch).
    #[allow(clippy::too_many_arguments)]
    fn patch(
        self,
        term: &str,
        bytes: Option<&[u8]>,
        ord: u32,
        one: Option<&Vec<FieldPostings>>,
        num_docs: u32,
        table: &ChunkTable,
        decoded: &mut HashMap<String, Vec<FieldPostings>>,
    ) -> Result<(Option<Vec<u8>>, bool, bool)> {
        match self {
            Entries::Terms => {
                let mut entry = match (bytes, decoded.remove(term)) {
                    (Some(_), Some(entry)) => entry,
                    (Some(bytes), None) => {
                        decode_term_entry(bytes, u64::from(num_docs))
                            .map_err(damaged)?
                            .1
                    }
                    (None, _) => Vec::new(),
                };
                let before = holds_lemma(&entry);
                for f in &mut entry {
                    remove_doc(f, ord);
                }
                entry.retain(|f| !f.docs.is_empty());
                for f in one.into_iter().flatten() {
                    add_doc(&mut entry, f, ord);
                }
                let after = holds_lemma(&entry);
                if entry.is_empty() {
                    return Ok((None, before, after));
                }
                let mut out = Vec::new();
                encode_term_entry(&mut out, term, &entry);
                Ok((Some(out), before, after))
            }
            Entries::Positions(terms) => {
                let (entry, postings) =
                    splice_positions(terms, table, term, bytes, ord, one, num_docs)?;
                if !postings.is_empty() {
                    decoded.insert(term.to_string(), postings);
                }
                Ok((entry, false, false))
            }
        }
    }
}

fn damaged(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("patching a search chunk: {e:?}")
}

/// A term's position entry with document `ord`'s positions replaced by those of `one`: in
/// each field, the bytes of the other documents' positions are copied around it, not
/// decoded (where `ord`'s start is counted from the term's frequencies in the term chunks,
/// as they are before the patch). A common word's entry holds positions in every document:
/// decoding and encoding it whole took most of an update. Also gives the term's entry in
/// the term chunks, when it was decoded.
fn splice_positions(
    terms: &[Chunk],
    table: &ChunkTable,
    term: &str,
    bytes: Option<&[u8]>,
    ord: u32,
    one: Option<&Vec<FieldPostings>>,
    num_docs: u32,
) -> Result<(Option<Vec<u8>>, Vec<FieldPostings>)> {
    let old_fields = match bytes {
        Some(bytes) => decode_position_entry(bytes).map_err(damaged)?.1,
        None => Vec::new(),
    };
    let postings = match old_fields.is_empty() {
        true => Vec::new(),
        false => term_entry(terms, table, term, num_docs)?,
    };
    let mut fields: Vec<(Field, Vec<u8>)> = Vec::new();
    for field in Field::ALL {
        let old = old_fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, b)| *b);
        let new = one
            .and_then(|fields| fields.iter().find(|f| f.field == field))
            .and_then(|f| f.positions.first());
        let (mut data, mut others) = (Vec::new(), 0);
        if let Some(old) = old {
            let f = postings
                .iter()
                .find(|f| f.field == field)
                .filter(|f| f.tfs.len() == f.docs.len())
                .context("a position entry without its term's postings")?;
            let k = f.docs.partition_point(|&d| d < ord);
            let present = f.docs.get(k) == Some(&ord);
            others = f.docs.len() - usize::from(present);
            let before: u32 = f.tfs[..k].iter().sum();
            let start = skip_positions(old, 0, before as usize).map_err(damaged)?;
            let end = match present {
                true => skip_positions(old, start, f.tfs[k] as usize).map_err(damaged)?,
                false => start,
            };
            data.reserve(old.len() + new.map_or(0, Vec::len));
            data.extend_from_slice(&old[..start]);
            if let Some(new) = new {
                put_doc_positions(&mut data, new);
            }
            data.extend_from_slice(&old[end..]);
        } else if let Some(new) = new {
            put_doc_positions(&mut data, new);
        }
        if others > 0 || new.is_some() {
            fields.push((field, data));
        }
    }
    if fields.is_empty() {
        return Ok((None, postings));
    }
    let mut out = Vec::new();
    encode_position_fields(&mut out, term, &fields);
    Ok((Some(out), postings))
}

/// A chunk's spans (read once).
fn spans_of<'a>(chunk: &'a Chunk, magic: &[u8; 4]) -> Result<&'a Spans> {
    Ok(match chunk.spans.get() {
        Some(spans) => spans,
        None => {
            let spans = Spans::of(magic, &chunk.raw)?;
            chunk.spans.get_or_init(|| spans)
        }
    })
}

/// A term's entry in the term chunks (named by `table`; empty when it has none).
fn term_entry(
    terms: &[Chunk],
    table: &ChunkTable,
    term: &str,
    num_docs: u32,
) -> Result<Vec<FieldPostings>> {
    let Some(i) = table.find(term) else {
        return Ok(Vec::new());
    };
    let spans = spans_of(&terms[i], MAGIC_TERM_ROWS)?;
    let Ok(k) = spans.terms.binary_search_by(|(t, _)| (**t).cmp(term)) else {
        return Ok(Vec::new());
    };
    let bytes = &terms[i].raw[spans.terms[k].1.clone()];
    Ok(decode_term_entry(bytes, u64::from(num_docs))
        .map_err(damaged)?
        .1)
}

/// Takes document `ord`'s postings of `old` out of the chunks that hold those terms and puts
/// those of `new` in (`(num_docs, ord)`). `presence` gets, per term touched, whether a lemma
/// field held it before and after; `decoded` carries term entries from the position chunks'
/// patch to the term chunks' ([`Entries::patch`]).
fn patch_chunks(
    chunks: &mut [Chunk],
    kind: Entries,
    (num_docs, ord): (u32, u32),
    old: &BTreeMap<String, Vec<FieldPostings>>,
    new: &BTreeMap<String, Vec<FieldPostings>>,
    presence: &mut BTreeMap<String, (bool, bool)>,
    decoded: &mut HashMap<String, Vec<FieldPostings>>,
) -> Result<()> {
    let table = super::chunk_table("", 0, chunks);
    // The term chunks' table, for position entries (read with their terms' frequencies).
    let terms_table = match kind {
        Entries::Positions(terms) => super::chunk_table("", 0, terms),
        Entries::Terms => table.clone(),
    };
    let mut by_chunk: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for term in old.keys().chain(new.keys()) {
        if let Some(i) = table.find(term) {
            by_chunk.entry(i).or_default().insert(term.as_str());
        }
    }
    for (i, touched) in by_chunk {
        let chunk = &chunks[i];
        let raw = &chunk.raw;
        let spans = spans_of(chunk, kind.magic())?;
        // Every term of the chunk, in order: kept as bytes, or patched.
        let mut out = raw[..spans.header].to_vec();
        let mut entries: Vec<(Box<str>, Vec<u8>)> =
            Vec::with_capacity(spans.terms.len() + touched.len());
        let mut kept = spans.terms.iter().peekable();
        let mut touched = touched.into_iter().peekable();
        loop {
            let next_kept = kept.peek().map(|(t, _)| &**t);
            let (term, span) = match (next_kept, touched.peek().copied()) {
                (None, None) => break,
                (Some(k), Some(t)) if t == k => {
                    touched.next();
                    let (term, span) = kept.next().expect("peeked");
                    (&**term, Some(span.clone()))
                }
                (Some(k), t) if t.is_none_or(|t| k < t) => {
                    let (term, span) = kept.next().expect("peeked");
                    entries.push((term.clone(), raw[span.clone()].to_vec()));
                    continue;
                }
                _ => (touched.next().expect("peeked"), None),
            };
            let (entry, before, after) = kind.patch(
                term,
                span.map(|span| &raw[span]),
                ord,
                new.get(term),
                num_docs,
                &terms_table,
                decoded,
            )?;
            presence.insert(term.to_string(), (before, after));
            if let Some(bytes) = entry {
                entries.push((term.into(), bytes));
            }
        }
        put_varint(&mut out, entries.len() as u64);
        let header = out.len() - varint_len(entries.len());
        let mut terms = Vec::with_capacity(entries.len());
        for (term, bytes) in entries {
            terms.push((term, out.len()..out.len() + bytes.len()));
            out.extend_from_slice(&bytes);
        }
        let patched = chunk.with_raw(out);
        let _ = patched.spans.set(Spans { header, terms });
        if chunk.file.get().is_some() {
            // Its file will take the entries kept from this one's (made: no chain of them).
            *patched.previous.lock().unwrap_or_else(|e| e.into_inner()) = Some(Chunk {
                previous: Arc::default(),
                ..chunk.clone()
            });
        }
        chunks[i] = patched;
    }
    Ok(())
}

/// The file of position chunk `rows` (`format::positions_file`), each entry it shares, byte
/// for byte, with `previous` taken compressed from `previous`'s file instead of compressed
/// again (the same bytes: compression is deterministic). A patch changes a few entries of
/// a chunk of hundreds: compressing them all again took most of an update's time.
pub(super) fn positions_file_reusing(rows: &[u8], previous: &Chunk) -> Result<Vec<u8>, ShardError> {
    let reusable = previous.file.get().and_then(|file| {
        let spans = spans_of(previous, MAGIC_POSITIONS).ok()?;
        let head = read_positions_head(file, 0).ok()?;
        let mut start = positions_head_end(file)? as usize;
        (head.len() == spans.terms.len()).then_some(())?;
        let blobs: Vec<std::ops::Range<usize>> = head
            .iter()
            .map(|(_, end)| {
                let blob = start..*end as usize;
                start = blob.end;
                blob
            })
            .collect();
        Some((file, spans, blobs))
    });
    let Some((file, spans, blobs)) = reusable else {
        return positions_file(rows);
    };
    positions_file_with(rows, &mut |term, entry| {
        let kept = spans
            .terms
            .binary_search_by(|(t, _)| (**t).cmp(term))
            .ok()
            .filter(|&k| previous.raw[spans.terms[k].1.clone()] == *entry);
        match kept {
            Some(k) => file[blobs[k].clone()].to_vec(),
            None => deflate(entry),
        }
    })
}

/// The length of a number's varint.
fn varint_len(n: usize) -> usize {
    let mut out = Vec::new();
    put_varint(&mut out, n as u64);
    out.len()
}

/// True when a field other than the exact-form field has the term (it is then a lemma, or a
/// stem, of the site).
fn holds_lemma(entry: &[FieldPostings]) -> bool {
    entry.iter().any(|f| f.field != Field::Exact)
}

/// Removes a document's posting from one field's list.
fn remove_doc(f: &mut FieldPostings, ord: u32) {
    let Ok(i) = f.docs.binary_search(&ord) else {
        return;
    };
    f.docs.remove(i);
    for list in [&mut f.tfs, &mut f.sections] {
        if !list.is_empty() {
            list.remove(i);
        }
    }
    if !f.norms.is_empty() {
        f.norms.remove(i);
    }
    if !f.positions.is_empty() {
        f.positions.remove(i);
    }
    // A full export stores no sections when all are 0.
    if f.sections.iter().all(|&s| s == 0) {
        f.sections.clear();
    }
}

/// Adds a one-document posting `one` (document `ord`) to a term's entry, keeping fields in
/// [`Field::ALL`] order and documents ascending.
fn add_doc(entry: &mut Vec<FieldPostings>, one: &FieldPostings, ord: u32) {
    let at = entry.partition_point(|f| f.field.index() < one.field.index());
    if entry.get(at).is_none_or(|f| f.field != one.field) {
        entry.insert(at, one.clone());
        return;
    }
    let f = &mut entry[at];
    let i = f.docs.partition_point(|&d| d < ord);
    f.docs.insert(i, ord);
    if !one.tfs.is_empty() {
        f.tfs.insert(i, one.tfs[0]);
        f.norms.insert(i, one.norms[0]);
    }
    if !one.positions.is_empty() {
        f.positions.insert(i, one.positions[0].clone());
    }
    let section = one.sections.first().copied().unwrap_or(0);
    if section != 0 && f.sections.is_empty() {
        f.sections = vec![0; f.docs.len() - 1];
    }
    if !f.sections.is_empty() {
        f.sections.insert(i, section);
    }
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
