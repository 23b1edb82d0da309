//! jawnik: a static site generator and Polish full-text search for civic documents.
//!
//! The library is organised by concern, each depending only on those before it (no import
//! loop between files: `tests/integration/layering.rs`):
//! - [`config`]: `jawnik.toml`, with its accessibility statement table;
//! - [`content`]: the validated content model ([`Site`], [`Entry`]) and the one loader that
//!   reads, validates and checks `content/` across files;
//! - [`extract`]: the text of attachments (PDF, DOCX, ODT, TXT), cached;
//! - [`render`]: the site's pages, feeds, calendars and sitemap from the model and the theme;
//! - [`index`]: the tantivy index of a site and the search engine's backend over it;
//! - [`export`]: the static search folder for the browser, written from the index;
//! - [`output`]: the output files and the atomic replacement of the output folder;
//! - [`lock`]: one build at a time per index folder;
//! - [`memory`]: running out of memory clearly (the binary's allocator);
//! - [`build`]: the pipeline, stage by stage: load, extract, render, index and export, write;
//! - [`incremental`]: `jawnik serve`'s rebuilds of the pages an edit touches;
//! - [`serve`]: `jawnik serve`: watcher, build loop, HTTP server, live reload;
//! - [`check`]: `jawnik check`: what `build` validates, links, content checks;
//! - [`search`]: `jawnik search`: results, snippets, JSON;
//! - [`scaffold`]: `jawnik new` and `jawnik init`;
//! - [`import`]: `jawnik import`: an attachment turned into a content file;
//! - [`diff`]: `jawnik diff`: two versions of a document compared.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diff;
pub mod export;
pub mod extract;
pub mod import;
pub mod incremental;
pub mod index;
pub mod lock;
pub mod memory;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;

pub use build::{build, BuildError, BuildOptions, BuildReport};
pub use content::date::Date;
pub use content::load::load_site;
pub use content::model::{Attachment, Entry, Heading, Kind, NgoInfo, Section, Site, Status};
