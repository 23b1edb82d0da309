//! Postulates on pages: the table on a report's page (one anchor per postulate, narrowed by
//! status and sector with an external script), and the site-wide tracker (`postulaty/`) with
//! counts per status and per plane and a bar chart drawn at build time as inline SVG
//! (title, description, a pattern and a written count per bar: readable without colour), and
//! the Atom feed of the city's answers (`postulaty/atom.xml`: answered postulates only, dated
//! by their answer; jawnik never invents a date).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::frame::{page_context, Ctx, Job, Jobs, TRACKER_PATH};
use super::locale::Locale;
use super::xml::escape_xml;
use crate::content::date::Date;
use crate::content::model::{Entry, Kind, Site};
use crate::content::postulates::{Answer, Plane, Postulate};
use crate::output::OutputFile;

/// The feed of the city's answers.
pub const FEED_PATH: &str = "postulaty/atom.xml";

/// The comparisons made for the rows' answers, by document (see
/// [`super::versions::answer_value`]).
type Views = BTreeMap<String, Option<jawnik_compare::view::PageView>>;

fn row(c: &Ctx, e: &Entry, p: &Postulate, views: &mut Views) -> Value {
    let l = c.locale();
    let answer = p
        .answer_ref
        .as_ref()
        .map(|r| super::versions::answer_value(c, r, views));
    json!({
        "answer_ref": answer,
        "number": p.number,
        "anchor": p.anchor,
        "url": c.url(&format!("{}#{}", e.url_path, p.anchor)),
        "text": p.text,
        "plane": p.plane.value(),
        "plane_label": l.plane(p.plane),
        "sector": p.sector.as_ref().map(|s| c.sector_name(s)),
        "sector_slug": p.sector.clone().unwrap_or_default(),
        "department": p.department,
        "status": l.answer(p.status),
        "status_slug": p.status.slug(),
        "answered": p.answered.map(|d| l.date(d)),
        "answered_iso": p.answered.map(|d| d.to_string()),
        "reason": p.reason,
    })
}

/// Counts per status, in [`Answer::ALL`] order.
pub fn counts<'a>(list: impl Iterator<Item = &'a Postulate>) -> [usize; 4] {
    let mut n = [0; 4];
    for p in list {
        if let Some(i) = Answer::ALL.iter().position(|a| *a == p.status) {
            n[i] += 1;
        }
    }
    n
}

/// The postulates block of a report's page (null when it lists none).
pub(super) fn report_value(c: &Ctx, e: &Entry) -> Value {
    if e.postulates.is_empty() {
        return Value::Null;
    }
    let n = counts(e.postulates.iter());
    let mut views = Views::new();
    let statuses: Vec<Value> = Answer::ALL
        .iter()
        .zip(n)
        .filter(|(_, k)| *k > 0)
        .map(|(a, k)| json!({"slug": a.slug(), "label": c.locale().answer(*a), "count": k}))
        .collect();
    let sectors: Vec<Value> = c
        .site
        .config
        .sectors
        .iter()
        .filter_map(|t| {
            let k = e
                .postulates
                .iter()
                .filter(|p| p.sector.as_deref() == Some(t.slug.as_str()))
                .count();
            (k > 0).then(|| json!({"slug": t.slug, "name": t.name, "count": k}))
        })
        .collect();
    json!({
        "rows": e.postulates.iter().map(|p| row(c, e, p, &mut views)).collect::<Vec<_>>(),
        "count": e.postulates.len(),
        "statuses": statuses,
        "sectors": sectors,
        "tracker_url": c.url(TRACKER_PATH),
    })
}

/// The pattern of each status's bar, so the chart reads without colour.
fn pattern(a: Answer) -> &'static str {
    match a {
        Answer::Przyjety => "wzor-przyjety",
        Answer::WRealizacji => "wzor-w-realizacji",
        Answer::Odrzucony => "wzor-odrzucony",
        Answer::BezOdpowiedzi => "wzor-bez-odpowiedzi",
    }
}

const CHART_WIDTH: u32 = 640;
const LABEL_WIDTH: u32 = 150;
const BAR_MAX: u32 = 380;
const ROW: u32 = 44;

/// The bar chart of postulates per status: an inline SVG with `<title>` and `<desc>`, each
/// bar with its own pattern, its label and its count written beside it.
pub fn chart_svg(l: &Locale, n: [usize; 4]) -> String {
    let total: usize = n.iter().sum();
    let max = n.iter().copied().max().unwrap_or(0).max(1);
    let height = ROW * 4 + 16;
    let desc = Answer::ALL
        .iter()
        .zip(n)
        .map(|(a, k)| format!("{}: {k}", l.answer(*a).to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"wykres-tytul wykres-opis\">\n"
    );
    s.push_str(&format!(
        "<title id=\"wykres-tytul\">{}</title>\n",
        escape_xml(&l.format("postulates.chart_title", &[("total", &total.to_string())]))
    ));
    s.push_str(&format!(
        "<desc id=\"wykres-opis\">{}</desc>\n",
        escape_xml(&l.format("postulates.chart_desc", &[("counts", &desc)]))
    ));
    s.push_str(concat!(
        "<defs>\n",
        "<pattern id=\"wzor-przyjety\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"#1b6b3a\"/></pattern>\n",
        "<pattern id=\"wzor-w-realizacji\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"#cfe8d8\"/><path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" stroke=\"#1b6b3a\" stroke-width=\"2\"/></pattern>\n",
        "<pattern id=\"wzor-odrzucony\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"#f6d5d2\"/><path d=\"M0,0 l8,8 M8,0 l-8,8\" stroke=\"#8f1d14\" stroke-width=\"1.5\"/></pattern>\n",
        "<pattern id=\"wzor-bez-odpowiedzi\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"#eeeeee\"/><circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#444444\"/></pattern>\n",
        "</defs>\n"
    ));
    for (i, (a, k)) in Answer::ALL.iter().zip(n).enumerate() {
        let y = 8 + i as u32 * ROW;
        let w = (k as u64 * BAR_MAX as u64 / max as u64) as u32;
        let percent = if total > 0 {
            (k as f64 * 100.0 / total as f64).round() as u32
        } else {
            0
        };
        s.push_str(&format!(
            "<g class=\"bar bar-{}\">\n<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"15\" fill=\"#1a1a1a\">{}</text>\n",
            a.slug(),
            LABEL_WIDTH - 10,
            y + 23,
            escape_xml(l.answer(*a))
        ));
        s.push_str(&format!(
            "<rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{w}\" height=\"30\" fill=\"url(#{})\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n",
            y + 4,
            pattern(*a)
        ));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"15\" fill=\"#1a1a1a\">{k} ({percent}%)</text>\n</g>\n",
            LABEL_WIDTH + w + 8,
            y + 23
        ));
    }
    s.push_str("</svg>");
    s
}

/// The tracker page: every postulate of every report, with counts and the chart.
pub(super) fn tracker_jobs(c: &Ctx, jobs: &mut Jobs) {
    let site = c.site;
    if !c.has_postulates {
        return;
    }
    let l = c.locale();
    let all = site.entries.iter().flat_map(|e| e.postulates.iter());
    let n = counts(all.clone());
    let total: usize = n.iter().sum();
    let statuses: Vec<Value> = Answer::ALL
        .iter()
        .zip(n)
        .map(|(a, k)| json!({"slug": a.slug(), "label": l.answer(*a), "count": k}))
        .collect();
    let planes: Vec<Value> = Plane::ALL
        .iter()
        .map(|p| {
            let per = counts(all.clone().filter(|x| x.plane == *p));
            json!({"label": l.plane(*p), "counts": per, "total": per.iter().sum::<usize>()})
        })
        .collect();
    let mut views = Views::new();
    let reports: Vec<Value> = site
        .entries
        .iter()
        .filter(|e| !e.postulates.is_empty())
        .map(|e| {
            json!({
                "title": e.title,
                "url": c.url(&e.url_path),
                "lang": c.entry_lang(e),
                "rows": e.postulates.iter().map(|p| row(c, e, p, &mut views)).collect::<Vec<_>>(),
                "counts": counts(e.postulates.iter()),
            })
        })
        .collect();
    let title = l.text("postulates.title");
    let feed_title = l.format("postulates.feed_title", &[("site", &site.config.title)]);
    let m = c.page(
        "postulaty",
        title,
        l.text("postulates.summary"),
        Some(TRACKER_PATH),
        "website",
        c.collection_ld(title, TRACKER_PATH),
        Some((&feed_title, FEED_PATH)),
        &[],
    );
    jobs.push(Job {
        path: format!("{TRACKER_PATH}index.html"),
        template: "postulates.html",
        ctx: page_context(
            m,
            json!({
                "heading": title,
                "total": total,
                "statuses": statuses,
                "status_labels": Answer::ALL.map(|a| l.answer(a)),
                "planes": planes,
                "chart_svg": chart_svg(l, n),
                "reports": reports,
            }),
        ),
    });
}

/// The Atom feed of answered postulates, latest answer first (at most
/// [`super::feeds::FEED_LIMIT`]); `None` when no report lists postulates.
pub fn answers_feed(site: &Site, l: &Locale) -> Option<OutputFile> {
    if !site.has_postulates() {
        return None;
    }
    let cfg = &site.config;
    let mut answered: Vec<(&Entry, &Postulate, Date)> = site
        .entries
        .iter()
        .flat_map(|e| {
            e.postulates
                .iter()
                .filter_map(move |p| p.answered.map(|d| (e, p, d)))
        })
        .collect();
    answered.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| a.0.url_path.cmp(&b.0.url_path))
            .then_with(|| a.1.number.cmp(&b.1.number))
    });
    answered.truncate(super::feeds::FEED_LIMIT);
    let stamp = |d: Date| format!("{d}T00:00:00Z");
    let updated = answered
        .first()
        .map(|(_, _, d)| stamp(*d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let self_url = cfg.absolute_url(FEED_PATH);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape_xml(&cfg.language)
    ));
    x.push_str(&format!(
        "  <title>{}</title>\n  <id>{}</id>\n",
        escape_xml(&l.format("postulates.feed_title", &[("site", &cfg.title)])),
        escape_xml(&self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(&cfg.absolute_url(TRACKER_PATH))
    ));
    x.push_str(&format!(
        "  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>jawnik</generator>\n",
        escape_xml(&cfg.title)
    ));
    for (e, p, d) in answered {
        let url = cfg.absolute_url(&format!("{}#{}", e.url_path, p.anchor));
        let mut summary = format!(
            "{}\n\n{}: {}",
            p.text,
            l.text("postulates.answer"),
            l.answer(p.status)
        );
        if let Some(r) = &p.reason {
            summary.push_str(&format!(". {r}"));
        }
        summary.push_str(&format!("\n{}: {}", l.kind(Kind::Raport), e.title));
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&format!("{}: {}", l.answer(p.status), p.text))
        ));
        x.push_str(&format!("    <id>{}</id>\n", escape_xml(&url)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&url)
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", stamp(d)));
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            p.status.slug(),
            escape_xml(l.answer(p.status))
        ));
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n  </entry>\n",
            escape_xml(&summary)
        ));
    }
    x.push_str("</feed>\n");
    Some(OutputFile {
        path: FEED_PATH.into(),
        contents: x.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_title_description_and_proportional_bars() {
        let l = crate::render::templates::builtin_locale("pl");
        let svg = chart_svg(&l, [1, 0, 2, 4]);
        assert!(svg.contains(
            "<title id=\"wykres-tytul\">Postulaty według odpowiedzi miasta (razem 7)</title>"
        ));
        assert!(svg.contains("bez odpowiedzi: 4"));
        assert!(svg.contains(&format!(
            "width=\"{BAR_MAX}\" height=\"30\" fill=\"url(#wzor-bez-odpowiedzi)\""
        )));
        assert!(svg.contains(&format!(
            "width=\"{}\" height=\"30\" fill=\"url(#wzor-odrzucony)\"",
            BAR_MAX / 2
        )));
        assert!(svg.contains("4 (57%)"));
    }
}
