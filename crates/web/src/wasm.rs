//! The WebAssembly exports (`docs/browser-search.md`): a C-like ABI over linear memory, no
//! wasm-bindgen. One session per module instance.
//!
//! The module is single-threaded and its exports never call each other, so its state lives in
//! plain statics ([`Global`]) rather than `thread_local!`/`RefCell`, and it has its own small
//! allocator: both keep the module small.

use crate::prelude::*;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

use jawnik_engine::text::concat;

use crate::heap::{Heap, PAGE};
use crate::session::{Answer, Request, Session};

/// A panic (a bug, or memory exhausted) traps, as the standard library's abort did before the
/// module was `no_std`; nothing formats its message, so the module has no `core::fmt`.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The module's allocator (see [`crate::heap`]).
struct Allocator(UnsafeCell<Heap>);

// SAFETY: the module is single-threaded.
unsafe impl Sync for Allocator {}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap::new()));

fn grow(pages: usize) -> Option<usize> {
    let before = core::arch::wasm32::memory_grow(0, pages);
    (before != usize::MAX).then(|| before * PAGE)
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded, and the heap is not re-entered.
        let heap = unsafe { &mut *self.0.get() };
        // SAFETY: a free block's first word holds the next free block.
        let read = |block: usize| unsafe { *(block as *const usize) };
        heap.alloc(layout.size(), layout.align(), grow, read) as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`.
        let heap = unsafe { &mut *self.0.get() };
        // SAFETY: the block is ours again and at least 16 bytes long.
        let write = |block: usize, next: usize| unsafe { *(block as *mut usize) = next };
        heap.free(ptr as usize, layout.size(), layout.align(), write);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if Heap::same_class(layout.size(), new_size, layout.align()) {
            return ptr;
        }
        // SAFETY: the caller guarantees a valid layout for `new_size`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as the trait requires.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// A module-wide value.
struct Global<T>(UnsafeCell<T>);

// SAFETY: the module is single-threaded.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// The value. Each export takes it once and drops the reference before returning; exports
    /// do not call each other, so no two references are alive at once.
    #[allow(clippy::mut_from_ref)]
    fn get(&self) -> &mut T {
        // SAFETY: see above.
        unsafe { &mut *self.0.get() }
    }
}

static SESSION: Global<Option<Session>> = Global(UnsafeCell::new(None));
static ANSWER: Global<Vec<u8>> = Global(UnsafeCell::new(Vec::new()));

fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller passes a region it obtained from `jw_alloc` and filled.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The text at `ptr` (the protocol passes UTF-8; anything else reads as `None`).
fn text<'a>(ptr: *const u8, len: usize) -> Option<&'a str> {
    core::str::from_utf8(bytes(ptr, len)).ok()
}

fn set_answer(json: String) {
    *ANSWER.get() = json.into_bytes();
}

/// Reserves `len` bytes.
#[no_mangle]
pub extern "C" fn jw_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let ptr = v.as_mut_ptr();
    core::mem::forget(v);
    ptr
}

/// Releases what `jw_alloc` reserved.
#[no_mangle]
pub extern "C" fn jw_free(ptr: *mut u8, len: usize) {
    // SAFETY: `ptr` came from `jw_alloc(len)`.
    unsafe { drop(Vec::from_raw_parts(ptr, 0, len.max(1))) }
}

/// Starts a session from the meta file. 0 = ok.
#[no_mangle]
pub extern "C" fn jw_init(ptr: *const u8, len: usize) -> u32 {
    match Session::new(bytes(ptr, len)) {
        Ok(s) => {
            *SESSION.get() = Some(s);
            0
        }
        Err(e) => {
            set_answer(Answer::Error(e.text()).to_json());
            1
        }
    }
}

/// Loads a fetched file. 0 = ok, 1 = corrupt or unknown, 2 = of another build.
#[no_mangle]
pub extern "C" fn jw_load(name_ptr: *const u8, name_len: usize, ptr: *const u8, len: usize) -> u32 {
    let (Some(session), Some(name)) = (SESSION.get().as_mut(), text(name_ptr, name_len)) else {
        return 1;
    };
    match session.load(name, bytes(ptr, len)) {
        Ok(()) => 0,
        Err(crate::format::ShardError::Stale) => 2,
        Err(e) => {
            set_answer(Answer::Error(concat(&[name, ": ", &e.text()])).to_json());
            1
        }
    }
}

/// Runs a request; the answer is then at `jw_answer_ptr`/`jw_answer_len`. 0 = ok.
#[no_mangle]
pub extern "C" fn jw_search(ptr: *const u8, len: usize) -> u32 {
    let answer = match (SESSION.get().as_mut(), text(ptr, len)) {
        (None, _) => Answer::Error("the search index is not loaded".into()),
        (_, None) => Answer::Error("the request is not UTF-8".into()),
        (Some(session), Some(text)) => match Request::parse(text) {
            Ok(request) => session.run(&request),
            Err(e) => Answer::Error(e),
        },
    };
    set_answer(answer.to_json());
    0
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn jw_answer_ptr() -> *const u8 {
    ANSWER.get().as_ptr()
}

/// How long the last answer is.
#[no_mangle]
pub extern "C" fn jw_answer_len() -> usize {
    ANSWER.get().len()
}
