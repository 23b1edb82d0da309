//! The content checks a build does not make: duplicate titles and summaries, documents
//! without sectors, NGO entries without contact, placeholder summaries left by `jawnik new`;
//! and the external addresses of the front matter, for the link checker.

use std::collections::BTreeMap;

use super::links::ExternalUse;
use super::problem::{Problem, Severity};
use crate::content::front_matter;
use crate::content::model::{Entry, Kind};
use crate::scaffold::PLACEHOLDER_PREFIX;

/// The 1-based line of a `key = …` line in the front matter of `text`.
pub(super) fn key_line(text: &str, key: &str) -> Option<usize> {
    let split = front_matter::split(text).ok()?;
    for (i, line) in split.front_matter.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(front_matter::FRONT_MATTER_FIRST_LINE + i);
            }
        }
    }
    None
}

/// The 1-based line of the first front-matter line containing `needle`.
pub(super) fn value_line(text: &str, needle: &str) -> Option<usize> {
    let split = front_matter::split(text).ok()?;
    split
        .front_matter
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| front_matter::FRONT_MATTER_FIRST_LINE + i)
}

fn normalise_text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Checks of the loaded entries: duplicates, sectors, contact, placeholders; and the
/// external addresses of their front matter.
pub(super) fn entry_checks(
    entries: &[Entry],
    texts: &BTreeMap<String, String>,
    problems: &mut Vec<Problem>,
    external: &mut BTreeMap<String, Vec<ExternalUse>>,
) {
    let text_of = |e: &Entry| texts.get(&e.source_file).map(String::as_str).unwrap_or("");
    let title_key = |e: &Entry| {
        if e.kind.is_document() || e.kind == Kind::Konkurs {
            "title"
        } else {
            "name"
        }
    };

    for (field, get) in [
        (
            "title",
            (|e: &Entry| e.title.as_str()) as fn(&Entry) -> &str,
        ),
        ("summary", |e: &Entry| e.summary.as_str()),
    ] {
        let mut groups: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
        for e in entries {
            let v = normalise_text(get(e));
            if !v.is_empty() {
                groups.entry(v).or_default().push(e);
            }
        }
        for group in groups.values_mut().filter(|g| g.len() > 1) {
            group.sort_by(|a, b| a.source_file.cmp(&b.source_file));
            let first = group[0];
            for e in &group[1..] {
                let key = if field == "title" {
                    title_key(e)
                } else {
                    "summary"
                };
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.source_file,
                    key_line(text_of(e), key),
                    Some(key),
                    format!(
                        "duplicate {field}: {} and {} have the same {field}",
                        first.source_file, e.source_file
                    ),
                ));
            }
        }
    }

    for e in entries {
        let text = text_of(e);
        if e.summary.trim_start().starts_with(PLACEHOLDER_PREFIX) {
            problems.push(Problem::new(
                Severity::Warning,
                &e.source_file,
                key_line(text, "summary"),
                Some("summary"),
                "placeholder summary: write the real summary in a few plain sentences",
            ));
        }
        // `jawnik new konkurs|kontakt` writes "Wydział …", "…@um.krakow.pl" and example dates.
        let placeholders = [
            ("department", e.call.as_ref().map(|c| c.department.as_str())),
            (
                "department",
                e.contact.as_ref().map(|c| c.department.as_str()),
            ),
            ("email", e.contact.as_ref().and_then(|c| c.email.as_deref())),
        ];
        for (field, value) in placeholders {
            if value.is_some_and(|v| v.contains('…')) {
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.source_file,
                    key_line(text, field),
                    Some(field),
                    format!("placeholder {field}: write the real value (and check the dates)"),
                ));
            }
        }
        if (e.kind.is_document() || e.kind == Kind::Konkurs) && e.sectors.is_empty() {
            problems.push(Problem::new(
                Severity::Warning,
                &e.source_file,
                Some(key_line(text, "sectors").unwrap_or(1)),
                Some("sectors"),
                "no sectors: it will not be listed under any sector (branża)",
            ));
        }
        if let Some(ngo) = &e.ngo {
            if ngo.address.is_none()
                && ngo.website.is_none()
                && ngo.email.is_none()
                && ngo.phone.is_none()
            {
                problems.push(Problem::new(
                    Severity::Warning,
                    &e.source_file,
                    Some(1),
                    None,
                    "no contact: give at least one of `address`, `website`, `email`, `phone`",
                ));
            }
            if let Some(w) = &ngo.website {
                external.entry(w.clone()).or_default().push(ExternalUse {
                    file: e.source_file.clone(),
                    line: value_line(text, w),
                    field: "website".into(),
                });
            }
        }
        if let Some(s) = &e.source {
            external.entry(s.clone()).or_default().push(ExternalUse {
                file: e.source_file.clone(),
                line: value_line(text, s),
                field: "source".into(),
            });
        }
        if let Some(u) = e.call.as_ref().and_then(|c| c.url.as_ref()) {
            external.entry(u.clone()).or_default().push(ExternalUse {
                file: e.source_file.clone(),
                line: value_line(text, u),
                field: "url".into(),
            });
        }
        for a in &e.attachments {
            if let Some(u) = &a.url {
                external.entry(u.clone()).or_default().push(ExternalUse {
                    file: e.source_file.clone(),
                    line: value_line(text, u),
                    field: "attachments.url".into(),
                });
            }
        }
    }
}
