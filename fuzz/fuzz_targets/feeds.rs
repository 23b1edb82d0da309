//! Fuzz target: any text in the fields that reach the machine-readable outputs — titles,
//! summaries, authors, attachment titles, a call's department and eligibility, postulates
//! and their reasons, the site's title and description, sector names — of the `calls-site`
//! fixture. Every Atom feed, the sitemap and every `.ics` must parse with a real parser
//! (roxmltree, the `icalendar` crate) and no line of a calendar may be split by a Unicode
//! line break into something that is not a property (`tests/integration/common/feeds.rs`).
#![no_main]

use std::sync::OnceLock;

use jawnik::Site;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/integration/common/feeds.rs"]
mod feeds;

fn base() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/calls-site");
        jawnik::load_site(&root, None).expect("the calls-site fixture loads")
    })
}

fuzz_target!(|data: &[u8]| {
    // The input, read as UTF-8 (invalid bytes replaced), is cut at NUL bytes into the values
    // handed out in turn, round and round.
    let text = String::from_utf8_lossy(data);
    let values: Vec<&str> = text.split('\0').collect();
    let mut next = values.iter().cycle().map(|s| s.to_string());
    let mut site = base().clone();
    site.config.title = next.next().unwrap_or_default();
    site.config.description = next.next().unwrap_or_default();
    for t in &mut site.config.sectors {
        t.name = next.next().unwrap_or_default();
    }
    for e in &mut site.entries {
        e.title = next.next().unwrap_or_default();
        e.summary = next.next().unwrap_or_default();
        e.author = next.next();
        for a in &mut e.attachments {
            a.title = next.next().unwrap_or_default();
        }
        if let Some(call) = &mut e.call {
            call.department = next.next().unwrap_or_default();
            call.eligibility = next.next();
        }
        for p in &mut e.postulates {
            p.text = next.next().unwrap_or_default();
            p.reason = next.next();
        }
    }
    let files = feeds::machine_readable(&site);
    let (xml, ics) = feeds::check_parses(&files);
    assert!(xml >= 5 && ics >= 3, "{xml} XML files and {ics} calendars");
});
