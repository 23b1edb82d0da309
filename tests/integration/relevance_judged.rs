//! Relevance of `jawnik search` on multi-word queries, judged by hand: the set in
//! `tests/relevance/judged.tsv` (its header says how it was judged) over two real Polish sites,
//! the example site (`content/`) and `tests/relevance/ustawy/` (109 statutes). Prints nDCG@10 and
//! recall@10 per query, per site and overall, and fails below the floors set from the measured
//! figures (see `FLOORS`). Run with `cargo test --test integration relevance_judged -- --nocapture` to see
//! the figures.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jawnik::index::TantivyBackend;
use jawnik::search::{run, SearchRequest};

/// (site, nDCG@10 floor, recall@10 floor), and the same for all queries together (site `all`):
/// the figures measured when the partial matches came in (issue #22), less about 0.02.
/// Measured: example 0.899 / 0.945, ustawy 0.930 / 0.939, all 0.919 / 0.941 (strict AND with
/// an any-word fallback, before: 0.719 / 0.654, 0.816 / 0.674, 0.783 / 0.667).
const FLOORS: &[(&str, f64, f64)] = &[
    ("example", 0.88, 0.92),
    ("ustawy", 0.91, 0.92),
    ("all", 0.90, 0.92),
];

/// A result's id as the judgments name it: the anchor of a postulate, else the last segment
/// of its path.
fn result_id(path: &str) -> &str {
    match path.split_once('#') {
        Some((_, anchor)) => anchor,
        None => path.trim_end_matches('/').rsplit('/').next().unwrap_or(""),
    }
}

/// nDCG@10 (gain 2^grade − 1, discount log2(rank + 1)) and recall@10 (documents of grade ≥ 1
/// found, over their number capped at 10).
fn ndcg_recall(ids: &[&str], grades: &BTreeMap<String, u32>) -> (f64, f64) {
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let discount = |i: usize| (i as f64 + 2.0).log2();
    let dcg: f64 = ids
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| gain(grades.get(*id).copied().unwrap_or(0)) / discount(i))
        .sum();
    let mut ideal: Vec<u32> = grades.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, &g)| gain(g) / discount(i))
        .sum();
    let found = ids
        .iter()
        .take(10)
        .filter(|id| grades.get(**id).is_some_and(|&g| g > 0))
        .count();
    (dcg / idcg, found as f64 / ideal.len().min(10) as f64)
}

/// Builds a site into a temporary folder; returns its index folder.
fn build(root: &Path, name: &str) -> PathBuf {
    let out = common::temp_dir(name).join("public");
    common::build(root, &out, None).expect("the site builds");
    out.with_file_name("public-index")
}

#[test]
fn ndcg_and_recall_at_10_over_the_judged_queries() {
    let judged = common::judged_queries();
    assert!(judged.len() >= 60, "only {} judged queries", judged.len());
    let mut sums: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for site in ["example", "ustawy"] {
        let root = common::judged_site_root(site);
        let mut backend = TantivyBackend::open(&build(&root, &format!("judged-{site}"))).unwrap();
        for j in judged.iter().filter(|j| j.site == site) {
            assert!(
                j.query.split_whitespace().count() >= 2,
                "{}: not a multi-word query",
                j.query
            );
            let request = SearchRequest {
                query: j.query.clone(),
                limit: 10,
                ..Default::default()
            };
            let response = run(&mut backend, &request).unwrap();
            let ids: Vec<&str> = response
                .results
                .iter()
                .map(|r| result_id(&r.path))
                .collect();
            let (ndcg, recall) = ndcg_recall(&ids, &j.grades);
            println!(
                "{site:7} {:50} nDCG@10 {ndcg:.3}  recall@10 {recall:.3}  top: {:?}",
                j.query,
                &ids[..ids.len().min(4)]
            );
            for key in [site, "all"] {
                let s = sums.entry(key).or_default();
                s.0 += ndcg;
                s.1 += recall;
                s.2 += 1;
            }
        }
    }
    let mut failures = Vec::new();
    for &(site, ndcg_floor, recall_floor) in FLOORS {
        let (ndcg, recall, n) = sums[site];
        let (ndcg, recall) = (ndcg / n as f64, recall / n as f64);
        println!("{site:7} {n} queries: nDCG@10 {ndcg:.3}, recall@10 {recall:.3}");
        if ndcg < ndcg_floor {
            failures.push(format!("{site}: nDCG@10 {ndcg:.3} < {ndcg_floor}"));
        }
        if recall < recall_floor {
            failures.push(format!("{site}: recall@10 {recall:.3} < {recall_floor}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("; "));
}
