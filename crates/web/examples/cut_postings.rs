//! What cutting postings by impact reads (issue #21), natively, over a built `search/`
//! folder: for each query of a file (one a line, `#` comments), loads what the exhaustive
//! search reads (as the page does), then cuts every word of the query — its lemmas over the
//! lemma fields and its form in `exact`, together — at every tier of
//! [`jawnik_engine::top::head_len`] with
//! [`jawnik_engine::top::split_unit`], runs [`jawnik_engine::search_top`] over the cut
//! postings as the page would (each run that asks for something is a round: heads of a tier,
//! tail postings or positions of given documents, or whole lists), and checks that its first
//! 10 results are the exhaustive search's, to the bit. Prints, per query, whether it stopped
//! early, the postings it read (the heads loaded, the postings of the documents it
//! completed, whole lists) against all the postings of the pairs it touched, the documents'
//! positions read, and the rounds.
//!
//! It also models what the shard layout planned in `docs/top-k.md` would send for what the
//! search read (heads, tail blocks of `BLOCK` postings, position blocks; compressed as the
//! search files are), beside what the page fetches today.
//!
//!     cargo run --release -p jawnik-web --example cut_postings -- SEARCH_DIR QUERIES
//!     BLOCK=16 TRACE=1 cargo run ...    # blocks of 16 postings; what each round asked for

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jawnik_engine::bm25::Bm25Weight;
use jawnik_engine::top::{head_len, split_unit};
use jawnik_engine::{
    parse, search_top, search_with, Backend, DocId, Field, Filters, Posting, PostingsHead,
    SortOrder, WordTerms,
};
use jawnik_web::backend::{split_span, ShardBackend};
use jawnik_web::codec::{deflate, put_varint};
use jawnik_web::format::{encode_term_entry, FieldPostings};
use jawnik_web::session::{Answer, Request, Session};

/// A word's pairs at a tier.
type TierWord = (usize, Vec<(Field, String)>);
/// A pair's posting (or positions) of a document.
type DocPair = (Field, String, DocId);

/// The shards' backend with every word cut at every tier, answering only what was "loaded":
/// a run asks, the driver loads, as the page does, so rounds and postings read are counted.
struct Cut<'a> {
    inner: &'a mut ShardBackend,
    cut: BTreeMap<TierWord, Vec<(PostingsHead, Vec<Posting>)>>,
    heads: Loaded<TierWord>,
    /// The postings the loaded heads hold.
    in_heads: BTreeSet<DocPair>,
    tails: Loaded<DocPair>,
    positions: Loaded<DocPair>,
    whole: Loaded<(Field, String)>,
}

/// What was loaded, and what the current run asked for.
struct Loaded<T> {
    have: BTreeSet<T>,
    want: BTreeSet<T>,
}

impl<T: Ord + Clone> Loaded<T> {
    fn new() -> Self {
        Loaded {
            have: BTreeSet::new(),
            want: BTreeSet::new(),
        }
    }
    /// Whether `item` is loaded (else it is asked for).
    fn has(&mut self, item: T) -> bool {
        self.have.contains(&item) || {
            self.want.insert(item);
            false
        }
    }
    /// Loads what was asked for; whether there was anything.
    fn load(&mut self) -> bool {
        let any = !self.want.is_empty();
        self.have.append(&mut self.want);
        any
    }
}

impl Cut<'_> {
    fn ensure(&mut self, pairs: &[(Field, String)], tier: usize) {
        let key = (tier, pairs.to_vec());
        if self.cut.contains_key(&key) {
            return;
        }
        let num_docs = self.inner.num_docs();
        let lists: Vec<(Bm25Weight, Vec<Posting>)> = (pairs.iter())
            .map(|(f, term)| {
                let postings = self.full(*f, term);
                let weight = Bm25Weight::new(
                    postings.len() as u64,
                    num_docs,
                    self.inner.total_tokens(*f),
                    f.weight(),
                );
                (weight, postings)
            })
            .collect();
        self.cut.insert(key, split_unit(lists, head_len(tier)));
    }

    fn full(&mut self, field: Field, term: &str) -> Vec<Posting> {
        self.inner
            .postings(field, term)
            .expect("loaded by the exhaustive run")
    }

    /// Loads the heads asked for, and notes the postings they hold.
    fn load_heads(&mut self) -> bool {
        for key in &self.heads.want {
            for ((f, t), (head, _)) in key.1.iter().zip(&self.cut[key]) {
                (self.in_heads).extend(head.head.iter().map(|p| (*f, t.clone(), p.doc)));
            }
        }
        self.heads.load()
    }

    /// Each word whose heads were loaded, with the deepest tier loaded.
    fn deepest_heads(&self) -> BTreeMap<Vec<(Field, String)>, usize> {
        let mut words: BTreeMap<Vec<(Field, String)>, usize> = BTreeMap::new();
        for (tier, pairs) in &self.heads.have {
            let e = words.entry(pairs.clone()).or_default();
            *e = (*e).max(*tier);
        }
        words
    }

    /// Every pair touched: in a head loaded, or read whole.
    fn pairs_touched(&self) -> BTreeSet<(Field, String)> {
        let mut pairs: BTreeSet<(Field, String)> =
            self.heads.have.iter().flat_map(|h| h.1.clone()).collect();
        pairs.extend(self.whole.have.iter().cloned());
        pairs
    }

    /// Postings read: those of the heads loaded, the documents' postings loaded, whole
    /// lists; and positions of documents. Also all the postings of the pairs touched.
    fn read(&mut self) -> (usize, usize, usize) {
        let (mut read, mut all) = (0, 0);
        for (f, t) in self.pairs_touched() {
            let full = self.full(f, &t);
            all += full.len();
            if self.whole.have.contains(&(f, t.clone())) {
                read += full.len();
                continue;
            }
            read += (full.iter())
                .filter(|p| {
                    let key = (f, t.clone(), p.doc);
                    self.in_heads.contains(&key) || self.tails.have.contains(&key)
                })
                .count();
        }
        (read, all, self.positions.have.len())
    }
}

/// Documents per block of a tail or of positions in the planned layout (`docs/top-k.md`):
/// `BLOCK` in the environment, 32 by default.
fn block() -> usize {
    (std::env::var("BLOCK").ok())
        .and_then(|b| b.parse().ok())
        .unwrap_or(32)
}
/// Per word in a term entry: tail lengths, the bounds of tiers 0–2 and where the rest lies.
const UNIT_META: usize = 24;

/// One field's postings as a term entry, compressed as the search files are.
fn entry_bytes(field: Field, term: &str, postings: &[Posting]) -> usize {
    if postings.is_empty() {
        return 0;
    }
    let fields = [FieldPostings {
        field,
        docs: postings.iter().map(|p| p.doc).collect(),
        tfs: postings.iter().map(|p| p.term_freq).collect(),
        norms: postings.iter().map(|p| p.fieldnorm_id).collect(),
        positions: Vec::new(),
        sections: Vec::new(),
    }];
    let mut out = Vec::new();
    encode_term_entry(&mut out, term, &fields);
    deflate(&out).len()
}

impl Cut<'_> {
    /// What the planned layout would transfer for what was read (DEFLATE 9, each piece on its
    /// own): per word, the heads of its pairs at the deepest tier loaded; per pair, the
    /// blocks of [`block`] postings holding a posting loaded for a document, or the whole
    /// list; the positions loaded, by blocks of [`block`] documents; [`UNIT_META`] bytes per
    /// word.
    fn modeled_bytes(&mut self) -> usize {
        let words = self.deepest_heads();
        let mut total = UNIT_META * words.len();
        for (pairs, tier) in &words {
            for ((f, t), (head, _)) in pairs.iter().zip(&self.cut[&(*tier, pairs.clone())]) {
                total += entry_bytes(*f, t, &head.head);
            }
        }
        for (f, t) in self.pairs_touched() {
            let full = self.full(f, &t);
            if self.whole.have.contains(&(f, t.clone())) {
                total += entry_bytes(f, &t, &full);
                continue;
            }
            for block in full.chunks(block()) {
                let loaded = |p: &Posting| self.tails.have.contains(&(f, t.clone(), p.doc));
                if block.iter().any(loaded) {
                    total += entry_bytes(f, &t, block);
                }
            }
        }
        let positioned: BTreeSet<(Field, String)> = (self.positions.have.iter())
            .map(|(f, t, _)| (*f, t.clone()))
            .collect();
        for (f, t) in positioned {
            let all = self.inner.positions(f, &t).expect("loaded");
            for block in all.chunks(block()) {
                let loaded =
                    |(d, _): &(DocId, Vec<u32>)| self.positions.have.contains(&(f, t.clone(), *d));
                if block.iter().any(loaded) {
                    let mut out = Vec::new();
                    for (d, positions) in block {
                        put_varint(&mut out, u64::from(*d));
                        put_varint(&mut out, positions.len() as u64);
                        let mut prev = 0;
                        for &p in positions {
                            put_varint(&mut out, u64::from(p - prev));
                            prev = p;
                        }
                    }
                    total += deflate(&out).len();
                }
            }
        }
        total
    }
}

impl Backend for Cut<'_> {
    fn num_docs(&self) -> u64 {
        self.inner.num_docs()
    }
    fn total_tokens(&self, field: Field) -> u64 {
        self.inner.total_tokens(field)
    }
    fn analyze_word(&mut self, word: &str) -> Option<WordTerms> {
        self.inner.analyze_word(word)
    }
    fn fold(&self, text: &str) -> String {
        self.inner.fold(text)
    }
    fn postings(&mut self, field: Field, term: &str) -> Option<Vec<Posting>> {
        let whole = self.whole.has((field, term.to_string()));
        whole.then(|| self.full(field, term))
    }
    fn word_heads(&mut self, pairs: &[(Field, String)], tier: usize) -> Option<Vec<PostingsHead>> {
        let tier = tier.min(3);
        self.ensure(pairs, tier);
        let key = (tier, pairs.to_vec());
        if !self.heads.has(key.clone()) {
            return None;
        }
        Some(self.cut[&key].iter().map(|c| c.0.clone()).collect())
    }
    fn doc_postings(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<(u64, Vec<Posting>)> {
        let mut postings = self.full(field, term);
        let doc_freq = postings.len() as u64;
        postings.retain(|p| docs.binary_search(&p.doc).is_ok());
        let mut complete = true;
        for p in &postings {
            let key = (field, term.to_string(), p.doc);
            complete &= self.in_heads.contains(&key) || self.tails.has(key);
        }
        complete.then_some((doc_freq, postings))
    }
    fn positions(&mut self, field: Field, term: &str) -> Option<Vec<(DocId, Vec<u32>)>> {
        self.postings(field, term)?;
        self.inner.positions(field, term)
    }
    fn doc_positions(
        &mut self,
        field: Field,
        term: &str,
        docs: &[DocId],
    ) -> Option<Vec<(DocId, Vec<u32>)>> {
        let mut all = self.inner.positions(field, term).expect("loaded");
        all.retain(|(d, _)| docs.binary_search(d).is_ok());
        let mut complete = true;
        for (d, _) in &all {
            complete &= self.positions.has((field, term.to_string(), *d));
        }
        complete.then_some(all)
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    let queries = std::fs::read_to_string(&args[2]).expect("queries");
    let meta_name = (std::fs::read_dir(dir).expect("search dir"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("meta-") && n.ends_with(".bin"))
        .expect("meta-*.bin");
    let meta = std::fs::read(dir.join(&meta_name)).expect("meta");
    let (mut early, mut n) = (0, 0);
    let mut shares = Vec::new();
    let mut kilobytes: Vec<(f64, f64)> = Vec::new();
    for text in queries.lines().map(str::trim) {
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let mut session = Session::new(&meta).expect("meta decodes");
        let request =
            Request::parse(&format!("q={text}\nfacets=0\nlimit=10\nranges=1")).expect("request");
        let today = load_all(&mut session, dir, &request);
        let query = parse(text).expect("query");
        let filters = Filters::default();
        let reference = search_with(
            session.backend(),
            &query,
            &filters,
            SortOrder::Relevance,
            false,
        )
        .expect("loaded");
        let mut cut = Cut {
            inner: session.backend(),
            cut: BTreeMap::new(),
            heads: Loaded::new(),
            in_heads: BTreeSet::new(),
            tails: Loaded::new(),
            positions: Loaded::new(),
            whole: Loaded::new(),
        };
        let mut rounds = 0;
        let top = loop {
            if let Some(found) = search_top(&mut cut, &query, &filters, 10) {
                break found;
            }
            rounds += 1;
            if std::env::var_os("TRACE").is_some() {
                let tiers: Vec<usize> = cut.heads.want.iter().map(|h| h.0).collect();
                eprintln!(
                    "{text}: round {rounds}: heads of tiers {tiers:?}, {} tail postings, {} \
                     positions, {} whole lists",
                    cut.tails.want.len(),
                    cut.positions.want.len(),
                    cut.whole.want.len()
                );
            }
            let loaded = [
                cut.load_heads(),
                cut.tails.load(),
                cut.positions.load(),
                cut.whole.load(),
            ];
            assert!(loaded.contains(&true), "{text}: nothing asked for");
        };
        let (read, all, positions) = cut.read();
        let modeled = cut.modeled_bytes();
        let first = |o: &jawnik_engine::Outcome| -> Vec<(DocId, u32)> {
            o.hits
                .iter()
                .take(10)
                .map(|h| (h.doc, h.score.to_bits()))
                .collect()
        };
        assert_eq!(
            first(&top),
            first(&reference),
            "{text}: not the exhaustive top 10"
        );
        let stopped = top.estimated_total.is_some();
        n += 1;
        early += usize::from(stopped);
        let read_share = read as f64 / all.max(1) as f64;
        shares.push(read_share);
        kilobytes.push((modeled as f64 / 1024.0, today as f64 / 1024.0));
        println!(
            "{:<30} {:>5} {:>7} of {:>7} postings ({:>5.1} %), {:>4} positions, {} rounds, \
             {:>6.1} KB (today {:>6.1} KB), {:>5} hits{}",
            text,
            if stopped { "early" } else { "all" },
            read,
            all,
            100.0 * read_share,
            positions,
            rounds,
            modeled as f64 / 1024.0,
            today as f64 / 1024.0,
            reference.hits.len(),
            top.estimated_total
                .map_or(String::new(), |t| format!(" (estimate {t})")),
        );
    }
    shares.sort_by(f64::total_cmp);
    println!(
        "{early} of {n} queries stopped early; share of the postings read: median {:.1} %, \
         max {:.1} %",
        100.0 * shares[n / 2],
        100.0 * shares[n - 1]
    );
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[n / 2], v[n - 1])
    };
    let (model, model_max) = median(kilobytes.iter().map(|k| k.0).collect());
    let (today, today_max) = median(kilobytes.iter().map(|k| k.1).collect());
    println!(
        "the query's postings and positions as the planned layout would send them \
         (docs/top-k.md): median {model:.1} KB, max {model_max:.1} KB, plus a term chunk per \
         word; the term and position files the page fetches today, whole term chunks \
         included: median {today:.1} KB, max {today_max:.1} KB (records, meta and module \
         apart)"
    );
}

/// Loads every file the exhaustive search of `request` asks for; returns the bytes of term
/// and position files it fetched (by range where the page would).
fn load_all(session: &mut Session, dir: &Path, request: &Request) -> usize {
    let mut fetched = 0;
    for _ in 0..20 {
        match session.run(request) {
            Answer::Need(files) => {
                for f in files {
                    let (file, span) = split_span(&f).expect("a name the engine asked for");
                    let mut bytes = std::fs::read(dir.join(file)).expect("file");
                    if let Some((a, b)) = span {
                        bytes = bytes[a as usize..b as usize].to_vec();
                    }
                    if f.starts_with("t/") || f.starts_with("p/") {
                        fetched += bytes.len();
                    }
                    session.load(&f, &bytes).expect("load");
                }
            }
            Answer::Ok { .. } => return fetched,
            other => panic!("{request:?}: {other:?}"),
        }
    }
    panic!("{request:?}: too many rounds");
}
