//! Polish text analysis shared by the indexer and the browser runtime.
