// Browser-search benchmark: jawnik's static search vs Pagefind, first query on a cold cache.
//
//   node bench/browser-search.mjs --name NAME --queries bench/queries-browser.txt \
//       [--jawnik PUBLIC_DIR] [--pagefind PAGEFIND_SITE_DIR] --out RESULT.json \
//       [--encoding gzip|br|identity] [--modes nav,typed] [--ranges yes|no]
//
// Every query (one a line, `#` comments) runs, for every engine given, in two ways, each in a
// FRESH browser (new profile folder: cold HTTP cache, nothing in memory):
//
// nav    the query is in the URL: the browser opens
//          jawnik:   /szukaj/?q=QUERY     done when #jawnik-search-results[data-state=done]
//          Pagefind: /pagefind-bench.html?q=QUERY   (`import('/pagefind/pagefind.js')`,
//                    `await pagefind.search(q)`, then `.data()` of the first 10 results, as
//                    its UI does to show them; done when <html data-state="done">)
//        `toDone` = navigation start → results (page load included).
// typed  what a person waits for: the search page is opened WITHOUT a query and left to go
//        idle (load event, network idle for 500 ms, an idle callback). Then
//          jawnik:   the search box (#q, focused first) gets the whole query at once (value
//                    set + the `input` event search.js listens to, i.e. what fill() does, as
//                    when pasted or autofilled: search.js searches such input at once, typing
//                    a letter at a time waits for a 120 ms pause) and searches as while typing
//                    (the last word also as a prefix); done at the next data-state=done.
//          Pagefind: the bench page imported pagefind.js and ran `pagefind.init()` at load
//                    (what Pagefind's UI does when its box gets focus: import, options,
//                    filters(), which loads the entry, wasm and pf_meta); then
//                    `pagefind.search(q)` + `.data()` of 10 results is called; done when it
//                    resolves.
//        `typedToDone` = the moment the query is in the box → results; `typedEngine` = the
//        moment the search starts (jawnik: its data-state turns "loading"; Pagefind: the
//        call) → results.
//        Bytes are counted from the moment the query is in the box ("after typing"); what
//        the page fetched while loading is `load*`.
//
// The tiny static server below plays a static host: with `--encoding gzip` (default) or
// `br` it compresses, when the request's Accept-Encoding allows it, the types Netlify
// compresses (text/html, text/css, text/javascript, application/json, image/svg+xml,
// application/xml, application/wasm), and sends every other type as stored: jawnik's `.bin`
// and `.wasm.deflate` (raw DEFLATE) and Pagefind's pf_* and wasm files (gzip) are already
// compressed and go out as application/octet-stream. `br` falls back to gzip when the browser
// does not offer br (Chromium 156 does offer it to http://127.0.0.1). For every response it logs
// `raw` (file bytes), `gz` (the file gzipped at level 6, computed here whatever was sent),
// `wire` (body bytes actually sent: compressed length when compressed; HTTP headers not
// counted), the encoding, and when the request arrived and the response finished (epoch ms,
// same clock as the page's performance.timeOrigin + now()). A request for one byte range
// (`Range: bytes=a-b`) of a file sent as stored gets 206 and those bytes, as nginx, Apache
// or S3 answer it (jawnik asks for its records so); `--ranges no` plays a host
// without Range support (200, the whole file).
// "search" = files under /search/ (jawnik) or /pagefind/ (Pagefind); "all" = everything
// (HTML page, CSS, JS, favicon…), counted until the network is quiet after "done" (so
// jawnik's facet table, fetched right after the results, is in).
// Fetch rounds: the search files of a run, ordered by request time, grouped so that a file
// requested before every earlier file of its group had arrived joins that group; times are
// relative to the run's origin (nav: navigation start; typed: the query in the box).
//
// Chromium: Debian's /usr/bin/chromium through playwright-core, with the flags of
// tests/browser/chromium.mjs (as the browser tests). Environment: CHROMIUM_PATH,
// BS_TIMEOUT_MS (per query, 60000).

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/browser/chromium.mjs';

const TIMEOUT_MS = Number(process.env.BS_TIMEOUT_MS || 60000);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream',
  '.deflate': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};
// What Netlify compresses (and nginx with `gzip on; gzip_types …` would): text types, JSON,
// SVG, XML and wasm. Everything else is sent as stored.
const COMPRESSIBLE = new Set([
  'text/html',
  'text/css',
  'text/javascript',
  'application/json',
  'image/svg+xml',
  'application/xml',
  'application/wasm',
]);
const ENCODINGS = ['gzip', 'br', 'identity'];
const MODES = ['nav', 'typed'];
const now = () => performance.timeOrigin + performance.now();

function args() {
  const a = { encoding: 'gzip', modes: MODES.join(','), ranges: 'yes' };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) a[v[i].replace(/^--/, '')] = v[i + 1];
  a.modes = a.modes.split(',').filter(Boolean);
  if (!a.queries || !a.out || !(a.jawnik || a.pagefind) || !ENCODINGS.includes(a.encoding) ||
      !a.modes.length || a.modes.some((m) => !MODES.includes(m)) || !['yes', 'no'].includes(a.ranges)) {
    console.error('usage: node bench/browser-search.mjs --name NAME --queries FILE [--jawnik DIR] [--pagefind DIR] --out FILE.json' +
      ' [--encoding gzip|br|identity] [--modes nav,typed] [--ranges yes|no]');
    process.exit(2);
  }
  return a;
}

// ---------------------------------------------------------------------------------------
// Static server that compresses like a host and logs what it sends

const gzCache = new Map();
const bodyCache = new Map();
// The "gz" column (the file gzipped at level 6, whatever was sent): computed after the run,
// not while serving, so that it never delays a response.
function gzipSize(key, read) {
  let n = gzCache.get(key);
  if (n === undefined) {
    n = zlib.gzipSync(read(), { level: 6 }).length;
    gzCache.set(key, n);
  }
  return n;
}
function fillGz(log, virtual) {
  for (const e of log) {
    if (e.gz == null) e.gz = gzipSize(e.key, () => (virtual.has(e.key) ? virtual.get(e.key) : readFileSync(e.key)));
  }
}
// The body for an encoding, cached: a real host compresses once (or stores precompressed
// files), so compression time must not count as the search's time. The warm-up query fills
// the cache for the page files.
function encodedBody(key, bytes, enc) {
  if (enc === 'identity') return bytes;
  const k = `${enc}|${key}`;
  let b = bodyCache.get(k);
  if (!b) {
    b = enc === 'gzip'
      ? zlib.gzipSync(bytes, { level: 6 })
      : zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
    bodyCache.set(k, b);
  }
  return b;
}

/** The encoding to send: the server's mode, if the request accepts it (q > 0). */
function negotiate(mode, acceptEncoding) {
  if (mode === 'identity') return 'identity';
  const offered = new Set();
  for (const part of String(acceptEncoding || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
    if (name && !(q && Number(q[1]) === 0)) offered.add(name);
  }
  if (mode === 'br' && offered.has('br')) return 'br';
  if (offered.has('gzip')) return 'gzip';
  return 'identity';
}

function startServer(encoding, ranges) {
  const state = { root: null, virtual: new Map(), log: [], inflight: 0, last: now() };
  const server = http.createServer((req, res) => {
    const start = now();
    state.inflight++;
    const entry = { path: '', status: 0, raw: 0, gz: 0, wire: 0, enc: 'identity', start, end: start };
    state.log.push(entry);
    res.on('close', () => {
      entry.end = now();
      state.inflight--;
      state.last = entry.end;
    });
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      entry.status = 400;
      res.writeHead(400).end();
      return;
    }
    entry.path = p;
    let bytes = state.virtual.get(p);
    let type = bytes && TYPES[path.extname(p)];
    let key = p;
    if (!bytes) {
      let file = path.join(state.root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
      try {
        if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      } catch {}
      if (!file.startsWith(state.root) || !existsSync(file) || !statSync(file).isFile()) {
        const body = 'not found';
        Object.assign(entry, { status: 404, raw: body.length, gz: body.length, wire: body.length });
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end(body);
        return;
      }
      bytes = readFileSync(file);
      type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
      key = file;
    }
    const enc = COMPRESSIBLE.has(type.split(';')[0]) ? negotiate(encoding, req.headers['accept-encoding']) : 'identity';
    // One byte range of a file sent as stored, as static hosts answer it (unless --ranges no).
    const range = ranges && enc === 'identity' && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
    if (range && Number(range[1]) <= Number(range[2]) && Number(range[2]) < bytes.length) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      const body = bytes.subarray(a, b + 1);
      Object.assign(entry, { status: 206, raw: body.length, gz: body.length, key, wire: body.length, enc, range: `${a}-${b}` });
      res.writeHead(206, { 'Content-Type': type, 'Content-Length': body.length, 'Content-Range': `bytes ${a}-${b}/${bytes.length}`, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const body = encodedBody(key, bytes, enc);
    Object.assign(entry, { status: 200, raw: bytes.length, gz: null, key, wire: body.length, enc });
    const headers = { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' };
    if (enc !== 'identity') headers['Content-Encoding'] = enc;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  /** Resolves once no request is open and none has finished for `quietMs` (at most `maxMs`). */
  const quiet = async (quietMs = 150, maxMs = 3000) => {
    const until = now() + maxMs;
    while (now() < until && (state.inflight > 0 || now() - state.last < quietMs)) await new Promise((r) => setTimeout(r, 20));
  };
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ state, quiet, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// ---------------------------------------------------------------------------------------
// Pages

// Served from memory at /pagefind-bench.html (nothing is written into the site folder).
// With ?q=: search at once (nav). Without: import + init, then wait for window.__bsRun(q).
const PAGEFIND_PAGE = `<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><title>Pagefind bench</title></head>
<body><p id="out">…</p>
<script type="module">
const q = new URLSearchParams(location.search).get('q');
const loaded = import('/pagefind/pagefind.js');
async function run(query) {
  const t0 = performance.now();
  const pagefind = await loaded;
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  const done = performance.now();
  document.getElementById('out').textContent = search.results.length + ' results';
  return { t0, done, total: search.results.length, top: data.map((d) => [d.url, (d.meta && d.meta.title) || '']) };
}
if (q !== null) {
  try {
    window.__bs = await run(q);
  } catch (e) {
    window.__bs = { done: performance.now(), error: String(e && e.stack || e) };
  }
  document.documentElement.dataset.state = 'done';
} else {
  try {
    const pagefind = await loaded;
    await pagefind.init();
    window.__bs = { ready: performance.now() };
  } catch (e) {
    window.__bs = { error: String(e && e.stack || e) };
  }
  window.__bsRun = async (query) => {
    try {
      return await run(query);
    } catch (e) {
      return { done: performance.now(), error: String(e && e.stack || e) };
    }
  };
  document.documentElement.dataset.state = 'ready';
}
</script></body></html>
`;

// Runs before the page's scripts: note when jawnik's results container starts a search
// ("loading") and when it turns "done" (or fails). The typed run clears both before typing.
const JAWNIK_INIT = `
(() => {
  const obs = new MutationObserver((muts) => {
    for (const m of muts) {
      const t = m.target;
      if (t.id !== 'jawnik-search-results') continue;
      const s = t.dataset.state;
      if (s === 'loading' && window.__bsLoading == null && !window.__bsDone) window.__bsLoading = performance.now();
      if (!window.__bsDone && (s === 'done' || s === 'error' || s === 'stale')) {
        window.__bsDone = performance.now();
        window.__bsState = s;
      }
    }
  });
  obs.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
})();
`;

// Runs before the page's scripts (both engines): every fetch() of the page's main thread
// with the time it was called and a batch number; calls made in one synchronous stretch of
// script (no microtask checkpoint between them: jawnik's Promise.all over the files an answer
// asks for) share a batch. Fetches from workers (Pagefind's search worker) are not seen.
const FETCH_INIT = `
(() => {
  const orig = window.fetch;
  let batch = 0;
  let open = false;
  window.__bsFetches = [];
  window.fetch = function (input, init) {
    if (!open) {
      open = true;
      batch++;
      queueMicrotask(() => { open = false; });
    }
    try {
      const url = typeof input === 'string' ? input : (input && input.url) || String(input);
      window.__bsFetches.push([new URL(url, location.href).pathname, performance.now(), batch]);
    } catch {}
    return orig.apply(this, arguments);
  };
})();
`;

// In the page, after jawnik's "done": what the results say.
function jawnikResult() {
  const root = document.getElementById('jawnik-search-results');
  const status = document.getElementById('jawnik-search-status').textContent || '';
  const m = /Znaleziono (\d+)/.exec(status.replace(/\s/g, (s) => (s === ' ' ? ' ' : '')));
  return {
    done: window.__bsDone,
    loading: window.__bsLoading,
    state: window.__bsState,
    query: root.dataset.query,
    total: m ? Number(m[1]) : (/Nie znaleziono/.test(status) ? 0 : null),
    status,
    top: [...root.querySelectorAll('.search-result-title a')].map((a) => [a.getAttribute('href'), a.textContent]),
    origin: performance.timeOrigin,
  };
}

/**
 * Groups search-file fetches into rounds: [first request, last response, files, wire bytes,
 * how grouped] (ms from the origin). Files the page's main thread fetched are grouped by
 * fetch batch ("page": exact); the rest (worker fetches) by timing at the server ("server",
 * approximate): a request that arrives at most GAP_MS after the group's last response ended
 * joins the group (on localhost a response can end before the next request of the same
 * batch arrives; a real next round waits for the engine's work on the previous one, though
 * that can be short too).
 */
function rounds(files) {
  const out = [];
  const byBatch = new Map();
  for (const f of files.slice().sort((a, b) => a.start - b.start)) {
    let cur = f.batch != null ? byBatch.get(f.batch) : out.findLast((r) => r[4] === 'server');
    if (f.batch == null && !(cur && f.start <= cur[1] + GAP_MS)) cur = null;
    if (cur) {
      cur[1] = Math.max(cur[1], f.end);
      cur[2]++;
      cur[3] += f.wire;
    } else {
      cur = [f.start, f.end, 1, f.wire, f.batch != null ? 'page' : 'server'];
      out.push(cur);
      if (f.batch != null) byBatch.set(f.batch, cur);
    }
  }
  return out.sort((a, b) => a[0] - b[0]).map((r) => [round1(r[0]), round1(r[1]), r[2], r[3], r[4]]);
}
const round1 = (x) => Math.round(x * 10) / 10;
const GAP_MS = 2;

/**
 * Byte and time fields of a run from the server log (epoch ms, made relative to `origin`),
 * with the page's fetch() calls (`fetches`: [path, page ms, batch]; `pageOrigin` = the page's
 * timeOrigin) matched to the log's entries by path, in order.
 */
function measure(server, log, prefix, origin, doneEpoch, fetches = [], pageOrigin = 0) {
  fillGz(log, server.state.virtual);
  const calls = new Map();
  for (const [p, t, batch] of fetches) {
    if (pageOrigin + t < origin - 1) continue; // before this run's origin (the page load)
    if (!calls.has(p)) calls.set(p, []);
    calls.get(p).push(batch);
  }
  const rel = log.map((e) => ({ ...e, start: e.start - origin, end: e.end - origin, batch: (calls.get(e.path) || []).shift() }));
  const search = rel.filter((e) => e.path.startsWith(prefix));
  const sum = (a, k) => a.reduce((s, e) => s + e[k], 0);
  const done = doneEpoch - origin;
  return {
    searchRaw: sum(search, 'raw'),
    searchGz: sum(search, 'gz'),
    searchWire: sum(search, 'wire'),
    allRaw: sum(rel, 'raw'),
    allGz: sum(rel, 'gz'),
    allWire: sum(rel, 'wire'),
    // Bytes of the responses that had arrived when the results were shown.
    allWireToDone: sum(rel.filter((e) => e.end <= done + 0.5), 'wire'),
    searchFiles: search.length,
    allFiles: rel.length,
    fromFirst: search.length ? done - Math.min(...search.map((e) => e.start)) : null,
    rounds: rounds(search.filter((e) => e.start <= done)),
    notFound: rel.filter((e) => e.status !== 200).map((e) => e.path),
    // [path, raw, gzip, wire, encoding, request ms, response end ms, page fetch batch]
    files: rel.map((e) => [e.path, e.raw, e.gz, e.wire, e.enc, round1(e.start), round1(e.end), e.batch ?? null]),
  };
}

async function withBrowser(fn) {
  const profile = await mkdtemp(path.join(tmpdir(), 'bs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'pl-PL',
    timeout: TIMEOUT_MS,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    const consoleMsgs = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') consoleMsgs.push(m.text().slice(0, 300));
    });
    page.on('pageerror', (e) => consoleMsgs.push(String(e).slice(0, 300)));
    return await fn(page, consoleMsgs);
  } finally {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  }
}

const PREFIX = { jawnik: '/search/', pagefind: '/pagefind/' };

/** The page's fetch() batches (and for jawnik the results' state) recorded; the server's log cleared. */
async function instrument(page, engine, server) {
  await page.addInitScript(FETCH_INIT);
  if (engine === 'jawnik') await page.addInitScript(JAWNIK_INIT);
  server.state.log = [];
}

/** The query in the URL, fresh browser: navigation start → results. */
async function runNav(server, engine, q) {
  const rec = {};
  try {
    await withBrowser(async (page, consoleMsgs) => {
      rec.console = consoleMsgs;
      await instrument(page, engine, server);
      const url = engine === 'jawnik'
        ? `${server.url}/szukaj/?q=${encodeURIComponent(q)}`
        : `${server.url}/pagefind-bench.html?q=${encodeURIComponent(q)}`;
      await page.goto(url, { timeout: TIMEOUT_MS });
      let r;
      if (engine === 'jawnik') {
        await page.waitForFunction(() => window.__bsDone, null, { timeout: TIMEOUT_MS });
        r = await page.evaluate(jawnikResult);
      } else {
        await page.waitForSelector('html[data-state=done]', { timeout: TIMEOUT_MS, state: 'attached' });
        r = await page.evaluate(() => ({ ...window.__bs, state: window.__bs.error ? 'error' : 'done', origin: performance.timeOrigin }));
      }
      r.fetches = await page.evaluate(() => window.__bsFetches || []);
      // Let what follows the results (jawnik's facet table) land, then take the log.
      await server.quiet();
      Object.assign(rec, {
        state: r.state,
        error: r.error || (r.state !== 'done' ? [r.status, ...consoleMsgs].filter(Boolean).join(' | ') : undefined),
        total: r.total,
        top: r.top,
        toDone: r.done,
        ...measure(server, server.state.log.slice(), PREFIX[engine], r.origin, r.origin + r.done, r.fetches, r.origin),
      });
    });
  } catch (e) {
    rec.state = 'failed';
    rec.error = String(e && e.message || e).split('\n')[0];
  }
  return rec;
}

/** The search page opened without a query and left idle, then the query typed: typed → results. */
async function runTyped(server, engine, q) {
  const rec = {};
  try {
    await withBrowser(async (page, consoleMsgs) => {
      rec.console = consoleMsgs;
      await instrument(page, engine, server);
      const url = engine === 'jawnik' ? `${server.url}/szukaj/` : `${server.url}/pagefind-bench.html`;
      await page.goto(url, { timeout: TIMEOUT_MS, waitUntil: 'load' });
      if (engine === 'jawnik') await page.focus('#q');
      else await page.waitForSelector('html[data-state=ready]', { timeout: TIMEOUT_MS, state: 'attached' });
      await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });
      await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(), { timeout: 1000 })));
      await server.quiet();
      const loadLog = server.state.log.slice();
      const loadSearch = loadLog.filter((e) => e.path.startsWith(PREFIX[engine]));
      rec.loadWire = loadLog.reduce((s, e) => s + e.wire, 0);
      rec.loadSearchWire = loadSearch.reduce((s, e) => s + e.wire, 0);
      rec.loadFiles = loadLog.map((e) => [e.path, e.raw, e.wire, e.enc]);
      rec.loadSearchFiles = loadSearch.length;
      // The engine's start-up files must be in before typing, or "typed" would count them.
      const startup = engine === 'jawnik' ? [/\/meta\.json$/, /\.wasm(\.deflate)?$/] : [/\.pf_meta$/, /\/wasm\.[^/]*\.pagefind$/];
      rec.notReady = startup.filter((re) => !loadSearch.some((e) => re.test(e.path))).map(String);
      if (rec.notReady.length) throw new Error(`the page went idle without fetching ${rec.notReady.join(', ')}`);
      server.state.log = [];
      let r;
      if (engine === 'jawnik') {
        const t = await page.evaluate((q) => {
          window.__bsDone = undefined;
          window.__bsLoading = undefined;
          const input = document.getElementById('q');
          const t0 = performance.now();
          input.value = q;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          return t0;
        }, q);
        await page.waitForFunction(() => window.__bsDone, null, { timeout: TIMEOUT_MS });
        r = { ...(await page.evaluate(jawnikResult)), t0: t };
      } else {
        const pre = await page.evaluate(() => window.__bs);
        if (pre && pre.error) throw new Error(`pagefind.init(): ${pre.error}`);
        r = await page.evaluate((q) => window.__bsRun(q), q);
        r.state = r.error ? 'error' : 'done';
        r.loading = r.t0;
        r.origin = await page.evaluate(() => performance.timeOrigin);
      }
      r.fetches = await page.evaluate(() => window.__bsFetches || []);
      await server.quiet();
      const origin = r.origin + r.t0;
      Object.assign(rec, {
        state: r.state,
        error: r.error || (r.state !== 'done' ? [r.status, ...consoleMsgs].filter(Boolean).join(' | ') : undefined),
        query: r.query,
        total: r.total,
        top: r.top,
        typedToDone: r.done - r.t0,
        typedEngine: r.loading != null ? r.done - r.loading : null,
        ...measure(server, server.state.log.slice(), PREFIX[engine], origin, r.origin + r.done, r.fetches, r.origin),
      });
    });
  } catch (e) {
    rec.state = 'failed';
    rec.error = String(e && e.message || e).split('\n')[0];
  }
  return rec;
}

function stats(xs) {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: null, p95: null, max: null };
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  const p95 = v[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
  return { n: v.length, median, p95, max: v[v.length - 1] };
}

const kb = (n) => (n == null ? '-' : (n / 1024).toFixed(1));
const ms = (n) => (n == null ? '-' : n.toFixed(0));

async function main() {
  const a = args();
  const queries = readFileSync(a.queries, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const extra = (a.extra || '').split('|').filter(Boolean); // correctness-only queries
  const server = await startServer(a.encoding, a.ranges !== 'no');
  server.state.virtual.set('/pagefind-bench.html', Buffer.from(PAGEFIND_PAGE));
  const out = { name: a.name, date: new Date().toISOString(), encoding: a.encoding, ranges: a.ranges, modes: a.modes, engines: {} };
  try {
    for (const engine of ['jawnik', 'pagefind']) {
      const dir = a[engine];
      if (!dir) continue;
      server.state.root = path.resolve(dir);
      // Warm-up (not counted): the OS page cache, chromium's binary and the server's
      // compressed bodies of the page files; not the browser's HTTP cache.
      if (a.modes.includes('nav')) await runNav(server, engine, queries[0]);
      if (a.modes.includes('typed')) await runTyped(server, engine, queries[0]);
      const recs = [];
      for (const q of [...queries, ...extra]) {
        const r = { q, engine, extra: extra.includes(q) && !queries.includes(q) };
        if (a.modes.includes('nav')) Object.assign(r, await runNav(server, engine, q));
        if (a.modes.includes('typed')) {
          r.typed = await runTyped(server, engine, q);
          if (!a.modes.includes('nav')) Object.assign(r, { state: r.typed.state, error: r.typed.error, total: r.typed.total, top: r.typed.top });
        }
        recs.push(r);
        const t = r.typed;
        process.stderr.write(
          `${a.name} ${engine} ${JSON.stringify(q)}: ${r.state} total=${r.total}` +
            (a.modes.includes('nav')
              ? ` | nav: all ${kb(r.allRaw)} raw / ${kb(r.allWire)} wire KB, search ${kb(r.searchWire)} wire KB in ` +
                `${r.searchFiles} files, ${(r.rounds || []).length} rounds, ${ms(r.toDone)} ms (${ms(r.fromFirst)} from first search request)`
              : '') +
            (t
              ? ` | typed: ${t.state} total=${t.total} after typing ${kb(t.allWire)} wire KB (page load ${kb(t.loadWire)}), ` +
                `${(t.rounds || []).length} rounds, ${ms(t.typedToDone)} ms (engine ${ms(t.typedEngine)})`
              : '') +
            `${r.error ? ' ERROR ' + r.error : ''}${t && t.error ? ' TYPED ERROR ' + t.error : ''}\n`,
        );
      }
      const main = recs.filter((r) => !r.extra && r.state === 'done');
      const typed = recs.filter((r) => !r.extra && r.typed && r.typed.state === 'done').map((r) => r.typed);
      const nav = a.modes.includes('nav');
      const e = (out.engines[engine] = {
        dir,
        queries: recs.filter((r) => !r.extra).length,
        ok: main.length,
        failed: recs.filter((r) => !r.extra && r.state !== 'done').map((r) => [r.q, r.state, r.error]),
        typedOk: typed.length,
        typedFailed: recs.filter((r) => !r.extra && r.typed && r.typed.state !== 'done').map((r) => [r.q, r.typed.state, r.typed.error]),
        records: recs,
      });
      if (nav) {
        for (const k of ['searchRaw', 'searchGz', 'searchWire', 'allRaw', 'allGz', 'allWire', 'allWireToDone', 'toDone', 'fromFirst']) {
          e[k] = stats(main.map((r) => r[k]));
        }
        e.rounds = stats(main.map((r) => r.rounds.length));
      }
      if (typed.length) {
        for (const k of ['searchWire', 'allWire', 'allRaw', 'allWireToDone', 'loadWire', 'typedToDone', 'typedEngine']) {
          e[`typed_${k}`] = stats(typed.map((r) => r[k]));
        }
        e.typed_rounds = stats(typed.map((r) => r.rounds.length));
      }
      const line = (label, s, f) => (s ? `${label} median ${f(s.median)} p95 ${f(s.p95)} max ${f(s.max)}` : null);
      process.stderr.write(
        [
          `== ${a.name} ${engine} (${a.encoding}):` +
            (nav ? ` nav ${e.ok}/${e.queries}` : '') + (a.modes.includes('typed') ? ` typed ${e.typedOk}/${e.queries}` : ''),
          line('  nav all KB wire', e.allWire, kb),
          line('  nav all KB raw', e.allRaw, kb),
          line('  nav search KB wire', e.searchWire, kb),
          line('  nav ms', e.toDone, ms),
          line('  nav rounds', e.rounds, ms),
          line('  typed all KB wire', e.typed_allWire, kb),
          line('  page load KB wire (typed runs)', e.typed_loadWire, kb),
          line('  typed ms', e.typed_typedToDone, ms),
          line('  typed engine ms', e.typed_typedEngine, ms),
          line('  typed rounds', e.typed_rounds, ms),
        ].filter(Boolean).join('\n') + '\n',
      );
    }
  } finally {
    await server.close();
  }
  writeFileSync(a.out, JSON.stringify(out, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
