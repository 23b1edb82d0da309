//! Content loading: finding files ([`walk`]), splitting and parsing front matter
//! ([`front_matter`]), the validated content model ([`model`]) and the collected,
//! compiler-style error reports ([`diagnostics`]), e-mail addresses and their `mailto:` links
//! ([`address`]).

pub mod address;
pub mod calls;
pub mod diagnostics;
pub mod front_matter;
pub mod model;
pub mod postulates;
pub mod walk;
