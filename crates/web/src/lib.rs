//! The static search shards and their reader: the browser half of jawnik's search.
//!
//! [`format`] defines the files `jawnik build` writes into `search/` (and encodes them for the
//! exporter); [`backend::ShardBackend`] runs the shared query engine (`jawnik-engine`) over
//! them; [`session`] turns text requests into JSON answers; and, compiled to
//! `wasm32-unknown-unknown`, [`wasm`] exports that to the page. The protocol is documented in
//! `docs/browser-search.md`.
//!
//! For `wasm32` the crate is `no_std` (with `alloc`), as are its dependencies there: the module
//! then has no standard panic handler, whose message formatting (`core::fmt`) was about 10 kB
//! of it; a panic traps ([`wasm`]).

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What the standard prelude would bring, from `alloc`.
#[allow(unused_imports)]
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod backend;
pub mod codec;
pub mod format;
pub mod heap;
pub mod inflate;
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use backend::ShardBackend;
pub use session::{Answer, Request, Session};
