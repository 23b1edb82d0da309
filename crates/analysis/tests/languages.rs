//! Language-aware analysis: BCP 47 tags, English and Ukrainian stemming alike on the document
//! and the query side, Cyrillic case, `ґ` and apostrophes, stop words per language, and Polish
//! through the language API exactly as before.
#![cfg(all(feature = "dictionary", feature = "english", feature = "ukrainian"))]

use std::collections::BTreeSet;

use jawnik_analysis::{
    analyze_query_word_in, DocumentAnalyzer, Language, SiteLexicon, StopWords, FALLBACK_MARK,
};

const EN: Language = Language::English;
const UK: Language = Language::Ukrainian;

/// The terms of a document word (stop words off, so every word has some).
fn doc_terms(language: Language, word: &str) -> Vec<String> {
    DocumentAnalyzer::stemming(language, StopWords::none())
        .analyze_word(word)
        .expect("no stop words")
        .1
}

fn query_terms(language: Language, word: &str) -> Vec<String> {
    analyze_query_word_in(language, word, &SiteLexicon::default()).terms
}

/// The pairs of a list whose forms do not find each other both ways.
fn failures(language: Language, groups: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for group in groups {
        let forms: Vec<&str> = group.split(' ').collect();
        for a in &forms {
            for b in &forms {
                let (d, q) = (doc_terms(language, a), query_terms(language, b));
                if !d.iter().any(|t| q.contains(t)) {
                    out.push(format!("{a} {d:?} / {b} {q:?}"));
                }
            }
        }
    }
    out
}

#[test]
fn tags() {
    for (tag, language) in [
        ("pl", Language::Polish),
        ("PL", Language::Polish),
        ("pl-PL", Language::Polish),
        ("uk", UK),
        ("uk-UA", UK),
        ("en", EN),
        ("en-GB", EN),
        ("en_us", EN),
        ("en-Latn-US", EN),
    ] {
        assert_eq!(Language::from_tag(tag), Ok(language), "{tag}");
        assert_eq!(tag.parse::<Language>(), Ok(language), "{tag}");
    }
    for tag in [
        "", "de", "english", "ua", "en-", "-en", "en--GB", "en-GB!", "p l",
    ] {
        let err = Language::from_tag(tag).expect_err(tag);
        assert_eq!(err.tag, tag);
        let message = err.to_string();
        assert!(message.contains("`pl`, `uk`, `en`"), "{message}");
    }
    assert_eq!(Language::default(), Language::Polish);
    assert_eq!(UK.to_string(), "uk");
    assert_eq!(Language::ALL, [Language::Polish, UK, EN]);
}

#[test]
fn english_forms_find_each_other() {
    let groups = [
        "consultation consultations consulted",
        "organisation organisations",
        "policy policies",
        "city cities",
        "strategy strategies",
        "programme programmes",
        "community communities",
        "resident residents",
        "run running runs",
        "housing houses",
    ];
    assert_eq!(failures(EN, &groups), Vec::<String>::new());
    // Folded before stemming: a query without diacritics finds the word.
    assert_eq!(doc_terms(EN, "Café"), query_terms(EN, "cafe"));
}

#[test]
fn ukrainian_forms_find_each_other() {
    let groups = [
        "консультації консультацій консультаціях консультаціями",
        "мова мови мовою мову",
        "держава держави державою державі",
        "рада ради радою раду раді",
        "самоврядування самоврядуванні",
        "закон закону законом законів законами",
        "влада влади владу владою",
        "свобода свободи свободу свобод",
        "громада громади громадою громаді",
        "мешканці мешканців мешканцями",
        "організація організації організацій",
        "право права правом",
        "безпека безпеки безпекою",
    ];
    assert_eq!(failures(UK, &groups), Vec::<String>::new());
}

#[test]
fn cyrillic_case_g_and_apostrophes() {
    assert_eq!(doc_terms(UK, "КОНСУЛЬТАЦІЇ"), doc_terms(UK, "консультації"));
    assert_eq!(
        query_terms(UK, "Консультації"),
        doc_terms(UK, "консультації")
    );
    // `ґ` typed as `г`, either way round.
    assert_eq!(doc_terms(UK, "Ґрунтується"), query_terms(UK, "грунтується"));
    assert_eq!(doc_terms(UK, "грунт"), query_terms(UK, "ґрунт"));
    // Whatever the apostrophe, one word, one surface, one stem; and the stemmer, which reads
    // the apostrophe, keeps every group's forms together (without it, `сімей` and `пам'ять`
    // would leave their groups: see the README).
    let groups = [
        "сім'я сім'ї сім'єю сімей сім'ями",
        "пам'ять пам'яті",
        "здоров'я здоров'ю здоров'ям",
        "об'єкт об'єкти об'єктами об'єкта",
        "об'єднання об'єднань об'єднаннях",
        "зв'язок зв'язку зв'язком",
        "обов'язок обов'язку обов'язки обов'язків",
        "дев'ять дев'яти",
    ];
    for apostrophe in ["'", "\u{2019}", "\u{2bc}"] {
        let typed: Vec<String> = groups.iter().map(|g| g.replace('\'', apostrophe)).collect();
        let typed: Vec<&str> = typed.iter().map(String::as_str).collect();
        assert_eq!(failures(UK, &typed), Vec::<String>::new(), "{apostrophe}");
    }
    for word in ["сім'я", "сім\u{2019}я", "сім\u{2bc}я", "СІМ'Я"] {
        let tokens = DocumentAnalyzer::for_language(UK).analyze_text(word);
        assert_eq!(tokens.len(), 1, "{word}");
        assert_eq!(tokens[0].surface, "сім'я");
        assert_eq!((tokens[0].start, tokens[0].end), (0, word.len()));
    }
}

#[test]
fn ukrainian_text_tokens() {
    let text = "Держава забезпечує розвиток української мови і захист прав об’єднань громадян.";
    let tokens = DocumentAnalyzer::for_language(UK).analyze_text(text);
    let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
    // "і" is a stop word: no token, but its position counts.
    assert_eq!(
        words,
        [
            "Держава",
            "забезпечує",
            "розвиток",
            "української",
            "мови",
            "захист",
            "прав",
            "об’єднань",
            "громадян"
        ]
    );
    let positions: Vec<u32> = tokens.iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4, 6, 7, 8, 9]);
    assert_eq!(tokens[7].surface, "об'єднань");
    assert_eq!(tokens[4].terms, doc_terms(UK, "мова"));
}

#[test]
fn stemmed_terms_are_plain_and_need_no_lexicon() {
    for (language, text) in [
        (
            EN,
            "The councils consulted residents about housing in 2019.",
        ),
        (UK, "Громада провела консультації з мешканцями у 2023 році."),
    ] {
        let analyzer = DocumentAnalyzer::for_language(language);
        assert_eq!(analyzer.language(), language);
        assert!(analyzer.dictionary().is_empty());
        let tokens = analyzer.analyze_text(text);
        let terms: BTreeSet<String> = tokens.iter().flat_map(|t| t.terms.clone()).collect();
        assert!(
            terms.iter().all(|t| !t.starts_with(FALLBACK_MARK)),
            "{terms:?}"
        );
        assert!(terms.contains("2019") || terms.contains("2023"));
        // Nothing of them belongs in a site lexicon.
        assert!(!language.uses_dictionary());
        assert!(SiteLexicon::build(analyzer.dictionary(), &terms).is_empty());
        // A stemmed language's query words ignore the lexicon they are given.
        let polish = SiteLexicon::build(
            jawnik_analysis::Dictionary::embedded(),
            &["rada".to_owned()].into(),
        );
        for t in &tokens {
            let word = &text[t.start..t.end];
            assert_eq!(
                analyze_query_word_in(language, word, &polish).terms,
                t.terms
            );
        }
    }
}

#[test]
fn stop_words_per_language() {
    let en = DocumentAnalyzer::for_language(EN);
    let uk = DocumentAnalyzer::for_language(UK);
    for w in ["the", "The", "of", "and", "s"] {
        assert!(en.analyze_word(w).is_none(), "{w}");
    }
    for w in ["not", "no", "council"] {
        assert!(en.analyze_word(w).is_some(), "{w}");
    }
    for w in ["і", "та", "у", "з", "що", "ЯК"] {
        assert!(uk.analyze_word(w).is_none(), "{w}");
    }
    for w in ["не", "рада"] {
        assert!(uk.analyze_word(w).is_some(), "{w}");
    }
    assert_eq!(Language::Polish.stopwords(), StopWords::polish());
}

#[test]
fn polish_through_the_language_api_is_unchanged() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pairs.tsv"))
            .expect("data file");
    let analyzer = DocumentAnalyzer::for_language(Language::Polish);
    assert_eq!(analyzer.language(), Language::Polish);
    assert_eq!(
        analyzer.analyze_text(&text),
        DocumentAnalyzer::polish().analyze_text(&text)
    );
    let site = SiteLexicon::build(
        jawnik_analysis::Dictionary::embedded(),
        &["zrodlo".to_owned(), "lodz".to_owned()].into(),
    );
    for w in ["źródła", "zrodla", "Łodzi", "Chromniakowi", "12a"] {
        assert_eq!(
            analyze_query_word_in(Language::Polish, w, &site),
            jawnik_analysis::analyze_query_word(w, &site),
            "{w}"
        );
    }
}
