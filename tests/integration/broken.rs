//! One broken site per validation rule (`tests/fixtures/broken/<rule>/`): each must fail with
//! its precise `file:line: field` message, and must leave a previous output folder untouched
//! byte for byte. One fixture has many errors in many files: all are reported in one run.

use crate::common;

use common::*;

/// (fixture, expected lines or fragments of the report)
const CASES: &[(&str, &[&str])] = &[
    (
        "bad-toml",
        &["content/raporty/zly.md:3: field `summary`: invalid basic string"],
    ),
    (
        "missing-required",
        &["content/organizacje/fundacja.md:1: field `summary`: required field is missing"],
    ),
    (
        "unknown-sector",
        &["content/strategie/s.md:5: field `sectors`: unknown sector \"sport\"; allowed values: kultura, ekologia"],
    ),
    (
        "krs-9-digits",
        &["content/organizacje/fundacja.md:5: field `krs`: must be exactly 10 digits, got \"123456789\""],
    ),
    (
        "attachment-escape",
        &["content/programy/p.md:7: field `attachments.file`: may not leave content/"],
    ),
    (
        "duplicate-slug",
        &[
            "field `slug`: duplicate slug \"raport\"",
            "content/raporty/inny.md",
            "content/raporty/raport.md",
        ],
    ),
    (
        "invalid-utf8",
        &["content/raporty/r.md:3: the file is not valid UTF-8"],
    ),
    (
        "unknown-key",
        &["content/raporty/r.md:4: field `titel`: unknown key"],
    ),
    (
        "symlink-outside",
        &[
            "content/strategie/files/host.txt: symbolic link pointing outside content/; refused",
            "content/strategie/s.md:7: field `attachments.file`:",
        ],
    ),
    (
        "missing-related",
        &["content/raporty/r.md:5: field `related`: no such content file: content/programy/nie-ma.md"],
    ),
    (
        "many-errors",
        &[
            "content/organizacje/a.md:4: field `krs`: must be exactly 10 digits, got \"12\"",
            "content/organizacje/a.md:5: field `districts`: unknown district \"podgorze\"; allowed values: nowa-huta",
            "content/programy/b.md:1: field `summary`: required field is missing",
            "content/programy/b.md:3: field `status`: unknown status \"uchylony\"",
            "content/raporty/c.md:4: field `updated`: 2019-01-01 is before `date` (2020-05-05)",
            "content/raporty/c.md:6: field `source`: must be an http:// or https:// address",
            "6 errors found",
        ],
    ),
];

#[test]
fn each_rule_reports_its_error_and_keeps_the_previous_output() {
    let dir = temp_dir("broken");
    let out = dir.join("public");
    build(&fixture("site-ok"), &out, None).unwrap();
    let before = tree(&out);
    assert!(before.contains_key("index.html"));
    let mut failures = Vec::new();
    for (rule, expected) in CASES {
        let root = fixture(&format!("broken/{rule}"));
        match build(&root, &out, None) {
            Ok(_) => failures.push(format!("{rule}: the build succeeded")),
            Err(e) => {
                assert!(matches!(e, jawnik::BuildError::Invalid(_)), "{rule}: {e}");
                let report = e.to_string();
                for want in *expected {
                    if !report.contains(want) {
                        failures.push(format!("{rule}: expected {want:?} in:\n{report}"));
                    }
                }
            }
        }
        if tree(&out) != before {
            failures.push(format!("{rule}: the previous output was changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_command_exits_non_zero_and_prints_every_error() {
    let dir = temp_dir("cli");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_jawnik"))
        .args(["build", "--root"])
        .arg(fixture("broken/many-errors"))
        .arg("--output")
        .arg(dir.join("public"))
        .output()
        .unwrap();
    assert!(!status.status.success());
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("content/")).count(),
        6,
        "{stderr}"
    );
    assert!(!dir.join("public").exists(), "nothing written");
}
