//! Calendar dates as days since 1970-01-01, the form in which both backends store and filter
//! them.

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (anything after the day is ignored).
pub fn days_from_iso(date: &str) -> Option<i32> {
    let mut parts = date.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::days_from_iso;

    #[test]
    fn days() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2018-05-25"), Some(17_676));
        assert_eq!(days_from_iso("1969-12-31"), Some(-1));
        assert_eq!(days_from_iso("2018-13-01"), None);
        assert_eq!(days_from_iso("yesterday"), None);
    }
}
