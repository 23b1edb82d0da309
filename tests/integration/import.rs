//! `jawnik import`: the seed documents, as plain text and as the PDF, DOCX and ODT made from
//! them, become Markdown whose headings and lists follow the document's structure, with the
//! front matter filled from the text and TODO marks elsewhere; nothing is overwritten; the
//! original kept as an attachment is searchable after a build, by `jawnik search` pointing to
//! the attachment and its page.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn attachment(name: &str) -> PathBuf {
    common::fixture("attachments").join(name)
}

fn jawnik(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jawnik"))
        .args(args)
        .output()
        .unwrap()
}

fn import(root: &Path, file: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "import",
        "--root",
        root.to_str().unwrap(),
        "--kind",
        "raport",
        file.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = jawnik(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{}: {stderr}", file.display());
    let path = String::from_utf8(out.stdout).unwrap().trim().to_string();
    (std::fs::read_to_string(path).unwrap(), stderr)
}

/// The lines of the Markdown body (after the front matter).
fn body(markdown: &str) -> Vec<&str> {
    markdown
        .splitn(3, "+++\n")
        .nth(2)
        .unwrap()
        .lines()
        .collect()
}

/// The culture meeting's structure, whichever format it comes in.
fn assert_culture_structure(markdown: &str, what: &str) {
    let lines = body(markdown);
    let has = |line: &str| {
        assert!(
            lines.contains(&line),
            "{what}: no line {line:?} in\n{}",
            lines.join("\n")
        );
    };
    has("## OPINIE I POSTULATY DOTYCZĄCE WSPÓŁPRACY Z UMK W TRZECH PŁASZCZYZNACH WSPÓŁPRACY");
    // The three planes of cooperation, numbered with and without a dot.
    has("### 1. Płaszczyzna - Tworzenie polityk publicznych");
    has(
        "### 2 Płaszczyzna - Współpraca w zakresie realizacji zadań finansowych i poza finansowych",
    );
    has("### 3 Płaszczyzna Tworzenie warunków do aktywności społecznych i obywatelskich");
    has("Wnioski:");
    // Hard-wrapped list items joined, numbered lists kept, sub-bullets nested.
    has("1. Kluczowa jest wzajemna otwartość obu stron i wola współpracy, warto uwzględnić to fundamentalne założenie w preambule WPW.");
    has("5. NGO są zapraszane do udziału w konsultacjach, ale niechętnie biorą w nich udział, gdyż:");
    has("   - nie mają przekonania, że ich głos będzie brany pod uwagę,");
    has("6. Zdecydowanie na lepsze zmieniło się podejście do współpracy Wydziału Kultury");
    has("## NOWE POMYSŁY NA WSPÓŁPRACĘ.");
    // A capitalised heading broken over two lines is one heading.
    has("## W JAKIE OBSZARY PROGRAMU ROZWOJU KULTURY W PRIORYTETOWO NALEŻY WŁĄCZYĆ ORGANIZACJE POZARZĄDOWE?");
    has("   - dostępne tanie sale dla artystów");
    assert!(
        !markdown.contains(['\u{f0b7}', '\u{f0a7}', '\u{f0fc}']),
        "{what}: bullet characters left"
    );
    // The headings and lists come in the document's order.
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap();
    assert!(
        at("## OPINIE") < at("### 1. Płaszczyzna")
            && at("### 1. Płaszczyzna") < at("## NOWE POMYSŁY")
    );
}

#[test]
fn seed_text_pdf_and_office_files_import_with_their_structure() {
    let root = common::temp_dir("import-structure");
    let (md, stderr) = import(&root, &attachment("spotkanie-kultura-2018-05-25.txt"), &[]);
    assert!(stderr.contains("TODO"), "{stderr}");
    assert!(md.contains("title = \"Podsumowanie spotkania konsultacyjnego dla organizacji pozarządowych działających w obszarze kultury i sztuki\"\n"), "{md}");
    assert!(
        md.contains("\ndate = 2018-05-25  # z tekstu: „25 maja 2018”\n"),
        "{md}"
    );
    assert!(md.contains("\nauthor = \"Ewa Chromniak\""), "{md}");
    // What the text does not state stays commented out, marked TODO.
    assert!(
        md.contains(
            "\n# issuer = \"Prezydent Miasta Krakowa\"  # TODO: organ, który wydał dokument\n"
        ),
        "{md}"
    );
    assert!(md.contains("summary = \"TODO: "));
    assert_culture_structure(&md, "txt");

    let (md, _) = import(
        &root,
        &attachment("spotkanie-kultura-2018-05-25.pdf"),
        &["--title", "Spotkanie o kulturze (PDF)"],
    );
    assert!(md.contains("title = \"Spotkanie o kulturze (PDF)\"\n"));
    assert_culture_structure(&md, "pdf");
    // Page numbers and form feeds do not reach the text.
    assert!(!body(&md)
        .iter()
        .any(|l| l.trim().chars().all(|c| c.is_ascii_digit()) && !l.trim().is_empty()));

    let (md, _) = import(
        &root,
        &attachment("spotkanie-przestrzen-2018-06-07.docx"),
        &["--title", "Spotkanie o przestrzeni"],
    );
    let lines = body(&md);
    assert!(md.contains("\ndate = 2018-06-07"), "{md}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("1. Większa otwartość pracowników Urzędu")),
        "{md}"
    );
    assert!(lines.iter().any(|l| l.starts_with("## ")), "{md}");

    let (md, _) = import(
        &root,
        &attachment("spotkanie-biznes-2018-06-22.odt"),
        &["--title", "Spotkanie o biznesie"],
    );
    assert!(md.contains("\ndate = 2018-06-22"), "{md}");
    assert!(body(&md).iter().any(|l| l.starts_with("## ")), "{md}");
    let _ = std::fs::remove_dir_all(root);
}

/// The final report (seed 001): title-case section headings, the planes of cooperation,
/// bullet lists with hard-wrapped items joined.
#[test]
fn the_final_report_imports_with_its_sections_and_lists() {
    let root = common::temp_dir("import-report");
    let (md, _) = import(&root, &attachment("raport-konsultacje-2018.txt"), &[]);
    let lines = body(&md);
    // It opens with a section, not a title: the title is left to the editor (file name).
    assert!(md.contains("title = \"raport-konsultacje-2018\""), "{md}");
    let headings: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("## "))
        .collect();
    for h in [
        "## Wprowadzenie",
        "## Przebieg procesu konsultacji",
        "## Struktura raportu",
        "## Część I",
        "## Płaszczyzna I - Tworzenie polityk publicznych",
        "## Płaszczyzna II - współpraca w realizacji zadań publicznych",
        "## Pomysły na nowe zadania i rozwiązania",
    ] {
        assert!(headings.contains(&h), "no {h:?} in {headings:#?}");
    }
    let at = |h: &str| headings.iter().position(|x| *x == h).unwrap();
    assert!(
        at("## Wprowadzenie") < at("## Część I")
            && at("## Część I")
                < at("## Płaszczyzna II - współpraca w realizacji zadań publicznych")
    );
    for item in [
        "- kultura i sztuka (25.05.2018)",
        "- włączanie przedstawicieli III sektora w diagnozę lokalnych problemów, aby ogłaszane konkursy grantowe byłyby lepiej dopasowane do realnych potrzeb zarówno pod kątem zakresu wsparcia, jak i pod kątem podziału dostępnych środków na konkretne działania (NGO świetnie znają lokalne środowisko)",
        "- potrzeba stworzenia odformalizowanych narzędzi diagnozy potrzeb i zbierania opinii (np. streetwork)",
    ] {
        assert!(lines.contains(&item), "no item {item:?}");
    }
    assert!(lines.iter().filter(|l| l.starts_with("- ")).count() > 100);
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn import_never_overwrites() {
    let root = common::temp_dir("import-overwrite");
    let file = attachment("spotkanie-biznes-2018-06-22.txt");
    let (first, _) = import(&root, &file, &["--title", "Spotkanie", "--keep-original"]);
    let out = jawnik(&[
        "import",
        "--root",
        root.to_str().unwrap(),
        "--kind",
        "raport",
        "--title",
        "Spotkanie",
        "--keep-original",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists; not overwritten"));
    let path = root.join("content/raporty/spotkanie.md");
    assert_eq!(std::fs::read_to_string(path).unwrap(), first);
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_kept_original_is_searched_and_results_point_to_its_page() {
    let root = common::temp_dir("import-search");
    std::fs::copy(
        common::fixture("site-attachments/jawnik.toml"),
        root.join("jawnik.toml"),
    )
    .unwrap();
    let (md, _) = import(
        &root,
        &attachment("spotkanie-kultura-2018-05-25.pdf"),
        &["--keep-original", "--title", "Spotkanie o kulturze"],
    );
    assert!(md.contains("[[attachments]]\ntitle = \"Dokument źródłowy\"\nfile = \"raporty/files/spotkanie-o-kulturze.pdf\"\nformat = \"PDF\"\n"), "{md}");
    // Keep only the first heading's part of the body: "Mecenas" is then in the PDF only.
    let cut = md.find("## OPINIE").unwrap();
    let md =
        format!("{}\nSkrót spotkania.\n", &md[..cut]).replace("summary = \"TODO: ", "summary = \"");
    std::fs::write(root.join("content/raporty/spotkanie-o-kulturze.md"), md).unwrap();
    let out = jawnik(&["build", "--root", root.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = jawnik(&[
        "search",
        "--root",
        root.to_str().unwrap(),
        "--json",
        "mecenasa",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &json["results"][0];
    assert_eq!(r["path"], "raporty/spotkanie-o-kulturze/");
    assert_eq!(r["attachment"]["title"], "Dokument źródłowy");
    assert_eq!(r["attachment"]["page"], 4);
    assert_eq!(
        r["attachment"]["path"],
        "pliki/raporty/files/spotkanie-o-kulturze.pdf#page=4"
    );
    let snippet: String = r["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert!(snippet.contains("program Mecenas"), "{snippet}");
    let _ = std::fs::remove_dir_all(root);
}
