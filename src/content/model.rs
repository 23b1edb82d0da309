//! The content model: kinds of content, the front-matter schema per kind, validation of every
//! field (required fields, vocabularies, dates, KRS, URLs, attachment paths that may not
//! leave `content/`, whose files [`super::attachment_policy`] checks) and the cross-file
//! checks (duplicate slugs, `related` references, unreferenced files). Produces [`Entry`]
//! and [`Section`] values or diagnostics.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use toml::value::Datetime;
use toml::Spanned;

use super::diagnostics::Diagnostic;
use super::front_matter::{self, span_line, Split};
use crate::config::{is_slug, Config};
use crate::render::markdown;

/// The kinds of content, one section folder each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Strategia,
    Program,
    Raport,
    Organizacja,
    /// An open call for grant applications (otwarty konkurs ofert).
    Konkurs,
    /// A city department's NGO cooperation coordinator.
    Kontakt,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Strategia,
        Kind::Program,
        Kind::Raport,
        Kind::Organizacja,
        Kind::Konkurs,
        Kind::Kontakt,
    ];

    /// The section folder and URL segment (`strategie`).
    pub fn section(self) -> &'static str {
        match self {
            Kind::Strategia => "strategie",
            Kind::Program => "programy",
            Kind::Raport => "raporty",
            Kind::Organizacja => "organizacje",
            Kind::Konkurs => "konkursy",
            Kind::Kontakt => "kontakty",
        }
    }

    /// The kind's name in the content model (`strategia`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Strategia => "strategia",
            Kind::Program => "program",
            Kind::Raport => "raport",
            Kind::Organizacja => "organizacja",
            Kind::Konkurs => "konkurs",
            Kind::Kontakt => "kontakt",
        }
    }

    /// Display label, singular (`Strategia`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Strategia => "Strategia",
            Kind::Program => "Program",
            Kind::Raport => "Raport",
            Kind::Organizacja => "Organizacja pozarządowa",
            Kind::Konkurs => "Konkurs ofert",
            Kind::Kontakt => "Koordynator współpracy",
        }
    }

    /// Display label, plural (`Strategie`).
    pub fn label_plural(self) -> &'static str {
        match self {
            Kind::Strategia => "Strategie",
            Kind::Program => "Programy",
            Kind::Raport => "Raporty",
            Kind::Organizacja => "Organizacje pozarządowe",
            Kind::Konkurs => "Konkursy ofert",
            Kind::Kontakt => "Koordynatorzy",
        }
    }

    pub fn from_section(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == s)
    }

    /// Documents (strategies, programmes, reports) as opposed to NGO entries, calls and
    /// coordinators.
    pub fn is_document(self) -> bool {
        matches!(self, Kind::Strategia | Kind::Program | Kind::Raport)
    }
}

/// A document's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Projekt,
    Konsultacje,
    Obowiazuje,
    Archiwalny,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Projekt,
        Status::Konsultacje,
        Status::Obowiazuje,
        Status::Archiwalny,
    ];

    /// The value written in front matter (`obowiązuje`).
    pub fn value(self) -> &'static str {
        match self {
            Status::Projekt => "projekt",
            Status::Konsultacje => "konsultacje",
            Status::Obowiazuje => "obowiązuje",
            Status::Archiwalny => "archiwalny",
        }
    }

    /// URL segment (`obowiazuje`).
    pub fn slug(self) -> &'static str {
        match self {
            Status::Obowiazuje => "obowiazuje",
            other => other.value(),
        }
    }

    /// Display label (`Obowiązuje`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Projekt => "Projekt",
            Status::Konsultacje => "W konsultacjach",
            Status::Obowiazuje => "Obowiązuje",
            Status::Archiwalny => "Archiwalny",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.value() == s)
    }
}

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

/// A heading of a document body, with the anchor of its element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// An attachment: either a file under `content/` (copied to `pliki/…`) or an external URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub title: String,
    /// `PDF`, `DOCX`, …: from front matter or the extension.
    pub format: Option<String>,
    /// Size in bytes (measured for files, from front matter for URLs).
    pub size: Option<u64>,
    /// Path relative to `content/` for a file attachment (`strategie/files/a.pdf`).
    pub file: Option<String>,
    /// The canonical source path of a file attachment.
    pub source: Option<PathBuf>,
    /// The address of a URL attachment.
    pub url: Option<String>,
    /// A file of a type listed in `extra_attachment_types`: linked as a download.
    pub download: bool,
    /// The text extracted from a file attachment at build time: `None` before extraction and
    /// for URLs, `Some(Err(why))` when it cannot be read (see [`crate::extract`]).
    pub text: Option<Result<crate::extract::Extracted, crate::extract::ExtractError>>,
}

impl Attachment {
    /// Where a file attachment is written, relative to the output root (`pliki/…`).
    pub fn output_path(&self) -> Option<String> {
        self.file.as_ref().map(|f| format!("pliki/{f}"))
    }
}

/// Contact and registry details of an NGO entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NgoInfo {
    pub address: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub krs: Option<String>,
}

/// One validated content page: a document (strategy, programme, report) or an NGO entry.
/// This is what the renderer and the search indexer consume.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    /// The source file relative to the site root (`content/raporty/x.md`).
    pub file: String,
    /// The source file relative to `content/` (`raporty/x.md`), as used by `related`.
    pub content_path: String,
    pub slug: String,
    /// The page's path relative to the base URL (`raporty/x/`).
    pub path: String,
    /// `title` for documents, `name` for NGO entries.
    pub title: String,
    pub summary: String,
    pub body_markdown: String,
    /// Sanitised HTML of the body.
    pub body_html: String,
    /// Plain text of the body.
    pub body_text: String,
    pub headings: Vec<Heading>,
    pub date: Option<Date>,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub issuer: Option<String>,
    pub author: Option<String>,
    pub status: Option<Status>,
    pub period: Option<String>,
    pub source: Option<String>,
    pub sources: Vec<String>,
    /// Sector slugs.
    pub sectors: Vec<String>,
    /// District slugs.
    pub districts: Vec<String>,
    /// Other entries, by `content_path`.
    pub related: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Present for NGO entries.
    pub ngo: Option<NgoInfo>,
    /// Present for open calls (`konkursy`).
    pub call: Option<super::calls::CallInfo>,
    /// Present for coordinators (`kontakty`).
    pub contact: Option<super::calls::ContactInfo>,
    /// A report's postulates, in front-matter order.
    pub postulates: Vec<super::postulates::Postulate>,
    /// Organisations and coordinators: when someone last confirmed the details.
    pub verified: Option<super::freshness::Verified>,
    /// Line of the `slug` key (or 1), for duplicate-slug reports.
    pub slug_line: usize,
    /// Line of each `related` value.
    pub related_lines: Vec<usize>,
}

impl Entry {
    /// The date a document is listed by: `date`, else `published`.
    pub fn sort_date(&self) -> Option<Date> {
        self.date.or(self.published)
    }

    /// The year page (`lata/{year}/`) the entry belongs to.
    pub fn year(&self) -> Option<u16> {
        self.sort_date().map(|d| d.year)
    }

    /// The latest known date (for feeds and the sitemap).
    pub fn last_modified(&self) -> Option<Date> {
        [self.updated, self.published, self.date]
            .into_iter()
            .flatten()
            .max()
    }
}

/// A section (one kind's folder) with its `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    pub kind: Kind,
    pub title: String,
    pub summary: Option<String>,
    pub body_html: String,
    pub file: String,
}

/// The root `content/_index.md`: the home page intro.
#[derive(Debug, Clone, Default)]
pub struct HomeIntro {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body_html: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    date: Option<Spanned<Datetime>>,
    published: Option<Spanned<Datetime>>,
    updated: Option<Spanned<Datetime>>,
    issuer: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    period: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    districts: Option<Vec<Spanned<String>>>,
    source: Option<Spanned<String>>,
    sources: Option<Vec<String>>,
    related: Option<Vec<Spanned<String>>>,
    slug: Option<Spanned<String>>,
    attachments: Option<Vec<Spanned<RawAttachment>>>,
    postulates: Option<Vec<Spanned<super::postulates::RawPostulate>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAttachment {
    title: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
    size: Option<Spanned<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNgo {
    name: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    districts: Option<Vec<Spanned<String>>>,
    address: Option<Spanned<String>>,
    website: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    krs: Option<Spanned<String>>,
    verified: Option<Spanned<Datetime>>,
    sources: Option<Vec<String>>,
    slug: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
}

/// What validation needs to know about the site.
pub struct LoadContext<'a> {
    pub config: &'a Config,
    /// `<root>/content`.
    pub content_dir: &'a Path,
    /// The canonical form of `content_dir` (attachment paths must stay under it).
    pub content_canonical: &'a Path,
}

/// Collects the diagnostics of one file.
pub(crate) struct FileCheck<'a> {
    pub(crate) file: &'a str,
    pub(crate) fm: &'a str,
    pub(crate) errors: Vec<Diagnostic>,
}

impl<'a> FileCheck<'a> {
    pub(crate) fn err<T>(
        &mut self,
        field: &str,
        span: Option<&Spanned<T>>,
        msg: impl Into<String>,
    ) {
        let line = span.map(|s| span_line(self.fm, &s.span())).unwrap_or(1);
        self.errors
            .push(Diagnostic::new(self.file, msg).at_line(line).field(field));
    }

    pub(crate) fn line<T>(&self, s: &Spanned<T>) -> usize {
        span_line(self.fm, &s.span())
    }

    pub(crate) fn required(&mut self, field: &str, v: Option<Spanned<String>>) -> String {
        match v {
            None => {
                self.err::<()>(field, None, "required field is missing");
                String::new()
            }
            Some(s) => {
                let text = s.get_ref().trim().to_string();
                if text.is_empty() {
                    self.err(field, Some(&s), "must not be empty");
                }
                text
            }
        }
    }

    pub(crate) fn optional(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        let s = v?;
        let text = s.get_ref().trim().to_string();
        if text.is_empty() {
            self.err(
                field,
                Some(&s),
                "must not be empty (leave the key out instead)",
            );
            return None;
        }
        Some(text)
    }

    /// `related`: content paths of `.md` pages (not `_index.md`), with their lines.
    pub(crate) fn related(&mut self, v: Option<Vec<Spanned<String>>>) -> (Vec<String>, Vec<usize>) {
        let (mut paths, mut lines) = (Vec::new(), Vec::new());
        for r in v.unwrap_or_default() {
            let line = self.line(&r);
            match normalise_relative(r.get_ref().trim()) {
                Ok(p) if p.ends_with(".md") && !p.ends_with("_index.md") => {
                    paths.push(p);
                    lines.push(line);
                }
                Ok(p) => self.err(
                    "related",
                    Some(&r),
                    format!("must name a content file ending in .md, got {p:?}"),
                ),
                Err(e) => self.err("related", Some(&r), format!("{e}, got {:?}", r.get_ref())),
            }
        }
        (paths, lines)
    }

    pub(crate) fn http_url(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        let s = v?;
        let text = s.get_ref().trim().to_string();
        if !is_http_url(&text) {
            self.err(
                field,
                Some(&s),
                format!("must be an http:// or https:// address, got {text:?}"),
            );
            return None;
        }
        Some(text)
    }

    pub(crate) fn email(&mut self, v: Option<Spanned<String>>) -> Option<String> {
        let e = v?;
        let text = e.get_ref().trim().to_string();
        match super::address::check_email(&text) {
            Ok(()) => Some(text),
            Err(why) => {
                self.err(
                    "email",
                    Some(&e),
                    format!("is not an e-mail address: {why}, got {text:?}"),
                );
                None
            }
        }
    }

    pub(crate) fn phone(&mut self, v: Option<Spanned<String>>) -> Option<String> {
        let p = v?;
        let text = p.get_ref().trim().to_string();
        if is_phone(&text) {
            Some(text)
        } else {
            self.err(
                "phone",
                Some(&p),
                format!("is not a phone number (7–15 digits, spaces, + - ( ) /), got {text:?}"),
            );
            None
        }
    }

    pub(crate) fn date(&mut self, field: &str, v: Option<Spanned<Datetime>>) -> Option<Date> {
        let s = v?;
        let dt = s.get_ref();
        match (dt.date, dt.time) {
            (Some(d), None) => Some(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            _ => {
                self.err(
                    field,
                    Some(&s),
                    format!("must be a date like 2018-05-25 (no time), got {dt}"),
                );
                None
            }
        }
    }

    pub(crate) fn vocabulary(
        &mut self,
        field: &str,
        kind: &str,
        v: Option<Vec<Spanned<String>>>,
        allowed: &[crate::config::Term],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in v.unwrap_or_default() {
            let value = s.get_ref().trim().to_string();
            if allowed.iter().any(|t| t.slug == value) {
                if !out.contains(&value) {
                    out.push(value);
                }
            } else {
                let list = if allowed.is_empty() {
                    format!("no {kind} are defined in jawnik.toml")
                } else {
                    format!(
                        "allowed values: {}",
                        allowed
                            .iter()
                            .map(|t| t.slug.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.err(
                    field,
                    Some(&s),
                    format!("unknown {} {value:?}; {list}", kind.trim_end_matches('s')),
                );
            }
        }
        out
    }

    pub(crate) fn slug(
        &mut self,
        v: Option<Spanned<String>>,
        content_path: &str,
    ) -> (String, usize) {
        match v {
            Some(s) => {
                let line = self.line(&s);
                let slug = s.get_ref().clone();
                if !is_slug(&slug) {
                    self.err(
                        "slug",
                        Some(&s),
                        format!("must be lowercase a-z, 0-9 and single dashes, got {slug:?}"),
                    );
                } else if slug == "strona" {
                    self.err("slug", Some(&s), "\"strona\" is reserved for list pages");
                }
                (slug, line)
            }
            None => {
                let stem = Path::new(content_path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .to_string();
                if !is_slug(&stem) || stem == "strona" {
                    self.errors.push(Diagnostic::new(
                        self.file,
                        format!(
                            "the file name {stem:?} is not a usable URL slug (lowercase a-z, 0-9, single dashes; not \"strona\"): rename the file or set `slug`"
                        ),
                    ).at_line(1));
                }
                (stem, 1)
            }
        }
    }
}

pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            !r.is_empty()
                && !r.starts_with('/')
                && !s.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>'
                })
        }
        None => false,
    }
}

pub(crate) fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (7..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || " +-()/".contains(c))
}

/// Read bytes as UTF-8 or report the line of the first invalid byte.
pub fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(
            file,
            format!(
                "the file is not valid UTF-8: byte 0x{:02x} at offset {valid} (save it as UTF-8)",
                bytes[valid]
            ),
        )
        .at_line(line)
    })
}

fn split_file<'t>(file: &str, text: &'t str) -> Result<Split<'t>, Vec<Diagnostic>> {
    front_matter::split(text).map_err(|(line, msg)| vec![Diagnostic::new(file, msg).at_line(line)])
}

/// A path relative to `content/` with `/` separators; `None` if absolute or leaving it.
pub(crate) fn normalise_relative(rel: &str) -> Result<String, &'static str> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err("must not be empty");
    }
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || p.has_root() {
        return Err("must be a path relative to content/, not an absolute path");
    }
    let b = rel.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Err("must be a path relative to content/, not a Windows drive path");
    }
    if rel.contains('\\') {
        return Err("must use `/` between folders, not `\\`");
    }
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str().ok_or("is not valid UTF-8")?.to_string()),
            Component::CurDir => {}
            _ => return Err("may not leave content/ (`..` is not allowed)"),
        }
    }
    if parts.is_empty() {
        return Err("must name a file");
    }
    Ok(parts.join("/"))
}

/// A file attachment: its normalised path, canonical file, size and what the attachment
/// policy made of it.
fn resolve_file(
    ctx: &LoadContext,
    rel: &str,
) -> Result<(String, PathBuf, u64, super::attachment_policy::Accepted), String> {
    let norm = normalise_relative(rel).map_err(|e| format!("{e}, got {rel:?}"))?;
    let full = ctx.content_dir.join(&norm);
    let canon = full
        .canonicalize()
        .map_err(|_| format!("file not found: content/{norm}"))?;
    if !canon.starts_with(ctx.content_canonical) {
        return Err(format!(
            "content/{norm} points outside content/ (a symbolic link?); refused"
        ));
    }
    let meta = std::fs::metadata(&canon).map_err(|e| format!("cannot read content/{norm}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("content/{norm} is not a file"));
    }
    let accepted = super::attachment_policy::check(
        &norm,
        &canon,
        ctx.content_canonical,
        &ctx.config.extra_attachment_types,
    )?;
    Ok((norm, canon, meta.len(), accepted))
}

fn format_from_path(p: &str) -> Option<String> {
    let name = p.rsplit('/').next()?;
    let name = name.split(['?', '#']).next()?;
    let (_, ext) = name.rsplit_once('.')?;
    (!ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_uppercase())
}

/// Validate the `[[attachments]]` of a document or call.
pub(crate) fn load_attachments(
    c: &mut FileCheck,
    ctx: &LoadContext,
    list: Option<Vec<Spanned<RawAttachment>>>,
) -> Vec<Attachment> {
    let mut out = Vec::new();
    for a in list.unwrap_or_default() {
        let a_line = c.line(&a);
        let a = a.into_inner();
        let title = match a.title {
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            Some(t) => {
                c.err(
                    "attachments.title",
                    Some(&t),
                    "must not be empty: every attachment needs a title",
                );
                String::new()
            }
            None => {
                c.errors.push(
                    Diagnostic::new(c.file, "required: every attachment needs a title")
                        .at_line(a_line)
                        .field("attachments.title"),
                );
                String::new()
            }
        };
        let mut att = Attachment {
            title,
            format: None,
            size: None,
            file: None,
            source: None,
            url: None,
            download: false,
            text: None,
        };
        match (a.file, a.url) {
            (Some(f), None) => {
                match resolve_file(ctx, f.get_ref().trim()) {
                    Ok((norm, canon, size, accepted)) => {
                        att.download = accepted == super::attachment_policy::Accepted::Download;
                        att.format = format_from_path(&norm);
                        att.file = Some(norm);
                        att.source = Some(canon);
                        att.size = Some(size);
                    }
                    Err(e) => c.err("attachments.file", Some(&f), e),
                }
                if let Some(s) = &a.size {
                    c.err(
                        "attachments.size",
                        Some(s),
                        "only for `url` attachments: the size of a file is measured",
                    );
                }
            }
            (None, Some(u)) => {
                let text = u.get_ref().trim().to_string();
                if is_http_url(&text) {
                    att.format = format_from_path(&text);
                    att.url = Some(text);
                } else {
                    c.err(
                        "attachments.url",
                        Some(&u),
                        format!("must be an http:// or https:// address, got {text:?}"),
                    );
                }
                att.size = a.size.map(|s| s.into_inner());
            }
            (Some(_), Some(u)) => c.err(
                "attachments.url",
                Some(&u),
                "give exactly one of `file` and `url`, not both",
            ),
            (None, None) => c.errors.push(
                Diagnostic::new(c.file, "give exactly one of `file` and `url`")
                    .at_line(a_line)
                    .field("attachments.file"),
            ),
        }
        if let Some(f) = a.format {
            let v = f.get_ref().trim().to_string();
            if v.is_empty() {
                c.err("attachments.format", Some(&f), "must not be empty");
            } else {
                att.format = Some(v);
            }
        }
        out.push(att);
    }
    out
}

/// Parse and validate one content file of a section.
pub fn load_entry(
    ctx: &LoadContext,
    kind: Kind,
    content_path: &str,
    bytes: &[u8],
) -> Result<Entry, Vec<Diagnostic>> {
    let file = format!("content/{content_path}");
    let text = utf8(&file, bytes).map_err(|d| vec![d])?;
    let split = split_file(&file, text)?;
    let fm = split.front_matter;
    let mut c = FileCheck {
        file: &file,
        fm,
        errors: Vec::new(),
    };
    let body = markdown::render(split.body, &ctx.config.base_path());
    let mut entry = Entry {
        kind,
        file: file.clone(),
        content_path: content_path.to_string(),
        slug: String::new(),
        path: String::new(),
        title: String::new(),
        summary: String::new(),
        body_markdown: split.body.to_string(),
        body_html: body.html,
        body_text: body.text,
        headings: body.headings,
        date: None,
        published: None,
        updated: None,
        issuer: None,
        author: None,
        status: None,
        period: None,
        source: None,
        sources: Vec::new(),
        sectors: Vec::new(),
        districts: Vec::new(),
        related: Vec::new(),
        attachments: Vec::new(),
        ngo: None,
        call: None,
        contact: None,
        postulates: Vec::new(),
        verified: None,
        slug_line: 1,
        related_lines: Vec::new(),
    };
    let config = ctx.config;
    if kind.is_document() {
        let raw: RawDocument = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        entry.title = c.required("title", raw.title);
        entry.summary = c.required("summary", raw.summary);
        entry.date = c.date("date", raw.date);
        entry.published = c.date("published", raw.published);
        let updated_span = raw.updated.as_ref().map(|s| (s.span(), ()));
        entry.updated = c.date("updated", raw.updated);
        if let (Some(u), Some((span, _))) = (entry.updated, updated_span) {
            for (name, d) in [("published", entry.published), ("date", entry.date)] {
                if let Some(d) = d {
                    if u < d {
                        let line = span_line(fm, &span);
                        c.errors.push(
                            Diagnostic::new(&file, format!("{u} is before `{name}` ({d})"))
                                .at_line(line)
                                .field("updated"),
                        );
                    }
                }
            }
        }
        entry.issuer = c.optional("issuer", raw.issuer);
        entry.author = c.optional("author", raw.author);
        if let Some(s) = raw.status {
            match Status::parse(s.get_ref().trim()) {
                Some(st) => entry.status = Some(st),
                None => c.err(
                    "status",
                    Some(&s),
                    format!(
                        "unknown status {:?}; allowed values: {}",
                        s.get_ref(),
                        Status::ALL.map(|s| s.value()).join(", ")
                    ),
                ),
            }
        }
        entry.period = c.optional("period", raw.period);
        entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
        entry.districts = c.vocabulary("districts", "districts", raw.districts, &config.districts);
        entry.source = c.http_url("source", raw.source);
        entry.sources = raw.sources.unwrap_or_default();
        (entry.related, entry.related_lines) = c.related(raw.related);
        let (slug, line) = c.slug(raw.slug, content_path);
        entry.slug = slug;
        entry.slug_line = line;
        entry.attachments = load_attachments(&mut c, ctx, raw.attachments);
        match raw.postulates {
            Some(list) if kind == Kind::Raport => {
                entry.postulates =
                    super::postulates::load(&mut c, config, list, entry.date.or(entry.published));
            }
            Some(list) => {
                if let Some(first) = list.first() {
                    c.err(
                        "postulates",
                        Some(first),
                        "only reports (raporty) may list postulates",
                    );
                }
            }
            None => {}
        }
    } else if kind == Kind::Konkurs {
        let raw: super::calls::RawCall = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        super::calls::load_call(&mut c, ctx, raw, &mut entry);
    } else if kind == Kind::Kontakt {
        let raw: super::calls::RawContact = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        super::calls::load_contact(&mut c, config, raw, &mut entry);
    } else {
        let raw: RawNgo = front_matter::parse(&file, fm).map_err(|d| vec![d])?;
        entry.title = c.required("name", raw.name);
        entry.summary = c.required("summary", raw.summary);
        entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
        entry.districts = c.vocabulary("districts", "districts", raw.districts, &config.districts);
        let mut info = NgoInfo {
            address: c.optional("address", raw.address),
            website: c.http_url("website", raw.website),
            ..NgoInfo::default()
        };
        info.email = c.email(raw.email);
        info.phone = c.phone(raw.phone);
        if let Some(k) = raw.krs {
            let v = k.get_ref().clone();
            if v.len() == 10 && v.chars().all(|ch| ch.is_ascii_digit()) {
                info.krs = Some(v);
            } else {
                c.err(
                    "krs",
                    Some(&k),
                    format!("must be exactly 10 digits, got {v:?}"),
                );
            }
        }
        entry.verified = super::freshness::load(&mut c, raw.verified);
        entry.sources = raw.sources.unwrap_or_default();
        let (slug, line) = c.slug(raw.slug, content_path);
        entry.slug = slug;
        entry.slug_line = line;
        entry.ngo = Some(info);
    }
    entry.path = format!("{}/{}/", kind.section(), entry.slug);
    if c.errors.is_empty() {
        Ok(entry)
    } else {
        Err(c.errors)
    }
}

/// Parse a section's `_index.md` (`kind` = Some) or the root `_index.md` (`None`).
pub fn load_index(
    kind: Option<Kind>,
    content_path: &str,
    bytes: &[u8],
    base_path: &str,
) -> Result<(Option<String>, Option<String>, String), Vec<Diagnostic>> {
    let file = format!("content/{content_path}");
    let text = utf8(&file, bytes).map_err(|d| vec![d])?;
    let split = split_file(&file, text)?;
    let raw: RawSection = front_matter::parse(&file, split.front_matter).map_err(|d| vec![d])?;
    let mut c = FileCheck {
        file: &file,
        fm: split.front_matter,
        errors: Vec::new(),
    };
    let title = if kind.is_some() {
        Some(c.required("title", raw.title))
    } else {
        c.optional("title", raw.title)
    };
    let summary = c.optional("summary", raw.summary);
    let html = markdown::render(split.body, base_path).html;
    if c.errors.is_empty() {
        Ok((title, summary, html))
    } else {
        Err(c.errors)
    }
}

/// Checks across files: duplicate slugs, `related` references that must exist, and files in
/// `content/` that no attachment references.
pub fn check_site(entries: &[Entry], other_files: &[String]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut by_slug: BTreeMap<(Kind, &str), Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_slug
            .entry((e.kind, e.slug.as_str()))
            .or_default()
            .push(e);
    }
    for ((_, slug), group) in by_slug {
        if group.len() > 1 {
            let mut group = group;
            group.sort_by(|a, b| a.file.cmp(&b.file));
            let first = group[0];
            for e in &group[1..] {
                errors.push(
                    Diagnostic::new(
                        &e.file,
                        format!(
                            "duplicate slug {slug:?}: {} and {} would both be /{}",
                            first.file, e.file, e.path
                        ),
                    )
                    .at_line(e.slug_line)
                    .field("slug"),
                );
            }
        }
    }
    let known: BTreeSet<&str> = entries.iter().map(|e| e.content_path.as_str()).collect();
    for e in entries {
        for (r, line) in e.related.iter().zip(&e.related_lines) {
            if !known.contains(r.as_str()) {
                errors.push(
                    Diagnostic::new(&e.file, format!("no such content file: content/{r}"))
                        .at_line(*line)
                        .field("related"),
                );
            } else if *r == e.content_path {
                errors.push(
                    Diagnostic::new(&e.file, "a document cannot be related to itself")
                        .at_line(*line)
                        .field("related"),
                );
            }
        }
    }
    let referenced: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.attachments.iter().filter_map(|a| a.file.as_deref()))
        .collect();
    for f in other_files {
        if !referenced.contains(f.as_str()) {
            errors.push(Diagnostic::new(
                format!("content/{f}"),
                "not referenced by any attachment (content/ holds only Markdown pages and attachment files)",
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(normalise_relative("./a/b.pdf").unwrap(), "a/b.pdf");
        assert!(normalise_relative("../x").is_err());
        assert!(normalise_relative("a/../../x").is_err());
        assert!(normalise_relative("/etc/passwd").is_err());
    }

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

    #[test]
    fn forms() {
        assert!(is_phone("+48 12 345 67 89"));
        assert!(!is_phone("123"));
        assert!(is_http_url("https://bip.krakow.pl/?dok_id=1"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert_eq!(format_from_path("a/b.pdf").as_deref(), Some("PDF"));
    }
}
