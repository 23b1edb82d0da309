//! The languages jawnik analyses ([`Language`]), read from BCP 47 tags (`pl`, `uk`, `en-GB`),
//! and what differs between them: how a word becomes index terms ([`Language::uses_dictionary`])
//! and the default stop words ([`Language::stopwords`]).
//!
//! * Polish: dictionary lemmas (PoliMorf), the Snowball Polish stemmer for unknown words only
//!   (`~`-marked, see [`crate::stem`]).
//! * English, Ukrainian: the Snowball stemmer of the language (crate `frostem`) for every
//!   word; the stems are plain terms (no `~`), so prefixes of them expand like lemmas do.
//!
//! English and Ukrainian are cargo features (`english`, `ukrainian`, both on by default): the
//! browser's WebAssembly module carries only the stemmers it is built with (Ukrainian adds about
//! 42 kB to it, English about 11 kB; see the crate README).

use crate::prelude::*;
use core::fmt;

use crate::stopwords::StopWords;

/// A language of documents and queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// Polish (`pl`, the default): dictionary lemmas.
    #[default]
    Polish,
    /// Ukrainian (`uk`): Snowball Ukrainian stems.
    #[cfg(feature = "ukrainian")]
    Ukrainian,
    /// English (`en`): Snowball English stems.
    #[cfg(feature = "english")]
    English,
}

/// A language tag that names no language this build analyses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// The tag as given.
    pub tag: String,
}

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown or unsupported language tag `{}`: use one of",
            self.tag
        )?;
        for (i, l) in Language::ALL.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}`{}`", l.tag())?;
        }
        write!(f, " (a region may follow, as in `en-GB`)")
    }
}

impl core::error::Error for UnknownLanguage {}

impl Language {
    /// Every language of this build, Polish first.
    pub const ALL: &'static [Language] = &[
        Language::Polish,
        #[cfg(feature = "ukrainian")]
        Language::Ukrainian,
        #[cfg(feature = "english")]
        Language::English,
    ];

    /// Reads a BCP 47 language tag: its primary subtag decides (`pl`, `uk`, `en`, any case;
    /// `en-GB`, `uk-UA`, `pl_PL` as well). Every subtag must be 1–8 letters or digits.
    pub fn from_tag(tag: &str) -> Result<Language, UnknownLanguage> {
        let unknown = || UnknownLanguage {
            tag: tag.to_owned(),
        };
        let mut subtags = tag.split(['-', '_']);
        let primary = subtags.next().unwrap_or_default();
        let well_formed =
            |s: &str| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric());
        if !well_formed(primary) || !subtags.all(well_formed) {
            return Err(unknown());
        }
        Language::ALL
            .iter()
            .copied()
            .find(|l| primary.eq_ignore_ascii_case(l.tag()))
            .ok_or_else(unknown)
    }

    /// The language's BCP 47 primary subtag (`pl`, `uk`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::Polish => "pl",
            #[cfg(feature = "ukrainian")]
            Language::Ukrainian => "uk",
            #[cfg(feature = "english")]
            Language::English => "en",
        }
    }

    /// Whether words become dictionary lemmas (Polish) rather than stems: only then do a site's
    /// terms belong in its [`SiteLexicon`](crate::SiteLexicon).
    pub fn uses_dictionary(self) -> bool {
        self == Language::Polish
    }

    /// The language's default stop words.
    pub fn stopwords(self) -> StopWords {
        match self {
            Language::Polish => StopWords::polish(),
            #[cfg(feature = "ukrainian")]
            Language::Ukrainian => StopWords::new(crate::stopwords::DEFAULT_UKRAINIAN),
            #[cfg(feature = "english")]
            Language::English => StopWords::new(crate::stopwords::DEFAULT_ENGLISH),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl core::str::FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(tag: &str) -> Result<Language, UnknownLanguage> {
        Language::from_tag(tag)
    }
}
