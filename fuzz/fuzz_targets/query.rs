//! Fuzz target: the query parser shared by `jawnik search` and the browser. Any text must give
//! a query or an error pointing inside the text; never a panic, and never more than
//! `MAX_CLAUSES` clauses or an empty word.
#![no_main]

use jawnik_engine::query::{parse, split_words, Atom, MAX_CLAUSES, MAX_QUERY_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars = text.chars().count();
    for w in split_words(text) {
        assert!(!w.is_empty(), "split_words gave an empty word for {text:?}");
    }
    match parse(text) {
        Ok(q) => {
            assert!(chars <= MAX_QUERY_CHARS);
            assert!(
                q.clauses.len() <= MAX_CLAUSES,
                "{} clauses",
                q.clauses.len()
            );
            for c in &q.clauses {
                assert!(!c.any_of.is_empty(), "empty clause for {text:?}");
                for a in &c.any_of {
                    match a {
                        Atom::Word(w) | Atom::Prefix(w) => assert!(!w.is_empty(), "{text:?}"),
                        Atom::Phrase(ws) => {
                            assert!(
                                !ws.is_empty() && ws.iter().all(|w| !w.is_empty()),
                                "{text:?}"
                            )
                        }
                    }
                }
            }
        }
        Err(e) => assert!(
            e.offset <= chars && !e.message.is_empty(),
            "error offset {} past the end of {text:?} ({chars} chars)",
            e.offset
        ),
    }
});
