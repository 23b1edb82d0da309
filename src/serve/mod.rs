//! `jawnik serve`: build the site into a private folder (`<root>/.jawnik/serve/`, never
//! `<root>/public`) with a local base URL, serve it over HTTP (127.0.0.1 only by default),
//! watch `content/`, `themes/` and `jawnik.toml`, rebuild on changes and tell open pages to
//! reload.
//!
//! This module holds the options, the state the parts share ([`Live`]) and the running
//! server's [`Handle`]; the parts are one concern each:
//! - [`watch`]: the file watcher and the build thread (full builds, incremental updates);
//! - [`files`]: what is served — the last good build's folder, with the pages and search
//!   files of incremental updates over it from memory, HTML with the live-reload script;
//! - [`http`]: the HTTP server (axum on hyper, tower-http's `ServeDir` over [`files`]):
//!   request paths checked, Range and conditional requests, MIME types, gzip, headers;
//! - [`live`]: live reload, the script pages get and its server-sent events.
//!
//! Full builds alternate between two output folders, `public-0` and `public-1`: the folder
//! being served is never the one being rebuilt, so a request never sees a half-swapped site.

mod files;
mod http;
mod live;
mod watch;

pub use http::{content_type, url_segments};
pub use live::{inject_live_script, live_script_tag, LIVE_JS};

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use anyhow::Context;

use files::{Overlay, Served};
use watch::Msg;

/// The URL prefix of the server's own endpoints.
pub const PREFIX: &str = "/__jawnik/";
/// Where `jawnik serve` builds, under the site root.
pub const SERVE_DIR: &str = ".jawnik/serve";

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
    pub today: Option<crate::content::date::Date>,
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

/// What is served and what the live-reload endpoint tells pages; changed by the build thread.
#[derive(Debug)]
struct Live {
    /// The output folder being served (none before the first good build).
    current: Option<PathBuf>,
    /// Pages and search files rebuilt since, served instead of the folder's.
    overlay: Option<Arc<Overlay>>,
    /// Incremental rebuilds so far.
    incremental: u64,
    /// The number of good builds so far; pages are tagged with it.
    site: u64,
    /// When the site numbered `site` was swapped in (what is served from memory, and every
    /// page with its live-reload tag, is dated by it for conditional requests).
    since: SystemTime,
    /// The errors of the last build, when it failed.
    errors: Option<Vec<String>>,
    /// Bumped on every build result.
    seq: u64,
    stopping: bool,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            current: None,
            overlay: None,
            incremental: 0,
            site: 0,
            since: SystemTime::now(),
            errors: None,
            seq: 0,
            stopping: false,
        }
    }
}

/// The state the build thread, the HTTP server and the handle share.
struct Shared {
    root: PathBuf,
    serve_dir: PathBuf,
    base_url: String,
    log: bool,
    today: Option<crate::content::date::Date>,
    live: Mutex<Live>,
    /// Carries [`Live::seq`] whenever a build result lands or the server stops: wakes the
    /// event streams and the server's shutdown.
    changed: tokio::sync::watch::Sender<u64>,
    stopping: AtomicBool,
}

impl Shared {
    fn live(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tell whoever waits on [`Shared::changed`] that `live` changed.
    fn notify(&self, live: MutexGuard<'_, Live>) {
        let seq = live.seq;
        drop(live);
        self.changed.send_replace(seq);
    }

    /// What a request is answered from: the folder served now and what lies over it.
    fn served(&self) -> Option<Served> {
        let live = self.live();
        Some(Served {
            dir: live.current.clone()?,
            overlay: live.overlay.clone(),
            site: live.site,
            since: live.since,
        })
    }
}

/// A running server. Dropping it (or [`Handle::stop`]) stops the server and the watcher.
pub struct Handle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    tx: mpsc::Sender<Msg>,
    server: Option<JoinHandle<()>>,
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
        if let Some(t) = self.server.take() {
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
        let mut live = self.shared.live();
        live.stopping = true;
        self.shared.notify(live);
        let _ = self.tx.send(Msg::Stop);
        if let Some(t) = self.server.take() {
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
        root,
        base_url,
        log: opts.log,
        today: opts.today,
        live: Mutex::new(Live::default()),
        changed: tokio::sync::watch::Sender::new(0),
        stopping: AtomicBool::new(false),
    });
    if opts.log && !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: the site (and the live-reload endpoint) is reachable from the network, not only from this computer",
            opts.bind
        );
    }

    // Watch before the first build, so that changes made during it are not missed.
    let (tx, builder) = watch::start(Arc::clone(&shared), opts.debounce)?;
    let server = http::start(listener, Arc::clone(&shared))?;
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
        server: Some(server),
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
