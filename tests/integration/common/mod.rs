//! Helpers shared by the integration tests: temporary folders, building a fixture, reading
//! an output tree, and a link checker over the built HTML.

#![allow(dead_code)]

pub mod feeds;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

/// A fresh, empty temporary folder for one test (removed first if left over).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jawnik-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Build `root` into `output`; the search index goes next to `output` (never into the
/// fixture), so tests can build the same fixture in parallel.
pub fn build(
    root: &Path,
    output: &Path,
    base_url: Option<&str>,
) -> Result<jawnik::BuildReport, jawnik::BuildError> {
    let index = output.with_file_name(format!(
        "{}-index",
        output.file_name().unwrap().to_string_lossy()
    ));
    let extract_cache = output.with_file_name(format!(
        "{}-extract",
        output.file_name().unwrap().to_string_lossy()
    ));
    let opts = jawnik::BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.to_path_buf()),
        base_url: base_url.map(str::to_string),
        progress: false,
        index_dir: Some(index),
        extract_cache: Some(extract_cache),
        today: None,
    };
    jawnik::build(&opts)
}

/// Copy the folder `from` (files and folders) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`: relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The values of an attribute (`href`, `src`, `id`) in an HTML text.
pub fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Check every `href`/`src` of every HTML file under `out`: internal links must start with
/// `base_path`, point at an existing file, and their fragments at an existing id. Returns
/// the problems found and the number of links checked.
pub fn check_links(out: &Path, base_path: &str) -> (Vec<String>, usize) {
    let files = tree(out);
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            ids.insert(
                path.clone(),
                attribute_values(&html, "id").into_iter().collect(),
            );
        }
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let links = attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"));
        for link in links {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("tel:")
            {
                continue;
            }
            checked += 1;
            let (target_path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if target_path.is_empty() {
                path.clone()
            } else {
                // Relative links resolve against the page's own folder.
                let absolute = if target_path.starts_with('/') {
                    target_path.clone()
                } else {
                    let dir = match path.rfind('/') {
                        Some(i) => &path[..=i],
                        None => "",
                    };
                    normalise(&format!("{base_path}{dir}{target_path}"))
                };
                let Some(rel) = absolute.strip_prefix(base_path) else {
                    problems.push(format!(
                        "{path}: link {link:?} is not under the base path {base_path}"
                    ));
                    continue;
                };
                let rel = rel.split('?').next().unwrap_or("");
                let rel = percent_decode(rel);
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel
                }
            };
            if !files.contains_key(&target) {
                problems.push(format!("{path}: link {link:?} → missing {target}"));
                continue;
            }
            if let Some(f) = fragment {
                if !ids.get(&target).is_some_and(|s| s.contains(&f)) {
                    problems.push(format!("{path}: link {link:?} → no id {f:?} in {target}"));
                }
            }
        }
    }
    (problems, checked)
}

/// Resolve `.` and `..` segments of an absolute URL path.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

/// One query of the relevance set `tests/relevance/judged.tsv`.
pub struct Judged {
    /// The query as typed.
    pub query: String,
    /// `example` (the repository's site) or `ustawy` (`tests/relevance/ustawy/`).
    pub site: String,
    /// Result id (last path segment, or a postulate's anchor) → grade 1 or 2.
    pub grades: BTreeMap<String, u32>,
}

/// The relevance set: `query <TAB> site <TAB> id:grade ...` lines, `#` lines skipped.
pub fn judged_queries() -> Vec<Judged> {
    let path = manifest_dir().join("tests/relevance/judged.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "judged.tsv:{}: three fields", n + 1);
        let grades = fields[2]
            .split_whitespace()
            .map(|pair| {
                let (id, grade) = pair
                    .rsplit_once(':')
                    .unwrap_or_else(|| panic!("judged.tsv:{}: `{pair}`", n + 1));
                (id.to_string(), grade.parse().unwrap())
            })
            .collect();
        out.push(Judged {
            query: fields[0].to_string(),
            site: fields[1].to_string(),
            grades,
        });
    }
    out
}

/// The root of a relevance-set site.
pub fn judged_site_root(site: &str) -> PathBuf {
    match site {
        "example" => manifest_dir(),
        other => manifest_dir().join("tests/relevance").join(other),
    }
}
