//! `jawnik check`: every seeded problem of `tests/fixtures/check-problems/` is found with its
//! file and line; the example site at the repository root is clean; `--json` parses; external
//! links are checked against a tiny HTTP server on 127.0.0.1.

use crate::common;

use common::*;
use jawnik::check::{check, CheckOptions, Severity};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

fn report_of(root: &std::path::Path) -> (Vec<String>, jawnik::check::CheckReport) {
    let report = check(&CheckOptions::new(root));
    let lines = report.problems.iter().map(|p| p.to_string()).collect();
    (lines, report)
}

#[test]
fn finds_every_seeded_problem() {
    let (lines, report) = report_of(&fixture("check-problems"));
    let text = lines.join("\n");
    let expected = [
        "content/_index.md:5: error: field `body`: broken link \"brak/\": the site has no page /brak/",
        "content/_index.md:7: warning: field `body`: link \"strategie/_index.md\" names the source file content/strategie/_index.md; the built site has no such address: link to its page /strategie/ instead",
        "content/organizacje/bez-kontaktu.md:1: warning: no contact: give at least one of `address`, `website`, `email`, `phone`",
        "content/programy/p.md:1: warning: field `sectors`: no sectors",
        "content/programy/p.md:4: error: field `related`: no such content file: content/raporty/nie-ma.md",
        "content/programy/p.md:7: error: field `body`: broken link \"../raporty/nie-ma.md\": no such content file: content/raporty/nie-ma.md",
        "content/raporty/szkic.md:3: warning: field `summary`: placeholder summary",
        "content/strategie/a.md:2: warning: field `title`: duplicate title: content/programy/p.md and content/strategie/a.md have the same title",
        "content/strategie/a.md:3: warning: field `summary`: duplicate summary: content/organizacje/bez-kontaktu.md and content/strategie/a.md have the same summary",
        "content/strategie/a.md:10: warning: field `body`: link \"../programy/p.md\" names the source file content/programy/p.md",
        "content/strategie/a.md:12: error: field `body`: broken link \"/programy/nie-ma/\": the site has no page /programy/nie-ma/",
        "content/strategie/a.md:14: warning: field `body`: link \"../../programy/p/#nie-ma-kotwicy\": no heading or anchor #nie-ma-kotwicy on /programy/p/",
    ];
    let mut missing = Vec::new();
    for want in expected {
        if !lines.iter().any(|l| l.starts_with(want)) {
            missing.push(want);
        }
    }
    assert!(missing.is_empty(), "missing {missing:#?} in:\n{text}");
    assert_eq!(
        lines.len(),
        expected.len(),
        "unexpected problems in:\n{text}"
    );
    assert_eq!(report.errors(), 4);
    assert_eq!(report.warnings(), 8);
    let mut sorted = report.problems.clone();
    sorted.sort();
    assert_eq!(sorted, report.problems, "sorted");
    assert!(report.summary().starts_with("4 errors, 8 warnings"));
}

#[test]
fn the_example_site_is_clean() {
    let (lines, report) = report_of(&manifest_dir());
    assert_eq!(report.errors(), 0, "{}", lines.join("\n"));
    // Accepted warnings: the real NGO entries have no contact in the sources the example
    // site is built from (no contact is invented), and two city-wide documents belong to no
    // single sector. The accessibility statement's facts are in no source either: every
    // required field of `[accessibility]` is reported missing, at the table's line.
    let statement = jawnik::config::accessibility::REQUIRED_FIELDS
        .map(|f| format!("jawnik.toml:14: warning: field `accessibility.{f}`: missing: "));
    for want in &statement {
        assert!(
            lines.iter().any(|l| l.starts_with(want.as_str())),
            "no {want:?} in {lines:#?}"
        );
    }
    let accepted = [
        "content/organizacje/federacja-malopolska-pozarzadowa.md:1: warning: no contact",
        "content/organizacje/fundacja-biuro-inicjatyw-spolecznych.md:1: warning: no contact",
        "content/organizacje/interkulturalni-pl.md:1: warning: no contact",
        "content/organizacje/stowarzyszenie-siemacha.md:1: warning: no contact",
        "content/programy/wpw-2019-2022.md:1: warning: field `sectors`: no sectors",
        "content/strategie/strategia-rozwoju-krakowa.md:1: warning: field `sectors`: no sectors",
        // No source says when the NGO entries were confirmed, nor names the licence of the
        // open data or an address for reporting changes (docs/open-data.md).
        "content/organizacje/federacja-malopolska-pozarzadowa.md:1: warning: field `verified`: unconfirmed",
        "content/organizacje/fundacja-biuro-inicjatyw-spolecznych.md:1: warning: field `verified`: unconfirmed",
        "content/organizacje/interkulturalni-pl.md:1: warning: field `verified`: unconfirmed",
        "content/organizacje/stowarzyszenie-siemacha.md:1: warning: field `verified`: unconfirmed",
        "jawnik.toml:20: warning: field `open_data.licence`: missing: ",
        "jawnik.toml:26: warning: field `organisations.report_change`: missing: ",
    ];
    let unexpected: Vec<&String> = lines
        .iter()
        .filter(|l| !accepted.iter().any(|a| l.starts_with(a)))
        .filter(|l| !statement.iter().any(|a| l.starts_with(a.as_str())))
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    assert!(report.internal_links > 5);
}

#[test]
fn the_command_prints_text_and_json_and_fails_on_errors() {
    let bin = env!("CARGO_BIN_EXE_jawnik");
    let out = std::process::Command::new(bin)
        .args(["check", "--root"])
        .arg(fixture("check-problems"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("content/strategie/a.md:12: error: "),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("4 errors, 8 warnings"),
        "{stdout}"
    );

    let out = std::process::Command::new(bin)
        .args(["check", "--json", "--root"])
        .arg(fixture("check-problems"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 12);
    for item in items {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys.len(), 5, "{item}");
        for k in ["file", "line", "severity", "field", "message"] {
            assert!(keys.contains(&k), "{item}");
        }
        assert!(["error", "warning"].contains(&item["severity"].as_str().unwrap()));
    }
    let related = items
        .iter()
        .find(|i| i["field"] == "related")
        .expect("related");
    assert_eq!(related["file"], "content/programy/p.md");
    assert_eq!(related["line"], 4);
    assert_eq!(related["severity"], "error");

    // Warnings alone: exit 0.
    let dir = temp_dir("check-warnings");
    let root = dir.join("site");
    jawnik::scaffold::init_site(&root).unwrap();
    std::fs::write(
        root.join("content/organizacje/bez.md"),
        "+++\nname = \"Bez kontaktu\"\nsummary = \"Organizacja testowa bez kontaktu.\"\n+++\n",
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("content/organizacje/bez.md:1: warning: no contact"),
        "{stdout}"
    );
}

/// A tiny HTTP server on 127.0.0.1: `/ok` 200, `/missing` 404, `/get-only` 405 to HEAD and
/// 200 to GET. Returns its port.
fn serve() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf);
                let mut words = head.split_whitespace();
                let method = words.next().unwrap_or("");
                let path = words.next().unwrap_or("");
                let status = match (method, path) {
                    (_, "/ok") => "200 OK",
                    ("HEAD", "/get-only") => "405 Method Not Allowed",
                    ("GET", "/get-only") => "200 OK",
                    _ => "404 Not Found",
                };
                let body = if method == "GET" { "ok" } else { "" };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    port
}

#[test]
fn external_links_are_checked_against_a_local_server() {
    let port = serve();
    // A port where nothing listens: bound, then released.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = temp_dir("check-external");
    let root = dir.join("site");
    jawnik::scaffold::init_site(&root).unwrap();
    // Only addresses on 127.0.0.1: the example NGO's website is left out.
    let ngo = root.join("content/organizacje/przykladowa-fundacja.md");
    let text = std::fs::read_to_string(&ngo).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("website"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&ngo, text).unwrap();
    let base = format!("http://127.0.0.1:{port}");
    std::fs::write(
        root.join("content/raporty/linki.md"),
        format!(
            "+++\ntitle = \"Linki zewnętrzne\"\nsummary = \"Raport testowy z odnośnikami.\"\nsectors = [\"kultura\"]\nsource = \"{base}/missing\"\n+++\n\n[dobry]({base}/ok) i [tylko GET]({base}/get-only).\n\n[brak]({base}/missing)\n\n[nieosiągalny](http://127.0.0.1:{closed}/x)\n"
        ),
    )
    .unwrap();

    // Without --external nothing is fetched.
    let report = check(&CheckOptions::new(&root));
    assert_eq!(report.errors(), 0, "{}", report.format_text());
    assert_eq!(report.external_links, 0);

    let opts = CheckOptions {
        external: true,
        timeout: Duration::from_secs(5),
        ..CheckOptions::new(&root)
    };
    let report = check(&opts);
    let lines: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    let text = lines.join("\n");
    let errors: Vec<&String> = lines.iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 3, "{text}");
    assert!(
        text.contains(&format!(
            "content/raporty/linki.md:5: error: field `source`: external link {base}/missing returned HTTP 404"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "content/raporty/linki.md:10: error: field `body`: external link {base}/missing returned HTTP 404"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "content/raporty/linki.md:12: error: field `body`: external link http://127.0.0.1:{closed}/x is unreachable"
        )),
        "{text}"
    );
    assert!(!text.contains("/ok"), "{text}");
    assert!(!text.contains("/get-only"), "{text}");
    assert!(report
        .problems
        .iter()
        .all(|p| p.severity == Severity::Error || !p.message.contains("127.0.0.1")));
}
