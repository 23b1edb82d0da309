//! The calendar date of front matter and of `--today`: validity (a real date), the days
//! arithmetic calls and feeds count with, and its Polish display forms.

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
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's civil_from_days).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
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
        (date.month >= 1 && Date::from_days(date.days()) == date).then_some(date)
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
