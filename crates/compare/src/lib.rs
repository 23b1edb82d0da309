//! jawnik-compare: what changed between two versions of a document.
//!
//! Input: the blocks of two versions ([`blocks::from_markdown`] for Markdown, or blocks made
//! by the caller from text extracted out of a PDF or DOCX). Output: a [`Comparison`]:
//!
//! - **rows**, the two versions aligned paragraph by paragraph ([`align`]): each row is an
//!   unchanged, changed, added or removed block, or a moved one (twice: where it was and
//!   where it went); a changed row carries its word-level insertions and deletions
//!   ([`words`]);
//! - every row knows the **heading it falls under**, and every heading row has the **anchor**
//!   the site's page of the new version gives it (same slugs, same numbering of repeats);
//! - **changes**: runs of consecutive changed rows, numbered, each with its heading path and
//!   counts, for a jump list;
//! - a **summary**: how many blocks are unchanged, changed, added, removed and moved.
//!
//! A presentation takes it from there: [`view`] shapes it for a page template (context
//! folded around changes), the `jawnik diff` command prints it as text or JSON. No wording
//! lives here: counts and kinds only, so a theme can say them in its language.
//!
//! This crate depends on nothing of jawnik but the slug function of `jawnik-analysis`, so
//! it can be tested, benchmarked and reused on its own.

pub mod align;
pub mod blocks;
pub mod view;
pub mod words;

use serde::{Deserialize, Serialize};

pub use blocks::{from_markdown, Block, BlockKind};
pub use words::{Op, Segment};

/// The format version of a serialised [`Comparison`] (`docs/compare-json.md`); bumped on any
/// change that can break a reader.
pub const FORMAT_VERSION: u32 = 1;

/// What happened to a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unchanged,
    Changed,
    Added,
    Removed,
    /// A moved block at its old place.
    MovedAway,
    /// A moved block at its new place (its segments: the edits made while moving it).
    MovedHere,
}

/// Where a block is in one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// 0-based index among that version's blocks.
    pub index: usize,
    /// 1-based line of the source file, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One row of the aligned versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub status: Status,
    /// The block's kind (in the new version when it is in both).
    pub kind: BlockKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Place>,
    /// The text: one `same` segment when unchanged or moved away, one `ins` when added, one
    /// `del` when removed, the word-level edits when changed or moved here.
    pub segments: Vec<Segment>,
    /// A heading's anchor (the `id` of the heading on the new version's page; a heading only
    /// in the old version gets one not used by the new version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The row of the heading this block falls under (for a heading: its parent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// The number of the [`Change`] this row belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<usize>,
    /// For a moved block: the row at its other place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner: Option<usize>,
}

impl Row {
    /// The text in the old version (`same` and `del` segments), if the row has one.
    pub fn old_text(&self) -> Option<String> {
        self.old.map(|_| self.text_of(Op::Del))
    }

    /// The text in the new version (`same` and `ins` segments), if the row has one.
    pub fn new_text(&self) -> Option<String> {
        self.new.map(|_| self.text_of(Op::Ins))
    }

    fn text_of(&self, side: Op) -> String {
        self.segments
            .iter()
            .filter(|s| s.op == Op::Same || s.op == side)
            .map(|s| s.text.as_str())
            .collect()
    }
}

/// How many rows have each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub unchanged: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
    /// Rows of blocks moved away (in a summary: the number of moved blocks).
    pub moved_away: usize,
    /// Rows of blocks moved here (in a summary: the number of moved blocks, again).
    pub moved_here: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        *match status {
            Status::Unchanged => &mut self.unchanged,
            Status::Changed => &mut self.changed,
            Status::Added => &mut self.added,
            Status::Removed => &mut self.removed,
            Status::MovedAway => &mut self.moved_away,
            Status::MovedHere => &mut self.moved_here,
        } += 1;
    }

    /// Whether any block changed.
    pub fn any_change(&self) -> bool {
        self.changed + self.added + self.removed + self.moved_here > 0
    }
}

/// A heading, as a change's place in the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingRef {
    /// Its row.
    pub row: usize,
    pub level: u8,
    /// Its text in the new version (the old one if it was removed).
    pub text: String,
    pub anchor: String,
}

/// A run of consecutive changed rows: one entry of a jump list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// 1-based, in reading order.
    pub number: usize,
    /// Its first row.
    pub first_row: usize,
    /// Its last row.
    pub last_row: usize,
    /// The headings it falls under, outermost first (the first row's, itself included when
    /// it is a heading).
    pub headings: Vec<HeadingRef>,
    pub counts: Counts,
}

/// Two versions compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub summary: Summary,
    pub changes: Vec<Change>,
    pub rows: Vec<Row>,
}

/// The counts of a comparison.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Blocks in the old and the new version.
    pub old_blocks: usize,
    pub new_blocks: usize,
    /// Rows by status.
    #[serde(flatten)]
    pub counts: Counts,
}

/// How to compare.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Anchors headings must not take (those of the page around them), as the site's
    /// renderer reserves its own; a heading whose slug is one of them is numbered (`-2`).
    pub reserved_anchors: Vec<String>,
}

/// Compares two versions.
pub fn compare(old: &[Block], new: &[Block], options: &Options) -> Comparison {
    let steps = align::align(old, new);
    let place = |blocks: &[Block], index: usize| Place {
        index,
        line: blocks[index].line,
    };
    let mut rows: Vec<Row> = Vec::with_capacity(steps.len());
    // The row of each moved block's other place, filled when both are seen.
    let mut moved_rows: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for step in steps {
        let (status, o, n) = match step {
            align::Step::Same(o, n) => (Status::Unchanged, Some(o), Some(n)),
            align::Step::Changed(o, n) => (Status::Changed, Some(o), Some(n)),
            align::Step::Removed(o) => (Status::Removed, Some(o), None),
            align::Step::Added(n) => (Status::Added, None, Some(n)),
            align::Step::MovedAway(o, n) => (Status::MovedAway, Some(o), Some(n)),
            align::Step::MovedHere(o, n) => (Status::MovedHere, Some(o), Some(n)),
        };
        let segments = match (status, o, n) {
            (Status::Unchanged | Status::MovedAway, Some(o), _) => {
                vec![Segment::new(Op::Same, old[o].text.clone())]
            }
            (Status::Removed, Some(o), _) => vec![Segment::new(Op::Del, old[o].text.clone())],
            (Status::Added, _, Some(n)) => vec![Segment::new(Op::Ins, new[n].text.clone())],
            (_, Some(o), Some(n)) => words::diff(&old[o].text, &new[n].text),
            _ => unreachable!("every status has its sides"),
        };
        let mut row = Row {
            status,
            kind: match (status, o, n) {
                (Status::Removed | Status::MovedAway, Some(o), _) => old[o].kind,
                (_, _, Some(n)) => new[n].kind,
                _ => unreachable!("every status has its sides"),
            },
            old: o
                .filter(|_| status != Status::MovedHere)
                .map(|o| place(old, o)),
            new: n
                .filter(|_| status != Status::MovedAway)
                .map(|n| place(new, n)),
            segments,
            anchor: None,
            section: None,
            change: None,
            partner: None,
        };
        if let (Status::MovedAway | Status::MovedHere, Some(o), Some(n)) = (status, o, n) {
            let here = rows.len();
            if let Some(&there) = moved_rows.get(&(o, n)) {
                row.partner = Some(there);
                rows[there].partner = Some(here);
            } else {
                moved_rows.insert((o, n), here);
            }
        }
        rows.push(row);
    }
    set_anchors(&mut rows, &options.reserved_anchors);
    let changes = sections_and_changes(&mut rows);
    let mut counts = Counts::default();
    for row in &rows {
        counts.add(row.status);
    }
    Comparison {
        summary: Summary {
            old_blocks: old.len(),
            new_blocks: new.len(),
            counts,
        },
        changes,
        rows,
    }
}

/// Heading anchors: first the new version's headings in order, exactly as the site's
/// renderer numbers them (slug, `sekcja` for an empty one, `-2`, `-3` … for repeats and
/// reserved anchors), then headings only in the old version, numbered after them.
fn set_anchors(rows: &mut [Row], reserved: &[String]) {
    let mut used: std::collections::BTreeSet<String> = reserved.iter().cloned().collect();
    for pass_new in [true, false] {
        for row in rows.iter_mut() {
            if !row.kind.is_heading() || row.new.is_some() != pass_new {
                continue;
            }
            let text = if pass_new {
                row.new_text()
            } else {
                row.old_text()
            };
            row.anchor = Some(jawnik_analysis::unique_anchor(
                &text.unwrap_or_default(),
                &mut used,
            ));
        }
    }
}

/// Sets each row's section and change, and returns the changes.
fn sections_and_changes(rows: &mut [Row]) -> Vec<Change> {
    // The open headings of each version: (level, row).
    let mut stacks: [Vec<(u8, usize)>; 2] = [Vec::new(), Vec::new()];
    let mut changes: Vec<Change> = Vec::new();
    let mut previous_changed = false;
    for i in 0..rows.len() {
        let in_new = rows[i].new.is_some();
        let in_old = rows[i].old.is_some();
        let stack_of_row = usize::from(in_new);
        if let BlockKind::Heading { level } = rows[i].kind {
            for (side, present) in [(0, in_old), (1, in_new)] {
                if present {
                    let stack = &mut stacks[side];
                    while stack.last().is_some_and(|&(l, _)| l >= level) {
                        stack.pop();
                    }
                }
            }
            rows[i].section = stacks[stack_of_row].last().map(|&(_, r)| r);
            for (side, present) in [(0, in_old), (1, in_new)] {
                if present {
                    stacks[side].push((level, i));
                }
            }
        } else {
            rows[i].section = stacks[stack_of_row].last().map(|&(_, r)| r);
        }
        let changed = rows[i].status != Status::Unchanged;
        if changed && !previous_changed {
            let headings = stacks[stack_of_row]
                .iter()
                .map(|&(level, row)| HeadingRef {
                    row,
                    level,
                    text: rows[row]
                        .new_text()
                        .or_else(|| rows[row].old_text())
                        .unwrap_or_default(),
                    anchor: rows[row].anchor.clone().unwrap_or_default(),
                })
                .collect();
            changes.push(Change {
                number: changes.len() + 1,
                first_row: i,
                last_row: i,
                headings,
                counts: Counts::default(),
            });
        }
        if changed {
            let change = changes.last_mut().expect("opened above");
            change.last_row = i;
            change.counts.add(rows[i].status);
            rows[i].change = Some(change.number);
        }
        previous_changed = changed;
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sections_changes_and_anchors() {
        let old = from_markdown(
            "## Cele\n\nPierwszy cel programu współpracy.\n\n## Zasady\n\nZasada jawności i pomocniczości.\n\n## Stary\n\nTen rozdział usunięto z programu.\n",
            1,
        );
        let new = from_markdown(
            "## Cele\n\nPierwszy cel programu współpracy z organizacjami.\n\n## Zasady\n\nZasada jawności i pomocniczości.\n\nNowa zasada partnerstwa.\n\n## W skrócie\n",
            1,
        );
        let reserved = vec!["w-skrocie".to_string()];
        let c = compare(
            &old,
            &new,
            &Options {
                reserved_anchors: reserved,
            },
        );
        let statuses: Vec<Status> = c.rows.iter().map(|r| r.status).collect();
        use Status::*;
        assert_eq!(
            statuses,
            [Unchanged, Changed, Unchanged, Unchanged, Added, Removed, Removed, Added]
        );
        assert_eq!(c.rows[0].anchor.as_deref(), Some("cele"));
        assert_eq!(c.rows[1].section, Some(0));
        assert_eq!(
            c.rows[1].segments,
            [
                Segment::new(Op::Same, "Pierwszy cel programu współpracy"),
                Segment::new(Op::Ins, " z organizacjami"),
                Segment::new(Op::Same, "."),
            ]
        );
        // The new version's reserved-clashing heading is numbered; the removed one follows.
        assert_eq!(c.rows[7].anchor.as_deref(), Some("w-skrocie-2"));
        assert_eq!(c.rows[5].anchor.as_deref(), Some("stary"));
        // The added paragraph ends the section "Zasady", before the removed section.
        assert_eq!(c.rows[4].section, Some(2));
        assert_eq!(c.rows[6].section, Some(5));
        assert_eq!(c.changes.len(), 2);
        assert_eq!(c.changes[1].first_row, 4);
        assert_eq!(c.changes[1].last_row, 7);
        assert_eq!(c.changes[1].headings[0].text, "Zasady");
        assert_eq!(c.summary.counts.changed, 1);
        assert_eq!(c.summary.counts.removed, 2);
        assert_eq!(c.summary.counts.added, 2);
        assert_eq!(
            c.rows[1].old_text().unwrap(),
            "Pierwszy cel programu współpracy."
        );
        assert_eq!(
            c.rows[1].new.unwrap(),
            Place {
                index: 1,
                line: Some(3)
            }
        );
    }

    #[test]
    fn moved_rows_point_at_each_other() {
        let old = from_markdown(
            "Akapit, który wędruje na koniec tekstu.\n\nStały akapit jeden.\n\nStały akapit dwa.\n",
            1,
        );
        let new = from_markdown(
            "Stały akapit jeden.\n\nStały akapit dwa.\n\nAkapit, który wędruje na koniec tekstu.\n",
            1,
        );
        let c = compare(&old, &new, &Options::default());
        assert_eq!(c.rows[0].status, Status::MovedAway);
        assert_eq!(c.rows[0].partner, Some(3));
        assert_eq!(c.rows[3].status, Status::MovedHere);
        assert_eq!(c.rows[3].partner, Some(0));
        assert_eq!(c.rows[3].old, None);
        assert_eq!(c.summary.counts.moved_here, 1);
        assert_eq!(c.changes.len(), 2);
    }

    #[test]
    fn identical_versions() {
        let a = from_markdown("# A\n\ntekst\n", 1);
        let c = compare(&a, &a, &Options::default());
        assert!(!c.summary.counts.any_change());
        assert!(c.changes.is_empty());
    }
}
