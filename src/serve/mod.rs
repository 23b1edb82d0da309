//! `jawnik serve`: build the site into a private folder (`<root>/.jawnik/serve/`, never
//! `<root>/public`) with a local base URL, serve it over HTTP (127.0.0.1 only by default),
//! watch `content/`, `themes/` and `jawnik.toml`, rebuild on changes and tell open pages to
//! reload.
//!
//! The HTTP server is a small HTTP/1.1 server on `std::net`, one thread per connection, one
//! request per connection (`Connection: close`), GET and HEAD only. A request path is decoded
//! once and refused (400) when it holds a `..` or `.` segment, an encoded `/`, `\` or NUL, a
//! backslash or a control character; the file found is canonicalised and must lie inside the
//! output folder (403 otherwise, e.g. a symlink pointing out).
//!
//! Live reload: HTML responses (only as served, the built files are untouched) get
//! `<script src="/__jawnik/live.js?v=N" defer></script>` before `</body>`, `N` being the
//! build they come from. The script listens to `/__jawnik/events?since=N` (server-sent
//! events): `reload` when a newer build is served, `error` (JSON `{"build", "errors"}`) when
//! a rebuild failed; the page then shows an overlay over the last good version. No inline
//! script, so the site's Content-Security-Policy (`script-src 'self'`) allows it.
//!
//! Full builds alternate between two output folders, `public-0` and `public-1`: the folder
//! being served is never the one being rebuilt, so a request never sees a half-swapped site.
//! A change to existing pages' Markdown is rebuilt incrementally (`crate::incremental`): the
//! pages rendered again and the patched search folder are served from memory over the last
//! full build's folder, swapped in at once; anything else gets a full build.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::Watcher;

use crate::build::{BuildError, BuildOptions};
use crate::export::ServedSearch;
use crate::incremental::{Incremental, Outcome};

/// The live-reload script served at `/__jawnik/live.js`.
pub const LIVE_JS: &str = include_str!("live.js");
/// The URL prefix of the server's own endpoints.
pub const PREFIX: &str = "/__jawnik/";
/// Where `jawnik serve` builds, under the site root.
pub const SERVE_DIR: &str = ".jawnik/serve";

/// The longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Connections handled at once; more get 503.
const MAX_CONNECTIONS: usize = 256;
/// A rebuild starts at the latest this long after the first change, even if changes go on.
const MAX_DEBOUNCE: Duration = Duration::from_secs(2);
/// Server-sent-event connections get a comment this often (to notice closed tabs).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Options of `jawnik serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root, holding `jawnik.toml` and `content/`.
    pub root: PathBuf,
    /// The port; 0 lets the system choose a free one (see [`Handle::port`]).
    pub port: u16,
    /// The address to listen on (default 127.0.0.1).
    pub bind: IpAddr,
    /// How long the files must stay unchanged before a rebuild starts.
    pub debounce: Duration,
    /// Print what happens (serving, rebuilds, build errors) on stderr.
    pub log: bool,
    /// The day the calendar counts from (default: the build date, UTC).
    pub today: Option<crate::content::model::Date>,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            port: 8000,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            debounce: Duration::from_millis(50),
            log: true,
            today: None,
        }
    }
}

/// What the live-reload endpoint tells pages.
#[derive(Debug, Default)]
struct Live {
    /// The output folder being served (none before the first good build).
    current: Option<PathBuf>,
    /// Pages and search files rebuilt since, served instead of the folder's.
    overlay: Option<Arc<Overlay>>,
    /// Incremental rebuilds so far.
    incremental: u64,
    /// The number of good builds so far; pages are tagged with it.
    site: u64,
    /// The errors of the last build, when it failed.
    errors: Option<Vec<String>>,
    /// Bumped on every build result.
    seq: u64,
    stopping: bool,
}

struct Shared {
    root: PathBuf,
    serve_dir: PathBuf,
    base_url: String,
    log: bool,
    today: Option<crate::content::model::Date>,
    live: Mutex<Live>,
    changed: Condvar,
    stopping: AtomicBool,
    connections: AtomicUsize,
}

impl Shared {
    fn live(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

enum Msg {
    Changed(Vec<PathBuf>),
    Stop,
}

/// A running server. Dropping it (or [`Handle::stop`]) stops the server and the watcher.
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    tx: mpsc::Sender<Msg>,
    accept: Option<JoinHandle<()>>,
    builder: Option<JoinHandle<()>>,
}

impl Handle {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's base URL as built (`http://127.0.0.1:PORT/`).
    pub fn url(&self) -> &str {
        &self.shared.base_url
    }

    /// The output folder being served, if a build succeeded.
    pub fn site_dir(&self) -> Option<PathBuf> {
        self.shared.live().current.clone()
    }

    /// The number of good builds so far.
    pub fn builds(&self) -> u64 {
        self.shared.live().site
    }

    /// The number of incremental rebuilds so far.
    pub fn incremental_updates(&self) -> u64 {
        self.shared.live().incremental
    }

    /// The errors of the last build, when it failed.
    pub fn errors(&self) -> Option<Vec<String>> {
        self.shared.live().errors.clone()
    }

    /// Serve until the process ends.
    pub fn wait(mut self) {
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }

    /// Stop serving and watching; returns when the threads have ended (open server-sent
    /// event connections are told to end too).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.live().stopping = true;
        self.shared.changed.notify_all();
        let _ = self.tx.send(Msg::Stop);
        if let Some(t) = self.accept.take() {
            // Wake the accept loop up with a connection of our own.
            let wake = match self.addr.ip() {
                IpAddr::V4(ip) if ip.is_unspecified() => {
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.addr.port())
                }
                IpAddr::V6(ip) if ip.is_unspecified() => {
                    SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.addr.port())
                }
                _ => self.addr,
            };
            let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(2));
            let _ = t.join();
        }
        if let Some(t) = self.builder.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The host for the base URL: 127.0.0.1 unless a specific other address is listened on.
fn url_host(bind: IpAddr) -> String {
    match bind {
        IpAddr::V4(ip) if ip.is_unspecified() || ip.is_loopback() => "127.0.0.1".into(),
        IpAddr::V6(ip) if ip.is_unspecified() || ip.is_loopback() => "[::1]".into(),
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Start serving: listen, build once (a failed first build is reported and served as an
/// error page until the files are fixed), then watch and rebuild in the background.
pub fn start(opts: ServeOptions) -> anyhow::Result<Handle> {
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("the site root {}", opts.root.display()))?;
    if !root.join("jawnik.toml").is_file() {
        anyhow::bail!("{} has no jawnik.toml", root.display());
    }
    let listener = TcpListener::bind((opts.bind, opts.port)).with_context(|| {
        format!(
            "cannot listen on {} (choose another --port)",
            SocketAddr::new(opts.bind, opts.port)
        )
    })?;
    let addr = listener.local_addr()?;
    let base_url = format!("http://{}:{}/", url_host(opts.bind), addr.port());
    let shared = Arc::new(Shared {
        serve_dir: root.join(SERVE_DIR),
        root: root.clone(),
        base_url,
        log: opts.log,
        today: opts.today,
        live: Mutex::new(Live::default()),
        changed: Condvar::new(),
        stopping: AtomicBool::new(false),
        connections: AtomicUsize::new(0),
    });
    if opts.log && !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: the site (and the live-reload endpoint) is reachable from the network, not only from this computer",
            opts.bind
        );
    }

    // Watch before the first build, so that changes made during it are not missed.
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

    let accept_shared = Arc::clone(&shared);
    let accept = std::thread::Builder::new()
        .name("jawnik-serve-accept".into())
        .spawn(move || accept_loop(listener, accept_shared))?;
    let builder_shared = Arc::clone(&shared);
    let debounce = opts.debounce;
    let builder = std::thread::Builder::new()
        .name("jawnik-serve-build".into())
        .spawn(move || {
            build_loop(
                rx,
                &builder_shared,
                debounce,
                &mut state,
                &mut watcher,
                &mut watched,
            )
        })?;
    if opts.log {
        eprintln!(
            "serving {} from {} (watching content/, themes/, jawnik.toml; Ctrl-C to stop)",
            shared.base_url,
            shared.serve_dir.display()
        );
    }
    Ok(Handle {
        shared,
        addr,
        tx,
        accept: Some(accept),
        builder: Some(builder),
    })
}

/// Open `url` in the desktop's browser; failures are ignored.
pub fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

// ---------------------------------------------------------------------------------------
// Watching and rebuilding

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
        let mut changed = std::collections::BTreeSet::new();
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
            live.site += 1;
            live.errors = None;
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
    drop(live);
    shared.changed.notify_all();
}

/// Rebuilds only what `changed` affects, when it can: false when a full build is needed.
fn update(shared: &Shared, state: &mut BuildState, changed: &BTreeSet<PathBuf>) -> bool {
    let Some(incremental) = state.incremental.as_mut() else {
        return false;
    };
    let outcome = incremental.update(changed);
    let mut live = shared.live();
    match outcome {
        Ok(Outcome::FullBuild(why)) => {
            if shared.log {
                eprintln!("{why}: full build");
            }
            return false;
        }
        Ok(Outcome::Updated(update)) => {
            let mut pages = live
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
                search: update.search.served(),
            }));
            live.site += 1;
            live.errors = None;
            live.incremental += 1;
            if shared.log {
                let phases: Vec<String> = update
                    .phases
                    .iter()
                    .map(|(name, d)| format!("{name} {} ms", d.as_millis()))
                    .collect();
                eprintln!(
                    "updated {} ({count} page{}) in {} ms: {}",
                    update.changed.join(", "),
                    if count == 1 { "" } else { "s" },
                    update.elapsed.as_millis(),
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
    drop(live);
    shared.changed.notify_all();
    true
}

/// What incremental rebuilds changed since the last full build, served over its folder.
#[derive(Debug)]
struct Overlay {
    /// Output path → bytes of the pages rendered again.
    pages: HashMap<String, Arc<Vec<u8>>>,
    /// The patched search folder.
    search: ServedSearch,
}

impl Overlay {
    /// The bytes for a request's segments, when the overlay has them.
    fn lookup(&self, segments: &[String], trailing_slash: bool) -> Option<(String, Arc<Vec<u8>>)> {
        if segments.len() >= 2 && segments[0] == crate::export::SEARCH_DIR {
            let name = segments[1..].join("/");
            if let Some(bytes) = self.search.get(&name) {
                return Some((name, bytes));
            }
        }
        let joined = segments.join("/");
        let key = if segments.is_empty() {
            "index.html".to_string()
        } else if trailing_slash {
            format!("{joined}/index.html")
        } else {
            joined
        };
        self.pages.get(&key).map(|b| (key, Arc::clone(b)))
    }
}

// ---------------------------------------------------------------------------------------
// HTTP

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = conn else {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = Response::text(503, "Too many connections\n").write(&mut stream, false);
            continue;
        }
        let conn_shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("jawnik-serve-conn".into())
            .spawn(move || {
                handle_connection(&conn_shared, stream);
                conn_shared.connections.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

struct Request {
    method: String,
    target: String,
}

/// Read and parse the request head; the error is the status to answer with.
fn read_request(stream: &mut TcpStream) -> Result<Request, u16> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).map_err(|_| 400u16)?;
        if n == 0 {
            return Err(400);
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n") {
            break;
        }
        if head.len() > MAX_HEAD {
            return Err(431);
        }
    }
    let text = std::str::from_utf8(&head).map_err(|_| 400u16)?;
    let line = text.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if target.bytes().any(|b| b.is_ascii_control()) {
        return Err(400);
    }
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
    })
}

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    fn text(status: u16, text: &str) -> Self {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = out.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

fn handle_connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let request = match read_request(&mut stream) {
        Ok(r) => r,
        Err(status) => {
            let _ = Response::text(status, "Bad request\n").write(&mut stream, false);
            return;
        }
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let _ = Response::text(405, "Only GET and HEAD\n")
            .header("Allow", "GET, HEAD".into())
            .write(&mut stream, false);
        return;
    }
    let (path, query) = match request.target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (request.target.as_str(), ""),
    };
    let path = path.split('#').next().unwrap_or("");
    if path == "/__jawnik/events" {
        if head_only {
            let _ = Response::new(200, "text/event-stream", Vec::new()).write(&mut stream, true);
        } else {
            events(shared, stream, query);
        }
        return;
    }
    let mut response = respond(shared, path);
    if response.status == 301 && !query.is_empty() {
        for (name, value) in &mut response.headers {
            if *name == "Location" {
                value.push('?');
                value.push_str(query);
            }
        }
    }
    let _ = response.write(&mut stream, head_only);
    let _ = stream.shutdown(Shutdown::Write);
}

fn respond(shared: &Shared, path: &str) -> Response {
    if path == "/__jawnik/live.js" {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        );
    }
    if path.starts_with(PREFIX) {
        return Response::text(404, "Not found\n");
    }
    let segments = match url_segments(path) {
        Ok(s) => s,
        Err(status) => return Response::text(status, "Bad request\n"),
    };
    let (dir, site, errors, overlay) = {
        let live = shared.live();
        (
            live.current.clone(),
            live.site,
            live.errors.clone(),
            live.overlay.clone(),
        )
    };
    let Some(dir) = dir else {
        return error_page(&errors.unwrap_or_default(), site);
    };
    if let Some((name, bytes)) = overlay
        .as_ref()
        .and_then(|o| o.lookup(&segments, path.ends_with('/')))
    {
        return page_response(200, Path::new(&name), bytes.to_vec(), site);
    }
    match locate(&dir, &segments, path.ends_with('/')) {
        Lookup::File(file) => match std::fs::read(&file) {
            Ok(bytes) => page_response(200, &file, bytes, site),
            Err(_) => not_found(&dir, site),
        },
        Lookup::Redirect => Response::text(301, "Moved\n").header("Location", format!("{path}/")),
        Lookup::Forbidden => Response::text(403, "Forbidden\n"),
        Lookup::NotFound => not_found(&dir, site),
    }
}

fn page_response(status: u16, file: &Path, bytes: Vec<u8>, site: u64) -> Response {
    let content_type = content_type(file);
    let body = if content_type.starts_with("text/html") {
        inject_live_script(bytes, site)
    } else {
        bytes
    };
    Response::new(status, content_type, body)
}

fn not_found(dir: &Path, site: u64) -> Response {
    let page = dir.join("404.html");
    match std::fs::read(&page) {
        Ok(bytes) => page_response(404, &page, bytes, site),
        Err(_) => Response::text(404, "Not found\n"),
    }
}

/// The page served while no build has succeeded: the errors, and the live-reload script.
fn error_page(errors: &[String], site: u64) -> Response {
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\"><title>jawnik serve: błąd budowania</title></head>\n<body><h1>Strona nie zbudowała się</h1>\n<p>Popraw błędy poniżej: strona przeładuje się sama.</p>\n<pre>",
    );
    for line in errors {
        html.push_str(&escape_html(line));
        html.push('\n');
    }
    html.push_str("</pre>\n</body></html>\n");
    Response::new(
        503,
        "text/html; charset=utf-8",
        inject_live_script(html.into_bytes(), site),
    )
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The script tag added to served HTML pages.
pub fn live_script_tag(site: u64) -> String {
    format!("<script src=\"/__jawnik/live.js?v={site}\" defer></script>")
}

/// Insert the live-reload script before the last `</body>` (or at the end).
pub fn inject_live_script(mut html: Vec<u8>, site: u64) -> Vec<u8> {
    let tag = live_script_tag(site);
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, tag.bytes());
    html
}

/// The content type of a served file, by extension.
pub fn content_type(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "xsl" => "application/xslt+xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The decoded segments of a request path, or the status to refuse it with (400): the path
/// must be absolute (`/…`), and may hold no `.` or `..` segment, backslash, NUL or control
/// character, encoded or not, nor an encoded `/`. Empty segments are skipped.
pub fn url_segments(path: &str) -> Result<Vec<String>, u16> {
    if !path.starts_with('/') {
        return Err(400);
    }
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(400);
            };
            let b = h * 16 + l;
            if b == b'/' {
                return Err(400);
            }
            decoded.push(b);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(decoded).map_err(|_| 400u16)?;
    if decoded.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(400);
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(400),
            s => segments.push(s.to_string()),
        }
    }
    Ok(segments)
}

enum Lookup {
    File(PathBuf),
    Redirect,
    Forbidden,
    NotFound,
}

/// Find the file for checked segments under `dir`; it must stay inside `dir` once symlinks
/// are resolved. A folder is its `index.html` (redirected to `…/` first).
fn locate(dir: &Path, segments: &[String], trailing_slash: bool) -> Lookup {
    let Ok(base) = dir.canonicalize() else {
        return Lookup::NotFound;
    };
    if segments.first().map(String::as_str) == Some(crate::output::MARKER) {
        return Lookup::NotFound;
    }
    let mut path = base.clone();
    for s in segments {
        path.push(s);
    }
    let Ok(real) = path.canonicalize() else {
        return Lookup::NotFound;
    };
    if !real.starts_with(&base) {
        return Lookup::Forbidden;
    }
    if real.is_dir() {
        if !trailing_slash && !segments.is_empty() {
            return Lookup::Redirect;
        }
        let Ok(index) = real.join("index.html").canonicalize() else {
            return Lookup::NotFound;
        };
        if !index.starts_with(&base) {
            return Lookup::Forbidden;
        }
        return if index.is_file() {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if real.is_file() {
        Lookup::File(real)
    } else {
        Lookup::NotFound
    }
}

/// A server-sent event with a JSON payload.
fn sse(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

fn live_message(live: &Live) -> String {
    match &live.errors {
        Some(errors) => sse(
            "error",
            &serde_json::json!({ "build": live.site, "errors": errors }),
        ),
        None => sse("reload", &serde_json::json!({ "build": live.site })),
    }
}

/// `/__jawnik/events?since=N`: `reload` when a build newer than N is served (at once if one
/// already is), `error` when the last build failed; a comment every 15 s otherwise.
fn events(shared: &Shared, mut stream: TcpStream, query: &str) {
    let since: Option<u64> = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|v| v.parse().ok());
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    let mut pending = head.to_string();
    let mut seen = {
        let live = shared.live();
        if since.is_some_and(|s| s != live.site) && live.current.is_some() {
            pending.push_str(&sse("reload", &serde_json::json!({ "build": live.site })));
        } else if live.errors.is_some() {
            pending.push_str(&live_message(&live));
        }
        live.seq
    };
    loop {
        if stream.write_all(pending.as_bytes()).is_err() || stream.flush().is_err() {
            return;
        }
        let live = shared.live();
        let (live, _) = shared
            .changed
            .wait_timeout_while(live, KEEPALIVE, |l| l.seq == seen && !l.stopping)
            .unwrap_or_else(|e| e.into_inner());
        if live.stopping {
            return;
        }
        pending = if live.seq != seen {
            seen = live.seq;
            live_message(&live)
        } else {
            ": keep-alive\n\n".to_string()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_refuse_traversal() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/..%2fjawnik.toml",
            "/..%2Fjawnik.toml",
            "/%5c..%5c",
            "/..\\x",
            "/a/./b",
            "/%00",
            "/a%0d%0aX",
            "/%zz",
            "relative",
            "http://127.0.0.1/x",
            "/%c3",
        ] {
            assert_eq!(url_segments(bad), Err(400), "{bad}");
        }
        assert_eq!(
            url_segments("//a/%C5%81%C3%B3d%C5%BA/").unwrap(),
            vec!["a", "Łódź"]
        );
        assert_eq!(url_segments("/%252e%252e").unwrap(), vec!["%2e%2e"]);
        assert!(url_segments("/").unwrap().is_empty());
    }

    #[test]
    fn injects_before_the_last_body() {
        let out = inject_live_script(b"<p></body></p><BODY></BODY>\n".to_vec(), 3);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<p></body></p><BODY><script src=\"/__jawnik/live.js?v=3\" defer></script></BODY>\n"
        );
        let out = inject_live_script(b"<p>x".to_vec(), 1);
        assert!(String::from_utf8(out).unwrap().ends_with("defer></script>"));
    }

    #[test]
    fn the_error_page_escapes_errors() {
        let r = error_page(
            &["content/a.md:1: unknown sector `<b>x</b>` & co".into()],
            0,
        );
        let body = String::from_utf8(r.body).unwrap();
        assert!(body.contains("`&lt;b&gt;x&lt;/b&gt;` &amp; co"), "{body}");
        assert!(!body.contains("<b>"));
        assert_eq!(r.status, 503);
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.svg", "image/svg+xml"),
            ("a.xml", "application/xml; charset=utf-8"),
            ("a.json", "application/json; charset=utf-8"),
            ("a.bin", "application/octet-stream"),
            ("a.css", "text/css; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(f)), t);
        }
    }
}
