//! A [`Comparison`] shaped for a page template (the theme's `compare.html`): the summary,
//! the jump list, and the body as unchanged rows, folds of unchanged paragraphs far from any
//! change, and numbered changes whose rows carry their segments. Every value is plain data
//! (numbers, kinds, texts): the template writes the markup (`<ins>`, `<del>`, headings with
//! their anchors) and the words, and its auto-escaping escapes the texts.
//!
//! Headings are kept whatever their distance from a change: they are the document's outline
//! and the anchors links point at. Document headings are shifted one level down
//! ([`HEADING_SHIFT`]) under the page's own `h1` and `h2`.

use serde::Serialize;

use crate::{BlockKind, Comparison, Counts, Row, Segment, Status};

/// How many levels document headings go down on the page.
pub const HEADING_SHIFT: u8 = 1;
/// The anchor of change `n` on the page: `zmiana_N`, with an underscore, which no heading
/// slug has (slugs are `a-z`, `0-9` and `-`), so a heading "Zmiana 1" keeps `zmiana-1`.
pub fn change_anchor(n: usize) -> String {
    format!("zmiana_{n}")
}

/// The ids the theme's comparison page (`compare.html`) gives its own parts, besides
/// [`change_anchor`]s: to be reserved for headings ([`crate::Options::reserved_anchors`]).
pub const PAGE_ANCHORS: [&str; 3] = ["w-skrocie", "spis-zmian", "porownanie"];

/// The page's parts.
#[derive(Clone, Debug, Serialize)]
pub struct PageView {
    pub counts: Counts,
    /// Whether anything changed.
    pub any_change: bool,
    /// The non-zero counts in the order a summary names them: `changed`, `added`,
    /// `removed`, `moved` (blocks moved, counted once).
    pub summary: Vec<SummaryPart>,
    /// The jump list.
    pub changes: Vec<ChangeView>,
    /// The body.
    pub items: Vec<Item>,
}

/// One count of the summary.
#[derive(Clone, Debug, Serialize)]
pub struct SummaryPart {
    pub what: &'static str,
    pub count: usize,
}

/// One entry of the jump list.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeView {
    pub number: usize,
    pub id: String,
    /// The heading path's texts, outermost first.
    pub headings: Vec<String>,
    /// Their anchors, in the same order.
    pub anchors: Vec<String>,
    pub counts: Counts,
    /// The beginning of the change's first row, at most [`EXCERPT_WORDS`] words.
    pub excerpt: String,
    /// Whether the excerpt was cut.
    pub cut: bool,
}

/// The fewest unchanged paragraphs folded: fewer are shown (a fold would hide no more text
/// than its own line takes).
pub const MIN_FOLD: usize = 3;

/// Words of a jump list excerpt.
pub const EXCERPT_WORDS: usize = 12;

/// A part of the body.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// An unchanged row shown.
    Row { row: RowView },
    /// Unchanged rows far from changes, folded.
    Fold { count: usize, rows: Vec<RowView> },
    /// A change: its rows.
    Change {
        number: usize,
        id: String,
        rows: Vec<RowView>,
    },
}

/// A row on the page.
#[derive(Clone, Debug, Serialize)]
pub struct RowView {
    /// `heading`, `paragraph`, `item`, `row` or `code`.
    pub kind: &'static str,
    /// A heading's level on the page (2–6).
    pub level: u8,
    /// A list item's depth (0 at the top).
    pub depth: u8,
    pub status: Status,
    pub segments: Vec<Segment>,
    /// A heading's anchor.
    pub anchor: Option<String>,
    /// For a moved block: the change at its other place.
    pub partner_change: Option<usize>,
    /// For a moved block: the page anchor of that change.
    pub partner_id: Option<String>,
    /// The 1-based lines in the old and new file, when known.
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
}

/// Builds the page view. `context` unchanged paragraphs stay visible before and after each
/// change; longer runs of unchanged paragraphs are folded (`usize::MAX`: nothing folded).
pub fn page(comparison: &Comparison, context: usize) -> PageView {
    let rows = &comparison.rows;
    let view = |row: &Row| row_view(comparison, row);
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        if let Some(number) = rows[i].change {
            let change = &comparison.changes[number - 1];
            items.push(Item::Change {
                number,
                id: change_anchor(number),
                rows: rows[change.first_row..=change.last_row]
                    .iter()
                    .map(view)
                    .collect(),
            });
            i = change.last_row + 1;
            continue;
        }
        if rows[i].kind.is_heading() {
            items.push(Item::Row {
                row: view(&rows[i]),
            });
            i += 1;
            continue;
        }
        // A run of unchanged non-heading rows.
        let start = i;
        while i < rows.len() && rows[i].change.is_none() && !rows[i].kind.is_heading() {
            i += 1;
        }
        let after_change = start > 0 && rows[start - 1].change.is_some();
        let before_change = i < rows.len() && rows[i].change.is_some();
        let head = if after_change { context } else { 0 };
        let tail = if before_change { context } else { 0 };
        let len = i - start;
        if len < head.saturating_add(tail).saturating_add(MIN_FOLD) {
            items.extend(rows[start..i].iter().map(|r| Item::Row { row: view(r) }));
            continue;
        }
        let (fold_start, fold_end) = (start + head, i - tail);
        items.extend(
            rows[start..fold_start]
                .iter()
                .map(|r| Item::Row { row: view(r) }),
        );
        items.push(Item::Fold {
            count: fold_end - fold_start,
            rows: rows[fold_start..fold_end].iter().map(view).collect(),
        });
        items.extend(rows[fold_end..i].iter().map(|r| Item::Row { row: view(r) }));
    }
    let counts = comparison.summary.counts;
    let summary = [
        ("changed", counts.changed),
        ("added", counts.added),
        ("removed", counts.removed),
        ("moved", counts.moved_here),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .map(|(what, count)| SummaryPart { what, count })
    .collect();
    PageView {
        counts,
        any_change: counts.any_change(),
        summary,
        changes: comparison
            .changes
            .iter()
            .map(|c| {
                let row = &rows[c.first_row];
                let text = row
                    .new_text()
                    .or_else(|| row.old_text())
                    .unwrap_or_default();
                let words: Vec<&str> = text.split_whitespace().collect();
                ChangeView {
                    number: c.number,
                    id: change_anchor(c.number),
                    headings: c.headings.iter().map(|h| h.text.clone()).collect(),
                    anchors: c.headings.iter().map(|h| h.anchor.clone()).collect(),
                    counts: c.counts,
                    excerpt: words[..words.len().min(EXCERPT_WORDS)].join(" "),
                    cut: words.len() > EXCERPT_WORDS,
                }
            })
            .collect(),
        items,
    }
}

fn row_view(comparison: &Comparison, row: &Row) -> RowView {
    let (kind, level, depth) = match row.kind {
        BlockKind::Heading { level } => ("heading", (level + HEADING_SHIFT).clamp(2, 6), 0),
        BlockKind::Paragraph => ("paragraph", 0, 0),
        BlockKind::Item { depth } => ("item", 0, depth),
        BlockKind::Row => ("row", 0, 0),
        BlockKind::Code => ("code", 0, 0),
    };
    let partner_change = row.partner.and_then(|p| comparison.rows[p].change);
    RowView {
        kind,
        level,
        depth,
        status: row.status,
        segments: row.segments.clone(),
        anchor: row.anchor.clone(),
        partner_change,
        partner_id: partner_change.map(change_anchor),
        old_line: row.old.and_then(|p| p.line),
        new_line: row.new.and_then(|p| p.line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compare, from_markdown, Options};

    #[test]
    fn folds_far_from_changes_keep_headings_and_context() {
        let mut old = String::from("## Rozdział\n\n");
        for i in 0..10 {
            old.push_str(&format!("Akapit numer {i} bez zmian w treści.\n\n"));
        }
        let new = old.replace("numer 5 bez", "numer 5 już z");
        let c = compare(
            &from_markdown(&old, 1),
            &from_markdown(&new, 1),
            &Options::default(),
        );
        let p = page(&c, 1);
        let kinds: Vec<String> = p
            .items
            .iter()
            .map(|i| match i {
                Item::Row { row } => row.kind.to_string(),
                Item::Fold { count, .. } => format!("fold {count}"),
                Item::Change { number, .. } => format!("change {number}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "heading",
                "fold 4",
                "paragraph",
                "change 1",
                "paragraph",
                "fold 3"
            ]
        );
        assert_eq!(p.summary.len(), 1);
        assert_eq!(p.summary[0].what, "changed");
        assert_eq!(p.changes[0].headings, ["Rozdział"]);
        assert_eq!(p.changes[0].anchors, ["rozdzial"]);
        assert!(p.changes[0].excerpt.starts_with("Akapit numer 5"));
        // Heading levels shift under the page's own.
        let Item::Row { row } = &p.items[0] else {
            panic!()
        };
        assert_eq!(row.level, 3);
        assert_eq!(row.anchor.as_deref(), Some("rozdzial"));
    }
}
