// Browser-test harness for jawnik.
//
// Builds the example site (repo root's jawnik.toml + content/) with the jawnik CLI, serves
// a folder over HTTP on 127.0.0.1 with a tiny static server (Netlify-like: directory index,
// 404.html with status 404, optional response headers, optional sub-path mount), drives
// Debian's chromium through playwright-core, collects every console error, page error,
// failed request (network failure or HTTP status >= 400) and CSP violation, runs axe-core and
// saves screenshots to target/screenshots/.
//
// Environment:
//   CHROMIUM_PATH      browser executable (default /usr/bin/chromium)
//   JAWNIK_BIN         a prebuilt jawnik binary to use instead of `cargo run --quiet --`
//   JAWNIK_ROOT        the site to build (default: the repository root, i.e. the example
//                      site's jawnik.toml + content/)
//   JAWNIK_SITE_DIR    a prebuilt output folder to serve instead of building (its base_url
//                      must match how it is served; meant for debugging)
//   SCREENSHOT_DIR     where screenshots go (default target/screenshots)
//   NETLIFY_TOML       the netlify.toml whose headers the tests serve, per path as Netlify does
//                      (default: the repo's)

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(REPO_ROOT, 'target', 'screenshots');

// Generous timeouts: CI has 2 cores and may compile jawnik inside the first build.
export const BUILD_TIMEOUT_MS = 20 * 60 * 1000;
export const HOOK_TIMEOUT_MS = BUILD_TIMEOUT_MS + 2 * 60 * 1000;
export const TEST_TIMEOUT_MS = 3 * 60 * 1000;
export const NAV_TIMEOUT_MS = 60 * 1000;

// ---------------------------------------------------------------------------------------
// Static server

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml; charset=utf-8',
  '.xsl': 'application/xslt+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.zip': 'application/zip',
  '.bin': 'application/octet-stream',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function normaliseMount(mount) {
  let m = mount || '/';
  if (!m.startsWith('/')) m = '/' + m;
  if (!m.endsWith('/')) m += '/';
  return m;
}

/**
 * Start a static file server on 127.0.0.1 at a free port (the OS picks it: no races).
 * The root folder may be given later with setRoot() (the port must be known before the
 * site is built, since the build bakes the base URL in).
 *
 * @param {object} [opts]
 * @param {string} [opts.root]     folder to serve
 * @param {string} [opts.mount]    URL prefix the folder is mounted under, e.g. '/ngo/'
 * @param {Record<string,string>|function(string):Record<string,string>} [opts.headers] extra
 *                                 response headers: the same on every response, or a function
 *                                 of the path under the mount (`/pliki/a.svg`), as
 *                                 netlifyPathHeaders() returns
 * @param {boolean} [opts.ranges]  answer Range requests (206), as static hosts do; false:
 *                                 the whole file, as a host without Range support
 */
export async function startServer({ root = null, mount = '/', headers = {}, ranges = true } = {}) {
  mount = normaliseMount(mount);
  const state = { root, headers: typeof headers === 'function' ? headers : { ...headers }, ranges };
  const requests = [];

  const server = http.createServer((req, res) => {
    // The headers of this response: fixed, or chosen by the path under the mount.
    let headers = state.headers;
    if (typeof headers === 'function') {
      const raw = new URL(req.url, 'http://127.0.0.1').pathname;
      headers = headers(raw.startsWith(mount) ? '/' + raw.slice(mount.length) : raw);
    }
    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const sendFile = (status, file, size) => {
      // One byte range (`bytes=a-b`), as static hosts answer it; anything else: the whole file.
      const range = state.ranges && status === 200 && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
      if (range && Number(range[1]) <= Number(range[2]) && Number(range[2]) < size) {
        const [start, end] = [Number(range[1]), Number(range[2])];
        res.writeHead(206, {
          ...headers,
          'Content-Type': contentType(file),
          'Content-Length': end - start + 1,
          'Content-Range': `bytes ${start}-${end}/${size}`,
          'Cache-Control': 'no-store',
        });
        if (req.method === 'HEAD') return res.end();
        return createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
      }
      res.writeHead(status, {
        ...headers,
        'Content-Type': contentType(file),
        'Content-Length': size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    };
    const notFound = () => {
      const page = state.root && path.join(state.root, '404.html');
      if (page && existsSync(page)) return sendFile(404, page, statSync(page).size);
      send(404, 'text/plain; charset=utf-8', 'Not found (and no 404.html)\n');
    };

    let status = 0;
    res.on('finish', () => requests.push({ method: req.method, url: req.url, status: res.statusCode || status, range: req.headers.range || null }));

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
    }
    if (!state.root) return send(503, 'text/plain; charset=utf-8', 'Site not built yet\n');

    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'text/plain; charset=utf-8', 'Bad request\n');
    }
    if (pathname.includes('\0')) return send(400, 'text/plain; charset=utf-8', 'Bad request\n');
    // The mount itself without its trailing slash: redirect, as a host would.
    if (pathname + '/' === mount) return send(301, 'text/plain; charset=utf-8', '', { Location: mount });
    if (!pathname.startsWith(mount)) return notFound();

    const rel = pathname.slice(mount.length);
    const file = path.resolve(state.root, '.' + path.sep + rel);
    if (file !== path.resolve(state.root) && !file.startsWith(path.resolve(state.root) + path.sep)) {
      return notFound();
    }
    let st;
    try {
      st = statSync(file);
    } catch {
      return notFound();
    }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const u = new URL(req.url, 'http://127.0.0.1');
        return send(301, 'text/plain; charset=utf-8', '', { Location: u.pathname + '/' + u.search });
      }
      const index = path.join(file, 'index.html');
      if (!existsSync(index)) return notFound();
      return sendFile(200, index, statSync(index).size);
    }
    if (!st.isFile()) return notFound();
    return sendFile(200, file, st.size);
  });
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    mount,
    url: origin + mount,
    requests,
    setRoot(dir) {
      state.root = dir;
    },
    setHeaders(h) {
      state.headers = typeof h === 'function' ? h : { ...h };
    },
    /** Whether Range requests are answered (206) or given the whole file (200). */
    setRanges(on) {
      state.ranges = on;
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------
// Building the example site

function run(cmd, args, { cwd = REPO_ROOT, timeout = BUILD_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeout / 1000}s\n${out}`));
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code ?? signal}):\n${out}`));
    });
  });
}

/**
 * Build the example site into outDir with the given base URL.
 * Uses `cargo run --quiet -- build` (same target dir as `cargo test`, so nothing is compiled
 * twice), or $JAWNIK_BIN when set.
 */
export async function buildSite({ baseUrl, outDir, root = process.env.JAWNIK_ROOT, today = null }) {
  const args = ['build', '--output', outDir, '--base-url', baseUrl];
  if (root) args.push('--root', path.resolve(root));
  if (today) args.push('--today', today);
  if (process.env.JAWNIK_BIN) await run(process.env.JAWNIK_BIN, args);
  else await run('cargo', ['run', '--quiet', '--', ...args]);
  if (!existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`jawnik build finished but ${outDir}/index.html does not exist`);
  }
  return outDir;
}

/**
 * Start a server, build the example site (or `root`, on `today` when given: YYYY-MM-DD) for
 * its URL (root or sub-path) and serve it.
 * Returns the server plus `dir` (the built folder) and `cleanup()` (closes the server,
 * removes the temporary folder).
 */
export async function serveSite({ mount = '/', headers = {}, prebuilt = process.env.JAWNIK_SITE_DIR, root, today = null } = {}) {
  const server = await startServer({ mount, headers });
  let tmp = null;
  try {
    let dir;
    if (prebuilt) {
      dir = path.resolve(prebuilt);
    } else {
      tmp = await mkdtemp(path.join(tmpdir(), 'jawnik-site-'));
      dir = await buildSite({ baseUrl: server.url, outDir: path.join(tmp, 'public'), root, today });
    }
    server.setRoot(dir);
    return {
      ...server,
      dir,
      async cleanup() {
        await server.close();
        if (tmp) await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await server.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// Browser


/**
 * Registers a suite's `before` and `after` hooks: `setup(keep)` starts what the tests need,
 * passing each server, browser or folder through `keep` so that `after` disposes of it
 * (`cleanup()` or `close()`, last kept first). A setup failure is kept and thrown by the
 * returned `ready()`, which each test calls first, so every test reports it.
 */
export function setUpSuite(setup) {
  let error = null;
  const kept = [];
  const keep = (resource) => {
    kept.push(resource);
    return resource;
  };
  before(
    async () => {
      try {
        await setup(keep);
      } catch (e) {
        error = e;
      }
    },
    { timeout: HOOK_TIMEOUT_MS },
  );
  after(async () => {
    for (const resource of kept.reverse()) {
      await (resource.cleanup ? resource.cleanup() : resource.close());
    }
  });
  return () => {
    if (error) throw error;
  };
}

/** Launch Debian's chromium with a fresh profile. Returns { context, close() }. */
export async function launchBrowser({ viewport = { width: 1280, height: 900 } } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium)`);
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'jawnik-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      locale: 'pl-PL',
      timeout: NAV_TIMEOUT_MS,
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const CSP_LISTENER = `
  (() => {
    const report = (e) => {
      try {
        window.__jawnikCspViolation({
          directive: e.violatedDirective,
          effective: e.effectiveDirective,
          blocked: e.blockedURI,
          source: e.sourceFile,
          line: e.lineNumber,
          sample: e.sample,
          disposition: e.disposition,
        });
      } catch (_) {}
    };
    document.addEventListener('securitypolicyviolation', report, true);
  })();
`;

/** For `visit`'s `allowStatus`: a missing /favicon.ico (the theme's icon is favicon.svg). */
export const noFavicon = (url, status) => status === 404 && new URL(url).pathname.endsWith('/favicon.ico');

/**
 * Open a new page, listen to everything that can go wrong, navigate to url and wait until
 * the network is idle. Returns { page, response, problems } where problems has
 * console / pageErrors / failedRequests / csp arrays (they keep filling until page closes).
 *
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} url
 * @param {object} [opts]
 * @param {(url:string,status:number)=>boolean} [opts.allowStatus] responses not to count as failures
 */
export async function visit(context, url, { allowStatus = () => false } = {}) {
  const page = await context.newPage();
  // `requests`: the path of every request the page made, from the start (not a problem).
  const problems = { console: [], pageErrors: [], failedRequests: [], csp: [], requests: [] };
  page.on('request', (r) => problems.requests.push(new URL(r.url()).pathname));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      // The browser's own echo of an HTTP error that the caller expects (e.g. the 404 page).
      const status = /responded with a status of (\d+)/.exec(msg.text());
      if (status && loc && loc.url && allowStatus(loc.url, Number(status[1]))) return;
      problems.console.push(`${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('requestfailed', (req) => {
    problems.failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status >= 400 && !allowStatus(res.url(), status)) {
      problems.failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${status}`);
    }
  });
  await page.exposeFunction('__jawnikCspViolation', (v) => {
    problems.csp.push(
      `${v.effective || v.directive} blocked ${v.blocked || '(inline)'}` +
        `${v.source ? ` at ${v.source}:${v.line}` : ''}${v.sample ? ` sample: ${v.sample}` : ''}`,
    );
  });
  await page.addInitScript(CSP_LISTENER);

  const response = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  await settle(page);
  return { page, response, problems };
}

/** Wait for the network to go quiet (scripts that fetch after load), without failing. */
export async function settle(page, timeout = 10_000) {
  await page.waitForLoadState('networkidle', { timeout }).catch(() => {});
  // Let late events (CSP reports, console messages) arrive.
  await page.waitForTimeout(250);
}

/** A readable multi-line description of what went wrong on a page, or '' when nothing did. */
export function describeProblems(label, problems, { csp = true } = {}) {
  const parts = [];
  const add = (title, list) => {
    if (list.length) parts.push(`  ${title} (${list.length}):\n` + list.map((x) => `    - ${x}`).join('\n'));
  };
  add('console errors', problems.console);
  add('page errors', problems.pageErrors);
  add('failed requests', problems.failedRequests);
  if (csp) add('CSP violations', problems.csp);
  return parts.length ? `${label}:\n${parts.join('\n')}` : '';
}

/** Whether a script element added to the page (what an XSS would add) runs: false under a CSP. */
export async function injectedInlineScriptRuns(page) {
  await page.evaluate(() => {
    window.__inline = 0;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
  });
  return (await page.evaluate(() => window.__inline)) === 1;
}

/** Throw a readable error when the page logged errors, failed requests or violated CSP. */
export function assertClean(label, problems, opts) {
  const text = describeProblems(label, problems, opts);
  if (text) throw new Error(text);
}

// ---------------------------------------------------------------------------------------
// axe-core

export const AXE_PATH = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Run axe-core on the page (WCAG 2.1 A + AA rules) and return its violations. */
export async function runAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) {
    try {
      await page.addScriptTag({ path: AXE_PATH });
    } catch {
      // A page whose CSP forbids inline scripts: evaluate through the devtools protocol.
      await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
    }
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations;
}

/** No console error, failed request or CSP violation, then no axe finding (axe's script,
 * refused by the CSP, is evaluated through devtools: so the problems are taken first). */
export async function assertCleanAndAccessible(label, page, problems) {
  assertClean(label, problems);
  const violations = await runAxe(page);
  if (violations.length) throw new Error(formatAxe(label, violations));
}

/** axe violations as readable text. */
export function formatAxe(label, violations) {
  if (!violations.length) return '';
  const lines = [`${label}: ${violations.length} accessibility violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}`);
    lines.push(`      ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 10)) {
      lines.push(`      at ${n.target.join(' ')}`);
      lines.push(`         ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.failureSummary) {
        lines.push(...n.failureSummary.split('\n').map((s) => `         ${s.trim()}`).filter((s) => s.trim()));
      }
    }
    if (v.nodes.length > 10) lines.push(`      … and ${v.nodes.length - 10} more`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------
// Screenshots

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---------------------------------------------------------------------------------------
// Site navigation helpers

/**
 * From a section list page (e.g. base + 'raporty/'), the URL of the first document it links
 * to: a link of the form {base}{section}/{slug}/ (not a pagination link).
 */
export async function firstDocumentLink(page, base, section) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const prefix = new URL(`${section}/`, base).href;
  for (const h of hrefs) {
    const u = new URL(h);
    u.hash = '';
    u.search = '';
    const s = u.href;
    if (!s.startsWith(prefix)) continue;
    const rest = s.slice(prefix.length);
    if (/^[^/]+\/$/.test(rest) && rest !== 'strona/' && rest !== 'atom.xml/') return s;
  }
  throw new Error(`no document link under ${prefix} found on ${page.url()}; links were:\n  ${hrefs.join('\n  ')}`);
}

/** Every same-origin URL the page refers to (links, scripts, styles, images, forms). */
export async function sameOriginRefs(page) {
  return page.evaluate(() => {
    const out = [];
    const add = (v) => {
      if (!v) return;
      try {
        const u = new URL(v, document.baseURI);
        if (u.origin === location.origin) out.push(u.href);
      } catch (_) {}
    };
    document.querySelectorAll('a[href], link[href]').forEach((e) => add(e.getAttribute('href')));
    document.querySelectorAll('script[src], img[src], source[src], iframe[src]').forEach((e) => add(e.getAttribute('src')));
    document.querySelectorAll('form[action]').forEach((e) => add(e.getAttribute('action')));
    return out;
  });
}

// ---------------------------------------------------------------------------------------
// netlify.toml

/**
 * Parse a TOML string value starting at s[i] (basic, literal, multi-line basic or
 * multi-line literal). Returns [value, nextIndex].
 */
function parseTomlString(s, i) {
  const multi = (q) => s.startsWith(q.repeat(3), i);
  if (multi('"') || multi("'")) {
    const q = s[i].repeat(3);
    let j = i + 3;
    if (s[j] === '\n') j++;
    else if (s[j] === '\r' && s[j + 1] === '\n') j += 2;
    const end = s.indexOf(q, j);
    if (end < 0) throw new Error('unterminated multi-line string in netlify.toml');
    let raw = s.slice(j, end);
    if (q === '"""') {
      raw = raw.replace(/\\[ \t]*\r?\n[\s]*/g, ''); // line-ending backslash
      raw = unescapeBasic(raw);
    }
    return [raw, end + 3];
  }
  if (s[i] === "'") {
    const end = s.indexOf("'", i + 1);
    return [s.slice(i + 1, end), end + 1];
  }
  if (s[i] === '"') {
    let j = i + 1;
    let raw = '';
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\') {
        raw += s[j] + s[j + 1];
        j += 2;
      } else raw += s[j++];
    }
    return [unescapeBasic(raw), j + 1];
  }
  throw new Error(`expected a string at ${JSON.stringify(s.slice(i, i + 20))}`);
}

function unescapeBasic(raw) {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, c) => {
    if (c[0] === 'u' || c[0] === 'U') return String.fromCodePoint(parseInt(c.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' }[c] ?? c;
  });
}

const NETLIFY_TOML = () => process.env.NETLIFY_TOML || path.join(REPO_ROOT, 'netlify.toml');

/**
 * Every [[headers]] block of netlify.toml, in order: { for, values } with the
 * [headers.values] (or inline `values = { ... }`). Only the subset of TOML netlify.toml files
 * use for headers is understood.
 */
export function netlifyHeaderBlocks(file = NETLIFY_TOML()) {
  if (!existsSync(file)) throw new Error(`${file} does not exist: the tests need its [[headers]]`);
  const s = readFileSync(file, 'utf8');
  const blocks = []; // { for, values }
  let table = null; // 'headers' | 'headers.values' | other
  let cur = null;
  let i = 0;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  while (i < s.length) {
    skipWs();
    if (s[i] === '\n' || s[i] === '\r') {
      i++;
      continue;
    }
    if (s[i] === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (s[i] === '[') {
      const end = s.indexOf('\n', i);
      const header = s.slice(i, end < 0 ? s.length : end).replace(/#.*$/, '').trim();
      i = end < 0 ? s.length : end;
      const name = header.replace(/^\[+|\]+$/g, '').trim();
      if (header.startsWith('[[') && name === 'headers') {
        cur = { for: null, values: {} };
        blocks.push(cur);
        table = 'headers';
      } else if (name === 'headers.values' && cur) {
        table = 'headers.values';
      } else {
        table = 'other';
      }
      continue;
    }
    // key = value
    let key;
    if (s[i] === '"' || s[i] === "'") [key, i] = parseTomlString(s, i);
    else {
      const m = /^[A-Za-z0-9_.-]+/.exec(s.slice(i));
      if (!m) throw new Error(`cannot parse netlify.toml near ${JSON.stringify(s.slice(i, i + 30))}`);
      key = m[0];
      i += key.length;
    }
    skipWs();
    if (s[i] !== '=') throw new Error(`expected '=' after ${key} in netlify.toml`);
    i++;
    skipWs();
    let value;
    if (s[i] === '"' || s[i] === "'") {
      [value, i] = parseTomlString(s, i);
    } else if (s[i] === '{' && table === 'headers' && key === 'values') {
      // inline table of strings
      i++;
      value = {};
      for (;;) {
        while (/\s|,/.test(s[i])) i++;
        if (s[i] === '}') {
          i++;
          break;
        }
        let k;
        if (s[i] === '"' || s[i] === "'") [k, i] = parseTomlString(s, i);
        else {
          const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
          k = m[0];
          i += k.length;
        }
        while (s[i] === ' ' || s[i] === '\t') i++;
        i++; // '='
        while (s[i] === ' ' || s[i] === '\t') i++;
        let v;
        [v, i] = parseTomlString(s, i);
        value[k] = v;
      }
    } else {
      // some other value (number, bool, array): skip to end of line, arrays may span lines
      let depth = 0;
      while (i < s.length) {
        const c = s[i];
        if (c === '"' || c === "'") {
          [, i] = parseTomlString(s, i);
          continue;
        }
        if (c === '[' || c === '{') depth++;
        if (c === ']' || c === '}') depth--;
        if (c === '\n' && depth <= 0) break;
        i++;
      }
    }
    if (table === 'headers' && cur) {
      if (key === 'for') cur.for = value;
      else if (key === 'values' && typeof value === 'object') Object.assign(cur.values, value);
    } else if (table === 'headers.values' && cur && typeof value === 'string') {
      cur.values[key] = value;
    }
  }
  // Header values in TOML are often written across lines: HTTP wants one line.
  for (const b of blocks) {
    for (const [k, v] of Object.entries(b.values)) b.values[k] = v.replace(/\s*\r?\n\s*/g, ' ').trim();
  }
  return blocks;
}

/**
 * The response headers netlify.toml sets for a `for` pattern (default "/*"): the values of
 * the [[headers]] block whose `for` is exactly it.
 */
export function netlifyHeaders(file = NETLIFY_TOML(), pattern = '/*') {
  const blocks = netlifyHeaderBlocks(file);
  const block = blocks.find((b) => b.for === pattern);
  if (!block) throw new Error(`${file} has no [[headers]] block for "${pattern}" (found: ${blocks.map((b) => b.for).join(', ') || 'none'})`);
  return { ...block.values };
}

/**
 * A `for` pattern as Netlify matches it: `*` matches anything (`/` included), `:name` one
 * path segment, case-insensitively, with or without a trailing slash.
 */
export function netlifyPattern(pattern) {
  const part = (p) => {
    if (p.startsWith(':')) return '([^/]+)';
    if (p === '*') return '?(.*)';
    return p.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*)');
  };
  const body = pattern.split('/').map((p) => p.trimEnd()).filter(Boolean).map(part).join('/');
  return new RegExp(`^/${body}/?$`, 'iu');
}

/**
 * The headers Netlify sends for each path: a function of the site path (`/pliki/a.svg`)
 * giving the values of every [[headers]] block whose pattern matches, in file order, a later
 * block's value replacing an earlier one's for the same header (as `netlify dev` does). Pass
 * it as `headers` to startServer() or serveSite().
 */
export function netlifyPathHeaders(file = NETLIFY_TOML()) {
  const rules = netlifyHeaderBlocks(file).map((b) => ({ re: netlifyPattern(b.for), values: b.values }));
  return (sitePath) => {
    const out = {};
    for (const r of rules) {
      if (!r.re.test(sitePath)) continue;
      for (const [k, v] of Object.entries(r.values)) {
        for (const old of Object.keys(out)) if (old.toLowerCase() === k.toLowerCase()) delete out[old];
        out[k] = v;
      }
    }
    return out;
  };
}

/** The Content-Security-Policy netlify.toml sets for "/*". */
export function netlifyCsp(file) {
  const headers = netlifyHeaders(file);
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-security-policy');
  if (!key) throw new Error('netlify.toml [[headers]] for "/*" sets no Content-Security-Policy');
  return headers[key];
}

// ---------------------------------------------------------------------------------------
// Search helpers (tests/browser/search*.test.mjs)

/**
 * Copy a site root (jawnik.toml, content/, themes/) into a new temporary folder, so that a
 * test can build it with its own search index (`jawnik build` writes the index to
 * `<root>/.jawnik/index`, which test files building the repository root would share).
 * Returns { root, cleanup() }.
 */
export async function copySiteRoot(from = process.env.JAWNIK_ROOT || REPO_ROOT) {
  const root = await mkdtemp(path.join(tmpdir(), 'jawnik-root-'));
  for (const item of ['jawnik.toml', 'content', 'themes']) {
    const src = path.join(from, item);
    if (existsSync(src)) await cp(src, path.join(root, item), { recursive: true });
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Run the jawnik CLI (JAWNIK_BIN or `cargo run --quiet --`) and return its stdout. */
export function jawnikCli(args, { timeout = BUILD_TIMEOUT_MS } = {}) {
  const [cmd, all] = process.env.JAWNIK_BIN
    ? [process.env.JAWNIK_BIN, args]
    : ['cargo', ['run', '--quiet', '--', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, all, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jawnik ${args.join(' ')} timed out\n${err}`));
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`jawnik ${args.join(' ')} failed (exit ${code}):\n${err}${out}`));
    });
  });
}

/** The number of searches the page's search UI has finished (data-seq of the results box). */
export async function searchSeq(page) {
  return page.evaluate(() => Number(document.getElementById('jawnik-search-results')?.dataset.seq || 0));
}

/**
 * Wait until the search UI has finished a search: after `afterSeq` (a searchSeq() value taken
 * before the action) and, when `query` is given, for that engine query (data-query: the text
 * sent to the engine, `word*` when typed). Returns the results box's state
 * ('done', 'error', 'stale', 'idle').
 */
/** Waits until the facet counts of the last finished search are shown (they follow the results). */
export async function waitForFacets(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    () => {
      const r = document.getElementById('jawnik-search-results');
      return r && r.dataset.state === 'done' && r.dataset.facets === r.dataset.seq;
    },
    null,
    { timeout, polling: 50 },
  );
}

/**
 * Opens the search page's filters as a person does — a click on "Filtry i sortowanie", or with
 * `keyboard`, the focus on it and Enter — and waits for the facet counts (the filters are
 * closed at first: their counts need the facet table, fetched only then). Already open: waits.
 */
export async function openFilters(page, { keyboard = false, timeout = 30_000 } = {}) {
  const toggle = page.locator('#jawnik-filters-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    if (keyboard) {
      await toggle.focus();
      await page.keyboard.press('Enter');
    } else {
      await toggle.click();
    }
  }
  await waitForFacets(page, { timeout });
}

export async function waitForSearch(page, { query, afterSeq = 0, timeout = 30_000 } = {}) {
  try {
    await page.waitForFunction(
      ({ query, afterSeq }) => {
        const r = document.getElementById('jawnik-search-results');
        if (!r || r.hasAttribute('aria-busy')) return false;
        if (!['done', 'error', 'stale', 'idle'].includes(r.dataset.state)) return false;
        if (Number(r.dataset.seq || 0) <= afterSeq) return false;
        return query === undefined || r.dataset.query === query;
      },
      { query, afterSeq },
      { timeout, polling: 50 },
    );
  } catch (e) {
    const info = await page
      .evaluate(() => {
        const r = document.getElementById('jawnik-search-results');
        return {
          state: r?.dataset.state,
          query: r?.dataset.query,
          seq: r?.dataset.seq,
          status: document.getElementById('jawnik-search-status')?.textContent,
        };
      })
      .catch(() => ({}));
    throw new Error(`search did not finish (wanted query ${JSON.stringify(query)} after #${afterSeq}): ${JSON.stringify(info)}\n${e.message}`);
  }
  return page.evaluate(() => document.getElementById('jawnik-search-results').dataset.state);
}

/** The results the search UI shows: [{ href (path), title, kind, text, marks, missing }]. */
export async function searchResults(page) {
  return page.$$eval('#jawnik-search-results .search-result', (items) =>
    items.map((li) => {
      const a = li.querySelector('a[data-result-link]');
      const u = new URL(a.href);
      return {
        href: u.pathname + u.search + u.hash,
        title: a.textContent,
        kind: li.querySelector('.search-kind')?.textContent ?? '',
        text: li.textContent,
        marks: [...li.querySelectorAll('.search-snippet mark')].map((m) => m.textContent),
        // The words of the query it lacks ("Brak: …").
        missing: [...li.querySelectorAll('.search-result-missing s')].map((m) => m.textContent),
      };
    }),
  );
}
