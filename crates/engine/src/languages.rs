//! Search on a site whose documents are in several languages: each document's terms come from
//! its language's analyzer (Polish lemmas, English or Ukrainian stems), so a query is analysed
//! once per language and matched only against that language's documents (the
//! [`LANGUAGE_FACET`]). [`search_languages`] answers in one language (the page's, or
//! `jawnik search --language`) and counts the matches in each other language.
//!
//! A site with documents in one language only gets exactly [`search_with`]'s answer: the
//! language facet is not consulted, so nothing more is fetched by the browser.

use crate::prelude::*;
use jawnik_analysis::{analyze_query_word_in, Language, SiteLexicon, StopWords};

use crate::backend::{Backend, DocId, Posting, PostingsHead, WordTerms};
use crate::eval::{search_with, Filters, Outcome, SortOrder};
use crate::query::Query;
use crate::schema::{Field, LANGUAGE_FACET};

/// A backend whose query words are analysed in `language`: Polish through the inner backend
/// (its site lexicon), a stemmed language by its stemmer and stop words (no lexicon needed).
pub struct InLanguage<'b, B: Backend> {
    inner: &'b mut B,
    language: Language,
    stopwords: StopWords,
    empty: SiteLexicon,
}

impl<'b, B: Backend> InLanguage<'b, B> {
    /// Wraps `inner`.
    pub fn new(inner: &'b mut B, language: Language) -> Self {
        InLanguage {
            inner,
            language,
            stopwords: language.stopwords(),
            empty: SiteLexicon::default(),
        }
    }
}

impl<B: Backend> Backend for InLanguage<'_, B> {
    fn num_docs(&self) -> u64 {
        self.inner.num_docs()
    }
    fn total_tokens(&self, field: Field) -> u64 {
        self.inner.total_tokens(field)
    }
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        if self.language.uses_dictionary() {
            return self.inner.analyze_word(word);
        }
        Some(stemmed_word_terms(
            self.language,
            word,
            &self.stopwords,
            &self.empty,
        ))
    }
    fn fold(&self, text: &str) -> String {
        self.inner.fold(text)
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        self.inner.postings(field, term)
    }
    fn postings_and_df(&mut self, field: Field, term: &str) -> Option<(u64, Vec<Posting>)> {
        self.inner.postings_and_df(field, term)
    }
    // Heads are found by the word's pairs: a stemmed language's pairs are not a Polish
    // word's, and get every posting.
    fn word_heads(&mut self, pairs: &[(Field, String)], tier: usize) -> Option<Vec<PostingsHead>> {
        self.inner.word_heads(pairs, tier)
    }
    fn doc_postings(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<(u64, Vec<Posting>)> {
        self.inner.doc_postings(field, term, docs)
    }
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        self.inner.positions(field, term)
    }
    fn doc_positions(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<Vec<(DocId, Vec<u32>)>> {
        self.inner.doc_positions(field, term, docs)
    }
    fn expand_prefix(&mut self, field: Field, prefix: &str, limit: usize) -> Option<Vec<String>> {
        self.inner.expand_prefix(field, prefix, limit)
    }
    fn near_terms(&mut self, term: &str) -> Option<Vec<String>> {
        self.inner.near_terms(term)
    }
    fn facet_docs(&mut self, facet: &str, value: &str) -> Option<Vec<DocId>> {
        self.inner.facet_docs(facet, value)
    }
    fn facet_values(&mut self, facet: &str) -> Option<Vec<String>> {
        self.inner.facet_values(facet)
    }
    fn doc_dates(&mut self) -> Option<Vec<Option<i32>>> {
        self.inner.doc_dates()
    }
}

/// A query word of a stemmed language (not Polish): its stem, none for a stop word (the rule
/// of [`crate::word_terms`], the lexicon unused).
pub fn stemmed_word_terms(
    language: Language,
    word: &str,
    stopwords: &StopWords,
    lexicon: &SiteLexicon,
) -> WordTerms {
    let q = analyze_query_word_in(language, word, lexicon);
    let lemmas = if stopwords.contains(&q.surface) {
        Vec::new()
    } else {
        q.terms
    };
    WordTerms {
        surface: q.surface,
        lemmas,
    }
}

/// The answer of [`search_languages`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LanguageOutcome {
    /// The language the query was analysed in for [`LanguageOutcome::outcome`]: the one asked
    /// for on a site with several languages, the site's only language otherwise (snippets
    /// match words in it too).
    pub language: Language,
    /// The search in that language, over its documents only.
    pub outcome: Outcome,
    /// For every other language of the site (in the order given), how many of its documents
    /// match the query analysed in that language (with the same filters).
    pub other_languages: Vec<(String, usize)>,
}

/// The language a search runs in: `asked` on a site with several languages, else the site's
/// only one (Polish on an empty site or for a tag this build does not analyse).
pub fn effective_language(asked: Language, site_languages: &[String]) -> Language {
    match site_languages {
        [] => Language::Polish,
        [only] => Language::from_tag(only).unwrap_or_default(),
        _ => asked,
    }
}

/// The first `k` results of [`search_languages`] in relevance order without facet counts: on
/// a site of one language, by [`crate::top::search_top`] (counts may be estimates); on a
/// site of several, as [`search_languages`] (every match is counted per language).
pub fn search_languages_top<B: Backend>(
    backend: &mut B,
    query: &Query,
    filters: &Filters,
    k: usize,
    language: Language,
    site_languages: &[String],
) -> Option<LanguageOutcome> {
    if site_languages.len() >= 2 {
        let order = SortOrder::Relevance;
        return search_languages(
            backend,
            query,
            filters,
            order,
            false,
            language,
            site_languages,
        );
    }
    let language = effective_language(language, site_languages);
    Some(LanguageOutcome {
        language,
        outcome: crate::top::search_top(
            &mut InLanguage::new(backend, language),
            query,
            filters,
            k,
        )?,
        other_languages: Vec::new(),
    })
}

/// Searches the documents in `language` with the query analysed in it, and counts the matches
/// in each other language of `site_languages` (the language tags of the site's documents, as
/// in the [`LANGUAGE_FACET`], sorted). With fewer than two site languages every document is
/// searched, in the site's language ([`effective_language`]; for Polish exactly
/// [`search_with`]). A tag this build does not analyse is searched as Polish. `None`:
/// something is not loaded yet (see [`Backend`]).
pub fn search_languages<B: Backend>(
    backend: &mut B,
    query: &Query,
    filters: &Filters,
    order: SortOrder,
    with_facet_counts: bool,
    language: Language,
    site_languages: &[String],
) -> Option<LanguageOutcome> {
    let language = effective_language(language, site_languages);
    if site_languages.len() < 2 {
        let mut backend = InLanguage::new(backend, language);
        return Some(LanguageOutcome {
            language,
            outcome: search_with(&mut backend, query, filters, order, with_facet_counts)?,
            other_languages: Vec::new(),
        });
    }
    let in_language = |tag: &str| {
        let mut f = filters.clone();
        f.add(LANGUAGE_FACET, tag);
        f
    };
    let outcome = search_with(
        &mut InLanguage::new(backend, language),
        query,
        &in_language(language.tag()),
        order,
        with_facet_counts,
    );
    let mut other_languages = Vec::new();
    let mut complete = outcome.is_some();
    for tag in site_languages.iter().filter(|t| *t != language.tag()) {
        let other = Language::from_tag(tag).unwrap_or_default();
        match search_with(
            &mut InLanguage::new(backend, other),
            query,
            &in_language(tag),
            order,
            false,
        ) {
            Some(o) => other_languages.push((tag.clone(), o.hits.len())),
            None => complete = false,
        }
    }
    complete.then(|| LanguageOutcome {
        language,
        outcome: outcome.unwrap_or_default(),
        other_languages,
    })
}
