//! Byte-level coding shared by every shard: the byte codec (LEB128 varints, length-prefixed
//! strings, front-coded keys, a bounds-checked reader that reports corruption instead of
//! panicking), which is `jawnik_analysis::codec` re-exported, the one codec of every jawnik
//! format; FNV-1a hashing for content-addressed file names; and the compression every shard
//! file goes through: raw DEFLATE of the shard's bytes followed by a 4-byte checksum of them
//! ([`seal`]), so that a file damaged on the way (raw DEFLATE has no checksum of its own) is
//! refused, not read as other, well-formed records.

use crate::prelude::*;

pub use jawnik_analysis::codec::{put_front_coded, put_str, put_varint, Corrupt, Reader};

/// Largest size a shard may inflate to (a damaged or hostile file cannot exhaust memory).
pub const MAX_INFLATED: usize = 64 * 1024 * 1024;

/// Length of the checksum that ends every shard's inflated bytes.
pub const CHECKSUM_BYTES: usize = 4;

/// The checksum of a shard's bytes (given in parts, as they follow each other): the high half
/// of their 64-bit FNV-1a, whose bits depend on every bit of the input.
pub fn checksum<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; CHECKSUM_BYTES] {
    ((fnv1a_parts(parts) >> 32) as u32).to_le_bytes()
}

/// A shard's bytes followed by their checksum: what [`deflate`] compresses and [`inflate`]
/// checks and takes off again.
pub fn seal(bytes: &[u8]) -> Vec<u8> {
    let mut sealed = Vec::with_capacity(bytes.len() + CHECKSUM_BYTES);
    sealed.extend_from_slice(bytes);
    sealed.extend_from_slice(&checksum([bytes]));
    sealed
}

/// Compresses a shard (raw DEFLATE of its [sealed](seal) bytes): hosts need not compress for
/// the transfer to be small.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(&seal(bytes), 9)
}

/// Compresses parts of a shard into one raw DEFLATE stream, each part in blocks of its own
/// (a partial flush between parts): parts with their own statistics (term strings, document
/// gaps, frequencies, field-norm ids…) get their own Huffman codes. The checksum of all the
/// parts goes in the last part's blocks. Inflates like [`deflate`]'s.
pub fn deflate_parts(parts: &[Vec<u8>]) -> Vec<u8> {
    use miniz_oxide::deflate::core::{
        compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
    };
    let Some((last, first)) = parts.split_last() else {
        return deflate(&[]);
    };
    let mut last = last.clone();
    last.extend_from_slice(&checksum(parts.iter().map(Vec::as_slice)));
    let parts = first.iter().chain([&last]);
    let count = first.len() + 1;
    let mut compressor = CompressorOxide::new(create_comp_flags_from_zip_params(9, -15, 0));
    let mut out = vec![0; 1024];
    let mut at = 0;
    for (i, part) in parts.enumerate() {
        let flush = if i + 1 == count {
            TDEFLFlush::Finish
        } else {
            TDEFLFlush::Partial
        };
        let mut input = part.as_slice();
        loop {
            if out.len() - at < 1024 {
                out.resize(out.len() * 2, 0);
            }
            let (status, read, written) = compress(&mut compressor, input, &mut out[at..], flush);
            at += written;
            input = &input[read..];
            match status {
                TDEFLStatus::Done => break,
                // The part is in and flushed when input is used up with room to spare.
                TDEFLStatus::Okay if input.is_empty() && out.len() - at >= 1024 => {
                    if flush != TDEFLFlush::Finish {
                        break;
                    }
                }
                TDEFLStatus::Okay => {}
                _ => unreachable!("compressing into a growing buffer"),
            }
        }
    }
    out.truncate(at);
    out
}

/// Decompresses a shard written by [`deflate`] (with [`crate::inflate`], which is smaller in
/// the WebAssembly module than `miniz_oxide`'s decoder), checks its checksum and returns its
/// bytes without it.
pub fn inflate(bytes: &[u8]) -> Result<Vec<u8>, Corrupt> {
    let mut sealed = crate::inflate::inflate(bytes, MAX_INFLATED)
        .ok_or(Corrupt("not a compressed jawnik shard, or damaged"))?;
    let Some(end) = sealed.len().checked_sub(CHECKSUM_BYTES) else {
        return Err(Corrupt("too short for its checksum"));
    };
    if sealed[end..] != checksum([&sealed[..end]]) {
        return Err(Corrupt("damaged: its checksum does not match"));
    }
    sealed.truncate(end);
    Ok(sealed)
}

/// 64-bit FNV-1a of some bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_parts([bytes])
}

/// 64-bit FNV-1a of bytes given in parts, as they follow each other.
fn fnv1a_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A fast 64-bit hash of a large file's content (FNV-1a over 8-byte words, then the tail byte
/// by byte): deterministic, for naming exported files and deriving build ids.
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        h ^= u64::from_le_bytes(word);
        h = h.wrapping_mul(0x0100_0000_01b3);
        h ^= h >> 29;
    }
    for b in words.remainder() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_deflate_to_one_stream_of_their_concatenation() {
        let big: Vec<u8> = (0..300_000u64).map(|i| (i * i % 251) as u8).collect();
        let parts = vec![
            b"header".to_vec(),
            Vec::new(),
            big,
            vec![7; 5000],
            b"end".to_vec(),
        ];
        let stream = deflate_parts(&parts);
        assert_eq!(inflate(&stream).unwrap(), parts.concat());
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(&stream).unwrap(),
            seal(&parts.concat())
        );
        assert_eq!(inflate(&deflate_parts(&[])).unwrap(), Vec::<u8>::new());
    }

    /// Raw DEFLATE has no checksum: a byte flipped inside a stream often inflates to other
    /// bytes without error. The seal refuses every such file.
    #[test]
    fn a_damaged_file_never_inflates_to_other_bytes() {
        let mut shard = Vec::new();
        for i in 0..400u64 {
            put_varint(&mut shard, i * 37 % 1000);
            put_str(
                &mut shard,
                ["konsultacje", "źródła", "rada", "dzielnica"][i as usize % 4],
            );
        }
        for file in [
            deflate(&shard),
            deflate_parts(&[shard.clone(), shard.clone()]),
        ] {
            let plain = inflate(&file).unwrap();
            let (mut refused, mut wrong_without_seal) = (0, 0);
            for i in 0..file.len() {
                let mut damaged = file.clone();
                damaged[i] ^= 0x10;
                match inflate(&damaged) {
                    Ok(bytes) => assert_eq!(bytes, plain, "byte {i} flipped"),
                    Err(_) => refused += 1,
                }
                if crate::inflate::inflate(&damaged, MAX_INFLATED)
                    .is_some_and(|b| b != seal(&plain))
                {
                    wrong_without_seal += 1;
                }
            }
            assert!(refused * 10 > file.len() * 9, "{refused} of {}", file.len());
            assert!(wrong_without_seal > 0, "DEFLATE alone caught every flip");
            assert!(inflate(&file[..file.len() - 1]).is_err());
        }
        assert_eq!(
            inflate(&miniz_oxide::deflate::compress_to_vec(b"abc", 9)),
            Err(Corrupt("too short for its checksum"))
        );
    }
}
