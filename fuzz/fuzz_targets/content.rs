//! Fuzz target: one content file's bytes through the loader — UTF-8 check, `+++` front matter
//! split, TOML + serde with spans, per-field validation, Markdown rendering and ammonia
//! sanitising — as a page of each kind, a section `_index.md`, the root `_index.md` or
//! `jawnik.toml`. The first byte picks which. Never a panic; every diagnostic names the file
//! and a line inside it; the HTML never carries a script element or a `javascript:` URL, an
//! id other than a heading's anchor or one the theme uses, or a relative URL that a browser
//! would resolve to another host; an attachment is never hidden or a Markdown file; an
//! accepted e-mail's `mailto:` fills no other field; an accepted `base_url` keeps its links on
//! its host.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use jawnik::config::Config;
use jawnik::content::diagnostics::Diagnostic;
use jawnik::content::load::{load_entry, load_index, Loader};
use jawnik::content::model::Kind;
use jawnik::render::ids::is_theme_id;
use libfuzzer_sys::fuzz_target;

/// The `site-ok` fixture's configuration and the content loader over it (the one `build`
/// uses: the context the fuzzed page is read with comes from it, never made by hand).
struct Fixture {
    loader: Loader<'static>,
    content_canonical: PathBuf,
}

fn fixture() -> &'static Fixture {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/site-ok");
        let config = CONFIG.get_or_init(|| {
            let text = std::fs::read_to_string(root.join("jawnik.toml")).expect("fixture config");
            Config::parse(&text, None).expect("fixture config parses")
        });
        let content_canonical = root
            .join("content")
            .canonicalize()
            .expect("fixture content/");
        Fixture {
            // As `jawnik serve` loads (keeping the body text): the most the loader does.
            loader: Loader::new(&root, config).keeping_text(),
            content_canonical,
        }
    })
}

fn lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

fn check_diagnostics(ds: &[Diagnostic], file: &str, bytes: &[u8]) {
    assert!(!ds.is_empty(), "an error without a diagnostic");
    let max = lines(bytes);
    for d in ds {
        assert!(
            d.file.starts_with("content/") || d.file == "jawnik.toml",
            "{d}"
        );
        assert!(d.file == file || d.file.starts_with("content/"), "{d}");
        if let Some(l) = d.line {
            assert!(l >= 1 && l <= max, "line {l} of a {max}-line file: {d}");
        }
        assert!(!d.message.is_empty());
    }
}

/// The attributes a browser follows or loads as a URL.
const URL_ATTRIBUTES: [&str; 11] = [
    "href",
    "src",
    "cite",
    "action",
    "formaction",
    "poster",
    "background",
    "srcset",
    "data",
    "longdesc",
    "usemap",
];

/// Sanitised HTML: text `<` is escaped, so every `<` opens a real tag. No tag may be a script,
/// iframe, object or style, carry an `on…` handler, or hold a `javascript:` URL.
fn check_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        let name = name.trim_start_matches('/');
        assert!(
            !matches!(
                name,
                "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math"
            ),
            "<{name}> survived: {html}"
        );
        // The serialiser writes every attribute as name="value" (a `"` inside is &quot;).
        let mut rest = &tag[tag
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(tag.len())..];
        loop {
            rest = rest.trim_start();
            if rest.is_empty() || rest == "/" {
                break;
            }
            let end = rest.find(['=', ' ']).unwrap_or(rest.len());
            let attr = &rest[..end];
            assert!(!attr.starts_with("on"), "handler {attr} survived: {html}");
            rest = &rest[end..];
            if let Some(v) = rest.strip_prefix("=\"") {
                let close = v.find('"').expect("a closed attribute value");
                let value = &v[..close];
                // A URL attribute's (`title="javascript:…"` is text, shown as a tooltip).
                assert!(
                    !(URL_ATTRIBUTES.contains(&attr)
                        && value.trim_start().starts_with("javascript:")),
                    "{attr}={value} survived: {html}"
                );
                if attr == "id" {
                    assert!(
                        name.len() == 2 && name.starts_with('h'),
                        "an id on <{name}>: {html}"
                    );
                    assert!(
                        !is_theme_id(value),
                        "content took the theme's id {value}: {html}"
                    );
                }
                if matches!(attr, "href" | "src" | "cite") {
                    check_stays_on_site(value, html);
                }
                rest = &v[close + 1..];
            }
        }
    }
}

/// A URL attribute as the browser reads it (after HTML entity decoding of `&amp;`, the only
/// one the serialiser writes in attribute values besides `&quot;`): a relative one must not
/// lead to another host.
fn check_stays_on_site(value: &str, html: &str) {
    let value = value.replace("&quot;", "\"").replace("&amp;", "&");
    let probe = url::Url::parse("https://jawnik.invalid/a/b/").unwrap();
    if url::Url::parse(&value).is_err() {
        if let Ok(resolved) = probe.join(&value) {
            assert_eq!(
                resolved.host_str(),
                Some("jawnik.invalid"),
                "relative URL {value:?} leads to another host: {html}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let f = fixture();
    let ctx = f.loader.context();
    // 0–3 and 7…: a page of a kind; 4: a section `_index.md`; 5: the root one; 6: jawnik.toml.
    let extra = Kind::ALL.len() - 4;
    let pick = pick as usize % (7 + extra);
    let page_kind = match pick {
        0..=3 => Some(Kind::ALL[pick]),
        7.. => Some(Kind::ALL[4 + pick - 7]),
        _ => None,
    };
    match pick {
        _ if page_kind.is_some() => {
            let kind = page_kind.unwrap();
            let rel = format!("{}/fuzzed-page.md", kind.section());
            match load_entry(&ctx, kind, &rel, bytes) {
                Ok(e) => {
                    // The page's body is read back from its file when rendered.
                    let body = std::str::from_utf8(&bytes[e.body.start..])
                        .expect("a loaded page is UTF-8");
                    check_html(
                        &jawnik::render::markdown::render(body, &f.loader.config.base_path()).html,
                    );
                    assert!(!e.title.is_empty());
                    for a in &e.attachments {
                        if let Some(file) = &a.file {
                            assert!(!file.contains(".."), "{file}");
                            assert!(
                                !file.split('/').any(|p| p.starts_with('.'))
                                    && !file.to_ascii_lowercase().ends_with(".md"),
                                "{file}"
                            );
                            assert!(a.source.as_ref().unwrap().starts_with(&f.content_canonical));
                        }
                        if let Some(url) = &a.url {
                            assert!(url.starts_with("http://") || url.starts_with("https://"));
                        }
                    }
                    let email = e
                        .ngo
                        .as_ref()
                        .and_then(|n| n.email.as_ref())
                        .or(e.contact.as_ref().and_then(|c| c.email.as_ref()));
                    if let Some(m) = email {
                        let link = jawnik::content::address::mailto(m);
                        assert!(!link.contains(['?', '&', '#', '"', '<']), "{link}");
                    }
                    for r in &e.related {
                        assert!(
                            !r.starts_with('/') && !r.split('/').any(|p| p == ".."),
                            "{r}"
                        );
                    }
                }
                Err(ds) => check_diagnostics(&ds, &format!("content/{rel}"), bytes),
            }
        }
        4 | 5 => {
            let kind = (pick == 4).then_some(Kind::Raport);
            let rel = if kind.is_some() {
                "raporty/_index.md"
            } else {
                "_index.md"
            };
            match load_index(kind, rel, bytes, "/ngo/") {
                Ok((_, _, html)) => check_html(&html),
                Err(ds) => check_diagnostics(&ds, &format!("content/{rel}"), bytes),
            }
        }
        _ => {
            let Ok(text) = std::str::from_utf8(bytes) else {
                return;
            };
            match Config::parse(text, None) {
                Err(ds) => check_diagnostics(&ds, "jawnik.toml", bytes),
                Ok(c) => {
                    let base = c.base_path();
                    assert!(
                        !base.starts_with("//") && !c.base_url.contains('\\'),
                        "{}",
                        c.base_url
                    );
                    let search = url::Url::parse(&c.base_url)
                        .and_then(|u| u.join(&c.url("js/search.js")))
                        .expect("an accepted base_url parses");
                    let host = url::Url::parse(&c.base_url).unwrap();
                    assert_eq!(search.host(), host.host(), "{}", c.base_url);
                }
            }
        }
    }
});
