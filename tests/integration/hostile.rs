//! Hostile content, round two (docs/hardening.md): one test per class of input that used to
//! get through — characters that break feeds, attachments that would run script or publish
//! what they should not, content ids that take the theme's, and link or address values that
//! lead somewhere else than they say.

use crate::common;

use common::feeds::{check_parses, machine_readable};
use common::fixture;

/// A small deterministic generator (xorshift64*): the same strings on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A string mixing ordinary text with every kind of character XML and iCalendar refuse
    /// or treat specially, and random code points of every plane.
    fn text(&mut self) -> String {
        const NASTY: &[char] = &[
            '\u{0}',
            '\u{1}',
            '\u{8}',
            '\u{b}',
            '\u{c}',
            '\u{1b}',
            '\u{1f}',
            '\u{7f}',
            '\u{85}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{1ffff}',
            '\u{10fffe}',
            '\u{10ffff}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{fffd}',
            '\r',
            '\n',
            '\t',
            '<',
            '>',
            '&',
            '"',
            '\'',
            ';',
            ',',
            '\\',
            ':',
            'ż',
            'Ł',
            '🙂',
        ];
        const WORDS: &[&str] = &[
            "]]>",
            "-->",
            "<![CDATA[",
            "&amp;",
            "&#xffff;",
            "\r\nDTSTART:20000101T000000Z\r\n",
            "\u{2028}ATTACH:http://example.invalid/x\u{2029}",
            "END:VEVENT",
            "Konkurs ",
            "ofert ",
        ];
        let mut s = String::new();
        for _ in 0..1 + self.below(24) {
            match self.below(4) {
                0 => s.push(NASTY[self.below(NASTY.len())]),
                1 => s.push_str(WORDS[self.below(WORDS.len())]),
                2 => s.push(char::from_u32(self.below(0x11_0000) as u32).unwrap_or('x')),
                _ => s.push_str("tekst "),
            }
        }
        s
    }
}

/// Line ends as an XML parser may normalise them.
fn lf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Class: one character breaks every feed. Titles, summaries, names, departments, reasons,
/// attachment titles, the site's title and description and sector names are filled with
/// random text full of characters XML 1.0 forbids, noncharacters and Unicode line breaks;
/// every Atom feed, the sitemap and every `.ics` must still parse, and a feed's entry title
/// must be the title without only the refused characters.
#[test]
fn feeds_parse_whatever_the_characters() {
    let base = jawnik::load_site(&fixture("calls-site"), None).expect("calls-site loads");
    let mut rng = Rng(0x05ee_d0ff_33d5);
    let (mut xml, mut ics) = (0, 0);
    for _ in 0..150 {
        let mut site = base.clone();
        site.config.title = rng.text();
        site.config.description = rng.text();
        for t in &mut site.config.sectors {
            t.name = rng.text();
        }
        for e in &mut site.entries {
            e.title = rng.text();
            e.summary = rng.text();
            e.author = Some(rng.text());
            for a in &mut e.attachments {
                a.title = rng.text();
            }
            if let Some(call) = &mut e.call {
                call.department = rng.text();
                call.eligibility = Some(rng.text());
            }
            for p in &mut e.postulates {
                p.text = rng.text();
                p.reason = Some(rng.text());
            }
        }
        let files = machine_readable(&site);
        let (x, i) = check_parses(&files);
        xml += x;
        ics += i;
        // The text survives, less the refused characters only.
        let atom = files.iter().find(|f| f.path == "atom.xml").unwrap();
        let doc = roxmltree::Document::parse(std::str::from_utf8(&atom.contents).unwrap()).unwrap();
        let titles: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|n| n.children().find(|c| c.has_tag_name("title")))
            .map(|t| lf(t.text().unwrap_or("")))
            .collect();
        assert!(!titles.is_empty());
        for t in &titles {
            assert!(
                site.entries
                    .iter()
                    .any(|e| lf(&jawnik::render::xml::clean(&e.title)) == *t),
                "a feed title that is not an entry's title: {t:?}"
            );
        }
    }
    assert!(
        xml > 150 * 5 && ics > 150 * 3,
        "{xml} XML files, {ics} calendars"
    );
}

/// The errors of building `root` (which must fail), one per line.
fn build_errors(root: &std::path::Path, base_url: Option<&str>) -> String {
    let out = root.join("public-refused");
    match common::build(root, &out, base_url) {
        Ok(_) => panic!("the build of {} succeeded", root.display()),
        Err(e) => {
            assert!(!out.exists(), "nothing may be written");
            e.to_string()
        }
    }
}

/// A copy of `tests/fixtures/site-ok` in a fresh folder, to be made hostile.
fn site_copy(name: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(name);
    let src = fixture("site-ok");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        let to = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// Class: a `base_url` whose path starts with `//` or `/\` makes root-relative links (the
/// search page's module) load from another host. Refused, from jawnik.toml (with its line)
/// and from `--base-url`.
#[test]
fn base_url_leading_to_another_host_is_refused() {
    let root = site_copy("base-url");
    let errors = build_errors(&root, Some("https://example.org//evil.example/"));
    assert!(
        errors.contains("jawnik.toml: field `base_url`: its path must not start with `//`")
            && errors.contains("(given with --base-url)"),
        "{errors}"
    );
    let toml = std::fs::read_to_string(root.join("jawnik.toml")).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("base_url"))
        .unwrap()
        + 1;
    let hostile = toml
        .lines()
        .map(|l| {
            if l.starts_with("base_url") {
                "base_url = 'https://example.org/\\evil.example/'".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(root.join("jawnik.toml"), hostile).unwrap();
    let errors = build_errors(&root, None);
    assert!(
        errors.contains(&format!(
            "jawnik.toml:{line}: field `base_url`: must not contain `\\`"
        )),
        "{errors}"
    );
}

/// Replace `from` by `to` in the file `rel` of the site at `root` (which must contain it).
fn edit(root: &std::path::Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Class: link and address values that lead elsewhere than they say. An `email` with a query
/// (`?subject=…&cc=…&body=…`) is refused with its file, line and field; an address that RFC
/// 5322 allows with `?` and `=` in its local part becomes a percent-encoded `mailto:` that
/// fills no other field; raw `<a href="/\host/…">` and `<img src="/\…">` in a body are
/// dropped instead of resolving to another origin.
#[test]
fn link_and_address_values_lead_where_they_say() {
    let root = site_copy("links");
    let ngo = "content/organizacje/fundacja-zielona.md";
    edit(
        &root,
        ngo,
        "email = \"biuro@zielony.example.org\"",
        "email = \"biuro@example.invalid?subject=Pilne&cc=szef@example.org&body=Prosze%20przelac\"",
    );
    let errors = build_errors(&root, None);
    assert!(
        errors.contains(&format!("{ngo}:8: field `email`: is not an e-mail address")),
        "{errors}"
    );
    edit(
        &root,
        ngo,
        "biuro@example.invalid?subject=Pilne&cc=szef@example.org&body=Prosze%20przelac",
        "biuro?subject=x&cc=y@zielony.example.org",
    );
    edit(
        &root,
        "content/organizacje/_index.md",
        "Wstęp do sekcji",
        "<a href=\"/\\evil.example/x\">a</a> <img src=\"/\\evil.example/i.png\" alt=\"i\"> \
         <a href=\"\\\\evil.example/\">b</a> <a href=\"/&#9;/evil.example/\">c</a> \
         <a href=\"/programy\\program-ekologiczny/\">d</a> Wstęp do sekcji",
    );
    let out = root.join("public");
    common::build(&root, &out, None).expect("the site builds");
    let page = common::read(&out, "organizacje/fundacja-zielona/index.html");
    assert!(
        page.contains("href=\"mailto:biuro%3Fsubject%3Dx%26cc%3Dy@zielony.example.org\""),
        "{page}"
    );
    let list = common::read(&out, "organizacje/index.html");
    assert!(!list.contains("evil.example"), "{list}");
    assert!(list.contains("<img alt=\"i\">"), "{list}");
    assert!(
        list.contains("href=\"/programy/program-ekologiczny/\""),
        "{list}"
    );
}

/// Every `id="…"` value of an HTML page, in order.
fn ids_of(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

/// Class: ids that content can take. Raw-HTML ids (`<h2 id="ngo-filter">`, `id="tresc"`,
/// `id="q"`) and Markdown headings whose slug is a theme id (`## Postulat 1` in a report with
/// postulates, `## Tresc`) used to duplicate the theme's ids: the NGO filter form, the skip
/// link's target and `#postulat-1` could land on the content's element. Now no page of the
/// built site has an id twice, raw-HTML ids are gone and the headings get other anchors; the
/// default theme's own ids are all known to `jawnik::render::ids`.
#[test]
fn content_ids_never_take_theme_ids() {
    // Every id the default theme's templates write is a theme id (a literal one, or the
    // literal part before a template expression is a reserved prefix or numbered family).
    for entry in walkdir::WalkDir::new(common::manifest_dir().join("themes/default/templates")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for id in ids_of(&text) {
            let literal = id.split("{{").next().unwrap();
            let known = if literal.len() < id.len() {
                // `{{ p.anchor }}`, `{{ month.id }}`, `{{ d.id }}` are made in Rust under a
                // prefix; `grupa-{{ loop.index }}` is a numbered family.
                literal.is_empty() || jawnik::render::ids::is_theme_id(&format!("{literal}1"))
            } else {
                jawnik::render::ids::is_theme_id(literal)
            };
            assert!(
                known,
                "{}: id {id:?} is not a known theme id",
                entry.path().display()
            );
        }
    }

    let root = site_copy("ids");
    edit(
        &root,
        "content/organizacje/_index.md",
        "Wstęp do sekcji",
        "<h2 id=\"ngo-filter\">Fałszywy filtr</h2>\n\n<h2 id=\"filtr-branza\">x</h2>\n\n\
         ## Tresc\n\n## Zawęź\n\nWstęp do sekcji",
    );
    edit(
        &root,
        "content/_index.md",
        "Strona testowa",
        "<h2 id=\"q\">Q</h2>\n\n## Q\n\n<h3 id=\"tresc\">t</h3>\n\nStrona testowa",
    );
    edit(
        &root,
        "content/raporty/konsultacje-2023.md",
        "\n+++\n",
        "\n\n[[postulates]]\ntext = \"Pierwszy postulat\"\nplane = \"I\"\nstatus = \"bez odpowiedzi\"\n\n\
         [[postulates]]\ntext = \"Drugi postulat\"\nplane = \"II\"\nstatus = \"bez odpowiedzi\"\n+++\n\
         ## Postulat 1\n\n## Postulat 1\n\n<h2 id=\"postulat-2\">Fałszywy drugi</h2>\n\n\
         ## W skrócie\n\n## Jawnik search status\n\n",
    );
    let out = root.join("public");
    common::build(&root, &out, None).expect("the site builds");
    for (path, bytes) in common::tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let ids = ids_of(&html);
        let mut seen = std::collections::BTreeSet::new();
        for id in &ids {
            assert!(seen.insert(id), "{path}: id {id:?} twice");
        }
    }
    let report = common::read(&out, "raporty/konsultacje-2023/index.html");
    let ids = ids_of(&report);
    for want in [
        "postulat-1",
        "postulat-2",
        "postulat-1-2",
        "postulat-1-3",
        "w-skrocie-2",
        "sekcja-jawnik-search-status",
    ] {
        assert!(ids.iter().any(|i| i == want), "{want} missing: {ids:?}");
    }
    // `#postulat-1` is the table row; the headings' table of contents links their own ids.
    assert!(report.contains("<tr id=\"postulat-1\""), "{report}");
    assert!(
        report.contains("<h2 id=\"postulat-1-2\">Postulat 1</h2>"),
        "{report}"
    );
    assert!(report.contains("href=\"#postulat-1-2\""), "{report}");
    assert!(
        report.contains("<h2>Fałszywy drugi</h2>"),
        "raw id removed: {report}"
    );
    let list = common::read(&out, "organizacje/index.html");
    assert!(list.contains("<form id=\"ngo-filter\""), "{list}");
    assert!(list.contains("<h2>Fałszywy filtr</h2>"), "{list}");
    assert!(list.contains("<h2 id=\"tresc-2\">Tresc</h2>"), "{list}");
    assert!(list.contains("<h2 id=\"zawez-2\">Zawęź</h2>"), "{list}");
    let home = common::read(&out, "index.html");
    assert!(
        home.contains("<h2 id=\"q-2\">Q</h2>") && home.contains("<h3>t</h3>"),
        "{home}"
    );
}

/// A report of `site` listing each `(title, file)` as an attachment, written as
/// `content/raporty/zalaczniki.md`; returns the line of each `file = …`.
fn attach(root: &std::path::Path, files: &[&str]) -> Vec<usize> {
    let mut text =
        "+++\ntitle = \"Załączniki\"\nsummary = \"Raport z załącznikami.\"\n".to_string();
    let mut lines = Vec::new();
    for (i, f) in files.iter().enumerate() {
        text.push_str(&format!("\n[[attachments]]\ntitle = \"Plik {i}\"\n"));
        lines.push(text.lines().count() + 1);
        text.push_str(&format!("file = {f:?}\n"));
    }
    text.push_str("+++\nTreść.\n");
    std::fs::write(root.join("content/raporty/zalaczniki.md"), text).unwrap();
    lines
}

/// Attach `files` (see [`attach`]) and build, which must fail: for each `(i, words)` of
/// `expect`, an error at the line of `files[i]` names the field and holds `words`. Returns
/// the errors.
fn refused(root: &std::path::Path, files: &[&str], expect: &[(usize, &str)]) -> String {
    let lines = attach(root, files);
    let errors = build_errors(root, None);
    for (i, words) in expect {
        let want = format!(
            "content/raporty/zalaczniki.md:{}: field `attachments.file`: content/",
            lines[*i]
        );
        assert!(
            errors
                .lines()
                .any(|l| l.starts_with(&want) && l.contains(words)),
            "no {want}…{words}:\n{errors}"
        );
    }
    errors
}

fn write(root: &std::path::Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Class: attachments that run script on the site's origin. HTML, XHTML, SVG (with
/// `<script href>`), JavaScript, files without an extension, and a `.pdf` or `.png` whose
/// content is HTML are refused at build time, each as `file:line: field: message`. A type
/// listed in `extra_attachment_types` is published, linked as a download.
#[test]
fn attachments_that_would_run_script_are_refused() {
    let root = site_copy("attach-active");
    let html = b"<!DOCTYPE html><script src=\"x.js\"></script><script>window.__xss=1</script>";
    for (rel, bytes) in [
        ("content/raporty/pliki/a.html", &html[..]),
        (
            "content/raporty/pliki/a.XHTML",
            b"<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>1</script></html>",
        ),
        (
            "content/raporty/pliki/a.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script href=\"x.js\"/></svg>",
        ),
        ("content/raporty/pliki/x.js", b"window.__xss = 1;"),
        ("content/raporty/pliki/README", b"tekst"),
        ("content/raporty/pliki/raport.pdf", &html[..]),
        ("content/raporty/pliki/obraz.png", &html[..]),
    ] {
        write(&root, rel, bytes);
    }
    let files = [
        "raporty/pliki/a.html",
        "raporty/pliki/a.XHTML",
        "raporty/pliki/a.svg",
        "raporty/pliki/x.js",
        "raporty/pliki/README",
        "raporty/pliki/raport.pdf",
        "raporty/pliki/obraz.png",
    ];
    refused(
        &root,
        &files,
        &[
            (0, "a .html file is not published"),
            (1, "a .xhtml file is not published"),
            (2, "a .svg file is not published"),
            (3, "a .js file is not published"),
            (4, "a file without an extension is not published"),
            (5, "the file's content is not PDF"),
            (6, "the file's content is not PNG"),
        ],
    );
    // Listed in jawnik.toml: published, as a download.
    attach(&root, &["raporty/pliki/a.svg"]);
    for f in files.iter().filter(|f| !f.ends_with(".svg")) {
        std::fs::remove_file(root.join("content").join(f)).unwrap();
    }
    let toml = root.join("jawnik.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("extra_attachment_types = [\"svg\"]\n{text}")).unwrap();
    let out = root.join("public");
    common::build(&root, &out, None).expect("builds with the type listed");
    assert!(out.join("pliki/raporty/pliki/a.svg").is_file());
    let page = common::read(&out, "raporty/zalaczniki/index.html");
    assert!(
        page.contains("<a href=\"/pliki/raporty/pliki/a.svg\" download>Plik 0</a>"),
        "{page}"
    );
    std::fs::write(
        &toml,
        format!("extra_attachment_types = [\"md\", \"pdf\", \".x\"]\n{text}"),
    )
    .unwrap();
    let errors = build_errors(&root, None);
    assert_eq!(
        errors.matches("field `extra_attachment_types`").count(),
        3,
        "{errors}"
    );
}

/// Class: attachments that publish what they should not. A hidden file (`.sekret.txt`, or
/// any file in a hidden folder), a page's Markdown source, a symbolic link to a hidden file,
/// binary content named `.txt`, and a hard link to a file outside `content/` are refused; a
/// hard link whose names are all inside `content/` is accepted.
#[test]
fn attachments_that_should_not_be_published_are_refused() {
    let root = site_copy("attach-private");
    write(&root, "content/raporty/.sekret.txt", b"SEKRET");
    write(&root, "content/raporty/.git/config", b"[core]");
    write(
        &root,
        "content/raporty/pliki/dane.txt",
        b"\xff\xfet\x00e\x00k\x00s\x00t\x00",
    );
    std::os::unix::fs::symlink(".sekret.txt", root.join("content/raporty/jawny.txt")).unwrap();
    let outside = root.join("poza.txt");
    std::fs::write(&outside, "SEKRET spoza content/").unwrap();
    std::fs::hard_link(&outside, root.join("content/raporty/pliki/link.txt")).unwrap();
    write(&root, "content/raporty/pliki/ankieta.csv", b"a;b\n1;2\n");
    std::fs::hard_link(
        root.join("content/raporty/pliki/ankieta.csv"),
        root.join("content/raporty/pliki/ankieta-kopia.csv"),
    )
    .unwrap();
    let files = [
        "raporty/.sekret.txt",
        "raporty/.git/config",
        "raporty/konsultacje-2023.md",
        "raporty/jawny.txt",
        "raporty/pliki/dane.txt",
        "raporty/pliki/link.txt",
        "raporty/pliki/ankieta.csv",
        "raporty/pliki/ankieta-kopia.csv",
    ];
    let errors = refused(
        &root,
        &files,
        &[
            (0, "hidden files are never published (\".sekret.txt\""),
            (1, "hidden files are never published (\".git\""),
            (2, "a Markdown file is a page's source"),
            (3, "hidden files are never published (\".sekret.txt\""),
            (4, "must be text, but byte 3 is 0x00"),
            (
                5,
                "is a hard link: the file has 2 names, 1 of them outside content/",
            ),
        ],
    );
    // The hard link whose two names are both in content/ (the last two files) is fine.
    assert!(!errors.contains("ankieta"), "{errors}");
    assert_eq!(
        errors.lines().count(),
        7,
        "six errors and the count:\n{errors}"
    );
}
