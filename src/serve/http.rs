//! `jawnik serve`'s HTTP server: axum on hyper (HTTP/1.1, keep-alive) in a tokio runtime of
//! its own, GET and HEAD only. The site's files are answered by tower-http's `ServeDir` over
//! [`SiteFiles`] — Range requests (one range: 206, several: the whole file; the page's search
//! reads records and positions by byte range, as on a real host), conditional requests (`ETag`,
//! `Last-Modified`: 304, 412), HEAD, the MIME type by extension (`mime_guess`, with
//! `charset=utf-8` for text); responses are gzip-compressed when the browser accepts it and
//! the type is text (never a 206: byte ranges stay ranges of the file). Every response says
//! `Cache-Control: no-cache` (revalidate: a rebuilt file is never taken from the cache) and
//! `X-Content-Type-Options: nosniff`; attachments (`/pliki/`) are sandboxed as on the deployed
//! site: `Content-Security-Policy: default-src 'none'; sandbox`, and `Content-Disposition:
//! attachment` for the types a browser would run (HTML, SVG, XML, JavaScript).
//!
//! Paths are checked before any file is looked at: decoded once and refused (400) when they
//! hold a `..` or `.` segment, an encoded `/`, `\` or NUL, a backslash or a control character;
//! the file found is canonicalised and must lie inside the output folder (403 otherwise, e.g.
//! a symlink pointing out); the output folder's marker file is not served (404). A folder
//! without its trailing slash is redirected (301, the query kept); a missing file gets the
//! site's `404.html`; before the first good build every page is the build's errors (503).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use super::files::{file_key, Served, SiteFiles};
use super::live::{self, inject_live_script};
use super::{Shared, PREFIX};
use crate::render::xml::escape_html;

/// Threads answering requests (file reads go to tokio's blocking pool besides).
const WORKERS: usize = 2;
/// How long open connections get to finish once the server stops.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Where attachments are served (`docs/content-model.md`).
const ATTACHMENTS: &str = "pliki";
/// Extensions of the types a browser runs or renders as a document when opened.
const ACTIVE: [&str; 9] = [
    "html", "htm", "xhtml", "xht", "svg", "svgz", "xml", "js", "mjs",
];
/// An attachment's Content-Security-Policy: nothing loads, nothing runs.
const ATTACHMENT_CSP: &str = "default-src 'none'; sandbox";
/// Responses smaller than this are not compressed.
const COMPRESS_ABOVE: u64 = 512;

/// Serve on `listener` in a thread of its own, until the server is told to stop.
pub(super) fn start(listener: TcpListener, shared: Arc<Shared>) -> anyhow::Result<JoinHandle<()>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("jawnik-serve-http")
        .enable_all()
        .build()
        .context("cannot start the HTTP server's runtime")?;
    listener.set_nonblocking(true)?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let app = router(Arc::clone(&shared));
    let thread = std::thread::Builder::new()
        .name("jawnik-serve-http".into())
        .spawn(move || {
            runtime.block_on(async {
                let told = Arc::clone(&shared);
                let server = axum::serve(listener, app)
                    .with_graceful_shutdown(async move { stopped(&told).await });
                // Connections that do not end in time (a client sending its request slowly)
                // are dropped.
                let grace = async {
                    stopped(&shared).await;
                    tokio::time::sleep(SHUTDOWN_GRACE).await;
                };
                tokio::select! {
                    _ = server => {}
                    _ = grace => {}
                }
            });
            runtime.shutdown_timeout(SHUTDOWN_GRACE);
        })?;
    Ok(thread)
}

/// Returns once the server is told to stop.
async fn stopped(shared: &Shared) {
    let mut changes = shared.changed.subscribe();
    let _ = changes.wait_for(|_| shared.live().stopping).await;
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__jawnik/live.js", get(live::script))
        .route("/__jawnik/events", get(live::events))
        .fallback(site)
        .layer(CompressionLayer::new().compress_when(compressible))
        .with_state(shared)
}

/// Whether a response is worth compressing: text, big enough, not partial (tower-http never
/// compresses a 206 either), not an event stream.
fn compressible(
    status: StatusCode,
    _: axum::http::Version,
    headers: &HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    let big = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|n| n > COMPRESS_ABOVE);
    let text = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| is_text(t) && !t.starts_with("text/event-stream"));
    status != StatusCode::PARTIAL_CONTENT && big && text
}

/// Whether a MIME type is text (UTF-8 in a jawnik site: gets `charset=utf-8`).
fn is_text(mime: &str) -> bool {
    let essence = mime.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "application/javascript" | "application/xml"
        )
        || (essence.starts_with("application/")
            && (essence.ends_with("+json") || essence.ends_with("+xml")))
}

/// The content type of a served file, by extension (`mime_guess`), text in UTF-8.
pub fn content_type(file: &Path) -> String {
    let mime = mime_guess::from_path(file)
        .first_raw()
        .unwrap_or("application/octet-stream");
    match is_text(mime) {
        true => format!("{mime}; charset=utf-8"),
        false => mime.to_string(),
    }
}

fn text(status: StatusCode, body: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn html(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Everything but jawnik's own endpoints: the site.
async fn site(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let mut response = answer(&shared, req).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn answer(shared: &Shared, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path().to_string();
    if path.starts_with(PREFIX) {
        return text(StatusCode::NOT_FOUND, "Not found\n");
    }
    let Ok(segments) = url_segments(&path) else {
        return text(StatusCode::BAD_REQUEST, "Bad request\n");
    };
    let Some(served) = shared.served() else {
        let live = shared.live();
        return error_page(live.errors.as_deref().unwrap_or_default(), live.site);
    };
    let trailing_slash = path.ends_with('/');
    let key = file_key(&segments, trailing_slash);
    let found = match served.overlaid(&key) {
        Some(_) => Lookup::File(key),
        None => {
            let dir = served.dir.clone();
            tokio::task::spawn_blocking(move || locate(&dir, &segments, trailing_slash))
                .await
                .unwrap_or(Lookup::NotFound)
        }
    };
    match found {
        Lookup::File(rel) => serve_file(served, &rel, req).await,
        Lookup::Redirect => {
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let mut r = text(StatusCode::MOVED_PERMANENTLY, "Moved\n");
            if let Ok(to) = HeaderValue::from_str(&format!("{path}/{query}")) {
                r.headers_mut().insert(header::LOCATION, to);
            }
            r
        }
        Lookup::Forbidden => text(StatusCode::FORBIDDEN, "Forbidden\n"),
        Lookup::NotFound => not_found(&served).await,
    }
}

/// The file at `rel` (checked: in the overlay, or found by [`locate`]), by `ServeDir`.
async fn serve_file(served: Served, rel: &str, req: Request) -> Response {
    // Several ranges in one request: the whole file (200), as a host may answer them.
    let mut files = ServeDir::with_backend(&served.dir, SiteFiles(served.clone()))
        .ignore_multi_range_requests(true);
    let response = match files.try_call(req).await {
        Ok(r) => r.map(Body::new),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return not_found(&served).await,
        Err(_) => return text(StatusCode::INTERNAL_SERVER_ERROR, "Cannot read the file\n"),
    };
    let (mut parts, body) = response.into_parts();
    let file = Path::new(rel);
    if parts.headers.contains_key(header::CONTENT_TYPE) {
        if let Ok(t) = HeaderValue::from_str(&content_type(file)) {
            parts.headers.insert(header::CONTENT_TYPE, t);
        }
    }
    if rel.split('/').next() == Some(ATTACHMENTS) {
        parts.headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ATTACHMENT_CSP),
        );
        let ext = file
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if ACTIVE.contains(&ext.as_str()) {
            parts.headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            );
        }
    }
    Response::from_parts(parts, body)
}

/// The site's `404.html` with the live-reload script, or a line of text.
async fn not_found(served: &Served) -> Response {
    match served.read("404.html").await {
        Ok(bytes) => html(StatusCode::NOT_FOUND, bytes),
        Err(_) => text(StatusCode::NOT_FOUND, "Not found\n"),
    }
}

/// The page served while no build has succeeded: the errors, and the live-reload script.
fn error_page(errors: &[String], site: u64) -> Response {
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\"><title>jawnik serve: błąd budowania</title></head>\n<body><h1>Strona nie zbudowała się</h1>\n<p>Popraw błędy poniżej: strona przeładuje się sama.</p>\n<pre>",
    );
    for line in errors {
        page.push_str(&escape_html(line));
        page.push('\n');
    }
    page.push_str("</pre>\n</body></html>\n");
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        inject_live_script(page.into_bytes(), site),
    )
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The decoded segments of a request path, or the status to refuse it with (400): the path must be
/// absolute (`/…`), and may hold no `.` or `..` segment, backslash, NUL or control character,
/// encoded or not, nor an encoded `/`. Empty segments are skipped.
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

/// Where a request's path leads in the output folder.
#[derive(Debug, PartialEq)]
enum Lookup {
    /// A file: its path in the output folder, `/`-separated.
    File(String),
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
    let path: PathBuf = segments.iter().fold(base.clone(), |p, s| p.join(s));
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
        return match index.is_file() {
            true => Lookup::File(file_key(segments, true)),
            false => Lookup::NotFound,
        };
    }
    match real.is_file() {
        true => Lookup::File(file_key(segments, false)),
        false => Lookup::NotFound,
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

    #[tokio::test]
    async fn the_error_page_escapes_errors() {
        let r = error_page(
            &["content/a.md:1: unknown sector `<b>x</b>` & co".into()],
            0,
        );
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("`&lt;b&gt;x&lt;/b&gt;` &amp; co"), "{body}");
        assert!(!body.contains("<b>"));
    }

    #[test]
    fn content_types() {
        for (f, t) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.svg", "image/svg+xml"),
            ("a.xml", "text/xml; charset=utf-8"),
            ("a.json", "application/json; charset=utf-8"),
            ("a.webmanifest", "application/manifest+json; charset=utf-8"),
            ("a.ics", "text/calendar; charset=utf-8"),
            ("a.pdf", "application/pdf"),
            ("a.bin", "application/octet-stream"),
            ("a", "application/octet-stream"),
            ("a.css", "text/css; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(f)), t);
        }
    }

    #[test]
    fn text_types() {
        for t in [
            "text/plain",
            "application/json",
            "application/xhtml+xml",
            "application/manifest+json; charset=utf-8",
        ] {
            assert!(is_text(t), "{t}");
        }
        for t in ["image/svg+xml", "application/wasm", "application/pdf"] {
            assert!(!is_text(t), "{t}");
        }
    }
}
