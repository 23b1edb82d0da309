//! Postulates of a consultation report: the `[[postulates]]` front-matter tables (text, the
//! plane of cooperation I/II/III, sector, addressed department, and the city's answer: status,
//! date, reason, and `answer_ref`, the section of a document that answers it) and their
//! validation, one file at a time (across files, `answer_ref`: [`super::answer_refs`]).
//! Each postulate gets a stable anchor on the report page.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::date::Date;
use super::diagnostics::Diagnostic;
use super::validate::FileCheck;
use crate::config::Config;

/// The plane of cooperation a postulate belongs to (the model the seed report uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Plane {
    /// I: creating public policies.
    I,
    /// II: carrying out public tasks.
    II,
    /// III: infrastructure of cooperation.
    III,
}

impl Plane {
    pub const ALL: [Plane; 3] = [Plane::I, Plane::II, Plane::III];

    /// The value written in front matter (`II`).
    pub fn value(self) -> &'static str {
        match self {
            Plane::I => "I",
            Plane::II => "II",
            Plane::III => "III",
        }
    }

    /// Display label (`Płaszczyzna II – realizacja zadań publicznych`).
    pub fn label(self) -> &'static str {
        match self {
            Plane::I => "Płaszczyzna I – tworzenie polityk publicznych",
            Plane::II => "Płaszczyzna II – realizacja zadań publicznych",
            Plane::III => "Płaszczyzna III – infrastruktura współpracy",
        }
    }

    pub fn parse(s: &str) -> Option<Plane> {
        Plane::ALL.into_iter().find(|p| p.value() == s)
    }
}

/// What the city did with a postulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    Przyjety,
    WRealizacji,
    Odrzucony,
    BezOdpowiedzi,
}

impl Answer {
    pub const ALL: [Answer; 4] = [
        Answer::Przyjety,
        Answer::WRealizacji,
        Answer::Odrzucony,
        Answer::BezOdpowiedzi,
    ];

    /// The value written in front matter and indexed (`w realizacji`).
    pub fn value(self) -> &'static str {
        match self {
            Answer::Przyjety => "przyjęty",
            Answer::WRealizacji => "w realizacji",
            Answer::Odrzucony => "odrzucony",
            Answer::BezOdpowiedzi => "bez odpowiedzi",
        }
    }

    /// A URL- and attribute-safe form (`w-realizacji`).
    pub fn slug(self) -> &'static str {
        match self {
            Answer::Przyjety => "przyjety",
            Answer::WRealizacji => "w-realizacji",
            Answer::Odrzucony => "odrzucony",
            Answer::BezOdpowiedzi => "bez-odpowiedzi",
        }
    }

    /// Display label (`W realizacji`).
    pub fn label(self) -> &'static str {
        match self {
            Answer::Przyjety => "Przyjęty",
            Answer::WRealizacji => "W realizacji",
            Answer::Odrzucony => "Odrzucony",
            Answer::BezOdpowiedzi => "Bez odpowiedzi",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.value() == s)
    }
}

/// One validated postulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postulate {
    /// 1-based position in the report's list.
    pub number: usize,
    /// The element id on the report page (`postulat-12`).
    pub anchor: String,
    pub text: String,
    pub plane: Plane,
    /// A sector slug from `jawnik.toml`.
    pub sector: Option<String>,
    /// The department the postulate is addressed to.
    pub department: Option<String>,
    pub status: Answer,
    /// When the city answered.
    pub answered: Option<Date>,
    /// The city's reason (required when rejected).
    pub reason: Option<String>,
    /// The section of a document that answers it (`answer_ref`).
    pub answer_ref: Option<AnswerRef>,
}

/// `answer_ref = "programy/program.md#anchor"`: the content path of a document and the anchor
/// of one of its headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRef {
    /// The content path (`programy/program.md`).
    pub path: String,
    /// A heading anchor of that document's page.
    pub anchor: String,
    /// Its line in the report's file.
    pub line: usize,
}

/// A `[[postulates]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPostulate {
    text: Option<Spanned<String>>,
    plane: Option<Spanned<String>>,
    sector: Option<Spanned<String>>,
    department: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    answered: Option<Spanned<Datetime>>,
    reason: Option<Spanned<String>>,
    answer_ref: Option<Spanned<String>>,
}

/// Reads `answer_ref` of postulate `number`: a content path, `#`, a heading anchor (whether
/// both exist is [`super::answer_refs::check`]'s part).
fn answer_ref(c: &mut FileCheck, number: usize, v: Spanned<String>) -> Option<AnswerRef> {
    const FIELD: &str = "postulates.answer_ref";
    let line = c.line(&v);
    let text = v.get_ref().trim();
    let Some((path, anchor)) = text.split_once('#').filter(|(_, a)| !a.is_empty()) else {
        c.err(
            FIELD,
            Some(&v),
            format!("postulate {number}: must be a content path and a heading's anchor, as in \"programy/program.md#cele\", got {text:?}"),
        );
        return None;
    };
    let before = c.errors.len();
    let (paths, _) = c.related(Some(vec![Spanned::new(v.span(), path.to_string())]));
    // `related` reports a bad path under its own name: say which field it was.
    for d in &mut c.errors[before..] {
        d.field = Some(FIELD.into());
        d.message = format!("postulate {number}: {}", d.message);
    }
    Some(AnswerRef {
        path: paths.into_iter().next()?,
        anchor: anchor.to_string(),
        line,
    })
}

/// Validate a report's postulates; `report_date` is the report's own date (answers cannot
/// come before it).
pub(crate) fn load(
    c: &mut FileCheck,
    config: &Config,
    list: Vec<Spanned<RawPostulate>>,
    report_date: Option<Date>,
) -> Vec<Postulate> {
    let mut out = Vec::new();
    for (i, raw) in list.into_iter().enumerate() {
        let number = i + 1;
        let line = c.line(&raw);
        let raw = raw.into_inner();
        let at = |c: &mut FileCheck, field: &str, msg: String| {
            c.errors.push(
                Diagnostic::new(c.file, format!("postulate {number}: {msg}"))
                    .at_line(line)
                    .field(field),
            );
        };
        let text = match raw.text {
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            Some(t) => {
                c.err(
                    "postulates.text",
                    Some(&t),
                    format!("postulate {number}: must not be empty"),
                );
                String::new()
            }
            None => {
                at(c, "postulates.text", "required field is missing".into());
                String::new()
            }
        };
        let plane = match raw.plane {
            Some(p) => match Plane::parse(p.get_ref().trim()) {
                Some(p) => Some(p),
                None => {
                    c.err(
                        "postulates.plane",
                        Some(&p),
                        format!(
                            "postulate {number}: unknown plane {:?}; allowed values: I, II, III",
                            p.get_ref()
                        ),
                    );
                    None
                }
            },
            None => {
                at(
                    c,
                    "postulates.plane",
                    "required field is missing (I, II or III)".into(),
                );
                None
            }
        };
        let status = match raw.status {
            Some(s) => match Answer::parse(s.get_ref().trim()) {
                Some(a) => Some(a),
                None => {
                    c.err(
                        "postulates.status",
                        Some(&s),
                        format!(
                            "postulate {number}: unknown status {:?}; allowed values: {}",
                            s.get_ref(),
                            Answer::ALL.map(|a| a.value()).join(", ")
                        ),
                    );
                    None
                }
            },
            None => {
                at(
                    c,
                    "postulates.status",
                    format!(
                        "required field is missing ({})",
                        Answer::ALL.map(|a| a.value()).join(", ")
                    ),
                );
                None
            }
        };
        let sector = raw.sector.and_then(|s| {
            let v = c.vocabulary(
                "postulates.sector",
                "sectors",
                Some(vec![s]),
                &config.sectors,
            );
            v.into_iter().next()
        });
        let department = c.optional("postulates.department", raw.department);
        let answered_span = raw.answered.as_ref().map(|s| s.span());
        let answered = c.date("postulates.answered", raw.answered);
        let reason = c.optional("postulates.reason", raw.reason);
        let answer_ref = raw.answer_ref.and_then(|v| answer_ref(c, number, v));
        if let (Some(d), Some(r), Some(span)) = (answered, report_date, &answered_span) {
            if d < r {
                let l = super::front_matter::span_line(c.fm, span);
                c.errors.push(
                    Diagnostic::new(
                        c.file,
                        format!(
                            "postulate {number}: answered {d} is before the report's date ({r})"
                        ),
                    )
                    .at_line(l)
                    .field("postulates.answered"),
                );
            }
        }
        match status {
            Some(Answer::BezOdpowiedzi) if answered.is_some() => {
                at(
                    c,
                    "postulates.answered",
                    "status \"bez odpowiedzi\" has no answer date; remove `answered` or give the status".into(),
                );
            }
            Some(Answer::BezOdpowiedzi) => {}
            Some(a) => {
                if answered.is_none() && answered_span.is_none() {
                    at(
                        c,
                        "postulates.answered",
                        format!("status {:?} needs the date of the city's answer", a.value()),
                    );
                }
                if a == Answer::Odrzucony && reason.is_none() {
                    at(
                        c,
                        "postulates.reason",
                        "a rejected postulate needs the city's reason".into(),
                    );
                }
            }
            None => {}
        }
        if let (Some(plane), Some(status)) = (plane, status) {
            out.push(Postulate {
                number,
                anchor: format!("postulat-{number}"),
                text,
                plane,
                sector,
                department,
                status,
                answered,
                reason,
                answer_ref,
            });
        }
    }
    out
}
