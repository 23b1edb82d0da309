//! The site settings in `jawnik.toml`: title, base URL (which may carry a path), theme,
//! page size, the meta-CSP switch and the vocabularies of sectors (branże) and districts
//! (dzielnice). The `[accessibility]` table (the accessibility statement) is read by
//! [`accessibility`], `[open_data]` (the licence of `dane/`) by [`open_data`] and
//! `[organisations]` (freshness of the directory, "Zgłoś zmianę") by [`directory`].

pub mod accessibility;
pub mod directory;
pub mod open_data;

use serde::Deserialize;
use std::path::Path;

use crate::content::diagnostics::{line_of, Diagnostic};

/// One term of a vocabulary: a URL slug and a display name.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub slug: String,
    pub name: String,
}

/// The parsed and checked `jawnik.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub base_url: String,
    /// The site's language (`pl`, `uk`, `en`): its interface (the theme's locale file) and
    /// `lang` of the pages.
    #[serde(default = "default_language")]
    pub language: String,
    /// The line of `language` in `jawnik.toml`, for errors about it.
    #[serde(skip)]
    pub language_line: Option<usize>,
    /// The other languages the site publishes (`["uk", "en"]`): translated pages
    /// (`x.uk.md`, [`crate::content::translations`]) and the interface under `/uk/`, `/en/`.
    #[serde(default)]
    pub languages: Vec<String>,
    /// The URL prefix of the language being rendered (`uk/`; empty for `language`): [`url`]
    /// and [`absolute_url`] put it before a page's path ([`crate::render::languages`]).
    ///
    /// [`url`]: Config::url
    /// [`absolute_url`]: Config::absolute_url
    #[serde(skip)]
    pub lang_prefix: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    #[serde(default)]
    pub sectors: Vec<Term>,
    #[serde(default)]
    pub districts: Vec<Term>,
    /// Largest Markdown file read from `content/`, in megabytes (attachments are copied,
    /// not read, and have no limit).
    #[serde(default = "default_max_file_size_mb")]
    pub max_file_size_mb: u64,
    /// File types (extensions) published as attachments besides the default ones
    /// (`content::attachment_policy::TYPES`), served as downloads.
    #[serde(default)]
    pub extra_attachment_types: Vec<String>,
    /// The `[accessibility]` table as written; checked into [`Config::accessibility`].
    #[serde(default, rename = "accessibility")]
    accessibility_table: Option<accessibility::RawStatement>,
    /// The accessibility statement, when `jawnik.toml` has the table.
    #[serde(skip)]
    pub accessibility: Option<accessibility::Statement>,
    /// Every page carries the theme's Content-Security-Policy in a `<meta http-equiv>`, for
    /// hosts that cannot set response headers (GitHub Pages, GitLab Pages). Off by default.
    #[serde(default)]
    pub meta_csp: bool,
    /// The `[open_data]` table as written; checked into [`Config::open_data`].
    #[serde(default, rename = "open_data")]
    open_data_table: Option<open_data::RawOpenData>,
    /// The licence of the open-data files.
    #[serde(skip)]
    pub open_data: open_data::OpenData,
    /// The `[organisations]` table as written; checked into [`Config::directory`].
    #[serde(default, rename = "organisations")]
    directory_table: Option<directory::RawDirectory>,
    /// Freshness threshold and "Zgłoś zmianę" of organisations and coordinators.
    #[serde(skip)]
    pub directory: directory::Directory,
    /// A query word in more documents than this gets its first page's postings in its term
    /// chunk (`crate::export::HEADS_FROM`): its first query does not fetch its whole postings.
    #[serde(default = "default_search_heads_from")]
    pub search_heads_from: usize,
}

fn default_search_heads_from() -> usize {
    crate::export::HEADS_FROM
}

fn default_language() -> String {
    "pl".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_page_size() -> usize {
    20
}
fn default_max_file_size_mb() -> u64 {
    10
}

pub const CONFIG_FILE: &str = "jawnik.toml";

/// The line of a top-level `key = …` of `jawnik.toml`.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

impl Config {
    /// Read `jawnik.toml` from the site root; `base_url` may be overridden (`--base-url`).
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let valid = e.utf8_error().valid_up_to();
                    let line = e.as_bytes()[..valid]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1;
                    return Err(vec![Diagnostic::new(
                        CONFIG_FILE,
                        "the file is not valid UTF-8",
                    )
                    .at_line(line)]);
                }
            },
            Err(e) => {
                return Err(vec![Diagnostic::new(
                    CONFIG_FILE,
                    format!("cannot read {}: {e}", path.display()),
                )])
            }
        };
        Self::parse(&text, base_url)
    }

    /// Parse and check the text of a `jawnik.toml`.
    pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            vec![Diagnostic::new(CONFIG_FILE, e.message().trim().to_string()).with_line(line)]
        })?;
        let from_cli = base_url.is_some();
        if let Some(b) = base_url {
            config.base_url = b.to_string();
        }
        let mut errors = Vec::new();
        let err = |field: &str, msg: String| Diagnostic::new(CONFIG_FILE, msg).field(field);
        if let Err(why) = check_base_url(&config.base_url) {
            let given = if from_cli {
                " (given with --base-url)"
            } else {
                ""
            };
            let line = (!from_cli).then(|| key_line(text, "base_url")).flatten();
            errors.push(
                err(
                    "base_url",
                    format!("{why}, got {:?}{given}", config.base_url),
                )
                .with_line(line),
            );
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        if config.max_file_size_mb == 0 {
            errors.push(err("max_file_size_mb", "must be at least 1".into()));
        }
        for ext in &config.extra_attachment_types {
            if let Err(why) = crate::content::attachment_policy::check_extra_type(ext) {
                errors.push(err("extra_attachment_types", why));
            }
        }
        config.language_line = key_line(text, "language");
        if let Err(why) = jawnik_analysis::Language::from_tag(&config.language) {
            errors.push(err("language", why.to_string()).with_line(config.language_line));
        }
        let languages_line = key_line(text, "languages");
        let mut seen = std::collections::BTreeSet::new();
        for l in &config.languages {
            let problem = if let Err(why) = jawnik_analysis::Language::from_tag(l) {
                Some(why.to_string())
            } else if !is_slug(l) || l.contains('-') {
                Some(format!(
                    "{l:?} must be a primary language tag in lowercase (`uk`, `en`)"
                ))
            } else if config
                .language
                .split(['-', '_'])
                .next()
                .is_some_and(|primary| primary.eq_ignore_ascii_case(l))
            {
                Some(format!(
                    "{l:?} is the site's `language`; list only the others"
                ))
            } else if !seen.insert(l.as_str()) {
                Some(format!("{l:?} is listed twice"))
            } else {
                None
            };
            if let Some(why) = problem {
                errors.push(err("languages", why).with_line(languages_line));
            }
        }
        if config.page_size == 0 {
            errors.push(err("page_size", "must be at least 1".into()));
        }
        if !is_slug(&config.theme) {
            errors.push(err(
                "theme",
                format!(
                    "must be a folder name under themes/, got {:?}",
                    config.theme
                ),
            ));
        }
        for (field, terms) in [
            ("sectors", &config.sectors),
            ("districts", &config.districts),
        ] {
            let mut seen = std::collections::BTreeSet::new();
            for t in terms {
                if !is_slug(&t.slug) {
                    errors.push(err(
                        field,
                        format!(
                            "slug {:?} must be lowercase a-z, 0-9 and single dashes",
                            t.slug
                        ),
                    ));
                }
                if !seen.insert(t.slug.clone()) {
                    errors.push(err(field, format!("slug {:?} is listed twice", t.slug)));
                }
            }
        }
        if let Some(table) = config.accessibility_table.take() {
            match table.check(text) {
                Ok(statement) => config.accessibility = Some(statement),
                Err(e) => errors.extend(e),
            }
        }
        if let Some(table) = config.open_data_table.take() {
            match table.check(text) {
                Ok(open_data) => config.open_data = open_data,
                Err(e) => errors.extend(e),
            }
        }
        if let Some(table) = config.directory_table.take() {
            match table.check(text) {
                Ok(directory) => config.directory = directory,
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The path part of `base_url`, always starting and ending with `/` (`/` or `/ngo/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map(|x| x.1).unwrap_or("");
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    /// A root-relative URL for a site path like `branze/kultura/` (`/ngo/branze/kultura/`) in
    /// the language being rendered (`/ngo/uk/branze/kultura/`).
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base_path(),
            self.lang_prefix,
            path.trim_start_matches('/')
        )
    }

    /// An absolute URL for a site path (for canonical links, feeds, the sitemap) in the
    /// language being rendered.
    pub fn absolute_url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.base_url,
            self.lang_prefix,
            path.trim_start_matches('/')
        )
    }

    /// The root-relative URL of a path of the whole site, whatever language is being rendered
    /// (attachments, another language's page: `uk/raporty/x/`).
    pub fn root_url(&self, path: &str) -> String {
        format!("{}{}", self.base_path(), path.trim_start_matches('/'))
    }

    /// The absolute URL of a path of the whole site ([`Config::root_url`]).
    pub fn root_absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Every language the site publishes: `language` first, then `languages`.
    pub fn all_languages(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str()).chain(self.languages.iter().map(String::as_str))
    }

    pub fn sector(&self, slug: &str) -> Option<&Term> {
        self.sectors.iter().find(|t| t.slug == slug)
    }

    pub fn district(&self, slug: &str) -> Option<&Term> {
        self.districts.iter().find(|t| t.slug == slug)
    }

    /// The warnings of `jawnik.toml` that `build` prints and `check` lists: required fields
    /// its tables leave out.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.accessibility
            .iter()
            .flat_map(|s| s.missing.iter())
            .chain(&self.open_data.missing)
            .chain(&self.directory.missing)
    }
}

/// Checks a base URL: an absolute `http(s)://host/path/` without user name, query or
/// fragment, whose path the browser resolves on that host. A path starting with `//` or `/\`
/// (WHATWG URL parsing reads `\` as `/`) would make every root-relative link of the site —
/// the search page's module included — point at another host, so it is refused, as are `\`
/// anywhere and `.`/`..` segments.
pub fn check_base_url(raw: &str) -> Result<(), String> {
    let absolute = "must be an absolute http(s) URL without query or fragment";
    if raw.contains(|c: char| c.is_whitespace() || c.is_control() || c == '?' || c == '#') {
        return Err(absolute.into());
    }
    if raw.contains('\\') {
        return Err("must not contain `\\` (browsers read it as `/`)".into());
    }
    let url = url::Url::parse(raw).map_err(|e| format!("{absolute} ({e})"))?;
    let rest = match url.scheme() {
        "http" | "https" => raw.split_once("://").map(|x| x.1).ok_or(absolute)?,
        _ => return Err(absolute.into()),
    };
    if rest.starts_with('/') || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{absolute}: it names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry a user name or password".into());
    }
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    if path.starts_with("//") {
        return Err(
            "its path must not start with `//`: the site's root-relative links (the search \
             page's module too) would lead to another host"
                .into(),
        );
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err("its path must not hold `.` or `..` segments".into());
    }
    Ok(())
}

/// The line of the table header `[name]` in `text`, if the table is written that way (where a
/// warning about a key missing from it points).
pub(crate) fn table_line(text: &str, name: &str) -> Option<usize> {
    let header = format!("[{name}]");
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(header.as_str())
                .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
        })
        .map(|i| i + 1)
}

/// The warning for `key` missing from the table `[table]` of `text`, at the table's line.
pub(crate) fn missing_key(text: &str, table: &str, key: &str, what: &str) -> Diagnostic {
    Diagnostic::new(CONFIG_FILE, format!("missing: {what}"))
        .with_line(table_line(text, table))
        .field(format!("{table}.{key}"))
}

/// A slug: lowercase ASCII letters and digits in words joined by single dashes.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_sub_path() {
        let c = Config::parse(
            "title = \"t\"\nbase_url = \"https://example.org/ngo\"\n",
            None,
        )
        .unwrap();
        assert_eq!(c.base_path(), "/ngo/");
        assert_eq!(c.url("branze/"), "/ngo/branze/");
        assert_eq!(c.absolute_url("a/"), "https://example.org/ngo/a/");
        let c = Config::parse("title = \"t\"\nbase_url = \"https://example.org\"\n", None).unwrap();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn base_url_check() {
        for ok in [
            "https://example.org",
            "http://example.org:8080/ngo/",
            "https://example.org/a//b/",
            "https://przykład.pl/zażółć/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://example.org//evil.example/",
            "https://example.org/\\evil.example/",
            "https://example.org\\@evil.example/",
            "https://user:pw@example.org/",
            "https://example.org/a/../",
            "ftp://example.org/",
            "https:///x",
            "//example.org/",
            "https://example.org/?q",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn meta_csp_is_off_unless_asked_for() {
        let site = "title = \"t\"\nbase_url = \"https://example.org/\"\n";
        assert!(!Config::parse(site, None).unwrap().meta_csp);
        let on = format!("meta_csp = true\n{site}");
        assert!(Config::parse(&on, None).unwrap().meta_csp);
        let wrong = format!("meta_csp = \"yes\"\n{site}");
        let errors = Config::parse(&wrong, None).unwrap_err();
        assert_eq!(errors[0].line, Some(1), "{errors:?}");
    }
}
