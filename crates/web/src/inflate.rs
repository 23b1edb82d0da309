//! A small DEFLATE decoder (RFC 1951, raw streams as [`crate::codec::deflate`] writes them),
//! after Mark Adler's `puff.c`: canonical Huffman codes decoded bit by bit. It does in about
//! 2 kB of WebAssembly what `miniz_oxide`'s inflater does in 12 kB; shards are small, so its
//! speed is enough. The exporter still compresses with `miniz_oxide`.

use crate::prelude::*;

/// Bits of the input, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    count: u32,
}

impl Bits<'_> {
    /// The next `n` (≤ 16) bits.
    fn take(&mut self, n: u32) -> Option<u32> {
        while self.count < n {
            let byte = *self.data.get(self.pos)?;
            self.pos += 1;
            self.buf |= u32::from(byte) << self.count;
            self.count += 8;
        }
        let v = self.buf & ((1 << n) - 1);
        self.buf >>= n;
        self.count -= n;
        Some(v)
    }

    /// Decodes one symbol.
    fn symbol(&mut self, h: &Huffman) -> Option<u16> {
        let (mut code, mut first, mut index) = (0u32, 0u32, 0u32);
        for &count in &h.counts[1..] {
            code |= self.take(1)?;
            let count = u32::from(count);
            if code < first + count {
                return h.symbols.get((index + code - first) as usize).copied();
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        None
    }
}

/// A canonical Huffman code: how many codes of each length, and the symbols by code.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    /// The code for these code lengths; `None` when over-subscribed, or incomplete unless
    /// `lenient` and no code is longer than one bit (the rules of zlib and `miniz_oxide`, so
    /// that a damaged shard is refused as it was before).
    fn new(lengths: &[u8], lenient: bool) -> Option<Huffman> {
        let mut counts = [0u16; 16];
        for &l in lengths {
            *counts.get_mut(usize::from(l))? += 1;
        }
        counts[0] = 0;
        let mut left: i32 = 1;
        let mut longest = 0;
        for (len, &c) in counts.iter().enumerate().skip(1) {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return None;
            }
            if c > 0 {
                longest = len;
            }
        }
        if left > 0 && (!lenient || longest > 1) {
            return None;
        }
        let mut offsets = [0u16; 16];
        for len in 1..15 {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let at = &mut offsets[usize::from(l)];
                symbols[usize::from(*at)] = symbol as u16;
                *at += 1;
            }
        }
        Some(Huffman { counts, symbols })
    }
}

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which code-length code lengths are stored.
const ORDER: [u8; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Decompresses a raw DEFLATE stream; `None` when it is damaged, truncated, or would inflate to
/// more than `limit` bytes. Bytes after the final block are ignored.
pub fn inflate(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut bits = Bits {
        data,
        pos: 0,
        buf: 0,
        count: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = bits.take(1)?;
        match bits.take(2)? {
            0 => {
                bits.buf = 0;
                bits.count = 0;
                let header = bits.data.get(bits.pos..bits.pos + 4)?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                if u16::from_le_bytes([header[2], header[3]]) != !(len as u16) {
                    return None;
                }
                bits.pos += 4;
                out.extend_from_slice(bits.data.get(bits.pos..bits.pos + len)?);
                bits.pos += len;
                if out.len() > limit {
                    return None;
                }
            }
            1 => {
                let mut lengths = [8u8; 288];
                lengths[144..256].fill(9);
                lengths[256..280].fill(7);
                codes(&mut bits, &mut out, limit, &lengths, &[5; 32])?;
            }
            2 => {
                let nlen = bits.take(5)? as usize + 257;
                let ndist = bits.take(5)? as usize + 1;
                let ncode = bits.take(4)? as usize + 4;
                if nlen > 286 || ndist > 30 {
                    return None;
                }
                let mut lengths = [0u8; 320];
                for &i in &ORDER[..ncode] {
                    lengths[usize::from(i)] = bits.take(3)? as u8;
                }
                let code = Huffman::new(&lengths[..19], false)?;
                let mut i = 0;
                while i < nlen + ndist {
                    let symbol = bits.symbol(&code)?;
                    let (value, repeat) = match symbol {
                        0..=15 => (symbol as u8, 1),
                        16 => (*lengths[..i].last()?, 3 + bits.take(2)?),
                        17 => (0, 3 + bits.take(3)?),
                        _ => (0, 11 + bits.take(7)?),
                    };
                    for _ in 0..repeat {
                        *lengths.get_mut(i).filter(|_| i < nlen + ndist)? = value;
                        i += 1;
                    }
                }
                if lengths[256] == 0 {
                    return None;
                }
                codes(
                    &mut bits,
                    &mut out,
                    limit,
                    &lengths[..nlen],
                    &lengths[nlen..nlen + ndist],
                )?;
            }
            _ => return None,
        }
        if last == 1 {
            return Some(out);
        }
    }
}

/// Decodes a Huffman-coded block up to its end-of-block symbol.
fn codes(
    bits: &mut Bits,
    out: &mut Vec<u8>,
    limit: usize,
    lengths: &[u8],
    dist_lengths: &[u8],
) -> Option<()> {
    let lit = Huffman::new(lengths, true)?;
    let dist = Huffman::new(dist_lengths, true)?;
    loop {
        let symbol = usize::from(bits.symbol(&lit)?);
        if symbol < 256 {
            out.push(symbol as u8);
        } else if symbol == 256 {
            return Some(());
        } else {
            let i = symbol - 257;
            let len =
                usize::from(*LENGTH_BASE.get(i)?) + bits.take(u32::from(LENGTH_EXTRA[i]))? as usize;
            let d = usize::from(bits.symbol(&dist)?);
            let back =
                usize::from(*DIST_BASE.get(d)?) + bits.take(u32::from(DIST_EXTRA[d]))? as usize;
            let from = out.len().checked_sub(back)?;
            for k in from..from + len {
                out.push(out[k]);
            }
        }
        if out.len() > limit {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Vec<u8>> {
        let mut seed = 7u32;
        let mut random = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed >> 16) as u8
                })
                .collect()
        };
        let text = "Konsultacje społeczne w Nowej Hucie: zażółć gęślą jaźń. ".repeat(3000);
        vec![
            Vec::new(),
            b"a".to_vec(),
            b"abcabcabcabcabcabcabcabc".to_vec(),
            text.into_bytes(),
            random(100),
            random(200_000),
            vec![0; 300_000],
        ]
    }

    #[test]
    fn inflates_what_miniz_deflates_at_every_level() {
        for data in samples() {
            for level in 0..=10 {
                let packed = miniz_oxide::deflate::compress_to_vec(&data, level);
                assert_eq!(
                    inflate(&packed, usize::MAX).as_deref(),
                    Some(&data[..]),
                    "level {level}, {} bytes",
                    data.len()
                );
            }
        }
    }

    #[test]
    fn damage_is_an_error_never_a_panic() {
        let data = "Rada Dzielnicy XVIII Nowa Huta ".repeat(500).into_bytes();
        let packed = miniz_oxide::deflate::compress_to_vec(&data, 9);
        assert_eq!(inflate(&packed, 1000), None, "over the limit");
        for cut in 0..packed.len() {
            assert_eq!(inflate(&packed[..cut], usize::MAX), None, "cut at {cut}");
        }
        let mut seed = 1u32;
        for i in 0..packed.len() * 8 {
            let mut bad = packed.clone();
            bad[i / 8] ^= 1 << (i % 8);
            let _ = inflate(&bad, 1 << 20);
            seed = seed.wrapping_mul(69_069).wrapping_add(1);
            let garbage: Vec<u8> = (0..64).map(|k| (seed >> (k % 24)) as u8).collect();
            let _ = inflate(&garbage, 1 << 20);
        }
        // Agrees with miniz_oxide on what is damaged (a flipped bit in the middle of a shard
        // must stay an error, as the browser test of damaged shards expects).
        for i in 0..packed.len() * 8 {
            let mut bad = packed.clone();
            bad[i / 8] ^= 1 << (i % 8);
            let ours = inflate(&bad, 1 << 20);
            let miniz = miniz_oxide::inflate::decompress_to_vec_with_limit(&bad, 1 << 20).ok();
            assert_eq!(ours, miniz, "bit {i}");
        }
        for data in samples().into_iter().filter(|d| d.len() < 100_000) {
            for level in [1, 9] {
                let packed = miniz_oxide::deflate::compress_to_vec(&data, level);
                for at in (0..packed.len()).step_by(packed.len() / 100 + 1) {
                    let mut bad = packed.clone();
                    bad[at] ^= 0x5a;
                    let ours = inflate(&bad, 1 << 22);
                    let miniz =
                        miniz_oxide::inflate::decompress_to_vec_with_limit(&bad, 1 << 22).ok();
                    assert_eq!(ours, miniz, "level {level}, byte {at}");
                }
            }
        }
    }
}
