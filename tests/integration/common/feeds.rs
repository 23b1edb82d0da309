//! Every machine-readable output of a site (Atom feeds, the postulates feed, the sitemap and
//! the iCalendar files), rendered without the HTML pages, and the check that each one parses
//! with a real parser: roxmltree for XML, the `icalendar` crate for `.ics`, plus a reader that
//! splits lines on every Unicode line break and must find only properties. Shared by
//! `tests/integration/hostile.rs` and the `feeds` fuzz target (included there with `#[path]`).

use jawnik::output::OutputFile;
use jawnik::render::{site::feeds_and_calendars, sitemap};
use jawnik::Site;

/// The built-in theme's Polish locale, loaded once (the feeds' labels and dates).
fn locale() -> &'static jawnik::render::locale::Locale {
    static THEME: std::sync::OnceLock<jawnik::render::templates::Theme> =
        std::sync::OnceLock::new();
    &THEME
        .get_or_init(|| {
            jawnik::render::templates::Theme::load(std::path::Path::new("/nonexistent"), "default")
                .expect("the built-in theme")
        })
        .locale
}

/// The feeds, the sitemap and the calendars of `site`.
pub fn machine_readable(site: &Site) -> Vec<OutputFile> {
    let mut files = feeds_and_calendars(site, locale()).expect("the versions' bodies");
    let pages: Vec<String> = site
        .entries
        .iter()
        .map(|e| format!("{}index.html", e.url_path))
        .chain(["index.html".to_string()])
        .collect();
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        contents: sitemap::sitemap(site, pages.iter().map(String::as_str)).into_bytes(),
    });
    files
}

/// Line breaks some readers split on (Python's `str.splitlines`, JavaScript's `\u2028`).
const LINE_BREAKS: [char; 10] = [
    '\n', '\r', '\u{b}', '\u{c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// Panics, naming the file, if one of `files` does not parse. Returns the number of
/// XML files and of calendars checked.
pub fn check_parses(files: &[OutputFile]) -> (usize, usize) {
    let (mut xml, mut ics) = (0, 0);
    for f in files {
        let text = std::str::from_utf8(&f.contents)
            .unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", f.path));
        if f.path.ends_with(".xml") {
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{}: not well-formed XML: {e}\n{text}", f.path);
            }
            xml += 1;
        } else if f.path.ends_with(".ics") {
            if let Err(e) = text.parse::<icalendar::Calendar>() {
                panic!("{}: the iCalendar parser refuses it: {e}\n{text}", f.path);
            }
            for line in text.split(LINE_BREAKS).filter(|l| !l.is_empty()) {
                let name_end = line.find([':', ';']).unwrap_or(0);
                assert!(
                    line.starts_with(' ')
                        || (name_end > 0
                            && line[..name_end]
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c == '-')),
                    "{}: a line that is neither a property nor a folded continuation: {line:?}",
                    f.path
                );
            }
            ics += 1;
        }
    }
    (xml, ics)
}
