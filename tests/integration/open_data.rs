//! Open data (`dane/`) and the freshness of directory entries (#23, points 3 and 4).
//!
//! Every CSV file is read back with the `csv` crate (strict: every record as long as the
//! header) and `dokumenty.json` with `serde_json`; their rows are counted and compared with the
//! content, for the example site and for `tests/fixtures/open-data-site` (hostile cells:
//! formulas, quotes, commas, line breaks; verified dates around the threshold). The files are
//! UTF-8 without BOM, CRLF-terminated, byte-identical from one build to the next. Organisation
//! and coordinator pages say "Dane potwierdzone" and, past the threshold or without a date,
//! "dane mogą być nieaktualne", with the "Zgłoś zmianę" link of either kind; `jawnik check
//! --today` lists the stale entries at the line of `verified`.

use crate::common;
use common::*;
use jawnik::content::date::Date;
use jawnik::content::model::Kind;
use jawnik::render::open_data::{DOCUMENTS_JSON, FILES};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-12-06";

/// Build `root` into a fresh folder with *today* pinned; returns the output folder.
fn build_on(root: &Path, name: &str, today: &str) -> PathBuf {
    let dir = temp_dir(name);
    let out = dir.join("public");
    let opts = jawnik::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.clone()),
        base_url: None,
        progress: false,
        index_dir: Some(dir.join("index")),
        extract_cache: Some(dir.join("extract")),
        today: Date::parse_iso(today),
    };
    jawnik::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    out
}

/// A CSV file of `dane/`, checked for encoding and line ends, parsed strictly: the header and
/// the records.
fn read_csv(out: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(out.join("dane").join(name)).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}"));
    assert!(!text.starts_with('\u{feff}'), "{name}: no BOM");
    assert!(text.ends_with("\r\n"), "{name}: records end with CRLF");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{name}: {e}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    let spec = FILES.iter().find(|f| f.name == name).unwrap();
    let columns: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
    assert_eq!(header, columns, "{name}: the documented columns, in order");
    (header, rows)
}

/// The value of `column` in `row`.
fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let i = header.iter().position(|h| h == column).unwrap();
    &row[i]
}

/// No cell starts as a spreadsheet formula would.
fn assert_guarded(name: &str, rows: &[Vec<String>]) {
    for row in rows {
        for c in row {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name}: unguarded cell {c:?}"
            );
        }
    }
}

fn json_of(out: &Path) -> serde_json::Value {
    let bytes = std::fs::read(out.join("dane").join(DOCUMENTS_JSON)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    // The file is the canonical form: keys sorted at every level (serde_json's map is
    // ordered by key), pretty-printed, one final newline.
    let mut canonical = serde_json::to_vec_pretty(&v).unwrap();
    canonical.push(b'\n');
    assert_eq!(
        String::from_utf8(canonical).unwrap(),
        String::from_utf8(bytes).unwrap(),
        "dokumenty.json has sorted keys"
    );
    v
}

#[test]
fn the_example_sites_files_match_its_content() {
    let root = manifest_dir();
    let site = jawnik::load_site(&root, None).unwrap();
    let out = build_on(&root, "open-data-example", TODAY);
    let page_exists = |url: &str| {
        let path = url.strip_prefix(&site.config.base_url).unwrap();
        let path = path.split('#').next().unwrap();
        out.join(path).join("index.html").is_file()
    };

    let (h, docs) = read_csv(&out, "dokumenty.csv");
    assert_eq!(docs.len(), site.documents().count());
    assert!(docs.len() >= 10, "the example's documents: {}", docs.len());
    let titles: BTreeSet<&str> = docs.iter().map(|r| cell(&h, r, "title")).collect();
    let want: BTreeSet<&str> = site.documents().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, want);
    for r in &docs {
        assert!(page_exists(cell(&h, r, "url")), "{r:?}");
        let e = site
            .documents()
            .find(|e| e.title == cell(&h, r, "title"))
            .unwrap();
        assert_eq!(cell(&h, r, "kind"), e.kind.name());
        assert_eq!(cell(&h, r, "sectors"), e.sectors.join(" "));
        assert_eq!(
            cell(&h, r, "date"),
            e.date.map(|d| d.to_string()).unwrap_or_default()
        );
        let urls = cell(&h, r, "attachments");
        assert_eq!(
            urls.split_whitespace().count(),
            e.attachments.len(),
            "{urls}"
        );
    }
    assert_guarded("dokumenty.csv", &docs);

    let (h, orgs) = read_csv(&out, "organizacje.csv");
    let ngos: Vec<_> = site
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Organizacja)
        .collect();
    assert_eq!(orgs.len(), ngos.len());
    assert_eq!(orgs.len(), 4);
    for r in &orgs {
        let e = ngos
            .iter()
            .find(|e| e.title == cell(&h, r, "name"))
            .unwrap();
        assert_eq!(
            cell(&h, r, "krs"),
            e.ngo.as_ref().unwrap().krs.clone().unwrap_or_default()
        );
        assert_eq!(cell(&h, r, "verified"), "", "no `verified` in the example");
        assert!(page_exists(cell(&h, r, "url")));
    }

    let (h, postulates) = read_csv(&out, "postulaty.csv");
    let all: Vec<_> = site.entries.iter().flat_map(|e| &e.postulates).collect();
    assert_eq!(postulates.len(), all.len());
    assert!(postulates.len() > 50, "the final report's postulates");
    for (r, p) in postulates.iter().zip(&all) {
        assert_eq!(cell(&h, r, "number"), p.number.to_string());
        assert_eq!(cell(&h, r, "status"), p.status.value());
        assert!(cell(&h, r, "url").ends_with(&format!("#{}", p.anchor)));
        assert!(page_exists(cell(&h, r, "url")));
    }
    assert_guarded("postulaty.csv", &postulates);

    let count = |k: Kind| site.entries.iter().filter(|e| e.kind == k).count();
    assert_eq!(read_csv(&out, "konkursy.csv").1.len(), count(Kind::Konkurs));
    assert_eq!(
        read_csv(&out, "koordynatorzy.csv").1.len(),
        count(Kind::Kontakt)
    );

    let json = json_of(&out);
    assert_eq!(json["count"], docs.len());
    assert_eq!(json["documents"].as_array().unwrap().len(), docs.len());
    assert_eq!(
        json["licence"],
        serde_json::Value::Null,
        "no licence is set"
    );
    for d in json["documents"].as_array().unwrap() {
        let e = site
            .documents()
            .find(|e| e.title == d["title"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            d["attachments"].as_array().unwrap().len(),
            e.attachments.len()
        );
        assert_eq!(d["sectors"].as_array().unwrap().len(), e.sectors.len());
    }

    // The page lists every file with its rows and says that no licence is stated.
    let page = read(&out, "dane/index.html");
    for f in FILES.iter().map(|f| f.name).chain([DOCUMENTS_JSON]) {
        assert!(page.contains(&format!("href=\"/dane/{f}\"")), "{f}");
    }
    assert!(page.contains(&format!("<td>{}</td>", postulates.len())));
    assert!(page.contains("Licencja nie została określona"));
    assert!(read(&out, "index.html").contains("href=\"/dane/\">Otwarte dane</a>"));
}

#[test]
fn hostile_cells_are_guarded_and_read_back_as_written() {
    let root = fixture("open-data-site");
    let site = jawnik::load_site(&root, None).unwrap();
    let out = build_on(&root, "open-data-hostile", TODAY);
    let summary = |slug: &str| {
        site.entries
            .iter()
            .find(|e| e.slug == slug)
            .unwrap()
            .summary
            .clone()
    };

    let (h, orgs) = read_csv(&out, "organizacje.csv");
    assert_guarded("organizacje.csv", &orgs);
    let names: Vec<&str> = orgs.iter().map(|r| cell(&h, r, "name")).collect();
    assert_eq!(
        names,
        [
            "Fundacja Świeża (fikstura)",
            "Koło Niepotwierdzone (fikstura)",
            "Stowarzyszenie Dawne (fikstura)"
        ]
    );
    let [fresh, unconfirmed, stale] = [&orgs[0], &orgs[1], &orgs[2]];
    assert_eq!(
        cell(&h, fresh, "summary"),
        format!("'{}", summary("fundacja-swieza"))
    );
    assert!(cell(&h, fresh, "summary").starts_with("'=HYPERLINK(\"http://evil.example/"));
    assert_eq!(cell(&h, fresh, "phone"), "'+48 12 000 00 00");
    assert_eq!(cell(&h, fresh, "krs"), "0000000000");
    assert_eq!(cell(&h, fresh, "verified"), "2026-06-01");
    assert_eq!(cell(&h, unconfirmed, "verified"), "");
    assert_eq!(cell(&h, unconfirmed, "sectors"), "kultura seniorzy");
    // Quotes, a comma and a line break survive quoting.
    assert_eq!(
        cell(&h, stale, "summary"),
        format!("'{}", summary("stowarzyszenie-dawne"))
    );
    assert!(cell(&h, stale, "summary").contains("\"cudzysłów\", przecinek, a potem\nnowy"));
    assert_eq!(cell(&h, stale, "address"), "'@ul. Testowa 1, 30-001 Kraków");
    assert_eq!(cell(&h, stale, "verified"), "2024-01-10");

    let (h, postulates) = read_csv(&out, "postulaty.csv");
    assert_guarded("postulaty.csv", &postulates);
    assert_eq!(postulates.len(), 3);
    assert_eq!(cell(&h, &postulates[1], "text"), "'=cmd|' /C calc'!A0");
    assert_eq!(
        cell(&h, &postulates[1], "reason"),
        "'-Brak środków, \"na razie\"."
    );
    assert_eq!(cell(&h, &postulates[1], "status"), "odrzucony");
    assert_eq!(cell(&h, &postulates[2], "answered"), "");

    let (h, calls) = read_csv(&out, "konkursy.csv");
    assert_guarded("konkursy.csv", &calls);
    assert_eq!(calls.len(), 1);
    assert_eq!(cell(&h, &calls[0], "deadline"), "2026-12-15T15:30");
    assert_eq!(cell(&h, &calls[0], "amount"), "50000");
    assert_eq!(
        cell(&h, &calls[0], "eligibility"),
        "'+ organizacje pozarządowe"
    );
    assert!(out.join("konkursy/konkurs-testowy/konkurs.ics").is_file());

    let (h, contacts) = read_csv(&out, "koordynatorzy.csv");
    assert_guarded("koordynatorzy.csv", &contacts);
    assert_eq!(contacts.len(), 1);
    assert_eq!(cell(&h, &contacts[0], "verified"), "2025-11-30");

    let (h, docs) = read_csv(&out, "dokumenty.csv");
    assert_guarded("dokumenty.csv", &docs);
    let strategy = docs
        .iter()
        .find(|r| cell(&h, r, "kind") == "strategia")
        .unwrap();
    assert_eq!(
        cell(&h, strategy, "title"),
        "'+Strategia testowa, z przecinkiem (fikstura)"
    );
    assert_eq!(cell(&h, strategy, "issuer"), "'@Rada Testowa");
    assert_eq!(
        cell(&h, strategy, "attachments"),
        "https://example.org/pliki/strategia.pdf https://example.org/pliki/zalacznik.docx"
    );

    // The JSON keeps the values as written, with the licence of `[open_data]`.
    let json = json_of(&out);
    assert_eq!(
        json["licence"],
        serde_json::json!({"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.pl"})
    );
    let doc = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "strategia")
        .unwrap();
    assert_eq!(doc["title"], "+Strategia testowa, z przecinkiem (fikstura)");
    assert_eq!(doc["attachments"][0]["size"], 12345);
    assert_eq!(doc["attachments"][1]["size"], serde_json::Value::Null);
    assert_eq!(
        doc["sectors"][1],
        serde_json::json!({"slug": "seniorzy", "name": "Seniorzy; \"cytat\", przecinek"})
    );
    let page = read(&out, "dane/index.html");
    assert!(page.contains(
        "<a href=\"https://creativecommons.org/publicdomain/zero/1.0/deed.pl\" rel=\"license\">CC0 1.0</a>"
    ));

    // Byte-identical from one build to the next.
    let again = build_on(&root, "open-data-hostile-again", TODAY);
    assert_eq!(tree(&out.join("dane")), tree(&again.join("dane")));
}

/// The percent-decoded text of an `href` starting with `prefix` in `html`.
fn link(html: &str, prefix: &str) -> String {
    let href = attribute_values(html, "href")
        .into_iter()
        .find(|h| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("no link starting with {prefix}"));
    percent_encoding::percent_decode_str(&href)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[test]
fn pages_say_how_fresh_an_entry_is_and_where_to_report_a_change() {
    let root = fixture("open-data-site");
    let out = build_on(&root, "freshness-pages", TODAY);
    let fresh = read(&out, "organizacje/fundacja-swieza/index.html");
    assert!(
        fresh.contains("Dane potwierdzone: <time datetime=\"2026-06-01\">1 czerwca 2026 r.</time>")
    );
    assert!(!fresh.contains("dane mogą być nieaktualne"));
    let stale = read(&out, "organizacje/stowarzyszenie-dawne/index.html");
    assert!(stale.contains("<time datetime=\"2024-01-10\">10 stycznia 2024 r.</time>"));
    assert!(stale.contains("Uwaga: dane mogą być nieaktualne</strong> — ostatnio potwierdzono je ponad 12 miesięcy temu"));
    let unconfirmed = read(&out, "organizacje/kolo-niepotwierdzone/index.html");
    assert!(
        unconfirmed.contains("Dane potwierdzone: <span class=\"missing\">nie potwierdzono</span>")
    );
    assert!(
        unconfirmed.contains("dane mogą być nieaktualne</strong> — nikt ich dotąd nie potwierdził")
    );
    let coordinator = read(&out, "kontakty/koordynator-testowy/index.html");
    assert!(coordinator.contains("dane mogą być nieaktualne"));
    assert!(read(&out, "kontakty/index.html").contains(
        "<dt>Dane potwierdzone</dt><dd><time datetime=\"2025-11-30\">30 listopada 2025 r.</time> · <span class=\"stale-mark\">dane mogą być nieaktualne</span>"
    ));
    assert_eq!(
        link(&stale, "mailto:"),
        "mailto:baza@example.org?subject=Zgłoszenie zmiany: Stowarzyszenie Dawne (fikstura) (https://example.org/organizacje/stowarzyszenie-dawne/)"
    );
    // The directory: each entry's date and state for the filter and the sort.
    let list = read(&out, "organizacje/index.html");
    for (state, date) in [
        ("aktualne", "2026-06-01"),
        ("nieaktualne", "2024-01-10"),
        ("niepotwierdzone", ""),
    ] {
        assert!(
            list.contains(&format!(
                "data-freshness=\"{state}\" data-verified=\"{date}\""
            )),
            "{state}"
        );
    }
    assert!(
        list.contains("<option value=\"nieaktualne\">potwierdzone ponad 12 miesięcy temu</option>")
    );

    // A year earlier the stale entry was fresh; a shorter threshold makes the fresh one stale.
    let earlier = build_on(&root, "freshness-earlier", "2025-01-05");
    assert!(
        !read(&earlier, "organizacje/stowarzyszenie-dawne/index.html")
            .contains("dane mogą być nieaktualne")
    );

    // An edit-URL pattern instead of an address.
    let copy = temp_dir("freshness-edit-url").join("site");
    copy_dir(&root, &copy);
    let toml = std::fs::read_to_string(copy.join("jawnik.toml")).unwrap();
    let toml = toml
        .replace(
            "report_change = \"mailto:baza@example.org\"",
            "report_change = \"https://git.example.org/strona/edit/main/{path}\"",
        )
        .replace("stale_after_months = 12", "stale_after_months = 5");
    std::fs::write(copy.join("jawnik.toml"), toml).unwrap();
    let out = build_on(&copy, "freshness-edit-url-out", TODAY);
    let fresh = read(&out, "organizacje/fundacja-swieza/index.html");
    assert_eq!(
        link(&fresh, "https://git.example.org/"),
        "https://git.example.org/strona/edit/main/content/organizacje/fundacja-swieza.md"
    );
    assert!(fresh.contains("ponad 5 miesięcy temu"));
}

#[test]
fn check_lists_stale_entries_at_the_line_of_verified() {
    let bin = env!("CARGO_BIN_EXE_jawnik");
    let run = |today: &str| {
        let out = std::process::Command::new(bin)
            .args(["check", "--today", today, "--root"])
            .arg(fixture("open-data-site"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "warnings only");
        String::from_utf8(out.stdout).unwrap()
    };
    let stdout = run(TODAY);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "content/kontakty/koordynator-testowy.md:8: warning: field `verified`: stale: last confirmed 2025-11-30, more than 12 months before today (2026-12-06); the page says \"dane mogą być nieaktualne\": confirm the details and update `verified`",
            "content/organizacje/kolo-niepotwierdzone.md:1: warning: field `verified`: unconfirmed: no `verified` date; the page says \"dane mogą być nieaktualne\": confirm the details and add `verified = YYYY-MM-DD`",
            "content/organizacje/stowarzyszenie-dawne.md:9: warning: field `verified`: stale: last confirmed 2024-01-10, more than 12 months before today (2026-12-06); the page says \"dane mogą być nieaktualne\": confirm the details and update `verified`",
            "0 errors, 3 warnings (checked 13 files, 0 internal links)",
        ],
        "{stdout}"
    );
    // Judged on another day: nothing stale, but two confirmations lie in the future.
    let stdout = run("2025-01-05");
    assert!(!stdout.contains("stale:"), "{stdout}");
    assert!(stdout.contains("content/organizacje/fundacja-swieza.md:9: warning: field `verified`: 2026-06-01 is after today (2025-01-05)"), "{stdout}");
    assert!(stdout.contains("content/kontakty/koordynator-testowy.md:8: warning: field `verified`: 2025-11-30 is after today"), "{stdout}");
}

#[test]
fn a_bad_verified_date_is_an_error_with_its_line() {
    let copy = temp_dir("freshness-bad").join("site");
    copy_dir(&fixture("open-data-site"), &copy);
    let file = copy.join("content/organizacje/fundacja-swieza.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("verified = 2026-06-01", "verified = \"wczoraj\""),
    )
    .unwrap();
    let errors = jawnik::load_site(&copy, None).unwrap_err();
    let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("content/organizacje/fundacja-swieza.md:9: "),
        "{got:?}"
    );
    assert!(got[0].contains("verified"), "{got:?}");
}
