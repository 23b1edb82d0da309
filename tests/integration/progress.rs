//! `jawnik build`'s progress (src/build/phases.rs): on a terminal, a site of more than
//! `PROGRESS_THRESHOLD` entries shows each phase's bar with its count — pages read, pages rendered, pages
//! indexed (of the documents the index gets), search files written; on a non-terminal (a
//! pipe, a CI log) nothing but plain lines. The terminal is a pseudo-terminal made by
//! util-linux's `script` (the test is skipped, saying so, where it is missing).

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

/// `site-ok` with enough generated reports (title, summary, date, status: fixture text, no
/// facts) to pass the threshold of the progress bar.
fn large_site(root: &Path) -> usize {
    common::copy_dir(&common::fixture("site-ok"), root);
    let extra = jawnik::build::PROGRESS_THRESHOLD + 20;
    for i in 0..extra {
        std::fs::write(
            root.join(format!("content/raporty/generated-{i:03}.md")),
            format!(
                "+++\ntitle = \"Raport testowy {i}\"\nsummary = \"Tekst testowy numer {i}.\"\n\
                 date = 2023-01-01\nstatus = \"archiwalny\"\n+++\nTreść testowa {i}.\n"
            ),
        )
        .unwrap();
    }
    extra
}

#[test]
fn bars_on_a_terminal_plain_lines_elsewhere() {
    let root = common::temp_dir("progress");
    large_site(&root);
    let bin = env!("CARGO_BIN_EXE_jawnik");
    let site = jawnik::load_site(&root, None).expect("a valid site");
    let indexed = jawnik::index::index_doc_count(&site);
    assert!(site.entries.len() > jawnik::build::PROGRESS_THRESHOLD);

    // Not a terminal: plain lines only.
    let plain = Command::new(bin)
        .args(["build", "--root"])
        .arg(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(plain.status.success(), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\x1b'),
        "no bar drawn into a pipe: {stderr:?}"
    );
    assert!(stderr.contains("built "), "{stderr}");

    // A terminal: `script` runs the build on a pseudo-terminal and copies what it drew.
    let command = format!("{bin} build --root {}", root.display());
    let Ok(tty) = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
    else {
        eprintln!("SKIPPED: util-linux `script` is not installed");
        return;
    };
    let drawn = String::from_utf8_lossy(&tty.stdout);
    assert!(tty.status.success(), "{drawn}");
    let pages = site.entries.len();
    for shown in [
        format!("/{pages} pages read and checked"),
        "render + write: ".to_string(),
        format!("/{indexed} pages indexed"),
        " search files written".to_string(),
    ] {
        assert!(drawn.contains(&shown), "{shown:?} not drawn in {drawn:?}");
    }
    assert!(drawn.contains("built "), "{drawn}");
    let _ = std::fs::remove_dir_all(&root);
}
