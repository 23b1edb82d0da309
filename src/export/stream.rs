//! `jawnik build`'s export, streamed: each chunk, as the chunker completes it
//! ([`super::chunks`]), is appended to a spool file and only its key, hash and length are kept;
//! once the last one is made the build id (a hash over every chunk) is known, and every file
//! is read back from the spool, stamped, compressed and handed to a [`FileSink`] (several at a
//! time). The export never holds more than the chunks being made or written, whatever the
//! site's size; the files are byte-identical to [`super::SearchExport::files`].
//!
//! Why a spool and not two passes over the index (the first for the hash, the second to
//! write): the passes would read every posting list twice, while the spool costs one
//! sequential write and read of the uncompressed chunks (`docs/scaling.md`, "The search index
//! and its export").

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

use super::chunks::{export_chunks, ChunkSink, Part};
use super::{doc_slot, position_head, Chunk, FileSink, Keyed, Labels, Outline, Source, SEARCH_DIR};
use crate::index::TantivyBackend;

/// The spool's file name, in the new index folder `jawnik build` passes (removed after).
pub const SPOOL_FILE: &str = "export.spool";

/// A chunk written to the spool.
struct Spooled {
    first: String,
    single: bool,
    hash: u64,
    offset: u64,
    len: usize,
    /// A position file's head end or a record file's slot size (0 for a term chunk).
    head: u32,
}

impl Keyed for Spooled {
    fn first(&self) -> &str {
        &self.first
    }
    fn single(&self) -> bool {
        self.single
    }
    fn hash(&self) -> u64 {
        self.hash
    }
}

/// The spool file being written, and what is kept of each chunk.
struct Spool {
    out: BufWriter<File>,
    offset: u64,
    terms: Vec<Spooled>,
    positions: Vec<Spooled>,
    docs: Vec<Spooled>,
}

impl ChunkSink for Spool {
    fn chunk(&mut self, part: Part, chunk: Chunk) -> Result<()> {
        // Terms: the chunk's rows (`stamp` turns them into columns); positions and records:
        // the file, which the meta needs to look into.
        let (bytes, head, list) = match part {
            Part::Terms => (&chunk.raw[..], 0, &mut self.terms),
            Part::Positions => (chunk.file(), position_head(&chunk), &mut self.positions),
            Part::Docs => (chunk.file(), doc_slot(&chunk), &mut self.docs),
        };
        self.out
            .write_all(bytes)
            .context("writing the export's spool")?;
        list.push(Spooled {
            first: chunk.first.clone(),
            single: chunk.single,
            hash: chunk.hash,
            offset: self.offset,
            len: bytes.len(),
            head,
        });
        self.offset += bytes.len() as u64;
        Ok(())
    }
}

/// Removes the spool file when dropped (the export done or failed).
struct Remove(PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Exports the index of `backend` into search files written through `sink`, streaming
/// (module doc); `spool` is a file path for the uncompressed chunks meanwhile (removed after).
/// Returns the number of files.
pub fn write_export(
    backend: &mut TantivyBackend,
    base_path: &str,
    labels: &Labels,
    spool: &Path,
    sink: FileSink<'_>,
) -> Result<usize> {
    let file = File::create(spool).with_context(|| format!("creating {}", spool.display()))?;
    let _remove = Remove(spool.to_path_buf());
    let mut chunks = Spool {
        out: BufWriter::with_capacity(1 << 20, file),
        offset: 0,
        terms: Vec::new(),
        positions: Vec::new(),
        docs: Vec::new(),
    };
    let totals = export_chunks(backend, base_path, &mut chunks)?;
    chunks.out.flush().context("writing the export's spool")?;
    drop(chunks.out);
    chunks.positions.sort_by(|a, b| a.first.cmp(&b.first));
    let outline = Outline {
        labels,
        num_docs: totals.num_docs,
        total_tokens: &totals.total_tokens,
        terms: &chunks.terms,
        positions: &chunks.positions,
        docs: &chunks.docs,
        facets_hash: totals.facets_raw.hash,
    };
    let build = outline.build_id();
    let heads = chunks.positions.iter().map(|c| c.head).collect();
    let slots = chunks.docs.iter().map(|c| c.head).collect();
    let plan = outline.plan(build, heads, slots);
    let spooled =
        Mutex::new(File::open(spool).with_context(|| format!("reading {}", spool.display()))?);
    let read = |source: Source| -> Result<Vec<u8>> {
        let chunk = match source {
            Source::Terms(i) => &chunks.terms[i],
            Source::Positions(i) => &chunks.positions[i],
            Source::Docs(i) => &chunks.docs[i],
            Source::Facets | Source::Meta => return Ok(totals.facets_raw.raw.to_vec()),
        };
        let mut bytes = vec![0; chunk.len];
        let mut file = spooled.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(chunk.offset))?;
        file.read_exact(&mut bytes)
            .context("reading the export's spool")?;
        Ok(bytes)
    };
    plan.write(build, &read, sink)
}

/// A [`FileSink`] writing into the folder `output`/`search/` (made when missing).
pub fn into_folder(output: &Path) -> impl Fn(&str, &[u8]) -> Result<()> + Sync {
    let dir = output.join(SEARCH_DIR);
    move |path, bytes| {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }
}
