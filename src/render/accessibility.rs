//! The accessibility statement page (`deklaracja-dostepnosci/`, template
//! `accessibility.html`) from the checked `[accessibility]` table of `jawnik.toml`
//! ([`crate::config::accessibility`], which cites the document setting its structure and
//! lists the `a11y-*` ids the template carries). Fields the table leaves out are passed as
//! `null` for the template to mark as not filled in; the missing fields are listed for the
//! page's notice.

use serde_json::{json, Value};

use super::contacts::contact_links;
use super::frame::{add_fields, page_context, Ctx, Job, Jobs};
use crate::config::accessibility::{BarrierKind, Conformance, Statement, PAGE_PATH};
use crate::content::date::Date;

/// `{iso, text}` of a date, or `null`.
fn date(d: Option<Date>) -> Value {
    d.map(|d| json!({"iso": d.to_string(), "text": format!("{} r.", d.polish())}))
        .unwrap_or(Value::Null)
}

/// Paragraphs of a text field (split at blank lines), or `null`.
fn paragraphs(text: &Option<String>) -> Value {
    match text {
        Some(t) => json!(t
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()),
        None => Value::Null,
    }
}

/// The template's view of the statement.
fn statement_value(c: &Ctx, st: &Statement) -> Value {
    let cfg = &c.site.config;
    let barriers = |kind: BarrierKind| -> Vec<Value> {
        st.inaccessible
            .iter()
            .filter(|b| b.kind == kind)
            .map(|b| json!({"what": b.what, "reason": b.reason, "url": b.url}))
            .collect()
    };
    let mut v = json!({
        "body": st.body,
        "site_name": st.site_name.as_deref().unwrap_or(&cfg.title),
        "url": cfg.base_url,
        "published": date(st.published),
        "updated": date(st.updated),
        "status": st.status.map(Conformance::as_str),
        "nonconformities": barriers(BarrierKind::Nonconformity),
        "exempt": barriers(BarrierKind::Exempt),
        "burden": barriers(BarrierKind::Burden),
        "prepared": date(st.prepared),
        "reviewed": date(st.reviewed),
        "audit": st.audit,
        "auditor": st.auditor,
        "report_url": st.report_url,
        "contact": st.contact,
        "complaints": st.complaints,
        "architecture": paragraphs(&st.architecture),
        "architecture_url": st.architecture_url,
        "communication": paragraphs(&st.communication),
        "apps": st.apps.iter().map(|a| json!({"name": a.name, "url": a.url, "statement_url": a.statement_url})).collect::<Vec<_>>(),
        "missing": st.missing.iter().filter_map(|d| d.field.clone()).collect::<Vec<_>>(),
    });
    add_fields(
        &mut v,
        contact_links(st.email.as_deref(), st.phone.as_deref()),
    );
    v
}

/// The statement page, when `jawnik.toml` has the table.
pub(super) fn statement_jobs(c: &Ctx, jobs: &mut Jobs) {
    let Some(st) = &c.site.config.accessibility else {
        return;
    };
    let title = "Deklaracja dostępności";
    let description = format!("Deklaracja dostępności strony {}.", c.site.config.title);
    let m = c.page(
        "deklaracja",
        title,
        &description,
        Some(PAGE_PATH),
        "website",
        json!({
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": title,
            "url": c.site.config.absolute_url(PAGE_PATH),
            "inLanguage": c.site.config.language,
        }),
        None,
        &[],
    );
    jobs.push(Job {
        path: format!("{PAGE_PATH}index.html"),
        template: "accessibility.html",
        ctx: page_context(m, json!({ "statement": statement_value(c, st) })),
    });
}
