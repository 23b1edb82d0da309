//! Content loading: finding files ([`walk`]), splitting and parsing front matter
//! ([`front_matter`]), the validated content model ([`model`]) and the collected,
//! compiler-style error reports ([`diagnostics`]), e-mail addresses and their `mailto:` links
//! ([`address`]), what a file attachment may be ([`attachment_policy`]) and how fresh a directory entry is
//! ([`freshness`]).

pub mod address;
pub mod attachment_policy;
pub mod calls;
pub mod diagnostics;
pub mod freshness;
pub mod front_matter;
pub mod model;
pub mod postulates;
pub mod walk;
