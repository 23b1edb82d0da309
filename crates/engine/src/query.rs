//! The query language shared by `jawnik search` and the browser: words (all must match),
//! `"quoted phrases"`, `-word` and `-"phrase"` to exclude, `OR` between alternatives, and
//! `word*` for a prefix. Parsing never panics; a query it cannot read is an error that says why.

use crate::prelude::*;
use core::fmt;

use crate::text::{concat, push_uint};

/// One thing the user typed: a word, a prefix or a phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Atom {
    /// A word, as typed (lowercased).
    Word(String),
    /// `word*`: every term starting with these letters.
    Prefix(String),
    /// `"several words"` in this order.
    Phrase(Vec<String>),
}

/// A clause: one atom or several joined by `OR`; the query matches documents that satisfy
/// every positive clause and no negative one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The alternatives (one unless `OR` joined several).
    pub any_of: Vec<Atom>,
    /// `-word`: documents matching this clause are excluded.
    pub negated: bool,
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The clauses in the order typed.
    pub clauses: Vec<Clause>,
}

/// Why a query could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset in the query where the problem is.
    pub offset: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl ParseError {
    /// The error as shown: `at character N: message` (no `core::fmt`, for the browser's module).
    pub fn text(&self) -> String {
        let mut out = String::from("at character ");
        push_uint(&mut out, self.offset as u64 + 1);
        out.push_str(": ");
        out.push_str(&self.message);
        out
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl core::error::Error for ParseError {}

/// Longest query accepted, in characters; longer input is an error, not a slow search.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most clauses in one query.
pub const MAX_CLAUSES: usize = 32;

#[derive(Debug, PartialEq)]
enum Lexeme {
    Word {
        text: String,
        negated: bool,
        prefix: bool,
    },
    Phrase {
        words: Vec<String>,
        negated: bool,
    },
    Or,
}

/// Splits text into lowercase words the way the analyzer does (letters and digits).
pub fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(jawnik_analysis::to_lowercase)
        .collect()
}

fn lex(input: &str) -> Result<Vec<(usize, Lexeme)>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let negated = c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        if negated {
            i += 1;
        } else if c == '-' {
            i += 1;
            continue; // a lone dash is punctuation
        }
        if chars.get(i) == Some(&'"') {
            let close = chars[i + 1..].iter().position(|&c| c == '"');
            let Some(len) = close else {
                return Err(ParseError {
                    offset: i,
                    message:
                        "a quotation mark is not closed; close the phrase with \" or remove it"
                            .into(),
                });
            };
            let text: String = chars[i + 1..i + 1 + len].iter().collect();
            let words = split_words(&text);
            if words.is_empty() {
                return Err(ParseError {
                    offset: i,
                    message: "the quoted phrase has no words in it".into(),
                });
            }
            out.push((start, Lexeme::Phrase { words, negated }));
            i += len + 2;
            continue;
        }
        let word_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let raw: String = chars[word_start..i].iter().collect();
        if raw == "OR" && !negated {
            out.push((start, Lexeme::Or));
            continue;
        }
        let prefix = raw.ends_with('*');
        let parts = split_words(raw.trim_end_matches('*'));
        if parts.is_empty() {
            if prefix || negated {
                return Err(ParseError {
                    offset: start,
                    message: concat(&["`", &raw, "` has no letters to search for"]),
                });
            }
            continue; // punctuation only
        }
        if parts.len() > 1 {
            // "covid-19", "e-mail": a word joined by punctuation is searched as a phrase.
            if prefix {
                return Err(ParseError {
                    offset: start,
                    message: concat(&["`", &raw, "`: a prefix (`*`) must follow a single word"]),
                });
            }
            out.push((
                start,
                Lexeme::Phrase {
                    words: parts,
                    negated,
                },
            ));
        } else {
            let text = parts.into_iter().next().unwrap_or_default();
            out.push((
                start,
                Lexeme::Word {
                    text,
                    negated,
                    prefix,
                },
            ));
        }
    }
    Ok(out)
}

/// Parses a query. Empty input gives an empty query.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(ParseError {
            offset: MAX_QUERY_CHARS,
            message: {
                let mut m = String::from("the query is longer than ");
                push_uint(&mut m, MAX_QUERY_CHARS as u64);
                m.push_str(" characters");
                m
            },
        });
    }
    let lexemes = lex(input)?;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or: Option<usize> = None;
    for (offset, lexeme) in lexemes {
        let (atom, negated) = match lexeme {
            Lexeme::Or => {
                let joinable = clauses.last().is_some_and(|c| !c.negated);
                if !joinable || pending_or.is_some() {
                    return Err(ParseError {
                        offset,
                        message: "OR must stand between two words or phrases".into(),
                    });
                }
                pending_or = Some(offset);
                continue;
            }
            Lexeme::Word {
                text,
                negated,
                prefix,
            } => (
                if prefix {
                    Atom::Prefix(text)
                } else {
                    Atom::Word(text)
                },
                negated,
            ),
            Lexeme::Phrase { words, negated } => (Atom::Phrase(words), negated),
        };
        if pending_or.take().is_some() {
            if negated {
                return Err(ParseError {
                    offset,
                    message: "an excluded word (-word) cannot be an alternative after OR".into(),
                });
            }
            if let Some(last) = clauses.last_mut() {
                last.any_of.push(atom);
            }
        } else {
            clauses.push(Clause {
                any_of: vec![atom],
                negated,
            });
        }
    }
    if let Some(offset) = pending_or {
        return Err(ParseError {
            offset,
            message: "OR must stand between two words or phrases".into(),
        });
    }
    if clauses.len() > MAX_CLAUSES {
        return Err(ParseError {
            offset: 0,
            message: {
                let mut m = String::from("the query has more than ");
                push_uint(&mut m, MAX_CLAUSES as u64);
                m.push_str(" words");
                m
            },
        });
    }
    Ok(Query { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Atom {
        Atom::Word(w.into())
    }

    #[test]
    fn words_phrases_exclusions_or_prefix() {
        let q = parse(r#"Konsultacje "Nowa Huta" -kultura dzielnica OR osiedle konsul*"#).unwrap();
        assert_eq!(q.clauses.len(), 5);
        assert_eq!(q.clauses[0].any_of, vec![word("konsultacje")]);
        assert_eq!(
            q.clauses[1].any_of,
            vec![Atom::Phrase(vec!["nowa".into(), "huta".into()])]
        );
        assert!(q.clauses[2].negated);
        assert_eq!(
            q.clauses[3].any_of,
            vec![word("dzielnica"), word("osiedle")]
        );
        assert_eq!(q.clauses[4].any_of, vec![Atom::Prefix("konsul".into())]);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(parse("\"niezamknięty")
            .unwrap_err()
            .message
            .contains("not closed"));
        assert!(parse("OR kultura").unwrap_err().message.contains("OR"));
        assert!(parse("kultura OR").unwrap_err().message.contains("OR"));
        assert!(parse("*").unwrap_err().message.contains("no letters"));
        assert!(parse("\"\"").unwrap_err().message.contains("no words"));
        assert_eq!(
            parse(&"a ".repeat(40)).unwrap_err().text(),
            "at character 1: the query has more than 32 words"
        );
        assert_eq!(
            parse(&"a".repeat(1001)).unwrap_err().to_string(),
            "at character 1001: the query is longer than 1000 characters"
        );
        assert_eq!(
            parse("x *").unwrap_err().text(),
            "at character 3: `*` has no letters to search for"
        );
    }

    #[test]
    fn hyphenated_word_is_a_phrase_and_dash_alone_is_ignored() {
        let q = parse("covid-19 - kultura").unwrap();
        assert_eq!(
            q.clauses[0].any_of,
            vec![Atom::Phrase(vec!["covid".into(), "19".into()])]
        );
        assert_eq!(q.clauses[1].any_of, vec![word("kultura")]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "-",
            "--",
            "-\"",
            "\"",
            "OR",
            "a OR OR b",
            "ł*",
            "-*",
            "💥",
            "\u{0}",
        ] {
            let _ = parse(s);
        }
    }
}
