//! `jawnik new` and `jawnik init`: slugs of Polish titles, a new file of each kind with every
//! field that builds without errors, no overwriting, and a new site that builds, checks clean
//! and whose search finds its examples.

use crate::common;

use common::*;
use jawnik::check::{check, CheckOptions, Severity};
use jawnik::scaffold::{init_site, new_entry, parse_kind, slug_from_title};
use jawnik::Kind;

#[test]
fn slugs_of_polish_titles() {
    for (title, slug) in [
        ("Łódź", "lodz"),
        (
            "Strategia Rozwoju Kultury 2030",
            "strategia-rozwoju-kultury-2030",
        ),
        (
            "  Zażółć gęślą jaźń — „Program” 2019–2022!  ",
            "zazolc-gesla-jazn-program-2019-2022",
        ),
        (
            "ŚWIĘTO Ulicy Świętej Gertrudy",
            "swieto-ulicy-swietej-gertrudy",
        ),
        ("Fundacja \"Żółw\" / Kraków", "fundacja-zolw-krakow"),
    ] {
        assert_eq!(slug_from_title(title), slug, "{title}");
    }
    let title = "Wieloletni program współpracy ".repeat(8);
    let long = slug_from_title(&title);
    let full = jawnik::render::markdown::slugify(&title);
    assert!(long.len() <= jawnik::scaffold::MAX_SLUG, "{long}");
    assert!(long.len() > 60, "{long}");
    assert!(
        full.starts_with(&long) && full[long.len()..].starts_with('-'),
        "cut at a word: {long}"
    );
}

fn site_with_config() -> std::path::PathBuf {
    let dir = temp_dir(&format!(
        "new-{}",
        std::thread::current()
            .name()
            .unwrap_or("x")
            .replace("::", "-")
    ));
    let root = dir.join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(
        fixture("site-ok").join("jawnik.toml"),
        root.join("jawnik.toml"),
    )
    .unwrap();
    root
}

const DOCUMENT_FIELDS: [&str; 16] = [
    "title",
    "summary",
    "date",
    "published",
    "updated",
    "issuer",
    "author",
    "status",
    "period",
    "sectors",
    "districts",
    "source",
    "sources",
    "related",
    "slug",
    "[[attachments]]",
];
const NGO_FIELDS: [&str; 11] = [
    "name",
    "summary",
    "sectors",
    "districts",
    "address",
    "website",
    "email",
    "phone",
    "krs",
    "sources",
    "slug",
];

#[test]
fn new_file_of_each_kind_has_every_field_and_builds() {
    let root = site_with_config();
    let mut paths = Vec::new();
    for (name, title, file) in [
        (
            "strategia",
            "Strategia Rozwoju Kultury 2030",
            "content/strategie/strategia-rozwoju-kultury-2030.md",
        ),
        (
            "program",
            "Program współpracy z organizacjami na 2025 r.",
            "content/programy/program-wspolpracy-z-organizacjami-na-2025-r.md",
        ),
        (
            "raport",
            "Raport z konsultacji: Łódź i Kraków",
            "content/raporty/raport-z-konsultacji-lodz-i-krakow.md",
        ),
        (
            "organizacja",
            "Fundacja \"Żółta Łódka\"",
            "content/organizacje/fundacja-zolta-lodka.md",
        ),
    ] {
        let kind = parse_kind(name).unwrap();
        let path = new_entry(&root, kind, title).unwrap();
        assert_eq!(path, root.join(file));
        let text = std::fs::read_to_string(&path).unwrap();
        let fields: &[&str] = if kind == Kind::Organizacja {
            &NGO_FIELDS
        } else {
            &DOCUMENT_FIELDS
        };
        for field in fields {
            assert!(
                text.lines().any(|l| {
                    let l = l.trim_start_matches("# ");
                    l.starts_with(&format!("{field} =")) || l == *field
                }),
                "{name}: no {field} in\n{text}"
            );
        }
        paths.push(file);
    }
    assert!(root.join("content/strategie/_index.md").is_file());

    let out = root.with_file_name("public");
    let report = build(&root, &out, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.documents, 3);
    assert_eq!(report.organisations, 1);
    let html = read(&out, "organizacje/fundacja-zolta-lodka/index.html");
    assert!(
        html.contains("Fundacja &quot;Żółta Łódka&quot;")
            || html.contains("Fundacja \"Żółta Łódka\"")
    );

    // `check` reports the placeholders (and the empty optional data) as warnings only.
    let report = check(&CheckOptions::new(&root));
    let text = report.format_text();
    assert_eq!(report.errors(), 0, "{text}");
    for file in paths {
        assert!(
            report.problems.iter().any(|p| p.file == file
                && p.severity == Severity::Warning
                && p.message.starts_with("placeholder summary")),
            "{file}: {text}"
        );
    }
}

#[test]
fn new_refuses_to_overwrite() {
    let root = site_with_config();
    let path = new_entry(&root, Kind::Raport, "Raport końcowy").unwrap();
    std::fs::write(&path, "edited").unwrap();
    let err = new_entry(&root, Kind::Raport, "Raport   KOŃCOWY!").unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("raport-koncowy.md"), "{msg}");
    assert!(msg.contains("already exists"), "{msg}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    assert!(new_entry(&root, Kind::Raport, "— ? —").is_err(), "no slug");

    // The command: the path on stdout; the refusal names the file and fails.
    let bin = env!("CARGO_BIN_EXE_jawnik");
    let out = std::process::Command::new(bin)
        .args(["new", "program", "Program Łódź", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("program-lodz.md"));
    let out = std::process::Command::new(bin)
        .args(["new", "program", "Program Łódź", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("program-lodz.md already exists"));
    let out = std::process::Command::new(bin)
        .args(["new", "uchwala", "X", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(!out.status.success(), "unknown kind");
}

#[test]
fn init_creates_a_site_that_builds_checks_clean_and_searches() {
    let dir = temp_dir("init");
    let root = dir.join("nowa-strona");
    let bin = env!("CARGO_BIN_EXE_jawnik");
    let out = std::process::Command::new(bin)
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !root.join("themes").exists(),
        "the theme is embedded, not copied"
    );
    for kind in Kind::ALL {
        assert!(root
            .join("content")
            .join(kind.section())
            .join("_index.md")
            .is_file());
    }

    // Kraków's districts, as in the example site.
    let ours = jawnik::config::Config::load(&root, None).unwrap();
    let example = jawnik::config::Config::load(&manifest_dir(), None).unwrap();
    assert_eq!(ours.districts, example.districts);
    assert_eq!(ours.districts.len(), 18);

    let report = check(&CheckOptions::new(&root));
    assert!(report.problems.is_empty(), "{}", report.format_text());

    let opts = jawnik::BuildOptions::new(&root);
    let built = jawnik::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(built.documents, 3);
    assert_eq!(built.organisations, 1);
    assert!(root
        .join("public/strategie/przykladowa-strategia-rozwoju-kultury/index.html")
        .is_file());

    let out = std::process::Command::new(bin)
        .args(["search", "--json", "--root"])
        .arg(&root)
        .arg("przykład")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: std::collections::BTreeSet<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "strategia",
        "program",
        "raport",
        "organizacja",
        "konkurs",
        "kontakt",
        "postulat",
    ] {
        assert!(kinds.contains(kind), "{kind} not found: {v:#}");
    }

    // A non-empty folder is refused, and nothing in it is touched.
    let err = init_site(&root).unwrap_err();
    assert!(format!("{err:#}").contains("not empty"), "{err:#}");
    let out = std::process::Command::new(bin)
        .arg("init")
        .arg(&root)
        .output()
        .unwrap();
    assert!(!out.status.success());
    // An empty existing folder is fine.
    let empty = dir.join("pusta");
    std::fs::create_dir_all(&empty).unwrap();
    init_site(&empty).unwrap();
}
