//! Splitting a content file into its TOML front matter (between `+++` lines) and Markdown
//! body, and deserialising the front matter with toml + serde while mapping toml's byte
//! spans to lines of the whole file (the front matter starts at line 2).

use serde::de::DeserializeOwned;
use std::ops::Range;

use super::diagnostics::{line_of, Diagnostic};

/// A content file cut into front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The TOML text between the `+++` lines.
    pub front_matter: &'a str,
    /// The Markdown after the closing `+++` line.
    pub body: &'a str,
}

/// The 1-based line in the file where the front matter's first line is.
pub const FRONT_MATTER_FIRST_LINE: usize = 2;

/// Cut `text` at its `+++` fences. The error is (line, message).
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Err((
            1,
            "the file must start with a `+++` line opening the TOML front matter".into(),
        ));
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &text[start..pos],
                body: &text[pos + line.len()..],
            });
        }
        pos += line.len();
    }
    Err((
        1,
        "the front matter opened by `+++` on line 1 is never closed by another `+++` line".into(),
    ))
}

/// Line in the whole file of a byte offset inside the front matter.
pub fn file_line(front_matter: &str, offset: usize) -> usize {
    FRONT_MATTER_FIRST_LINE + line_of(front_matter, offset) - 1
}

/// Line in the whole file of the start of a span inside the front matter.
pub fn span_line(front_matter: &str, span: &Range<usize>) -> usize {
    file_line(front_matter, span.start)
}

/// Deserialise the front matter; a failure becomes a diagnostic with line and field.
pub fn parse<T: DeserializeOwned>(file: &str, front_matter: &str) -> Result<T, Diagnostic> {
    toml::from_str::<T>(front_matter).map_err(|e| {
        let line = e.span().map(|s| span_line(front_matter, &s));
        let raw = e.message().trim().to_string();
        let (field, message) = if let Some(rest) = raw.strip_prefix("unknown field `") {
            let name = rest.split('`').next().unwrap_or("").to_string();
            let allowed = rest
                .split_once("expected ")
                .map(|(_, a)| a.trim_end_matches('.').to_string());
            let msg = match allowed {
                Some(a) => format!("unknown key (typo?); expected {a}"),
                None => "unknown key (typo?)".to_string(),
            };
            (Some(name), msg)
        } else {
            let field = e.span().and_then(|s| key_on_line(front_matter, s.start));
            (field, raw)
        };
        let mut d = Diagnostic::new(file, message).with_line(line);
        if let Some(f) = field {
            d = d.field(f);
        }
        d
    })
}

/// The `key` of a `key = value` line containing `offset`, if any.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let end = text[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(text.len());
    let line = &text[start..end];
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    valid.then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let s = split("+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title = \"a\"\n");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn unclosed_is_an_error() {
        assert!(split("+++\ntitle = 1\n").is_err());
        assert!(split("title = 1\n").is_err());
    }

    #[test]
    fn lines_are_file_lines() {
        assert_eq!(file_line("a = 1\nb = 2\n", 6), 3);
    }
}
