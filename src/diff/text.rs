//! `jawnik diff` as text, in Polish like the rest of the command line's output: the files,
//! the front-matter fields that changed, a summary with correct plural forms ("14 akapitów
//! zmienionych, 3 dodane, 1 usunięty"), then each change under its heading path and lines,
//! one block a line, with `git diff --word-diff` marks: `[-deleted-]` and `{+inserted+}`.
//! On a terminal the marks are coloured too (red, green); never in a pipe or with `NO_COLOR`.
//!
//! The gutter says what a line is: `~` changed, `+` added, `-` removed, `<` moved away from
//! here, `>` moved here (with the edits made while moving it).

use jawnik_compare::{Change, Counts, Op, Row, Segment, Status};

use super::Report;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The Polish form of a count's word: `forms` = [1, 2–4 (not 12–14), 5+ and 0].
pub fn plural(n: usize, forms: [&'static str; 3]) -> &'static str {
    let (units, tens) = (n % 10, n % 100);
    if n == 1 {
        forms[0]
    } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
        forms[1]
    } else {
        forms[2]
    }
}

/// "14 akapitów zmienionych, 3 dodane, 1 usunięty, 2 przeniesione": the non-zero counts, the
/// first one with the noun; `None` when nothing changed.
pub fn summary(counts: &Counts) -> Option<String> {
    let parts: Vec<String> = [
        (counts.changed, ["zmieniony", "zmienione", "zmienionych"]),
        (counts.added, ["dodany", "dodane", "dodanych"]),
        (counts.removed, ["usunięty", "usunięte", "usuniętych"]),
        (
            counts.moved_here,
            ["przeniesiony", "przeniesione", "przeniesionych"],
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .enumerate()
    .map(|(i, (n, forms))| {
        let noun = if i == 0 {
            format!(" {}", plural(n, ["akapit", "akapity", "akapitów"]))
        } else {
            String::new()
        };
        format!("{n}{noun} {}", plural(n, forms))
    })
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn marked(segments: &[Segment], color: bool) -> String {
    segments
        .iter()
        .map(|s| match (s.op, color) {
            (Op::Same, _) => s.text.clone(),
            (Op::Del, false) => format!("[-{}-]", s.text),
            (Op::Ins, false) => format!("{{+{}+}}", s.text),
            (Op::Del, true) => format!("{RED}[-{}-]{RESET}", s.text),
            (Op::Ins, true) => format!("{GREEN}{{+{}+}}{RESET}", s.text),
        })
        .collect()
}

/// `w. 12 → 14`: the lines of a change's first row with each side, when known.
fn lines(rows: &[Row]) -> Option<String> {
    let old = rows.iter().find_map(|r| r.old.and_then(|p| p.line));
    let new = rows.iter().find_map(|r| r.new.and_then(|p| p.line));
    match (old, new) {
        (Some(a), Some(b)) => Some(format!("w. {a} → {b}")),
        (Some(a), None) => Some(format!("w. {a} (stara wersja)")),
        (None, Some(b)) => Some(format!("w. {b} (nowa wersja)")),
        (None, None) => None,
    }
}

fn change_header(change: &Change, total: usize, rows: &[Row], color: bool) -> String {
    let mut parts = vec![format!("zmiana {} z {total}", change.number)];
    if !change.headings.is_empty() {
        let path: Vec<&str> = change.headings.iter().map(|h| h.text.as_str()).collect();
        parts.push(path.join(" › "));
    }
    parts.extend(lines(rows));
    let header = format!("@@ {} @@", parts.join(" · "));
    if color {
        format!("{BOLD}{header}{RESET}")
    } else {
        header
    }
}

/// The report as text.
pub fn format(report: &Report, color: bool) -> String {
    let mut out = format!("--- {}\n+++ {}\n", report.old.path, report.new.path);
    if let Some(fields) = report.front_matter.as_ref().filter(|f| !f.is_empty()) {
        out.push_str("\nMetadane (front matter):\n");
        for f in fields {
            let old = f.old.as_deref().unwrap_or("(brak)");
            let new = f.new.as_deref().unwrap_or("(brak)");
            out.push_str(&format!("  {}: {old} → {new}\n", f.field));
        }
    }
    let comparison = &report.comparison;
    match summary(&comparison.summary.counts) {
        Some(s) => out.push_str(&format!("\nZmiany w tekście: {s}.\n")),
        None => out.push_str("\nTekst bez zmian.\n"),
    }
    let total = comparison.changes.len();
    for change in &comparison.changes {
        let rows = &comparison.rows[change.first_row..=change.last_row];
        out.push('\n');
        out.push_str(&change_header(change, total, rows, color));
        out.push('\n');
        for row in rows {
            let partner = row
                .partner
                .and_then(|p| comparison.rows[p].change)
                .unwrap_or(0);
            let (gutter, text) = match row.status {
                Status::Changed => ("~", marked(&row.segments, color)),
                Status::Added => ("+", marked(&row.segments, color)),
                Status::Removed => ("-", marked(&row.segments, color)),
                Status::MovedAway => (
                    "<",
                    format!(
                        "(przeniesiony → zmiana {partner}) {}",
                        marked(&row.segments, color)
                    ),
                ),
                Status::MovedHere => (
                    ">",
                    format!(
                        "(przeniesiony ← zmiana {partner}) {}",
                        marked(&row.segments, color)
                    ),
                ),
                Status::Unchanged => (" ", marked(&row.segments, color)),
            };
            let heading = match row.kind {
                jawnik_compare::BlockKind::Heading { level } => {
                    format!("{} ", "#".repeat(usize::from(level)))
                }
                _ => String::new(),
            };
            out.push_str(&format!("{gutter} {heading}{text}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_plurals() {
        let forms = ["akapit", "akapity", "akapitów"];
        let words: Vec<&str> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112]
            .iter()
            .map(|&n| plural(n, forms))
            .collect();
        assert_eq!(
            words,
            [
                "akapitów",
                "akapit",
                "akapity",
                "akapity",
                "akapitów",
                "akapitów",
                "akapitów",
                "akapitów",
                "akapitów",
                "akapity",
                "akapitów",
                "akapity",
                "akapitów"
            ]
        );
        let cases = [
            (
                Counts {
                    changed: 14,
                    added: 3,
                    removed: 1,
                    ..Counts::default()
                },
                "14 akapitów zmienionych, 3 dodane, 1 usunięty",
            ),
            (
                Counts {
                    added: 2,
                    moved_here: 5,
                    moved_away: 5,
                    ..Counts::default()
                },
                "2 akapity dodane, 5 przeniesionych",
            ),
        ];
        for (counts, expected) in cases {
            assert_eq!(summary(&counts).as_deref(), Some(expected));
        }
        assert_eq!(summary(&Counts::default()), None);
    }
}
