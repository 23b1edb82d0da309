//! The meta file, `meta-<tag>.bin` ([`Meta`]): what the engine needs before anything else —
//! the number of documents, the field totals, and the [`ChunkTable`]s that say which term,
//! position and record file holds a term or a document (with where each position file's
//! head ends and each record file's slot size), and the languages of the documents unless all
//! are Polish. Its magic is [`MAGIC_META`]; it is the one file read whatever its build, since
//! it defines the build.

use crate::prelude::*;
use jawnik_engine::text::push_uint;
use jawnik_engine::Field;

use super::records::{MIN_SLOT, SLOT_UNIT};
use super::{put_header, ShardError};
use crate::codec::{put_front_coded, put_str, put_varint, Corrupt, Reader};

/// Magic of the meta file.
/// (`JWM6`: the document languages were added, and the facets file has the `language` facet.)
pub const MAGIC_META: &[u8; 4] = b"JWM6";

/// A chunk table: the folder of its files and, for each chunk, the first key it holds (the
/// first is always ""). Chunk `i`'s file is `{dir}/{i}-{tag:08x}.bin`, where the tag is taken
/// from the build id ([`build_tag`]): every file carries the build id anyway, so a name per
/// content would buy no caching across builds and cost four incompressible bytes a chunk.
///
/// A chunk is either a range chunk, holding the keys from its first up to the next range
/// chunk's, or a single, holding exactly its first key ([`ChunkTable::singles`]): a common
/// word's big entry gets a file of its own without cutting the range of small entries around
/// it into small files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChunkTable {
    /// The folder inside `search/`.
    pub dir: String,
    /// The build's tag, shared by every file name of the build.
    pub tag: u32,
    /// The first key of each chunk, in key order.
    pub firsts: Vec<String>,
    /// The chunks that hold only their first key, ascending (never chunk 0).
    pub singles: Vec<u32>,
}

/// The tag that names a build's files: its id folded to 32 bits.
pub fn build_tag(build: u64) -> u32 {
    (build ^ (build >> 32)) as u32
}

/// The file name of a chunk: `<dir>/<index>-<tag as eight hex digits>.bin` (written without
/// `core::fmt`, for the browser's module).
pub fn chunk_file(dir: &str, index: usize, tag: u32) -> String {
    let mut out = String::with_capacity(dir.len() + 24);
    out.push_str(dir);
    out.push('/');
    push_uint(&mut out, index as u64);
    out.push('-');
    for shift in (0..8).rev() {
        out.push(char::from(
            b"0123456789abcdef"[(tag >> (shift * 4)) as usize & 0xf],
        ));
    }
    out.push_str(".bin");
    out
}

impl ChunkTable {
    /// Number of chunks.
    pub fn len(&self) -> usize {
        self.firsts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.firsts.is_empty()
    }

    /// The file of chunk `i`.
    pub fn file(&self, i: usize) -> String {
        chunk_file(&self.dir, i, self.tag)
    }

    /// The chunk whose file is `name`.
    pub fn position_of(&self, name: &str) -> Option<usize> {
        let rest = name
            .strip_prefix(self.dir.as_str())?
            .strip_prefix('/')?
            .strip_suffix(".bin")?;
        let index: usize = rest.split_once('-')?.0.parse().ok()?;
        // One spelling only (no leading zeros or signs, lower-case hex), this build's tag.
        (index < self.len() && name == self.file(index)).then_some(index)
    }

    /// Whether chunk `i` holds only its first key.
    pub fn is_single(&self, i: usize) -> bool {
        self.singles.binary_search(&(i as u32)).is_ok()
    }

    /// The chunk holding `key`: its single, or the range chunk whose range it falls in.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.find_where(key, |i| self.firsts[i] != key)
    }

    /// The range chunk whose key range holds `key`, singles aside: the term chunk holding the
    /// key's part of the site lexicon and its heads.
    pub fn find_range(&self, key: &str) -> Option<usize> {
        self.find_where(key, |_| true)
    }

    /// The last chunk whose first key is at most `key`, going back past the singles that
    /// `skip` says to pass over (never past chunk 0).
    fn find_where(&self, key: &str, skip: impl Fn(usize) -> bool) -> Option<usize> {
        if self.firsts.is_empty() {
            return None;
        }
        let mut i = (self.firsts)
            .partition_point(|first| first.as_str() <= key)
            .saturating_sub(1);
        while i > 0 && self.is_single(i) && skip(i) {
            i -= 1;
        }
        Some(i)
    }

    /// The chunks holding keys starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> core::ops::RangeInclusive<usize> {
        let first = self.find(prefix).unwrap_or(0);
        let last = self
            .firsts
            .iter()
            .rposition(|k| k.as_str() <= prefix || k.starts_with(prefix))
            .unwrap_or(first)
            .max(first);
        first..=last
    }

    fn encode(&self, out: &mut Vec<u8>) {
        put_str(out, &self.dir);
        put_varint(out, self.firsts.len() as u64);
        let mut prev = "";
        for key in &self.firsts {
            put_front_coded(out, prev, key);
            prev = key;
        }
        put_varint(out, self.singles.len() as u64);
        let mut prev = 0;
        for &i in &self.singles {
            put_varint(out, u64::from(i - prev));
            prev = i;
        }
    }

    fn decode(r: &mut Reader, tag: u32) -> Result<Self, Corrupt> {
        let dir = r.str()?.to_string();
        let n = r.count()?;
        let mut firsts: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let mut key = firsts.last().cloned().unwrap_or_default();
            r.front_coded(&mut key)?;
            firsts.push(key);
        }
        let n = r.count()?;
        let mut singles: Vec<u32> = Vec::with_capacity(n);
        for _ in 0..n {
            let delta = r.u32()?;
            let prev = singles.last().copied().unwrap_or(0);
            // Strictly ascending, inside the table, never chunk 0 (it holds the range from "").
            match prev.checked_add(delta) {
                Some(i) if delta > 0 && (i as usize) < firsts.len() => singles.push(i),
                _ => return Err(Corrupt("bad single chunk")),
            }
        }
        Ok(ChunkTable {
            dir,
            tag,
            firsts,
            singles,
        })
    }
}

/// What the engine needs before anything else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The build's identifier (a hash of every other shard).
    pub build: u64,
    /// Number of documents.
    pub num_docs: u64,
    /// Total tokens per field, in [`Field::ALL`] order.
    pub total_tokens: Vec<u64>,
    /// Term chunks.
    pub terms: ChunkTable,
    /// Position chunks.
    pub positions: ChunkTable,
    /// Per position chunk, where its file's head ends (0 for a single chunk: fetched whole).
    pub position_heads: Vec<u32>,
    /// Documents per record chunk.
    pub docs_per_chunk: u32,
    /// Record chunks, in document order (their keys are empty).
    pub docs: ChunkTable,
    /// Per record chunk, the size of its file's slots ([`docs_file`](super::docs_file)), a multiple of
    /// [`SLOT_UNIT`].
    pub doc_slots: Vec<u32>,
    /// The facets file.
    pub facets_file: String,
    /// The language tags of the documents, sorted, unless they are all Polish (empty: nothing
    /// written, the file ends as before languages). Only the multi-language module reads them
    /// (`jawnik_engine::languages`: the search runs in one and counts the others).
    pub languages: Vec<String>,
    /// With [`Meta::languages`]: each document's language, as runs in document order of
    /// (index into `languages`, number of documents). Documents are in URL order, so each
    /// language's prefix (`uk/`, `en/`) makes one run or a few: narrowing a search by language
    /// needs no facet table ([`Meta::language_docs`]).
    pub language_runs: LanguageRuns,
}

/// Runs of documents in one language: (index into [`Meta::languages`], number of documents).
pub type LanguageRuns = Vec<(u32, u32)>;

impl Meta {
    /// Encodes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_header(&mut out, MAGIC_META, self.build);
        put_varint(&mut out, self.num_docs);
        put_varint(&mut out, self.total_tokens.len() as u64);
        for t in &self.total_tokens {
            put_varint(&mut out, *t);
        }
        self.terms.encode(&mut out);
        self.positions.encode(&mut out);
        for i in 0..self.positions.len() {
            let end = self.position_heads.get(i).copied().unwrap_or(0);
            put_varint(&mut out, u64::from(end));
        }
        put_varint(&mut out, u64::from(self.docs_per_chunk));
        self.docs.encode(&mut out);
        for i in 0..self.docs.len() {
            let slot = self.doc_slots.get(i).copied().unwrap_or(0);
            put_varint(&mut out, u64::from(slot) / SLOT_UNIT as u64);
        }
        put_str(&mut out, &self.facets_file);
        // A Polish site's meta ends here, as before languages: the Polish-only module reads it.
        if !self.languages.is_empty() {
            put_varint(&mut out, self.languages.len() as u64);
            for tag in &self.languages {
                put_str(&mut out, tag);
            }
            put_varint(&mut out, self.language_runs.len() as u64);
            for &(language, n) in &self.language_runs {
                put_varint(&mut out, u64::from(language));
                put_varint(&mut out, u64::from(n));
            }
        }
        out
    }

    /// Decodes (any build: the meta defines the build).
    pub fn decode(bytes: &[u8]) -> Result<Self, ShardError> {
        let mut r = Reader::new(bytes);
        if r.bytes(4)? != MAGIC_META {
            return Err(ShardError::Corrupt(Corrupt(
                "not a jawnik search meta file",
            )));
        }
        let build = u64::from_le_bytes(r.bytes(8)?.try_into().unwrap_or_default());
        let num_docs = r.varint()?;
        let n = r.count()?;
        let mut total_tokens = Vec::with_capacity(n);
        for _ in 0..n {
            total_tokens.push(r.varint()?);
        }
        if n != Field::ALL.len() {
            return Err(ShardError::Corrupt(Corrupt(
                "field count differs from this engine's",
            )));
        }
        let tag = build_tag(build);
        let terms = ChunkTable::decode(&mut r, tag)?;
        let positions = ChunkTable::decode(&mut r, tag)?;
        let position_heads = (0..positions.len())
            .map(|_| r.u32())
            .collect::<Result<Vec<u32>, Corrupt>>()?;
        let docs_per_chunk = r.u32()?.max(1);
        let docs = ChunkTable::decode(&mut r, tag)?;
        let doc_slots = (0..docs.len())
            .map(|_| match r.u32()?.checked_mul(SLOT_UNIT as u32) {
                Some(slot) if slot as usize >= MIN_SLOT => Ok(slot),
                _ => Err(Corrupt("bad record slot size")),
            })
            .collect::<Result<Vec<u32>, Corrupt>>()?;
        let facets_file = r.str()?.to_string();
        // The Polish-only module reads no languages: a meta with some is refused (trailing
        // bytes), as a site with other languages ships the multi-language module.
        #[cfg(feature = "multi")]
        let (languages, language_runs) = decode_languages(&mut r, num_docs)?;
        #[cfg(not(feature = "multi"))]
        let (languages, language_runs) = (Vec::new(), Vec::new());
        if !r.at_end() {
            return Err(ShardError::Corrupt(Corrupt("trailing bytes")));
        }
        if docs.len() as u64 != num_docs.div_ceil(u64::from(docs_per_chunk)) {
            return Err(ShardError::Corrupt(Corrupt(
                "the document table does not cover the documents",
            )));
        }
        Ok(Meta {
            build,
            num_docs,
            total_tokens,
            terms,
            positions,
            position_heads,
            docs_per_chunk,
            docs,
            doc_slots,
            facets_file,
            languages,
            language_runs,
        })
    }
}

#[cfg(feature = "multi")]
impl Meta {
    /// The documents in language `tag` (ascending), from [`Meta::language_runs`]; `None` when
    /// the meta has no languages (a Polish site).
    pub fn language_docs(&self, tag: &str) -> Option<Vec<jawnik_engine::DocId>> {
        if self.languages.is_empty() {
            return None;
        }
        let index = self.languages.iter().position(|l| l == tag);
        let mut docs = Vec::new();
        let mut at = 0u32;
        for &(language, n) in &self.language_runs {
            if Some(language as usize) == index {
                docs.extend(at..at + n);
            }
            at += n;
        }
        Some(docs)
    }
}

/// The document languages at the end of a meta file (none: a Polish site): a count, the tags
/// (sorted, distinct), then the runs of [`Meta::language_runs`], covering every document.
#[cfg(feature = "multi")]
fn decode_languages(
    r: &mut Reader,
    num_docs: u64,
) -> Result<(Vec<String>, LanguageRuns), ShardError> {
    if r.at_end() {
        return Ok((Vec::new(), Vec::new()));
    }
    let n = r.count()?;
    let mut languages: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let tag = r.str()?;
        if languages.last().is_some_and(|last| last.as_str() >= tag) {
            return Err(ShardError::Corrupt(Corrupt("languages not sorted")));
        }
        languages.push(tag.to_string());
    }
    if languages.is_empty() {
        return Err(ShardError::Corrupt(Corrupt("an empty list of languages")));
    }
    let runs = r.count()?;
    let mut language_runs = Vec::with_capacity(runs);
    let mut covered = 0u64;
    for _ in 0..runs {
        let (language, len) = (r.u32()?, r.u32()?);
        if language as usize >= languages.len() || len == 0 {
            return Err(ShardError::Corrupt(Corrupt("bad language run")));
        }
        covered += u64::from(len);
        language_runs.push((language, len));
    }
    if covered != num_docs {
        return Err(ShardError::Corrupt(Corrupt(
            "the language runs do not cover the documents",
        )));
    }
    Ok((languages, language_runs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_file_names_are_what_format_gives() {
        for (index, tag) in [
            (0, 0),
            (7, 0xabc),
            (1234, 0xdead_beef),
            (usize::MAX, u32::MAX),
        ] {
            assert_eq!(
                chunk_file("d", index, tag),
                format!("d/{index}-{tag:08x}.bin")
            );
        }
    }

    #[test]
    fn chunk_table_find_and_prefix_range() {
        let build = 0xabc_u64 << 32;
        let t = ChunkTable {
            dir: "t".into(),
            tag: build_tag(build),
            firsts: vec!["".into(), "ka".into(), "kob".into(), "m".into()],
            singles: Vec::new(),
        };
        assert_eq!(t.file(3), "t/3-00000abc.bin");
        assert_eq!(t.position_of("t/3-00000abc.bin"), Some(3));
        assert_eq!(t.position_of("t/3-00000abd.bin"), None);
        assert_eq!(t.position_of("t/03-00000abc.bin"), None);
        assert_eq!(t.position_of("t/4-00000abc.bin"), None);
        assert_eq!(t.position_of("p/3-00000abc.bin"), None);
        let meta = Meta {
            build,
            terms: t.clone(),
            total_tokens: vec![0; Field::ALL.len()],
            docs_per_chunk: 1,
            ..Meta::default()
        };
        assert_eq!(Meta::decode(&meta.encode()).unwrap().terms, t);
        assert_eq!(t.find("abc"), Some(0));
        assert_eq!(t.find("ka"), Some(1));
        assert_eq!(t.find("koa"), Some(1));
        assert_eq!(t.find("kobieta"), Some(2));
        assert_eq!(t.find("zzz"), Some(3));
        assert_eq!(t.prefix_range("ko"), 1..=2);
        assert_eq!(t.prefix_range("kob"), 2..=2);
        assert_eq!(t.prefix_range("z"), 3..=3);
    }

    #[test]
    fn single_chunks_hold_one_key_and_the_range_goes_on_around_them() {
        // Chunk 0 holds "" .. "m" but "ka" and "kb" (singles); chunk 3 holds "m" on.
        let p = ChunkTable {
            dir: "p".into(),
            tag: 7,
            firsts: vec![
                "".into(),
                "ka".into(),
                "kb".into(),
                "m".into(),
                "rada".into(),
            ],
            singles: vec![1, 2, 4],
        };
        assert_eq!(p.find("ka"), Some(1));
        assert_eq!(p.find("kb"), Some(2));
        assert_eq!(p.find("kaa"), Some(0));
        assert_eq!(p.find("kc"), Some(0));
        assert_eq!(p.find("a"), Some(0));
        assert_eq!(p.find("m"), Some(3));
        assert_eq!(p.find("rad"), Some(3));
        assert_eq!(p.find("rada"), Some(4));
        assert_eq!(p.find("radar"), Some(3));
        let meta = Meta {
            build: 7,
            positions: p.clone(),
            total_tokens: vec![0; Field::ALL.len()],
            docs_per_chunk: 1,
            ..Meta::default()
        };
        let bytes = meta.encode();
        assert_eq!(Meta::decode(&bytes).unwrap().positions, p);
        // A single that is chunk 0, repeated or past the table is damage.
        for singles in [vec![0], vec![1, 1], vec![5]] {
            let bad = Meta {
                positions: ChunkTable {
                    singles,
                    ..p.clone()
                },
                ..meta.clone()
            };
            assert!(Meta::decode(&bad.encode()).is_err());
        }
    }

    #[cfg(feature = "multi")]
    #[test]
    fn languages_and_their_runs_round_trip_and_must_cover_the_documents() {
        let meta = Meta {
            build: 9,
            num_docs: 5,
            total_tokens: vec![0; Field::ALL.len()],
            docs_per_chunk: 8,
            docs: ChunkTable {
                dir: "d".into(),
                tag: build_tag(9),
                firsts: vec!["".into()],
                singles: Vec::new(),
            },
            doc_slots: vec![SLOT_UNIT as u32 * 4],
            languages: vec!["en".into(), "pl".into(), "uk".into()],
            language_runs: vec![(0, 1), (1, 3), (2, 1)],
            ..Meta::default()
        };
        let back = Meta::decode(&meta.encode()).unwrap();
        assert_eq!(back.languages, meta.languages);
        assert_eq!(back.language_runs, meta.language_runs);
        assert_eq!(back.language_docs("pl"), Some(vec![1, 2, 3]));
        assert_eq!(back.language_docs("uk"), Some(vec![4]));
        assert_eq!(back.language_docs("de"), Some(vec![]));
        // Runs that do not add up to the documents, or name no language, are refused.
        for runs in [
            vec![(0, 1), (1, 3)],
            vec![(0, 1), (3, 4)],
            vec![(0, 0), (1, 5)],
        ] {
            let bad = Meta {
                language_runs: runs.clone(),
                ..meta.clone()
            };
            assert!(Meta::decode(&bad.encode()).is_err(), "{runs:?}");
        }
        // A Polish site's meta has no languages and ends as before them.
        let polish = Meta {
            languages: Vec::new(),
            language_runs: Vec::new(),
            ..meta.clone()
        };
        assert_eq!(
            Meta::decode(&polish.encode()).unwrap().language_docs("pl"),
            None
        );
    }
}
