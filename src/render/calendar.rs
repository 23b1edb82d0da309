//! The calendar of open calls (`konkursy`): which calls are upcoming and how many days are
//! left (counted from the build's `today`), the calendar page by month, the archive of past
//! calls, each call's metadata rows, and the iCalendar feeds (RFC 5545: one for the site,
//! one per sector, one per call) with a Europe/Warsaw VTIMEZONE.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::frame::{page_context, Ctx, Job, Jobs};
use super::locale::Locale;
use super::xml::escape_ics;
use crate::content::date::Date;
use crate::content::model::{CallInfo, Deadline, Entry, Kind, Site};
use crate::output::OutputFile;

/// How many upcoming calls the home page lists.
pub const UPCOMING_ON_HOME: usize = 5;
/// The whole-site calendar feed.
pub const ICS_ALL: &str = "konkursy/kalendarz.ics";

/// The calls of a site, each with its details.
pub fn calls(site: &Site) -> Vec<(&Entry, &CallInfo)> {
    site.entries
        .iter()
        .filter(|e| e.kind == Kind::Konkurs)
        .filter_map(|e| e.call.as_deref().map(|c| (e, c)))
        .collect()
}

/// Days from `today` to the call's deadline (0: the deadline is today; negative: past).
pub fn days_left(today: Date, call: &CallInfo) -> i64 {
    call.deadline.date.days() - today.days()
}

/// Calls whose deadline is today or later, soonest first.
pub fn upcoming(site: &Site) -> Vec<(&Entry, &CallInfo)> {
    let mut v: Vec<_> = calls(site)
        .into_iter()
        .filter(|(_, c)| days_left(site.today, c) >= 0)
        .collect();
    v.sort_by(|a, b| {
        a.1.deadline
            .cmp(&b.1.deadline)
            .then_with(|| a.0.url_path.cmp(&b.0.url_path))
    });
    v
}

/// Calls whose deadline has passed, latest deadline first.
pub fn archived(site: &Site) -> Vec<(&Entry, &CallInfo)> {
    let mut v: Vec<_> = calls(site)
        .into_iter()
        .filter(|(_, c)| days_left(site.today, c) < 0)
        .collect();
    v.sort_by(|a, b| {
        b.1.deadline
            .cmp(&a.1.deadline)
            .then_with(|| a.0.url_path.cmp(&b.0.url_path))
    });
    v
}

/// "jeszcze 12 dni", "jeszcze 1 dzień", "dziś ostatni dzień", "termin minął".
pub fn days_left_text(l: &Locale, days: i64) -> String {
    match days {
        d if d < 0 => l.text("calls.past").to_string(),
        0 => l.text("calls.today").to_string(),
        d => l.plural("calls.days_left", d.unsigned_abs(), &[]),
    }
}

/// A call's deadline as pages show it: `15 grudnia 2026, godz. 15:30`.
pub fn deadline_text(l: &Locale, d: &Deadline) -> String {
    match d.time {
        Some((h, m)) => l.format(
            "date.with_time",
            &[("date", &l.date(d.date)), ("time", &format!("{h}:{m:02}"))],
        ),
        None => l.date(d.date),
    }
}

/// An amount in złoty with Polish thousands separators: `1 250 000 zł`.
pub fn format_amount(zl: u64) -> String {
    let digits = zl.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    format!("{out}\u{a0}zł")
}

/// The per-call feed's path.
pub fn call_ics_path(e: &Entry) -> String {
    format!("{}konkurs.ics", e.url_path)
}

/// The per-sector feed's path.
pub fn sector_ics_path(sector: &str) -> String {
    format!("branze/{sector}/konkursy.ics")
}

/// A list item for a call: title, department, deadline and days left.
pub(super) fn call_item(c: &Ctx, e: &Entry, call: &CallInfo) -> Value {
    let days = days_left(c.site.today, call);
    let l = c.locale();
    json!({
        "title": e.title,
        "url": c.url(&e.url_path),
        "summary": e.summary,
        "lang": c.entry_lang(e),
        "department": call.department,
        "deadline": deadline_text(l, &call.deadline),
        "deadline_iso": call.deadline.date.to_string(),
        "days_left": days,
        "days_left_text": days_left_text(l, days),
        "amount": call.amount.map(format_amount),
        "sectors": e.sectors.iter().map(|s| c.sector_name(s)).collect::<Vec<_>>(),
        "ics": c.url(&call_ics_path(e)),
    })
}

/// What the home page shows: the next calls and the calendar's address.
pub(super) fn home_value(c: &Ctx) -> Value {
    if c.site.section(Kind::Konkurs).is_none() && calls(c.site).is_empty() {
        return Value::Null;
    }
    let items: Vec<Value> = upcoming(c.site)
        .into_iter()
        .take(UPCOMING_ON_HOME)
        .map(|(e, call)| call_item(c, e, call))
        .collect();
    json!({
        "items": items,
        "calendar_url": c.url("konkursy/"),
        "archive_url": c.url("konkursy/archiwum/"),
        "ics": c.url(ICS_ALL),
        "today": c.locale().date(c.site.today),
    })
}

/// Calls grouped by the month of their deadline, in the given order.
fn by_month(c: &Ctx, list: &[(&Entry, &CallInfo)]) -> Value {
    let mut groups: Vec<(String, String, Vec<Value>)> = Vec::new();
    for (e, call) in list {
        let d = call.deadline.date;
        let key = format!("{:04}-{:02}", d.year, d.month);
        match groups.last_mut() {
            Some((k, _, items)) if *k == key => items.push(call_item(c, e, call)),
            _ => groups.push((key, c.locale().month_year(d), vec![call_item(c, e, call)])),
        }
    }
    Value::Array(
        groups
            .into_iter()
            .map(|(key, label, items)| json!({"id": format!("miesiac-{key}"), "label": label, "items": items}))
            .collect(),
    )
}

/// The calendar (`konkursy/`) and archive (`konkursy/archiwum/`) pages.
pub(super) fn calendar_jobs(c: &Ctx, jobs: &mut Jobs) {
    let site = c.site;
    let Some(section) = site.section(Kind::Konkurs) else {
        return;
    };
    let up = upcoming(site);
    let past = archived(site);
    let sector_feeds: Vec<Value> = site
        .config
        .sectors
        .iter()
        .filter(|t| calls(site).iter().any(|(e, _)| e.sectors.contains(&t.slug)))
        .map(|t| json!({"name": t.name, "url": c.url(&sector_ics_path(&t.slug))}))
        .collect();
    for (path, archive) in [("konkursy/", false), ("konkursy/archiwum/", true)] {
        let title = if archive {
            format!("{} — archiwum", section.title)
        } else {
            section.title.clone()
        };
        let feed_title = format!("{}: {}", site.config.title, section.title);
        let m = c.page(
            "konkursy",
            &title,
            section.summary.as_deref().unwrap_or(""),
            Some(path),
            "website",
            c.collection_ld(&title, path),
            Some((&feed_title, "konkursy/atom.xml")),
            &if archive {
                vec![(section.title.clone(), "konkursy/".to_string())]
            } else {
                Vec::new()
            },
        );
        let list = if archive { &past } else { &up };
        jobs.push(Job {
            path: format!("{path}index.html"),
            template: "calendar.html",
            ctx: page_context(
                m,
                json!({
                    "heading": title,
                    "summary": section.summary,
                    "intro_html": if archive { String::new() } else { section.body_html.clone() },
                    "archive": archive,
                    "months": by_month(c, list),
                    "count": list.len(),
                    "other_count": if archive { up.len() } else { past.len() },
                    "today": c.locale().date(site.today),
                    "today_iso": site.today.to_string(),
                    "calendar_url": c.url("konkursy/"),
                    "archive_url": c.url("konkursy/archiwum/"),
                    "ics": c.url(ICS_ALL),
                    "sector_feeds": sector_feeds,
                }),
            ),
        });
    }
}

/// The metadata rows of a call's page.
pub(super) fn call_rows(c: &Ctx, e: &Entry, call: &CallInfo) -> Vec<Value> {
    let days = days_left(c.site.today, call);
    let sectors = c.sector_links(&e.sectors);
    let l = c.locale();
    vec![
        json!({"label": l.text("field.call_department"), "value": call.department}),
        json!({"label": l.text("field.amount"), "value": call.amount.map(format_amount)}),
        json!({"label": l.text("field.announced"), "value": l.date(call.announced)}),
        json!({"label": l.text("field.deadline"), "value": format!("{} ({})", deadline_text(l, &call.deadline), days_left_text(l, days))}),
        json!({"label": l.text("field.results"), "value": call.results.map(|d| l.date(d))}),
        json!({"label": l.text("field.eligibility"), "value": call.eligibility}),
        json!({"label": l.text("field.sectors"), "links": sectors}),
        json!({"label": l.text("field.call_url"), "value": call.url, "href": call.url}),
        json!({"label": l.text("field.ics"), "value": l.text("calls.add_deadline"), "href": c.url(&call_ics_path(e))}),
    ]
}

// ---------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/// The Europe/Warsaw time zone with the EU summer-time rule (last Sunday of March 01:00 UTC
/// to last Sunday of October 01:00 UTC), valid for every year since 1996.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Warsaw",
    "X-LIC-LOCATION:Europe/Warsaw",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Fold a content line at 75 octets (never inside a UTF-8 sequence) and end it with CRLF.
pub fn ics_fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// The host part of the site's base URL, for UIDs.
fn uid_host(site: &Site) -> String {
    let url = &site.config.base_url;
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest.split('/').next().unwrap_or("jawnik").to_string()
}

/// The VEVENT lines of one call: the deadline, and the results day when known.
fn events(site: &Site, l: &Locale, e: &Entry, call: &CallInfo) -> Vec<String> {
    let cfg = &site.config;
    let host = uid_host(site);
    let page = cfg.absolute_url(&e.url_path);
    let stamp = format!("DTSTAMP:{}T000000Z", compact(call.announced));
    let categories: Vec<String> = e
        .sectors
        .iter()
        .map(|s| {
            escape_ics(
                &cfg.sector(s)
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| s.clone()),
            )
        })
        .collect();
    let line = |key: &str, value: &str| format!("\n{}: {value}", l.text(key));
    let mut description = format!(
        "{}\n{}",
        e.summary,
        line("field.department", &call.department)
    );
    if let Some(a) = call.amount {
        description.push_str(&line(
            "calendar_feed.amount",
            &format_amount(a).replace('\u{a0}', " "),
        ));
    }
    if let Some(el) = &call.eligibility {
        description.push_str(&line("field.eligibility", el));
    }
    if let Some(u) = &call.url {
        description.push_str(&line("calendar_feed.announcement", u));
    }
    description.push_str(&format!("\n{page}"));
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}-termin@{host}", e.slug),
        stamp.clone(),
    ];
    let d = call.deadline.date;
    match call.deadline.time {
        Some((h, m)) => {
            lines.push(format!(
                "DTSTART;TZID=Europe/Warsaw:{}T{h:02}{m:02}00",
                compact(d)
            ));
        }
        None => {
            lines.push(format!("DTSTART;VALUE=DATE:{}", compact(d)));
            lines.push(format!(
                "DTEND;VALUE=DATE:{}",
                compact(Date::from_days(d.days() + 1))
            ));
        }
    }
    lines.push(format!(
        "SUMMARY:{}",
        escape_ics(&l.format("calendar_feed.deadline", &[("title", &e.title)]))
    ));
    lines.push(format!("DESCRIPTION:{}", escape_ics(&description)));
    if !categories.is_empty() {
        lines.push(format!("CATEGORIES:{}", categories.join(",")));
    }
    lines.push(format!("URL:{page}"));
    lines.push("TRANSP:TRANSPARENT".into());
    lines.push("END:VEVENT".into());
    if let Some(r) = call.results {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-wyniki@{host}", e.slug),
            stamp,
            format!("DTSTART;VALUE=DATE:{}", compact(r)),
            format!(
                "DTEND;VALUE=DATE:{}",
                compact(Date::from_days(r.days() + 1))
            ),
            format!(
                "SUMMARY:{}",
                escape_ics(&l.format("calendar_feed.results", &[("title", &e.title)]))
            ),
            format!("URL:{page}"),
            "TRANSP:TRANSPARENT".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines
}

/// One calendar file with the given calls, soonest deadline first.
pub fn ics(site: &Site, l: &Locale, name: &str, list: &[(&Entry, &CallInfo)]) -> String {
    let mut list = list.to_vec();
    list.sort_by(|a, b| {
        a.1.deadline
            .cmp(&b.1.deadline)
            .then_with(|| a.0.url_path.cmp(&b.0.url_path))
    });
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//jawnik//kalendarz konkursow//PL".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape_ics(name)),
        "X-WR-TIMEZONE:Europe/Warsaw".to_string(),
    ];
    lines.extend(VTIMEZONE.iter().map(|s| s.to_string()));
    for (e, call) in list {
        lines.extend(events(site, l, e, call));
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        ics_fold(&l, &mut out);
    }
    out
}

/// Every calendar file: the site's, one per sector with calls, one per call.
pub fn ics_files(site: &Site, l: &Locale) -> Vec<OutputFile> {
    let all = calls(site);
    if all.is_empty() && site.section(Kind::Konkurs).is_none() {
        return Vec::new();
    }
    let cfg = &site.config;
    let mut out = vec![OutputFile {
        path: ICS_ALL.into(),
        contents: ics(
            site,
            l,
            &l.format("calendar_feed.all", &[("site", &cfg.title)]),
            &all,
        )
        .into_bytes(),
    }];
    let mut by_sector: BTreeMap<&str, Vec<(&Entry, &CallInfo)>> = BTreeMap::new();
    for (e, call) in &all {
        for s in &e.sectors {
            by_sector.entry(s.as_str()).or_default().push((e, call));
        }
    }
    for t in &cfg.sectors {
        if let Some(list) = by_sector.get(t.slug.as_str()) {
            out.push(OutputFile {
                path: sector_ics_path(&t.slug),
                contents: ics(
                    site,
                    l,
                    &l.format(
                        "calendar_feed.sector",
                        &[("site", &cfg.title), ("sector", &t.name)],
                    ),
                    list,
                )
                .into_bytes(),
            });
        }
    }
    for (e, call) in &all {
        out.push(OutputFile {
            path: call_ics_path(e),
            contents: ics(site, l, &e.title, &[(e, call)]).into_bytes(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_on_char_boundaries() {
        let mut out = String::new();
        ics_fold(&format!("SUMMARY:{}", "ż".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "ż".repeat(60)));
    }

    #[test]
    fn amounts_and_days() {
        assert_eq!(format_amount(1_250_000), "1\u{a0}250\u{a0}000\u{a0}zł");
        assert_eq!(format_amount(500), "500\u{a0}zł");
        let l = &crate::render::templates::builtin_locale("pl");
        assert_eq!(days_left_text(l, -1), "termin minął");
        assert_eq!(days_left_text(l, 0), "dziś ostatni dzień");
        assert_eq!(days_left_text(l, 1), "jeszcze 1 dzień");
        assert_eq!(days_left_text(l, 12), "jeszcze 12 dni");
        assert_eq!(days_left_text(l, 22), "jeszcze 22 dni");
    }
}
