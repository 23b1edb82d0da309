//! `jawnik serve`: the in-process server on a temporary copy of the site-ok fixture: pages,
//! content types, Range and conditional requests, gzip, attachment headers, refused paths,
//! live rebuilds, the error event and stopping. (About 700 lines: the raw-HTTP helpers the
//! tests share — requests sent byte for byte, so that no client normalises a hostile path —
//! live here with them.)

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jawnik::serve::{self, Handle, ServeOptions};

const WAIT: Duration = Duration::from_secs(30);

/// A copy of the fixture (never edited in place), plus a file outside the served folder.
fn site_copy(name: &str) -> PathBuf {
    let dir = common::temp_dir(name);
    let from = common::fixture("site-ok");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&from).unwrap();
        let to = dir.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    std::fs::write(dir.join("secret.txt"), "SEKRET-9f3a poza folderem\n").unwrap();
    dir
}

/// A server on a copy of the fixture: stopped, and the copy removed, when dropped.
struct Running {
    server: Option<Handle>,
    root: PathBuf,
}

impl std::ops::Deref for Running {
    type Target = Handle;

    fn deref(&self) -> &Handle {
        self.server.as_ref().unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn start(root: &Path) -> Running {
    let opts = ServeOptions {
        port: 0,
        log: false,
        debounce: Duration::from_millis(100),
        ..ServeOptions::new(root)
    };
    Running {
        server: Some(serve::start(opts).expect("server starts")),
        root: root.to_path_buf(),
    }
}

struct Reply {
    status: u16,
    head: String,
    /// The body as sent (chunked transfer coding removed), and as text.
    bytes: Vec<u8>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// The body of a `Transfer-Encoding: chunked` message.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size");
        let size = std::str::from_utf8(&raw[..line]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        raw = &raw[line + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// Send a raw request (the target exactly as given: no client-side normalisation), with
/// extra header lines.
fn request_with(port: u16, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..at]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let body = raw.get(at + 4..).unwrap_or_default();
    let mut reply = Reply {
        status,
        head,
        bytes: Vec::new(),
        body: String::new(),
    };
    reply.bytes = match reply.header("transfer-encoding").as_deref() {
        Some("chunked") => dechunk(body),
        _ => body.to_vec(),
    };
    reply.body = String::from_utf8_lossy(&reply.bytes).into_owned();
    reply
}

fn request(port: u16, method: &str, target: &str) -> Reply {
    request_with(port, method, target, &[])
}

fn get(port: u16, target: &str) -> Reply {
    request(port, "GET", target)
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < WAIT {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what}: not within {WAIT:?}");
}

#[test]
fn serves_the_site_with_the_live_script_and_content_types() {
    let root = site_copy("serve-pages");
    let server = start(&root);
    let port = server.port();
    assert_eq!(server.url(), format!("http://127.0.0.1:{port}/"));
    let dir = server.site_dir().expect("first build served");
    assert!(dir.starts_with(root.canonicalize().unwrap().join(".jawnik/serve")));
    assert!(!root.join("public").exists(), "serve never writes public/");

    let home = get(port, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.body
            .contains("<script src=\"/__jawnik/live.js?v=1\" defer></script></body>"),
        "live script before </body>"
    );
    assert_eq!(
        home.header("content-length").unwrap(),
        home.body.len().to_string()
    );
    // Links use the local base URL; the built files themselves have no live script.
    assert!(home.body.contains(&format!("http://127.0.0.1:{port}/")));
    let built = common::read(&dir, "index.html");
    assert!(!built.contains("__jawnik"));

    let page = get(port, "/programy/program-ekologiczny/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Krótki program."));

    let redirect = get(port, "/programy");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location").as_deref(), Some("/programy/"));

    let redirect = get(port, "/programy?strona=2");
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/programy/?strona=2")
    );

    let missing = get(port, "/nie-ma-takiej-strony/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, {
        let page = common::read(&dir, "404.html");
        String::from_utf8(serve::inject_live_script(page.into_bytes(), 1)).unwrap()
    });

    let live = get(port, "/__jawnik/live.js");
    assert_eq!(live.status, 200);
    assert_eq!(
        live.header("content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(live.body.contains("/__jawnik/events"));

    // Every file of the build is served with its type.
    let mut seen = std::collections::BTreeSet::new();
    for rel in common::tree(&dir).keys() {
        let ext = rel.rsplit_once('.').map(|x| x.1).unwrap_or("").to_string();
        if rel.starts_with('.') || !seen.insert(ext.clone()) {
            continue;
        }
        let encoded: String = rel
            .split('/')
            .map(|s| s.replace('%', "%25").replace(' ', "%20"))
            .collect::<Vec<_>>()
            .join("/");
        let r = request(port, "HEAD", &format!("/{encoded}"));
        assert_eq!(r.status, 200, "{rel}");
        assert!(r.body.is_empty(), "HEAD has no body");
        let expected = match ext.as_str() {
            "html" => "text/html; charset=utf-8".to_string(),
            "css" => "text/css; charset=utf-8".into(),
            "js" => "text/javascript; charset=utf-8".into(),
            "json" => "application/json; charset=utf-8".into(),
            "xml" => "text/xml; charset=utf-8".into(),
            "ics" => "text/calendar; charset=utf-8".into(),
            "csv" => "text/csv; charset=utf-8".into(),
            "wasm" => "application/wasm".into(),
            "svg" => "image/svg+xml".into(),
            "pdf" => "application/pdf".into(),
            "bin" | "deflate" => "application/octet-stream".into(),
            // Types this test has no opinion on yet: as the server's table says.
            _ => serve::content_type(Path::new(rel)),
        };
        assert_eq!(r.header("content-type"), Some(expected), "{rel}");
    }
    for ext in ["html", "css", "js", "wasm", "xml", "svg"] {
        assert!(seen.contains(ext), "the build has a .{ext} file: {seen:?}");
    }

    let post = request(port, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow").as_deref(), Some("GET, HEAD"));
}

#[test]
fn answers_ranges_conditional_requests_and_gzip_with_attachment_headers() {
    let server = start(&site_copy("serve-http"));
    let port = server.port();
    let dir = server.site_dir().unwrap();
    let files = common::tree(&dir);

    // Range: a record file of the search folder, as the page reads it.
    let (rel, bytes) = files
        .iter()
        .find(|(rel, bytes)| rel.starts_with("search/d/") && bytes.len() > 100)
        .expect("a record file");
    let target = format!("/{rel}");
    let part = request_with(
        port,
        "GET",
        &target,
        &[("Range", "bytes=10-99"), ("Accept-Encoding", "gzip")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 10-99/{}", bytes.len()))
    );
    assert_eq!(
        part.header("content-encoding"),
        None,
        "a range is never compressed"
    );
    assert_eq!(part.bytes, bytes[10..100]);
    let whole = get(port, &target);
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("accept-ranges").as_deref(), Some("bytes"));
    assert_eq!(&whole.bytes, bytes);
    let beyond = format!("bytes={}-", bytes.len() + 10);
    let r = request_with(port, "GET", &target, &[("Range", &beyond)]);
    assert_eq!(r.status, 416);
    let r = request_with(port, "GET", &target, &[("Range", "bytes=0-1,5-6")]);
    assert_eq!(
        (r.status, &r.bytes),
        (200, bytes),
        "several ranges: the whole file"
    );

    // Conditional requests, on a file and on a page (served with the live script).
    for target in [target.as_str(), "/programy/program-ekologiczny/"] {
        let first = get(port, target);
        let etag = first.header("etag").expect("an ETag");
        let modified = first.header("last-modified").expect("a Last-Modified");
        assert_eq!(first.header("cache-control").as_deref(), Some("no-cache"));
        for (name, value) in [("If-None-Match", &etag), ("If-Modified-Since", &modified)] {
            let r = request_with(port, "GET", target, &[(name, value)]);
            assert_eq!(r.status, 304, "{target} {name}");
            assert!(r.bytes.is_empty());
        }
        let r = request_with(port, "GET", target, &[("If-None-Match", "\"other\"")]);
        assert_eq!(r.status, 200, "{target}");
        let r = request_with(port, "GET", target, &[("If-Match", "\"other\"")]);
        assert_eq!(r.status, 412, "{target}");
    }

    // gzip for text when asked for, the same bytes once inflated; never for binary files.
    let home = get(port, "/");
    let packed = request_with(port, "GET", "/", &[("Accept-Encoding", "gzip")]);
    assert_eq!(packed.status, 200);
    assert_eq!(packed.header("content-encoding").as_deref(), Some("gzip"));
    let mut inflated = String::new();
    flate2::read::GzDecoder::new(&packed.bytes[..])
        .read_to_string(&mut inflated)
        .unwrap();
    assert_eq!(inflated, home.body);
    assert!(packed.bytes.len() < home.bytes.len() / 2);
    assert_eq!(home.header("content-encoding"), None, "not asked for");
    let css = files
        .keys()
        .find(|f| f.ends_with(".css"))
        .expect("a style sheet");
    let r = request_with(
        port,
        "GET",
        &format!("/{css}"),
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(
        r.header("content-encoding").as_deref(),
        Some("gzip"),
        "{css}"
    );
    let r = request_with(port, "GET", &target, &[("Accept-Encoding", "gzip")]);
    assert_eq!(r.header("content-encoding"), None, "{target}");

    // Attachments: sandboxed; the types a browser would run are downloads.
    std::fs::write(
        dir.join("pliki/raporty/pliki/rysunek.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    )
    .unwrap();
    for (target, content_type, disposition) in [
        (
            "/pliki/raporty/pliki/wyniki%20ankiety.csv",
            "text/csv; charset=utf-8",
            None,
        ),
        (
            "/pliki/raporty/pliki/rysunek.svg",
            "image/svg+xml",
            Some("attachment"),
        ),
    ] {
        let r = get(port, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type").as_deref(), Some(content_type));
        assert_eq!(r.header("content-disposition").as_deref(), disposition);
        assert_eq!(
            r.header("content-security-policy").as_deref(),
            Some("default-src 'none'; sandbox"),
            "{target}"
        );
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }
    // Pages are not sandboxed.
    assert_eq!(home.header("content-security-policy"), None);
}

#[test]
fn refuses_paths_outside_the_output_folder() {
    let root = site_copy("serve-traversal");
    let server = start(&root);
    let port = server.port();
    let dir = server.site_dir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), dir.join("leak.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, dir.join("leakdir")).unwrap();

    let cargo_toml = std::fs::read_to_string(common::manifest_dir().join("Cargo.toml")).unwrap();
    let jawnik_toml = std::fs::read_to_string(root.join("jawnik.toml")).unwrap();
    for target in [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fjawnik.toml",
        "/..%2f..%2f..%2fjawnik.toml",
        "/%5c..%5c",
        "/%5c..%5c..%5c..%5cjawnik.toml",
        "/..\\..\\jawnik.toml",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/./../secret.txt",
        "/x/../../secret.txt",
        "/..%00/secret.txt",
        "/%00",
        "//etc/passwd",
        "/etc/passwd",
        "/%252e%252e/secret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/",
        "/.jawnik-output",
        "http://127.0.0.1/../secret.txt",
        "../secret.txt",
        "*",
    ] {
        let r = get(port, target);
        assert!(
            [400, 403, 404].contains(&r.status),
            "{target}: status {}",
            r.status
        );
        for (what, text) in [
            ("secret.txt", "SEKRET-9f3a"),
            ("/etc/passwd", "root:"),
            ("Cargo.toml", cargo_toml.lines().next().unwrap()),
            ("jawnik.toml", jawnik_toml.lines().next().unwrap()),
            ("the marker", "This folder was written by jawnik"),
        ] {
            assert!(
                !r.body.contains(text),
                "{target} returned the contents of {what}"
            );
        }
    }
    assert_eq!(get(port, "/leak.txt").status, 403);
    assert_eq!(get(port, "/../Cargo.toml").status, 400);
}

/// Reads server-sent events until one named `name` arrives; returns its data.
fn next_event(stream: &mut TcpStream, buffer: &mut String, name: &str) -> String {
    let start = Instant::now();
    let marker = format!("event: {name}\ndata: ");
    loop {
        if let Some(i) = buffer.find(&marker) {
            let rest = &buffer[i + marker.len()..];
            if let Some(end) = rest.find("\n\n") {
                let data = rest[..end].to_string();
                *buffer = rest[end..].to_string();
                return data;
            }
        }
        assert!(
            start.elapsed() < WAIT,
            "no {name} event within {WAIT:?}; got {buffer:?}"
        );
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => panic!("the event stream closed; got {buffer:?}"),
            Ok(n) => buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("reading events: {e}"),
        }
    }
}

/// Runs a query over the served search folder, fetching what it needs over HTTP as the
/// page does: parts of files (`file#start-end`) by Range requests, each answered with
/// exactly its bytes (206). Returns the answer and the number of ranges fetched.
fn served_search(port: u16, query: &str) -> (String, usize) {
    let fetch = |path: &str| {
        let r = get(port, path);
        assert_eq!(r.status, 200, "{path}");
        r.bytes
    };
    let meta: serde_json::Value = serde_json::from_slice(&fetch("/search/meta.json")).unwrap();
    let meta_file = format!("/search/{}", meta["meta"].as_str().unwrap());
    let mut session = jawnik_web::Session::new(&fetch(&meta_file)).unwrap();
    let request = jawnik_web::Request {
        query: query.to_string(),
        limit: 10,
        ranges: true,
        ..jawnik_web::Request::default()
    };
    let mut ranges = 0;
    loop {
        match session.run(&request) {
            jawnik_web::Answer::Need(files) => {
                for f in files {
                    let bytes = match f.split_once('#') {
                        Some((file, span)) => {
                            let (start, end) = span.split_once('-').unwrap();
                            let (start, end): (usize, usize) =
                                (start.parse().unwrap(), end.parse().unwrap());
                            let range = format!("bytes={start}-{}", end - 1);
                            let r = request_with(
                                port,
                                "GET",
                                &format!("/search/{file}"),
                                &[("Range", &range), ("Accept-Encoding", "gzip")],
                            );
                            assert_eq!(r.status, 206, "{f}");
                            let total = r.header("content-range").unwrap();
                            assert!(
                                total.starts_with(&format!("bytes {start}-{}/", end - 1)),
                                "{f}: {total}"
                            );
                            assert_eq!(r.header("content-encoding"), None, "{f}");
                            assert_eq!(r.bytes.len(), end - start, "{f}");
                            ranges += 1;
                            r.bytes
                        }
                        None => fetch(&format!("/search/{f}")),
                    };
                    session.load(&f, &bytes).unwrap();
                }
            }
            answer => return (format!("{answer:?}"), ranges),
        }
    }
}

#[test]
fn rebuilds_on_change_and_keeps_the_last_good_site_on_errors() {
    let root = site_copy("serve-live");
    let server = start(&root);
    let port = server.port();
    let file = root.join("content/programy/program-ekologiczny.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let url = "/programy/program-ekologiczny/";
    let etag = get(port, url).header("etag").expect("pages have an ETag");

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    write!(
        events,
        "GET /__jawnik/events?since=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    let mut buffer = String::new();

    // An edit is served after a rebuild, and open pages are told to reload.
    std::fs::write(
        &file,
        original.replace("Krótki program.", "Zmieniony program: nowa treść."),
    )
    .unwrap();
    wait_for("the edited text is served", || {
        get(port, url)
            .body
            .contains("Zmieniony program: nowa treść.")
    });
    let data = next_event(&mut events, &mut buffer, "reload");
    assert!(data.contains("\"build\":"), "{data}");
    // A browser revalidating its copy gets the new page, never a 304 for the old one.
    let again = request_with(port, "GET", url, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 200);
    assert!(again.body.contains("Zmieniony program: nowa treść."));
    let new_etag = again.header("etag").unwrap();
    assert_ne!(new_etag, etag);
    let same = request_with(port, "GET", url, &[("If-None-Match", &new_etag)]);
    assert_eq!(same.status, 304);
    assert!(same.bytes.is_empty());
    assert!(get(port, url).body.contains("live.js?v=2"));
    assert_eq!(
        server.incremental_updates(),
        1,
        "a body edit is rebuilt incrementally"
    );
    // The served search has the new words, its records read by byte range (served from
    // memory: the patched search folder).
    let (found, ranges) = served_search(port, "zmieniony");
    assert!(found.contains("program-ekologiczny"), "{found}");
    assert!(ranges > 0, "no record read by range");

    // Invalid TOML: the error event carries file:line, the last good page stays.
    std::fs::write(
        &file,
        original
            .replace("title = \"Program", "title = \"Program\nzepsuty")
            .replace("Krótki program.", "Tego nie widać."),
    )
    .unwrap();
    let data = next_event(&mut events, &mut buffer, "error");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let errors: Vec<String> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/programy/program-ekologiczny.md:")),
        "{errors:?}"
    );
    assert_eq!(server.errors(), Some(errors));
    let page = get(port, url);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Zmieniony program: nowa treść."));
    assert!(!page.body.contains("Tego nie widać."));
    // A page opened now learns about the error at once.
    let mut late = TcpStream::connect(("127.0.0.1", port)).unwrap();
    late.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    write!(
        late,
        "GET /__jawnik/events?since=2 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    next_event(&mut late, &mut String::new(), "error");

    // Fixed: served again, errors gone, pages reload.
    std::fs::write(&file, original.replace("Krótki program.", "Naprawiony.")).unwrap();
    next_event(&mut events, &mut buffer, "reload");
    wait_for("the fixed text is served", || {
        get(port, url).body.contains("Naprawiony.")
    });
    assert_eq!(server.errors(), None);
    assert!(!root.join("public").exists());
}

#[test]
fn a_failed_first_build_is_shown_until_jawnik_toml_is_fixed() {
    let root = site_copy("serve-first");
    let config = root.join("jawnik.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, good.replace("title = \"", "title = \"\"\"")).unwrap();
    let server = start(&root);
    let port = server.port();
    assert_eq!(server.site_dir(), None);
    let errors = server.errors().expect("the first build failed");
    assert!(
        errors.iter().any(|e| e.starts_with("jawnik.toml:")),
        "{errors:?}"
    );

    let page = get(port, "/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("jawnik.toml:"), "{}", page.body);
    assert!(page.body.contains("/__jawnik/live.js?v=0"));

    std::fs::write(&config, &good).unwrap();
    wait_for("the site is served once jawnik.toml is fixed", || {
        get(port, "/").status == 200
    });
    assert!(get(port, "/").body.contains("Jawny Kraków (test)"));
    assert_eq!(server.errors(), None);
}

#[test]
fn watches_a_themes_folder_created_after_the_start() {
    let root = site_copy("serve-theme");
    let server = start(&root);
    let port = server.port();
    assert!(!root.join("themes").exists());
    let css = || get(port, "/css/style.css").body;
    assert!(!css().contains("jawnik-serve-test"));

    // The theme appears: a rebuild uses it, and its folder is watched from then on.
    let from = common::manifest_dir().join("themes/default");
    let to = root.join("themes/default");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
    wait_for("a rebuild with the new theme", || server.builds() >= 2);
    let style = to.join("static/css/style.css");
    let mut text = std::fs::read_to_string(&style).unwrap();
    text.push_str("\n.jawnik-serve-test { color: red; }\n");
    std::fs::write(&style, text).unwrap();
    wait_for("the edited style sheet is served", || {
        css().contains("jawnik-serve-test")
    });
}

#[test]
fn stops_with_clients_that_do_not_finish() {
    let server = start(&site_copy("serve-stop"));
    // One that does not read the (big) file it asked for.
    let big = server.site_dir().unwrap().join("pliki/big.bin");
    std::fs::write(&big, vec![7u8; 64 << 20]).unwrap();
    let mut stuck = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    write!(stuck, "GET /pliki/big.bin HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    // One half-way through its request, one idle after a response.
    let mut slow = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let mut idle = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    write!(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "stopping took {:?}",
        started.elapsed()
    );
}
