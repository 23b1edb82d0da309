//! The integration tests of jawnik, one binary (as cargo's and ripgrep's are): a module per
//! area, the helpers they share in [`common`]. One binary links the dependencies once, where
//! a binary per file linked them all for each. A module's tests are named by its path:
//! `cargo test --test integration incremental::` runs those of `incremental.rs`.

mod common;

mod accessibility;
mod answers;
mod broken;
mod build_site;
mod calendar;
mod changes_feed;
mod check;
mod compare;
mod compare_page;
mod disk_full;
mod example_site;
mod extract;
mod hostile;
mod import;
mod incremental;
mod interrupt;
mod layering;
mod limits;
mod locales;
mod open_data;
mod out_of_memory;
mod paths;
mod postulates;
mod progress;
mod provenance;
mod relevance;
mod relevance_judged;
mod scaffold;
mod search_index;
mod search_languages;
mod serve;
mod shards;
mod translations;
mod versions;
mod versions_search;
