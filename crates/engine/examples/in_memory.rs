//! # The query engine over an in-memory index
//!
//! ```sh
//! cargo run -p jawnik-engine --example in_memory
//! ```
//!
//! `jawnik-engine` does not own an index: it reads one through the [`Backend`] trait. The CLI
//! implements it over a tantivy index, the browser over the static shards of `jawnik-web`.
//! Here it is implemented over a few `BTreeMap`s, for four short Polish documents analysed with
//! `jawnik-analysis` exactly as the indexer analyses a site. Then a handful of queries show
//! what the engine does with them: inflected forms, words typed without diacritics, phrases,
//! exclusions, prefixes, a typo, a filter.
//!
//! `cargo test -p jawnik-engine` runs this file's tests, which check the answers printed here.

use std::collections::{BTreeMap, BTreeSet};

use jawnik_analysis::{DocumentAnalyzer, SiteLexicon, StopWords};
use jawnik_engine::bm25::fieldnorm_to_id;
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{
    most_frequent, parse, search, word_terms, Backend, DocId, Field, Filters, Outcome, Posting,
    SortOrder, WordTerms,
};

/// A document as this example indexes it: two text fields, a kind (a facet) and a date.
struct Document {
    title: &'static str,
    body: &'static str,
    kind: &'static str,
    /// Days since 1970-01-01.
    date: Option<i32>,
}

/// The example's documents (made-up text, not facts about real documents).
const DOCUMENTS: [Document; 4] = [
    Document {
        title: "Konsultacje społeczne w dzielnicach",
        body: "Mieszkańcy dzielnic zgłaszali uwagi podczas konsultacji. \
               Spotkania odbywały się w szkołach i domach kultury.",
        kind: "raport",
        date: Some(19_000),
    },
    Document {
        title: "Program współpracy z organizacjami pozarządowymi",
        body: "Program opisuje formy współpracy z organizacjami, \
               w tym konsultacje projektów uchwał.",
        kind: "program",
        date: Some(19_100),
    },
    Document {
        title: "Strategia rozwoju kultury",
        body: "Strategia wyznacza cele instytucjom kultury i organizacjom działającym w Łodzi.",
        kind: "strategia",
        date: None,
    },
    Document {
        title: "Sprawozdanie z konsultacji budżetu obywatelskiego",
        body: "Uwagi dotyczyły zieleni, komunikacji i budżetu obywatelskiego.",
        kind: "raport",
        date: Some(19_200),
    },
];

// ---------------------------------------------------------------------------------------------
// Step 1: an index. The engine needs, per field, each term's postings (documents, frequencies,
// field lengths) and positions; the facets; the dates; and a way to analyse a query word.

#[derive(Default)]
struct MemoryIndex {
    /// (field, term) → document → positions of the term in that field.
    postings: BTreeMap<(Field, String), BTreeMap<DocId, Vec<u32>>>,
    /// (field, document) → the field's length in tokens (BM25 normalises by it).
    lengths: BTreeMap<(Field, DocId), u32>,
    /// (facet, value) → documents, ascending.
    facets: BTreeMap<(String, String), Vec<DocId>>,
    /// Each document's date, by document number.
    dates: Vec<Option<i32>>,
    /// The forms of every lemma in the index, for analysing query words (step 2).
    lexicon: SiteLexicon,
    stopwords: StopWords,
}

impl MemoryIndex {
    /// Indexes documents: numbered in order, each field's text cut into tokens carrying their
    /// lemmas (the terms of the lemma fields: `konsultacjach` → `konsultacja`) and their
    /// folded surface form (the terms of the `exact` field, which rewards the form typed; the
    /// indexer fills it from every field but the body).
    fn build(documents: &[Document]) -> MemoryIndex {
        let analyzer = DocumentAnalyzer::polish();
        let mut index = MemoryIndex {
            stopwords: analyzer.stopwords().clone(),
            ..MemoryIndex::default()
        };
        for (doc, document) in documents.iter().enumerate() {
            let doc = doc as DocId;
            for (field, text) in [(Field::Title, document.title), (Field::Body, document.body)] {
                let tokens = analyzer.analyze_text(text);
                for token in &tokens {
                    for lemma in &token.terms {
                        index.add(field, lemma, doc, token.position);
                    }
                    if field != Field::Body {
                        index.add(Field::Exact, &token.surface, doc, token.position);
                    }
                }
                index.lengths.insert((field, doc), tokens.len() as u32);
                if field != Field::Body {
                    *index.lengths.entry((Field::Exact, doc)).or_default() += tokens.len() as u32;
                }
            }
            let kind = (String::from("kind"), document.kind.to_string());
            index.facets.entry(kind).or_default().push(doc);
            index.dates.push(document.date);
        }
        // Step 2: query words are analysed with the forms of the lemmas the index holds (the
        // browser downloads those, never the whole dictionary): `wspolpracy` → `wspolpraca`.
        let lemmas: BTreeSet<String> = index
            .postings
            .keys()
            .filter(|(field, _)| *field != Field::Exact)
            .map(|(_, term)| term.clone())
            .collect();
        index.lexicon = SiteLexicon::build(analyzer.dictionary(), &lemmas);
        index
    }

    fn add(&mut self, field: Field, term: &str, doc: DocId, position: u32) {
        let docs = self.postings.entry((field, term.to_string())).or_default();
        docs.entry(doc).or_default().push(position);
    }

    /// The terms of a field with their document frequency, those that `keep` accepts.
    fn terms(&self, field: Field, keep: impl Fn(&str) -> bool) -> Vec<(&str, u64)> {
        self.postings
            .iter()
            .filter(|((f, term), _)| *f == field && keep(term))
            .map(|((_, term), docs)| (term.as_str(), docs.len() as u64))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Step 3: the Backend. Every method returns `Option`: `None` would mean "not loaded yet" (the
// browser then fetches what is missing and runs the query again); in memory, everything is.

impl Backend for MemoryIndex {
    fn num_docs(&self) -> u64 {
        self.dates.len() as u64
    }

    fn total_tokens(&self, field: Field) -> u64 {
        let lengths = self.lengths.iter().filter(|((f, _), _)| *f == field);
        lengths.map(|(_, &n)| u64::from(n)).sum()
    }

    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        // The one rule every backend uses: the lexicon's lemmas, none for a stop word.
        Some(word_terms(word, &self.lexicon, &self.stopwords))
    }

    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let docs = self.postings.get(&(field, term.to_string()));
        let postings = docs.into_iter().flatten().map(|(&doc, positions)| Posting {
            doc,
            term_freq: positions.len() as u32,
            // tantivy's one-byte coding of the field length: the engine scores as tantivy.
            fieldnorm_id: fieldnorm_to_id(self.lengths[&(field, doc)]),
        });
        Some(postings.collect())
    }

    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        let docs = self.postings.get(&(field, term.to_string()));
        Some(
            docs.into_iter()
                .flatten()
                .map(|(&d, p)| (d, p.clone()))
                .collect(),
        )
    }

    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        Some(most_frequent(
            self.terms(field, |t| t.starts_with(prefix)),
            limit,
        ))
    }

    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        // Candidates share the typed word's first two letters, as in the other backends.
        let head: String = term.chars().take(2).collect();
        let near = self.terms(Field::Exact, |t| {
            t.starts_with(&head) && one_edit_apart(term, t)
        });
        Some(near.into_iter().map(|(t, _)| t.to_string()).collect())
    }

    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        let docs = self.facets.get(&(facet.to_string(), value.to_string()));
        Some(docs.cloned().unwrap_or_default())
    }

    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        let values = self.facets.keys().filter(|(f, _)| f == facet);
        Some(values.map(|(_, v)| v.clone()).collect())
    }

    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        Some(self.dates.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Step 4: searching. A query is parsed once, then evaluated over the backend.

/// Runs `query`, keeping documents of kind `kind` only when given.
fn run(index: &mut MemoryIndex, query: &str, kind: Option<&str>) -> Outcome {
    let query = parse(query).expect("a query of this example");
    let mut filters = Filters::default();
    if let Some(kind) = kind {
        filters.add("kind", kind);
    }
    search(index, &query, &filters, SortOrder::Relevance).expect("everything is in memory")
}

/// The queries shown, with the filter of each.
const QUERIES: [(&str, Option<&str>); 8] = [
    ("konsultacjach", None),
    ("wspolpracy organizacji", None),
    ("lodz", None),
    ("\"domach kultury\"", None),
    ("konsultacje -program", None),
    ("organiz*", None),
    ("strtegia", None),
    ("konsultacje", Some("raport")),
];

fn main() {
    let mut index = MemoryIndex::build(&DOCUMENTS);
    for (query, kind) in QUERIES {
        let outcome = run(&mut index, query, kind);
        let filter = kind.map(|k| format!(" (kind = {k})")).unwrap_or_default();
        println!("{query}{filter}");
        for (typed, used) in &outcome.corrections {
            println!("  corrected: {typed} → {used}");
        }
        if outcome.matched_any {
            println!("  no document has every word: documents with any");
        }
        for hit in &outcome.hits {
            let title = DOCUMENTS[hit.doc as usize].title;
            println!("  {:>7.4}  {title}", hit.score);
            if hit.missing != 0 {
                println!(
                    "           missing: {}",
                    outcome.missing(hit.missing).join(", ")
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The titles found for a query, in rank order.
    fn titles(index: &mut MemoryIndex, query: &str, kind: Option<&str>) -> Vec<&'static str> {
        let outcome = run(index, query, kind);
        let titles = outcome.hits.iter().map(|h| DOCUMENTS[h.doc as usize].title);
        titles.collect()
    }

    #[test]
    fn the_queries_shown_find_what_the_example_says() {
        let mut index = MemoryIndex::build(&DOCUMENTS);
        let [consultations, cooperation, culture, budget] = DOCUMENTS.map(|d| d.title);
        let mut found = |query: &str, kind| titles(&mut index, query, kind);
        // An inflected form finds the others (konsultacje, konsultacji), title matches first.
        assert_eq!(
            found("konsultacjach", None),
            [consultations, budget, cooperation]
        );
        // Typed without diacritics, in other forms than the text's (współpracy, organizacjami):
        // the page with both words first, then the one with only one, saying which it lacks.
        assert_eq!(
            found("wspolpracy organizacji", None),
            [cooperation, culture]
        );
        assert_eq!(found("lodz", None), [culture]);
        // A phrase: "kultury" alone is in two documents, the phrase in one.
        assert_eq!(found("kultury", None).len(), 2);
        assert_eq!(found("\"domach kultury\"", None), [consultations]);
        assert_eq!(found("konsultacje -program", None), [consultations, budget]);
        assert_eq!(found("organiz*", None), [cooperation, culture]);
        assert_eq!(found("strtegia", None), [culture]);
        assert_eq!(
            found("konsultacje", Some("raport")),
            [consultations, budget]
        );
        let typo = run(&mut index, "strtegia", None);
        let expected = ("strtegia".to_string(), "strategia".to_string());
        assert_eq!(typo.corrections, [expected]);
        let partial = run(&mut index, "wspolpracy organizacji", None);
        assert_eq!(partial.all_words, 1);
        assert_eq!(partial.missing(partial.hits[1].missing), ["wspolpracy"]);
    }
}
