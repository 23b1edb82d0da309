//! Markdown to HTML with pulldown-cmark: heading anchors from Polish-transliterated slugs
//! (never a theme id, see [`super::ids`]; raw-HTML ids are removed),
//! tables, the plain text and headings for the search index, and ammonia sanitising of the
//! result (raw HTML in content is untrusted).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::content::model::Heading;

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text (block boundaries as newlines), for search and summaries.
    pub text: String,
    /// Headings in order, with their anchors (the `id` of the heading element).
    pub headings: Vec<Heading>,
}

pub use jawnik_analysis::slugify;

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The prefix a Markdown heading's id carries between rendering and sanitising: the sanitiser
/// keeps (and strips the prefix from) only ids that carry it, so every raw-HTML id is
/// removed. It is random per process and never written out, so content cannot forge it.
fn heading_marker() -> &'static str {
    static MARKER: OnceLock<String> = OnceLock::new();
    MARKER.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let h = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        format!("jawnik-heading-{h:016x}-")
    })
}

fn parser_options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

/// The headings of a body's events, in order, with unique anchors.
fn headings_of(events: &[Event]) -> Vec<Heading> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut headings = Vec::new();
    let mut current: Option<(u8, String)> = None;
    for ev in events {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level_number(*level), String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let anchor = super::ids::anchor(&slugify(&text), &mut used);
                    headings.push(Heading {
                        level,
                        text,
                        anchor,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(t);
                }
            }
            _ => {}
        }
    }
    headings
}

/// The plain text of a body's events (block boundaries as newlines).
fn text_of(events: &[Event]) -> String {
    let mut text = String::new();
    for ev in events {
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => text.push('\n'),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// What the loader and the search index need of a body, without its HTML: its plain text
/// and its headings, exactly as [`render`] gives them (no HTML is made or sanitised, which
/// is most of [`render`]'s work).
pub fn text_and_headings(markdown: &str) -> (String, Vec<Heading>) {
    let events: Vec<Event> = cap_nesting(Parser::new_ext(markdown, parser_options()));
    (text_of(&events), headings_of(&events))
}

/// Render a Markdown body. Root-relative links and images (`/programy/x/`) are rewritten
/// under `base_path` (`/ngo/programy/x/`) so content works when the site lives in a sub-path.
pub fn render(markdown: &str, base_path: &str) -> Rendered {
    let events: Vec<Event> = cap_nesting(Parser::new_ext(markdown, parser_options()));
    let headings = headings_of(&events);
    let text = text_of(&events);
    // Set the headings' ids.
    let mut heading_iter = headings.iter();
    let events = events.into_iter().map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) => {
            let id = heading_iter
                .next()
                .map(|h| format!("{}{}", heading_marker(), h.anchor).into());
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            })
        }
        other => other,
    });
    let mut raw_html = String::new();
    pulldown_cmark::html::push_html(&mut raw_html, events);
    Rendered {
        html: sanitize(&raw_html, base_path),
        text,
        headings,
    }
}

/// Deepest nesting of Markdown blocks (quotes, lists, …) or raw HTML elements kept as markup.
/// Deeper content is kept as text (Markdown containers are flattened, HTML tags past the limit
/// are shown escaped): the HTML sanitiser's cost grows with the square of the depth, and no
/// real document nests a hundred levels deep.
pub const MAX_NESTING: usize = 100;

/// Apply [`MAX_NESTING`] to the parser's events.
fn cap_nesting<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // For each open Markdown container: whether it was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    let mut html_depth = 0usize;
    for ev in events {
        match ev {
            Event::Start(tag) => {
                let keep = kept + html_depth < MAX_NESTING;
                open.push(keep);
                if keep {
                    kept += 1;
                    out.push(Event::Start(tag));
                }
            }
            Event::End(tag) => {
                if open.pop().unwrap_or(false) {
                    kept -= 1;
                    out.push(Event::End(tag));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let limit = MAX_NESTING.saturating_sub(kept);
                let (cut, depth) = html_nesting_cut(&html, html_depth, limit);
                html_depth = depth;
                match cut {
                    None => out.push(Event::Html(html)),
                    Some(at) => {
                        let (markup, rest) = html.split_at(at);
                        out.push(Event::Html(markup.to_string().into()));
                        out.push(Event::Text(rest.to_string().into()));
                    }
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Tracks element depth through a piece of raw HTML, starting at `depth`: returns the byte
/// offset of the first tag that would open past `limit` (if any) and the depth at the end.
fn html_nesting_cut(html: &str, mut depth: usize, limit: usize) -> (Option<usize>, usize) {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        let rest = &html[at + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let end = html[at..].find('>').map(|e| at + e);
        i = at + 1;
        if name.is_empty() {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) && end.is_none_or(|e| bytes[e - 1] != b'/') {
            if depth >= limit {
                return (Some(at), depth);
            }
            depth += 1;
        }
    }
    (None, depth)
}

/// Rewrites relative URLs the way a browser will read them. Root-relative URLs (`/x/`) are
/// put under the base path. A URL that would lead to another host although it has no scheme
/// (`//host/x`, `/\host/x`, `\\host`, the same with tabs or newlines inside, which WHATWG
/// URL parsing removes, or spaces before it) is dropped, like a `javascript:` one. One with a
/// `\`, tab, newline or surrounding space that stays on the site is written in its normal
/// form (`\` becomes `/`). Other relative URLs pass through as written. (Markdown link
/// destinations reach here percent-encoded by pulldown-cmark: `\` is already `%5C`.)
struct Rebase(String);

/// A page URL to resolve relative URLs against: only whether the host changes matters.
const PROBE: &str = "https://jawnik.invalid/a/b/";

impl<'a> ammonia::UrlRelativeEvaluate<'a> for Rebase {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        // WHATWG URL parsing strips leading and trailing C0 controls and spaces and removes
        // tabs and newlines anywhere; in http(s) URLs it reads `\` as `/`.
        let cleaned: String = url
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        let probe = url::Url::parse(PROBE).expect("a valid probe URL");
        let resolved = probe.join(&cleaned).ok()?;
        if resolved.scheme() != probe.scheme() || resolved.host() != probe.host() {
            return None;
        }
        let normal = cleaned == url && !cleaned.contains('\\');
        let root_relative = cleaned.starts_with(['/', '\\']);
        match (root_relative, normal) {
            (true, true) => Some(Cow::Owned(format!("{}{}", self.0, &url[1..]))),
            (true, false) => Some(Cow::Owned(format!(
                "{}{}",
                self.0,
                &resolved[url::Position::BeforePath..][1..]
            ))),
            (false, true) => Some(Cow::Borrowed(url)),
            (false, false) => Some(Cow::Owned(cleaned.replace('\\', "/"))),
        }
    }
}

/// Sanitise HTML with ammonia: no scripts, styles, event handlers or `javascript:` URLs;
/// heading ids and table markup are kept; root-relative URLs are put under `base_path`.
pub fn sanitize(html: &str, base_path: &str) -> String {
    let mut b = ammonia::Builder::default();
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(Rebase(
        base_path.to_string(),
    ))));
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(tag, &["id"]);
    }
    // Only the ids given to Markdown headings stay (see `heading_marker`).
    let marker = heading_marker();
    b.attribute_filter(move |_element, attribute, value| match attribute {
        "id" => value.strip_prefix(marker).map(Cow::Borrowed),
        _ => Some(Cow::Borrowed(value)),
    });
    b.add_tag_attributes("th", &["align"]);
    b.add_tag_attributes("td", &["align"]);
    b.id_prefix(None);
    b.link_rel(Some("noopener noreferrer"));
    b.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_root(md: &str) -> Rendered {
        render(md, "/")
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let r = render(
            "[a](/programy/x/) [b](https://e.org/) [c](#d) <img src=\"/a.png\">",
            "/ngo/",
        );
        assert!(r.html.contains("src=\"/ngo/a.png\""));
        assert!(r.html.contains("href=\"#d\""));
        assert!(r.html.contains("href=\"/ngo/programy/x/\""));
        assert!(r.html.contains("href=\"https://e.org/\""));
    }

    #[test]
    fn relative_urls_that_lead_to_another_host_are_dropped() {
        let r = render(
            "<a href=\"/\\evil.example/x\">a</a> <img src=\"/\\evil.example/i.png\"> \
             <a href=\"\\\\evil.example\">b</a> <a href=\"//evil.example/\">c</a> \
             <a href=\"/&#9;/evil.example/\">d</a> <a href=\" //evil.example/\">e</a> \
             <a href=\"\\/evil.example/\">f</a> [g](/\\evil.example/) \
             <a href=\"/programy\\x/\">h</a> <a href=\"x\\y\">i</a> <a href=\"https://e.org/\">j</a>",
            "/",
        );
        assert!(
            !r.html.contains("/evil") && !r.html.contains("\\evil"),
            "{}",
            r.html
        );
        assert_eq!(
            r.html.matches("<a rel=\"noopener noreferrer\">").count(),
            6,
            "{}",
            r.html
        );
        assert!(r.html.contains("<img>"), "{}", r.html);
        assert!(
            r.html.contains("href=\"/%5Cevil.example/\""),
            "a path on the site: {}",
            r.html
        );
        assert!(r.html.contains("href=\"/programy/x/\""), "{}", r.html);
        assert!(r.html.contains("href=\"x/y\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://e.org/\""), "{}", r.html);
        // Under a sub-path too: what the content wrote leads to another host.
        let r = render("<a href=\"/\\evil.example/\">a</a> [b](/x/)", "/ngo/");
        assert!(
            r.html.contains("<a rel=\"noopener noreferrer\">a</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/ngo/x/\""), "{}", r.html);
    }

    #[test]
    fn polish_slugs() {
        assert_eq!(slugify("Zażółć gęślą jaźń!"), "zazolc-gesla-jazn");
        assert_eq!(slugify("  Cele  2019–2022 "), "cele-2019-2022");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_root("## Cele\n\ntext\n\n## Cele\n\n### Łódź");
        let ids: Vec<_> = r.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(ids, ["cele", "cele-2", "lodz"]);
        assert!(r.html.contains("<h2 id=\"cele\">"));
        assert!(r.html.contains("<h3 id=\"lodz\">"));
    }

    #[test]
    fn scripts_and_javascript_links_are_removed() {
        let r = render_root(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("javascript:"));
        assert!(!r.html.contains("onerror"));
    }

    #[test]
    fn deep_nesting_is_capped() {
        let deep = format!("{} deep\n", ">".repeat(10_000));
        let r = render_root(&deep);
        assert_eq!(r.html.matches("<blockquote>").count(), MAX_NESTING);
        assert!(r.text.contains("deep"));
        let html = format!("{}x{}\n", "<div>".repeat(10_000), "</div>".repeat(10_000));
        let r = render_root(&html);
        // The HTML block itself is the first level.
        assert_eq!(r.html.matches("<div>").count(), MAX_NESTING - 1);
        assert!(r.html.contains("&lt;div&gt;"), "the rest is shown as text");
        let shallow = render_root("<div><p>a</p><br><img src=\"/a.png\"/></div>\n\n> b");
        assert!(shallow.html.contains("<div><p>a</p><br><img"));
        assert!(shallow.html.contains("<blockquote>"));
    }

    #[test]
    fn tables_render() {
        let r = render_root("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(r.html.contains("<table>"));
        assert!(r.text.contains('1'));
    }
}
