//! jawnik: a static site generator and Polish full-text search for civic documents.
//!
//! The library is organised by concern: [`config`] reads `jawnik.toml`, [`content`] finds,
//! parses and validates the Markdown files, [`render`] turns the validated [`build::Site`]
//! into HTML, feeds and the sitemap, [`output`] replaces the output folder atomically and
//! [`build`] orchestrates the whole pipeline.

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
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;

pub use build::{build, BuildError, BuildOptions, BuildReport};
pub use content::date::Date;
pub use content::load::load_site;
pub use content::model::{Attachment, Entry, Heading, Kind, NgoInfo, Section, Site, Status};
