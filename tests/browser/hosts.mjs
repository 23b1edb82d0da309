// Publishing recipes tested for real: the example site built for a sub-path and served by a
// real web server (nginx, Apache, Caddy) started by the test, on 127.0.0.1 at a free port, with
// the configuration jawnik ships in deploy/. `describeHost` registers the same checks for each
// (tests/browser/deploy-*.test.mjs): the headers netlify.toml sets, compression, the 404 page,
// typed searches with byte ranges under the CSP, and attachments in pliki/ that cannot run
// script. The server binary missing: the suite is skipped with a message, except in CI
// (CI set), where it fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  injectedInlineScriptRuns,
  buildSite,
  launchBrowser,
  netlifyHeaders,
  screenshot,
  searchResults,
  searchSeq,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

export const MOUNT = '/sub/path/';
/** What docs/hardening.md promises for /pliki/ on every host recipe. */
export const ATTACHMENT_HEADERS = {
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  'cache-control': 'public, max-age=86400',
};
const BEACON = '__skrypt_zadzialal__';
// Script that would show itself by a request to BEACON, whichever way it ran.
const EVIL = {
  'evil.html': `<!doctype html><title>x</title><script>fetch('${MOUNT}${BEACON}/html')</script><img src="x" onerror="fetch('${MOUNT}${BEACON}/img')">`,
  'evil.svg': `<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('${MOUNT}${BEACON}/svg-onload')"><script>fetch('${MOUNT}${BEACON}/svg')</script></svg>`,
};
import { noFavicon } from './harness.mjs';

/** A port free on 127.0.0.1 now (the server is started on it right after). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The first of these executables that exists, or null. */
export function findBinary(...candidates) {
  return candidates.find((c) => existsSync(c)) ?? null;
}

/**
 * Starts a server process (its output into `log`, `env` added to the environment) and waits
 * until it accepts connections on the port. Returns { close() }, which stops it and waits for
 * it to end.
 */
export async function startProcess(cmd, args, { port, log, env = {} }) {
  const out = openSync(log, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  let exited = null;
  const ended = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = code ?? signal))));
  child.on('error', (e) => (exited = e.message));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited !== null) throw new Error(`${cmd} ${args.join(' ')} exited (${exited}):\n${readFileSync(log, 'utf8')}`);
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() && true));
      socket.on('error', () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cmd} did not listen on ${port} within 20 s:\n${readFileSync(log, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async close() {
      if (exited === null) child.kill('SIGTERM');
      await ended;
    },
  };
}

/** GET with the given request headers, the body not decoded: { status, headers, body }. */
export function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** The headers netlify.toml sets for a pattern, with lower-case names. */
function expected(pattern) {
  return Object.fromEntries(Object.entries(netlifyHeaders(undefined, pattern)).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Registers the suite for one host.
 * @param {string} name            e.g. 'nginx'
 * @param {object} host
 * @param {string|null} host.binary  the server executable (null: not installed)
 * @param {string} host.install      what installs it, for the skip message
 * @param {boolean} host.brotli      whether it must answer Accept-Encoding: br with brotli
 * @param {(o:{dir:string,port:number,tmp:string})=>Promise<{close():Promise<void>}>} host.start
 *   starts the server serving `dir` under MOUNT on 127.0.0.1:port (`tmp`: a folder of its own)
 */
export function describeHost(name, { binary, install, brotli, start }) {
  const missing = binary ? false : `${name} is not installed (${install})`;
  if (missing && !process.env.CI) {
    describe(`publishing with ${name}`, { skip: missing }, () => {});
    return;
  }
  describe(`publishing with ${name} (deploy/), the example site under ${MOUNT}`, () => {
    let url;
    let dir;
    let browser;
    const ready = setUpSuite(async (keep) => {
      if (missing) throw new Error(`${missing}; CI must install it (.ci/run)`);
      const tmp = await mkdtemp(path.join(tmpdir(), `jawnik-${name}-`));
      keep({ cleanup: () => rm(tmp, { recursive: true, force: true }) });
      // Servers started as root serve as another user (nginx: nobody, Apache: www-data).
      chmodSync(tmp, 0o755);
      const port = await freePort();
      url = `http://127.0.0.1:${port}${MOUNT}`;
      dir = await buildSite({ baseUrl: url, outDir: path.join(tmp, 'public') });
      mkdirSync(path.join(dir, 'pliki'), { recursive: true });
      for (const [file, text] of Object.entries(EVIL)) writeFileSync(path.join(dir, 'pliki', file), text);
      writeFileSync(path.join(dir, 'pliki', 'notatka.txt'), 'Notatka ze spotkania.\n');
      keep(await start({ dir, port, tmp }));
      browser = keep(await launchBrowser());
    });

    test('pages, assets and feeds carry the headers netlify.toml sets; a missing page gets the 404 page', async () => {
      ready();
      const cases = [
        ['', '/*'],
        ['css/style.css', '/css/*'],
        ['atom.xml', '/*.xml'],
        ['konkursy/kalendarz.ics', '/*.ics'],
      ];
      for (const [file, pattern] of cases) {
        const res = await get(url + file);
        assert.equal(res.status, 200, `${file}: ${res.body}`);
        for (const [header, value] of Object.entries({ ...expected('/*'), ...expected(pattern) })) {
          assert.equal(res.headers[header], value, `${name}: ${header} of ${file || 'the home page'}`);
        }
      }
      const chunk = readdirSync(path.join(dir, 'search/d'))[0];
      assert.equal((await get(`${url}search/d/${chunk}`)).headers['cache-control'], expected('/search/d/*')['cache-control']);
      const res = await get(`${url}nie-ma-takiej-strony/`);
      assert.equal(res.status, 404);
      assert.equal(res.body.toString(), readFileSync(path.join(dir, '404.html'), 'utf8'));
      assert.equal(res.headers['content-security-policy'], expected('/*')['content-security-policy']);
    });

    test(`pages are compressed: gzip${brotli ? ' and brotli' : ''}`, async () => {
      ready();
      for (const file of ['', 'css/style.css', 'szukaj/']) {
        const gz = await get(url + file, { 'Accept-Encoding': 'gzip' });
        assert.equal(gz.headers['content-encoding'], 'gzip', `${file}: gzip`);
        if (brotli) {
          const br = await get(url + file, { 'Accept-Encoding': 'br, gzip' });
          assert.equal(br.headers['content-encoding'], 'br', `${file}: brotli`);
        }
      }
    });

    test('typed queries find results under the CSP, the first one by byte ranges (206)', { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      const { page, response, problems } = await visit(browser.context, `${url}szukaj/`, { allowStatus: noFavicon });
      const ranged = [];
      page.on('response', (r) => r.status() === 206 && ranged.push(new URL(r.url()).pathname));
      try {
        assert.equal(response.headers()['content-security-policy'], expected('/*')['content-security-policy']);
        for (const text of ['konsultacje ', 'zrodla finansowania ']) {
          const seq = await searchSeq(page);
          await page.locator('#q').fill('');
          await page.locator('#q').pressSequentially(text, { delay: 30 });
          assert.equal(await waitForSearch(page, { query: typingQuery(text), afterSeq: seq }), 'done', text);
          const results = await searchResults(page);
          assert.ok(results.length > 0, `${name}: no results for ${text}`);
          assert.deepEqual(results.filter((r) => !r.href.startsWith(MOUNT)), [], 'results outside the sub-path');
          if (text === 'konsultacje ') {
            assert.ok(ranged.some((p) => p.startsWith(`${MOUNT}search/`)), `${name}: no 206 answer to the first query`);
          }
        }
        await screenshot(page, `deploy-${name}-search`);
        assertClean(`${name} ${url}szukaj/`, problems);
        assert.equal(await injectedInlineScriptRuns(page), false, 'an injected inline script ran');
      } finally {
        await page.close();
      }
    });

    test('attachments: an .html and an .svg in pliki/ are downloaded and sandboxed, their script never runs', { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      for (const file of Object.keys(EVIL)) {
        const res = await get(`${url}pliki/${file}`);
        for (const [header, value] of Object.entries(ATTACHMENT_HEADERS)) assert.equal(res.headers[header], value, `${file}: ${header}`);
        assert.match(res.headers['content-disposition'] ?? '', /^attachment/, `${file}: not downloaded`);
      }
      const txt = await get(`${url}pliki/notatka.txt`);
      assert.equal(txt.headers['content-security-policy'], ATTACHMENT_HEADERS['content-security-policy']);
      assert.equal(txt.headers['content-disposition'], undefined, 'a text file is shown, not downloaded');

      const ran = [];
      const context = browser.context;
      const onRequest = (r) => r.url().includes(BEACON) && ran.push(r.url());
      context.on('request', onRequest);
      const page = await context.newPage();
      try {
        // As served: the browser downloads them.
        for (const file of Object.keys(EVIL)) {
          const download = page.waitForEvent('download', { timeout: 10_000 });
          await page.goto(`${url}pliki/${file}`).catch(() => {});
          await (await download).cancel();
        }
        // Shown in spite of the download header (as by a proxy that drops it): the CSP alone.
        // Without the CSP either (the control), the script runs: the check can fail.
        for (const keepCsp of [true, false]) {
          await page.route(`${url}pliki/**`, async (route) => {
            const served = await route.fetch();
            const headers = { ...served.headers() };
            delete headers['content-disposition'];
            if (!keepCsp) delete headers['content-security-policy'];
            await route.fulfill({ response: served, headers });
          });
          for (const file of Object.keys(EVIL)) {
            await page.goto(`${url}pliki/${file}`);
            await page.waitForTimeout(300);
          }
          await page.unroute(`${url}pliki/**`);
          if (keepCsp) assert.deepEqual(ran, [], `${name}: attachment script ran under the CSP`);
          else assert.ok(ran.length >= 2, `control: the attachments' script did not run without the CSP (${ran})`);
        }
      } finally {
        context.off('request', onRequest);
        await page.close();
      }
    });
  });
}
