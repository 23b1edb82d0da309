//! The site lexicon in parts on disk, for `jawnik search`: a query loads only the parts that
//! hold its words (as the browser loads only the term chunks, with their lexicon parts, that
//! hold them), so answering does not start by reading the whole lexicon.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use jawnik_analysis::{LexEntry, Lexicon, SiteLexicon};

/// The folder of the parts inside the index folder.
const PARTS_DIR: &str = "lexicon";
/// The table of parts: one line per part, `first key <TAB> file name`.
const TABLE_FILE: &str = "index.tsv";
/// Target size of a part.
const PART_BYTES: usize = 64 * 1024;

/// Writes the lexicon's parts and their table into `index_dir/lexicon/`.
pub fn write_parts(index_dir: &Path, lexicon: &SiteLexicon) -> Result<()> {
    let dir = index_dir.join(PARTS_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut table = String::new();
    for (i, (first, part)) in lexicon.split_by_size(PART_BYTES).into_iter().enumerate() {
        let name = format!("{i}.bin");
        std::fs::write(dir.join(&name), part.to_bytes())
            .with_context(|| format!("writing {}", dir.join(&name).display()))?;
        table.push_str(&format!("{first}\t{name}\n"));
    }
    std::fs::write(dir.join(TABLE_FILE), table)
        .with_context(|| format!("writing {}", dir.join(TABLE_FILE).display()))
}

/// The parts of a lexicon, loaded when a lookup needs them.
pub struct LazyLexicon {
    dir: PathBuf,
    table: Vec<(String, String)>,
    loaded: RefCell<HashMap<usize, SiteLexicon>>,
}

impl LazyLexicon {
    /// Opens the parts in `index_dir/lexicon/`.
    pub fn open(index_dir: &Path) -> Result<Self> {
        let dir = index_dir.join(PARTS_DIR);
        let path = dir.join(TABLE_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let table = text
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, f)| (k.to_string(), f.to_string()))
            .collect();
        Ok(LazyLexicon {
            dir,
            table,
            loaded: RefCell::new(HashMap::new()),
        })
    }

    /// A lexicon without parts: every word falls back to the stemmer.
    pub fn empty() -> Self {
        LazyLexicon {
            dir: PathBuf::new(),
            table: Vec::new(),
            loaded: RefCell::new(HashMap::new()),
        }
    }

    fn part_of(&self, key: &str) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        Some(
            self.table
                .partition_point(|(first, _)| first.as_str() <= key)
                .saturating_sub(1),
        )
    }
}

impl Lexicon for LazyLexicon {
    fn lookup(&self, folded_form: &str) -> Vec<LexEntry> {
        let Some(part) = self.part_of(folded_form) else {
            return Vec::new();
        };
        let mut loaded = self.loaded.borrow_mut();
        let lexicon = loaded.entry(part).or_insert_with(|| {
            let path = self.dir.join(&self.table[part].1);
            // A missing or damaged part reads as empty: words then fall back to the stemmer.
            std::fs::read(&path)
                .ok()
                .and_then(|b| SiteLexicon::from_bytes(&b).ok())
                .unwrap_or_default()
        });
        lexicon.lookup(folded_form)
    }
}
