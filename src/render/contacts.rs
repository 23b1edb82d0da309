//! The coordinators directory (`kontakty/`, grouped by department), a coordinator's metadata
//! rows, and the coordinators shown on a document's page for the document's sectors.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::frame::{add_fields, page_context, Ctx, Job, Jobs};
use super::markdown::slugify;
use crate::content::model::{ContactInfo, Entry, Kind};

fn tel(p: &str) -> String {
    format!("tel:{}", p.replace([' ', '(', ')', '/', '-'], ""))
}

/// `email`, `mailto`, `phone` and `tel` (links) of a contact, for templates.
pub(super) fn contact_links(email: Option<&str>, phone: Option<&str>) -> Value {
    json!({
        "email": email,
        "mailto": email.map(crate::content::address::mailto),
        "phone": phone,
        "tel": phone.map(tel),
    })
}

/// One coordinator as shown in lists and on documents.
fn contact_value(c: &Ctx, e: &Entry, info: &ContactInfo) -> Value {
    let mut v = json!({
        "name": e.title,
        "url": c.url(&e.url_path),
        "department": info.department,
        "summary": e.summary,
        "lang": c.entry_lang(e),
        "office_hours": info.office_hours,
        "sectors": e.sectors.iter().map(|s| c.sector_name(s)).collect::<Vec<_>>(),
        "freshness": super::freshness::item_value(c.locale(), c.site, e),
    });
    add_fields(
        &mut v,
        contact_links(info.email.as_deref(), info.phone.as_deref()),
    );
    v
}

/// The coordinators for any of `e`'s sectors (none for coordinators themselves).
pub(super) fn coordinators_for(c: &Ctx, e: &Entry) -> Vec<Value> {
    if e.kind == Kind::Kontakt || e.sectors.is_empty() {
        return Vec::new();
    }
    // `c.contacts` is in the order shown: by department, then URL.
    c.contacts
        .iter()
        .filter(|(k, _)| k.sectors.iter().any(|s| e.sectors.contains(s)))
        .map(|(k, i)| contact_value(c, k, i))
        .collect()
}

/// The metadata rows of a coordinator's page.
pub(super) fn contact_rows(c: &Ctx, e: &Entry, info: &ContactInfo) -> Vec<Value> {
    let sectors = c.sector_links(&e.sectors);
    let l = c.locale();
    vec![
        json!({"label": l.text("field.department"), "value": info.department}),
        json!({"label": l.text("field.email"), "value": info.email, "href": info.email.as_ref().map(|m| crate::content::address::mailto(m))}),
        json!({"label": l.text("field.phone"), "value": info.phone, "href": info.phone.as_deref().map(tel)}),
        json!({"label": l.text("contacts.hours"), "value": info.office_hours}),
        json!({"label": l.text("field.sectors"), "links": sectors}),
    ]
}

/// The directory page, grouped by department.
pub(super) fn directory_jobs(c: &Ctx, jobs: &mut Jobs) {
    let Some(section) = c.site.section(Kind::Kontakt) else {
        return;
    };
    type Group<'a> = (String, Vec<(&'a Entry, &'a ContactInfo)>);
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // In the site's order: a department's name is the first spelling met.
    let in_site_order = c.site.entries.iter().filter(|e| e.kind == Kind::Kontakt);
    for (e, i) in in_site_order.filter_map(|e| e.contact.as_ref().map(|i| (e, i))) {
        groups
            .entry(slugify(&i.department))
            .or_insert_with(|| (i.department.clone(), Vec::new()))
            .1
            .push((e, i));
    }
    let departments: Vec<Value> = groups
        .into_iter()
        .map(|(slug, (name, mut list))| {
            list.sort_by_cached_key(|(e, _)| super::pages::name_key(e));
            json!({
                "id": format!("wydzial-{slug}"),
                "name": name,
                "contacts": list.iter().map(|(e, i)| contact_value(c, e, i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let path = "kontakty/";
    let m = c.page(
        "kontakty",
        &section.title,
        section.summary.as_deref().unwrap_or(""),
        Some(path),
        "website",
        c.collection_ld(&section.title, path),
        None,
        &[],
    );
    jobs.push(Job {
        path: format!("{path}index.html"),
        template: "contacts.html",
        ctx: page_context(
            m,
            json!({
                "heading": section.title,
                "summary": section.summary,
                "intro_html": section.body_html,
                "departments": departments,
            }),
        ),
    });
}
