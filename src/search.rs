//! `jawnik search`: runs the shared query engine over the tantivy index on disk and presents
//! ranked results with highlighted snippets, as text for people or as stable JSON for scripts.
//!
//! The JSON format (version 1) is documented in `docs/search-json.md`; fields are only ever
//! added, never renamed or removed, within a version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use jawnik_analysis::Language;
use jawnik_engine::schema::LANGUAGE_FACET;
use jawnik_engine::snippet::{make_snippet, FormMatch, MatchRule, Segment};
use jawnik_engine::{parse, search_languages, Backend, Filters, InLanguage, SortOrder};
use serde::Serialize;

use crate::index::{days_from_iso, IndexDoc, TantivyBackend, INDEX_DIR};

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 24;

/// Which versions of a document a search shows (`--versions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Versions {
    /// The latest version of each chain and every document outside one (the `version` facet's
    /// `latest`), as the search page shows by default.
    #[default]
    Latest,
    /// Earlier versions too (the page's "pokaż wersje archiwalne").
    All,
}

/// What to search for and how to narrow it.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Facet filters: `kind`, `sector`, `district`, `status`, `year` → accepted values.
    pub facets: BTreeMap<String, BTreeSet<String>>,
    /// Earliest date `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Latest date `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Sort by date instead of relevance.
    pub by_date: bool,
    /// How many results to return.
    pub limit: usize,
    /// Which versions to show.
    pub versions: Versions,
    /// The language searched first (`--language`, a BCP 47 tag); `None`: Polish. On a site
    /// whose documents are in one language only, that language is searched whatever this says.
    pub language: Option<String>,
}

/// A heading a result points into.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ResultHeading {
    /// The heading's text.
    pub text: String,
    /// The page path with the heading's anchor.
    pub path: String,
}

/// The attachment a result's match is in.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ResultAttachment {
    /// The attachment's title.
    pub title: String,
    /// Its link: a path relative to the site's base URL (`pliki/…`, with `#page=N` for a PDF
    /// page), or the address of an attachment outside the site.
    pub path: String,
    /// The PDF page where the match is, if known.
    pub page: Option<u32>,
}

/// A snippet piece (JSON: `{"text": "...", "match": true}`).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// Whether it is a matched word.
    #[serde(rename = "match")]
    pub is_match: bool,
}

/// One result.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchResult {
    /// 1-based rank.
    pub rank: usize,
    /// Title or organisation name.
    pub title: String,
    /// Kind (`raport`, `program`, ...).
    pub kind: String,
    /// Date `YYYY-MM-DD`, if known.
    pub date: Option<String>,
    /// The page path relative to the site's base URL.
    pub path: String,
    /// The BM25 score.
    pub score: f32,
    /// The best passage, with the matched words marked.
    pub snippet: Vec<SnippetPart>,
    /// The heading of the section where the passage is, if any.
    pub heading: Option<ResultHeading>,
    /// The attachment holding the first match in the page's attachments (title or text), if any.
    pub attachment: Option<ResultAttachment>,
    /// The words (clauses) of the query this page lacks, as shown: empty when it has every
    /// word; the pages lacking some come after those having all.
    pub missing: Vec<String>,
    /// Whether it is an earlier version of a document ("wersja archiwalna").
    pub archival: bool,
    /// The page's language tag (`pl`, `uk`, `en`).
    pub language: String,
}

/// The answer to a search.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchResponse {
    /// Format version of this JSON.
    pub version: u32,
    /// The query as given.
    pub query: String,
    /// How many documents match in all.
    pub total: usize,
    /// False when no document had every word and documents with any word are listed.
    pub matched_all_words: bool,
    /// How many of the matching documents (the first `all_words_total`) have every word.
    pub all_words_total: usize,
    /// Words replaced by a near word because they matched nothing: `[typed, used]`.
    pub corrections: Vec<(String, String)>,
    /// Words found in no document (after correction), left out of the search.
    pub not_found: Vec<String>,
    /// Facet → value → number of matching documents.
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
    /// The results, best first.
    pub results: Vec<SearchResult>,
    /// The language searched (its documents only, when the site has several), as a tag.
    pub language: String,
    /// Language tag → how many documents in that language match the query analysed in it
    /// (the site's other languages; empty on a site in one language).
    pub other_languages: BTreeMap<String, usize>,
}

/// Opens the index under `root` and runs a request.
pub fn search_site(root: &Path, request: &SearchRequest) -> Result<SearchResponse> {
    let mut backend = TantivyBackend::open(&root.join(INDEX_DIR))?;
    run(&mut backend, request)
}

fn parse_date(label: &str, value: &Option<String>) -> Result<Option<i32>> {
    value
        .as_deref()
        .map(|v| {
            days_from_iso(v).with_context(|| format!("{label}: `{v}` is not a date (YYYY-MM-DD)"))
        })
        .transpose()
}

/// Runs a request on an open index.
pub fn run(backend: &mut TantivyBackend, request: &SearchRequest) -> Result<SearchResponse> {
    let query = parse(&request.query).map_err(|e| anyhow::anyhow!("cannot read the query: {e}"))?;
    let mut filters = Filters {
        facets: request
            .facets
            .iter()
            .map(|(facet, values)| (facet.clone(), values.iter().cloned().collect()))
            .collect(),
        date_from: parse_date("--from", &request.from)?,
        date_to: parse_date("--to", &request.to)?,
    };
    if request.versions == Versions::Latest {
        filters.add("version", jawnik_engine::schema::VERSION_LATEST);
    }
    let order = if request.by_date {
        SortOrder::Date
    } else {
        SortOrder::Relevance
    };
    let asked = match &request.language {
        Some(tag) => Language::from_tag(tag).map_err(|e| anyhow::anyhow!("--language: {e}"))?,
        None => Language::Polish,
    };
    let site_languages = backend.facet_values(LANGUAGE_FACET).unwrap_or_default();
    let answer = search_languages(
        backend,
        &query,
        &filters,
        order,
        true,
        asked,
        &site_languages,
    )
    .context("the index is incomplete")?;
    let outcome = answer.outcome;
    let mut results = Vec::new();
    for (i, hit) in outcome.hits.iter().take(request.limit).enumerate() {
        let doc = backend.record(hit.doc)?;
        let (snippet, heading, attachment) =
            snippet_for(backend, answer.language, &doc, &outcome.highlight);
        results.push(SearchResult {
            rank: i + 1,
            title: doc.title.clone(),
            kind: doc.kind.clone(),
            date: doc.date.clone(),
            path: doc.url.clone(),
            score: hit.score,
            snippet,
            heading,
            attachment,
            missing: outcome
                .missing(hit.missing)
                .into_iter()
                .map(str::to_string)
                .collect(),
            archival: doc.archival,
            language: doc.language_tag().to_string(),
        });
    }
    Ok(SearchResponse {
        version: 1,
        query: request.query.clone(),
        total: outcome.hits.len(),
        matched_all_words: !outcome.matched_any,
        all_words_total: outcome.all_words,
        corrections: outcome.corrections,
        not_found: outcome.not_found,
        facets: outcome
            .facet_counts
            .into_iter()
            .map(|(facet, values)| (facet, values.into_iter().collect()))
            .collect(),
        results,
        language: answer.language.tag().to_string(),
        other_languages: answer.other_languages.into_iter().collect(),
    })
}

/// The snippet of a document: from the body when a query word is there, else from the
/// attachment page holding one, else the summary; the heading above the body match; and the
/// earliest attachment part (title or page) holding a query word, as the browser finds it.
fn snippet_for(
    backend: &mut TantivyBackend,
    language: Language,
    doc: &IndexDoc,
    highlight: &[String],
) -> (
    Vec<SnippetPart>,
    Option<ResultHeading>,
    Option<ResultAttachment>,
) {
    let rule = MatchRule::new(highlight);
    let mut backend = InLanguage::new(backend, language);
    let mut is_match = |word: &str| match rule.by_form(&backend.fold(word)) {
        FormMatch::Yes => true,
        FormMatch::No => false,
        FormMatch::IfLemma => backend
            .analyze_word(word)
            .is_some_and(|t| rule.by_lemmas(&t.lemmas)),
    };
    let body = make_snippet(&doc.body, SNIPPET_WORDS, &mut is_match);
    let mut attachment = None;
    let mut attachment_snippet = None;
    for part in doc.attachment_parts() {
        let found = make_snippet(part.text, SNIPPET_WORDS, &mut is_match);
        if found.first_match.is_some() {
            let a = &doc.attachments[part.attachment];
            let page = (part.page > 0).then_some(part.page);
            attachment = Some(ResultAttachment {
                title: a.title.clone(),
                path: jawnik_web::session::page_link(&a.href, part.page),
                page,
            });
            if !part.is_title {
                attachment_snippet = Some(found);
            }
            break;
        }
    }
    let (snippet, heading) = if body.first_match.is_some() {
        let heading = body.first_match.and_then(|at| {
            doc.headings
                .iter()
                .rev()
                .find(|h| h.offset <= at)
                .map(|h| ResultHeading {
                    text: h.text.clone(),
                    path: format!("{}#{}", doc.url, h.anchor),
                })
        });
        (body, heading)
    } else if let Some(found) = attachment_snippet {
        (found, None)
    } else {
        (
            make_snippet(&doc.summary, SNIPPET_WORDS, &mut is_match),
            None,
        )
    };
    let parts = snippet
        .segments
        .into_iter()
        .map(|Segment { text, highlighted }| SnippetPart {
            text,
            is_match: highlighted,
        })
        .collect();
    (parts, heading, attachment)
}

/// Renders a response for a terminal: `**word**` marks matches unless `color`, which uses bold.
pub fn format_text(response: &SearchResponse, base_url: &str, color: bool) -> String {
    let mut out = String::new();
    for (typed, used) in &response.corrections {
        out.push_str(&format!(
            "Nie znaleziono „{typed}”; pokazuję wyniki dla „{used}”.\n"
        ));
    }
    if !response.not_found.is_empty() {
        out.push_str(&format!(
            "Nie znaleziono: {} (pominięto w wyszukiwaniu).\n",
            quoted_list(&response.not_found)
        ));
    }
    if !response.matched_all_words {
        out.push_str(
            "Żaden dokument nie zawiera wszystkich słów; najpierw te, które zawierają ich najwięcej.\n",
        );
    }
    let partial = response.total - response.all_words_total.min(response.total);
    let all_words = if partial > 0 && response.all_words_total > 0 {
        format!(" ({} ze wszystkimi słowami)", response.all_words_total)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} wyników dla „{}”{all_words}\n",
        response.total, response.query
    ));
    let others: usize = response.other_languages.values().sum();
    if others > 0 {
        let each: Vec<String> = response
            .other_languages
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|(tag, n)| format!("{tag}: {n}"))
            .collect();
        out.push_str(&format!(
            "{others} {} w innych językach ({}; --language)\n",
            results_word(others),
            each.join(", ")
        ));
    }
    for r in &response.results {
        let mut date = r
            .date
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        if r.archival {
            date.push_str(", wersja archiwalna");
        }
        out.push_str(&format!(
            "\n{}. {} ({}{})\n   {}{}\n",
            r.rank, r.title, r.kind, date, base_url, r.path
        ));
        if let Some(h) = &r.heading {
            out.push_str(&format!("   § {} — {}{}\n", h.text, base_url, h.path));
        }
        if let Some(a) = &r.attachment {
            let page = a.page.map(|p| format!(", s. {p}")).unwrap_or_default();
            let link = if a.path.contains("://") {
                a.path.clone()
            } else {
                format!("{base_url}{}", a.path)
            };
            out.push_str(&format!("   załącznik: {}{page} — {link}\n", a.title));
        }
        let snippet: String = r
            .snippet
            .iter()
            .map(|p| match (p.is_match, color) {
                (true, true) => format!("\x1b[1m{}\x1b[0m", p.text),
                (true, false) => format!("**{}**", p.text),
                (false, _) => p.text.clone(),
            })
            .collect();
        let snippet = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!("   {snippet}\n"));
        if !r.missing.is_empty() {
            out.push_str(&format!("   Brak: {}\n", r.missing.join(", ")));
        }
    }
    out
}

/// `„a”, „b”`.
fn quoted_list(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("„{w}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Polish plural of "wynik" for a count: 1 wynik, 2–4 wyniki, 5 wyników, 22 wyniki.
pub fn results_word(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        _ if n == 1 => "wynik",
        (2..=4, r) if !(12..=14).contains(&r) => "wyniki",
        _ => "wyników",
    }
}

#[cfg(test)]
mod tests {
    use super::results_word;

    #[test]
    fn polish_plural() {
        let got: Vec<&str> = [0, 1, 2, 4, 5, 12, 22, 25, 104]
            .iter()
            .map(|&n| results_word(n))
            .collect();
        assert_eq!(
            got,
            [
                "wyników", "wynik", "wyniki", "wyniki", "wyników", "wyników", "wyniki", "wyników",
                "wyniki"
            ]
        );
    }
}
