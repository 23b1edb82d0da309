//! Postulates meet the text that answers them (`answer_ref`), over the `versions` fixture (its
//! test report points postulate 1 at art. 2 of the 1997 version): the comparison page labels
//! exactly the changes of that section "odpowiada na postulat" with a link to the postulate,
//! the tracker and the report link the postulate to the section and to those changes (every
//! link's target exists), and each bad `answer_ref` is an error with its file, line and field.

use crate::common;

use common::{build, copy_dir, fixture, read, temp_dir};

const REPORT: &str = "/raporty/postulat-roboty-budowlane/#postulat-1";

/// The `<div class="cmp-change" id="zmiana_N">` blocks of a comparison page, by number.
fn change_blocks(html: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<div class=\"cmp-change\" id=\"zmiana_") {
        let block = &rest[i..];
        let n: usize = block["<div class=\"cmp-change\" id=\"zmiana_".len()..]
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let end = block[1..]
            .find("<div class=\"cmp-change\"")
            .map_or(block.len(), |e| e + 1);
        out.push((n, &block[..end]));
        rest = &block[end..];
    }
    out
}

#[test]
fn changes_answering_a_postulate_are_labelled_and_linked_both_ways() {
    let out = temp_dir("answers-build").join("out");
    build(&fixture("versions"), &out, None).unwrap();
    let page = read(&out, "programy/zamowienia-1997/zmiany/index.html");
    // The jump list names each change's headings; the changes under "Art. 2." are the ones
    // answering the postulate, and only they carry the label.
    let jump = &page[page.find("<nav class=\"cmp-jump\"").unwrap()..];
    let jump = &jump[..jump.find("</nav>").unwrap()];
    let in_art_2: Vec<usize> = jump
        .split("<li>")
        .skip(1)
        .enumerate()
        .filter(|(_, li)| li.contains("› Art. 2.</a>"))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(
        !in_art_2.is_empty(),
        "the 1997 amendment changed art. 2: {jump}"
    );
    let labelled: Vec<usize> = change_blocks(&page)
        .into_iter()
        .filter(|(_, b)| b.contains(&format!("odpowiada na postulat: <a href=\"{REPORT}\"")))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(labelled, in_art_2);
    // The first of them holds the new definition the postulate asked for.
    let first = change_blocks(&page)
        .into_iter()
        .find(|(n, _)| *n == in_art_2[0])
        .unwrap()
        .1;
    assert!(first.contains("Prawo budowlane"), "{first}");
    assert!(first.contains("Określić roboty budowlane przez odesłanie"));
    // The other chain (no postulate points at it) has no label.
    let pdf = read(&out, "strategie/zamowienia-pdf-1997/zmiany/index.html");
    assert!(!pdf.contains("odpowiada na postulat"));

    // The tracker and the report's table link the postulate to the section and the changes.
    for path in [
        "postulaty/index.html",
        "raporty/postulat-roboty-budowlane/index.html",
    ] {
        let html = read(&out, path);
        let answer = &html[html.find("class=\"answer-ref\"").expect(path)..];
        let answer = &answer[..answer.find("</span>").unwrap()];
        assert!(
            answer.contains("<a href=\"/programy/zamowienia-1997/#art-2\">"),
            "{path}: {answer}"
        );
        for n in &in_art_2 {
            assert!(
                answer.contains(&format!(
                    "<a href=\"/programy/zamowienia-1997/zmiany/#zmiana_{n}\">zmiana {n} w porównaniu wersji</a>"
                )),
                "{path}: {answer}"
            );
        }
        assert_eq!(html.matches("class=\"answer-ref\"").count(), 1, "{path}");
    }
    // Every target exists.
    assert!(read(&out, "programy/zamowienia-1997/index.html").contains("id=\"art-2\""));
    assert!(
        read(&out, "raporty/postulat-roboty-budowlane/index.html").contains("id=\"postulat-1\"")
    );
    for n in &in_art_2 {
        assert!(page.contains(&format!("id=\"zmiana_{n}\"")));
    }
}

#[test]
fn every_bad_answer_ref_is_reported_with_its_line() {
    let root = temp_dir("answers-errors").join("site");
    copy_dir(&fixture("versions"), &root);
    let refs = [
        "programy/nie-ma.md#art-1",
        "programy/zamowienia-1997.md#art-99",
        "programy/zamowienia-1997.md",
        "../poza.md#art-1",
    ];
    // A file with errors of its own gives no document, so the checks across files (1, 2) and
    // those of one file (3, 4) are in two reports.
    let report = |refs: &[&str]| {
        let mut text = String::from(
            "+++\ntitle = \"Raport testowy\"\nsummary = \"Test.\"\ndate = 1997-08-29\n",
        );
        for r in refs {
            text.push_str(&format!(
                "\n[[postulates]]\ntext = \"Postulat.\"\nplane = \"I\"\nstatus = \"bez odpowiedzi\"\nanswer_ref = \"{r}\"\n"
            ));
        }
        text + "+++\nTekst.\n"
    };
    let text = report(&refs[..2]);
    let local = report(&refs[2..]);
    std::fs::write(root.join("content/raporty/bledne.md"), &text).unwrap();
    std::fs::write(root.join("content/raporty/bledne-lokalnie.md"), &local).unwrap();
    let errors = jawnik::load_site(&root, None).unwrap_err();
    let found: Vec<(String, Option<usize>, Option<String>, String)> = errors
        .iter()
        .map(|d| (d.file.clone(), d.line, d.field.clone(), d.message.clone()))
        .collect();
    let line_of = |r: &str| {
        let file = if text.contains(&format!("\"{r}\"")) {
            &text
        } else {
            &local
        };
        file.lines()
            .position(|l| l == format!("answer_ref = \"{r}\""))
            .unwrap()
            + 1
    };
    let expect = |file: &str, number: usize, r: &str, words: &str| {
        assert!(
            found
                .iter()
                .any(|(f, l, fl, m)| f == &format!("content/raporty/{file}")
                    && *l == Some(line_of(r))
                    && fl.as_deref() == Some("postulates.answer_ref")
                    && m.starts_with(&format!("postulate {number}: "))
                    && m.contains(words)),
            "no answer_ref error with {words:?} for postulate {number} in {found:#?}"
        );
    };
    expect(
        "bledne.md",
        1,
        refs[0],
        "no such content file: content/programy/nie-ma.md",
    );
    expect(
        "bledne.md",
        2,
        refs[1],
        "content/programy/zamowienia-1997.md has no heading with the anchor \"art-99\"; its anchors: rozdzial-1-przepisy-ogolne, art-1,",
    );
    expect(
        "bledne-lokalnie.md",
        1,
        refs[2],
        "must be a content path and a heading's anchor",
    );
    expect("bledne-lokalnie.md", 2, refs[3], "../poza.md");
    assert_eq!(errors.len(), 4, "{found:#?}");
}
