//! Live reload: HTML responses (only as served, the built files are untouched) get
//! `<script src="/__jawnik/live.js?v=N" defer></script>` before `</body>`, `N` being the
//! site they come from. The script ([`LIVE_JS`]) listens to `/__jawnik/events?since=N`
//! (server-sent events): `reload` when a newer site is served, `error` (JSON `{"build",
//! "errors"}`) when a rebuild failed; the page then shows an overlay over the last good
//! version. No inline script, so the site's Content-Security-Policy (`script-src 'self'`)
//! allows it.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use futures_util::stream::{self, StreamExt};

use super::{Live, Shared};

/// The live-reload script served at `/__jawnik/live.js`.
pub const LIVE_JS: &str = include_str!("live.js");

/// Event-stream connections get a comment this often (to notice closed tabs).
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How soon a page reconnects after the event stream broke.
const RETRY: Duration = Duration::from_millis(1000);

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

/// `/__jawnik/live.js`.
pub(super) async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
}

/// `reload`: site number `site` is served.
fn reload(site: u64) -> Event {
    Event::default()
        .event("reload")
        .data(serde_json::json!({ "build": site }).to_string())
}

/// What a page is told of the last build result: `error` with the errors, or `reload`.
fn live_event(live: &Live) -> Event {
    match &live.errors {
        Some(errors) => Event::default()
            .event("error")
            .data(serde_json::json!({ "build": live.site, "errors": errors }).to_string()),
        None => reload(live.site),
    }
}

/// `/__jawnik/events?since=N`: `reload` when a site newer than N is served (at once if one
/// already is), `error` when the last build failed; a comment every 15 s otherwise. The
/// stream ends when the server stops.
pub(super) async fn events(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
) -> impl IntoResponse {
    let since: Option<u64> = query.as_deref().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok())
    });
    // Subscribed before reading the state: no build result falls in between.
    let changes = shared.changed.subscribe();
    let (first, seen) = {
        let live = shared.live();
        let first = if since.is_some_and(|s| s != live.site) && live.current.is_some() {
            Some(reload(live.site))
        } else if live.errors.is_some() {
            Some(live_event(&live))
        } else {
            None
        };
        (first, live.seq)
    };
    let start = stream::iter(
        std::iter::once(Event::default().retry(RETRY))
            .chain(first)
            .map(Ok::<_, Infallible>),
    );
    let later = stream::unfold(
        (shared, changes, seen),
        |(shared, mut changes, seen)| async move {
            loop {
                {
                    let live = shared.live();
                    if live.stopping {
                        return None;
                    }
                    if live.seq != seen {
                        let seq = live.seq;
                        let event = live_event(&live);
                        drop(live);
                        return Some((Ok(event), (shared, changes, seq)));
                    }
                }
                changes.changed().await.ok()?;
            }
        },
    );
    Sse::new(start.chain(later)).keep_alive(KeepAlive::new().interval(KEEPALIVE).text("keep-alive"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
