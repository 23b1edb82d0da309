//! The theme and the minijinja environment: templates from `themes/<theme>/templates` (or
//! the built-in copy of `themes/default` when the site has no such folder), autoescape on
//! for every template, and the theme's static files with content-hash cache busting.

use minijinja::{AutoEscape, Environment};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

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
];

/// A loaded theme.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` → bytes; copied to the output root.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Load `themes/<name>` from the site root, or the built-in default theme.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Self::from_dir(&dir, &format!("themes/{name}"));
        }
        if name == "default" {
            let mut theme = Theme::default();
            for (path, bytes) in DEFAULT_THEME {
                theme
                    .insert(path, bytes.to_vec(), "themes/default")
                    .map_err(|d| vec![d])?;
            }
            return Ok(theme);
        }
        Err(vec![Diagnostic::new(
            "jawnik.toml",
            format!("theme folder themes/{name} not found"),
        )
        .field("theme")])
    }

    fn insert(&mut self, path: &str, bytes: Vec<u8>, shown: &str) -> Result<(), Diagnostic> {
        if let Some(t) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::new(format!("{shown}/{path}"), "the template is not valid UTF-8")
            })?;
            self.templates.insert(t.to_string(), text);
        } else if let Some(s) = path.strip_prefix("static/") {
            self.static_files.insert(s.to_string(), bytes);
        }
        Ok(())
    }

    fn from_dir(dir: &Path, shown: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let mut errors = Vec::new();
        for sub in ["templates", "static"] {
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

/// FNV-1a 64-bit: a small, stable hash for cache-busting asset URLs.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
