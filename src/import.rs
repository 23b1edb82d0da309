//! `jawnik import FILE... --kind raport|program|strategia`: turns a PDF, DOCX, ODT or
//! plain-text file into a content file `content/<section>/<slug>.md`: the text cleaned into
//! Markdown ([`crate::extract::clean`]), the front matter of `jawnik new` with what the text
//! states filled in (title, the first date, the issuer) and every other field left commented
//! out and marked TODO. Nothing existing is overwritten; `--keep-original` copies the file to
//! `content/<section>/files/` and lists it as the document's attachment.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::config::Config;
use crate::content::date::{Date, MONTHS_GENITIVE};
use crate::content::model::Kind;
use crate::extract::clean::{clean, to_markdown, Block};
use crate::extract::{extract_file, Format};
use crate::scaffold::PLACEHOLDER_PREFIX;
use crate::scaffold::{checked_slug, entry_text, section_dir, write_new};

/// Longest first paragraph taken as the title.
const MAX_TITLE_CHARS: usize = 200;

/// What to import and how.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The site root.
    pub root: PathBuf,
    /// `raport`, `program` or `strategia`.
    pub kind: Kind,
    /// The title; default: the document's first heading or paragraph.
    pub title: Option<String>,
    /// Copy the file into `content/` and list it as an attachment.
    pub keep_original: bool,
}

/// What the text states, found by [`read_facts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The first date in the text, with the words it was read from.
    pub date: Option<(Date, String)>,
    /// The issuer, when a line names it (`Wydawca: …`, `… Prezydenta Miasta Krakowa`).
    pub issuer: Option<String>,
    /// The author, when a line names it (`Opracowanie: …`).
    pub author: Option<String>,
}

fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The first date in `text`: `25 maja 2018`, `25.05.2018` or `2018-05-25`.
pub fn first_date(text: &str) -> Option<(Date, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-');
        // 25 maja 2018(r.)
        if let (Some(day), Some(month), Some(year)) = (
            leading_number(w).filter(|_| w.len() <= 2),
            words.get(i + 1).and_then(|m| {
                let m = m.to_lowercase();
                MONTHS_GENITIVE.iter().position(|&name| name == m)
            }),
            words.get(i + 2).and_then(|y| leading_number(y)),
        ) {
            if let Some(d) = Date::from_parts(year as i32, month as u32 + 1, day) {
                return Some((d, format!("{} {} {}", w, words[i + 1], year)));
            }
        }
        // 25.05.2018 and 2018-05-25
        let parts: Vec<&str> = w.split(['.', '-']).filter(|p| !p.is_empty()).collect();
        if parts.len() == 3 && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            let (y, m, d) = if parts[0].len() == 4 {
                (n[0], n[1], n[2])
            } else if parts[2].len() == 4 {
                (n[2], n[1], n[0])
            } else {
                continue;
            };
            if let Some(date) = Date::from_parts(y as i32, m, d) {
                return Some((date, w.to_string()));
            }
        }
    }
    None
}

/// The issuer and author a text names.
pub fn read_facts(blocks: &[Block]) -> Facts {
    let mut facts = Facts::default();
    let texts = blocks.iter().map(|b| match b {
        Block::Heading(_, t) | Block::Paragraph(t) | Block::Item(_, _, t) => t.as_str(),
    });
    for text in texts.clone() {
        facts.date = facts.date.or_else(|| first_date(text));
        let lower = text.to_lowercase();
        let value = |labels: &[&str]| {
            labels.iter().find_map(|l| {
                lower
                    .strip_prefix(l)
                    .map(|_| text[l.len()..].trim().trim_end_matches('.').to_string())
                    .filter(|v| !v.is_empty() && v.chars().count() <= 120)
            })
        };
        if facts.issuer.is_none() {
            facts.issuer = value(&["wydawca:", "organ wydający:", "wydający:", "wydał:"]);
        }
        if facts.author.is_none() {
            facts.author = value(&[
                "opracowanie:",
                "opracował:",
                "opracowała:",
                "autor:",
                "autorzy:",
            ]);
        }
    }
    if facts.issuer.is_none() {
        // An act of the city's organs names them in its heading (`Zarządzenie … Prezydenta
        // Miasta Krakowa`, `Uchwała … Rady Miasta Krakowa`).
        for text in texts.take(5) {
            for (genitive, nominative) in [
                ("Prezydenta Miasta Krakowa", "Prezydent Miasta Krakowa"),
                ("Rady Miasta Krakowa", "Rada Miasta Krakowa"),
            ] {
                if facts.issuer.is_none() && text.contains(genitive) {
                    facts.issuer = Some(nominative.to_string());
                }
            }
        }
    }
    facts
}

/// Takes the title off the blocks: the first heading or paragraph, if short enough.
fn take_title(blocks: &mut Vec<Block>) -> Option<String> {
    let i = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(..) | Block::Paragraph(_)))?;
    // A document that opens with a section (`Wprowadzenie`) does not state its title.
    if let Block::Heading(_, t) = &blocks[i] {
        let generic = ["wprowadzenie", "wstęp", "spis treści", "streszczenie"];
        if generic.contains(&t.to_lowercase().trim_end_matches([':', '.'])) {
            return None;
        }
    }
    let (Block::Heading(_, t) | Block::Paragraph(t)) = &blocks[i] else {
        return None;
    };
    if t.chars().count() > MAX_TITLE_CHARS {
        return None;
    }
    let title = t.trim_end_matches(['.', ':']).to_string();
    blocks.remove(i);
    Some(title)
}

/// The front matter and body of `entry_text`, with the facts filled in and every field still
/// commented out marked TODO.
fn fill(text: &str, facts: &Facts, attachment: Option<(&str, &str, &str)>) -> String {
    let mut out = String::new();
    let mut in_front = false;
    let mut fence = 0;
    for line in text.lines() {
        if line == "+++" {
            fence += 1;
            in_front = fence == 1;
            if fence == 2 {
                if let Some((title, file, format)) = attachment {
                    out.push_str(&format!(
                        "\n[[attachments]]\ntitle = {}\nfile = {}\nformat = {}\n",
                        toml::Value::String(title.into()),
                        toml::Value::String(file.into()),
                        toml::Value::String(format.into())
                    ));
                }
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if !in_front {
            continue;
        }
        let field = line
            .strip_prefix("# ")
            .and_then(|l| l.split_once(" = "))
            .map(|(k, _)| k.trim());
        let filled = match field {
            Some("date") => facts
                .date
                .as_ref()
                .map(|(d, seen)| format!("date = {d}  # z tekstu: „{seen}”")),
            Some("issuer") => facts
                .issuer
                .as_ref()
                .map(|i| format!("issuer = {}  # z tekstu", toml::Value::String(i.clone()))),
            Some("author") => facts
                .author
                .as_ref()
                .map(|a| format!("author = {}  # z tekstu", toml::Value::String(a.clone()))),
            _ => None,
        };
        match (filled, field) {
            (Some(l), _) => out.push_str(&l),
            (None, Some(_)) => match line.rfind("  # ").or_else(|| line.rfind(" # ")) {
                Some(i) if i > 2 => {
                    let (left, comment) = line.split_at(i);
                    let comment = comment.trim_start().trim_start_matches("# ");
                    out.push_str(&format!("{left}  # {PLACEHOLDER_PREFIX}: {comment}"));
                }
                _ => out.push_str(&format!("{line}  # {PLACEHOLDER_PREFIX}")),
            },
            (None, None) => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Imports one file; returns the path of the new content file.
pub fn import_file(opts: &ImportOptions, file: &Path) -> Result<PathBuf> {
    if !opts.kind.is_document() {
        bail!("only documents (raport, program, strategia) can be imported");
    }
    let format = Format::from_path(file).with_context(|| {
        format!(
            "{}: not a PDF, DOCX, ODT or TXT file (by its extension)",
            file.display()
        )
    })?;
    let extracted = extract_file(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if !extracted.has_text() {
        bail!("{}: the file has no text to import", file.display());
    }
    let mut blocks = clean(&extracted.pages, &extracted.headings);
    let facts = read_facts(&blocks);
    // The document's first heading or paragraph is its title, unless one is given.
    let found_title = if opts.title.is_none() {
        take_title(&mut blocks)
    } else {
        None
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = opts
        .title
        .clone()
        .or(found_title)
        .unwrap_or(stem)
        .trim()
        .to_string();
    let slug = checked_slug(&title)?;
    let config = Config::load(&opts.root, None).ok();
    let dir = section_dir(&opts.root, opts.kind)?;
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        bail!(
            "{} already exists; not overwritten (give another --title or edit that file)",
            path.display()
        );
    }
    let section = opts.kind.section();
    let mut attachment = None;
    let ext = format.name().to_ascii_lowercase();
    let kept = format!("{section}/files/{slug}.{ext}");
    if opts.keep_original {
        let target = opts.root.join("content").join(&kept);
        std::fs::create_dir_all(dir.join("files"))
            .with_context(|| format!("cannot create {}", dir.join("files").display()))?;
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .with_context(|| {
                format!(
                    "cannot create {} (an existing file is never overwritten)",
                    target.display()
                )
            })?;
        f.write_all(&bytes)
            .with_context(|| format!("writing {}", target.display()))?;
        attachment = Some(("Dokument źródłowy", kept.as_str(), format.name()));
    }
    let template = entry_text(opts.kind, &title, &slug, config.as_ref());
    let mut text = fill(&template, &facts, attachment);
    let body = to_markdown(&blocks);
    if body.trim().is_empty() {
        text.push_str(&format!(
            "\n{PLACEHOLDER_PREFIX}: treść strony w Markdownie.\n"
        ));
    } else {
        text.push('\n');
        text.push_str(&body);
    }
    if let Err(e) = write_new(&path, &text) {
        if opts.keep_original {
            let _ = std::fs::remove_file(opts.root.join("content").join(&kept));
        }
        return Err(e);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_polish_text() {
        let (d, seen) = first_date("Spotkanie odbyło się 25 maja 2018r. w Krakowie").unwrap();
        assert_eq!(d.to_string(), "2018-05-25");
        assert_eq!(seen, "25 maja 2018");
        assert_eq!(
            first_date("w dniach 04.07.2018 i później")
                .unwrap()
                .0
                .to_string(),
            "2018-07-04"
        );
        assert_eq!(first_date("lata 2019-2022, 31 lutego 2018"), None);
    }

    #[test]
    fn issuer_and_author_when_stated() {
        let facts = read_facts(&[
            Block::Paragraph("Zarządzenie Nr 1 Prezydenta Miasta Krakowa".into()),
            Block::Paragraph("Opracowanie: Wydział Polityki Społecznej".into()),
        ]);
        assert_eq!(facts.issuer.as_deref(), Some("Prezydent Miasta Krakowa"));
        assert_eq!(facts.author.as_deref(), Some("Wydział Polityki Społecznej"));
    }
}
