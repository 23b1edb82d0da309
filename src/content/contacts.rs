//! Coordinators of cooperation in city departments (`kontakty`: department, person or role,
//! e-mail, phone, office hours): the front-matter struct and its validation.

use serde::Deserialize;
use toml::value::Datetime;
use toml::Spanned;

use super::model::{ContactInfo, Entry};
use super::validate::FileCheck;
use crate::config::Config;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    name: Option<Spanned<String>>,
    department: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    email: Option<Spanned<String>>,
    phone: Option<Spanned<String>>,
    office_hours: Option<Spanned<String>>,
    sectors: Option<Vec<Spanned<String>>>,
    verified: Option<Spanned<Datetime>>,
    sources: Option<Vec<String>>,
    slug: Option<Spanned<String>>,
}

/// Validate a coordinator (`kontakty/*.md`) into `entry`.
pub(crate) fn load_contact(c: &mut FileCheck, config: &Config, raw: RawContact, entry: &mut Entry) {
    let name_given = raw.name.is_some();
    entry.title = c.required("name", raw.name);
    let department = c.required("department", raw.department);
    entry.summary = c.required("summary", raw.summary);
    let email = c.email(raw.email.clone());
    let phone = c.phone(raw.phone.clone());
    if raw.email.is_none() && raw.phone.is_none() && name_given {
        c.err::<()>(
            "email",
            None,
            "a coordinator needs at least one of `email` and `phone`",
        );
    }
    let office_hours = c.optional("office_hours", raw.office_hours);
    entry.sectors = c.vocabulary("sectors", "sectors", raw.sectors, &config.sectors);
    entry.verified = super::freshness::load(c, raw.verified);
    entry.sources = raw.sources.unwrap_or_default();
    let (slug, line) = c.slug(raw.slug, &entry.translation_key);
    entry.slug = slug;
    entry.slug_line = line;
    entry.issuer = Some(department.clone());
    entry.contact = Some(Box::new(ContactInfo {
        department,
        email,
        phone,
        office_hours,
    }));
}
