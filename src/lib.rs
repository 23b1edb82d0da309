//! jawnik: a static site generator and Polish full-text search for civic documents.
