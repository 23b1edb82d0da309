//! The modules of `src/` depend on each other one way: no file reaches, through the `crate::`
//! and `super::` paths it uses, a file that reaches it back. A module's own files may use its
//! `mod.rs` (the module's shared items) and it theirs; anything else that closes a loop is
//! reported with the files on it. This is what keeps the content model apart from the
//! renderer and both apart from the orchestration (`build.rs`), without making each a crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common;

/// A file's module path: `src/render/frame.rs` → `["render", "frame"]`, `src/lib.rs` → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The text of a file without comments, string literals' `//` and its `#[cfg(test)]` part.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expand the paths of a `use` tree: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let (prefix, rest) = tree.split_at(open);
    let inner = &rest[1..rest.len().saturating_sub(1)];
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.extend(
                    expand(&inner[start..i])
                        .into_iter()
                        .map(|p| format!("{prefix}{p}")),
                );
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        out.extend(
            expand(&inner[start..])
                .into_iter()
                .map(|p| format!("{prefix}{p}")),
        );
    }
    out
}

/// Every `crate::…`, `super::…` and `self::…` path of `code`, from `use` items and inline.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        let after = &rest[i + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_') {
            out.extend(expand(&after[..end]));
        }
        rest = &after[end.min(after.len())..];
    }
    for root in ["crate::", "super::"] {
        for (i, _) in code.match_indices(root) {
            let before = code[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = code[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path);
        }
    }
    out
}

/// The files of `src/` each file uses, by their path relative to `src/`.
fn dependencies(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut texts = BTreeMap::new();
    for e in walkdir::WalkDir::new(src).sort_by_file_name() {
        let e = e.unwrap();
        // `main.rs` is the binary, a crate of its own that uses the library by its name.
        if e.path().extension().is_some_and(|x| x == "rs") && e.file_name() != "main.rs" {
            let rel = e.path().strip_prefix(src).unwrap().to_path_buf();
            let name = rel.to_string_lossy().replace('\\', "/");
            modules.insert(module_path(&rel), name.clone());
            texts.insert(name, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let by_name: BTreeMap<&String, &Vec<String>> = modules.iter().map(|(m, n)| (n, m)).collect();
    let mut edges = BTreeMap::new();
    for (name, text) in &texts {
        let me = by_name[name];
        // The modules this file is part of: using their `mod.rs` is not a loop.
        let enclosing: BTreeSet<&String> = (0..me.len())
            .filter_map(|k| modules.get(&me[..k]))
            .collect();
        let mut deps = BTreeSet::new();
        for path in paths(&code_of(text)) {
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            let (base, tail): (Vec<String>, &[&str]) = match segments.first() {
                Some(&"crate") => (Vec::new(), &segments[1..]),
                Some(&"super") => (me[..me.len().saturating_sub(1)].to_vec(), &segments[1..]),
                Some(&"self") => (me.clone(), &segments[1..]),
                _ => continue,
            };
            let mut full = base;
            full.extend(tail.iter().map(|s| s.to_string()));
            // The longest prefix that is a file.
            let target = (0..=full.len()).rev().find_map(|n| modules.get(&full[..n]));
            if let Some(target) = target {
                if target != name && !enclosing.contains(target) {
                    deps.insert(target.clone());
                }
            }
        }
        edges.insert(name.clone(), deps);
    }
    edges
}

/// The loops of `edges`: for each file on one, a shortest way back to itself.
fn loops(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut seen = BTreeSet::new();
    for start in edges.keys() {
        // Breadth-first from `start` until it comes back.
        let mut previous: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut back = None;
        while let Some(at) = queue.pop_front() {
            for next in &edges[at] {
                if next == start {
                    back = Some(at);
                    break;
                }
                if !previous.contains_key(next) {
                    previous.insert(next, at);
                    queue.push_back(next);
                }
            }
            if back.is_some() {
                break;
            }
        }
        if let Some(mut at) = back {
            let mut way_back = Vec::new();
            while at != start {
                way_back.push(at.clone());
                at = previous[at];
            }
            way_back.reverse();
            let mut cycle = vec![start.clone()];
            cycle.extend(way_back);
            let key: BTreeSet<String> = cycle.iter().cloned().collect();
            if seen.insert(key) {
                found.push(cycle);
            }
        }
    }
    found
}

#[test]
fn the_files_of_src_depend_on_each_other_one_way() {
    let edges = dependencies(&common::manifest_dir().join("src"));
    assert!(edges.len() > 50, "read {} files", edges.len());
    assert!(
        edges["build/mod.rs"].contains("content/load.rs"),
        "the reader sees the uses: {:?}",
        edges["build/mod.rs"]
    );
    let loops = loops(&edges);
    let shown: Vec<String> = loops
        .iter()
        .map(|l| format!("{} → {}", l.join(" → "), l[0]))
        .collect();
    assert!(loops.is_empty(), "import loops:\n{}", shown.join("\n"));
}

/// One loader (issue #20, point 5): `build`, `check` and `serve`'s incremental rebuilds all
/// read content through `content::load` (its `Loader`); no other file makes its own
/// `LoadContext` or reads pages with a loader of its own.
#[test]
fn one_loader() {
    let src = common::manifest_dir().join("src");
    let mut makers = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let code = code_of(&std::fs::read_to_string(entry.path()).unwrap());
        if code.contains("LoadContext {") && rel != "content/validate.rs" {
            makers.push(rel);
        }
    }
    assert_eq!(
        makers,
        ["content/load.rs"],
        "LoadContext made outside the loader"
    );
    let edges = dependencies(&src);
    for user in ["build/mod.rs", "check/mod.rs", "incremental.rs"] {
        assert!(
            edges[user].contains("content/load.rs"),
            "{user} loads through content::load: {:?}",
            edges[user]
        );
    }
}

#[test]
fn a_loop_is_found() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("d.rs", "a.rs"),
    ] {
        edges.entry(a.into()).or_default().insert(b.into());
        edges.entry(b.into()).or_default();
    }
    assert_eq!(loops(&edges), vec![vec!["a.rs", "b.rs", "c.rs"]]);
    assert_eq!(
        expand("super::{a, b::{c, d}}"),
        ["super::a", "super::b::c", "super::b::d"]
    );
}
