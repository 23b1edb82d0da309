//! `sitemap.xml` (every HTML page but the 404, with `lastmod` for entries that have a date)
//! and `robots.txt` pointing at it.

use std::collections::BTreeMap;

use super::xml::escape_xml;
use crate::content::model::Site;

/// The sitemap for the given output paths (only `…index.html` pages are listed).
pub fn sitemap<'a>(site: &Site, paths: impl Iterator<Item = &'a str>) -> String {
    let cfg = &site.config;
    let lastmod: BTreeMap<String, String> = site
        .entries
        .iter()
        .filter_map(|e| {
            e.last_modified()
                .map(|d| (e.url_path.clone(), d.to_string()))
        })
        .collect();
    let mut pages: Vec<String> = paths
        .filter(|p| *p == "index.html" || p.ends_with("/index.html"))
        .map(|p| p.trim_end_matches("index.html").to_string())
        .collect();
    pages.sort();
    pages.dedup();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        x.push_str("  <url><loc>");
        x.push_str(&escape_xml(&cfg.absolute_url(&p)));
        x.push_str("</loc>");
        if let Some(d) = lastmod.get(&p) {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// `robots.txt` allowing everything and naming the sitemap of each language (`uk/sitemap.xml`).
pub fn robots(site: &Site) -> String {
    let mut x = "User-agent: *\nAllow: /\n\n".to_string();
    for l in site.config.all_languages() {
        let prefix = crate::content::translations::prefix(&site.config, l);
        x.push_str(&format!(
            "Sitemap: {}\n",
            site.config
                .root_absolute_url(&format!("{prefix}sitemap.xml"))
        ));
    }
    x
}
