//! Content: the validated content model ([`model`]: the kinds, [`model::Entry`], the
//! [`model::Site`]) and the one loader that makes it ([`load`]), from finding files ([`walk`])
//! and splitting and parsing front matter ([`front_matter`]) to checking fields one file at a
//! time ([`validate`]), a page's body read back when it is rendered ([`body`]), dates ([`date`]), attachments ([`attachments`], whose file types
//! [`attachment_policy`] decides), how fresh a directory entry is ([`freshness`]), e-mail addresses, URLs and phone numbers ([`address`]), the
//! kinds with fields of their own — open calls ([`calls`]), coordinators ([`contacts`]), a
//! report's postulates ([`postulates`], whose `answer_ref` [`answer_refs`] checks across files) — the versions of a document ([`versions`]), translated pages ([`translations`]) and the compiler-style error reports
//! ([`diagnostics`]).

pub mod address;
pub mod answer_refs;
pub mod attachment_policy;
pub mod attachments;
pub mod body;
pub mod calls;
pub mod contacts;
pub mod date;
pub mod diagnostics;
pub mod freshness;
pub mod front_matter;
pub mod load;
pub mod model;
pub mod postulates;
pub mod translations;
pub mod validate;
pub mod versions;
pub mod walk;
