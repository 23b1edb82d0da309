//! How fresh an organisation or coordinator entry is: its `verified` date (when someone last
//! confirmed its details), judged against the build's *today* and the threshold of
//! `[organisations] stale_after_months` ([`crate::config::directory`]); the warnings `check`
//! gives for stale (and, when the site has the table, unconfirmed) entries; and the
//! "Zgłoś zmianę" address of an entry page.
//!
//! An entry is *stale* when *today* is later than `verified` plus the threshold in calendar
//! months (31 January + 1 month = 28/29 February), *unconfirmed* without `verified`, else
//! *confirmed*. Both stale and unconfirmed entries show "dane mogą być nieaktualne".

use toml::value::Datetime;
use toml::Spanned;

use super::date::Date;
use super::diagnostics::Diagnostic;
use super::model::{Entry, Kind, Verified};
use super::validate::FileCheck;
use crate::config::Config;

/// Read `verified` (a date without time).
pub(crate) fn load(c: &mut FileCheck, v: Option<Spanned<Datetime>>) -> Option<Verified> {
    let line = v.as_ref().map(|s| c.line(s))?;
    c.date("verified", v).map(|date| Verified { date, line })
}

/// The kinds whose entries carry `verified`.
pub fn tracked(kind: Kind) -> bool {
    matches!(kind, Kind::Organizacja | Kind::Kontakt)
}

/// How fresh an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freshness {
    /// Confirmed within the threshold.
    Confirmed,
    /// Confirmed longer ago than the threshold.
    Stale,
    /// Never confirmed (no `verified`).
    Unconfirmed,
}

impl Freshness {
    pub const ALL: [Freshness; 3] = [
        Freshness::Confirmed,
        Freshness::Stale,
        Freshness::Unconfirmed,
    ];

    /// The value of the directory's filter and of the items' `data-freshness`.
    pub fn slug(self) -> &'static str {
        match self {
            Freshness::Confirmed => "aktualne",
            Freshness::Stale => "nieaktualne",
            Freshness::Unconfirmed => "niepotwierdzone",
        }
    }

    /// May the entry's details be out of date?
    pub fn doubtful(self) -> bool {
        self != Freshness::Confirmed
    }
}

/// `date` plus `months` calendar months, the day clamped to the month's length.
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year as u32 * 12 + (date.month as u32 - 1) + months;
    let (year, month) = ((total / 12) as i32, total % 12 + 1);
    (1..=date.day as u32)
        .rev()
        .find_map(|day| Date::from_parts(year, month, day))
        .unwrap_or(date)
}

/// The freshness of a `verified` date on `today` with a threshold of `months`.
pub fn freshness(verified: Option<Date>, today: Date, months: u32) -> Freshness {
    match verified {
        None => Freshness::Unconfirmed,
        Some(d) if today > add_months(d, months) => Freshness::Stale,
        Some(_) => Freshness::Confirmed,
    }
}

/// The freshness of an organisation or coordinator entry.
pub fn of(e: &Entry, config: &Config, today: Date) -> Freshness {
    freshness(
        e.verified.map(|v| v.date),
        today,
        config.directory.stale_after_months,
    )
}

/// What `check` lists (as warnings): stale entries, `verified` dates after *today* and, when
/// `jawnik.toml` has `[organisations]`, entries without `verified`.
pub fn warnings(entries: &[Entry], config: &Config, today: Date) -> Vec<Diagnostic> {
    let months = config.directory.stale_after_months;
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| tracked(e.kind)) {
        let d = |line: usize, msg: String| {
            Diagnostic::new(&e.source_file, msg)
                .at_line(line)
                .field("verified")
        };
        match e.verified {
            Some(v) if v.date > today => out.push(d(
                v.line,
                format!("{} is after today ({today}): a confirmation cannot come from the future", v.date),
            )),
            Some(v) if of(e, config, today) == Freshness::Stale => out.push(d(
                v.line,
                format!(
                    "stale: last confirmed {}, more than {months} months before today ({today}); the page says \"dane mogą być nieaktualne\": confirm the details and update `verified`",
                    v.date
                ),
            )),
            None if config.directory.declared => out.push(d(
                1,
                "unconfirmed: no `verified` date; the page says \"dane mogą być nieaktualne\": confirm the details and add `verified = YYYY-MM-DD`".into(),
            )),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(add_months(date("2025-01-31"), 1), date("2025-02-28"));
        assert_eq!(add_months(date("2024-01-31"), 1), date("2024-02-29"));
        assert_eq!(add_months(date("2025-03-15"), 12), date("2026-03-15"));
        assert_eq!(add_months(date("2025-11-30"), 3), date("2026-02-28"));
    }

    #[test]
    fn stale_past_the_threshold_only() {
        let today = date("2026-03-15");
        assert_eq!(freshness(None, today, 12), Freshness::Unconfirmed);
        assert_eq!(
            freshness(Some(date("2025-03-15")), today, 12),
            Freshness::Confirmed
        );
        assert_eq!(
            freshness(Some(date("2025-03-14")), today, 12),
            Freshness::Stale
        );
        assert_eq!(
            freshness(Some(date("2025-10-01")), today, 6),
            Freshness::Confirmed
        );
    }
}
