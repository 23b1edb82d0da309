//! Input limits: a Markdown file over `max_file_size_mb`, a binary file, invalid UTF-8, a UTF-8
//! byte-order mark, CRLF line endings, 100,000 lines and 10,000 levels of nesting. Each is
//! handled or refused with one exact diagnostic; none panics, hangs or takes unbounded time.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn site(name: &str, config_extra: &str, files: &[(&str, Vec<u8>)]) -> PathBuf {
    let root = common::temp_dir(name);
    let config = format!("title = \"t\"\nbase_url = \"https://example.org/\"\n{config_extra}");
    std::fs::write(root.join("jawnik.toml"), config).unwrap();
    let mut all: Vec<(&str, Vec<u8>)> = vec![(
        "content/raporty/_index.md",
        b"+++\ntitle = \"Raporty\"\n+++\n".to_vec(),
    )];
    all.extend(files.iter().cloned());
    for (path, bytes) in all {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    root
}

const HEAD: &str = "+++\ntitle = \"Raport\"\nsummary = \"Streszczenie.\"\n+++\n";

fn page(body: &str) -> Vec<u8> {
    format!("{HEAD}{body}").into_bytes()
}

fn errors(root: &Path) -> Vec<String> {
    match jawnik::load_site(root, None) {
        Ok(_) => Vec::new(),
        Err(ds) => ds.iter().map(|d| d.to_string()).collect(),
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_and_the_limit_is_configurable() {
    let big = page(&"Zdanie o budżecie miasta.\n".repeat(50_000)); // ~1.3 MB
    let root = site(
        "too-big",
        "max_file_size_mb = 1\n",
        &[("content/raporty/r.md", big.clone())],
    );
    assert_eq!(
        errors(&root),
        ["content/raporty/r.md: the file is larger than 1 MB, the limit set by `max_file_size_mb` in jawnik.toml; split it or raise the limit"]
    );
    // The default (10 MB) takes it.
    let root = site("default-limit", "", &[("content/raporty/r.md", big)]);
    assert_eq!(errors(&root), Vec::<String>::new());
    let root = site("zero-limit", "max_file_size_mb = 0\n", &[]);
    assert_eq!(
        errors(&root),
        ["jawnik.toml: field `max_file_size_mb`: must be at least 1"]
    );
}

#[test]
fn a_binary_file_named_md_is_refused_with_the_offset() {
    let mut bytes = page("Tekst\n");
    bytes.extend_from_slice(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let root = site("binary", "", &[("content/raporty/r.md", bytes)]);
    assert_eq!(
        errors(&root),
        ["content/raporty/r.md:8: a binary file, not Markdown text (NUL byte at offset 65); Markdown pages must be UTF-8 text"]
    );
    // A binary file that is not Markdown is an attachment candidate: unreferenced, it is named.
    let root = site(
        "binary-other",
        "",
        &[
            ("content/raporty/r.md", page("Tekst\n")),
            ("content/raporty/obraz.png", b"\x89PNG\0\0".to_vec()),
        ],
    );
    assert_eq!(
        errors(&root),
        ["content/raporty/obraz.png: not referenced by any attachment (content/ holds only Markdown pages and attachment files)"]
    );
}

#[test]
fn invalid_utf8_names_the_line_and_byte_offset() {
    let mut bytes = page("Pierwsza linia.\nDruga ");
    bytes.extend_from_slice(b"\xff\xfe linia (Windows-1250: \xb9).\n");
    let root = site("invalid-utf8", "", &[("content/raporty/r.md", bytes)]);
    assert_eq!(
        errors(&root),
        ["content/raporty/r.md:6: the file is not valid UTF-8: byte 0xff at offset 73 (save it as UTF-8)"]
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_give_the_same_page() {
    let text = "+++\ntitle = \"Raport roczny\"\nsummary = \"Streszczenie.\"\nsectors = []\n+++\n## Cele\n\nAkapit *pierwszy*\nciąg dalszy.\n\n- a\n- b\n";
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let a = site(
        "lf",
        "",
        &[("content/raporty/r.md", text.as_bytes().to_vec())],
    );
    let b = site(
        "bom-crlf",
        "",
        &[("content/raporty/r.md", crlf.into_bytes())],
    );
    let a = jawnik::load_site(&a, None).unwrap();
    let b = jawnik::load_site(&b, None).unwrap();
    let (ea, eb) = (&a.entries[0], &b.entries[0]);
    assert_eq!(ea.title, "Raport roczny");
    assert_eq!(eb.title, ea.title);
    assert_eq!(eb.summary, ea.summary);
    assert_eq!(eb.headings, ea.headings);
    let text =
        |site: &jawnik::Site, e: &jawnik::Entry| jawnik::content::body::text(site, e).unwrap();
    assert_eq!(text(&b, eb).replace('\r', ""), text(&a, ea));
    let html = |site: &jawnik::Site, e: &jawnik::Entry| {
        jawnik::render::markdown::render(&jawnik::content::body::read(site, e).unwrap(), "/").html
    };
    assert_eq!(html(&b, eb).replace('\r', ""), html(&a, ea));
    // A diagnostic in a CRLF file still points at the right line.
    let bad = "\u{feff}+++\r\ntitle = \"R\"\r\nsummary = \"S\"\r\nkrs = 5\r\n+++\r\n";
    let c = site(
        "crlf-error",
        "",
        &[("content/raporty/r.md", bad.as_bytes().to_vec())],
    );
    let errs = errors(&c);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(
            "content/raporty/r.md:4: field `krs`: unknown key (typo?); expected one of `title`"
        ),
        "{errs:?}"
    );
}

#[test]
fn huge_and_deeply_nested_markdown_builds_in_bounded_time() {
    let long: String = (0..100_000)
        .map(|i| {
            if i % 50 == 0 {
                format!("## Rozdział {i}\n")
            } else {
                format!("Linia {i} tekstu o konsultacjach.\n")
            }
        })
        .collect();
    let quotes = format!("{} głęboko\n", ">".repeat(10_000));
    let lists: String = (0..2_000)
        .map(|i| format!("{}- punkt\n", " ".repeat(2 * i)))
        .collect();
    let nested_list_markers = format!("{} x\n", "- ".repeat(10_000));
    let html = format!("{}x{}\n", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let root = site(
        "huge",
        "",
        &[
            ("content/raporty/dlugi.md", page(&long)),
            ("content/raporty/cytaty.md", page(&quotes)),
            ("content/raporty/listy.md", page(&lists)),
            ("content/raporty/znaczniki.md", page(&nested_list_markers)),
            ("content/raporty/html.md", page(&html)),
        ],
    );
    let start = Instant::now();
    let out = root.join("public");
    common::build(&root, &out, None).expect("builds");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let page = common::read(&out, "raporty/dlugi/index.html");
    assert!(page.contains("Linia 99999 tekstu"));
    assert!(page.contains("id=\"rozdzial-99950\""));
    let quotes = common::read(&out, "raporty/cytaty/index.html");
    assert_eq!(
        quotes.matches("<blockquote>").count(),
        jawnik::render::markdown::MAX_NESTING
    );
    assert!(quotes.contains("głęboko"));
    let html = common::read(&out, "raporty/html/index.html");
    assert!(html.matches("<div>").count() <= jawnik::render::markdown::MAX_NESTING + 20);
}

/// Bodies are read back from their files when pages are rendered (a build does not hold them
/// all): a body edited after the site was loaded is an error naming the file, never a page
/// that differs from what was checked and indexed.
#[test]
fn a_body_changed_during_the_build_is_an_error() {
    let text = "+++\ntitle = \"Raport\"\nsummary = \"S.\"\nsectors = []\n+++\nTreść *pierwsza*.\n";
    let root = site(
        "body-changed",
        "",
        &[("content/raporty/r.md", text.as_bytes().to_vec())],
    );
    let loaded = jawnik::load_site(&root, None).unwrap();
    let e = &loaded.entries[0];
    assert_eq!(
        jawnik::content::body::read(&loaded, e).unwrap(),
        "Treść *pierwsza*.\n"
    );
    std::fs::write(
        root.join("content/raporty/r.md"),
        text.replace("pierwsza", "druga"),
    )
    .unwrap();
    let err = jawnik::content::body::read(&loaded, e)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("content/raporty/r.md"), "{err}");
    assert!(
        err.contains("changed while the site was being built"),
        "{err}"
    );
}
