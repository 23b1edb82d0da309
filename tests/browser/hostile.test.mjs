// Hostile content, round two (docs/hardening.md), in Chromium, over tests/fixtures/hostile:
// - attachments that would run script (HTML with inline and same-origin script, XHTML, SVG
//   with <script href>, JavaScript), published there only because its jawnik.toml lists their
//   types, are opened directly under netlify.toml's headers applied per path as Netlify does:
//   none runs or calls home. They are downloads; and even served inline with only the
//   /pliki/* policy (a host that misses the Content-Disposition), the sandbox keeps them
//   inert. Served with no headers at all, the same files do run: the test can fail.
// - ids that content wrote (<h2 id="ngo-filter">, id="tresc", id="q", "## Postulat 1") do not
//   take the theme's: the NGO filter still works, #postulat-1 lands on the table row, the
//   skip link on <main>.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  launchBrowser,
  netlifyPathHeaders,
  serveSite,
  setUpSuite,
  visit,
} from './harness.mjs';

const ROOT = path.join(REPO_ROOT, 'tests', 'fixtures', 'hostile');
const FILES = ['zalacznik.html', 'zalacznik.xhtml', 'zalacznik.svg', 'zalacznik.js'];
import { noFavicon } from './harness.mjs';

describe('hostile content in Chromium', () => {
  let site;
  let browser;
  const netlify = netlifyPathHeaders();
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ root: ROOT, headers: netlify }));
    browser = keep(await launchBrowser());
  });

  /** Open an attachment in a fresh tab; returns what ran: window.__xss and calls home. */
  async function open(file) {
    const before = site.requests.length;
    const page = await browser.context.newPage();
    let loaded = true;
    try {
      await page.goto(new URL(`pliki/raporty/files/${file}`, site.url).href, { waitUntil: 'load' });
      await page.waitForTimeout(300);
    } catch {
      loaded = false; // a download: the navigation never commits
    }
    const flag = loaded ? await page.evaluate(() => window.__xss).catch(() => undefined) : undefined;
    await page.close();
    const calls = site.requests.slice(before).map((r) => r.url).filter((u) => u.startsWith('/pwned'));
    return { loaded, flag, calls };
  }

  test('attachments that would run script: downloads, inert under the /pliki/* policy', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    try {
      for (const file of FILES) {
        site.setHeaders(netlify);
        const url = new URL(`pliki/raporty/files/${file}`, site.url).href;
        const res = await browser.context.request.get(url);
        assert.equal(res.status(), 200, file);
        const h = res.headers();
        assert.equal(h['content-security-policy'], "default-src 'none'; sandbox", file);
        assert.equal(h['x-content-type-options'], 'nosniff', file);
        assert.equal(h['content-disposition'], 'attachment', file);

        // Under the shipped headers: a download, nothing runs.
        const shipped = await open(file);
        assert.equal(shipped.loaded, false, `${file} opened in the browser instead of downloading`);
        assert.deepEqual(shipped.calls, [], `${file} called home`);

        // A host that sends the /pliki/* policy but not Content-Disposition: shown, sandboxed.
        site.setHeaders((p) => {
          const { 'Content-Disposition': _, ...rest } = netlify(p);
          return rest;
        });
        const sandboxed = await open(file);
        assert.equal(sandboxed.loaded, true, `${file} shown inline`);
        assert.equal(sandboxed.flag, undefined, `${file} ran script under the sandbox`);
        assert.deepEqual(sandboxed.calls, [], `${file} called home under the sandbox`);
      }
      // Without any header, the HTML, XHTML and SVG attachments do run their script (what the
      // policy prevents): the checks above could fail.
      site.setHeaders({});
      for (const file of FILES.filter((f) => !f.endsWith('.js'))) {
        const bare = await open(file);
        assert.ok(bare.flag || bare.calls.length, `${file} should run without headers: ${JSON.stringify(bare)}`);
      }
    } finally {
      site.setHeaders(netlify);
    }
  });

  test('ids from content do not take the theme\'s: filter, postulate anchors, skip link', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const list = await visit(browser.context, new URL('organizacje/', site.url).href, { allowStatus: noFavicon });
    try {
      const { page } = list;
      assert.equal(await page.$$eval('[id="ngo-filter"]', (e) => e.length), 1);
      assert.ok(await page.isVisible('form#ngo-filter'), 'the script shows the theme\'s filter form');
      await page.selectOption('form#ngo-filter select[name="branza"]', 'kultura');
      const shown = await page.$$eval('.items > .item', (items) => items.filter((i) => !i.hidden).map((i) => i.querySelector('a').textContent));
      assert.deepEqual(shown, ['Fundacja A (fikstura)']);
      assert.match(await page.textContent('#ngo-filter-status'), /Pokazano 1 z 2/);
      assertClean('organizacje/', list.problems);
    } finally {
      await list.page.close();
    }

    const report = await visit(browser.context, new URL('raporty/raport/#postulat-1', site.url).href, { allowStatus: noFavicon });
    try {
      const { page } = report;
      const target = await page.evaluate(() => {
        const t = document.querySelector(':target');
        return t && `${t.tagName} ${t.id}`;
      });
      assert.equal(target, 'TR postulat-1', '#postulat-1 is the table row');
      assert.equal(await page.$$eval('[id="tresc"]', (e) => e.map((x) => x.tagName).join()), 'MAIN');
      assert.equal(await page.getAttribute('h2:has-text("Postulat 1")', 'id'), 'postulat-1-2');
      await page.focus('a.skip-link');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'tresc', 'the skip link reaches <main>');
      assertClean('raporty/raport/', report.problems);
    } finally {
      await report.page.close();
    }

    const home = await visit(browser.context, site.url, { allowStatus: noFavicon });
    try {
      assert.equal(await home.page.$$eval('[id="q"]', (e) => e.map((x) => x.tagName).join()), 'INPUT');
      assertClean('home', home.problems);
    } finally {
      await home.page.close();
    }
  });
});
