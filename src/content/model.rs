//! The validated content model: the kinds of content, the [`Entry`] every page is made
//! from (with its attachments, NGO details, call and coordinator details), the sections, the
//! home intro and the whole [`Site`] the renderer and the search indexer consume. Types only:
//! reading and validating them is [`super::load`]'s.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::date::Date;
use super::postulates::Postulate;
use crate::config::Config;

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

    /// Where the attachment links: its published file (the site path, percent-encoded),
    /// else its external `url`.
    pub fn link(&self) -> Option<AttachmentLink<'_>> {
        match (self.output_path(), &self.url) {
            (Some(p), _) => Some(AttachmentLink::File(super::address::encode_path(&p))),
            (None, Some(u)) => Some(AttachmentLink::External(u)),
            (None, None) => None,
        }
    }
}

/// The target of an attachment's link ([`Attachment::link`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentLink<'a> {
    /// A file published under `pliki/`: its path relative to the site root, percent-encoded.
    File(String),
    /// An external address, as written.
    External(&'a str),
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
    pub source_file: String,
    /// The source file relative to `content/` (`raporty/x.md`), as used by `related`.
    pub content_path: String,
    pub slug: String,
    /// The document's language (`pl`, `uk`, `en`): the file name's suffix (`x.uk.md`),
    /// else the site's `language` ([`super::translations`]).
    pub language: String,
    /// The content path without the language suffix (`raporty/x.md` for `raporty/x.uk.md`):
    /// pages with one key are translations of each other.
    pub translation_key: String,
    /// The page's path relative to the base URL (`raporty/x/`; `uk/raporty/x/` for a page in
    /// another language than the site's).
    pub url_path: String,
    /// `title` for documents, `name` for NGO entries.
    pub title: String,
    pub summary: String,
    /// Where the Markdown body is in the file (read back when a page needs it: a build does
    /// not hold every body, [`super::body`]).
    pub body: BodySpan,
    /// Plain text of the body, kept only by `jawnik serve`'s loads (its search patches need
    /// a page's text from before an edit); a build reads it back from the file when it
    /// indexes the page ([`super::body::text`]), so it never holds the site's text.
    pub body_text: Option<String>,
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
    pub ngo: Option<Box<NgoInfo>>,
    /// Present for open calls (`konkursy`).
    pub call: Option<Box<CallInfo>>,
    /// Present for coordinators (`kontakty`).
    pub contact: Option<Box<ContactInfo>>,
    /// A report's postulates, in front-matter order.
    pub postulates: Vec<Postulate>,
    /// Organisations and coordinators: when someone last confirmed the details.
    pub verified: Option<Verified>,
    /// Line of the `slug` key (or 1), for duplicate-slug reports.
    pub slug_line: usize,
    /// Line of each `related` value.
    pub related_lines: Vec<usize>,
    /// Documents: the earlier version and this version's label ([`super::versions`]).
    pub versions: VersionInfo,
}

/// The entries by content path (`programy/x.md`), as `related`, `previous` and `answer_ref`
/// name them.
pub fn entries_by_path(entries: &[Entry]) -> BTreeMap<&str, &Entry> {
    entries
        .iter()
        .map(|e| (e.content_path.as_str(), e))
        .collect()
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

/// Where a page's Markdown body is: from byte `start` of its file to the end, with the xxh3
/// hash of those bytes as loaded (read back by [`super::body::read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BodySpan {
    pub start: usize,
    pub hash: u64,
}

impl BodySpan {
    /// The span of `body`, a slice of the file's `bytes` running to their end.
    pub fn of(bytes: &[u8], body: &str) -> BodySpan {
        let start = (body.as_ptr() as usize)
            .checked_sub(bytes.as_ptr() as usize)
            .filter(|s| *s + body.len() == bytes.len())
            .expect("the body is the end of the file's bytes");
        BodySpan {
            start,
            hash: xxhash_rust::xxh3::xxh3_64(body.as_bytes()),
        }
    }
}

/// A document's place in a chain of versions, as written in its front matter (checked by
/// [`super::versions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionInfo {
    /// The earlier version's content path (`programy/x.md`).
    pub previous: Option<String>,
    /// Line of `previous` (or 1).
    pub previous_line: usize,
    /// The version label.
    pub label: Option<String>,
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

/// A deadline: a day, and optionally the hour (local time in Europe/Warsaw).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Deadline {
    pub date: Date,
    /// Hour and minute, Europe/Warsaw local time.
    pub time: Option<(u8, u8)>,
}

impl Deadline {
    /// Polish display form: `15 grudnia 2026, godz. 15:30`.
    pub fn polish(&self) -> String {
        match self.time {
            Some((h, m)) => format!("{}, godz. {h}:{m:02}", self.date.polish()),
            None => self.date.polish(),
        }
    }
}

/// An open call's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallInfo {
    /// The department that issues the call.
    pub department: String,
    /// Money available, in złoty.
    pub amount: Option<u64>,
    pub announced: Date,
    /// The application deadline.
    pub deadline: Deadline,
    /// When the results are to be announced.
    pub results: Option<Date>,
    /// Who may apply, in plain words.
    pub eligibility: Option<String>,
    /// The official call (e.g. in the BIP).
    pub url: Option<String>,
}

/// A coordinator's details (the entry's title is the person or role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInfo {
    pub department: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub office_hours: Option<String>,
}

/// A `verified` date (when someone last confirmed an organisation's or coordinator's details;
/// what follows from it is [`super::freshness`]'s) and the line it is written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub date: Date,
    pub line: usize,
}

/// The loaded, validated site: what the renderer and the search indexer consume.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// The site root (the folder holding `jawnik.toml`).
    pub root: PathBuf,
    /// The home page intro from `content/_index.md` (empty when absent).
    pub home: HomeIntro,
    /// The sections present, in kind order.
    pub sections: Vec<Section>,
    /// Every document and NGO entry, sorted by kind then source path.
    pub entries: Vec<Entry>,
    /// The files under `content/` that are not pages (attachments, stray files), relative
    /// to `content/`: the unreferenced-file check needs them.
    pub other_files: Vec<String>,
    /// The day calls are counted from (upcoming vs archive): `--today`, else the build date.
    pub today: Date,
}

impl Site {
    /// Documents (strategies, programmes, reports) only.
    pub fn documents(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.kind.is_document())
    }

    /// The entry with this path relative to `content/` (`programy/x.md`).
    pub fn entry(&self, content_path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.content_path == content_path)
    }

    /// Whether any report of the site lists postulates.
    pub fn has_postulates(&self) -> bool {
        self.entries.iter().any(|e| !e.postulates.is_empty())
    }

    pub fn section(&self, kind: Kind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }
}
