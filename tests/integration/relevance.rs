//! Relevance of `jawnik search` over the example site: 32 Polish queries, typed as people type
//! them (inflected, without diacritics), each with the documents judged relevant by reading
//! them (topic, not mere mention). Prints recall@10 and nDCG@10 and asserts a floor.

use crate::common::copy_dir;
use std::path::Path;

use jawnik::search::{search_site, SearchRequest};

/// (query, slugs of the documents judged relevant)
const JUDGED: &[(&str, &[&str])] = &[
    (
        "kultura",
        &[
            "spotkanie-kultura-2018-05-25",
            "strategia-rozwoju-kultury-2030",
        ],
    ),
    (
        "kulturze",
        &[
            "spotkanie-kultura-2018-05-25",
            "strategia-rozwoju-kultury-2030",
        ],
    ),
    (
        "nowa huta",
        &["spotkanie-przestrzen-rewitalizacja-nowa-huta-2018-06-07"],
    ),
    (
        "rewitalizacji",
        &["spotkanie-przestrzen-rewitalizacja-nowa-huta-2018-06-07"],
    ),
    (
        "przestrzeni i rewitalizacji",
        &["spotkanie-przestrzen-rewitalizacja-nowa-huta-2018-06-07"],
    ),
    (
        "lodz",
        &["spotkanie-przestrzen-rewitalizacja-nowa-huta-2018-06-07"],
    ),
    ("biznesu", &["spotkanie-ngo-biznes-2018-06-22"]),
    (
        "współpraca z biznesem",
        &["spotkanie-ngo-biznes-2018-06-22"],
    ),
    ("migrantow", &["spotkanie-antydyskryminacja-2018-06-15"]),
    ("mniejszosci", &["spotkanie-antydyskryminacja-2018-06-15"]),
    ("prawa kobiet", &["spotkanie-antydyskryminacja-2018-06-15"]),
    ("dyskryminacja", &["spotkanie-antydyskryminacja-2018-06-15"]),
    ("program otwarty krakow", &["program-otwarty-krakow"]),
    (
        "wieloletni program współpracy",
        &["wpw-2019-2022", "raport-koncowy-konsultacje-wpw-2019-2022"],
    ),
    (
        "programu wspolpracy 2019",
        &["wpw-2019-2022", "raport-koncowy-konsultacje-wpw-2019-2022"],
    ),
    ("sportu", &["strategia-rozwoju-sportu-w-krakowie"]),
    ("sport", &["strategia-rozwoju-sportu-w-krakowie"]),
    (
        "federacja małopolska",
        &["federacja-malopolska-pozarzadowa"],
    ),
    (
        "biuro inicjatyw spolecznych",
        &["fundacja-biuro-inicjatyw-spolecznych"],
    ),
    ("interkulturalni", &["interkulturalni-pl"]),
    ("siemacha", &["stowarzyszenie-siemacha"]),
    ("strategia rozwoju krakowa", &["strategia-rozwoju-krakowa"]),
    (
        "strategii kultury 2030",
        &["strategia-rozwoju-kultury-2030"],
    ),
    (
        "raport z konsultacji",
        &["raport-koncowy-konsultacje-wpw-2019-2022"],
    ),
    ("seniorzy", &["raport-koncowy-konsultacje-wpw-2019-2022"]),
    (
        "osob z niepelnosprawnosciami",
        &["raport-koncowy-konsultacje-wpw-2019-2022"],
    ),
    (
        "spotkanie kultura sztuka",
        &["spotkanie-kultura-2018-05-25"],
    ),
    (
        "magiczny krakow",
        &[
            "spotkanie-kultura-2018-05-25",
            "spotkanie-przestrzen-rewitalizacja-nowa-huta-2018-06-07",
        ],
    ),
    (
        "federalizacja",
        &[
            "raport-koncowy-konsultacje-wpw-2019-2022",
            "spotkanie-ngo-biznes-2018-06-22",
        ],
    ),
    (
        "sieciowanie organizacji",
        &[
            "raport-koncowy-konsultacje-wpw-2019-2022",
            "spotkanie-ngo-biznes-2018-06-22",
        ],
    ),
    (
        "innowacje spoleczne",
        &[
            "raport-koncowy-konsultacje-wpw-2019-2022",
            "spotkanie-ngo-biznes-2018-06-22",
        ],
    ),
    (
        "dotacji",
        &[
            "raport-koncowy-konsultacje-wpw-2019-2022",
            "spotkanie-antydyskryminacja-2018-06-15",
            "spotkanie-ngo-biznes-2018-06-22",
        ],
    ),
];

#[test]
fn recall_and_ndcg_at_10_over_the_example_site() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for dir in ["content", "themes"] {
        copy_dir(&repo.join(dir), &site.path().join(dir));
    }
    std::fs::copy(repo.join("jawnik.toml"), site.path().join("jawnik.toml")).unwrap();
    let mut options = jawnik::BuildOptions::new(site.path());
    options.output = Some(site.path().join("public"));
    jawnik::build(&options).unwrap();

    assert!(JUDGED.len() >= 30);
    let (mut recall_sum, mut ndcg_sum) = (0.0, 0.0);
    for (query, relevant) in JUDGED {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 10,
            ..Default::default()
        };
        let response = search_site(site.path(), &request).unwrap();
        let slugs: Vec<&str> = response
            .results
            .iter()
            .map(|r| {
                r.path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
            })
            .collect();
        let found = relevant.iter().filter(|r| slugs.contains(r)).count();
        let recall = found as f64 / relevant.len() as f64;
        let dcg: f64 = slugs
            .iter()
            .enumerate()
            .filter(|(_, s)| relevant.contains(s))
            .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..relevant.len().min(10))
            .map(|i| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ndcg = dcg / ideal;
        println!(
            "{query:40} recall@10 {recall:.2}  nDCG@10 {ndcg:.2}  top: {:?}",
            &slugs[..slugs.len().min(3)]
        );
        recall_sum += recall;
        ndcg_sum += ndcg;
    }
    let n = JUDGED.len() as f64;
    let (recall, ndcg) = (recall_sum / n, ndcg_sum / n);
    println!(
        "mean over {} queries: recall@10 {recall:.3}, nDCG@10 {ndcg:.3}",
        JUDGED.len()
    );
    assert!(recall >= 0.95, "recall@10 {recall:.3} fell below 0.95");
    assert!(ndcg >= 0.80, "nDCG@10 {ndcg:.3} fell below 0.80");
}
