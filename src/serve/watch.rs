//! `jawnik serve`'s watcher and build thread: which file events concern the site, the
//! debounce, and what a batch of changes gets — an incremental update of the pages and search
//! files it touches (`crate::incremental`), served from memory over the last full build, or a
//! full build into the output folder not being served. Every result (a new site or the
//! errors) is published in [`Live`] and announced on [`Shared::changed`].

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use notify::Watcher;

use super::files::Overlay;
use super::{Live, Shared};
use crate::build::{BuildError, BuildOptions};
use crate::incremental::{Incremental, Outcome};

/// A rebuild starts at the latest this long after the first change, even if changes go on.
const MAX_DEBOUNCE: Duration = Duration::from_secs(2);

/// What the build thread is told.
pub(super) enum Msg {
    Changed(Vec<PathBuf>),
    Stop,
}

/// Start watching, build once (before returning: the first build is served at once), then
/// rebuild on changes in a thread of its own. Returns the channel that stops it, and the
/// thread.
pub(super) fn start(
    shared: Arc<Shared>,
    debounce: Duration,
) -> anyhow::Result<(mpsc::Sender<Msg>, JoinHandle<()>)> {
    let root = shared.root.clone();
    let (tx, rx) = mpsc::channel();
    let watch_tx = tx.clone();
    let watch_root = root.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if is_relevant(&watch_root, &event) {
                let _ = watch_tx.send(Msg::Changed(event.paths));
            }
        }
    })
    .context("cannot watch the site's files")?;
    watcher
        .watch(&root, notify::RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", root.display()))?;
    let mut watched = Vec::new();
    update_watches(&mut watcher, &root, &mut watched);

    let mut state = BuildState {
        slot: 0,
        incremental: None,
    };
    rebuild(&shared, &mut state);

    let builder = std::thread::Builder::new()
        .name("jawnik-serve-build".into())
        .spawn(move || {
            build_loop(
                rx,
                &shared,
                debounce,
                &mut state,
                &mut watcher,
                &mut watched,
            )
        })?;
    Ok((tx, builder))
}

/// Whether a file event concerns the site: `jawnik.toml`, anything under `content/` or
/// `themes/` (editor backup and swap files aside). Reads are ignored.
fn is_relevant(root: &Path, event: &notify::Event) -> bool {
    use notify::event::{EventKind, MetadataKind, ModifyKind};
    match event.kind {
        EventKind::Access(_) => return false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => return false,
        _ => {}
    }
    event.paths.iter().any(|p| {
        let Ok(rel) = p.strip_prefix(root) else {
            return false;
        };
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.starts_with(".#")
            || name == "4913"
        {
            return false;
        }
        let mut parts = rel.components();
        match parts.next().map(|c| c.as_os_str().to_string_lossy()) {
            Some(first) if first == "content" || first == "themes" => true,
            Some(first) => first == "jawnik.toml" && parts.next().is_none(),
            None => false,
        }
    })
}

/// Watch `content/` and `themes/` recursively when they exist (they may appear later).
fn update_watches(watcher: &mut impl Watcher, root: &Path, watched: &mut Vec<PathBuf>) {
    for name in ["content", "themes"] {
        let dir = root.join(name);
        let is_watched = watched.contains(&dir);
        if dir.is_dir() && !is_watched {
            if watcher
                .watch(&dir, notify::RecursiveMode::Recursive)
                .is_ok()
            {
                watched.push(dir);
            }
        } else if !dir.is_dir() && is_watched {
            let _ = watcher.unwatch(&dir);
            watched.retain(|d| d != &dir);
        }
    }
}

fn build_loop(
    rx: mpsc::Receiver<Msg>,
    shared: &Shared,
    debounce: Duration,
    state: &mut BuildState,
    watcher: &mut impl Watcher,
    watched: &mut Vec<PathBuf>,
) {
    loop {
        let mut changed = BTreeSet::new();
        match rx.recv() {
            Ok(Msg::Changed(paths)) => changed.extend(paths),
            Ok(Msg::Stop) | Err(_) => return,
        }
        let first = Instant::now();
        let mut quiet_until = first + debounce;
        loop {
            let now = Instant::now();
            if now >= quiet_until || now.duration_since(first) >= MAX_DEBOUNCE {
                break;
            }
            match rx.recv_timeout(quiet_until - now) {
                Ok(Msg::Changed(paths)) => {
                    changed.extend(paths);
                    quiet_until = Instant::now() + debounce;
                }
                Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
            }
        }
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        update_watches(watcher, &shared.root, watched);
        if !update(shared, state, &changed) {
            rebuild(shared, state);
        }
    }
}

/// The lines of a build error: every diagnostic, then the count.
fn error_lines(e: &BuildError) -> Vec<String> {
    e.to_string().lines().map(str::to_string).collect()
}

/// What the build thread keeps between builds.
struct BuildState {
    /// The output folder the next full build goes to (0 or 1).
    slot: usize,
    /// The last good full build's products, for incremental rebuilds.
    incremental: Option<Incremental>,
}

/// A new site is served from now on: numbered, dated, its errors gone.
fn new_site(live: &mut Live) {
    live.site += 1;
    live.since = SystemTime::now();
    live.errors = None;
}

/// Full build into the folder not being served, then serve it; on failure keep the last good
/// one.
fn rebuild(shared: &Shared, state: &mut BuildState) {
    let out = shared.serve_dir.join(format!("public-{}", state.slot));
    let opts = BuildOptions {
        root: shared.root.clone(),
        output: Some(out.clone()),
        base_url: Some(shared.base_url.clone()),
        progress: false,
        index_dir: Some(shared.serve_dir.join("index")),
        extract_cache: None,
        today: shared.today,
    };
    let started = Instant::now();
    let result = crate::build::build_keeping(&opts);
    let mut live = shared.live();
    live.seq += 1;
    match result {
        Ok((report, built)) => {
            live.current = Some(out);
            live.overlay = None;
            new_site(&mut live);
            state.slot = 1 - state.slot;
            state.incremental = Some(Incremental::new(built));
            if shared.log {
                for w in &report.warnings {
                    eprintln!("warning: {w}");
                }
                eprintln!(
                    "built {} pages in {:.2} s (full build)",
                    report.pages,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Err(e) => {
            if shared.log {
                eprintln!("{e}");
                if live.current.is_some() {
                    eprintln!("still serving the last good build");
                }
            }
            live.errors = Some(error_lines(&e));
        }
    }
    shared.notify(live);
}

/// Rebuilds only what `changed` affects, when it can: false when a full build is needed.
fn update(shared: &Shared, state: &mut BuildState, changed: &BTreeSet<PathBuf>) -> bool {
    let Some(incremental) = state.incremental.as_mut() else {
        return false;
    };
    crate::memory::set_phase(crate::memory::Phase::Serve);
    let cpu_before = crate::build::usage_so_far().map(|(cpu, _)| cpu);
    let outcome = incremental.update(changed);
    // Named and planned outside the lock (the meta file, position heads of patched chunks).
    let started = Instant::now();
    let served = match &outcome {
        Ok(Outcome::Updated(update)) => Some(update.search.served()),
        _ => None,
    };
    let serve_time = started.elapsed();
    // The process's CPU time over the update (every thread: rayon's, the HTTP server's): on
    // a shared machine the figure to compare, as wall time waits for other loads.
    let cpu = cpu_before
        .zip(crate::build::usage_so_far())
        .map(|(before, (after, _))| after.saturating_sub(before));
    let mut live = shared.live();
    match outcome {
        Ok(Outcome::FullBuild(why)) => {
            if shared.log {
                eprintln!("{why}: full build");
            }
            return false;
        }
        Ok(Outcome::Updated(update)) => {
            let mut pages: HashMap<String, Arc<Vec<u8>>> = live
                .overlay
                .as_ref()
                .map(|o| o.pages.clone())
                .unwrap_or_default();
            let count = update.files.len();
            for f in update.files {
                pages.insert(f.path, Arc::new(f.contents));
            }
            live.overlay = Some(Arc::new(Overlay {
                pages,
                search: served.expect("made for an update"),
            }));
            new_site(&mut live);
            live.incremental += 1;
            if shared.log {
                let mut phases: Vec<String> = update
                    .phases
                    .iter()
                    .chain([&("serve", serve_time)])
                    .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                    .collect();
                if let Some(cpu) = cpu {
                    phases.push(format!("CPU {} ms", cpu.as_millis()));
                }
                eprintln!(
                    "updated {} ({count} page{}) in {} ms: {}",
                    update.changed.join(", "),
                    if count == 1 { "" } else { "s" },
                    (update.elapsed + serve_time).as_millis(),
                    phases.join(", ")
                );
            }
        }
        Err(e) => {
            if shared.log {
                eprintln!("{e}");
                eprintln!("still serving the last good build");
            }
            live.errors = Some(error_lines(&e));
        }
    }
    live.seq += 1;
    shared.notify(live);
    true
}
