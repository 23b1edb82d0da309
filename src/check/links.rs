//! The link checker: every link and image of the Markdown bodies resolved against the pages
//! the site will have (with their `#fragments`), relative paths and `.md` paths included,
//! and the external addresses checked over HTTP (`--external`).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use super::problem::{Problem, Severity};
use crate::content::diagnostics::line_of;
use crate::content::front_matter;

/// One Markdown file of `content/` and the page URL its relative links resolve from.
pub(super) struct MdFile {
    /// `content/...`
    pub(super) file: String,
    /// Path relative to `content/`.
    pub(super) content_path: String,
    /// The page's path relative to the base URL (`raporty/x/`, `` for the home page).
    pub(super) url: String,
}

/// Where an external address is used.
pub(super) struct ExternalUse {
    pub(super) file: String,
    pub(super) line: Option<usize>,
    pub(super) field: String,
}

/// What the bodies' links gave: the problems of internal links, how many were resolved, and
/// each file's text (the content checks read their front matter).
#[derive(Default)]
pub(super) struct Bodies {
    pub(super) problems: Vec<Problem>,
    pub(super) internal_links: usize,
    pub(super) texts: BTreeMap<String, String>,
}

/// Resolve every internal link of the Markdown bodies of `md_files` against `outputs` (each
/// output file with its element ids); the external ones are gathered into `external`.
pub(super) fn check_bodies(
    content_dir: &Path,
    md_files: &[MdFile],
    outputs: &BTreeMap<String, BTreeSet<String>>,
    page_urls: &BTreeMap<String, String>,
    external: &mut BTreeMap<String, Vec<ExternalUse>>,
) -> Bodies {
    let mut out = Bodies::default();
    for md in md_files {
        let Ok(text) = std::fs::read_to_string(content_dir.join(&md.content_path)) else {
            continue; // reported by the loader
        };
        let Ok(split) = front_matter::split(&text) else {
            continue;
        };
        let body_offset = split.body.as_ptr() as usize - text.as_ptr() as usize;
        let links = body_links(split.body);
        for (dest, offset) in links {
            let line = line_of(&text, body_offset + offset);
            match classify(&dest) {
                Link::Skip => {}
                Link::External(url) => external.entry(url).or_default().push(ExternalUse {
                    file: md.file.clone(),
                    line: Some(line),
                    field: "body".into(),
                }),
                Link::Internal => {
                    out.internal_links += 1;
                    if let Some(p) = check_internal(md, &dest, outputs, page_urls) {
                        out.problems.push(Problem {
                            line: Some(line),
                            ..p
                        });
                    }
                }
            }
        }
        out.texts.insert(md.file.clone(), text);
    }
    out
}

/// The `id` attribute values of an HTML text.
pub(super) fn html_ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Every link and image destination of a Markdown body, with its byte offset.
pub(super) fn body_links(body: &str) -> Vec<(String, usize)> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(body, options).into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = ev
        else {
            continue;
        };
        if link_type != LinkType::Email {
            out.push((dest_url.to_string(), range.start));
        }
    }
    out
}

pub(super) enum Link {
    Skip,
    External(String),
    Internal,
}

pub(super) fn classify(dest: &str) -> Link {
    let d = dest.trim();
    let lower = d.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Link::External(d.to_string());
    }
    if d.starts_with("//") {
        return Link::Skip;
    }
    // Any other scheme (mailto:, tel:, …) is not ours to check.
    if let Some(i) = d.find(':') {
        let scheme = &d[..i];
        if !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !d[..i].contains('/')
        {
            return Link::Skip;
        }
    }
    Link::Internal
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolve `rel` (a relative path) against the folder `dir` (`a/b/`, or empty); `None` when
/// it climbs above the root.
fn resolve(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = rel.split('/').collect();
    let trailing = rel.ends_with('/') || rel.ends_with("/.") || rel.ends_with("/..");
    for seg in &segments {
        match *seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if (trailing || rel == "." || rel == "..") && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// One internal link of `md`; a problem (without its line) when it does not resolve.
pub(super) fn check_internal(
    md: &MdFile,
    dest: &str,
    outputs: &BTreeMap<String, BTreeSet<String>>,
    page_urls: &BTreeMap<String, String>,
) -> Option<Problem> {
    let problem =
        |severity, msg: String| Some(Problem::new(severity, &md.file, None, Some("body"), msg));
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let path = percent_decode(path_part);

    // A link to a content file by its path (`../programy/x.md`).
    if path.ends_with(".md") {
        let target = if let Some(abs) = path.strip_prefix('/') {
            resolve("", abs)
        } else {
            let dir = match md.content_path.rfind('/') {
                Some(i) => &md.content_path[..=i],
                None => "",
            };
            resolve(dir, &path)
        };
        let Some(target) = target else {
            return problem(
                Severity::Error,
                format!("broken link {dest:?}: it leaves content/"),
            );
        };
        if let Some(url) = page_urls.get(&target) {
            return problem(
                Severity::Warning,
                format!(
                    "link {dest:?} names the source file content/{target}; the built site has no such address: link to its page /{url} instead"
                ),
            );
        }
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: no such content file: content/{target}"),
        );
    }

    let target = if path.is_empty() {
        Some(md.url.clone())
    } else if let Some(abs) = path.strip_prefix('/') {
        // Root-relative links are rewritten under the base path by the renderer.
        resolve("", abs).map(|r| {
            if abs.ends_with('/') && !r.is_empty() && !r.ends_with('/') {
                r + "/"
            } else {
                r
            }
        })
    } else {
        resolve(&md.url, &path)
    };
    let Some(target) = target else {
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: it climbs above the site's root"),
        );
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if outputs.contains_key(&target) {
        target.clone()
    } else {
        format!("{target}/index.html")
    };
    let Some(ids) = outputs.get(&file) else {
        return problem(
            Severity::Error,
            format!("broken link {dest:?}: the site has no page /{target}"),
        );
    };
    if let Some(f) = fragment {
        let f = percent_decode(f);
        if !f.is_empty() && file.ends_with(".html") && !ids.contains(&f) {
            return problem(
                Severity::Warning,
                format!("link {dest:?}: no heading or anchor #{f} on /{target}"),
            );
        }
    }
    None
}

/// Check each address with HEAD (GET when HEAD is refused), `concurrency` at a time, each
/// bounded by `timeout`. `Err` holds why the address failed, as a phrase ("returned 404").
pub fn check_external(
    urls: Vec<String>,
    timeout: Duration,
    concurrency: usize,
) -> BTreeMap<String, Result<(), String>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("jawnik-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let queue = Mutex::new(urls);
    let results = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| loop {
                let Some(url) = queue.lock().expect("queue").pop() else {
                    break;
                };
                let r = check_one(&agent, &url);
                results.lock().expect("results").insert(url, r);
            });
        }
    });
    results.into_inner().expect("results")
}

fn check_one(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let describe = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "is unreachable: host not found".to_string(),
        ureq::Error::ConnectionFailed => "is unreachable: connection failed".to_string(),
        ureq::Error::Io(e) => format!("is unreachable: {e}"),
        other => format!("failed: {other}"),
    };
    let fatal = |e: &ureq::Error| {
        matches!(
            e,
            ureq::Error::Timeout(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed
        ) || matches!(e, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused)
    };
    match agent.head(url).call() {
        Ok(r) if r.status().as_u16() < 400 => return Ok(()),
        Ok(_) => {}
        Err(e) if fatal(&e) => return Err(describe(e)),
        Err(_) => {}
    }
    match agent.get(url).call() {
        Ok(r) if r.status().as_u16() < 400 => Ok(()),
        Ok(r) => Err(format!("returned HTTP {}", r.status().as_u16())),
        Err(e) => Err(describe(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            resolve("raporty/x/", "../../programy/y/").as_deref(),
            Some("programy/y/")
        );
        assert_eq!(resolve("", "raporty/").as_deref(), Some("raporty/"));
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(
            resolve("strategie/", "../programy/p.md").as_deref(),
            Some("programy/p.md")
        );
    }

    #[test]
    fn classifies_links() {
        assert!(matches!(classify("https://e.org/"), Link::External(_)));
        assert!(matches!(classify("mailto:a@b.pl"), Link::Skip));
        assert!(matches!(classify("../x/"), Link::Internal));
        assert!(matches!(classify("#cele"), Link::Internal));
    }
}
