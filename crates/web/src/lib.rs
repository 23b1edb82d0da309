//! The static search shards and their reader: the browser half of jawnik's search.
//!
//! [`format`] defines the files `jawnik build` writes into `search/` (and encodes them for the
//! exporter); [`backend::ShardBackend`] runs the shared query engine (`jawnik-engine`) over
//! them; [`session`] turns text requests into JSON answers; and, compiled to
//! `wasm32-unknown-unknown`, [`wasm`] exports that to the page. The protocol is documented in
//! `docs/browser-search.md`.

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
