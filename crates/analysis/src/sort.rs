//! One small sort for the whole search runtime (this crate, the engine and the browser's
//! reader): the standard sorts are compiled again for every element type and comparison and
//! took kilobytes of the browser's WebAssembly module each; this heapsort is compiled once per
//! element type and is a few hundred bytes. Results equal the standard sorts' whenever the
//! order is total (equal elements interchangeable), which is how every caller uses it.

/// Sorts `v` by `less` (a strict total order: equal elements must be interchangeable, the sort
/// is not stable). A heapsort: O(n log n), no allocation, little code.
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    heapsort(v, &mut less);
}

#[inline(never)]
fn heapsort<T>(v: &mut [T], less: &mut dyn FnMut(&T, &T) -> bool) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

fn sift_down<T>(v: &mut [T], mut node: usize, end: usize, less: &mut dyn FnMut(&T, &T) -> bool) {
    let v = &mut v[..end];
    loop {
        let mut child = 2 * node + 1;
        let Some(c) = v.get(child) else { break };
        if let Some(right) = v.get(child + 1) {
            if less(c, right) {
                child += 1;
            }
        }
        if !less(&v[node], &v[child]) {
            break;
        }
        v.swap(node, child);
        node = child;
    }
}
