//! Hostile paths: attachments, `related` references and slugs that try to leave `content/`
//! (`../`, absolute paths, Windows drive letters and backslashes), symbolic links pointing out
//! of `content/` or in a loop, two pages that would be the same output file, and names that
//! differ only in letter case. Each case is a small site named after the rule it breaks and
//! must fail with exactly the listed diagnostics (all of them, nothing else).

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CONFIG: &str = "title = \"t\"\nbase_url = \"https://example.org/\"\n";

/// A minimal valid site with the given extra files (path under the root → text).
pub fn site(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = common::temp_dir(name);
    let mut all: Vec<(&str, &str)> = vec![
        ("jawnik.toml", CONFIG),
        (
            "content/raporty/_index.md",
            "+++\ntitle = \"Raporty\"\n+++\n",
        ),
    ];
    all.extend_from_slice(files);
    for (path, text) in all {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    root
}

fn report(body: &str) -> String {
    format!("+++\ntitle = \"Raport\"\nsummary = \"S.\"\n{body}+++\nTreść.\n")
}

/// The site's diagnostics, one string each, in the sorted order the build reports them.
fn errors(root: &Path) -> Vec<String> {
    match jawnik::load_site(root, None) {
        Ok(_) => Vec::new(),
        Err(ds) => ds.iter().map(|d| d.to_string()).collect(),
    }
}

fn attachment(file: &str) -> String {
    report(&format!(
        "[[attachments]]\ntitle = \"Plik\"\nfile = {}\n",
        toml_str(file)
    ))
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\"))
}

#[test]
fn attachment_paths_may_not_leave_content() {
    let cases = [
        ("attachment-dotdot", "../jawnik.toml", "may not leave content/ (`..` is not allowed), got \"../jawnik.toml\""),
        ("attachment-dotdot-inside", "raporty/../../jawnik.toml", "may not leave content/ (`..` is not allowed), got \"raporty/../../jawnik.toml\""),
        ("attachment-absolute", "/etc/passwd", "must be a path relative to content/, not an absolute path, got \"/etc/passwd\""),
        ("attachment-windows-drive", "C:\\Windows\\win.ini", "must be a path relative to content/, not a Windows drive path, got \"C:\\\\Windows\\\\win.ini\""),
        ("attachment-windows-drive-slash", "c:/x.pdf", "must be a path relative to content/, not a Windows drive path, got \"c:/x.pdf\""),
        ("attachment-backslash-dotdot", "..\\..\\jawnik.toml", "must use `/` between folders, not `\\`, got \"..\\\\..\\\\jawnik.toml\""),
        ("attachment-unc", "\\\\server\\share\\x.pdf", "must be a path relative to content/, not an absolute path, got \"\\\\\\\\server\\\\share\\\\x.pdf\""),
    ];
    for (name, file, message) in cases {
        let root = site(name, &[("content/raporty/r.md", &attachment(file))]);
        assert_eq!(
            errors(&root),
            [format!(
                "content/raporty/r.md:6: field `attachments.file`: {message}"
            )],
            "{name}"
        );
    }
}

#[test]
fn related_references_may_not_leave_content() {
    let cases = [
        ("related-dotdot", "../content/raporty/a.md", "may not leave content/ (`..` is not allowed), got \"../content/raporty/a.md\""),
        ("related-absolute", "/raporty/a.md", "must be a path relative to content/, not an absolute path, got \"/raporty/a.md\""),
        ("related-windows-drive", "D:\\raporty\\a.md", "must be a path relative to content/, not a Windows drive path, got \"D:\\\\raporty\\\\a.md\""),
        ("related-not-markdown", "raporty/files/x.pdf", "must name a content file ending in .md, got \"raporty/files/x.pdf\""),
    ];
    for (name, rel, message) in cases {
        let body = format!("related = [{}]\n", toml_str(rel));
        let root = site(
            name,
            &[
                ("content/raporty/r.md", &report(&body)),
                ("content/raporty/a.md", &report("")),
            ],
        );
        assert_eq!(
            errors(&root),
            [format!(
                "content/raporty/r.md:4: field `related`: {message}"
            )],
            "{name}"
        );
    }
}

#[test]
fn slugs_may_not_be_paths() {
    for (name, slug) in [
        ("slug-dotdot", "../../etc"),
        ("slug-absolute", "/x"),
        ("slug-windows-drive", "C:\\x"),
        ("slug-upper-case", "Raport"),
    ] {
        let body = format!("slug = {}\n", toml_str(slug));
        let root = site(name, &[("content/raporty/r.md", &report(&body))]);
        let shown = format!("{slug:?}");
        assert_eq!(
            errors(&root),
            [format!("content/raporty/r.md:4: field `slug`: must be lowercase a-z, 0-9 and single dashes, got {shown}")],
            "{name}"
        );
    }
}

#[test]
fn two_pages_that_would_be_one_output_file_are_an_error_naming_both() {
    // A slug set to another file's name, and two explicit equal slugs.
    let root = site(
        "output-collision",
        &[
            ("content/raporty/alfa.md", &report("")),
            ("content/raporty/beta.md", &report("slug = \"alfa\"\n")),
        ],
    );
    assert_eq!(
        errors(&root),
        ["content/raporty/beta.md:4: field `slug`: duplicate slug \"alfa\": content/raporty/alfa.md and content/raporty/beta.md would both be /raporty/alfa/"]
    );
}

#[test]
fn names_differing_only_in_case_are_an_error_naming_both() {
    let root = site(
        "case-collision",
        &[
            ("content/raporty/r.md", &report("[[attachments]]\ntitle = \"A\"\nfile = \"raporty/pliki/Plan.pdf\"\n\n[[attachments]]\ntitle = \"B\"\nfile = \"raporty/pliki/plan.pdf\"\n")),
            ("content/raporty/pliki/Plan.pdf", "%PDF-1"),
            ("content/raporty/pliki/plan.pdf", "%PDF-2"),
        ],
    );
    assert_eq!(
        errors(&root),
        ["content/raporty/pliki/plan.pdf: differs from content/raporty/pliki/Plan.pdf only in letter case: they would be one file on a case-insensitive host; rename one"]
    );
    // Page file names cannot collide by case: an upper-case name is not a slug.
    let root = site(
        "case-page",
        &[
            ("content/raporty/Alfa.md", &report("")),
            ("content/raporty/alfa.md", &report("")),
        ],
    );
    let errs = errors(&root);
    assert!(errs.contains(&"content/raporty/alfa.md: differs from content/raporty/Alfa.md only in letter case: they would be one file on a case-insensitive host; rename one".to_string()), "{errs:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_content_and_loops_are_refused_quickly() {
    use std::os::unix::fs::symlink;
    let root = site(
        "symlinks",
        &[("content/raporty/r.md", &report("")), ("secret.txt", "x")],
    );
    let c = root.join("content/raporty");
    symlink(root.join("secret.txt"), c.join("file-out.pdf")).unwrap();
    symlink("/", c.join("folder-out")).unwrap();
    symlink("loop", c.join("loop")).unwrap();
    symlink("b", c.join("a")).unwrap();
    symlink("a", c.join("b")).unwrap();
    symlink("..", c.join("parent")).unwrap();
    symlink(".", c.join("self")).unwrap();
    std::fs::create_dir_all(c.join("deep")).unwrap();
    symlink("../../raporty", c.join("deep/up")).unwrap();
    let start = Instant::now();
    let errs = errors(&root);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(
        errs,
        [
            "content/raporty/a: symbolic link loop (the link leads back to itself); remove it",
            "content/raporty/b: symbolic link loop (the link leads back to itself); remove it",
            "content/raporty/deep/up: symbolic links to folders are not followed; move the folder here instead",
            "content/raporty/file-out.pdf: symbolic link pointing outside content/; refused",
            "content/raporty/folder-out: symbolic link pointing outside content/; refused",
            "content/raporty/loop: symbolic link loop (the link leads back to itself); remove it",
            "content/raporty/parent: symbolic links to folders are not followed; move the folder here instead",
            "content/raporty/self: symbolic links to folders are not followed; move the folder here instead",
        ]
    );
}

#[test]
fn script_urls_are_refused_in_every_url_field() {
    let doc = report(
        "source = \"javascript:alert(1)\"\nrelated = [\"javascript:alert(1)\"]\n\n[[attachments]]\ntitle = \"Plik\"\nurl = \"JavaScript:alert(1)\"\n\n[[attachments]]\ntitle = \"Dane\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n",
    );
    let ngo = "+++\nname = \"Fundacja\"\nsummary = \"S.\"\nwebsite = \"javascript:alert(1)\"\nemail = \"a@b.pl<script>\"\n+++\n";
    let root = site(
        "script-urls",
        &[
            ("content/raporty/r.md", &doc),
            ("content/organizacje/_index.md", "+++\ntitle = \"O\"\n+++\n"),
            ("content/organizacje/f.md", ngo),
        ],
    );
    assert_eq!(
        errors(&root),
        [
            "content/organizacje/f.md:4: field `website`: must be an http:// or https:// address, got \"javascript:alert(1)\"",
            "content/organizacje/f.md:5: field `email`: is not an e-mail address: invalid character, got \"a@b.pl<script>\"",
            "content/raporty/r.md:4: field `source`: must be an http:// or https:// address, got \"javascript:alert(1)\"",
            "content/raporty/r.md:5: field `related`: must name a content file ending in .md, got \"javascript:alert(1)\"",
            "content/raporty/r.md:9: field `attachments.url`: must be an http:// or https:// address, got \"JavaScript:alert(1)\"",
            "content/raporty/r.md:13: field `attachments.url`: must be an http:// or https:// address, got \"data:text/html,<script>alert(1)</script>\"",
        ]
    );
}
