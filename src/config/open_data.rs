//! The `[open_data]` table of `jawnik.toml`: the licence under which the site's open-data
//! files (`dane/`, written by [`crate::render::open_data`]) are published, read and checked
//! into [`OpenData`].
//!
//! ```toml
//! [open_data]
//! licence = "CC BY 4.0"
//! licence_url = "https://creativecommons.org/licenses/by/4.0/deed.pl"
//! ```
//!
//! The files are written by every build, with or without the table. A value of the wrong form
//! is an error with its line; a table without `licence` is a warning of `build` and `check` at
//! the table's line (the `dane/` page then says that no licence is stated), as for the
//! accessibility statement: the publisher decides the licence, jawnik does not pick one.

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::content::address::is_http_url;
use crate::content::diagnostics::{line_of, Diagnostic};

/// The table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpenData {
    licence: Option<Spanned<String>>,
    licence_url: Option<Spanned<String>>,
}

/// The checked table; all `None` when `jawnik.toml` has none.
#[derive(Debug, Clone, Default)]
pub struct OpenData {
    /// The licence's name as the publisher writes it (`CC BY 4.0`, `CC0 1.0`).
    pub licence: Option<String>,
    /// Where the licence's text is.
    pub licence_url: Option<String>,
    /// A warning when the table leaves `licence` out.
    pub missing: Vec<Diagnostic>,
}

impl RawOpenData {
    /// Check the table of `text` (the whole `jawnik.toml`).
    pub fn check(self, text: &str) -> Result<OpenData, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut error = |field: &str, at: &Spanned<String>, message: String| {
            errors.push(
                Diagnostic::new(CONFIG_FILE, message)
                    .at_line(line_of(text, at.span().start))
                    .field(format!("open_data.{field}")),
            );
        };
        let mut out = OpenData::default();
        if let Some(l) = &self.licence {
            let name = l.get_ref().trim();
            if name.is_empty() {
                error(
                    "licence",
                    l,
                    "must not be empty (leave the key out instead)".into(),
                );
            } else {
                out.licence = Some(name.to_string());
            }
        }
        if let Some(u) = &self.licence_url {
            let url = u.get_ref().trim();
            if is_http_url(url) {
                out.licence_url = Some(url.to_string());
            } else {
                error(
                    "licence_url",
                    u,
                    format!("must be an http:// or https:// address, got {url:?}"),
                );
            }
        }
        if self.licence.is_none() {
            out.missing.push(super::missing_key(
                text,
                "open_data",
                "licence",
                "the licence of the open-data files in dane/; the page /dane/ says that no licence is stated",
            ));
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// The commented `[open_data]` table `jawnik init` appends to `jawnik.toml`.
pub const INIT_TABLE: &str = r#"
# Otwarte dane (katalog /dane/: dokumenty w JSON i CSV, organizacje, postulaty, konkursy w CSV).
# Licencję wybiera wydawca strony: usuń „# ” przed wierszami i wpisz ją. Tabela bez `licence`:
# `jawnik check` o tym przypomina, a strona /dane/ mówi, że licencji nie określono.
#
# [open_data]
# licence = "CC BY 4.0"
# licence_url = "https://creativecommons.org/licenses/by/4.0/deed.pl"
"#;

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn parse(table: &str) -> Result<Config, Vec<crate::content::diagnostics::Diagnostic>> {
        Config::parse(
            &format!("title = \"t\"\nbase_url = \"https://example.org/\"\n\n{table}"),
            None,
        )
    }

    #[test]
    fn licence_is_read_and_its_absence_is_a_warning_at_the_table() {
        let c = parse("[open_data]\nlicence = \"CC0 1.0\"\n").unwrap();
        assert_eq!(c.open_data.licence.as_deref(), Some("CC0 1.0"));
        assert!(c.open_data.missing.is_empty());
        let c = parse("[open_data]\n").unwrap();
        assert_eq!(c.open_data.missing.len(), 1);
        assert_eq!(c.open_data.missing[0].line, Some(4));
        // Without the table: no licence, no warning.
        let c = parse("").unwrap();
        assert!(c.open_data.licence.is_none() && c.open_data.missing.is_empty());
    }

    #[test]
    fn bad_values_are_errors_with_their_lines() {
        let errors =
            parse("[open_data]\nlicence = \" \"\nlicence_url = \"javascript:x\"\n").unwrap_err();
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "jawnik.toml:5: field `open_data.licence`: must not be empty (leave the key out instead)",
                "jawnik.toml:6: field `open_data.licence_url`: must be an http:// or https:// address, got \"javascript:x\"",
            ]
        );
    }
}
