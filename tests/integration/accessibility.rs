//! The accessibility statement from `[accessibility]` in `jawnik.toml`: a complete table builds
//! the page `deklaracja-dostepnosci/` with every id of "Warunki techniczne…" v2.0 filled and
//! links it (footer and meta) from every HTML page; a table missing required fields still
//! builds, each missing field a warning at the table's line in `build` and in `check`; a value
//! of the wrong form fails the build with its line, nothing written; a site without the table
//! has neither page nor link; `jawnik init` writes the table commented out, and uncommented it
//! builds a complete statement.

use crate::common;

use common::*;
use jawnik::check::{check, CheckOptions, Severity};
use jawnik::config::accessibility::REQUIRED_FIELDS;
use jawnik::BuildError;
use std::path::Path;

/// A copy of the a11y-site fixture whose `[accessibility]` table is `table`.
fn site_with_table(name: &str, table: &str) -> std::path::PathBuf {
    let root = temp_dir(name);
    let src = fixture("a11y-site");
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&src).unwrap();
        if rel.starts_with(".jawnik") {
            continue;
        }
        let to = root.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    let toml = std::fs::read_to_string(src.join("jawnik.toml")).unwrap();
    let head = &toml[..toml.find("[accessibility]").unwrap()];
    std::fs::write(root.join("jawnik.toml"), format!("{head}{table}")).unwrap();
    root
}

fn html_pages(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// The `a11y-*` ids version 2.0 requires of every statement.
const REQUIRED_IDS: [&str; 14] = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-zakres",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-komunikacja",
];

#[test]
fn a_complete_table_makes_the_statement_linked_from_every_page() {
    let tmp = temp_dir("a11y-complete");
    let out = tmp.join("public");
    let report = build(&fixture("a11y-site"), &out, None).unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let pages = html_pages(&out);
    assert!(pages.len() >= 8);
    for (path, html) in &pages {
        assert!(
            html.contains(r#"<a href="/deklaracja-dostepnosci/""#),
            "{path}: no link to the statement"
        );
        assert!(
            html.contains(r#"<meta name="deklaracja-dostępności" content="https://example.org/deklaracja-dostepnosci/">"#),
            "{path}: no meta"
        );
    }
    let statement = std::fs::read_to_string(out.join("deklaracja-dostepnosci/index.html")).unwrap();
    for id in REQUIRED_IDS.iter().chain(&[
        "a11y-ocena",
        "a11y-data-przeglad",
        "a11y-aplikacje",
        "a11y-architektura-url",
    ]) {
        assert_eq!(
            statement.matches(&format!(r#"id="{id}""#)).count(),
            1,
            "{id} in:\n{statement}"
        );
    }
    for shown in [
        r#"<span id="a11y-podmiot">Urząd Fikstury Testowej</span>"#,
        r#"<time id="a11y-data-publikacja" datetime="2025-01-15">15 stycznia 2025 r.</time>"#,
        r#"<time id="a11y-data-przeglad" datetime="2026-03-18">18 marca 2026 r.</time>"#,
        r#"<a id="a11y-email" href="mailto:dostepnosc@example.org">dostepnosc@example.org</a>"#,
        r#"<a id="a11y-telefon" href="tel:+48120000000">+48 12 000 00 00</a>"#,
        "Deklarację sporządzono na podstawie badania przeprowadzonego przez Pracownia Audytów Fikcyjnych.",
    ] {
        assert!(statement.contains(shown), "{shown} not in:\n{statement}");
    }
    assert!(!statement.contains("nie uzupełniono"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/deklaracja-dostepnosci/"));
}

#[test]
fn missing_fields_are_warnings_of_build_and_check_at_the_table_line() {
    let root = site_with_table(
        "a11y-missing",
        "[accessibility]\nbody = \"Urząd Fikstury Testowej\"\nstatus = \"niezgodna\"\n",
    );
    let line = std::fs::read_to_string(root.join("jawnik.toml"))
        .unwrap()
        .lines()
        .position(|l| l == "[accessibility]")
        .unwrap()
        + 1;
    let out = root.join("public");
    let report = build(&root, &out, None).unwrap();
    // Every required field but the two given, and the inaccessible parts `niezgodna` needs.
    let fields: Vec<&str> = REQUIRED_FIELDS
        .into_iter()
        .filter(|f| !["body", "status"].contains(f))
        .chain(["inaccessible"])
        .collect();
    for f in &fields {
        let want = format!("jawnik.toml:{line}: field `accessibility.{f}`: missing: ");
        assert!(
            report.warnings.iter().any(|w| w.starts_with(&want)),
            "{want} not in {:#?}",
            report.warnings
        );
    }
    assert_eq!(
        report.warnings.len(),
        fields.len(),
        "{:#?}",
        report.warnings
    );
    let statement = std::fs::read_to_string(out.join("deklaracja-dostepnosci/index.html")).unwrap();
    assert!(
        statement.contains(r#"<span id="a11y-telefon" class="unfilled">nie uzupełniono</span>"#)
    );
    assert!(statement.contains("Strona internetowa jest niezgodna z załącznikiem"));
    assert!(statement.contains("Deklaracja nie jest kompletna"));

    let checked = check(&CheckOptions::new(&root));
    let statement_problems: Vec<_> = checked
        .problems
        .iter()
        .filter(|p| {
            p.field
                .as_deref()
                .is_some_and(|f| f.starts_with("accessibility."))
        })
        .collect();
    assert_eq!(
        statement_problems.len(),
        fields.len(),
        "{statement_problems:#?}"
    );
    assert!(statement_problems
        .iter()
        .all(|p| p.severity == Severity::Warning
            && p.line == Some(line)
            && p.file == "jawnik.toml"));
    assert_eq!(checked.errors(), 0, "{}", checked.format_text());
}

#[test]
fn a_wrong_value_fails_the_build_with_its_line_and_writes_nothing() {
    let root = site_with_table(
        "a11y-wrong",
        "[accessibility]\nbody = \"Urząd\"\nemail = \"dostepnosc at example.org\"\nprepared = 2025-03-20T10:00:00\nreviewed = 2025-03-01\nnickname = \"x\"\n",
    );
    let out = root.join("public");
    let Err(BuildError::Invalid(errors)) = build(&root, &out, None) else {
        panic!("the build should fail");
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    // An unknown key is reported alone (the table is not read further), at its line.
    assert_eq!(text.len(), 1, "{text:#?}");
    assert!(text[0].starts_with("jawnik.toml:"), "{text:#?}");
    assert!(text[0].contains("nickname"), "{text:#?}");
    assert!(!out.exists());

    let root = site_with_table(
        "a11y-wrong-values",
        "[accessibility]\nbody = \"Urząd\"\nemail = \"dostepnosc at example.org\"\nprepared = 2025-03-20T10:00:00\nstatus = \"zgodna\"\nreviewed = 2025-03-01\n",
    );
    let toml = std::fs::read_to_string(root.join("jawnik.toml")).unwrap();
    let line_of = |key: &str| toml.lines().position(|l| l.starts_with(key)).unwrap() + 1;
    let out = root.join("public");
    let Err(BuildError::Invalid(errors)) = build(&root, &out, None) else {
        panic!("the build should fail");
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            format!("jawnik.toml:{}: field `accessibility.email`: must be an e-mail address, got \"dostepnosc at example.org\"", line_of("email")),
            format!("jawnik.toml:{}: field `accessibility.prepared`: must be a date like 2025-03-31 (no time), got 2025-03-20T10:00:00", line_of("prepared")),
        ]
    );
    assert!(!out.exists());
    let checked = check(&CheckOptions::new(&root));
    assert_eq!(checked.errors(), 2, "{}", checked.format_text());
}

#[test]
fn a_site_without_the_table_has_no_statement() {
    let root = site_with_table("a11y-none", "");
    let out = root.join("public");
    let report = build(&root, &out, None).unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(!out.join("deklaracja-dostepnosci").exists());
    for (path, html) in html_pages(&out) {
        assert!(!html.contains("deklaracja-dostepnosci"), "{path}");
    }
}

#[test]
fn init_writes_the_table_commented_out_and_uncommented_it_is_complete() {
    let dir = temp_dir("a11y-init").join("site");
    jawnik::scaffold::init_site(&dir).unwrap();
    let toml = std::fs::read_to_string(dir.join("jawnik.toml")).unwrap();
    assert!(toml.contains("# [accessibility]\n"), "{toml}");
    let out = dir.join("public");
    build(&dir, &out, None).unwrap();
    assert!(!out.join("deklaracja-dostepnosci").exists());

    // Uncomment the table as its comment says: remove "# " before its lines.
    let mut in_table = false;
    let uncommented: String = toml
        .lines()
        .map(|l| {
            if l == "# [accessibility]" {
                in_table = true;
            } else if !l.starts_with('#') {
                in_table = false;
            }
            match l.strip_prefix("# ") {
                Some(rest) if in_table => format!("{rest}\n"),
                _ if in_table && l == "#" => "\n".to_string(),
                _ => format!("{l}\n"),
            }
        })
        .collect();
    std::fs::write(dir.join("jawnik.toml"), uncommented).unwrap();
    let report = build(&dir, &out, None).unwrap();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let statement = std::fs::read_to_string(out.join("deklaracja-dostepnosci/index.html")).unwrap();
    for id in REQUIRED_IDS {
        assert!(statement.contains(&format!(r#"id="{id}""#)), "{id}");
    }
    assert!(!statement.contains("nie uzupełniono"));
}
