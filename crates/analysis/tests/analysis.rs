//! Document analysis, folding order, stop words, fallback policy and determinism.
#![cfg(feature = "dictionary")]

use jawnik_analysis::{
    analyze_text, fallback_term, fold, Dictionary, DocumentAnalyzer, StopWords, FALLBACK_MARK,
};

fn terms(word: &str) -> Vec<String> {
    DocumentAnalyzer::new(Dictionary::embedded(), StopWords::none())
        .analyze_word(word)
        .expect("not a stop word")
        .1
}

#[test]
fn lemmatise_before_folding() {
    let dict = Dictionary::embedded();
    let mut out = Vec::new();
    // Folding first gives the WRONG lemma: "lodzi" is itself a form (of "lodzić", "lodzia"),
    // so a fold-first analyser would index "łodzi" under those and never under "łódź".
    assert!(dict.lemmas_of_form("lodzi", "lodzi", &mut out));
    assert!(!out.contains(&"lodz".to_owned()), "{out:?}");
    // Folding first LOSES the lemma: these folded forms are no dictionary forms at all, so a
    // fold-first analyser could only stem them.
    for (word, lemma) in [("mieszkańców", "mieszkaniec"), ("źródła", "zrodlo")] {
        out.clear();
        let folded = fold(word);
        assert!(
            !dict.lemmas_of_form(&folded, &folded, &mut out),
            "{folded} is a form"
        );
        assert_ne!(fallback_term(&folded), lemma);
        assert_eq!(terms(word), [lemma]);
    }
    // Ours looks the original form up first, then folds the lemma.
    assert_eq!(terms("łodzi"), ["lodz"]);
    assert_eq!(terms("Łodzi"), ["lodz"]);
}

#[test]
fn ambiguous_forms_give_all_lemmas_sorted() {
    // "mam" is a form of "mieć" and of "mama" (pl. gen.).
    let t = terms("mam");
    assert!(
        t.contains(&"miec".to_owned()) && t.contains(&"mama".to_owned()),
        "{t:?}"
    );
    let mut sorted = t.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(t, sorted);
}

#[test]
fn tokens_offsets_positions() {
    let text = "W Łodzi, w dzielnicy Bałuty — polsko-niemiecki projekt z 2019 r.";
    let toks = analyze_text(text);
    let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
    // "W", "w", "z" are stop words: no token, but they keep their positions.
    assert_eq!(
        words,
        [
            "Łodzi",
            "dzielnicy",
            "Bałuty",
            "polsko",
            "niemiecki",
            "projekt",
            "2019",
            "r"
        ]
    );
    let pos: Vec<u32> = toks.iter().map(|t| t.position).collect();
    assert_eq!(pos, [1, 3, 4, 5, 6, 7, 9, 10]);
    assert_eq!(toks[0].surface, "lodzi");
    assert_eq!(toks[0].terms, ["lodz"]);
    assert_eq!(toks[6].terms, ["2019"]);
}

#[test]
fn digits_kept_as_is() {
    assert_eq!(terms("12a"), ["12a"]);
    assert_eq!(terms("2018"), ["2018"]);
    assert_eq!(terms("Ż3"), ["z3"]);
}

#[test]
fn unknown_words_are_marked_stems() {
    let t = terms("Chromniakowi");
    assert_eq!(t.len(), 1);
    assert!(t[0].starts_with(FALLBACK_MARK), "{t:?}");
    assert_eq!(terms("Chromniakiem"), t);
}

#[test]
fn text_without_diacritics_still_lemmatised() {
    // Not a form as written: the union over the forms folding alike.
    assert_eq!(terms("mieszkancow"), ["mieszkaniec"]);
    assert!(terms("Lodz").contains(&"lodz".to_owned()));
    // A form as written is taken at its word (documents are precise; queries get the union).
    assert!(terms("Lodzi").contains(&"lodzic".to_owned()));
}

#[test]
fn stop_words_are_configurable() {
    let a = DocumentAnalyzer::new(Dictionary::embedded(), StopWords::new(["miasto", "Się"]));
    assert!(a.analyze_word("sie").is_none());
    assert!(a.analyze_word("MIASTO").is_none());
    assert!(a.analyze_word("miasta").is_some());
    assert!(StopWords::polish().contains("ze"));
}

#[test]
fn deterministic_and_threadsafe() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pairs.tsv"))
            .expect("data file");
    let a = DocumentAnalyzer::polish();
    let one = a.analyze_text(&text);
    let other = std::thread::scope(|s| s.spawn(|| a.analyze_text(&text)).join().expect("thread"));
    assert_eq!(one, other);
    fn sync<T: Sync + Send>(_: &T) {}
    sync(&a);
    sync(Dictionary::embedded());
}
