// The search runtime treats every shard it fetches as untrusted. The site is served whole,
// then one file of the search index is replaced on the wire: truncated, with a byte flipped,
// empty, missing (404), or the same kind of file from an older build of the site (an old
// cached shard). A record file's byte range that arrives damaged makes the page read the whole
// file instead. Each time the page must say "index out of date, reload" — not crash, hang or
// show wrong results — and report no page error.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  buildSite,
  launchBrowser,
  searchResults,
  startServer,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';

const STALE = 'Indeks wyszukiwania jest nieaktualny — odśwież stronę.';
const UNAVAILABLE = 'Wyszukiwarka nie mogła się uruchomić. Przeglądaj treści według kategorii (linki poniżej) albo spróbuj później.';
const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'site-ok');

/** The one file under search/<dir>/ (the fixture's index is small: one chunk each). */
function chunk(searchDir, dir) {
  const files = readdirSync(path.join(searchDir, dir)).filter((f) => f.endsWith('.bin'));
  assert.equal(files.length, 1, `${dir}: ${files}`);
  return `${dir}/${files[0]}`;
}

describe('damaged, missing and old shards: "index out of date, reload"', () => {
  let server;
  let browser;
  let tmp;
  let current; // search/ folder of the served build
  let older; // search/ folder of an older build of the same site
  const ready = setUpSuite(async (keep) => {
    tmp = await mkdtemp(path.join(tmpdir(), 'jawnik-shards-'));
    keep({ cleanup: () => rm(tmp, { recursive: true, force: true }) });
    server = keep(await startServer());
    // The older build: the same site with one summary changed (another build id).
    const oldRoot = path.join(tmp, 'old-site');
    await cp(FIXTURE, oldRoot, { recursive: true });
    const page = path.join(oldRoot, 'content', 'strategie', 'strategia-rozwoju.md');
    writeFileSync(page, readFileSync(page, 'utf8').replace('Długofalowy plan', 'Wcześniejszy plan'));
    await buildSite({ baseUrl: server.url, outDir: path.join(tmp, 'old'), root: oldRoot });
    const dir = await buildSite({ baseUrl: server.url, outDir: path.join(tmp, 'public'), root: FIXTURE });
    server.setRoot(dir);
    current = path.join(dir, 'search');
    older = path.join(tmp, 'old', 'search');
    browser = keep(await launchBrowser());
  });

  async function searchWith(label, replace, { filters = false } = {}) {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      for (const [file, body] of replace()) {
        await page.route(`**/search/${file}`, (route) =>
          typeof body === 'function'
            ? body(route)
            : body === 404
              ? route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' })
              : route.fulfill({ status: 200, contentType: 'application/octet-stream', body }),
        );
      }
      const started = Date.now();
      await page.goto(new URL('szukaj/?q=kultura', server.url).href);
      await waitForSearch(page, { timeout: 15_000 });
      // The facet table is fetched only for the filters' counts (results come first): opening
      // the filters finds a bad one.
      if (filters) await page.click('#jawnik-filters-toggle');
      const state = await page
        .waitForFunction(() => document.getElementById('jawnik-search-results').dataset.state === 'stale', null, { timeout: 15_000, polling: 50 })
        .then(() => 'stale')
        .catch(() => page.evaluate(() => document.getElementById('jawnik-search-results').dataset.state));
      assert.equal(state, 'stale', `${label}: state ${state}`);
      assert.equal(await page.textContent('#jawnik-search-status'), STALE, label);
      assert.deepEqual(await searchResults(page), [], `${label}: no results shown`);
      assert.deepEqual(errors, [], `${label}: page errors`);
      return Date.now() - started;
    } finally {
      await page.close();
    }
  }

  test('the undamaged site answers (the control)', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const page = await browser.context.newPage();
    try {
      await page.goto(new URL('szukaj/?q=kultura', server.url).href);
      assert.equal(await waitForSearch(page), 'done');
      assert.ok((await searchResults(page)).length > 0);
    } finally {
      await page.close();
    }
  });

  for (const dir of ['t', 'd']) {
    test(`a ${dir}/ chunk truncated, flipped, empty, missing or from an older build`, { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      const name = chunk(current, dir);
      const names = [name];
      const real = (n) => readFileSync(path.join(current, n));
      // A byte flipped in the middle of the stream: raw DEFLATE has no checksum and such a
      // stream can inflate to other, well-formed records; the shard's own checksum refuses it.
      const flip = (b) => {
        const c = Buffer.from(b);
        c[c.length >> 1] ^= 0x5a;
        return c;
      };
      const cases = {
        truncated: () => names.map((n) => [n, real(n).subarray(0, Math.floor(real(n).length / 2))]),
        'byte flipped': () => names.map((n) => [n, flip(real(n))]),
        empty: () => names.map((n) => [n, Buffer.alloc(0)]),
        missing: () => names.map((n) => [n, 404]),
      };
      cases['from an older build'] = () => [[name, readFileSync(path.join(older, chunk(older, dir)))]];
      for (const [label, replace] of Object.entries(cases)) {
        const ms = await searchWith(`${dir}/ ${label}`, replace);
        assert.ok(ms < 15_000, `${dir}/ ${label}: took ${ms} ms`);
      }
    });
  }

  // Record files are read by byte range (the slots of the records shown). A range that does not
  // read — a byte flipped in a record or at a slot's end (its padding, or the end of the
  // biggest record) — makes the page fall back to whole files (a proxy may mangle ranges); the
  // whole file, undamaged here, then answers.
  for (const part of ['record', 'slot end']) {
    test(`a d/ ${part} range with a byte flipped: the page reads the whole file instead`, { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      const name = chunk(current, 'd');
      const file = readFileSync(path.join(current, name));
      const page = await browser.context.newPage();
      const errors = [];
      const asked = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await page.route(`**/search/${name}`, (route) => {
          const m = /^bytes=(\d+)-(\d+)$/.exec(route.request().headers().range || '');
          asked.push(m ? `${m[1]}-${m[2]}` : 'whole');
          if (!m) return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: file });
          const [a, b] = [Number(m[1]), Number(m[2])];
          const slice = Buffer.from(file.subarray(a, b + 1));
          slice[part === 'record' ? 4 : slice.length - 1] ^= 0x5a;
          return route.fulfill({
            status: 206,
            headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${a}-${b}/${file.length}` },
            body: slice,
          });
        });
        await page.goto(new URL('szukaj/?q=kultura', server.url).href);
        assert.equal(await waitForSearch(page, { timeout: 15_000 }), 'done', `${part}: ${await page.textContent('#jawnik-search-status')}`);
        assert.ok((await searchResults(page)).length > 0, `${part}: no results`);
        assert.ok(asked.some((r) => r !== 'whole') && asked.at(-1) === 'whole', `${part}: asked ${asked}`);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  }

  // meta.json names the module and the meta file: one that does not (not JSON, empty, or
  // naming the module only) is refused at once, with no guess at other names to fetch.
  test('a meta.json that names no module or no meta file: "search unavailable"', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const real = JSON.parse(readFileSync(path.join(current, 'meta.json'), 'utf8'));
    const cases = {
      'not JSON': 'jawnik',
      empty: '{}',
      'no meta file': JSON.stringify({ ...real, meta: undefined, meta_inline: undefined }),
    };
    for (const [label, body] of Object.entries(cases)) {
      const page = await browser.context.newPage();
      const errors = [];
      const fetched = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => {
        const at = r.url().indexOf('/search/');
        if (at >= 0) fetched.push(r.url().slice(at + '/search/'.length));
      });
      try {
        await page.route('**/search/meta.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
        await page.goto(new URL('szukaj/?q=kultura', server.url).href);
        assert.equal(await waitForSearch(page, { timeout: 15_000 }), 'error', label);
        assert.equal(await page.textContent('#jawnik-search-status'), UNAVAILABLE, label);
        assert.deepEqual(await searchResults(page), [], `${label}: no results shown`);
        // (The page itself preloads the compressed module it names.)
        const byScript = fetched.filter((f) => !/^jawnik-[0-9a-f]+\.wasm\.deflate$/.test(f));
        assert.deepEqual(byScript, ['meta.json'], `${label}: fetched`);
        assert.deepEqual(errors, [], `${label}: page errors`);
      } finally {
        await page.close();
      }
    }
  });

  test('the facets file from an older build', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const f = readdirSync(current).find((n) => /^f-.*\.bin$/.test(n));
    const old = readdirSync(older).find((n) => /^f-.*\.bin$/.test(n));
    await searchWith('facets from an older build', () => [[f, readFileSync(path.join(older, old))]], { filters: true });
  });
});
