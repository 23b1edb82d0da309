//! The theme and the minijinja environment: templates from `themes/<theme>/templates` (or
//! the built-in copy of `themes/default` when the site has no such folder), autoescape on
//! for every template, the theme's static files with content-hash cache busting, and its
//! locale files (`locales/<lang>.toml`: a theme's own files add to the built-in ones, key by
//! key) with the site's language picked from them ([`super::locale`]).

use minijinja::{AutoEscape, Environment};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use walkdir::WalkDir;

use super::locale::{check_locales, Locale, LocaleFile};
use crate::config::{Config, CONFIG_FILE};
use crate::content::diagnostics::Diagnostic;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)) as &[u8])),*]
    };
}

/// The default theme, compiled in so that any site builds without a `themes/` folder.
const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/partials/macros.html",
    "templates/partials/entry.html",
    "templates/index.html",
    "templates/search.html",
    "templates/404.html",
    "templates/list.html",
    "templates/terms.html",
    "templates/entry.html",
    "templates/ngo.html",
    "templates/calendar.html",
    "templates/contacts.html",
    "templates/postulates.html",
    "templates/partials/calls.html",
    "templates/accessibility.html",
    "templates/open-data.html",
    "templates/partials/freshness.html",
    "templates/compare.html",
    "templates/partials/compare.html",
    "templates/partials/versions.html",
    "templates/partials/answer-ref.html",
    "static/css/style.css",
    "static/js/ngo-filter.js",
    "static/js/search.js",
    "static/js/postulate-filter.js",
    "static/favicon.svg",
    "locales/pl.toml",
    "locales/uk.toml",
    "locales/en.toml",
];

/// The language of a theme loaded without a site's configuration.
const DEFAULT_LANGUAGE: &str = "pl";

/// The language of the content (documents, titles, summaries, the vocabularies of
/// `jawnik.toml`), whatever the interface's.
pub const CONTENT_LANGUAGE: &str = "pl";

/// A loaded theme.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` → bytes; copied to the output root.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Language → (the file as errors name it, its messages).
    pub locale_files: BTreeMap<String, (String, LocaleFile)>,
    /// The site's interface language.
    pub locale: Arc<Locale>,
}

impl Theme {
    /// Load `themes/<name>` from the site root, or the built-in default theme, in Polish.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        Self::load_in(root, name, DEFAULT_LANGUAGE, None)
    }

    /// The theme of a site in its language (`language` in `jawnik.toml`).
    pub fn for_site(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        Self::load_in(root, &config.theme, &config.language, config.language_line)
    }

    fn load_in(
        root: &Path,
        name: &str,
        language: &str,
        language_line: Option<usize>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut files = Files::default();
        for (path, bytes) in DEFAULT_THEME {
            files
                .insert(path, bytes.to_vec(), "themes/default")
                .map_err(|d| vec![d])?;
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            // A theme folder replaces the built-in templates and static files; its locale
            // files add to (or override) the built-in messages.
            let own = Files::from_dir(&dir, &format!("themes/{name}"))?;
            files.templates = own.templates;
            files.static_files = own.static_files;
            for (lang, (shown, file)) in own.locale_files {
                match files.locale_files.get_mut(&lang) {
                    Some((_, base)) => base.overlay(file),
                    None => {
                        files.locale_files.insert(lang, (shown, file));
                    }
                }
            }
            // What is missing is added in the theme's folder, whether or not it has the file.
            for (lang, (shown, _)) in files.locale_files.iter_mut() {
                *shown = format!("themes/{name}/locales/{lang}.toml");
            }
        } else if name != "default" {
            return Err(vec![Diagnostic::new(
                CONFIG_FILE,
                format!("theme folder themes/{name} not found"),
            )
            .field("theme")]);
        }
        files.into_theme(language, language_line)
    }
}

/// The files of a theme as read, before the language is picked.
#[derive(Default)]
struct Files {
    templates: BTreeMap<String, String>,
    static_files: BTreeMap<String, Vec<u8>>,
    locale_files: BTreeMap<String, (String, LocaleFile)>,
    errors: Vec<Diagnostic>,
}

impl Files {
    fn into_theme(self, language: &str, line: Option<usize>) -> Result<Theme, Vec<Diagnostic>> {
        let mut errors = self.errors;
        errors.extend(check_locales(&self.locale_files));
        // `en-GB` takes `en.toml`: the primary subtag names the file.
        let tag = language
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let locale = match self.locale_files.get(&tag) {
            Some((_, file)) => Locale::new(language, file.clone()).map_err(|why| {
                Diagnostic::new(CONFIG_FILE, why)
                    .field("language")
                    .with_line(line)
            }),
            None => Err(Diagnostic::new(
                CONFIG_FILE,
                format!(
                    "the theme has no locale file for `{language}` (it has: {})",
                    self.locale_files
                        .keys()
                        .map(|l| format!("{l}.toml"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .field("language")
            .with_line(line)),
        };
        match locale {
            Ok(locale) if errors.is_empty() => Ok(Theme {
                templates: self.templates,
                static_files: self.static_files,
                locale_files: self.locale_files,
                locale: Arc::new(locale),
            }),
            Ok(_) => Err(errors),
            Err(d) => {
                errors.push(d);
                Err(errors)
            }
        }
    }

    fn insert(&mut self, path: &str, bytes: Vec<u8>, shown: &str) -> Result<(), Diagnostic> {
        if let Some(l) = path.strip_prefix("locales/") {
            let Some(lang) = l.strip_suffix(".toml").filter(|l| !l.contains('/')) else {
                return Ok(());
            };
            let file = format!("{shown}/{path}");
            let text = String::from_utf8(bytes)
                .map_err(|_| Diagnostic::new(file.clone(), "the file is not valid UTF-8"))?;
            match LocaleFile::parse(&text, &file) {
                Ok(parsed) => {
                    self.locale_files.insert(lang.to_string(), (file, parsed));
                }
                Err(ds) => self.errors.extend(ds),
            }
        } else if let Some(t) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::new(format!("{shown}/{path}"), "the template is not valid UTF-8")
            })?;
            self.templates.insert(t.to_string(), text);
        } else if let Some(s) = path.strip_prefix("static/") {
            self.static_files.insert(s.to_string(), bytes);
        }
        Ok(())
    }

    fn from_dir(dir: &Path, shown: &str) -> Result<Files, Vec<Diagnostic>> {
        let mut theme = Files::default();
        let mut errors = Vec::new();
        for sub in ["templates", "static", "locales"] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            for item in WalkDir::new(&base).sort_by_file_name() {
                match item {
                    Ok(e) if e.file_type().is_file() => {
                        let rel = e
                            .path()
                            .strip_prefix(dir)
                            .unwrap_or(e.path())
                            .to_string_lossy()
                            .replace('\\', "/");
                        if rel.rsplit('/').next().is_some_and(|n| n.starts_with('.')) {
                            continue;
                        }
                        match std::fs::read(e.path()) {
                            Ok(bytes) => {
                                if let Err(d) = theme.insert(&rel, bytes, shown) {
                                    errors.push(d);
                                }
                            }
                            Err(err) => errors.push(Diagnostic::new(
                                format!("{shown}/{rel}"),
                                format!("cannot read: {err}"),
                            )),
                        }
                    }
                    Ok(_) => {}
                    Err(err) => errors.push(Diagnostic::new(
                        shown.to_string(),
                        format!("cannot read: {err}"),
                    )),
                }
            }
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }
}

impl Theme {
    /// The root-relative URL of a static file with a content hash for cache busting.
    pub fn asset_url(&self, base_path: &str, path: &str) -> String {
        match self.static_files.get(path) {
            Some(bytes) => format!("{base_path}{path}?v={:016x}", fnv1a(bytes)),
            None => format!("{base_path}{path}"),
        }
    }

    /// A minijinja environment with every template of the theme, autoescape on.
    pub fn environment(&self, shown: &str) -> Result<Environment<'static>, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        // Escape `& < > " '` (not `/`, which minijinja escapes too): readable URLs.
        env.set_formatter(|out, state, value| {
            if value.is_safe()
                || value.is_undefined()
                || value.is_none()
                || !matches!(state.auto_escape(), AutoEscape::Html)
            {
                return minijinja::escape_formatter(out, state, value);
            }
            let text = match value.as_str() {
                Some(s) => s.to_string(),
                None => value.to_string(),
            };
            out.write_str(&super::xml::escape_html(&text))?;
            Ok(())
        });
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_function("t", super::locale::template_function(self.locale.clone()));
        // The content is Polish (its search analysis is): on a site in another language, the
        // elements holding its text say so (` lang="pl"`, WCAG 3.1.2); empty on a Polish site.
        let content_lang = if self.locale.lang.get(..2) == Some(CONTENT_LANGUAGE) {
            String::new()
        } else {
            format!(" lang=\"{CONTENT_LANGUAGE}\"")
        };
        // `lang_attr(x.lang)`: the `lang` attribute of an entry's text on a site with
        // translations (`x.lang` is its tag, or "" in the page's language), else `content_lang`.
        let fallback = content_lang.clone();
        env.add_function(
            "lang_attr",
            move |lang: Option<String>| -> minijinja::Value {
                minijinja::Value::from_safe_string(match lang {
                    None => fallback.clone(),
                    Some(l) if l.is_empty() => String::new(),
                    Some(l) => format!(" lang=\"{}\"", super::xml::escape_html(&l)),
                })
            },
        );
        env.add_global(
            "content_lang",
            minijinja::Value::from_safe_string(content_lang),
        );
        let mut errors = Vec::new();
        for (name, source) in &self.templates {
            if let Err(e) = env.add_template_owned(name.clone(), source.clone()) {
                errors.push(
                    Diagnostic::new(format!("{shown}/templates/{name}"), e.to_string())
                        .with_line(e.line()),
                );
            }
        }
        if errors.is_empty() {
            Ok(env)
        } else {
            Err(errors)
        }
    }
}

/// The built-in theme's locale of `lang`, for unit tests.
#[cfg(test)]
pub(crate) fn builtin_locale(lang: &str) -> Arc<Locale> {
    Theme::load_in(Path::new("/nonexistent"), "default", lang, None)
        .expect("the built-in theme")
        .locale
}

/// FNV-1a 64-bit: a small, stable hash for cache-busting asset URLs.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
