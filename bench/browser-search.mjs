// Browser-search benchmark: jawnik's static search vs Pagefind, first query on a cold cache.
//
//   node bench/browser-search.mjs --name NAME --queries bench/queries-browser.txt \
//       [--jawnik PUBLIC_DIR] [--pagefind PAGEFIND_SITE_DIR] --out RESULT.json
//
// For every query (one a line, `#` comments) and every engine given, a FRESH browser context
// (new profile folder: cold HTTP cache, nothing in memory) loads
//   jawnik:   /szukaj/?q=QUERY            done when #jawnik-search-results[data-state=done]
//   Pagefind: /pagefind-bench.html?q=QUERY (written into the Pagefind folder by this script:
//             `await pagefind.search(q)`, then `.data()` of the first 10 results, as its UI
//             does to show them; done when <html data-state="done">)
// and records every response the tiny static server below sends after navigation started:
// raw body bytes, and the gzip size of the same file (zlib level 6, computed here: the server
// itself sends identity encoding). "search" = files under /search/ (jawnik) or /pagefind/
// (Pagefind); "all" = everything (HTML page, CSS, JS, favicon…).
// Times are `performance.now()` inside the page (origin = navigation start): `toDone` is
// navigation start → results rendered; `fromFirst` is the start of the first request for a
// search file → results rendered (Resource Timing).
//
// Chromium: Debian's /usr/bin/chromium through playwright-core, the flags of
// tests/browser/harness.mjs. Environment: CHROMIUM_PATH, BS_TIMEOUT_MS (per query, 60000).

import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.BS_TIMEOUT_MS || 60000);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
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
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

function args() {
  const a = {};
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i += 2) a[v[i].replace(/^--/, '')] = v[i + 1];
  if (!a.queries || !a.out || !(a.jawnik || a.pagefind)) {
    console.error('usage: node bench/browser-search.mjs --name NAME --queries FILE [--jawnik DIR] [--pagefind DIR] --out FILE.json');
    process.exit(2);
  }
  return a;
}

// ---------------------------------------------------------------------------------------
// Static server that logs what it sends

const gzCache = new Map();
function gzipSize(file) {
  let n = gzCache.get(file);
  if (n === undefined) {
    n = zlib.gzipSync(readFileSync(file), { level: 6 }).length;
    gzCache.set(file, n);
  }
  return n;
}

function startServer() {
  const state = { root: null, log: [] };
  const server = http.createServer((req, res) => {
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(state.root, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    } catch {}
    if (!file.startsWith(state.root) || !existsSync(file) || !statSync(file).isFile()) {
      const body = 'not found';
      state.log.push({ path: p, status: 404, raw: body.length, gz: body.length });
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end(body);
      return;
    }
    const size = statSync(file).size;
    state.log.push({ path: p, status: 200, raw: size, gz: gzipSize(file) });
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ state, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// ---------------------------------------------------------------------------------------
// Pages

const PAGEFIND_PAGE = `<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><title>Pagefind bench</title></head>
<body><p id="out">…</p>
<script type="module">
const q = new URLSearchParams(location.search).get('q') || '';
try {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(q);
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  const done = performance.now();
  window.__bs = { done, total: search.results.length, top: data.map((d) => [d.url, (d.meta && d.meta.title) || '']) };
  document.getElementById('out').textContent = search.results.length + ' results';
} catch (e) {
  window.__bs = { done: performance.now(), error: String(e && e.stack || e) };
}
document.documentElement.dataset.state = 'done';
</script></body></html>
`;

// Runs before the page's scripts: note the moment jawnik's results container turns "done".
const JAWNIK_INIT = `
(() => {
  const obs = new MutationObserver((muts) => {
    for (const m of muts) {
      const t = m.target;
      if (t.id === 'jawnik-search-results' && !window.__bsDone &&
          (t.dataset.state === 'done' || t.dataset.state === 'error' || t.dataset.state === 'stale')) {
        window.__bsDone = performance.now();
        window.__bsState = t.dataset.state;
      }
    }
  });
  obs.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
})();
`;

async function runQuery(browser, server, engine, q) {
  const profile = await mkdtemp(path.join(tmpdir(), 'bs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'pl-PL',
    timeout: TIMEOUT_MS,
  });
  const rec = { q, engine };
  try {
    const page = context.pages()[0] || (await context.newPage());
    if (engine === 'jawnik') await page.addInitScript(JAWNIK_INIT);
    const consoleMsgs = [];
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') consoleMsgs.push(m.text().slice(0, 300));
    });
    page.on('pageerror', (e) => consoleMsgs.push(String(e).slice(0, 300)));
    rec.console = consoleMsgs;
    server.state.log = [];
    const url = engine === 'jawnik'
      ? `${server.url}/szukaj/?q=${encodeURIComponent(q)}`
      : `${server.url}/pagefind-bench.html?q=${encodeURIComponent(q)}`;
    await page.goto(url, { timeout: TIMEOUT_MS });
    const prefix = engine === 'jawnik' ? '/search/' : '/pagefind/';
    let r;
    if (engine === 'jawnik') {
      await page.waitForFunction(() => window.__bsDone, null, { timeout: TIMEOUT_MS });
      r = await page.evaluate((prefix) => {
        const root = document.getElementById('jawnik-search-results');
        const status = document.getElementById('jawnik-search-status').textContent || '';
        const m = /Znaleziono (\d+)/.exec(status.replace(/\s/g, (s) => (s === ' ' ? ' ' : '')));
        const first = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.startsWith(prefix));
        return {
          done: window.__bsDone,
          state: window.__bsState,
          seq: root.dataset.seq,
          total: m ? Number(m[1]) : (/Nie znaleziono/.test(status) ? 0 : null),
          status,
          top: [...root.querySelectorAll('.search-result-title a')].map((a) => [a.getAttribute('href'), a.textContent]),
          firstStart: first ? first.startTime : null,
        };
      }, prefix);
    } else {
      await page.waitForSelector('html[data-state=done]', { timeout: TIMEOUT_MS, state: 'attached' });
      r = await page.evaluate((prefix) => {
        const first = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname.startsWith(prefix));
        return { ...window.__bs, state: window.__bs.error ? 'error' : 'done', firstStart: first ? first.startTime : null };
      }, prefix);
    }
    // Let late requests (none expected) land, then take the log.
    await new Promise((res) => setTimeout(res, 50));
    const log = server.state.log.slice();
    const search = log.filter((e) => e.path.startsWith(prefix));
    const sum = (a, k) => a.reduce((s, e) => s + e[k], 0);
    Object.assign(rec, {
      state: r.state,
      error: r.error || (r.state !== 'done' ? [r.status, ...consoleMsgs].filter(Boolean).join(' | ') : undefined),
      total: r.total,
      top: r.top,
      toDone: r.done,
      fromFirst: r.firstStart != null ? r.done - r.firstStart : null,
      searchRaw: sum(search, 'raw'),
      searchGz: sum(search, 'gz'),
      allRaw: sum(log, 'raw'),
      allGz: sum(log, 'gz'),
      searchFiles: search.length,
      allFiles: log.length,
      notFound: log.filter((e) => e.status !== 200).map((e) => e.path),
      files: log.map((e) => [e.path, e.raw, e.gz]),
    });
  } catch (e) {
    rec.state = 'failed';
    rec.error = String(e && e.message || e).split('\n')[0];
  } finally {
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
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

async function main() {
  const a = args();
  const queries = readFileSync(a.queries, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const extra = (a.extra || '').split('|').filter(Boolean); // correctness-only queries
  const server = await startServer();
  const out = { name: a.name, date: new Date().toISOString(), engines: {} };
  try {
    for (const engine of ['jawnik', 'pagefind']) {
      const dir = a[engine];
      if (!dir) continue;
      server.state.root = path.resolve(dir);
      if (engine === 'pagefind') writeFileSync(path.join(server.state.root, 'pagefind-bench.html'), PAGEFIND_PAGE);
      // Warm-up (not counted): the OS page cache and chromium's binary, not the HTTP cache.
      await runQuery(null, server, engine, queries[0]);
      const recs = [];
      for (const q of [...queries, ...extra]) {
        const r = await runQuery(null, server, engine, q);
        r.extra = extra.includes(q) && !queries.includes(q);
        recs.push(r);
        const big = (r.files || []).slice().sort((x, y) => y[1] - x[1])[0];
        process.stderr.write(
          `${a.name} ${engine} ${JSON.stringify(q)}: ${r.state} total=${r.total} ` +
            `search ${(r.searchRaw / 1024).toFixed(1)}/${(r.searchGz / 1024).toFixed(1)} KB ` +
            `all ${(r.allRaw / 1024).toFixed(1)}/${(r.allGz / 1024).toFixed(1)} KB ` +
            `${r.toDone?.toFixed(0)} ms (${r.fromFirst?.toFixed(0)} from first search request), ` +
            `${r.searchFiles} search files, largest ${big ? big[0] + ' ' + (big[1] / 1024).toFixed(1) + ' KB' : '-'}` +
            `${r.error ? ' ERROR ' + r.error : ''}\n`,
        );
      }
      const main = recs.filter((r) => !r.extra && r.state === 'done');
      out.engines[engine] = {
        dir,
        queries: recs.filter((r) => !r.extra).length,
        ok: main.length,
        failed: recs.filter((r) => !r.extra && r.state !== 'done').map((r) => [r.q, r.state, r.error]),
        searchRaw: stats(main.map((r) => r.searchRaw)),
        searchGz: stats(main.map((r) => r.searchGz)),
        allRaw: stats(main.map((r) => r.allRaw)),
        allGz: stats(main.map((r) => r.allGz)),
        toDone: stats(main.map((r) => r.toDone)),
        fromFirst: stats(main.map((r) => r.fromFirst)),
        records: recs,
      };
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
