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
use super::{doc_slot, position_head, Chunk, FileSink, Labels, Outline, Source};
use crate::index::TantivyBackend;

/// The spool's file name, in the new index folder `jawnik build` passes (removed after).
pub const SPOOL_FILE: &str = "export.spool";

/// Where a chunk lies in the spool.
#[derive(Clone, Copy)]
struct Place {
    offset: u64,
    len: usize,
    /// A position file's head end or a record file's slot size (0 for a term chunk).
    head: u32,
}

/// The chunks of one part written to the spool: each without its bytes, and where they are.
#[derive(Default)]
struct Spooled {
    chunks: Vec<Chunk>,
    places: Vec<Place>,
}

/// The spool file being written, and what is kept of each chunk.
struct Spool {
    out: BufWriter<File>,
    offset: u64,
    terms: Spooled,
    positions: Spooled,
    docs: Spooled,
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
        list.places.push(Place {
            offset: self.offset,
            len: bytes.len(),
            head,
        });
        list.chunks.push(chunk.without_bytes());
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
    heads_from: usize,
    spool: &Path,
    sink: FileSink<'_>,
) -> Result<usize> {
    let file = File::create(spool).with_context(|| format!("creating {}", spool.display()))?;
    let _remove = Remove(spool.to_path_buf());
    let mut chunks = Spool {
        out: BufWriter::with_capacity(1 << 20, file),
        offset: 0,
        terms: Spooled::default(),
        positions: Spooled::default(),
        docs: Spooled::default(),
    };
    let totals = export_chunks(backend, base_path, heads_from, &mut chunks)?;
    chunks.out.flush().context("writing the export's spool")?;
    drop(chunks.out);
    // In key order (a single position chunk was made before the range chunk around it).
    let mut order: Vec<usize> = (0..chunks.positions.chunks.len()).collect();
    order.sort_by(|&a, &b| {
        let chunks = &chunks.positions.chunks;
        chunks[a].first.cmp(&chunks[b].first)
    });
    let positions = Spooled {
        chunks: order
            .iter()
            .map(|&i| chunks.positions.chunks[i].clone())
            .collect(),
        places: order.iter().map(|&i| chunks.positions.places[i]).collect(),
    };
    let (terms, docs) = (chunks.terms, chunks.docs);
    let outline = Outline {
        labels,
        num_docs: totals.num_docs,
        total_tokens: &totals.total_tokens,
        terms: &terms.chunks,
        positions: &positions.chunks,
        docs: &docs.chunks,
        facets_hash: totals.facets_raw.hash,
        languages: super::document_languages(&totals.facets),
    };
    let build = outline.build_id();
    let heads = positions.places.iter().map(|p| p.head).collect();
    let slots = docs.places.iter().map(|p| p.head).collect();
    let plan = outline.plan(build, heads, slots);
    let spooled =
        Mutex::new(File::open(spool).with_context(|| format!("reading {}", spool.display()))?);
    let read = |source: Source| -> Result<Vec<u8>> {
        let place = match source {
            Source::Terms(i) => terms.places[i],
            Source::Positions(i) => positions.places[i],
            Source::Docs(i) => docs.places[i],
            Source::Facets | Source::Meta => return Ok(totals.facets_raw.raw.to_vec()),
        };
        let mut bytes = vec![0; place.len];
        let mut file = spooled.lock().unwrap_or_else(|e| e.into_inner());
        file.seek(SeekFrom::Start(place.offset))?;
        file.read_exact(&mut bytes)
            .context("reading the export's spool")?;
        Ok(bytes)
    };
    plan.write(build, &read, sink)
}
