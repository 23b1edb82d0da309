//! What organisation and coordinator pages and lists say about how fresh an entry is
//! ([`crate::content::freshness`]): "Dane potwierdzone: …", the note "dane mogą być
//! nieaktualne" past the threshold or without a date, the "Zgłoś zmianę" link, and the data
//! the NGO directory's freshness filter and sort read (`data-verified`, `data-freshness`).

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::locale::Locale;
use crate::config::directory::{ReportChange, PATH_PLACEHOLDER};
use crate::config::Config;
use crate::content::freshness::{self, Freshness};
use crate::content::model::{Entry, Site};

/// `12 miesięcy`, `1 miesiąc`, `3 miesiące`, `22 miesiące`.
pub fn months_label(l: &Locale, n: u32) -> String {
    l.plural("freshness.months", n.into(), &[])
}

/// `w ciągu 12 miesięcy`, `w ciągu 1 miesiąca` (the genitive after *w ciągu*).
pub fn within_months(l: &Locale, n: u32) -> String {
    l.plural("freshness.within_months", n.into(), &[])
}

/// For list items: `{state, iso, text, doubtful}`, or `null` for kinds without `verified`.
pub(super) fn item_value(l: &Locale, site: &Site, e: &Entry) -> Value {
    if !freshness::tracked(e.kind) {
        return Value::Null;
    }
    let state = freshness::of(e, &site.config, site.today);
    let verified = e.verified.map(|v| v.date);
    json!({
        "state": state.slug(),
        "doubtful": state.doubtful(),
        "iso": verified.map(|d| d.to_string()),
        "text": verified.map(|d| l.format("date.with_year_mark", &[("date", &l.date(d))])),
    })
}

/// For an entry page: [`item_value`] with the note's wording and the "Zgłoś zmianę" link.
pub(super) fn entry_value(l: &Locale, site: &Site, e: &Entry) -> Value {
    let mut v = item_value(l, site, e);
    let Some(o) = v.as_object_mut() else {
        return v;
    };
    let months = months_label(l, site.config.directory.stale_after_months);
    let state = freshness::of(e, &site.config, site.today);
    let note = match state {
        Freshness::Confirmed => None,
        Freshness::Stale => Some(l.format("freshness.stale_note", &[("months", &months)])),
        Freshness::Unconfirmed => Some(l.text("freshness.never_confirmed").to_string()),
    };
    o.insert("note".into(), json!(note));
    o.insert(
        "report_url".into(),
        json!(report_change_url(l, &site.config, e)),
    );
    v
}

/// The directory's freshness filter: each state with its label and count on the whole list.
pub(super) fn filter_value(l: &Locale, site: &Site, entries: &[&Entry]) -> Value {
    let n = site.config.directory.stale_after_months;
    Value::Array(
        Freshness::ALL
            .iter()
            .map(|&s| {
                let label = match s {
                    Freshness::Confirmed => l.format(
                        "freshness.filter_confirmed",
                        &[("within", &within_months(l, n))],
                    ),
                    Freshness::Stale => {
                        l.format("freshness.filter_stale", &[("months", &months_label(l, n))])
                    }
                    Freshness::Unconfirmed => l.text("freshness.filter_unconfirmed").to_string(),
                };
                let count = entries
                    .iter()
                    .filter(|e| freshness::of(e, &site.config, site.today) == s)
                    .count();
                json!({"value": s.slug(), "label": label, "count": count})
            })
            .collect(),
    )
}

/// Where the entry page's "Zgłoś zmianę" link leads, if `report_change` is set: the address
/// with a subject naming the page, or the edit URL of the entry's file.
fn report_change_url(l: &Locale, config: &Config, e: &Entry) -> Option<String> {
    match config.directory.report_change.as_ref()? {
        ReportChange::Mailto(address) => {
            let subject = l.format(
                "freshness.report_subject",
                &[
                    ("title", &e.title),
                    ("url", &config.absolute_url(&e.url_path)),
                ],
            );
            Some(format!(
                "{}?subject={}",
                crate::content::address::mailto(address),
                utf8_percent_encode(&subject, NON_ALPHANUMERIC)
            ))
        }
        ReportChange::EditUrl(pattern) => Some(pattern.replace(
            PATH_PLACEHOLDER,
            &crate::content::address::encode_path(&e.source_file),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{months_label, within_months};
    use crate::render::templates::builtin_locale;

    #[test]
    fn polish_plurals() {
        let l = &builtin_locale("pl");
        assert_eq!(months_label(l, 1), "1 miesiąc");
        assert_eq!(months_label(l, 3), "3 miesiące");
        assert_eq!(months_label(l, 12), "12 miesięcy");
        assert_eq!(months_label(l, 22), "22 miesiące");
        assert_eq!(months_label(l, 25), "25 miesięcy");
        assert_eq!(within_months(l, 1), "w ciągu 1 miesiąca");
        assert_eq!(within_months(l, 3), "w ciągu 3 miesięcy");
    }

    #[test]
    fn ukrainian_and_english_plurals() {
        let uk = &builtin_locale("uk");
        assert_eq!(months_label(uk, 1), "1 місяць");
        assert_eq!(months_label(uk, 3), "3 місяці");
        assert_eq!(months_label(uk, 12), "12 місяців");
        assert_eq!(months_label(uk, 21), "21 місяць");
        let en = &builtin_locale("en");
        assert_eq!(months_label(en, 1), "1 month");
        assert_eq!(months_label(en, 12), "12 months");
        assert_eq!(within_months(en, 12), "within the last 12 months");
    }
}
