//! Rendering the validated site: [`site`] renders it all, each page kind making its pages
//! on the common frame ([`frame`]: scope, job, the context every page shares) — the site's
//! own pages ([`pages`]: home, lists, taxonomies; [`entries`]: each document's, call's,
//! coordinator's and NGO entry's page), the calls calendar
//! and its iCalendar feeds ([`calendar`]), the coordinators directory ([`contacts`]), the
//! postulates table and tracker ([`postulates`]), the accessibility statement
//! ([`accessibility`]), the open-data files and their page ([`open_data`]), what directory
//! entries say about their freshness ([`freshness`]) — with Markdown turned into sanitised HTML ([`markdown`]) with anchors
//! that never take the theme's ids ([`ids`]), the minijinja environment and theme
//! ([`templates`]) with the interface language ([`locale`]) and the search page's facet labels ([`labels`]), Atom feeds ([`feeds`]), the sitemap and robots.txt ([`sitemap`]), and the
//! one escaper of HTML, XML and iCalendar text ([`xml`]); a document's versions and the
//! comparison pages of consecutive ones ([`versions`]) and the changes feeds of those
//! comparisons ([`changes`]); the site in each of its languages ([`languages`]).

pub mod accessibility;
pub mod calendar;
pub mod changes;
pub mod contacts;
pub mod css;
pub mod entries;
pub mod feeds;
pub mod frame;
pub mod freshness;
pub mod ids;
pub mod labels;
pub mod languages;
pub mod locale;
pub mod markdown;
pub mod open_data;
pub mod pages;
pub mod postulates;
pub mod site;
pub mod sitemap;
pub mod templates;
pub mod versions;
pub mod xml;
