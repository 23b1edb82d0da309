//! Rendering: Markdown to sanitised HTML ([`markdown`]) with anchors that never take the
//! theme's ids ([`ids`]), the minijinja environment and theme
//! ([`templates`]), every HTML page ([`pages`]), the calls calendar and iCalendar feeds
//! ([`calendar`]), the coordinators directory ([`contacts`]), the postulates table and
//! tracker ([`postulates`]), Atom feeds ([`feeds`]), the sitemap and robots.txt
//! ([`sitemap`]), the accessibility statement ([`accessibility`]), the open-data files and
//! their page ([`open_data`]), what directory entries say about their freshness
//! ([`freshness`]) and the characters those XML and iCalendar files may hold ([`xml`]).

pub mod accessibility;
pub mod calendar;
pub mod contacts;
pub mod feeds;
pub mod freshness;
pub mod ids;
pub mod markdown;
pub mod open_data;
pub mod pages;
pub mod postulates;
pub mod sitemap;
pub mod templates;
pub mod xml;

pub use xml::escape_xml;

/// Escape text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    xml::escape_markup(s, "&#39;", |_| true)
}

/// The site's feeds and calendars: the Atom feeds, the postulates feed and the iCalendar
/// files (the sitemap, which lists the pages, is made apart).
pub fn feeds_and_calendars(site: &crate::build::Site) -> Vec<OutputFile> {
    let mut files = feeds::all_feeds(site);
    files.extend(calendar::ics_files(site));
    files.extend(postulates::answers_feed(site));
    files
}

/// One file of the output: a path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}
