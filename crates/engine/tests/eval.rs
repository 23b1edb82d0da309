//! The evaluator over a small in-memory backend whose "analysis" maps a few Polish forms to
//! lemmas: every word first, then partial matches, words found nowhere dropped, exclusions,
//! phrases, prefixes, typos, filters, ranking.

use std::collections::BTreeMap;

use jawnik_engine::bm25::fieldnorm_to_id;
use jawnik_engine::sorted::get;
use jawnik_engine::typo::one_edit_apart;
use jawnik_engine::{
    parse, search, Backend, DocId, Field, Filters, Outcome, Posting, SortOrder, WordTerms,
};

fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

fn lemma(word: &str) -> Vec<String> {
    let f = fold(word);
    let l = match f.as_str() {
        "i" | "w" | "z" => return vec![],
        "konsultacje" | "konsultacji" | "konsultacjach" => "konsultacja",
        "dzielnicy" | "dzielnic" => "dzielnica",
        "nowej" => "nowy",
        "hucie" | "huty" => "huta",
        "lodzi" | "lodz" => "lodz",
        _ => &f,
    };
    vec![l.to_string()]
}

#[derive(Default)]
struct Mem {
    /// (field, term) → doc → positions
    postings: BTreeMap<(Field, String), BTreeMap<DocId, Vec<u32>>>,
    lengths: BTreeMap<(Field, DocId), u32>,
    facets: BTreeMap<(String, String), Vec<DocId>>,
    dates: Vec<Option<i32>>,
}

impl Mem {
    fn add(&mut self, doc: DocId, title: &str, body: &str, kind: &str, date: Option<i32>) {
        for (field, text) in [(Field::Title, title), (Field::Body, body)] {
            let words: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            for (pos, w) in words.iter().enumerate() {
                for l in lemma(w) {
                    self.postings
                        .entry((field, l))
                        .or_default()
                        .entry(doc)
                        .or_default()
                        .push(pos as u32);
                }
                self.postings
                    .entry((Field::Exact, fold(w)))
                    .or_default()
                    .entry(doc)
                    .or_default()
                    .push(pos as u32);
            }
            self.lengths.insert((field, doc), words.len() as u32);
            *self.lengths.entry((Field::Exact, doc)).or_default() += words.len() as u32;
        }
        self.facets
            .entry(("kind".into(), kind.into()))
            .or_default()
            .push(doc);
        self.dates.push(date);
    }
}

impl Backend for Mem {
    fn num_docs(&self) -> u64 {
        self.dates.len() as u64
    }
    fn total_tokens(&self, field: Field) -> u64 {
        self.lengths
            .iter()
            .filter(|((f, _), _)| *f == field)
            .map(|(_, n)| *n as u64)
            .sum()
    }
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        Some(WordTerms {
            surface: fold(word),
            lemmas: lemma(word),
        })
    }
    fn fold(&self, text: &str) -> String {
        fold(text)
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let list = self.postings.get(&(field, term.to_string()));
        Some(
            list.into_iter()
                .flatten()
                .map(|(doc, pos)| Posting {
                    doc: *doc,
                    term_freq: pos.len() as u32,
                    fieldnorm_id: fieldnorm_to_id(self.lengths[&(field, *doc)]),
                })
                .collect(),
        )
    }
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        let list = self.postings.get(&(field, term.to_string()));
        Some(
            list.into_iter()
                .flatten()
                .map(|(d, p)| (*d, p.clone()))
                .collect(),
        )
    }
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        let mut terms: Vec<(usize, String)> = self
            .postings
            .iter()
            .filter(|((f, t), _)| *f == field && t.starts_with(prefix))
            .map(|((_, t), docs)| (docs.len(), t.clone()))
            .collect();
        terms.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Some(terms.into_iter().take(limit).map(|(_, t)| t).collect())
    }
    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        Some(
            self.postings
                .keys()
                .filter(|(f, c)| *f == Field::Exact && one_edit_apart(term, c))
                .map(|(_, c)| c.clone())
                .collect(),
        )
    }
    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        Some(
            self.facets
                .get(&(facet.into(), value.into()))
                .cloned()
                .unwrap_or_default(),
        )
    }
    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        Some(
            self.facets
                .keys()
                .filter(|(f, _)| f == facet)
                .map(|(_, v)| v.clone())
                .collect(),
        )
    }
    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        Some(self.dates.clone())
    }
}

fn site() -> Mem {
    let mut m = Mem::default();
    m.add(
        0,
        "Konsultacje w dzielnicy",
        "Spotkanie w Nowej Hucie o rewitalizacji.",
        "raport",
        Some(17_000),
    );
    m.add(
        1,
        "Program współpracy",
        "Konsultacji było jedenaście, w tym w Łodzi.",
        "program",
        Some(17_500),
    );
    m.add(
        2,
        "Kultura",
        "Organizacje kultury i konsultacjach mówią dużo.",
        "raport",
        None,
    );
    m.add(
        3,
        "Nowa Huta",
        "Dzielnica Nowa Huta i jej huty.",
        "strategia",
        Some(16_000),
    );
    m
}

/// The outcome of `q` over [`site`], by relevance, without filters.
fn outcome(q: &str) -> Outcome {
    search(
        &mut site(),
        &parse(q).unwrap(),
        &Filters::default(),
        SortOrder::Relevance,
    )
    .unwrap()
}

fn docs(q: &str, filters: &Filters) -> Vec<DocId> {
    let out = search(
        &mut site(),
        &parse(q).unwrap(),
        filters,
        SortOrder::Relevance,
    )
    .unwrap();
    out.hits.iter().map(|h| h.doc).collect()
}

#[test]
fn inflected_forms_find_each_other_title_first_then_exact_form() {
    // 0 has the lemma in its title; 2 has the exact form typed; 1 only shares the lemma.
    assert_eq!(docs("konsultacjach", &Filters::default()), [0, 2, 1]);
}

#[test]
fn all_words_first_then_partial_matches_rarest_word_first() {
    let out = outcome("konsultacje hucie");
    // 0 has both; 3 has the rarer word (huta: 2 documents), 1 and 2 the commoner (3).
    let got: Vec<DocId> = out.hits.iter().map(|h| h.doc).collect();
    assert_eq!(&got[..2], [0, 3]);
    let mut tail = got[2..].to_vec();
    tail.sort();
    assert_eq!(tail, [1, 2]);
    assert_eq!((out.all_words, out.matched_any), (1, false));
    assert_eq!(out.clauses, ["konsultacje", "hucie"]);
    assert!(out.missing(out.hits[0].missing).is_empty());
    assert_eq!(out.missing(out.hits[1].missing), ["konsultacje"]);
    assert_eq!(out.missing(out.hits[2].missing), ["hucie"]);

    let out = outcome("kultura lodz");
    assert!(out.matched_any);
    assert_eq!(out.all_words, 0);
    let mut got: Vec<DocId> = out.hits.iter().map(|h| h.doc).collect();
    got.sort();
    assert_eq!(got, [1, 2]);
}

#[test]
fn a_word_found_nowhere_is_dropped_and_named() {
    let out = outcome("konsultacje qqqq");
    assert_eq!(out.not_found, ["qqqq"]);
    assert_eq!(out.clauses, ["konsultacje"]);
    assert!(!out.matched_any);
    assert_eq!(out.all_words, 3);
    assert_eq!(docs("konsultacje qqqq", &Filters::default()), [0, 2, 1]);
    // Nothing but unknown words: nothing.
    assert!(docs("qqqq zzzz", &Filters::default()).is_empty());
}

#[test]
fn exclusions_and_phrases_stay_hard_constraints() {
    // 2 has "konsultacje" but is excluded, also from the partial matches.
    let got = docs("konsultacje hucie -kultura", &Filters::default());
    assert_eq!(&got[..2], [0, 3]);
    assert_eq!(got.len(), 3);
    assert!(!got.contains(&2));
    // A document without the phrase is not a partial match; a phrase found nowhere empties the
    // list and is named.
    assert_eq!(docs("\"nowa huta\" konsultacje", &Filters::default()), [3]);
    let out = outcome("\"hucie nowej\" konsultacje");
    assert!(out.hits.is_empty());
    assert_eq!(out.not_found, ["\"hucie nowej\""]);
}

#[test]
fn exclusion_phrase_prefix() {
    assert_eq!(docs("konsultacje -kultura", &Filters::default()), [0, 1]);
    assert_eq!(docs("\"nowej hucie\"", &Filters::default()), [0]);
    assert_eq!(
        docs("\"hucie nowej\"", &Filters::default()),
        Vec::<DocId>::new()
    );
    let mut got = docs("rewital*", &Filters::default());
    got.sort();
    assert_eq!(got, [0]);
}

#[test]
fn typo_is_corrected() {
    let out = outcome("rewitalizacjii");
    assert_eq!(
        out.corrections,
        [("rewitalizacjii".to_string(), "rewitalizacji".to_string())]
    );
    assert_eq!(out.hits.len(), 1);
}

#[test]
fn filters_dates_and_counts() {
    let mut f = Filters::default();
    f.add("kind", "raport");
    assert_eq!(docs("konsultacje", &f), [0, 2]);
    let f = Filters {
        date_from: Some(17_100),
        ..Default::default()
    };
    assert_eq!(docs("konsultacje", &f), [1]);
    let out = search(
        &mut site(),
        &parse("konsultacje").unwrap(),
        &Filters::default(),
        SortOrder::Date,
    )
    .unwrap();
    assert_eq!(
        out.hits.iter().map(|h| h.doc).collect::<Vec<_>>(),
        [1, 0, 2]
    );
    let kinds = get(&out.facet_counts, "kind").unwrap();
    assert_eq!(get(kinds, "raport"), Some(&2));
    assert_eq!(get(kinds, "strategia"), Some(&0));
}

#[test]
fn stop_words_alone_match_nothing() {
    assert!(docs("i w z", &Filters::default()).is_empty());
}

#[test]
fn a_phrase_keeps_the_place_of_a_stop_word_but_does_not_highlight_it() {
    let out = outcome("\"konsultacje w dzielnicy\"");
    assert_eq!(out.hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [0]);
    // As outside a phrase: the stop word has no postings in the lemma fields, and the browser
    // would fetch its term chunk only to find that out.
    assert!(out.highlight.iter().any(|t| t == "dzielnica"));
    assert!(
        !out.highlight.iter().any(|t| t == "w"),
        "{:?}",
        out.highlight
    );
    // Its place matches any word.
    assert_eq!(
        docs("\"konsultacje z dzielnicy\"", &Filters::default()),
        [0]
    );
}
