//! Open calls for grant applications (`konkursy`: department, amount, announced / deadline /
//! results dates, eligibility, the official call): the front-matter struct and its
//! validation. The coordinators, the other directory kind NGOs asked for, are
//! [`super::contacts`].

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::attachments::{load_attachments, RawAttachment};
use super::date::Date;
use super::diagnostics::Diagnostic;
use super::front_matter::span_line;
use super::model::{CallInfo, Deadline, Entry};
use super::validate::{FileCheck, LoadContext};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCall {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    department: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    districts: Option<Vec<Spanned<String>>>,
    amount: Option<Spanned<i64>>,
    announced: Option<Spanned<Datetime>>,
    deadline: Option<Spanned<Datetime>>,
    results: Option<Spanned<Datetime>>,
    eligibility: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    attachments: Option<Vec<Spanned<RawAttachment>>>,
    related: Option<Vec<Spanned<String>>>,
    sources: Option<Vec<String>>,
    slug: Option<Spanned<String>>,
}

/// A required date (no time).
fn required_date(c: &mut FileCheck, field: &str, v: Option<Spanned<Datetime>>) -> Option<Date> {
    if v.is_none() {
        c.err::<()>(
            field,
            None,
            "required field is missing (a date like 2026-11-30)",
        );
    }
    c.date(field, v)
}

/// `deadline`: a date, or a local date-time (Europe/Warsaw) without offset.
fn deadline(c: &mut FileCheck, v: Option<Spanned<Datetime>>) -> Option<Deadline> {
    let Some(s) = v else {
        c.err::<()>(
            "deadline",
            None,
            "required field is missing (2026-11-30, or 2026-11-30T15:30:00 in Kraków time)",
        );
        return None;
    };
    let dt = s.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(d), time, None) => Some(Deadline {
            date: Date {
                year: d.year,
                month: d.month,
                day: d.day,
            },
            time: time.map(|t| (t.hour, t.minute)),
        }),
        _ => {
            c.err(
                "deadline",
                Some(&s),
                format!("must be a date (2026-11-30) or a local date and time in Kraków (2026-11-30T15:30:00, no offset), got {dt}"),
            );
            None
        }
    }
}

/// Validate a call (`konkursy/*.md`) into `entry`.
pub(crate) fn load_call(c: &mut FileCheck, ctx: &LoadContext, raw: RawCall, entry: &mut Entry) {
    let config = ctx.config;
    entry.title = c.required("title", raw.title);
    entry.summary = c.required("summary", raw.summary);
    let department = c.required("department", raw.department);
    entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
    entry.districts = c.vocabulary("districts", "districts", raw.districts, &config.districts);
    let amount = raw.amount.and_then(|a| {
        if *a.get_ref() < 0 {
            c.err(
                "amount",
                Some(&a),
                format!("must be a whole number of złoty ≥ 0, got {}", a.get_ref()),
            );
            None
        } else {
            Some(*a.get_ref() as u64)
        }
    });
    let announced = required_date(c, "announced", raw.announced);
    let deadline_line = raw.deadline.as_ref().map(|s| span_line(c.fm, &s.span()));
    let dl = deadline(c, raw.deadline);
    let results_line = raw.results.as_ref().map(|s| span_line(c.fm, &s.span()));
    let results = c.date("results", raw.results);
    let order_error = |c: &mut FileCheck, field: &str, line: Option<usize>, msg: String| {
        c.errors.push(
            Diagnostic::new(c.file, msg)
                .at_line(line.unwrap_or(1))
                .field(field),
        );
    };
    if let (Some(a), Some(d)) = (announced, dl) {
        if d.date < a {
            order_error(
                c,
                "deadline",
                deadline_line,
                format!("{} is before `announced` ({a})", d.date),
            );
        }
    }
    if let (Some(d), Some(r)) = (dl, results) {
        if r < d.date {
            order_error(
                c,
                "results",
                results_line,
                format!("{r} is before `deadline` ({})", d.date),
            );
        }
    }
    let eligibility = c.optional("eligibility", raw.eligibility);
    let url = c.http_url("url", raw.url);
    entry.attachments = load_attachments(c, ctx, raw.attachments);
    (entry.related, entry.related_lines) = c.related(raw.related);
    entry.sources = raw.sources.unwrap_or_default();
    let (slug, line) = c.slug(raw.slug, &entry.translation_key);
    entry.slug = slug;
    entry.slug_line = line;
    entry.date = announced;
    if let (Some(announced), Some(deadline)) = (announced, dl) {
        entry.issuer = Some(department.clone());
        entry.call = Some(Box::new(CallInfo {
            department,
            amount,
            announced,
            deadline,
            results,
            eligibility,
            url,
        }));
    }
}
