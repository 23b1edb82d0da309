//! Rendering: Markdown to sanitised HTML ([`markdown`]), the minijinja environment and theme
//! ([`templates`]), every HTML page ([`pages`]), the calls calendar and iCalendar feeds
//! ([`calendar`]), the coordinators directory ([`contacts`]), the postulates table and
//! tracker ([`postulates`]), Atom feeds ([`feeds`]) and the sitemap and robots.txt
//! ([`sitemap`]), the accessibility statement ([`accessibility`]).

pub mod accessibility;
pub mod calendar;
pub mod contacts;
pub mod feeds;
pub mod markdown;
pub mod pages;
pub mod postulates;
pub mod sitemap;
pub mod templates;

/// Escape text for XML and HTML (element content and quoted attributes).
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters not allowed in XML 1.0 are dropped.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One file of the output: a path relative to the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}
