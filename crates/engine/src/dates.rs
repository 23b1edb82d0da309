//! Calendar dates as days since 1970-01-01, the form in which both backends store and filter
//! them, and the one calendar arithmetic of jawnik: the site generator's dates
//! (`jawnik::Date`) count their days here too. A date is valid when it is a real day of the
//! proleptic Gregorian calendar (2026-02-29 is not): the content model's rule, which wins
//! over the rollover an arithmetic alone would give (2018-02-31 as 3 March), since a filter
//! on a day that does not exist is a typo, not a request for another day.

/// The number of days of `month` (1–12) in `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `year-month-day` is a real calendar day.
pub fn is_real_date(year: i64, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// Days since 1970-01-01 of a real date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01 as (year, month, day) (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (anything after the day is ignored), when it
/// is a real calendar day.
pub fn days_from_iso(date: &str) -> Option<i32> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    if !is_real_date(y, m, d) {
        return None;
    }
    i32::try_from(days_from_civil(y, m, d)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2018-05-25"), Some(17_676));
        assert_eq!(days_from_iso("1969-12-31"), Some(-1));
        assert_eq!(days_from_iso("2018-05-25T10:00:00"), Some(17_676));
        assert_eq!(days_from_iso("2018-13-01"), None);
        assert_eq!(days_from_iso("2018-02-29"), None);
        assert_eq!(days_from_iso("2018-04-31"), None);
        assert_eq!(days_from_iso("2024-02-29"), Some(19_782));
        assert_eq!(days_from_iso("yesterday"), None);
    }

    #[test]
    fn days_and_back() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert!(is_real_date(y, m, d), "{y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
    }
}
