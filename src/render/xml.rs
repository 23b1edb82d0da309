//! Text for the machine-readable outputs: the one place that decides which characters may
//! appear in XML (Atom feeds, the sitemap) and iCalendar files, and escapes them. Every XML
//! writer uses [`escape_xml`] and the iCalendar writer [`escape_ics`], so one character in a
//! title can never make a feed unreadable.
//!
//! Dropped everywhere ([`is_allowed`]): what XML 1.0 forbids (C0 controls other than tab, line
//! feed and carriage return; U+FFFE and U+FFFF; surrogates cannot occur in a Rust string), the
//! controls it discourages (DEL and C1, U+007F–U+009F) and every Unicode noncharacter
//! (U+FDD0–U+FDEF and the last two code points of each plane). iCalendar TEXT also escapes
//! `\`, `;` and `,`, turns line breaks into `\n`, and writes U+2028 LINE SEPARATOR and U+2029
//! PARAGRAPH SEPARATOR as `\n` too (a reader that splits lines on them would otherwise see a
//! new property in the middle of a value).

/// Whether `c` may be written into an XML or iCalendar output.
pub fn is_allowed(c: char) -> bool {
    let n = c as u32;
    match n {
        0x09 | 0x0A | 0x0D => true,
        0x00..=0x1F | 0x7F..=0x9F => false,
        0xFDD0..=0xFDEF => false,
        _ => n & 0xFFFE != 0xFFFE,
    }
}

/// `s` without the characters [`is_allowed`] refuses.
pub fn clean(s: &str) -> String {
    s.chars().filter(|&c| is_allowed(c)).collect()
}

/// Escape text for XML element content and quoted attributes (also valid HTML).
pub fn escape_xml(s: &str) -> String {
    escape_markup(s, "&apos;", is_allowed)
}

/// Escape text for HTML element content and quoted attributes (every character kept: HTML
/// may hold what XML may not).
pub fn escape_html(s: &str) -> String {
    escape_markup(s, "&#39;", |_| true)
}

/// Escape `&`, `<`, `>`, `"` and `'` (as `apos`), keeping only the characters `keep` allows.
pub(crate) fn escape_markup(s: &str, apos: &str, keep: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str(apos),
            c if keep(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Escape an iCalendar TEXT value (RFC 5545 §3.3.11): `\`, `;`, `,` escaped, every line
/// break (LF, CRLF, NEL, U+2028, U+2029) written as `\n`, other controls dropped.
pub fn escape_ics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            // CRLF: the LF writes the break.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if is_allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_and_noncharacters_are_dropped() {
        let s = "a\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}\u{85}\u{9f}\u{fdd0}\u{fdef}\u{fffe}\u{ffff}\u{1fffe}\u{10ffff}b";
        assert_eq!(escape_xml(s), "ab");
        assert_eq!(clean(s), "ab");
        assert_eq!(
            escape_xml("\t\n\r<&>\"'ż\u{fffd}\u{10000}"),
            "\t\n\r&lt;&amp;&gt;&quot;&apos;ż\u{fffd}\u{10000}"
        );
    }

    #[test]
    fn ics_line_breaks_are_escaped() {
        assert_eq!(escape_ics("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(
            escape_ics("x\u{2028}DTSTART:1\u{2029}y\r\nz\rw\u{85}v"),
            "x\\nDTSTART:1\\ny\\nz\\nw\\nv"
        );
        assert_eq!(escape_ics("a\u{ffff}\u{0}\u{fdd0}b"), "ab");
    }
}
