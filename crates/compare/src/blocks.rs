//! The blocks a document is compared by: headings, paragraphs and list items (plus table rows,
//! code blocks and raw HTML as text), each with its plain text and the line it starts on.
//! Markdown is read with pulldown-cmark with the options the site's renderer uses (tables,
//! strikethrough), so a heading's text, and so its anchor, is the one on the document's page.
//! Inline markup is dropped: a comparison is of what a reader reads, not of asterisks.
//! Numbers of ordered list items are not part of the text (Markdown renumbers them, so an
//! inserted item would otherwise change every later one).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// What a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum BlockKind {
    /// A heading, level 1–6.
    Heading { level: u8 },
    /// A paragraph (also a paragraph in a block quote).
    Paragraph,
    /// A list item, `depth` 0 at the top level.
    Item { depth: u8 },
    /// A table row, cells joined by ` | `.
    Row,
    /// A code block or a raw HTML block, as its text.
    Code,
}

impl BlockKind {
    /// Whether the block is a heading.
    pub fn is_heading(self) -> bool {
        matches!(self, BlockKind::Heading { .. })
    }
}

/// One block of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The plain text, whitespace collapsed to single spaces.
    pub text: String,
    /// The 1-based line of the source file where the block starts, when known (Markdown;
    /// not text extracted from a PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Block {
    /// A block without a known line.
    pub fn new(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            text: collapse(text),
            line: None,
        }
    }
}

/// `text` with runs of whitespace made one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The block being collected.
struct Open {
    kind: BlockKind,
    text: String,
    offset: usize,
}

/// The blocks of a Markdown text. `first_line` is the line of the file `markdown` starts on
/// (a body after front matter starts further down), so lines name lines of the file.
pub fn from_markdown(markdown: &str, first_line: usize) -> Vec<Block> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut blocks = Vec::new();
    // Line starts, to turn byte offsets into lines.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| first_line + line_starts.partition_point(|&s| s <= offset) - 1;
    // Open blocks: an item stays open under its nested list, its text flushed at the nested
    // list's start.
    let mut stack: Vec<Open> = Vec::new();
    let mut list_depth: u8 = 0;
    let flush = |open: &mut Open, blocks: &mut Vec<Block>| {
        let text = collapse(&open.text);
        if !text.is_empty() {
            blocks.push(Block {
                kind: open.kind,
                text,
                line: Some(line_of(open.offset)),
            });
        }
        open.text.clear();
    };
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Heading { level, .. } => Some(BlockKind::Heading { level: level as u8 }),
                    // A paragraph inside an item is the item's text.
                    Tag::Paragraph if stack.is_empty() => Some(BlockKind::Paragraph),
                    Tag::Item => Some(BlockKind::Item {
                        depth: list_depth.saturating_sub(1),
                    }),
                    Tag::TableRow | Tag::TableHead => Some(BlockKind::Row),
                    Tag::CodeBlock(_) | Tag::HtmlBlock => Some(BlockKind::Code),
                    Tag::List(_) => {
                        list_depth = list_depth.saturating_add(1);
                        if let Some(open) = stack.last_mut() {
                            flush(open, &mut blocks);
                        }
                        None
                    }
                    Tag::TableCell => {
                        if let Some(open) = stack.last_mut() {
                            if !open.text.is_empty() {
                                open.text.push_str(" | ");
                            }
                        }
                        None
                    }
                    _ => None,
                };
                if let Some(kind) = kind {
                    stack.push(Open {
                        kind,
                        text: String::new(),
                        offset: range.start,
                    });
                }
            }
            Event::End(tag) => {
                let closes = match tag {
                    TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::TableRow
                    | TagEnd::TableHead
                    | TagEnd::CodeBlock
                    | TagEnd::HtmlBlock => true,
                    TagEnd::Paragraph => {
                        stack.last().is_some_and(|o| o.kind == BlockKind::Paragraph)
                    }
                    TagEnd::List(_) => {
                        list_depth = list_depth.saturating_sub(1);
                        false
                    }
                    _ => false,
                };
                if closes {
                    if let Some(mut open) = stack.pop() {
                        flush(&mut open, &mut blocks);
                    }
                } else if matches!(tag, TagEnd::Paragraph) {
                    // Paragraphs of one item are one text.
                    if let Some(open) = stack.last_mut() {
                        open.text.push(' ');
                    }
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(open) = stack.last_mut() {
                    open.text.push(' ');
                }
            }
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(md: &str) -> Vec<(BlockKind, String, usize)> {
        from_markdown(md, 1)
            .into_iter()
            .map(|b| (b.kind, b.text, b.line.unwrap()))
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_nested_items() {
        let md = "# Tytuł\n\nAkapit *z* [linkiem](http://x)\nw dwóch liniach.\n\n1. pierwszy\n   - zagnieżdżony\n2. drugi\n\n> cytat\n";
        assert_eq!(
            kinds_and_texts(md),
            [
                (BlockKind::Heading { level: 1 }, "Tytuł".into(), 1),
                (
                    BlockKind::Paragraph,
                    "Akapit z linkiem w dwóch liniach.".into(),
                    3
                ),
                (BlockKind::Item { depth: 0 }, "pierwszy".into(), 6),
                (BlockKind::Item { depth: 1 }, "zagnieżdżony".into(), 7),
                (BlockKind::Item { depth: 0 }, "drugi".into(), 8),
                (BlockKind::Paragraph, "cytat".into(), 10),
            ]
        );
    }

    #[test]
    fn tables_code_and_lines_after_front_matter() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nkod\n```\n";
        assert_eq!(
            kinds_and_texts(md),
            [
                (BlockKind::Row, "a | b".into(), 1),
                (BlockKind::Row, "1 | 2".into(), 3),
                (BlockKind::Code, "kod".into(), 5),
            ]
        );
        assert_eq!(from_markdown("\nx\n", 10)[0].line, Some(11));
    }
}
