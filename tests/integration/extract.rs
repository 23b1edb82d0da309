//! Text extraction from real PDF, DOCX and ODT files made from the seed documents
//! (`tests/fixtures/attachments/README.md`): at least 98% of the source's words come out, in
//! order, with the Polish letters right; damaged and encrypted files are clear errors; a site
//! with such attachments builds with a warning naming each unreadable file, its page says
//! which attachments have no searchable text, and the extraction cache is used.

use crate::common;

use std::path::{Path, PathBuf};

use jawnik::extract::{extract_file, Cache, Format};

fn attachment(name: &str) -> PathBuf {
    common::fixture("attachments").join(name)
}

/// Lowercase words of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Length of the longest common subsequence of two word lists.
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                row[j + 1].max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn in_order_share(source: &Path, extracted: &str) -> f64 {
    let source = words(&std::fs::read_to_string(source).unwrap());
    let got = words(extracted);
    lcs(&source, &got) as f64 / source.len() as f64
}

#[test]
fn lcs_counts_words_in_order() {
    let w = |s: &str| words(s);
    assert_eq!(lcs(&w("a b c d"), &w("a x c d")), 3);
    assert_eq!(lcs(&w("a b c"), &w("c b a")), 1);
}

#[test]
fn pdf_docx_odt_give_at_least_98_percent_of_the_words_in_order() {
    for (file, source, paged) in [
        (
            "spotkanie-kultura-2018-05-25.pdf",
            "spotkanie-kultura-2018-05-25.txt",
            true,
        ),
        (
            "spotkanie-przestrzen-2018-06-07.docx",
            "spotkanie-przestrzen-2018-06-07.txt",
            false,
        ),
        (
            "spotkanie-biznes-2018-06-22.odt",
            "spotkanie-biznes-2018-06-22.txt",
            false,
        ),
        (
            "spotkanie-biznes-2018-06-22.txt",
            "spotkanie-biznes-2018-06-22.txt",
            false,
        ),
    ] {
        let extracted = extract_file(&attachment(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(extracted.paged, paged, "{file}");
        let text = extracted.text();
        let share = in_order_share(&attachment(source), &text);
        eprintln!("{file}: {:.2}% of the source words in order", share * 100.0);
        assert!(
            share >= 0.98,
            "{file}: only {:.1}% of the words in order",
            share * 100.0
        );
        assert!(!text.contains('\u{fffd}'), "{file}: replacement characters");
        for letters in ["współpracy", "pozarządowych", "uczestników", "Kraków"] {
            assert!(text.contains(letters), "{file}: no {letters:?}");
        }
        // Every Polish letter of the source comes out as that letter, as often.
        let source_text = std::fs::read_to_string(attachment(source)).unwrap();
        for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".chars() {
            let want = source_text.chars().filter(|&c| c == letter).count();
            let got = text.chars().filter(|&c| c == letter).count();
            assert_eq!(got, want, "{file}: {letter:?}");
        }
    }
}

#[test]
fn pdf_text_comes_by_page() {
    let pdf = extract_file(&attachment("spotkanie-kultura-2018-05-25.pdf")).unwrap();
    assert_eq!(pdf.page_count(), Some(4));
    assert!(pdf.pages[0].contains("Podsumowanie spotkania konsultacyjnego"));
    assert!(!pdf.pages[0].contains("Mecenas"));
    assert!(pdf.pages[3].contains("Mecenas Krakowa"), "{}", pdf.pages[3]);
}

#[test]
fn damaged_and_encrypted_pdfs_are_errors_not_panics() {
    let e = extract_file(&attachment("uszkodzony.pdf")).unwrap_err();
    assert!(e.0.contains("damaged"), "{e}");
    let e = extract_file(&attachment("zaszyfrowany.pdf")).unwrap_err();
    assert!(e.0.contains("encrypted"), "{e}");
    // Not a zip at all, and arbitrary bytes.
    let e = jawnik::extract::extract_bytes(Format::Docx, b"PK\x03\x04garbage").unwrap_err();
    assert!(e.0.contains("DOCX"), "{e}");
    for n in [0usize, 1, 100, 5000] {
        let junk: Vec<u8> = (0..n).map(|i| (i * 7919 % 251) as u8).collect();
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend(&junk);
        assert!(jawnik::extract::extract_bytes(Format::Pdf, &pdf).is_err());
    }
}

#[test]
fn cache_returns_the_stored_result_for_the_same_bytes() {
    let dir = common::temp_dir("extract-cache");
    let cache = Cache::new(&dir.join("cache"));
    let file = attachment("spotkanie-biznes-2018-06-22.odt");
    let first = cache.extract(&file, Format::Odt).unwrap();
    let entries: Vec<_> = std::fs::read_dir(dir.join("cache")).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // The next extraction is read from the cache: an edited entry shows.
    let entry = entries[0].as_ref().unwrap().path();
    let json = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, json.replace("Podsumowanie", "Zmienione")).unwrap();
    let second = cache.extract(&file, Format::Odt).unwrap();
    assert_ne!(first, second);
    assert!(second.text().contains("Zmienione"));
    // Failures are cached too, and stay failures.
    let bad = attachment("uszkodzony.pdf");
    assert!(cache.extract(&bad, Format::Pdf).is_err());
    assert!(cache.extract(&bad, Format::Pdf).is_err());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_names_unreadable_attachments_with_their_line() {
    let report = jawnik::check::check(&jawnik::check::CheckOptions::new(common::fixture(
        "site-attachments",
    )));
    let _ = std::fs::remove_dir_all(common::fixture("site-attachments/.jawnik"));
    let text = format!("{report:?}");
    for (line, file) in [(21, "uszkodzony.pdf"), (25, "zaszyfrowany.pdf")] {
        assert!(
            report.problems.iter().any(|p| p.line == Some(line)
                && p.message
                    .starts_with(&format!("content/raporty/files/{file}: no searchable text"))),
            "{file}: {text}"
        );
    }
}

#[test]
fn unreadable_attachments_warn_and_the_page_says_they_have_no_text() {
    let dir = common::temp_dir("extract-site");
    let out = dir.join("public");
    let report = common::build(&common::fixture("site-attachments"), &out, None)
        .expect("a site with unreadable attachments still builds");
    assert_eq!(report.warnings.len(), 2, "{:#?}", report.warnings);
    assert!(report.warnings[0].contains("content/raporty/files/uszkodzony.pdf"));
    assert!(report.warnings[1].contains("content/raporty/files/zaszyfrowany.pdf"));
    assert!(report.warnings[1].contains("encrypted"));
    let page = std::fs::read_to_string(out.join("raporty/spotkania-2018/index.html")).unwrap();
    assert_eq!(page.matches("brak tekstu do przeszukania").count(), 2);
    assert!(page.contains("(PDF, 25,5 KB, 4 strony)"), "{page}");
    assert!(page.contains("(DOCX, 8,2 KB)"));
    // The files are published as they are.
    assert!(out.join("pliki/raporty/files/zaszyfrowany.pdf").is_file());
    // One cache entry per file; entries of files no longer there are removed by the next build.
    let cache = dir.join("public-extract");
    let count = || std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(count(), 5);
    std::fs::write(cache.join("0000-PDF.json"), "{}").unwrap();
    common::build(&common::fixture("site-attachments"), &out, None).unwrap();
    assert_eq!(count(), 5);
    let _ = std::fs::remove_dir_all(dir);
}
