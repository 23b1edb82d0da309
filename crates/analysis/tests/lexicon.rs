//! SiteLexicon: byte round trip, shards, and agreement with the full dictionary.
#![cfg(feature = "dictionary")]

use std::collections::BTreeSet;

use jawnik_analysis::{
    analyze_query, analyze_query_word, shard_key, Dictionary, DocumentAnalyzer, Lexicon,
    SiteLexicon, StopWords,
};

fn site() -> (SiteLexicon, BTreeSet<String>) {
    let text = "Konsultacje społeczne w Łodzi i w Krakowie: mieszkańcy dzielnic, organizacje \
                pozarządowe, źródła finansowania, sąd, sad, Chromniak, 2019.";
    let terms: BTreeSet<String> = DocumentAnalyzer::polish()
        .analyze_text(text)
        .into_iter()
        .flat_map(|t| t.terms)
        .collect();
    (SiteLexicon::build(Dictionary::embedded(), &terms), terms)
}

#[test]
fn round_trip_and_shards() {
    let (site, _) = site();
    assert!(site.form_count() > 100);
    let bytes = site.to_bytes();
    let back = SiteLexicon::from_bytes(&bytes).expect("valid");
    assert_eq!(back, site);
    assert_eq!(back.to_bytes(), bytes, "deterministic bytes");
    assert!(SiteLexicon::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    assert!(SiteLexicon::from_bytes(b"nope").is_err());

    // Loading shards one by one gives the same lookups as the whole lexicon.
    let shards = site.shards();
    assert_eq!(
        shards.keys().cloned().collect::<Vec<_>>(),
        site.shard_keys()
    );
    let mut merged = SiteLexicon::default();
    for (key, shard) in &shards {
        let loaded = SiteLexicon::from_bytes(&shard.to_bytes()).expect("valid shard");
        assert_eq!(&site.shard(key), shard);
        for q in [
            "lodzi",
            "mieszkancow",
            "zrodla",
            "sad",
            "konsultacjach",
            "xyz",
        ] {
            if shard_key(q) == *key {
                assert_eq!(loaded.lookup(q), site.lookup(q), "{q}");
            }
        }
        merged.merge(loaded);
    }
    assert_eq!(merged, site);
}

#[test]
fn site_lookup_agrees_with_dictionary_on_site_lemmas() {
    let (site, terms) = site();
    let dict = Dictionary::embedded();
    for q in ["lodzi", "lodz", "mieszkancow", "zrodla", "sad", "dzielnic"] {
        let restricted: Vec<_> = dict
            .lookup(q)
            .into_iter()
            .filter_map(|mut e| {
                e.lemmas.retain(|l| terms.contains(l));
                (!e.lemmas.is_empty()).then_some(e)
            })
            .collect();
        assert_eq!(site.lookup(q), restricted, "{q}");
        assert_eq!(
            analyze_query_word(q, &site).terms,
            analyze_query_word(q, dict)
                .terms
                .into_iter()
                .filter(|t| terms.contains(t))
                .collect::<Vec<_>>(),
            "{q}"
        );
    }
}

#[test]
fn query_rule() {
    let (site, _) = site();
    // No diacritics: union over all forms folding alike.
    let q = analyze_query_word("sad", &site);
    assert_eq!(
        (q.surface.as_str(), q.terms),
        ("sad", vec!["sad".to_owned()])
    );
    // Diacritics: only the exact form's lemmas.
    assert_eq!(analyze_query_word("Łodzi", &site).terms, ["lodz"]);
    // Unknown word: the same marked stem as the document side.
    let doc = DocumentAnalyzer::polish()
        .analyze_word("Chromniaka")
        .expect("word")
        .1;
    assert_eq!(analyze_query_word("chromniakowi", &site).terms, doc);
    let toks = analyze_query("konsultacje w Łodzi", &site, &StopWords::polish());
    assert_eq!(toks.len(), 2);
    assert_eq!(toks[1].position, 2);
    assert_eq!(toks[1].surface, "lodzi");
    assert_eq!(shard_key("zrodla"), "zr");
    assert_eq!(
        jawnik_analysis::query_shard_keys("Źródła w Łodzi, źródło"),
        ["lo", "w", "zr"]
    );
    assert_eq!(shard_key("a"), "a");
}

#[test]
fn lemma_forms_give_what_a_pass_over_the_dictionary_gives() {
    let dict = Dictionary::embedded();
    let (site, terms) = site();
    let forms = jawnik_analysis::LemmaForms::build(dict);
    assert_eq!(forms.site_lexicon(dict, &terms), site);
    let few: BTreeSet<String> = ["czlowiek", "dobry", "byc", "nieistniejacy-lemat"]
        .map(String::from)
        .into();
    let lexicon = forms.site_lexicon(dict, &few);
    assert_eq!(lexicon, SiteLexicon::build(dict, &few));
    // Irregular forms come with their lemma.
    assert!(lexicon
        .lookup("ludzie")
        .iter()
        .any(|e| e.lemmas.contains(&"czlowiek".to_string())));
    assert!(lexicon
        .lookup("lepszy")
        .iter()
        .any(|e| e.lemmas.contains(&"dobry".to_string())));

    // Removing lemmas and merging lexicons by form is the lexicon of the new set.
    let mut both = SiteLexicon::build(dict, &terms);
    both.merge_forms(lexicon);
    let union: BTreeSet<String> = terms.union(&few).cloned().collect();
    let expected = SiteLexicon::build(dict, &union);
    for key in ["ludzie", "lepszy", "sad", "krakowie", "sa", "jest"] {
        let lemmas = |l: &SiteLexicon| -> BTreeSet<String> {
            l.lookup(key).into_iter().flat_map(|e| e.lemmas).collect()
        };
        assert_eq!(lemmas(&both), lemmas(&expected), "{key}");
    }
    both.remove_lemmas(&few);
    let back = SiteLexicon::build(dict, &terms);
    for key in ["ludzie", "lepszy", "sad", "krakowie", "sa"] {
        assert_eq!(both.lookup(key).len(), back.lookup(key).len(), "{key}");
    }
}
