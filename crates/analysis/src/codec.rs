//! The byte codec of every jawnik binary format: LEB128 varints, length-prefixed UTF-8
//! strings, front-coded sorted keys, and a bounds-checked [`Reader`] that reports damage as
//! [`Corrupt`] instead of panicking.
//!
//! The dictionary and the site lexicon (this crate) and the static search shards
//! (`jawnik-web`, which re-exports this module from its own `codec` beside its compression and
//! hashing) are all written and read with it. It lives here because this crate is the root of
//! the search crates' dependency graph (`analysis` ← `engine` ← `web`, and `web` depends on
//! `analysis` directly): a crate of its own would add a manifest and nothing else, since the
//! codec has no dependencies and the others already depend on this crate.
//!
//! The small functions are `#[inline]` in native builds, so that the shard code in `jawnik-web`
//! (another crate, built without LTO natively) inlines them as it did when it had a reader of
//! its own; not in the WebAssembly build, which is LTO'd as one unit anyway and where the hint
//! only made the module bigger.

use crate::prelude::*;

/// Appends `v` as a LEB128 varint.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed UTF-8 string.
#[cfg_attr(not(target_arch = "wasm32"), inline)]
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends `key` front-coded against `prev`, the key written before it: the length of the
/// prefix they share (cut back to a char boundary of `key`), then the rest of `key` as a
/// string. Sorted keys share long prefixes; [`Reader::front_coded`] reads it back.
pub fn put_front_coded(out: &mut Vec<u8>, prev: &str, key: &str) {
    let shared = prev
        .bytes()
        .zip(key.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let shared = (0..=shared)
        .rev()
        .find(|&i| key.is_char_boundary(i))
        .unwrap_or(0);
    put_varint(out, shared as u64);
    put_str(out, &key[shared..]);
}

/// Bytes that are truncated, damaged, or not what they claim to be: what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrupt(pub &'static str);

impl core::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "corrupt data: {}", self.0)
    }
}

impl core::error::Error for Corrupt {}

/// Reads what the `put_*` functions wrote; every read is bounds-checked.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// How many bytes were read.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// Whether everything was read.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The next `n` bytes.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        let end = self.pos.checked_add(n).ok_or(Corrupt("length overflow"))?;
        let out = self.bytes.get(self.pos..end).ok_or(Corrupt("truncated"))?;
        self.pos = end;
        Ok(out)
    }

    /// A little-endian u32 of four bytes.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn fixed_u32(&mut self) -> Result<u32, Corrupt> {
        Ok(u32::from_le_bytes(
            self.bytes(4)?.try_into().unwrap_or_default(),
        ))
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos = self.bytes.len();
        rest
    }

    /// One byte.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn byte(&mut self) -> Result<u8, Corrupt> {
        Ok(self.bytes(1)?[0])
    }

    /// A varint.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn varint(&mut self) -> Result<u64, Corrupt> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(Corrupt("varint too long"))
    }

    /// A varint that must fit in u32.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn u32(&mut self) -> Result<u32, Corrupt> {
        u32::try_from(self.varint()?).map_err(|_| Corrupt("number out of range"))
    }

    /// A varint that must fit in usize (a length or an index; see [`count`](Self::count) for
    /// a number of items).
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn usize(&mut self) -> Result<usize, Corrupt> {
        usize::try_from(self.varint()?).map_err(|_| Corrupt("number out of range"))
    }

    /// A count of items that each take at least one byte (bounded by what is left).
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn count(&mut self) -> Result<usize, Corrupt> {
        let n = self.varint()?;
        if n > self.remaining() as u64 {
            // The search shards' wording: their messages reach the page.
            return Err(Corrupt("count larger than the shard"));
        }
        Ok(n as usize)
    }

    /// A string.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn str(&mut self) -> Result<&'a str, Corrupt> {
        let n = self.count()?;
        core::str::from_utf8(self.bytes(n)?).map_err(|_| Corrupt("invalid UTF-8"))
    }

    /// A key written by [`put_front_coded`]: `key` (the key read before, "" for the first)
    /// becomes the next key.
    pub fn front_coded(&mut self, key: &mut String) -> Result<(), Corrupt> {
        let shared = self.usize()?;
        let rest = self.str()?;
        if !key.is_char_boundary(shared) {
            return Err(Corrupt("bad shared prefix"));
        }
        key.truncate(shared);
        key.push_str(rest);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let mut out = Vec::new();
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            put_varint(&mut out, v);
        }
        let mut text = Vec::new();
        put_str(&mut text, "źródło");
        let mut r = Reader::new(&out);
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert!(r.at_end());
        assert_eq!(Reader::new(&text).str().unwrap(), "źródło");
        assert!(Reader::new(&text[..text.len() - 1]).str().is_err());
        assert!(Reader::new(&[0xff; 11]).varint().is_err());
        assert!(Reader::new(&[50, 1]).count().is_err());
        assert_eq!(Reader::new(&[50, 1]).usize(), Ok(50));
    }

    #[test]
    fn front_coded_keys_share_whole_chars_only() {
        let keys = ["", "zaba", "zabka", "żaba", "żabka", "żal"];
        let mut out = Vec::new();
        let mut prev = "";
        for key in keys {
            put_front_coded(&mut out, prev, key);
            prev = key;
        }
        // "żaba" after "zabka" shares nothing; "żabka" after "żaba" shares "żab" (4 bytes);
        // "żal" after "żabka" shares "ża" (3 bytes), not the first byte of "b".
        let mut expected = Vec::new();
        for (shared, rest) in [
            (0, ""),
            (0, "zaba"),
            (3, "ka"),
            (0, "żaba"),
            (4, "ka"),
            (3, "l"),
        ] {
            put_varint(&mut expected, shared);
            put_str(&mut expected, rest);
        }
        assert_eq!(out, expected);
        let mut r = Reader::new(&out);
        let mut key = String::new();
        for expected in keys {
            r.front_coded(&mut key).unwrap();
            assert_eq!(key, expected);
        }
        assert!(r.at_end());
        // A shared prefix longer than the previous key, or inside one of its chars, is damage.
        let mut bad = Vec::new();
        put_front_coded(&mut bad, "", "ż");
        put_varint(&mut bad, 1);
        put_str(&mut bad, "a");
        let mut r = Reader::new(&bad);
        let mut key = String::new();
        r.front_coded(&mut key).unwrap();
        assert_eq!(r.front_coded(&mut key), Err(Corrupt("bad shared prefix")));
        let mut r = Reader::new(&[5, 0]);
        assert!(r.front_coded(&mut String::from("ab")).is_err());
    }
}
