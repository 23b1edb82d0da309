//! The WebAssembly module's memory allocator: power-of-two size classes with a free list each,
//! carved from memory obtained with `memory.grow`. It replaces the standard library's dlmalloc
//! (about 8 kB of the module) with a few hundred bytes. Freed blocks are reused by later
//! allocations of the same class; `realloc` within a class keeps the block (so a `Vec`
//! doubling its capacity moves only when it changes class). Memory is never returned to the
//! browser, as with dlmalloc. Single-threaded, like the module.
//!
//! The bookkeeping ([`Heap`]) is plain code over addresses, tested natively; only the
//! `#[global_allocator]` in [`crate::wasm`] touches real memory.

/// Smallest block: 16 bytes (room for the free-list link, and the alignment every block gets).
const MIN_ALIGN: usize = 16;
/// Memory comes in pages of 64 KiB.
pub const PAGE: usize = 65_536;

/// Free lists and the bump region. Addresses are plain numbers here.
pub struct Heap {
    /// Per class (block size `1 << class`): the first free block, or 0. A free block's first
    /// word holds the next one.
    free: [usize; 33],
    /// Next unused address of the bump region.
    next: usize,
    /// End of the bump region.
    end: usize,
}

/// The class of a request: blocks of `1 << class` bytes, at least the size and the alignment.
fn class(size: usize, align: usize) -> usize {
    let n = size.max(align).max(MIN_ALIGN);
    (usize::BITS - (n - 1).leading_zeros()) as usize
}

impl Heap {
    /// An empty heap.
    pub const fn new() -> Self {
        Heap {
            free: [0; 33],
            next: 0,
            end: 0,
        }
    }

    /// A block of at least `size` bytes aligned to `align` (a power of two), or 0 when memory
    /// is exhausted. `grow(pages)` adds pages of memory and returns the address where they
    /// start; `read`/`write` access a free block's link word.
    pub fn alloc(
        &mut self,
        size: usize,
        align: usize,
        grow: impl FnOnce(usize) -> Option<usize>,
        read: impl FnOnce(usize) -> usize,
    ) -> usize {
        let c = class(size, align);
        let Some(&head) = self.free.get(c) else {
            return 0;
        };
        if head != 0 && align <= MIN_ALIGN {
            self.free[c] = read(head);
            return head;
        }
        let size = 1usize << c;
        let align = align.max(MIN_ALIGN);
        let fits = |next: usize, end: usize| {
            let start = next.checked_add(align - 1)? & !(align - 1);
            let stop = start.checked_add(size)?;
            (stop <= end).then_some((start, stop))
        };
        let (start, stop) = match fits(self.next, self.end) {
            Some(found) => found,
            None => {
                let Some(pages) = size.checked_add(align).map(|n| n.div_ceil(PAGE)) else {
                    return 0;
                };
                let Some(base) = grow(pages) else {
                    return 0;
                };
                if base != self.end {
                    // Not next to the region (the first time): start a new region there.
                    self.next = base;
                }
                let Some(end) = pages.checked_mul(PAGE).and_then(|n| base.checked_add(n)) else {
                    return 0;
                };
                self.end = end;
                match fits(self.next, self.end) {
                    Some(found) => found,
                    None => return 0,
                }
            }
        };
        self.next = stop;
        start
    }

    /// Returns a block given by [`alloc`](Self::alloc) with the same `size` and `align`;
    /// `write(block, next)` stores the free-list link in it.
    pub fn free(
        &mut self,
        block: usize,
        size: usize,
        align: usize,
        write: impl FnOnce(usize, usize),
    ) {
        let c = class(size, align);
        write(block, self.free[c]);
        self.free[c] = block;
    }

    /// Whether a block of `old` bytes can serve `new` bytes in place.
    pub fn same_class(old: usize, new: usize, align: usize) -> bool {
        class(old, align) == class(new, align)
    }
}

impl Default for Heap {
    fn default() -> Self {
        Heap::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A simulated memory: `pages` grown so far, links stored in a map.
    struct Memory {
        pages: usize,
        links: alloc::collections::BTreeMap<usize, usize>,
    }

    impl Memory {
        fn alloc(&mut self, heap: &mut Heap, size: usize, align: usize) -> usize {
            let pages = &mut self.pages;
            let links = &self.links;
            heap.alloc(
                size,
                align,
                |n| {
                    let base = *pages * PAGE;
                    *pages += n;
                    Some(base)
                },
                |block| links[&block],
            )
        }
    }

    #[test]
    fn blocks_do_not_overlap_and_are_reused() {
        let mut heap = Heap::new();
        let mut mem = Memory {
            pages: 3, // memory before the heap (the module's data and stack)
            links: Default::default(),
        };
        let mut live: Vec<(usize, usize)> = Vec::new();
        for (i, size) in [1usize, 16, 17, 100, 4096, 70_000, 3, 200_000, 33]
            .into_iter()
            .enumerate()
        {
            let align = if i == 3 { 64 } else { 8 };
            let b = mem.alloc(&mut heap, size, align);
            assert!(
                b >= 3 * PAGE && b.is_multiple_of(align) && b.is_multiple_of(16),
                "{b}"
            );
            assert!(b + size <= mem.pages * PAGE);
            for &(o, osize) in &live {
                assert!(
                    b + size <= o || o + osize <= b,
                    "{b}+{size} overlaps {o}+{osize}"
                );
            }
            live.push((b, size));
        }
        // Freed blocks come back for requests of the same class, most recent first.
        let (b17, _) = live[2];
        let (b33, _) = live[8];
        heap.free(b17, 17, 8, |block, next| {
            mem.links.insert(block, next);
        });
        heap.free(b33, 33, 8, |block, next| {
            mem.links.insert(block, next);
        });
        assert_eq!(mem.alloc(&mut heap, 20, 8), b17);
        assert_eq!(mem.alloc(&mut heap, 64, 8), b33);
        let fresh = mem.alloc(&mut heap, 30, 8);
        assert!(live.iter().all(|&(o, _)| o != fresh));
        assert!(Heap::same_class(17, 32, 8) && !Heap::same_class(32, 33, 8));
    }

    #[test]
    fn exhausted_memory_gives_null() {
        let mut heap = Heap::new();
        assert_eq!(heap.alloc(100, 8, |_| None, |_| 0), 0);
        assert_eq!(heap.alloc(usize::MAX / 2, 8, |_| Some(0), |_| 0), 0);
    }
}
