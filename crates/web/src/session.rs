//! A search session over the shards: reads a request (the text format of
//! `docs/browser-search.md`), runs the shared engine, and writes the answer as JSON — either the
//! results or the list of files still needed. Platform-neutral: the WebAssembly exports and the
//! native tests both drive it.

use crate::prelude::*;
use jawnik_analysis::Language;
use jawnik_engine::dates::days_from_iso;
use jawnik_engine::snippet::{make_snippet, FormMatch, MatchRule};
use jawnik_engine::text::{concat, push_uint, push_uint_padded};
use jawnik_engine::{
    parse, Backend, DocId, FacetCounts, Field, Filters, Outcome, Query, SortOrder,
};

use crate::backend::ShardBackend;
use crate::format::{DocRecord, Meta, ShardError};

/// Words in a summary snippet.
pub const SNIPPET_WORDS: usize = 30;
/// Most results per request.
pub const MAX_LIMIT: usize = 100;

/// A parsed request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The query text.
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// Order.
    pub by_date: bool,
    /// First result to return.
    pub offset: usize,
    /// How many results.
    pub limit: usize,
    /// Whether to count facets.
    pub facets: bool,
    /// Whether the host answers Range requests: document records are then asked for by byte
    /// range (`file#start-end`: their slots), and a phrase's position entries after their
    /// file's head, instead of in whole files.
    pub ranges: bool,
    /// The language searched first (`lang=uk`; the page's): its documents are the results,
    /// the other languages' matches are counted. A tag this module does not analyse is
    /// Polish (a Polish-only module serves sites whose documents are all Polish).
    pub language: Language,
}

impl Request {
    /// For a page of the relevance order without facet counts, how many results of the
    /// list it needs (`offset + limit`): the early-stopping search gives those alone.
    fn first_page(&self, order: SortOrder) -> Option<usize> {
        (order == SortOrder::Relevance && !self.facets)
            .then(|| self.offset.saturating_add(self.limit).max(1))
    }

    /// Reads `key=value` lines; unknown keys and bad values are errors.
    pub fn parse(text: &str) -> Result<Request, String> {
        let mut r = Request {
            limit: 10,
            facets: true,
            ..Request::default()
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let (key, value) = line
                .split_once('=')
                .ok_or_else(|| concat(&["not key=value: ", line]))?;
            match key {
                "q" => r.query = value.to_string(),
                "filter" => {
                    let (facet, v) = value.split_once(':').ok_or("filter must be facet:value")?;
                    r.filters.add(facet, v);
                }
                "from" | "to" if value.is_empty() => {}
                "from" => {
                    r.filters.date_from = Some(days_from_iso(value).ok_or("from: not a date")?)
                }
                "to" => r.filters.date_to = Some(days_from_iso(value).ok_or("to: not a date")?),
                "sort" => r.by_date = value == "date",
                "offset" => r.offset = value.parse().map_err(|_| "offset: not a number")?,
                "limit" => {
                    r.limit = value
                        .parse::<usize>()
                        .map_err(|_| "limit: not a number")?
                        .min(MAX_LIMIT)
                }
                "facets" => r.facets = value != "0",
                "ranges" => r.ranges = value == "1",
                #[cfg(feature = "multi")]
                "lang" => r.language = Language::from_tag(value).unwrap_or_default(),
                // The Polish-only module searches in Polish whatever the page's language.
                #[cfg(not(feature = "multi"))]
                "lang" => {}
                _ => return Err(concat(&["unknown request key ", key])),
            }
        }
        Ok(r)
    }
}

/// What a search found. The multi-language module: the outcome in the language searched and
/// the other languages' counts ([`jawnik_engine::LanguageOutcome`]). The Polish-only module:
/// the outcome over every document, as before languages (its size is every Polish site's
/// first query).
#[cfg(feature = "multi")]
pub type Found = jawnik_engine::LanguageOutcome;
/// What a search found (the Polish-only module: the outcome over every document).
#[cfg(not(feature = "multi"))]
pub type Found = Outcome;

/// The engine's outcome in what a search found.
#[cfg(feature = "multi")]
pub fn outcome_of(found: &Found) -> &Outcome {
    &found.outcome
}

/// The engine's outcome in what a search found.
#[cfg(not(feature = "multi"))]
pub fn outcome_of(found: &Found) -> &Outcome {
    found
}

/// The language a search ran in.
#[cfg(feature = "multi")]
fn language_of(found: &Found) -> Language {
    found.language
}

/// The language a search ran in: Polish, in the Polish-only module.
#[cfg(not(feature = "multi"))]
fn language_of(_: &Found) -> Language {
    Language::Polish
}

/// A search session: the backend and what it has loaded.
pub struct Session {
    backend: ShardBackend,
    /// The last request whose search was complete, and its outcome: asked again while the
    /// records to show are fetched (a round each), it is not searched again.
    searched: Option<(Request, Found)>,
    /// The documents' languages (the meta file's; empty: all Polish).
    #[cfg_attr(not(feature = "multi"), allow(dead_code))]
    languages: Vec<String>,
}

/// One result, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownResult {
    /// The document.
    pub doc: DocId,
    /// Its score.
    pub score: f32,
    /// Its record.
    pub record: DocRecord,
    /// The summary with matched words marked.
    pub snippet: Vec<(String, bool)>,
    /// The heading of the section of the first body match: (text, url with anchor).
    pub heading: Option<(String, String)>,
    /// The attachment of the first attachment match (the earliest part: its title or a page):
    /// (title, link — with `#page=N` for a PDF page —, page or 0).
    pub attachment: Option<(String, String, u32)>,
}

/// What a request gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// Fetch these files (paths inside the search folder) and ask again.
    Need(Vec<String>),
    /// The query could not be read.
    Error(String),
    /// The files loaded do not fit together (a damaged or mixed-up index): reload the page.
    Damaged(String),
    /// The results.
    Ok {
        /// What the engine found ([`Found`]: in the multi-language module, in the language
        /// searched, with the other languages' counts).
        outcome: Found,
        /// The page of results.
        results: Vec<ShownResult>,
    },
}

impl Session {
    /// A session from the meta file's bytes.
    pub fn new(meta_bytes: &[u8]) -> Result<Self, ShardError> {
        let meta = Meta::decode(&crate::codec::inflate(meta_bytes)?)?;
        Ok(Session {
            languages: meta.languages.clone(),
            backend: ShardBackend::new(meta),
            searched: None,
        })
    }

    /// The backend.
    pub fn backend(&mut self) -> &mut ShardBackend {
        &mut self.backend
    }

    /// Loads a fetched file.
    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Result<(), ShardError> {
        self.backend.load(name, bytes)
    }

    /// Runs a request.
    pub fn run(&mut self, request: &Request) -> Answer {
        self.backend.set_ranges(request.ranges);
        let query = match parse(&request.query) {
            Ok(q) => q,
            Err(e) => return Answer::Error(e.text()),
        };
        let order = if request.by_date {
            SortOrder::Date
        } else {
            SortOrder::Relevance
        };
        let outcome = match self.searched.take() {
            // The files a search reads never change: the same request, the same outcome.
            Some((last, outcome)) if last == *request => Some(outcome),
            _ => self.search(&query, request, order),
        };
        let Some(answer) = outcome else {
            return need(self.backend.take_missing());
        };
        let outcome = outcome_of(&answer);
        let page: Vec<(DocId, f32)> = outcome
            .hits
            .iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|h| (h.doc, h.score))
            .collect();
        let mut results = Vec::new();
        let mut complete = true;
        for (doc, score) in page {
            match self.show(doc, score, &outcome.highlight, language_of(&answer)) {
                Some(r) => results.push(r),
                None => complete = false,
            }
        }
        let missing = self.backend.take_missing();
        if !complete || !missing.is_empty() {
            self.searched = Some((request.clone(), answer));
            return need(missing);
        }
        Answer::Ok {
            outcome: answer,
            results,
        }
    }

    /// Searches in the request's language, counting the others' matches (the multi-language
    /// module); a page without facet counts as the Polish-only module's.
    #[cfg(feature = "multi")]
    fn search(&mut self, query: &Query, request: &Request, order: SortOrder) -> Option<Found> {
        if let Some(k) = request.first_page(order) {
            return jawnik_engine::search_languages_top(
                &mut self.backend,
                query,
                &request.filters,
                k,
                request.language,
                &self.languages,
            );
        }
        jawnik_engine::search_languages(
            &mut self.backend,
            query,
            &request.filters,
            order,
            request.facets,
            request.language,
            &self.languages,
        )
    }

    /// Searches every document in Polish: the Polish-only module, for a site whose documents
    /// are all Polish, carries no second language's code (its size is the first query's).
    /// A page of the relevance order without facet counts is the first `offset + limit` of
    /// the list: [`jawnik_engine::search_top`] finds them without reading every posting of
    /// a common word (the total is then an estimate); the filters panel's request, with
    /// counts, reads everything.
    #[cfg(not(feature = "multi"))]
    fn search(&mut self, query: &Query, request: &Request, order: SortOrder) -> Option<Found> {
        if let Some(k) = request.first_page(order) {
            return jawnik_engine::search_top(&mut self.backend, query, &request.filters, k);
        }
        jawnik_engine::search_with(
            &mut self.backend,
            query,
            &request.filters,
            order,
            request.facets,
        )
    }

    fn show(
        &mut self,
        doc: DocId,
        score: f32,
        highlight: &[String],
        language: Language,
    ) -> Option<ShownResult> {
        // Ask for the record and the sections of the body matches in the same round.
        let sections = self.first_section(Field::Body, doc, highlight);
        let part = self.first_section(Field::Attachments, doc, highlight);
        let record = self.backend.record(doc)?.clone();
        let sections = sections?;
        let part = part?;
        let mut complete = true;
        // A word's lemmas are those of the term chunks loaded: a word whose chunk is not is
        // analysed (loading it) and the result shown once it is.
        let rule = MatchRule::new(highlight);
        let backend = &mut self.backend;
        let snippet = make_snippet(&record.summary, SNIPPET_WORDS, |word| {
            match rule.by_form(&backend.fold(word)) {
                FormMatch::Yes => true,
                FormMatch::No => false,
                FormMatch::IfLemma => match stemmed_lemmas(language, word)
                    .or_else(|| backend.lemmas_if_loaded(word))
                {
                    Some(lemmas) => rule.by_lemmas(&lemmas),
                    None => {
                        complete &= backend.analyze_word(word).is_some();
                        false
                    }
                },
            }
        });
        let heading = sections
            .and_then(|k| record.headings.get(k as usize - 1))
            .map(|(_, text, anchor)| (text.clone(), concat(&[&record.url, "#", anchor])));
        let attachment = part
            .and_then(|k| record.parts.get(k as usize - 1))
            .and_then(|&(_, a, page)| {
                let (title, url) = record.attachments.get(a as usize)?;
                Some((title.clone(), page_link(url, page), page))
            });
        complete.then(|| ShownResult {
            attachment,
            doc,
            score,
            snippet: snippet
                .segments
                .into_iter()
                .map(|s| (s.text, s.highlighted))
                .collect(),
            heading,
            record,
        })
    }

    /// The earliest section (k ≥ 1: body: under the k-th heading; attachments: in the k-th
    /// part) in which a highlighted term occurs in the document's field; `Some(None)` when none
    /// does (in the body: under a heading).
    fn first_section(
        &mut self,
        field: Field,
        doc: DocId,
        highlight: &[String],
    ) -> Option<Option<u32>> {
        let mut first: Option<u32> = None;
        let mut complete = true;
        for term in highlight {
            match self.backend.field_section(field, term, doc) {
                Some(Some(section)) if section > 0 => {
                    first = Some(first.map_or(section, |f| f.min(section)))
                }
                Some(_) => {}
                None => complete = false,
            }
        }
        complete.then_some(first)
    }
}

/// The link to an attachment, to its page for a PDF page (`#page=N`).
pub fn page_link(url: &str, page: u32) -> String {
    let mut out = url.to_string();
    if page > 0 {
        out.push_str("#page=");
        push_uint(&mut out, page.into());
    }
    out
}

/// Asks for the missing files; none missing while the answer is incomplete means the files
/// contradict each other (found by fuzzing: a meta listing fewer document chunks than it has
/// documents made the page ask for nothing, forever).
fn need(missing: Vec<String>) -> Answer {
    if missing.is_empty() {
        Answer::Damaged("the search files do not fit together".into())
    } else {
        Answer::Need(missing)
    }
}

/// Appends a score with six decimals, by integer arithmetic (float formatting would add
/// kilobytes to the WebAssembly module).
pub fn push_score(out: &mut String, score: f32) {
    let micro = f64::from(score) * 1e6;
    let micro = if micro.is_finite() { round(micro) } else { 0 };
    if micro < 0 {
        out.push('-');
    }
    let micro = micro.unsigned_abs();
    push_uint(out, micro / 1_000_000);
    out.push('.');
    push_uint_padded(out, micro % 1_000_000, 6);
}

/// `x.round() as i64` (halves away from zero, saturating) without `f64::round`, which `core`
/// lacks: the module is `no_std`.
fn round(x: f64) -> i64 {
    let whole = x as i64; // toward zero, saturating
                          // Exact: `whole` is `x` without its fraction, or `x` is beyond `i64` and this is no half.
    let fraction = x - whole as f64;
    if fraction >= 0.5 {
        whole.saturating_add(1)
    } else if fraction <= -0.5 {
        whole.saturating_sub(1)
    } else {
        whole
    }
}

/// Appends `s` as a JSON string.
pub fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                for nibble in [c as u32 >> 4, c as u32 & 0xf] {
                    out.push(char::from(b"0123456789abcdef"[nibble as usize]));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a JSON array of the strings of `items` whose bit is set in `mask` (bit i: item i;
/// from the 33rd item on, every item).
fn json_strs(out: &mut String, items: &[String], mask: u32) {
    out.push('[');
    let mut first = true;
    for (i, item) in items.iter().enumerate() {
        if i < 32 && mask & (1 << i) == 0 {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        json_str(out, item);
    }
    out.push(']');
}

fn json_facets(out: &mut String, facets: &FacetCounts) {
    out.push('{');
    for (i, (facet, values)) in facets.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, facet);
        out.push_str(":{");
        for (j, (value, n)) in values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            json_str(out, value);
            out.push(':');
            push_uint(out, *n as u64);
        }
        out.push('}');
    }
    out.push('}');
}

/// The terms of a word of a stemmed language (English, Ukrainian): no lexicon needed. `None`
/// for Polish, and always in the Polish-only module, which carries no stemming code.
#[cfg(feature = "multi")]
fn stemmed_lemmas(language: Language, word: &str) -> Option<Vec<String>> {
    (!language.uses_dictionary()).then(|| {
        let stopwords = language.stopwords();
        let empty = jawnik_analysis::SiteLexicon::default();
        jawnik_engine::stemmed_word_terms(language, word, &stopwords, &empty).lemmas
    })
}

#[cfg(not(feature = "multi"))]
fn stemmed_lemmas(_: Language, _: &str) -> Option<Vec<String>> {
    None
}

/// `,"language":"uk","otherLanguages":{"pl":3}` (the multi-language module only; the
/// Polish one leaves both out: every document is searched, in Polish).
#[cfg(feature = "multi")]
fn json_languages(out: &mut String, answer: &Found) {
    out.push_str(",\"language\":");
    json_str(out, answer.language.tag());
    out.push_str(",\"otherLanguages\":{");
    for (i, (tag, n)) in answer.other_languages.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, tag);
        out.push(':');
        push_uint(out, *n as u64);
    }
    out.push('}');
}

impl Answer {
    /// The answer as JSON (`docs/browser-search.md`).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        match self {
            Answer::Need(files) => {
                out.push_str("{\"status\":\"need\",\"files\":");
                json_strs(&mut out, files, u32::MAX);
                out.push('}');
            }
            Answer::Error(message) => {
                out.push_str("{\"status\":\"error\",\"stale\":false,\"message\":");
                json_str(&mut out, message);
                out.push('}');
            }
            Answer::Damaged(message) => {
                out.push_str("{\"status\":\"error\",\"stale\":true,\"message\":");
                json_str(&mut out, message);
                out.push('}');
            }
            Answer::Ok {
                outcome: answer,
                results,
            } => {
                let outcome = outcome_of(answer);
                out.push_str("{\"status\":\"ok\",\"total\":");
                match outcome.estimated_total {
                    // The first page without every match counted: how many, about.
                    Some(estimate) => {
                        push_uint(&mut out, estimate.into());
                        out.push_str(",\"exact\":false");
                    }
                    None => push_uint(&mut out, outcome.hits.len() as u64),
                }
                out.push_str(if outcome.matched_any {
                    ",\"matchedAll\":false,\"corrections\":["
                } else {
                    ",\"matchedAll\":true,\"corrections\":["
                });
                for (i, (typed, used)) in outcome.corrections.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('[');
                    json_str(&mut out, typed);
                    out.push(',');
                    json_str(&mut out, used);
                    out.push(']');
                }
                out.push_str("],\"notFound\":");
                json_strs(&mut out, &outcome.not_found, u32::MAX);
                out.push_str(",\"facets\":");
                json_facets(&mut out, &outcome.facet_counts);
                out.push_str(",\"results\":[");
                for (i, r) in results.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str("{\"doc\":");
                    push_uint(&mut out, r.doc.into());
                    out.push_str(",\"score\":");
                    push_score(&mut out, r.score);
                    out.push_str(",\"missing\":");
                    // The words it lacks (results are distinct documents).
                    let hit = outcome.hits.iter().find(|h| h.doc == r.doc);
                    json_strs(&mut out, &outcome.clauses, hit.map_or(0, |h| h.missing));
                    out.push_str(",\"url\":");
                    json_str(&mut out, &r.record.url);
                    for (key, value) in [("title", &r.record.title), ("kind", &r.record.kind)] {
                        out.push_str(",\"");
                        out.push_str(key);
                        out.push_str("\":");
                        json_str(&mut out, value);
                    }
                    if r.record.archival {
                        out.push_str(",\"archival\":true");
                    }
                    out.push_str(",\"date\":");
                    if r.record.date.is_empty() {
                        out.push_str("null");
                    } else {
                        json_str(&mut out, &r.record.date);
                    }
                    out.push_str(",\"snippet\":[");
                    for (j, (text, hit)) in r.snippet.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push('[');
                        json_str(&mut out, text);
                        out.push_str(if *hit { ",true]" } else { ",false]" });
                    }
                    out.push_str("],\"heading\":");
                    match &r.heading {
                        Some((text, url)) => {
                            out.push_str("{\"text\":");
                            json_str(&mut out, text);
                            out.push_str(",\"url\":");
                            json_str(&mut out, url);
                            out.push('}');
                        }
                        None => out.push_str("null"),
                    }
                    out.push_str(",\"attachment\":");
                    match &r.attachment {
                        Some((title, url, page)) => {
                            out.push_str("{\"title\":");
                            json_str(&mut out, title);
                            out.push_str(",\"url\":");
                            json_str(&mut out, url);
                            if *page > 0 {
                                out.push_str(",\"page\":");
                                push_uint(&mut out, (*page).into());
                                out.push('}');
                            } else {
                                out.push_str(",\"page\":null}");
                            }
                        }
                        None => out.push_str("null"),
                    }
                    out.push('}');
                }
                out.push(']');
                #[cfg(feature = "multi")]
                json_languages(&mut out, answer);
                out.push('}');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_reject_nonsense() {
        let r = Request::parse("q=kultura \"nowa huta\"\nfilter=sector:kultura\nfilter=sector:sport\nfrom=2018-01-01\nsort=date\nlimit=500\nfacets=0").unwrap();
        assert_eq!(r.query, "kultura \"nowa huta\"");
        assert_eq!(
            r.filters.facets,
            [(
                "sector".to_string(),
                vec!["kultura".to_string(), "sport".to_string()]
            )]
        );
        assert_eq!(r.filters.date_from, Some(17_532));
        assert!(r.by_date && !r.facets);
        assert_eq!(r.limit, MAX_LIMIT);
        assert!(Request::parse("x=1").is_err());
        assert!(Request::parse("from=yesterday").is_err());
    }

    #[test]
    fn scores_have_six_decimals() {
        let mut s = String::new();
        push_score(&mut s, 7.391_234_5);
        push_score(&mut s, -0.5);
        push_score(&mut s, 12.0);
        push_score(&mut s, 0.000_25);
        assert_eq!(s, "7.391234-0.50000012.0000000.000250");
        assert_eq!(page_link("a.pdf", 0), "a.pdf");
        assert_eq!(page_link("a.pdf", 12), "a.pdf#page=12");
    }

    #[test]
    fn round_is_f64_round() {
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.499_999_999_999_999_94,
            4_503_599_627_370_495.5,
            9.0e15,
            9.3e18,
            -9.3e18,
            1e30,
            -1e30,
            f64::MAX,
            f64::MIN,
        ];
        // Scores as push_score scales them: every f32 bit pattern of one stride.
        cases.extend(
            (0..u32::MAX)
                .step_by(65_537)
                .map(|b| f64::from(f32::from_bits(b)) * 1e6),
        );
        for x in cases.into_iter().filter(|x: &f64| x.is_finite()) {
            assert_eq!(round(x), x.round() as i64, "{x}");
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\n</script>\u{1}");
        assert_eq!(s, "\"a\\\"b\\\\c\\n\\u003c/script>\\u0001\"");
    }
}
