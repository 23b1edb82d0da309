//! Open data: the machine-readable files of what the site lists, written by every build under
//! `dane/` — documents (`dokumenty.json`, `dokumenty.csv`), organisations (`organizacje.csv`),
//! coordinators (`koordynatorzy.csv`), postulates with the city's answers (`postulaty.csv`),
//! open calls (`konkursy.csv`, beside the existing `konkursy/kalendarz.ics`) — and the page
//! `dane/` that lists them with their licence (`[open_data]`, [`crate::config::open_data`]) and
//! their columns. The schema is documented in `docs/open-data.md`; [`FILES`] is the source of
//! its columns, and the theme's locale files (`open_data.*`) of what each holds.
//!
//! Format: UTF-8 without BOM; CSV as RFC 4180 (the `csv` crate: comma, `"` quoting where
//! needed, CRLF line ends, a header row, the columns always in [`FILES`]' order, every file
//! written even when it has no rows); JSON through `serde_json`, object keys sorted. Rows are
//! in a fixed order (documents newest first as on the site; the directories by name; postulates
//! by report, then number; calls by deadline), so the same content gives the same bytes.
//!
//! Spreadsheet formula injection: a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a `'` before it ([`guard_cell`], as OWASP's "CSV Injection" page
//! advises), so a spreadsheet shows it as text instead of running it as a formula. The JSON
//! keeps the values as written (it is not opened by spreadsheets).

use serde_json::{json, Value};

use super::calendar;
use super::frame::{page_context, Ctx, Job, Jobs};
use super::pages::sort_entries;
use crate::content::date::Date;
use crate::content::model::Site;
use crate::content::model::{AttachmentLink, Entry, Kind};
use crate::output::OutputFile;

/// The site path of the open-data folder and page.
pub const DIR: &str = "dane/";

/// One column: its name in the header. What it holds is the locale's
/// `open_data.<file>.columns.<name>` (shown on the `dane/` page).
pub struct Column {
    pub name: &'static str,
}

const fn col(name: &'static str) -> Column {
    Column { name }
}

/// One CSV file: its name under `dane/` and its columns. Its title and description are the
/// locale's `open_data.<file>.title` and `.about` (`<file>`: the name without `.csv`).
pub struct CsvFile {
    pub name: &'static str,
    pub columns: &'static [Column],
}

impl CsvFile {
    /// The locale key of this file's `what` (`title`, `about`, `columns.url`).
    fn key(&self, what: &str) -> String {
        format!("open_data.{}.{what}", self.name.trim_end_matches(".csv"))
    }
}

const DOCUMENT_COLUMNS: &[Column] = &[
    col("url"),
    col("kind"),
    col("title"),
    col("summary"),
    col("date"),
    col("published"),
    col("updated"),
    col("issuer"),
    col("author"),
    col("status"),
    col("period"),
    col("sectors"),
    col("districts"),
    col("source"),
    col("attachments"),
];

const ORGANISATION_COLUMNS: &[Column] = &[
    col("url"),
    col("name"),
    col("summary"),
    col("krs"),
    col("address"),
    col("website"),
    col("email"),
    col("phone"),
    col("sectors"),
    col("districts"),
    col("verified"),
];

const CONTACT_COLUMNS: &[Column] = &[
    col("url"),
    col("name"),
    col("department"),
    col("summary"),
    col("email"),
    col("phone"),
    col("office_hours"),
    col("sectors"),
    col("verified"),
];

const POSTULATE_COLUMNS: &[Column] = &[
    col("url"),
    col("report"),
    col("number"),
    col("plane"),
    col("text"),
    col("sector"),
    col("department"),
    col("status"),
    col("answered"),
    col("reason"),
];

const CALL_COLUMNS: &[Column] = &[
    col("url"),
    col("title"),
    col("summary"),
    col("department"),
    col("announced"),
    col("deadline"),
    col("results"),
    col("amount"),
    col("eligibility"),
    col("call_url"),
    col("sectors"),
    col("districts"),
    col("ics"),
];

/// The CSV files, in the order the `dane/` page lists them.
pub const FILES: [CsvFile; 5] = [
    CsvFile {
        name: "dokumenty.csv",
        columns: DOCUMENT_COLUMNS,
    },
    CsvFile {
        name: "organizacje.csv",
        columns: ORGANISATION_COLUMNS,
    },
    CsvFile {
        name: "koordynatorzy.csv",
        columns: CONTACT_COLUMNS,
    },
    CsvFile {
        name: "postulaty.csv",
        columns: POSTULATE_COLUMNS,
    },
    CsvFile {
        name: "konkursy.csv",
        columns: CALL_COLUMNS,
    },
];

/// The JSON file of documents.
pub const DOCUMENTS_JSON: &str = "dokumenty.json";

/// A cell as a spreadsheet will not run it: `'` before a leading `=`, `+`, `-`, `@`, tab or
/// carriage return.
pub fn guard_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// An RFC 4180 CSV file: the header, then the rows, every cell guarded.
fn csv_bytes(columns: &[Column], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, record: Vec<String>| {
        w.write_record(record.iter().map(|c| guard_cell(c)))
            .expect("writing to memory")
    };
    write(&mut w, columns.iter().map(|c| c.name.to_string()).collect());
    for r in rows {
        debug_assert_eq!(r.len(), columns.len());
        write(&mut w, r.clone());
    }
    w.into_inner().expect("writing to memory")
}

/// The site's documents in the site's order (newest first).
fn documents(site: &Site) -> Vec<&Entry> {
    let mut docs: Vec<&Entry> = site.documents().collect();
    sort_entries(&mut docs);
    docs
}

/// Entries of a directory kind, by name as the site lists them.
fn by_name(site: &Site, kind: Kind) -> Vec<&Entry> {
    let mut list: Vec<&Entry> = site.entries.iter().filter(|e| e.kind == kind).collect();
    super::pages::sort_by_name(&mut list);
    list
}

/// Absolute URLs of an entry's attachments.
fn attachment_urls(site: &Site, e: &Entry) -> Vec<String> {
    e.attachments
        .iter()
        .filter_map(|a| match a.link()? {
            AttachmentLink::File(p) => Some(site.config.root_absolute_url(&p)),
            AttachmentLink::External(u) => Some(u.to_string()),
        })
        .collect()
}

fn document_rows(site: &Site) -> Vec<Vec<String>> {
    let cfg = &site.config;
    documents(site)
        .into_iter()
        .map(|e| {
            vec![
                cfg.absolute_url(&e.url_path),
                e.kind.name().to_string(),
                e.title.clone(),
                e.summary.clone(),
                date(e.date),
                date(e.published),
                date(e.updated),
                opt(&e.issuer),
                opt(&e.author),
                e.status.map(|s| s.value().to_string()).unwrap_or_default(),
                opt(&e.period),
                e.sectors.join(" "),
                e.districts.join(" "),
                opt(&e.source),
                attachment_urls(site, e).join(" "),
            ]
        })
        .collect()
}

fn organisation_rows(site: &Site) -> Vec<Vec<String>> {
    by_name(site, Kind::Organizacja)
        .into_iter()
        .filter_map(|e| {
            let n = e.ngo.as_ref()?;
            Some(vec![
                site.config.absolute_url(&e.url_path),
                e.title.clone(),
                e.summary.clone(),
                opt(&n.krs),
                opt(&n.address),
                opt(&n.website),
                opt(&n.email),
                opt(&n.phone),
                e.sectors.join(" "),
                e.districts.join(" "),
                date(e.verified.map(|v| v.date)),
            ])
        })
        .collect()
}

fn contact_rows(site: &Site) -> Vec<Vec<String>> {
    by_name(site, Kind::Kontakt)
        .into_iter()
        .filter_map(|e| {
            let k = e.contact.as_ref()?;
            Some(vec![
                site.config.absolute_url(&e.url_path),
                e.title.clone(),
                k.department.clone(),
                e.summary.clone(),
                opt(&k.email),
                opt(&k.phone),
                opt(&k.office_hours),
                e.sectors.join(" "),
                date(e.verified.map(|v| v.date)),
            ])
        })
        .collect()
}

fn postulate_rows(site: &Site) -> Vec<Vec<String>> {
    let mut reports: Vec<&Entry> = site
        .entries
        .iter()
        .filter(|e| !e.postulates.is_empty())
        .collect();
    reports.sort_by(|a, b| a.url_path.cmp(&b.url_path));
    reports
        .into_iter()
        .flat_map(|r| {
            r.postulates.iter().map(move |p| {
                vec![
                    format!("{}#{}", site.config.absolute_url(&r.url_path), p.anchor),
                    r.title.clone(),
                    p.number.to_string(),
                    p.plane.value().to_string(),
                    p.text.clone(),
                    opt(&p.sector),
                    opt(&p.department),
                    p.status.value().to_string(),
                    date(p.answered),
                    opt(&p.reason),
                ]
            })
        })
        .collect()
}

fn call_rows(site: &Site) -> Vec<Vec<String>> {
    let cfg = &site.config;
    let mut calls = calendar::calls(site);
    calls.sort_by(|a, b| {
        a.1.deadline
            .cmp(&b.1.deadline)
            .then_with(|| a.0.url_path.cmp(&b.0.url_path))
    });
    calls
        .into_iter()
        .map(|(e, c)| {
            let deadline = match c.deadline.time {
                Some((h, m)) => format!("{}T{h:02}:{m:02}", c.deadline.date),
                None => c.deadline.date.to_string(),
            };
            vec![
                cfg.absolute_url(&e.url_path),
                e.title.clone(),
                e.summary.clone(),
                c.department.clone(),
                c.announced.to_string(),
                deadline,
                date(c.results),
                c.amount.map(|a| a.to_string()).unwrap_or_default(),
                opt(&c.eligibility),
                opt(&c.url),
                e.sectors.join(" "),
                e.districts.join(" "),
                cfg.absolute_url(&calendar::call_ics_path(e)),
            ]
        })
        .collect()
}

/// The rows of each of [`FILES`], in its order.
fn csv_rows(site: &Site) -> [Vec<Vec<String>>; 5] {
    [
        document_rows(site),
        organisation_rows(site),
        contact_rows(site),
        postulate_rows(site),
        call_rows(site),
    ]
}

/// `dokumenty.json`: the site, the licence and every document with its attachments. Written
/// as it is serialised, one document's value at a time (the keys in the order a
/// `serde_json::Value` of the whole file would have them: sorted), never the whole file as a
/// value.
fn documents_json(site: &Site) -> Vec<u8> {
    struct File<'a>(&'a Site);
    struct Documents<'a>(&'a Site, Vec<&'a Entry>);
    impl serde::Serialize for Documents<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.1.iter().map(|e| document_value(self.0, e)))
        }
    }
    impl serde::Serialize for File<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let (site, cfg) = (self.0, &self.0.config);
            let docs = documents(site);
            let mut m = s.serialize_map(Some(4))?;
            m.serialize_entry("count", &docs.len())?;
            m.serialize_entry("documents", &Documents(site, docs))?;
            m.serialize_entry("licence", &licence_value(site))?;
            m.serialize_entry("site", &json!({"title": cfg.title, "url": cfg.base_url}))?;
            m.end()
        }
    }
    let mut out = serde_json::to_vec_pretty(&File(site)).expect("JSON of plain values");
    out.push(b'\n');
    out
}

/// One document of `dokumenty.json`.
fn document_value(site: &Site, e: &Entry) -> Value {
    let cfg = &site.config;
    let terms = |slugs: &[String], name: &dyn Fn(&str) -> Option<String>| -> Vec<Value> {
        slugs
            .iter()
            .map(|s| json!({"slug": s, "name": name(s)}))
            .collect()
    };
    let attachments: Vec<Value> = e
        .attachments
        .iter()
        .zip(attachment_urls(site, e))
        .map(|(a, url)| json!({"title": a.title, "url": url, "format": a.format, "size": a.size}))
        .collect();
    json!({
                "url": cfg.absolute_url(&e.url_path),
                "kind": e.kind.name(),
                "title": e.title,
                "summary": e.summary,
                "date": e.date.map(|d| d.to_string()),
                "published": e.published.map(|d| d.to_string()),
                "updated": e.updated.map(|d| d.to_string()),
                "issuer": e.issuer,
                "author": e.author,
                "status": e.status.map(|s| s.value()),
                "period": e.period,
                "sectors": terms(&e.sectors, &|s| cfg.sector(s).map(|t| t.name.clone())),
                "districts": terms(&e.districts, &|s| cfg.district(s).map(|t| t.name.clone())),
                "source": e.source,
                "attachments": attachments,
    })
}

fn licence_value(site: &Site) -> Value {
    let od = &site.config.open_data;
    match &od.licence {
        Some(name) => json!({"name": name, "url": od.licence_url}),
        None => Value::Null,
    }
}

/// Every open-data file, paths relative to the output folder.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let mut out = vec![OutputFile {
        path: format!("{DIR}{DOCUMENTS_JSON}"),
        contents: documents_json(site),
    }];
    for (f, rows) in FILES.iter().zip(csv_rows(site)) {
        out.push(OutputFile {
            path: format!("{DIR}{}", f.name),
            contents: csv_bytes(f.columns, &rows),
        });
    }
    out
}

/// The page `dane/`: the licence, the files (with rows and `sizes`: each of [`files`]'s
/// paths with its length) and their columns.
pub(super) fn page_jobs(c: &Ctx, sizes: &[(String, u64)], jobs: &mut Jobs) {
    let site = c.site;
    let l = c.locale();
    let size_of = |name: &str| {
        sizes
            .iter()
            .find(|(p, _)| p.strip_prefix(DIR) == Some(name))
            .map(|(_, s)| super::entries::human_size(*s))
    };
    let mut list: Vec<Value> = FILES
        .iter()
        .zip(csv_rows(site))
        .map(|(f, rows)| {
            json!({
                "name": f.name, "title": l.text(&f.key("title")), "about": l.text(&f.key("about")), "format": "CSV",
                "url": c.url(&format!("{DIR}{}", f.name)), "rows": rows.len(), "size": size_of(f.name),
                "columns": f.columns.iter().map(|k| json!({"name": k.name, "about": l.text(&f.key(&format!("columns.{}", k.name)))})).collect::<Vec<_>>(),
            })
        })
        .collect();
    list.insert(
        1,
        json!({
            "name": DOCUMENTS_JSON, "title": l.text("open_data.dokumenty.title"), "format": "JSON",
            "about": l.text("open_data.documents_json"),
            "url": c.url(&format!("{DIR}{DOCUMENTS_JSON}")), "rows": site.documents().count(), "size": size_of(DOCUMENTS_JSON),
        }),
    );
    let calendar = (!calendar::ics_files(site, l).is_empty()).then(|| c.url(calendar::ICS_ALL));
    let od = &site.config.open_data;
    let title = l.text("nav.open_data");
    let m = c.page(
        "dane",
        title,
        l.text("open_data.summary"),
        Some(DIR),
        "website",
        json!({
            "@context": "https://schema.org",
            "@type": "DataCatalog",
            "name": title,
            "url": site.config.absolute_url(DIR),
            "inLanguage": site.config.language,
            "license": od.licence_url,
        }),
        None,
        &[],
    );
    jobs.push(Job {
        path: format!("{DIR}index.html"),
        template: "open-data.html",
        ctx: page_context(
            m,
            json!({
                "files": list,
                "calendar": calendar,
                "licence": {"name": od.licence, "url": od.licence_url},
            }),
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_quoted_as_text() {
        for (raw, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+48 12 000 00 00", "'+48 12 000 00 00"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Fundacja = dobro", "Fundacja = dobro"),
            ("", ""),
        ] {
            assert_eq!(guard_cell(raw), want);
        }
    }

    #[test]
    fn csv_is_rfc_4180() {
        let cols = [col("a"), col("b")];
        let bytes = csv_bytes(&cols, &[vec!["x, \"y\"".into(), "z\nw".into()]]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b\r\n\"x, \"\"y\"\"\",\"z\nw\"\r\n"
        );
    }
}
