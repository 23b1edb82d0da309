//! The `[accessibility]` table of `jawnik.toml`: what the site's accessibility statement
//! (*deklaracja dostępności*, page `deklaracja-dostepnosci/`) says, read, checked and kept as a
//! [`Statement`]; and the commented table `jawnik init` writes ([`INIT_TABLE`]).
//!
//! The statement's structure is set by **"Warunki techniczne publikacji oraz struktura
//! dokumentu elektronicznego deklaracji dostępności", wersja 2.0 z 31 lipca 2024 r.**,
//! published by the Minister Cyfryzacji under art. 12 pkt 7 of the act of 4 April 2019 on
//! the digital accessibility of websites and mobile applications of public bodies
//! (*ustawa o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów
//! publicznych*, Dz. U. 2023 poz. 1440), at
//! <https://mc.bip.gov.pl/objasnienia-prawne/warunki-techniczne-publikacji-oraz-struktura-dokumentu-elektronicznego-deklaracji-dostepnosci.html>
//! (a copy: <https://www.deklaracja-dostepnosci.info/dd-opis-2>). The ids below were checked
//! against that copy's statement of version and date and against what the v2 validator
//! (<https://www.deklaracja-dostepnosci.info/walidator>) reports as required; the primary BIP
//! text itself could not be read from here, so re-check it when the ministry publishes a new
//! version. Version 2.0 differs from 1.x: `a11y-zakres` (the kind of solution) and
//! `a11y-komunikacja` are new and required, `a11y-kontakt` is the contact person or unit
//! itself (`a11y-osoba` is gone), `a11y-aplikacje` is needed only where there are
//! applications, and dates are `<time datetime>`.
//!
//! | id | content | here |
//! |---|---|---|
//! | `a11y-wstep` | the opening statement | fixed text with the three below |
//! | `a11y-podmiot` | the public body's name | `body` (required) |
//! | `a11y-zakres` | the kind of solution | "strony internetowej" |
//! | `a11y-url` | the website's address | `base_url` (link text: `site_name` or the site title) |
//! | `a11y-data-publikacja` | when the website was published | `published` (required) |
//! | `a11y-data-aktualizacja` | its last significant update | `updated` (required) |
//! | `a11y-status` | the conformance sentence | `status` (required) |
//! | `a11y-ocena` | disproportionate burden (only then) | `[[accessibility.inaccessible]]` of kind `nadmierne koszty` |
//! | `a11y-data-sporzadzenie` | when the statement was first prepared | `prepared` (required) |
//! | `a11y-data-przeglad` | its last review (once there was one) | `reviewed` |
//! | `a11y-kontakt` | the contact person or unit | `contact` (required) |
//! | `a11y-email` | their e-mail | `email` (required) |
//! | `a11y-telefon` | their phone | `phone` (required) |
//! | `a11y-procedura` | requests and complaints | fixed text, `complaints`, the Ombudsman |
//! | `a11y-aplikacje` | mobile applications (only if any) | `[[accessibility.apps]]` |
//! | `a11y-architektura` | architectural accessibility | `architecture` (required) |
//! | `a11y-architektura-url` | a link to a fuller description | `architecture_url` |
//! | `a11y-komunikacja` | communication and information accessibility | `communication` (required) |
//!
//! Also required in substance: how the statement was prepared (`assessment`: `samoocena` or
//! `audyt` with `auditor`) and, when the status is not `zgodna`, at least one entry of
//! `[[accessibility.inaccessible]]` (what is not accessible and why).
//!
//! A value of the wrong form is an error (`jawnik.toml:LINE: field `accessibility.email`:
//! …`). A required field that is missing is a warning naming the table's line: a site may
//! publish its statement while the body gathers the facts; the page then shows the field as
//! not filled in ("nie uzupełniono") and lists what is missing at its top.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use crate::content::address::{is_http_url, is_phone};
use crate::content::date::Date;
use crate::content::diagnostics::{line_of, Diagnostic};

use super::CONFIG_FILE;

/// The site path of the statement page.
pub const PAGE_PATH: &str = "deklaracja-dostepnosci/";

/// The table as written, every value with its place in `jawnik.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatement {
    body: Option<Spanned<String>>,
    site_name: Option<Spanned<String>>,
    published: Option<Spanned<Datetime>>,
    updated: Option<Spanned<Datetime>>,
    status: Option<Spanned<String>>,
    #[serde(default)]
    inaccessible: Vec<RawBarrier>,
    prepared: Option<Spanned<Datetime>>,
    reviewed: Option<Spanned<Datetime>>,
    assessment: Option<Spanned<String>>,
    auditor: Option<Spanned<String>>,
    report_url: Option<Spanned<String>>,
    contact: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    complaints: Option<Spanned<String>>,
    architecture: Option<Spanned<String>>,
    architecture_url: Option<Spanned<String>>,
    communication: Option<Spanned<String>>,
    #[serde(default)]
    apps: Vec<RawApp>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBarrier {
    what: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApp {
    name: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
    statement_url: Option<Spanned<String>>,
}

/// How far the website meets the act's requirements (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformance {
    Full,
    Partial,
    None,
}

impl Conformance {
    const VALUES: [(&'static str, Conformance); 3] = [
        ("zgodna", Conformance::Full),
        ("częściowo zgodna", Conformance::Partial),
        ("niezgodna", Conformance::None),
    ];

    /// The value as written in `jawnik.toml`.
    pub fn as_str(self) -> &'static str {
        Self::VALUES
            .iter()
            .find(|(_, c)| *c == self)
            .map(|(s, _)| *s)
            .unwrap_or("")
    }
}

/// Why a part of the site is not accessible (`inaccessible.kind`): the three lists of the
/// statement's "Niedostępne treści".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarrierKind {
    /// Niezgodność z załącznikiem (the default).
    Nonconformity,
    /// Treści nieobjęte przepisami (content the act exempts).
    Exempt,
    /// Nadmierne koszty (disproportionate burden).
    Burden,
}

impl BarrierKind {
    const VALUES: [(&'static str, BarrierKind); 3] = [
        ("niezgodność", BarrierKind::Nonconformity),
        ("wyłączenie", BarrierKind::Exempt),
        ("nadmierne koszty", BarrierKind::Burden),
    ];
}

/// One inaccessible part of the site and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Barrier {
    pub what: String,
    pub reason: Option<String>,
    pub kind: BarrierKind,
    /// For a disproportionate burden: the assessment that found it.
    pub url: Option<String>,
}

/// A mobile application of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub name: String,
    pub url: String,
    pub statement_url: Option<String>,
}

/// The checked statement: a field is `None` when the table does not give it.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub body: Option<String>,
    pub site_name: Option<String>,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub status: Option<Conformance>,
    pub inaccessible: Vec<Barrier>,
    pub prepared: Option<Date>,
    pub reviewed: Option<Date>,
    /// `true`: an external audit by `auditor`; `false`: the body's self-assessment.
    pub audit: Option<bool>,
    pub auditor: Option<String>,
    pub report_url: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub complaints: Option<String>,
    pub architecture: Option<String>,
    pub architecture_url: Option<String>,
    pub communication: Option<String>,
    pub apps: Vec<App>,
    /// One warning per required field the table leaves out.
    pub missing: Vec<Diagnostic>,
}

/// Collects the errors and the missing fields of the table, with lines of `jawnik.toml`.
struct TableCheck<'a> {
    text: &'a str,
    /// The line of `[accessibility]`, where a missing field would go.
    table_line: Option<usize>,
    errors: Vec<Diagnostic>,
    missing: Vec<Diagnostic>,
}

impl TableCheck<'_> {
    fn error<T>(&mut self, field: &str, at: &Spanned<T>, message: String) {
        let line = line_of(self.text, at.span().start);
        self.errors.push(
            Diagnostic::new(CONFIG_FILE, message)
                .at_line(line)
                .field(format!("accessibility.{field}")),
        );
    }

    fn missing(&mut self, field: &str, what: &str) {
        self.missing.push(
            Diagnostic::new(
                CONFIG_FILE,
                format!("missing: {what}; the accessibility statement shows it as not filled in"),
            )
            .with_line(self.table_line)
            .field(format!("accessibility.{field}")),
        );
    }

    /// Trimmed text, `None` (with an error) when empty.
    fn text(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        let s = v?;
        let text = s.get_ref().trim().to_string();
        if text.is_empty() {
            self.error(
                field,
                &s,
                "must not be empty (leave the key out instead)".into(),
            );
            return None;
        }
        Some(text)
    }

    /// Text that must pass `valid`, described as `form` in the error.
    fn checked(
        &mut self,
        field: &str,
        v: Option<Spanned<String>>,
        valid: fn(&str) -> bool,
        form: &str,
    ) -> Option<String> {
        let span = v.clone()?;
        let text = self.text(field, v)?;
        if valid(&text) {
            Some(text)
        } else {
            self.error(field, &span, format!("must be {form}, got {text:?}"));
            None
        }
    }

    fn url(&mut self, field: &str, v: Option<Spanned<String>>) -> Option<String> {
        self.checked(field, v, is_http_url, "an http:// or https:// address")
    }

    fn date(&mut self, field: &str, v: Option<Spanned<Datetime>>) -> Option<Date> {
        let s = v?;
        match (s.get_ref().date, s.get_ref().time) {
            (Some(d), None) => Some(Date {
                year: d.year,
                month: d.month,
                day: d.day,
            }),
            _ => {
                let got = s.get_ref().to_string();
                self.error(
                    field,
                    &s,
                    format!("must be a date like 2025-03-31 (no time), got {got}"),
                );
                None
            }
        }
    }

    /// One of `values` (as written), else an error listing them.
    fn choice<T: Copy>(
        &mut self,
        field: &str,
        v: Option<Spanned<String>>,
        values: &[(&str, T)],
    ) -> Option<T> {
        let span = v.clone()?;
        let text = self.text(field, v)?;
        let found = values.iter().find(|(s, _)| *s == text).map(|(_, t)| *t);
        if found.is_none() {
            let allowed: Vec<String> = values.iter().map(|(s, _)| format!("{s:?}")).collect();
            self.error(
                field,
                &span,
                format!("must be one of {}, got {text:?}", allowed.join(", ")),
            );
        }
        found
    }
}

impl RawStatement {
    /// Check the table of `text` (the whole `jawnik.toml`): the statement, or every error.
    pub fn check(self, text: &str) -> Result<Statement, Vec<Diagnostic>> {
        let mut c = TableCheck {
            text,
            table_line: super::table_line(text, "accessibility"),
            errors: Vec::new(),
            missing: Vec::new(),
        };
        let mut st = Statement {
            body: c.text("body", self.body),
            site_name: c.text("site_name", self.site_name),
            published: c.date("published", self.published),
            updated: c.date("updated", self.updated.clone()),
            status: c.choice("status", self.status, &Conformance::VALUES),
            prepared: c.date("prepared", self.prepared.clone()),
            reviewed: c.date("reviewed", self.reviewed.clone()),
            auditor: c.text("auditor", self.auditor),
            report_url: c.url("report_url", self.report_url),
            contact: c.text("contact", self.contact),
            email: c.checked("email", self.email, is_email, "an e-mail address"),
            phone: c.checked(
                "phone",
                self.phone,
                is_phone,
                "a phone number (7–15 digits, spaces, + - ( ) /)",
            ),
            complaints: c.text("complaints", self.complaints),
            architecture: c.text("architecture", self.architecture),
            architecture_url: c.url("architecture_url", self.architecture_url),
            communication: c.text("communication", self.communication),
            ..Statement::default()
        };
        st.audit = c.choice(
            "assessment",
            self.assessment,
            &[("samoocena", false), ("audyt", true)],
        );
        if let (Some(p), Some(u), Some(span)) = (st.published, st.updated, &self.updated) {
            if u < p {
                c.error("updated", span, format!("{u} is before `published` ({p})"));
            }
        }
        if let (Some(p), Some(r), Some(span)) = (st.prepared, st.reviewed, &self.reviewed) {
            if r < p {
                c.error("reviewed", span, format!("{r} is before `prepared` ({p})"));
            }
        }
        for b in self.inaccessible {
            let what = c.text("inaccessible.what", b.what.clone());
            if what.is_none() && b.what.is_none() {
                c.missing(
                    "inaccessible.what",
                    "what is not accessible, in each [[accessibility.inaccessible]]",
                );
            }
            let reason = c.text("inaccessible.reason", b.reason);
            let kind = match b.kind {
                Some(k) => c.choice("inaccessible.kind", Some(k), &BarrierKind::VALUES),
                None => Some(BarrierKind::Nonconformity),
            };
            let url = c.url("inaccessible.url", b.url);
            if let (Some(what), Some(kind)) = (what, kind) {
                st.inaccessible.push(Barrier {
                    what,
                    reason,
                    kind,
                    url,
                });
            }
        }
        for a in self.apps {
            let (name, url) = (c.text("apps.name", a.name), c.url("apps.url", a.url));
            let statement_url = c.url("apps.statement_url", a.statement_url);
            match (name, url) {
                (Some(name), Some(url)) => st.apps.push(App {
                    name,
                    url,
                    statement_url,
                }),
                _ => c.missing(
                    "apps",
                    "the `name` and download `url` of each [[accessibility.apps]]",
                ),
            }
        }
        missing_fields(&mut c, &st);
        if c.errors.is_empty() {
            st.missing = c.missing;
            Ok(st)
        } else {
            c.errors.sort();
            Err(c.errors)
        }
    }
}

/// The fields every statement needs, in the order `check` reports them missing.
pub const REQUIRED_FIELDS: [&str; 11] = [
    "body",
    "published",
    "updated",
    "status",
    "prepared",
    "assessment",
    "contact",
    "email",
    "phone",
    "architecture",
    "communication",
];

/// Warn of every required field the statement lacks.
fn missing_fields(c: &mut TableCheck, st: &Statement) {
    let given = [
        st.body.is_some(),
        st.published.is_some(),
        st.updated.is_some(),
        st.status.is_some(),
        st.prepared.is_some(),
        st.audit.is_some(),
        st.contact.is_some(),
        st.email.is_some(),
        st.phone.is_some(),
        st.architecture.is_some() || st.architecture_url.is_some(),
        st.communication.is_some(),
    ];
    let what = [
        "the full name of the public body (a11y-podmiot)",
        "the date the website was published (a11y-data-publikacja)",
        "the date of the website's last significant update (a11y-data-aktualizacja)",
        "the conformance status, \"zgodna\", \"częściowo zgodna\" or \"niezgodna\" (a11y-status)",
        "the date the statement was first prepared (a11y-data-sporzadzenie)",
        "how the statement was prepared, \"samoocena\" or \"audyt\"",
        "the person or unit to contact about accessibility (a11y-kontakt)",
        "their e-mail address (a11y-email)",
        "their phone number (a11y-telefon)",
        "the architectural accessibility of the body's seat (a11y-architektura)",
        "the communication and information accessibility, e.g. a sign-language interpreter (a11y-komunikacja)",
    ];
    for ((field, given), what) in REQUIRED_FIELDS.into_iter().zip(given).zip(what) {
        if !given {
            c.missing(field, what);
        }
    }
    if st.audit == Some(true) && st.auditor.is_none() {
        c.missing(
            "auditor",
            "who audited the website (`assessment = \"audyt\"`)",
        );
    }
    if matches!(st.status, Some(Conformance::Partial | Conformance::None))
        && st.inaccessible.is_empty()
    {
        c.missing(
            "inaccessible",
            "what is not accessible and why ([[accessibility.inaccessible]]), required when the status is not \"zgodna\"",
        );
    }
}

/// The commented `[accessibility]` table `jawnik init` appends to `jawnik.toml`: remove the
/// `# ` before its lines and fill in the body's facts.
pub const INIT_TABLE: &str = r#"
# Deklaracja dostępności (strona /deklaracja-dostepnosci/, link w stopce każdej strony).
# Podmioty publiczne muszą ją opublikować (ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej);
# jej budowę określają „Warunki techniczne publikacji oraz struktura dokumentu elektronicznego
# deklaracji dostępności” w wersji 2.0. Usuń „# ” przed wierszami tabeli i wpisz prawdziwe dane:
# pola, których brakuje, `jawnik check` wymienia, a strona pokazuje jako nieuzupełnione.
#
# [accessibility]
# body = "Urząd Miasta Przykładowo"          # pełna nazwa podmiotu publicznego
# published = 2025-01-15                     # data publikacji strony
# updated = 2025-03-01                       # data ostatniej istotnej aktualizacji strony
# status = "częściowo zgodna"               # "zgodna", "częściowo zgodna" albo "niezgodna"
# prepared = 2025-03-20                      # data sporządzenia deklaracji
# reviewed = 2025-03-20                      # data ostatniego przeglądu deklaracji (po pierwszym)
# assessment = "samoocena"                   # "samoocena" albo "audyt" (wtedy też auditor = "…")
# contact = "Wydział Przykładowy"            # osoba albo komórka do kontaktu w sprawie dostępności
# email = "dostepnosc@example.org"
# phone = "+48 12 000 00 00"
# complaints = "Prezydent Miasta Przykładowo, ul. Przykładowa 1, 00-000 Przykładowo"  # dokąd składać skargi
# architecture = """
# Opis dostępności siedziby: wejścia, windy, toalety, miejsca parkingowe, pies asystujący."""
# communication = """
# Tłumacz polskiego języka migowego (PJM) online, pętla indukcyjna, kontakt SMS lub e-mail."""
#
# [[accessibility.inaccessible]]             # każda niedostępna część strony
# what = "Niektóre załączniki PDF są skanami bez warstwy tekstowej."
# reason = "Dokumenty przekazane przez inne podmioty; na prośbę przygotujemy wersję dostępną."
# kind = "niezgodność"                       # "niezgodność", "wyłączenie" albo "nadmierne koszty"
"#;

/// The same address rule as the content's `email` fields (`content::address`).
fn is_email(s: &str) -> bool {
    crate::content::address::check_email(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse a `jawnik.toml` whose `[accessibility]` table (on line 4) is `table`.
    fn parse(table: &str) -> Result<Statement, Vec<Diagnostic>> {
        let text = format!(
            "title = \"t\"\nbase_url = \"https://example.org/\"\n\n[accessibility]\n{table}"
        );
        crate::config::Config::parse(&text, None)
            .map(|c| c.accessibility.expect("the table is there"))
    }

    #[test]
    fn every_missing_field_is_a_warning_at_the_table_line() {
        let st = parse("").unwrap();
        let fields: Vec<_> = st
            .missing
            .iter()
            .map(|d| d.field.clone().unwrap())
            .collect();
        assert_eq!(
            fields,
            REQUIRED_FIELDS.map(|f| format!("accessibility.{f}"))
        );
        assert!(st.missing.iter().all(|d| d.line == Some(4)));
    }

    #[test]
    fn bad_values_are_errors_with_their_lines() {
        let errors = parse(
            "email = \"nie-mail\"\nstatus = \"prawie\"\npublished = 2025-02-01\nupdated = 2025-01-01\narchitecture_url = \"javascript:x\"\n",
        )
        .unwrap_err();
        let mut got: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        got.sort();
        assert_eq!(
            got,
            [
                "jawnik.toml:5: field `accessibility.email`: must be an e-mail address, got \"nie-mail\"",
                "jawnik.toml:6: field `accessibility.status`: must be one of \"zgodna\", \"częściowo zgodna\", \"niezgodna\", got \"prawie\"",
                "jawnik.toml:8: field `accessibility.updated`: 2025-01-01 is before `published` (2025-02-01)",
                "jawnik.toml:9: field `accessibility.architecture_url`: must be an http:// or https:// address, got \"javascript:x\"",
            ]
        );
    }

    #[test]
    fn partial_status_needs_the_inaccessible_parts() {
        let st = parse("status = \"częściowo zgodna\"\n").unwrap();
        assert!(st
            .missing
            .iter()
            .any(|d| d.field.as_deref() == Some("accessibility.inaccessible")));
        let st = parse(
            "status = \"niezgodna\"\n[[accessibility.inaccessible]]\nwhat = \"Mapa\"\nreason = \"Brak opisu\"\nkind = \"nadmierne koszty\"\n",
        )
        .unwrap();
        assert_eq!(st.inaccessible[0].kind, BarrierKind::Burden);
        assert!(!st
            .missing
            .iter()
            .any(|d| d.field.as_deref() == Some("accessibility.inaccessible")));
    }

    #[test]
    fn the_init_table_uncommented_is_complete() {
        let table: String = INIT_TABLE
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .skip_while(|l| !l.starts_with("[accessibility]"))
            .skip(1)
            .map(|l| format!("{l}\n"))
            .collect();
        let st = parse(&table).unwrap();
        assert!(st.missing.is_empty(), "{:#?}", st.missing);
        assert_eq!(st.status, Some(Conformance::Partial));
        assert_eq!(st.inaccessible.len(), 1);
    }
}
