//! The calendar date of front matter and of `--today`, and its Polish display forms. Its
//! validity (a real day) and its days arithmetic are the search engine's
//! (`jawnik_engine::dates`), the one of jawnik; a date of front matter is also between 1900
//! and 2200.

use jawnik_engine::dates;
use std::fmt;

/// A calendar date (TOML local date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// Polish month names in the genitive (`25 maja 2018`).
pub const MONTHS_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

const MONTHS_NOMINATIVE: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];

impl Date {
    /// A valid calendar date (years 1900–2200), or `None`.
    pub fn from_parts(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..=2200).contains(&year) && dates::is_real_date(year.into(), month, day)).then_some(
            Date {
                year: year as u16,
                month: month as u8,
                day: day as u8,
            },
        )
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(&self) -> i64 {
        dates::days_from_civil(self.year.into(), self.month.into(), self.day.into())
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let (year, month, day) = dates::civil_from_days(days);
        Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Today's date in UTC from the system clock.
    pub fn today_utc() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(secs.div_euclid(86_400))
    }

    /// Parse `YYYY-MM-DD` (a real calendar date).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        dates::is_real_date(date.year.into(), date.month.into(), date.day.into()).then_some(date)
    }

    /// Polish month name in the nominative with the year (`maj 2026`), for calendar headings.
    pub fn polish_month(&self) -> String {
        format!(
            "{} {}",
            MONTHS_NOMINATIVE[(self.month as usize).saturating_sub(1) % 12],
            self.year
        )
    }

    /// Polish display form: `25 maja 2018`.
    pub fn polish(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS_GENITIVE[(self.month as usize).saturating_sub(1) % 12],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_days() {
        let d = Date::parse_iso("2026-11-25").unwrap();
        assert_eq!(d.days(), 20_782);
        assert_eq!(Date::from_days(20_782), d);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        let leap = Date::parse_iso("2024-02-29").unwrap();
        assert_eq!(Date::from_days(leap.days() + 1).to_string(), "2024-03-01");
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "jutro",
            "2026-11-25x",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(d.polish_month(), "listopad 2026");
    }
}
