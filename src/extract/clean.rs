//! Clean-up of extracted text into structured blocks (and Markdown), shared by `jawnik import`:
//! private-use bullets (U+F0B7, U+F0A7, U+F0FC) and other bullet marks become list items,
//! hard-wrapped lines are joined, end-of-line hyphenation is undone (a real hyphen after a
//! compound's first part ending in -o, `społeczno-gospodarczy`, is kept), lone page numbers and
//! lines repeated at the top or bottom of most pages (running headers, footers) are dropped,
//! capitalised lines and short numbered lines (`1. Płaszczyzna …`, `2.3 Cele`) become headings.

use std::collections::{BTreeMap, BTreeSet};

/// A block of cleaned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading, level 2–6 (level 1 is the document's title).
    Heading(u8, String),
    /// A paragraph.
    Paragraph(String),
    /// A list item: nesting depth (0 = top), the number of an ordered item, text.
    Item(u8, Option<u32>, String),
}

/// Bullet characters left by office exports and typed by people.
const BULLETS: [char; 9] = [
    '\u{f0b7}', '\u{f0a7}', '\u{f0fc}', '\u{f0d8}', '•', '▪', '◦', '●', '■',
];
/// Bullets of a nested list (Word's second level).
const SUB_BULLETS: [char; 3] = ['\u{f0a7}', '◦', '▪'];

/// The longest line (in words) that can be a heading.
const MAX_HEADING_WORDS: usize = 12;
/// A line at least this long filled its line: the next one continues it.
const FULL_LINE_CHARS: usize = 55;

/// One classified line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    Blank,
    Text(String),
    Bullet(u8, String),
    Numbered(Vec<u32>, String),
    /// `2 Płaszczyzna - …`: a number without a dot before a capitalised short line.
    Section(u32, String),
    Caps(String),
    Styled(u8, String),
}

/// Lines with whitespace collapsed.
fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a line is a page number alone (`7`, `- 7 -`, `Strona 7 z 20`, `str. 7`).
pub fn is_page_number(line: &str) -> bool {
    let l = line
        .trim()
        .trim_matches(|c: char| c == '-' || c == '–' || c == ' ');
    if !l.is_empty() && l.len() <= 3 && l.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let lower = l.to_lowercase();
    let rest = lower
        .strip_prefix("strona")
        .or_else(|| lower.strip_prefix("str."))
        .map(str::trim);
    match rest {
        Some(r) => {
            let r = r.replace(" z ", "/").replace(" of ", "/");
            !r.is_empty()
                && r.chars()
                    .all(|c| c.is_ascii_digit() || c == '/' || c == ' ')
        }
        None => false,
    }
}

/// A line's shape for finding running headers: digits replaced (page numbers in them vary).
fn shape(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .to_lowercase()
}

/// Lines repeated at the top or bottom (first or last two lines) of at least half the pages,
/// and of at least three: running headers and footers.
fn running_lines(pages: &[Vec<String>]) -> BTreeSet<String> {
    if pages.len() < 3 {
        return BTreeSet::new();
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages {
        let lines: Vec<&String> = page.iter().filter(|l| !l.trim().is_empty()).collect();
        let edge: BTreeSet<String> = lines
            .iter()
            .take(2)
            .chain(lines.iter().rev().take(2))
            .map(|l| shape(l))
            .collect();
        for s in edge {
            *counts.entry(s).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3 && *n * 2 >= pages.len())
        .map(|(s, _)| s)
        .collect()
}

/// The numbering at a line's start (`1.`, `2)`, `1.2.`, `1.2`) and the rest.
fn numbering(line: &str) -> Option<(Vec<u32>, &str)> {
    let mut numbers = Vec::new();
    let mut rest = line;
    loop {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 3 {
            break;
        }
        numbers.push(rest[..digits].parse().ok()?);
        rest = &rest[digits..];
        match rest.chars().next() {
            Some('.') if rest[1..].starts_with(|c: char| c.is_ascii_digit()) => rest = &rest[1..],
            Some('.') | Some(')') => {
                rest = &rest[1..];
                break;
            }
            _ => return None,
        }
    }
    if numbers.is_empty() || !rest.starts_with(' ') {
        return None;
    }
    Some((numbers, rest.trim()))
}

/// Whether all letters of a line are capitals (and there are enough of them to be a heading).
fn is_caps(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6
        && letters.iter().all(|c| c.is_uppercase())
        // One capitalised word is a heading only as a label (`POMYSŁY:`); else an acronym.
        && (line.split_whitespace().count() >= 2 || line.ends_with(':'))
        && line.split_whitespace().count() <= MAX_HEADING_WORDS * 2
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

fn starts_lower(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_lowercase)
        && !text.starts_with(|c: char| c.is_ascii_digit())
}

fn classify(line: &str, styled: &BTreeMap<String, u8>) -> Line {
    let l = normalise(line);
    if l.is_empty() || l.chars().all(|c| BULLETS.contains(&c) || c == ' ') {
        return Line::Blank;
    }
    if let Some(level) = styled.get(&l) {
        return Line::Styled(*level, l);
    }
    let first = l.chars().next().unwrap_or(' ');
    if BULLETS.contains(&first)
        || ((first == '-' || first == '–') && l[first.len_utf8()..].starts_with(' '))
    {
        let depth = u8::from(SUB_BULLETS.contains(&first));
        return Line::Bullet(depth, l[first.len_utf8()..].trim().to_string());
    }
    if let Some(rest) = l
        .strip_prefix("o ")
        .filter(|_| line.trim_start().starts_with("o\t"))
    {
        return Line::Bullet(1, rest.trim().to_string());
    }
    if let Some((numbers, rest)) = numbering(&l) {
        return Line::Numbered(numbers, rest.to_string());
    }
    if let Some((n, rest)) = l.split_once(' ') {
        let short = rest.split_whitespace().count() < MAX_HEADING_WORDS;
        if n.len() <= 2
            && n.chars().all(|c| c.is_ascii_digit())
            && rest.starts_with(|c: char| c.is_uppercase())
            && short
            && !ends_sentence(rest)
        {
            if let Ok(n) = n.parse() {
                return Line::Section(n, rest.to_string());
            }
        }
    }
    if is_caps(&l) {
        return Line::Caps(l);
    }
    Line::Text(l)
}

/// Joins `next` to `text`, undoing end-of-line hyphenation.
fn join(text: &mut String, next: &str) {
    if let Some(stem) = text.strip_suffix('-') {
        let word: String = stem
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect();
        let hyphenated = !word.is_empty()
            && word.chars().all(char::is_lowercase)
            && !word.starts_with('o') // reversed: the part ends in -o, a compound
            && next.starts_with(|c: char| c.is_lowercase());
        if hyphenated {
            text.pop();
            text.push_str(next);
            return;
        }
        if next.starts_with(|c: char| c.is_alphabetic()) && !stem.ends_with(' ') {
            // `społeczno-` + `gospodarczy`: a compound, keep the hyphen.
            text.push_str(next);
            return;
        }
    }
    text.push(' ');
    text.push_str(next);
}

/// Whether `next` continues the line `prev` (a hard line break inside a sentence).
fn continues(prev: &str, prev_line: &str, next: &Line) -> bool {
    let Line::Text(next) = next else {
        return false;
    };
    // A short label (`Wnioski:`, `Przebieg spotkania:`) starts its own line.
    if next.ends_with(':') && next.split_whitespace().count() <= 3 {
        return false;
    }
    if ends_sentence(prev) {
        // After an abbreviation (`np.`, `m.in.`, `ds.`) a lowercase line goes on.
        let last = prev.split_whitespace().last().unwrap_or("");
        let abbreviation = last.ends_with('.')
            && last.chars().filter(|c| c.is_alphabetic()).count() <= 4
            && last.chars().any(char::is_lowercase);
        return starts_lower(next) && (!prev.trim_end().ends_with('.') || abbreviation);
    }
    starts_lower(next)
        || prev.ends_with('-')
        || prev.ends_with(',')
        || (prev_line.chars().count() >= FULL_LINE_CHARS
            && !next.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a numbered line is a section heading rather than a list item: short, capitalised,
/// without a sentence's final punctuation, and not continued on the next line.
fn numbered_heading(text: &str, continued: bool) -> bool {
    !continued
        && text.split_whitespace().count() <= MAX_HEADING_WORDS
        && text.starts_with(|c: char| c.is_uppercase())
        && !text.trim_end().ends_with(['.', ',', ';', ':'])
}

/// Whether a line standing alone (not joined to its neighbours) is a short title-case
/// heading (`Wprowadzenie`, `Struktura raportu`): a few words, capitalised, no punctuation
/// of a sentence or a label, not a number.
fn short_heading(text: &str) -> bool {
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    (1..=8).contains(&words)
        && text.starts_with(|c: char| c.is_uppercase())
        && !text.contains([':', '(', '"', '„', '/'])
        && !text.trim_end().ends_with(|c: char| {
            c.is_ascii_digit() || matches!(c, '.' | ',' | ';' | '!' | '?' | '-' | '–' | ')' | '”')
        })
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// Cleans extracted pages into blocks. `headings` are paragraphs the file itself marks as
/// headings (with their level, 1 = top).
pub fn clean(pages: &[String], headings: &[(u8, String)]) -> Vec<Block> {
    let pages: Vec<Vec<String>> = pages
        .iter()
        .flat_map(|p| p.split('\u{c}'))
        .map(|p| p.lines().map(str::to_string).collect())
        .collect();
    let running = running_lines(&pages);
    let styled: BTreeMap<String, u8> = headings
        .iter()
        .map(|(l, t)| (normalise(t), (*l).clamp(1, 5) + 1))
        .collect();
    let lines: Vec<(Line, String)> = pages
        .iter()
        .flatten()
        .filter(|l| !is_page_number(l) && !running.contains(&shape(&normalise(l))))
        .map(|l| (classify(l, &styled), normalise(l)))
        .filter(|(l, _)| *l != Line::Blank)
        .collect();

    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (line, raw) = &lines[i];
        let (mut text, kind) = match line {
            Line::Blank => unreachable!("blank lines were dropped"),
            Line::Styled(level, t) => {
                blocks.push(Block::Heading(*level, t.clone()));
                i += 1;
                continue;
            }
            Line::Caps(t) => {
                // A capitalised heading broken over lines is one heading.
                let mut text = t.clone();
                i += 1;
                while let Some((Line::Caps(next), _)) = lines.get(i) {
                    if text.ends_with(['.', '!', '?', ':']) {
                        break;
                    }
                    text.push(' ');
                    text.push_str(next);
                    i += 1;
                }
                blocks.push(Block::Heading(2, text));
                continue;
            }
            Line::Section(n, t) => {
                blocks.push(Block::Heading(3, format!("{n} {t}")));
                i += 1;
                continue;
            }
            Line::Text(t) => (t.clone(), None),
            Line::Bullet(depth, t) => (t.clone(), Some((*depth, None))),
            Line::Numbered(n, t) => (t.clone(), Some((0, Some(n.clone())))),
        };
        let mut last_raw = raw.clone();
        i += 1;
        let mut joined = false;
        while i < lines.len() && continues(&text, &last_raw, &lines[i].0) {
            if let Line::Text(next) = &lines[i].0 {
                join(&mut text, next);
                last_raw = lines[i].1.clone();
                joined = true;
            }
            i += 1;
        }
        blocks.push(match kind {
            None if !joined && short_heading(&text) => Block::Heading(2, text),
            None => Block::Paragraph(text),
            Some((depth, None)) => Block::Item(depth, None, text),
            Some((_, Some(numbers))) => {
                // `6.` right after item 5 of a list goes on with the list.
                let previous = blocks.iter().rev().find_map(|b| match b {
                    Block::Item(0, n, _) => Some(*n),
                    Block::Item(..) => None,
                    _ => Some(None),
                });
                let goes_on =
                    numbers.len() == 1 && previous.flatten().is_some_and(|p| p + 1 == numbers[0]);
                if !goes_on && numbered_heading(&text, joined) {
                    let level = (2 + numbers.len()).min(6) as u8;
                    let label = numbers
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(".");
                    Block::Heading(level, format!("{label}. {text}"))
                } else {
                    let depth = (numbers.len() - 1).min(3) as u8;
                    Block::Item(depth, numbers.last().copied(), text)
                }
            }
        });
    }
    blocks
}

/// Escapes what Markdown would read as inline markup.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what Markdown would read as markup in a paragraph (inline markup, and a start
/// that would make it a list item).
pub fn escape(text: &str) -> String {
    let mut out = escape_inline(text);
    // A paragraph starting like a list item or a numbered item must not become one.
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    }
    if let Some(i) = out.find(['.', ')']) {
        if i > 0 && out[..i].chars().all(|c| c.is_ascii_digit()) {
            out.insert(i, '\\');
        }
    }
    out
}

/// The blocks as Markdown.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut previous_item = false;
    for block in blocks {
        let item = matches!(block, Block::Item(..));
        let list_goes_on = item && previous_item;
        if !out.is_empty() && !list_goes_on {
            out.push('\n');
        }
        match block {
            Block::Heading(level, text) => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&escape_inline(text));
            }
            Block::Paragraph(text) => out.push_str(&escape(text)),
            Block::Item(depth, number, text) => {
                let indent = "   ".repeat(usize::from(*depth));
                let marker = number.map_or("-".to_string(), |n| format!("{n}."));
                out.push_str(&format!("{indent}{marker} {}", escape(text)));
            }
        }
        out.push('\n');
        previous_item = item;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for l in ["7", " - 12 - ", "Strona 3 z 10", "str. 4"] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["2018", "12345", "Liczba uczestników: 10", "7 osób"] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn hyphenation_is_undone_but_compounds_keep_their_hyphen() {
        let pages = vec![
            "Współpraca organi-\nzacji pozarządowych w obszarze społeczno-\ngospodarczym miasta (np.\nstreetwork, m.in.\nosiedli) i jego mieszkańców.\n".to_string(),
        ];
        let blocks = clean(&pages, &[]);
        assert_eq!(
            blocks,
            [Block::Paragraph(
                "Współpraca organizacji pozarządowych w obszarze społeczno-gospodarczym miasta (np. streetwork, m.in. osiedli) i jego mieszkańców."
                    .into()
            )]
        );
    }

    #[test]
    fn bullets_numbers_caps_and_running_headers() {
        let pages = vec![
            "Raport z konsultacji\n\nOPINIE I POSTULATY\n\n1. Płaszczyzna - Tworzenie polityk\n\n\u{f0b7} brak informacji o konkursach, które są ogłaszane\n\nprzez wydziały\n\n\u{f0a7} podpunkt\n\n1. Kluczowa jest otwartość.\n\n1\n".to_string(),
            "Raport z konsultacji\nDruga strona raportu.\n2\n".to_string(),
            "Raport z konsultacji\nTrzecia strona raportu.\n3\n".to_string(),
        ];
        let blocks = clean(&pages, &[]);
        assert_eq!(
            &blocks[..5],
            &[
                Block::Heading(2, "OPINIE I POSTULATY".into()),
                Block::Heading(3, "1. Płaszczyzna - Tworzenie polityk".into()),
                Block::Item(
                    0,
                    None,
                    "brak informacji o konkursach, które są ogłaszane przez wydziały".into()
                ),
                Block::Item(1, None, "podpunkt".into()),
                Block::Item(0, Some(1), "Kluczowa jest otwartość.".into()),
            ]
        );
        assert!(!blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph(t) if t.contains("Raport z konsultacji"))));
    }

    #[test]
    fn numbered_sections_without_a_dot_and_labels() {
        let pages = vec![
            "2 Płaszczyzna - Współpraca w zakresie realizacji zadań finansowych i poza finansowych\n\nWnioski:\n\n1. Współpraca jest dobra.\n\n10 osób przyszło na spotkanie.\n".to_string(),
        ];
        assert_eq!(
            clean(&pages, &[]),
            [
                Block::Heading(
                    3,
                    "2 Płaszczyzna - Współpraca w zakresie realizacji zadań finansowych i poza finansowych".into()
                ),
                Block::Paragraph("Wnioski:".into()),
                Block::Item(0, Some(1), "Współpraca jest dobra.".into()),
                Block::Paragraph("10 osób przyszło na spotkanie.".into()),
            ]
        );
    }

    #[test]
    fn markdown_escapes_markup() {
        let md = to_markdown(&[
            Block::Paragraph("2018. rok *gwiazdka* <b>".into()),
            Block::Item(0, None, "a".into()),
            Block::Item(1, None, "b".into()),
        ]);
        assert_eq!(md, "2018\\. rok \\*gwiazdka\\* \\<b\\>\n\n- a\n   - b\n");
    }
}
