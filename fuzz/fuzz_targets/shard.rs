//! Fuzz target: the browser search runtime's reader (`jawnik_web::Session` over
//! `ShardBackend`) fed one hostile file among the real shards of the `tests/fixtures/site-ok`
//! build (committed in `fuzz/shards/`). The first byte picks which file is replaced (or the
//! meta file itself), the second whether the fuzzer's bytes are sealed with their checksum and
//! compressed first (to reach the decoders) or passed raw (to hit the DEFLATE layer and the
//! checksum), which request is run and whether document records are asked for by byte range.
//! A damaged file must be refused (the page then says "index out of date, reload") or give an
//! answer; never a panic, and never a loop asking for the same file again once it was loaded.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jawnik_web::codec::deflate;
use jawnik_web::{Answer, Request, Session};
use libfuzzer_sys::fuzz_target;

/// The real shards: (name inside `search/`, bytes); the meta file first.
fn shards() -> &'static Vec<(String, Vec<u8>)> {
    static S: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    S.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shards");
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files);
        files.sort_by_key(|(name, _)| (!name.starts_with("meta-"), name.clone()));
        assert!(
            files[0].0.starts_with("meta-"),
            "no meta file in fuzz/shards"
        );
        // The unfuzzed shards must answer, or the target would only test the refusal paths.
        let all: BTreeMap<String, Vec<u8>> = files.iter().cloned().collect();
        for q in QUERIES {
            let answer = run(&files[0].1, &all, &request(q, false, false)).expect("fuzz/shards loads (after a format change: scripts/fuzz.sh --refresh-shards)");
            assert!(
                matches!(answer, Answer::Ok { .. }),
                "fuzz/shards does not answer {q:?}: {answer:?}; run scripts/fuzz.sh --refresh-shards"
            );
        }
        files
    })
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).expect("fuzz/shards") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            collect(root, &p, out);
        } else {
            let name = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
}

const QUERIES: [&str; 6] = [
    "strategia",
    "\"cele strategiczne\"",
    "kult*",
    "rozwój -kultura",
    "program OR raport",
    "",
];

fn request(q: &str, by_date: bool, ranges: bool) -> Request {
    let mut text = format!("q={q}\nlimit=20\nranges={}\n", u8::from(ranges));
    if by_date {
        text.push_str("sort=date\nfilter=sector:kultura\nfrom=2018-01-01\n");
    }
    Request::parse(&text).expect("request")
}

/// Runs a request the way the page's JS does: fetch what it needs, load, ask again. `None`
/// when a file is refused (the page shows "index out of date, reload").
fn run(meta: &[u8], files: &BTreeMap<String, Vec<u8>>, req: &Request) -> Option<Answer> {
    let mut session = Session::new(meta).ok()?;
    let mut loaded: BTreeSet<String> = BTreeSet::new();
    loop {
        match session.run(req) {
            Answer::Need(need) => {
                assert!(!need.is_empty(), "asked for nothing: the page would loop");
                for name in need {
                    assert!(
                        loaded.insert(name.clone()),
                        "asked again for {name}, already loaded: the page would loop"
                    );
                    // A file the host does not have is a 404, a range past its end a 416:
                    // the page says reload.
                    let bytes = fetch(files, &name)?;
                    session.load(&name, bytes).ok()?;
                }
            }
            other => return Some(other),
        }
    }
}

/// A file, or the byte range `file#start-end` of one, as a host answering Range requests.
fn fetch<'a>(files: &'a BTreeMap<String, Vec<u8>>, name: &str) -> Option<&'a [u8]> {
    let (file, span) = jawnik_web::backend::split_span(name).ok()?;
    let bytes = files.get(file)?;
    match span {
        Some((a, b)) => bytes.get(a as usize..b as usize),
        None => Some(bytes),
    }
}

fuzz_target!(|data: &[u8]| {
    let [pick, mode, payload @ ..] = data else {
        return;
    };
    let real = shards();
    let (target, _) = &real[*pick as usize % real.len()];
    let hostile = if mode & 1 == 1 {
        deflate(payload)
    } else {
        payload.to_vec()
    };
    let mut files: BTreeMap<String, Vec<u8>> = real.iter().cloned().collect();
    files.insert(target.clone(), hostile);
    let meta = &files[&real[0].0];
    let q = QUERIES[(mode >> 1) as usize % QUERIES.len()];
    let req = request(q, mode & 0x80 != 0, mode & 0x40 != 0);
    if let Some(Answer::Ok { results, .. }) = run(meta, &files, &req) {
        for r in &results {
            assert!(r.score.is_finite(), "score {}", r.score);
        }
    }
});
