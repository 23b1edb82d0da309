//! The `[organisations]` table of `jawnik.toml`: how the NGO directory and the coordinators
//! say how fresh their entries are, read and checked into [`Directory`].
//!
//! ```toml
//! [organisations]
//! stale_after_months = 12          # an entry confirmed longer ago "may be out of date"
//! report_change = "mailto:baza@example.org"
//! # or an edit-URL pattern of the repository holding the site, `{path}` = the entry's file:
//! # report_change = "https://github.com/owner/repo/edit/main/{path}"
//! ```
//!
//! `stale_after_months` defaults to 12 with or without the table. `report_change` gives every
//! organisation and coordinator page its "Zgłoś zmianę" link: a `mailto:` address (the
//! subject names the page) or an `http(s)://` pattern holding `{path}`, replaced by the entry's
//! source file relative to the site root (`content/organizacje/x.md`). With the table present,
//! a missing `report_change` is a warning at the table's line and `check` also lists the
//! entries nobody has confirmed (no `verified`); what is stale is listed in any case
//! ([`crate::content::freshness`]).

use serde::Deserialize;
use toml::Spanned;

use super::CONFIG_FILE;
use crate::content::address::is_http_url;
use crate::content::diagnostics::{line_of, Diagnostic};

/// The default of `stale_after_months`.
pub const DEFAULT_STALE_AFTER_MONTHS: u32 = 12;

/// The table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDirectory {
    stale_after_months: Option<Spanned<i64>>,
    report_change: Option<Spanned<String>>,
}

/// Where "Zgłoś zmianę" leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportChange {
    /// An e-mail address (checked as the content's `email` fields are).
    Mailto(String),
    /// An `http(s)://` URL pattern holding `{path}`.
    EditUrl(String),
}

/// The checked table (defaults when `jawnik.toml` has none).
#[derive(Debug, Clone)]
pub struct Directory {
    /// Entries confirmed longer ago than this many months may be out of date.
    pub stale_after_months: u32,
    pub report_change: Option<ReportChange>,
    /// The site has the table: `check` then lists unconfirmed entries too.
    pub declared: bool,
    /// A warning when the table leaves `report_change` out.
    pub missing: Vec<Diagnostic>,
}

impl Default for Directory {
    fn default() -> Self {
        Directory {
            stale_after_months: DEFAULT_STALE_AFTER_MONTHS,
            report_change: None,
            declared: false,
            missing: Vec::new(),
        }
    }
}

/// The placeholder of an edit-URL pattern.
pub const PATH_PLACEHOLDER: &str = "{path}";

impl RawDirectory {
    /// Check the table of `text` (the whole `jawnik.toml`).
    pub fn check(self, text: &str) -> Result<Directory, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let error = |field: &str, start: usize, message: String| {
            Diagnostic::new(CONFIG_FILE, message)
                .at_line(line_of(text, start))
                .field(format!("organisations.{field}"))
        };
        let mut out = Directory {
            declared: true,
            ..Directory::default()
        };
        if let Some(m) = &self.stale_after_months {
            match u32::try_from(*m.get_ref()) {
                Ok(n) if (1..=600).contains(&n) => out.stale_after_months = n,
                _ => errors.push(error(
                    "stale_after_months",
                    m.span().start,
                    format!(
                        "must be a number of months from 1 to 600, got {}",
                        m.get_ref()
                    ),
                )),
            }
        }
        match &self.report_change {
            Some(r) => match parse_report_change(r.get_ref().trim()) {
                Ok(rc) => out.report_change = Some(rc),
                Err(why) => errors.push(error("report_change", r.span().start, why)),
            },
            None => out.missing.push(super::missing_key(
                text,
                "organisations",
                "report_change",
                "where \"Zgłoś zmianę\" leads (`mailto:address` or an edit-URL pattern with {path}); organisation and coordinator pages have no such link",
            )),
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

fn parse_report_change(v: &str) -> Result<ReportChange, String> {
    if let Some(address) = v.strip_prefix("mailto:") {
        return crate::content::address::check_email(address)
            .map(|()| ReportChange::Mailto(address.to_string()))
            .map_err(|why| format!("is not a mailto: address: {why}, got {v:?}"));
    }
    if !v.contains(PATH_PLACEHOLDER) {
        return Err(format!(
            "must be `mailto:address` or an http(s):// URL pattern holding {PATH_PLACEHOLDER}, got {v:?}"
        ));
    }
    // The URL with a sample path must be an http(s) address naming a host.
    let sample = v.replace(PATH_PLACEHOLDER, "content/organizacje/x.md");
    let names_host =
        url::Url::parse(&sample).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
    if is_http_url(&sample) && names_host {
        Ok(ReportChange::EditUrl(v.to_string()))
    } else {
        Err(format!(
            "must be an http:// or https:// URL pattern naming a host, got {v:?}"
        ))
    }
}

/// The commented `[organisations]` table `jawnik init` appends to `jawnik.toml`.
pub const INIT_TABLE: &str = r#"
# Aktualność katalogu organizacji i koordynatorów. Wpis z `verified = RRRR-MM-DD` (data, kiedy
# ktoś ostatnio potwierdził dane) starszy niż `stale_after_months` miesięcy dostaje na stronie
# uwagę „dane mogą być nieaktualne”, a `jawnik check` go wymienia; z tą tabelą także wpisy bez
# `verified`. `report_change`: dokąd prowadzi odnośnik „Zgłoś zmianę” na stronie każdego wpisu.
#
# [organisations]
# stale_after_months = 12
# report_change = "mailto:baza@example.org"
# report_change = "https://github.com/wlasciciel/repozytorium/edit/main/{path}"
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(table: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(
            &format!("title = \"t\"\nbase_url = \"https://example.org/\"\n\n{table}"),
            None,
        )
    }

    #[test]
    fn defaults_and_both_kinds_of_link() {
        let c = parse("").unwrap();
        assert_eq!(c.directory.stale_after_months, 12);
        assert!(!c.directory.declared && c.directory.missing.is_empty());
        let c = parse("[organisations]\nstale_after_months = 6\nreport_change = \"mailto:baza@example.org\"\n").unwrap();
        assert_eq!(c.directory.stale_after_months, 6);
        assert_eq!(
            c.directory.report_change,
            Some(ReportChange::Mailto("baza@example.org".into()))
        );
        let c = parse(
            "[organisations]\nreport_change = \"https://git.example.org/site/edit/main/{path}\"\n",
        )
        .unwrap();
        assert!(matches!(
            c.directory.report_change,
            Some(ReportChange::EditUrl(_))
        ));
        let c = parse("[organisations]\n").unwrap();
        assert_eq!(c.directory.missing.len(), 1);
        assert_eq!(c.directory.missing[0].line, Some(4));
    }

    #[test]
    fn bad_values_are_errors_with_their_lines() {
        let errors = parse(
            "[organisations]\nstale_after_months = 0\nreport_change = \"mailto:baza@example.org?cc=x@y.pl\"\n",
        )
        .unwrap_err();
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("jawnik.toml:5: field `organisations.stale_after_months`: must be a number of months"), "{got:?}");
        assert!(
            got[1].starts_with(
                "jawnik.toml:6: field `organisations.report_change`: is not a mailto: address"
            ),
            "{got:?}"
        );
        for bad in [
            "https://example.org/edit/",
            "javascript:{path}",
            "https:///{path}",
        ] {
            let e = parse(&format!("[organisations]\nreport_change = \"{bad}\"\n")).unwrap_err();
            assert_eq!(e[0].line, Some(5), "{bad}: {e:?}");
        }
    }
}
