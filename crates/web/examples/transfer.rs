//! What a first query fetches from a built `search/` folder, natively: for each query of a
//! file (one a line, `#` comments), a fresh session loads `meta-*.bin` and then every file the
//! engine asks for, as the page does; prints the bytes per kind of file and the rounds.
//! The wasm module, `meta.json` and the page are not counted (they do not depend on the query).
//!
//! With `typed[N]`, each query is typed a letter at a time into one session, every keystroke
//! searched as the page does while typing (`search.js` `typingQuery`: the last word also as a
//! prefix once it has N letters, 3 by default; a phrase not closed yet as its words; nothing
//! for the first character) — the worst case, with no pause skipped.
//!
//!     cargo run --release -p jawnik-web --example transfer -- SEARCH_DIR QUERIES [facets|typed[N]]
//!
//! With `TRACE=1` in the environment it also prints, on stderr, the files of every round;
//! with `RANGES=1` it asks for byte ranges of document files, as the page does on a host that
//! answers Range requests. With `SEARCH_LANG=uk` every request carries `lang=uk`, as a page
//! in that language sends (build the example with `--features multi` to search per language).

use std::collections::BTreeMap;
use std::path::Path;

use jawnik_web::backend::split_span;
use jawnik_web::session::{Answer, Request, Session};

/// Bytes and files fetched, per kind of file.
type ByKind = BTreeMap<String, (usize, usize)>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    let queries = std::fs::read_to_string(&args[2]).expect("queries");
    let mode = args.get(3).map_or("", String::as_str);
    let facets = mode == "facets";
    let ranges = std::env::var_os("RANGES").is_some_and(|v| v == "1");
    let typed: Option<usize> = mode.strip_prefix("typed").map(|n| n.parse().unwrap_or(3));
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
        let mut by_kind = ByKind::new();
        by_kind.insert("meta".into(), (meta.len(), 1));
        let texts: Vec<String> = match typed {
            None => vec![query.to_string()],
            // One character is not searched while typing (`MIN_TYPED_CHARS`).
            Some(min) => query
                .char_indices()
                .map(|(i, c)| &query[..i + c.len_utf8()])
                .filter(|typed| typed.trim().chars().count() >= 2)
                .map(|typed| typing_query(typed, min))
                .collect(),
        };
        let (mut rounds, mut total) = (0, 0);
        for text in &texts {
            let lang = std::env::var("SEARCH_LANG").unwrap_or_default();
            let request = Request::parse(&format!(
                "q={text}\nfacets={}\nlimit=10\nranges={}{}",
                if facets { 1 } else { 0 },
                if ranges { 1 } else { 0 },
                if lang.is_empty() {
                    String::new()
                } else {
                    format!("\nlang={lang}")
                }
            ))
            .expect("request");
            let (r, t) = run(&mut session, dir, &request, &mut by_kind);
            rounds += r;
            total = t;
        }
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

/// Runs one request to its answer, loading what it asks for; returns the rounds and the hits.
fn run(session: &mut Session, dir: &Path, request: &Request, by_kind: &mut ByKind) -> (usize, u64) {
    let mut rounds = 0;
    loop {
        match session.run(request) {
            Answer::Need(files) => {
                if std::env::var_os("TRACE").is_some_and(|v| v == "1") {
                    eprintln!("round {}: {:?}", rounds + 1, files);
                }
                rounds += 1;
                assert!(rounds < 20, "{request:?}: too many rounds");
                for f in files {
                    // `file#start-end`: that byte range, as a host answering Range requests.
                    let (file, span) = split_span(&f).expect("a name the engine asked for");
                    let mut bytes = std::fs::read(dir.join(file)).expect("file");
                    if let Some((a, b)) = span {
                        bytes = bytes[a as usize..b as usize].to_vec();
                    }
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
            Answer::Ok { outcome, .. } => {
                return (
                    rounds,
                    jawnik_web::session::outcome_of(&outcome).hits.len() as u64,
                )
            }
            other => panic!("{request:?}: {other:?}"),
        }
    }
}

/// `search.js` `typingQuery`: a phrase not closed yet searched as its words, and the last
/// word also as a prefix once it has `min` letters.
fn typing_query(text: &str, min: usize) -> String {
    let mut text = text.to_string();
    if text.matches('"').count() % 2 == 1 {
        let open = text.rfind('"').unwrap_or(0);
        text.replace_range(open..open + 1, " ");
    }
    if text.trim().is_empty() || text.ends_with(char::is_whitespace) {
        return text;
    }
    let word = text.split_whitespace().last().unwrap_or("");
    if word.contains(['"', '*']) || word.starts_with('-') || word == "OR" {
        return text.to_string();
    }
    if !word.ends_with(char::is_alphanumeric)
        || word.chars().filter(|c| c.is_alphabetic()).count() < min
    {
        return text.to_string();
    }
    format!("{text} OR {word}*")
}
