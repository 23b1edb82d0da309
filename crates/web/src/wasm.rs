//! The WebAssembly exports (`docs/browser-search.md`): a C-like ABI over linear memory, no
//! wasm-bindgen. One session per module instance.

use std::cell::RefCell;

use crate::session::{Answer, Request, Session};

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller passes a region it obtained from `jw_alloc` and filled.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

fn set_answer(json: String) {
    ANSWER.with(|a| *a.borrow_mut() = json.into_bytes());
}

/// Reserves `len` bytes.
#[no_mangle]
pub extern "C" fn jw_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let ptr = v.as_mut_ptr();
    std::mem::forget(v);
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
            SESSION.with(|cell| *cell.borrow_mut() = Some(s));
            0
        }
        Err(e) => {
            set_answer(Answer::Error(e.to_string()).to_json());
            1
        }
    }
}

/// Loads a fetched file. 0 = ok, 1 = corrupt or unknown, 2 = of another build.
#[no_mangle]
pub extern "C" fn jw_load(name_ptr: *const u8, name_len: usize, ptr: *const u8, len: usize) -> u32 {
    let name = String::from_utf8_lossy(bytes(name_ptr, name_len)).into_owned();
    SESSION.with(|cell| match cell.borrow_mut().as_mut() {
        None => 1,
        Some(session) => match session.load(&name, bytes(ptr, len)) {
            Ok(()) => 0,
            Err(crate::format::ShardError::Stale) => 2,
            Err(e) => {
                set_answer(Answer::Error(format!("{name}: {e}")).to_json());
                1
            }
        },
    })
}

/// Runs a request; the answer is then at `jw_answer_ptr`/`jw_answer_len`. 0 = ok.
#[no_mangle]
pub extern "C" fn jw_search(ptr: *const u8, len: usize) -> u32 {
    let text = String::from_utf8_lossy(bytes(ptr, len)).into_owned();
    let answer = SESSION.with(|cell| match cell.borrow_mut().as_mut() {
        None => Answer::Error("the search index is not loaded".into()),
        Some(session) => match Request::parse(&text) {
            Ok(request) => session.run(&request),
            Err(e) => Answer::Error(e),
        },
    });
    set_answer(answer.to_json());
    0
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn jw_answer_ptr() -> *const u8 {
    ANSWER.with(|a| a.borrow().as_ptr())
}

/// How long the last answer is.
#[no_mangle]
pub extern "C" fn jw_answer_len() -> usize {
    ANSWER.with(|a| a.borrow().len())
}
