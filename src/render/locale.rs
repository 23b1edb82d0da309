//! The interface language: the theme's locale files (`themes/<theme>/locales/<lang>.toml`,
//! Hugo's `i18n/<lang>.toml` convention), the message of a key in the site's language, plural
//! forms chosen by the CLDR rules of ICU4X (`icu_plurals`), dates and month names, and the
//! `t()` function of the templates.
//!
//! A locale file is TOML. A key holds a string (`skip = "Przejdź do treści"`), a list of
//! strings (`months = […]`), or a plural message: a table of CLDR categories
//! (`one`, `few`, `many`, `other`; `zero` and `two` where a language has them) with
//! `{count}` where the number goes. Other tables group keys: `[nav] search = "Szukaj"` is the
//! key `nav.search`. `{name}` in a message is replaced by the argument `name`
//! (`t("page_of", current=2, total=5)`). Every locale of a theme has the same keys, and a
//! plural message every category its language uses: [`check_locales`] says which are missing,
//! with the file and the line.

use icu_plurals::{PluralCategory, PluralRules};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::xml::escape_html;
use crate::content::date::Date;
use crate::content::diagnostics::{line_of, Diagnostic};
use crate::content::model::{Kind, Status};
use crate::content::postulates::{Answer, Plane};

/// CLDR plural categories, in CLDR's order.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// One message of a locale file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(String),
    List(Vec<String>),
    /// CLDR category → text with `{count}`.
    Plural(BTreeMap<String, String>),
}

impl Message {
    fn kind(&self) -> &'static str {
        match self {
            Message::Text(_) => "a string",
            Message::List(_) => "a list of strings",
            Message::Plural(_) => "a plural table (one, few, many, other…)",
        }
    }
}

/// A parsed locale file: key → message, with each key's line.
#[derive(Debug, Clone, Default)]
pub struct LocaleFile {
    pub messages: BTreeMap<String, Message>,
    lines: BTreeMap<String, usize>,
}

impl LocaleFile {
    /// Parse the text of `<lang>.toml`; `shown` names the file in errors.
    pub fn parse(text: &str, shown: &str) -> Result<LocaleFile, Vec<Diagnostic>> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            vec![Diagnostic::new(shown, e.message().trim().to_string())
                .with_line(e.span().map(|s| line_of(text, s.start)))]
        })?;
        let mut file = LocaleFile::default();
        let mut errors = Vec::new();
        file.flatten("", &table, text, shown, &mut errors);
        if errors.is_empty() {
            Ok(file)
        } else {
            Err(errors)
        }
    }

    fn flatten(
        &mut self,
        prefix: &str,
        table: &toml::Table,
        text: &str,
        shown: &str,
        errors: &mut Vec<Diagnostic>,
    ) {
        for (k, v) in table {
            let key = format!("{prefix}{k}");
            let line = key_line(text, &key);
            let message = match v {
                toml::Value::String(s) => Message::Text(s.clone()),
                toml::Value::Array(items) => {
                    match items.iter().map(|i| i.as_str().map(String::from)).collect() {
                        Some(list) => Message::List(list),
                        None => {
                            errors.push(
                                Diagnostic::new(shown, "must be a list of strings")
                                    .field(key)
                                    .with_line(line),
                            );
                            continue;
                        }
                    }
                }
                toml::Value::Table(t) if t.contains_key("other") => {
                    let mut forms = BTreeMap::new();
                    for (c, form) in t {
                        match (CATEGORIES.contains(&c.as_str()), form.as_str()) {
                            (true, Some(s)) => {
                                forms.insert(c.clone(), s.to_string());
                            }
                            _ => errors.push(
                                Diagnostic::new(
                                    shown,
                                    format!(
                                        "a plural message holds strings under the CLDR categories {}, got `{c}`",
                                        CATEGORIES.join(", ")
                                    ),
                                )
                                .field(key.clone())
                                .with_line(line),
                            ),
                        }
                    }
                    Message::Plural(forms)
                }
                toml::Value::Table(t) => {
                    self.flatten(&format!("{key}."), t, text, shown, errors);
                    continue;
                }
                _ => {
                    errors.push(
                        Diagnostic::new(
                            shown,
                            "must be a string, a list of strings or a plural table",
                        )
                        .field(key)
                        .with_line(line),
                    );
                    continue;
                }
            };
            if let Some(l) = line {
                self.lines.insert(key.clone(), l);
            }
            self.messages.insert(key, message);
        }
    }

    /// Add the messages of `other` (a theme's file over the built-in one); lines are those
    /// of `other`'s file, the one errors name.
    pub fn overlay(&mut self, other: LocaleFile) {
        self.messages.extend(other.messages);
        self.lines = other.lines;
    }
}

/// The line where `a.b.c` is written: `c = …` after a `[a.b]` header, or `[a.b.c]` itself.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let (table, last) = match key.rsplit_once('.') {
        Some((t, l)) => (t, l),
        None => ("", key),
    };
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(h) = l.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            current = h.trim().to_string();
            if current == key {
                return Some(i + 1);
            }
            continue;
        }
        let name = l.split('=').next().unwrap_or("").trim().trim_matches('"');
        if current == table && name == last && l.contains('=') {
            return Some(i + 1);
        }
    }
    None
}

/// The interface language of a site: its messages and plural rules.
#[derive(Debug)]
pub struct Locale {
    /// The language tag (`pl`, `uk`, `en`).
    pub lang: String,
    messages: BTreeMap<String, Message>,
    rules: PluralRules,
}

impl Locale {
    /// The locale of `lang` from its file (already checked complete).
    pub fn new(lang: &str, file: LocaleFile) -> Result<Locale, String> {
        let rules = plural_rules(lang)?;
        Ok(Locale {
            lang: lang.to_string(),
            messages: file.messages,
            rules,
        })
    }

    /// The CLDR category of `n` in this language (`one`, `few`, `many`, `other`…).
    pub fn category(&self, n: u64) -> &'static str {
        category_name(self.rules.category_for(n))
    }

    /// The text of `key`. The built-in locale files have every key jawnik asks for (a
    /// theme's files can only add keys), so a missing one is a bug: it shows as `""`, and
    /// `every_key_jawnik_uses_is_in_the_builtin_locales` guards it.
    pub fn text(&self, key: &str) -> &str {
        match self.messages.get(key) {
            Some(Message::Text(s)) => s,
            _ => "",
        }
    }

    /// The text of `key` with `{name}` replaced by each argument.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.text(key), args)
    }

    /// The plural message `key` for `n`, `{count}` replaced by `n`, and the other arguments.
    pub fn plural(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let count = n.to_string();
        let mut all = vec![("count", count.as_str())];
        all.extend_from_slice(args);
        fill(self.form(key, Some(n)), &all)
    }

    /// The text of `key` as written, for `n` the form of its plural category.
    fn form(&self, key: &str, n: Option<u64>) -> &str {
        match (self.messages.get(key), n) {
            (Some(Message::Plural(forms)), Some(n)) => forms
                .get(self.category(n))
                .or_else(|| forms.get("other"))
                .map(String::as_str)
                .unwrap_or(""),
            _ => self.text(key),
        }
    }

    /// The list `key` (month names).
    pub fn list(&self, key: &str) -> &[String] {
        match self.messages.get(key) {
            Some(Message::List(l)) => l,
            _ => &[],
        }
    }

    fn month(&self, key: &str, month: u8) -> &str {
        self.list(key)
            .get((month as usize).saturating_sub(1))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// A date as the pages show it (`7 grudnia 2026`, `7 грудня 2026`, `7 December 2026`).
    pub fn date(&self, d: Date) -> String {
        let (day, year) = (d.day.to_string(), d.year.to_string());
        self.format(
            "date.format",
            &[
                ("day", &day),
                ("month", self.month("date.months_genitive", d.month)),
                ("year", &year),
            ],
        )
    }

    /// A month with its year, for calendar headings (`grudzień 2026`).
    pub fn month_year(&self, d: Date) -> String {
        let year = d.year.to_string();
        self.format(
            "date.month_year",
            &[
                ("month", self.month("date.months", d.month)),
                ("year", &year),
            ],
        )
    }

    /// A kind's label, singular (`Strategia`).
    pub fn kind(&self, k: Kind) -> &str {
        self.text(&format!("kind.{}", k.name()))
    }

    /// A kind's label, plural (`Strategie`).
    pub fn kinds(&self, k: Kind) -> &str {
        self.text(&format!("kinds.{}", k.name()))
    }

    /// A document status's label (`Obowiązuje`).
    pub fn status(&self, s: Status) -> &str {
        self.text(&format!("status.{}", s.slug()))
    }

    /// The label of the city's answer to a postulate (`W realizacji`).
    pub fn answer(&self, a: Answer) -> &str {
        self.text(&format!("answer.{}", a.slug()))
    }

    /// The label of a plane of cooperation.
    pub fn plane(&self, p: Plane) -> &str {
        self.text(&format!("plane.{}", p.value()))
    }

    /// "14 akapitów zmienionych, 3 dodane, 1 usunięty": the non-zero counts of a comparison,
    /// the first with the noun (`compare.first.*`, then `compare.more.*`), as the comparison
    /// page's `counts` macro (partials/compare.html) writes them; `None` when nothing changed.
    pub fn change_counts(&self, c: &jawnik_compare::Counts) -> Option<String> {
        let parts: Vec<String> = [
            (c.changed, "changed"),
            (c.added, "added"),
            (c.removed, "removed"),
            (c.moved_here, "moved_here"),
            (c.moved_away, "moved_away"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .enumerate()
        .map(|(i, (n, what))| {
            let key = format!("compare.{}.{what}", if i == 0 { "first" } else { "more" });
            self.plural(&key, n as u64, &[])
        })
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The messages the search page's script needs (keys under `search.`, and how dates are
    /// written), as JSON for the page (`search.js` picks plural forms with the browser's CLDR
    /// rules).
    pub fn script_messages(&self) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        for (k, m) in &self.messages {
            if !(k.starts_with("search.") || k == "date.format" || k == "date.months_genitive") {
                continue;
            }
            let v = match m {
                Message::Text(s) => serde_json::json!(s),
                Message::List(l) => serde_json::json!(l),
                Message::Plural(f) => serde_json::json!(f),
            };
            out.insert(k.clone(), v);
        }
        serde_json::Value::Object(out)
    }
}

fn plural_rules(lang: &str) -> Result<PluralRules, String> {
    let id: icu_locale_core::Locale = lang
        .parse()
        .map_err(|e| format!("`{lang}` is not a language tag: {e}"))?;
    PluralRules::try_new_cardinal((&id).into())
        .map_err(|e| format!("no plural rules for `{lang}`: {e}"))
}

/// `{name}` → its argument; unknown names stay as written.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What is missing in the locale files of a theme (`lang` → file, with the name shown in
/// errors): a key some locale has and another lacks, a message of another type, a plural
/// category the language uses. Every locale is checked against the union of all keys.
pub fn check_locales(files: &BTreeMap<String, (String, LocaleFile)>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut all: BTreeMap<&str, (&str, &Message)> = BTreeMap::new();
    for (lang, (_, file)) in files {
        for (k, m) in &file.messages {
            all.entry(k.as_str()).or_insert((lang.as_str(), m));
        }
    }
    for (lang, (shown, file)) in files {
        let rules = match plural_rules(lang) {
            Ok(r) => r,
            Err(why) => {
                errors.push(Diagnostic::new(shown.clone(), why));
                continue;
            }
        };
        for (key, (from, example)) in &all {
            let Some(m) = file.messages.get(*key) else {
                errors.push(
                    Diagnostic::new(
                        shown.clone(),
                        format!("key missing (the `{from}` locale has it)"),
                    )
                    .field(*key),
                );
                continue;
            };
            let line = file.lines.get(*key).copied();
            if std::mem::discriminant(m) != std::mem::discriminant(*example) {
                errors.push(
                    Diagnostic::new(
                        shown.clone(),
                        format!("is {}, in the `{from}` locale {}", m.kind(), example.kind()),
                    )
                    .field(*key)
                    .with_line(line),
                );
            }
            if let Message::Plural(forms) = m {
                let missing: Vec<&str> = rules
                    .categories()
                    .map(category_name)
                    .filter(|c| !forms.contains_key(*c))
                    .collect();
                if !missing.is_empty() {
                    errors.push(
                        Diagnostic::new(
                            shown.clone(),
                            format!("plural form missing: `{lang}` needs {}", missing.join(", ")),
                        )
                        .field(*key)
                        .with_line(line),
                    );
                }
            }
            if let (Message::List(l), Message::List(e)) = (m, example) {
                if l.len() != e.len() {
                    errors.push(
                        Diagnostic::new(
                            shown.clone(),
                            format!("has {} items, in the `{from}` locale {}", l.len(), e.len()),
                        )
                        .field(*key)
                        .with_line(line),
                    );
                }
            }
        }
    }
    errors
}

/// The `t(key, **args)` function of the templates: the text of `key`, or with `count=n` the
/// plural form for `n`; other arguments fill `{name}`. The result is escaped as any text is;
/// an argument marked safe (`t("k", file="<code>jawnik.toml</code>"|safe)`) goes in as
/// markup, the message around it escaped.
pub fn template_function(
    locale: Arc<Locale>,
) -> impl Fn(&str, minijinja::value::Kwargs) -> Result<minijinja::Value, minijinja::Error>
       + Send
       + Sync
       + 'static {
    move |key: &str, kwargs: minijinja::value::Kwargs| {
        let error = |why: String| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("t(\"{key}\"): {why}"),
            )
        };
        if !locale.messages.contains_key(key) {
            return Err(error(format!(
                "no such key in the `{}` locale of the theme",
                locale.lang
            )));
        }
        let mut args: Vec<(String, String, bool)> = Vec::new();
        let mut count = None;
        for name in kwargs.args() {
            let v: minijinja::Value = kwargs.get(name)?;
            if name == "count" {
                count =
                    Some(u64::try_from(v.clone()).map_err(|_| {
                        error(format!("count must be a whole number ≥ 0, got {v}"))
                    })?);
            }
            let text = match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_string(),
            };
            args.push((name.to_string(), text, v.is_safe()));
        }
        let count_text = count.map(|n| n.to_string());
        let form = locale.form(key, count);
        if !args.iter().any(|a| a.2) {
            let mut refs: Vec<(&str, &str)> = args
                .iter()
                .map(|(n, v, _)| (n.as_str(), v.as_str()))
                .collect();
            if let Some(c) = &count_text {
                refs.push(("count", c));
            }
            return Ok(minijinja::Value::from(fill(form, &refs)));
        }
        let mut escaped: Vec<(String, String)> = args
            .iter()
            .map(|(n, v, safe)| (n.clone(), if *safe { v.clone() } else { escape_html(v) }))
            .collect();
        if let Some(c) = count_text {
            escaped.push(("count".into(), c));
        }
        let refs: Vec<(&str, &str)> = escaped
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        Ok(minijinja::Value::from_safe_string(fill(
            &escape_html(form),
            &refs,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_names_only() {
        assert_eq!(
            fill("{a} i {b} {c}", &[("a", "1"), ("b", "2")]),
            "1 i 2 {c}"
        );
        assert_eq!(fill("{", &[]), "{");
    }

    #[test]
    fn keys_flatten_with_their_lines() {
        let f = LocaleFile::parse(
            "a = \"x\"\n[g]\nb = \"y\"\n[g.n]\none = \"{count} x\"\nother = \"{count} xs\"\n",
            "pl.toml",
        )
        .unwrap();
        assert_eq!(f.messages.len(), 3);
        assert_eq!(f.lines.get("g.b"), Some(&3));
        assert_eq!(f.lines.get("g.n"), Some(&4));
    }
}
