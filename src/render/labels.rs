//! The labels the browser's search page shows for facet values (kinds, sectors, districts,
//! statuses, answers), in the site's interface language: what the search export writes
//! beside its shards.

use crate::content::model::{Kind, Site, Status};
use crate::export::Labels;
use crate::render::locale::Locale;

/// The labels the search page shows for facet values.
pub fn search_labels(site: &Site, l: &Locale) -> Labels {
    let mut labels = Labels::new();
    let kinds = labels.entry("kind".into()).or_default();
    for kind in Kind::ALL {
        kinds.insert(kind.name().into(), l.kind(kind).into());
    }
    kinds.insert("sekcja".into(), l.text("kind_extra.sekcja").into());
    kinds.insert(
        crate::index::POSTULATE_KIND.into(),
        l.text("kind_extra.postulat").into(),
    );
    for (facet, terms) in [
        ("sector", &site.config.sectors),
        ("district", &site.config.districts),
    ] {
        let map = labels.entry(facet.into()).or_default();
        for t in terms {
            map.insert(t.slug.clone(), t.name.clone());
        }
    }
    let statuses = labels.entry("status".into()).or_default();
    for status in [
        Status::Projekt,
        Status::Konsultacje,
        Status::Obowiazuje,
        Status::Archiwalny,
    ] {
        statuses.insert(status.value().into(), l.status(status).into());
    }
    for answer in crate::content::postulates::Answer::ALL {
        statuses.insert(answer.value().into(), l.answer(answer).into());
    }
    labels
}
