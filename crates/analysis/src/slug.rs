//! URL and anchor slugs: the one transliteration the site's page anchors and the browser's
//! result links both use (a record stores a heading's anchor only when it is not the slug of
//! its text).

use crate::prelude::*;

/// Transliterate Polish (and other Latin) letters to ASCII and make a URL/anchor slug:
/// lowercase `a-z0-9` words joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        let mapped: &str = match c {
            'ą' | 'Ą' => "a",
            'ć' | 'Ć' => "c",
            'ę' | 'Ę' => "e",
            'ł' | 'Ł' => "l",
            'ń' | 'Ń' => "n",
            'ó' | 'Ó' => "o",
            'ś' | 'Ś' => "s",
            'ź' | 'Ź' | 'ż' | 'Ż' => "z",
            'ä' | 'Ä' | 'á' | 'Á' | 'à' | 'â' => "a",
            'é' | 'É' | 'è' | 'ê' | 'ë' | 'ě' => "e",
            'í' | 'Í' | 'î' | 'ï' => "i",
            'ö' | 'Ö' | 'ô' | 'ő' => "o",
            'ü' | 'Ü' | 'ú' | 'Ú' | 'ů' | 'ű' => "u",
            'č' | 'Č' => "c",
            'š' | 'Š' => "s",
            'ž' | 'Ž' => "z",
            'ř' | 'Ř' => "r",
            'ý' | 'Ý' => "y",
            'ß' => "ss",
            _ => "",
        };
        if !mapped.is_empty() {
            out.push_str(mapped);
            dash = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A heading's anchor: the slug of its text (`sekcja` when the text has none), numbered
/// `-2`, `-3` … past the anchors already in `used`, to which it is added. The comparison
/// pages' rule; the document pages add the theme's reserved ids (`src/render/ids.rs`) through
/// [`number_past`], the one numbering loop.
pub fn unique_anchor(text: &str, used: &mut alloc::collections::BTreeSet<String>) -> String {
    let base = match slugify(text) {
        s if s.is_empty() => "sekcja".to_string(),
        s => s,
    };
    number_past(base, used, |_| false)
}

/// `base`, or `base-2`, `base-3` … the first that is neither in `used` nor `taken`; it is
/// added to `used`.
pub fn number_past(
    base: String,
    used: &mut alloc::collections::BTreeSet<String>,
    taken: impl Fn(&str) -> bool,
) -> String {
    let mut anchor = base.clone();
    let mut n = 2;
    while taken(&anchor) || used.contains(&anchor) {
        anchor = format!("{base}-{n}");
        n += 1;
    }
    used.insert(anchor.clone());
    anchor
}
