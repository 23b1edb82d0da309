//! What a first query fetches from a built `search/` folder, natively: for each query of a
//! file (one a line, `#` comments), a fresh session loads `meta-*.bin` and then every file the
//! engine asks for, as the page does; prints the bytes per kind of file and the rounds.
//! The wasm module, `meta.json` and the page are not counted (they do not depend on the query).
//!
//!     cargo run --release -p jawnik-web --example transfer -- SEARCH_DIR QUERIES [facets]

use std::collections::BTreeMap;
use std::path::Path;

use jawnik_web::session::{Answer, Request, Session};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    let queries = std::fs::read_to_string(&args[2]).expect("queries");
    let facets = args.get(3).is_some_and(|a| a == "facets");
    let meta_name = std::fs::read_dir(dir)
        .expect("search dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("meta-") && n.ends_with(".bin"))
        .expect("meta-*.bin");
    let meta = std::fs::read(dir.join(&meta_name)).expect("meta");
    let mut totals = Vec::new();
    let mut by_kind_all: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for query in queries.lines().map(str::trim) {
        if query.is_empty() || query.starts_with('#') {
            continue;
        }
        let mut session = Session::new(&meta).expect("meta decodes");
        let request = Request::parse(&format!(
            "q={query}\nfacets={}\nlimit=10",
            if facets { 1 } else { 0 }
        ))
        .expect("request");
        let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        by_kind.insert("meta".into(), (meta.len(), 1));
        let mut rounds = 0;
        let total = loop {
            match session.run(&request) {
                Answer::Need(files) => {
                    rounds += 1;
                    assert!(rounds < 20, "{query}: too many rounds");
                    for f in files {
                        let bytes = std::fs::read(dir.join(&f)).expect("file");
                        let kind = f
                            .split('/')
                            .next()
                            .unwrap_or("")
                            .split('-')
                            .next()
                            .unwrap_or("");
                        let e = by_kind.entry(kind.to_string()).or_default();
                        e.0 += bytes.len();
                        e.1 += 1;
                        session.load(&f, &bytes).expect("load");
                    }
                }
                Answer::Ok { outcome, .. } => break outcome.hits.len(),
                other => panic!("{query}: {other:?}"),
            }
        };
        let sum: usize = by_kind.values().map(|v| v.0).sum();
        totals.push(sum);
        let parts: Vec<String> = by_kind
            .iter()
            .map(|(k, (b, n))| format!("{k} {:.1}/{n}", *b as f64 / 1024.0))
            .collect();
        for (k, (b, _)) in &by_kind {
            by_kind_all.entry(k.clone()).or_default().push(*b);
        }
        println!(
            "{:>7.1} KB {rounds} rounds {total:>6} hits  {query:<30} {}",
            sum as f64 / 1024.0,
            parts.join("  ")
        );
    }
    totals.sort_unstable();
    let n = totals.len();
    println!(
        "queries {n}: median {:.1} KB, max {:.1} KB (search files without wasm/meta.json/page)",
        totals[n / 2] as f64 / 1024.0,
        totals[n - 1] as f64 / 1024.0
    );
    for (k, mut v) in by_kind_all {
        v.resize(n, 0);
        v.sort_unstable();
        println!("  {k}: median {:.1} KB", v[n / 2] as f64 / 1024.0);
    }
}
