//! Writes the statute fixture's comparison page (`tests/fixtures/compare/`), with the theme's
//! static files, into the folder given as the argument: the page the browser test
//! `tests/browser/compare.test.mjs` opens (a site build makes such pages for
//! versions of a document: `render/versions.rs`, tested by `tests/browser/versions.test.mjs`).
//!
//! `cargo run --example compare_page -- DIR`

use std::path::PathBuf;

#[path = "../tests/integration/compare_page/fixture.rs"]
mod fixture;

fn main() {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: compare_page DIR");
        std::process::exit(2);
    };
    for (path, bytes) in &fixture::theme().static_files {
        let file = out.join(path);
        std::fs::create_dir_all(file.parent().expect("a file in a folder")).expect("create folder");
        std::fs::write(file, bytes).expect("write a theme file");
    }
    std::fs::write(out.join("index.html"), fixture::fixture_page()).expect("write index.html");
}
