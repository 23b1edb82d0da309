//! The comparison of two versions (issue #25) on the fixture of `tests/fixtures/compare/`:
//! chapters 1–2 of the 1994 public procurement act and the same passage with the changes of
//! the 1997 amending act applied (see its README). `jawnik diff` as text and JSON, on the
//! Markdown pair and on the PDF pair made from it, moved paragraphs, errors, and the theme's
//! comparison page rendered from the view.
//!
//! The expected counts follow from the amending act, art. 1 pkt 1–7: changed are art. 2 pkt 8
//! (full stop to comma), art. 4 ust. 1 pkt 3 and 5 and ust. 2, art. 5 (numbered ust. 1),
//! art. 9 ust. 1 pkt 1, 5, 6 and 8, ust. 2 pkt 1 and 2 (11); removed are art. 4 ust. 1 pkt 4
//! and art. 11 (its heading and two paragraphs), and the old art. 2 pkt 1, whose new wording
//! shares too few words with it to be one changed paragraph (5); added are that new pkt 1,
//! art. 2 pkt 9–11 with lit. a–c, art. 3 ust. 3–4, art. 4 ust. 1 pkt 6 with lit. a–c, pkt 7
//! and 8, art. 5 ust. 2–3, art. 6a (heading and text), art. 9 ust. 1 pkt 9 and ust. 2 pkt 3
//! (21).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    common::fixture("compare").join(name)
}

/// Runs `jawnik diff` with `args`: (exit code, stdout, stderr).
fn jawnik_diff(args: &[&Path], json: bool) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jawnik"));
    cmd.arg("diff").args(args);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().expect("jawnik runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The 1-based line of the first line of `file` containing `text`.
fn line_of(file: &Path, text: &str) -> u64 {
    let content = std::fs::read_to_string(file).unwrap();
    1 + content.lines().position(|l| l.contains(text)).unwrap() as u64
}

#[test]
fn markdown_pair_as_text() {
    let (old, new) = (fixture("zamowienia-1994.md"), fixture("zamowienia-1997.md"));
    let (code, out, err) = jawnik_diff(&[&old, &new], false);
    assert_eq!(code, 1, "differences: exit 1\n{err}");
    assert!(!out.contains('\x1b'), "no colour in a pipe");
    // Front matter first, field by field.
    assert!(out.contains("Metadane (front matter):\n  date: 1994-06-10 → 1997-08-29\n"));
    assert!(out.contains("  title: \"Ustawa o zamówieniach publicznych, rozdziały 1–2 (tekst z 1994 r.)\" → \"Ustawa o zamówieniach publicznych, rozdziały 1–2 (po zmianach z 1997 r.)\"\n"));
    assert!(
        !out.contains("  issuer:"),
        "unchanged fields are not listed"
    );
    assert!(
        out.contains("Zmiany w tekście: 11 akapitów zmienionych, 21 dodanych, 5 usuniętych.\n"),
        "{out}"
    );
    // Words inside paragraphs, with the heading path and the lines of both files.
    let header = format!(
        "@@ zmiana 7 z 11 · Rozdział 2. Urząd Zamówień Publicznych › Art. 9. · w. {} → {} @@\n",
        line_of(&old, "zgodnie z art. 15 ust. 2"),
        line_of(&new, "zgodnie z art. 14 ust. 3")
    );
    assert!(out.contains(&header), "{out}");
    assert!(out.contains("~ 1) zatwierdzanie wyboru trybu udzielania zamówienia publicznego innego niż przetarg nieograniczony, zgodnie z art. [-15-]{+14+} ust. [-2-]{+3+},\n"));
    assert!(out.contains("~ 3) jednostki samorządu terytorialnego{+ i sejmiki samorządowe+},\n"));
    assert!(out.contains("+ ### {+Art. 6a.+}\n"));
    assert!(out.contains("- ### [-Art. 11.-]\n"));
    assert!(out.contains("- [-4) państwowe i komunalne jednostki organizacyjne, wykonujące zadania o charakterze użyteczności publicznej, jeżeli dysponują środkami publicznymi,-]\n"));
}

#[test]
fn markdown_pair_as_json() {
    let (old, new) = (fixture("zamowienia-1994.md"), fixture("zamowienia-1997.md"));
    let (code, out, _) = jawnik_diff(&[&old, &new], true);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["format"], "jawnik-compare");
    assert_eq!(v["version"], 1);
    assert_eq!(v["old"]["source"], "markdown");
    let fields: Vec<&str> = v["front_matter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["date", "sources", "summary", "title"]);
    let summary = &v["summary"];
    assert_eq!(
        (
            &summary["changed"],
            &summary["added"],
            &summary["removed"],
            &summary["moved_here"]
        ),
        (
            &Value::from(11),
            &Value::from(21),
            &Value::from(5),
            &Value::from(0)
        )
    );
    let rows = v["rows"].as_array().unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 11);
    // Every changed row names its change, every change's rows are changed ones.
    for c in changes {
        let (first, last) = (
            c["first_row"].as_u64().unwrap() as usize,
            c["last_row"].as_u64().unwrap() as usize,
        );
        for row in &rows[first..=last] {
            assert_eq!(row["change"], c["number"]);
            assert_ne!(row["status"], "unchanged");
        }
    }
    // The removed article: its heading keeps the anchor the old page gave it, its
    // paragraphs fall under it, and the change knows its heading path.
    let last = &changes[10];
    let headings: Vec<(&str, &str)> = last["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["text"].as_str().unwrap(), h["anchor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        headings,
        [
            (
                "Rozdział 2. Urząd Zamówień Publicznych",
                "rozdzial-2-urzad-zamowien-publicznych"
            ),
            ("Art. 11.", "art-11")
        ]
    );
    let removed_heading = last["first_row"].as_u64().unwrap() as usize;
    assert_eq!(rows[removed_heading]["status"], "removed");
    assert_eq!(
        rows[removed_heading + 1]["section"].as_u64(),
        Some(removed_heading as u64)
    );
    assert_eq!(
        rows[removed_heading]["old"]["line"].as_u64(),
        Some(line_of(&old, "### Art. 11."))
    );
    // Segments of a changed row put together give the old and the new text.
    let changed = rows
        .iter()
        .find(|r| {
            r["status"] == "changed"
                && r["segments"][0]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with("2. Rada Ministrów")
        })
        .unwrap();
    let side = |skip: &str| -> String {
        changed["segments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["op"] != skip)
            .map(|s| s["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(side("ins"), "2. Rada Ministrów określa, w drodze rozporządzenia, szczególne zasady udzielania zamówień publicznych ze względu na ochronę bezpieczeństwa narodowego, ochronę tajemnicy państwowej, stan klęski żywiołowej lub inny ważny interes państwa.");
    assert!(side("del").starts_with("2. Rada Ministrów określi,"));
}

#[test]
fn moved_paragraphs_are_recognised() {
    // The fixture's new version with art. 10 moved to the start of chapter 2, before art. 7
    // (an edit made here, to exercise moves; no statute did it), one word of its second
    // paragraph changed.
    let new = std::fs::read_to_string(fixture("zamowienia-1997.md")).unwrap();
    let start = new.find("### Art. 10.").unwrap();
    let end = new.find("### Art. 12.").unwrap();
    let article = new[start..end].replace("na wniosek Prezesa", "na wspólny wniosek Prezesa");
    let rest = format!("{}{}", &new[..start], &new[end..]);
    let at = rest.find("### Art. 7.").unwrap();
    let moved = format!("{}{article}{}", &rest[..at], &rest[at..]);
    let dir = common::temp_dir("compare-moved");
    let moved_file = dir.join("przeniesiony.md");
    std::fs::write(&moved_file, moved).unwrap();
    let (_, out, _) = jawnik_diff(&[&fixture("zamowienia-1997.md"), &moved_file], true);
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let with_status =
        |s: &str| -> Vec<&Value> { rows.iter().filter(|r| r["status"] == s).collect() };
    assert_eq!(v["summary"]["moved_here"], 2, "both paragraphs of art. 10");
    let away = with_status("moved_away");
    let here = with_status("moved_here");
    assert_eq!((away.len(), here.len()), (2, 2));
    for r in &here {
        let partner = &rows[r["partner"].as_u64().unwrap() as usize];
        assert_eq!(partner["status"], "moved_away");
        assert_ne!(partner["change"], r["change"], "two places, two changes");
    }
    let edited: Vec<(&str, &str)> = here[1]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["op"] != "same")
        .map(|s| {
            (
                s["op"].as_str().unwrap(),
                s["text"].as_str().unwrap().trim(),
            )
        })
        .collect();
    assert_eq!(edited, [("ins", "wspólny")]);
    // "Art. 10." alone is too short to call a move: removed at one place, added at the other.
    let heading_statuses: Vec<&str> = rows
        .iter()
        .filter(|r| r["segments"][0]["text"] == "Art. 10.")
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(heading_statuses, ["added", "removed"]);
    let (_, text, _) = jawnik_diff(&[&fixture("zamowienia-1997.md"), &moved_file], false);
    assert!(text.contains("< (przeniesiony → zmiana "), "{text}");
    assert!(text.contains("> (przeniesiony ← zmiana "), "{text}");
}

#[test]
fn pdf_pair_through_extraction() {
    let (old, new) = (
        fixture("zamowienia-1994.pdf"),
        fixture("zamowienia-1997.pdf"),
    );
    let (code, out, err) = jawnik_diff(&[&old, &new], true);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["old"]["source"], "pdf");
    assert!(v["front_matter"].is_null(), "PDFs have no front matter");
    let rows = v["rows"].as_array().unwrap();
    let ops = |r: &Value| -> Vec<(String, String)> {
        r["segments"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["op"] != "same")
            .map(|s| {
                (
                    s["op"].as_str().unwrap().into(),
                    s["text"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    // The same edits as in the Markdown pair, found in the PDFs' text.
    let changed: Vec<Vec<(String, String)>> = rows
        .iter()
        .filter(|r| r["status"] == "changed")
        .map(ops)
        .collect();
    assert!(changed.contains(&vec![("ins".into(), " i sejmiki samorządowe".into())]));
    assert!(changed.contains(&vec![("ins".into(), " ust. 1".into())]));
    let texts = |status: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["status"] == status)
            .map(|r| r["segments"][0]["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(texts("added").contains(&"Art. 6a.".to_string()));
    assert!(texts("removed").contains(&"Art. 11.".to_string()));
    assert!(texts("unchanged")
        .contains(&"Tworzy się Urząd Zamówień Publicznych, zwany dalej \"Urzędem\".".to_string()));
    assert_eq!(v["summary"]["moved_here"], 0);
}

#[test]
fn same_file_exits_0_and_bad_files_exit_2_naming_each() {
    let old = fixture("zamowienia-1994.md");
    let (code, out, _) = jawnik_diff(&[&old, &old], false);
    assert_eq!(code, 0);
    assert!(out.contains("Tekst bez zmian."));
    let dir = common::temp_dir("compare-bad");
    let broken = dir.join("zepsuty.md");
    std::fs::write(
        &broken,
        "+++\ntitle = \"a\"\ndate = 2024-13-45\n+++\ntekst\n",
    )
    .unwrap();
    let other = dir.join("arkusz.xlsx");
    std::fs::write(&other, "x").unwrap();
    let (code, out, err) = jawnik_diff(&[&broken, &other], false);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let broken_line = format!("error: {}:3: ", broken.display());
    assert!(err.contains(&broken_line), "{err}");
    assert!(err.contains("field `date`"), "{err}");
    assert!(
        err.contains(&format!(
            "error: {}: not a Markdown (.md), PDF, DOCX, ODT or TXT file",
            other.display()
        )),
        "{err}"
    );
    // Windows-1250 Markdown, and a damaged PDF (the first 40% of a real one).
    let cp1250 = dir.join("cp1250.md");
    std::fs::write(&cp1250, b"## Zasady\n\n\xb3\xb9ka\n").unwrap();
    let damaged = common::fixture("attachments").join("uszkodzony.pdf");
    let (code, _, err) = jawnik_diff(&[&cp1250, &damaged], false);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "error: {}: not valid UTF-8 (byte 11 is not)",
            cp1250.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("error: {}: ", damaged.display())),
        "{err}"
    );
    let missing = dir.join("brak.pdf");
    let (code, _, err) = jawnik_diff(&[&missing, &old], false);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{}: cannot read", missing.display())),
        "{err}"
    );
}
