// The example site served at the root of an origin: home page, a document page and the 404
// page load with no console errors, no failed requests, and no axe (WCAG 2.1 A/AA) violations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  firstDocumentLink,
  formatAxe,
  launchBrowser,
  runAxe,
  screenshot,
  serveSite,
  visit,
  setUpSuite,
} from './harness.mjs';

describe('example site at /', () => {
  let site;
  let browser;
  // A failing setup (e.g. the build) fails every test with its message instead of
  // cancelling them.
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite());
    browser = keep(await launchBrowser());
  });

  async function checkPage(url, name) {
    const { page, response, problems } = await visit(browser.context, url);
    try {
      await screenshot(page, name);
      assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
      assertClean(url, problems);
      const lang = await page.getAttribute('html', 'lang');
      assert.ok(lang && lang.toLowerCase().startsWith('pl'), `${url}: <html lang> is ${JSON.stringify(lang)}, expected "pl"`);
      assert.ok((await page.title()).trim().length > 0, `${url}: empty <title>`);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe(url, violations));
    } finally {
      await page.close();
    }
  }

  test('home page: no errors, no failed requests, no axe violations', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await checkPage(site.url, 'home');
  });

  test('document page (first report): no errors, no failed requests, no axe violations', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const listUrl = new URL('raporty/', site.url).href;
    const { page, response, problems } = await visit(browser.context, listUrl);
    let docUrl;
    try {
      await screenshot(page, 'raporty-list');
      assert.equal(response?.status(), 200, `${listUrl} answered ${response?.status()}`);
      assertClean(listUrl, problems);
      docUrl = await firstDocumentLink(page, site.url, 'raporty');
    } finally {
      await page.close();
    }
    await checkPage(docUrl, 'raport-document');
  });

  test('the search box in the header of every page (but the search page) leads to the results', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const listUrl = new URL('raporty/', site.url).href;
    const { page, problems } = await visit(browser.context, listUrl);
    try {
      // Reached with the keyboard, as a person would: the label names it.
      const box = page.getByRole('searchbox', { name: 'Szukaj w dokumentach i organizacjach' });
      await box.fill('konsultacjach');
      await box.press('Enter');
      await page.waitForURL((u) => u.pathname.endsWith('/szukaj/') && u.searchParams.get('q') === 'konsultacjach');
      await page.waitForSelector('#jawnik-search-results[data-state="done"]');
      const titles = await page.$$eval('#jawnik-search-results .search-result-title', (els) => els.length);
      assert.ok(titles > 0, 'the search page shows no results for the header query');
      assert.equal(await page.inputValue('#q'), 'konsultacjach', 'the search page box does not carry the query');
      assert.equal(await page.locator('#header-q').count(), 0, 'the search page repeats the header search box');
      assertClean(page.url(), problems);
    } finally {
      await page.close();
    }
  });

  test('search page: pasted text is searched at once, typing waits for a pause', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('szukaj/', site.url).href;
    const { page, problems } = await visit(browser.context, url);
    try {
      await page.waitForSelector('#jawnik-search-results[data-state="idle"]', { state: 'attached' });
      const seen = await page.evaluate(() => {
        const box = document.getElementById('q');
        const results = document.getElementById('jawnik-search-results');
        const query = () => new URLSearchParams(location.search).get('q');
        box.value = 'konsultacje';
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
        const afterPaste = { q: query(), state: results.dataset.state };
        box.value = 'konsultacjez';
        box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'z' }));
        return { afterPaste, afterKey: query() };
      });
      assert.deepEqual(seen.afterPaste, { q: 'konsultacje', state: 'loading' }, 'a paste did not start a search at once');
      assert.equal(seen.afterKey, 'konsultacje', 'a single typed letter searched without waiting for a pause');
      await page.waitForURL((u) => u.searchParams.get('q') === 'konsultacjez');
      await page.waitForSelector('#jawnik-search-results[data-state="done"]');
      assertClean(url, problems);
    } finally {
      await page.close();
    }
  });

  test('search page: one typed character is not searched, Enter searches it', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('szukaj/', site.url).href;
    const { page, problems } = await visit(browser.context, url);
    const searchFiles = () => problems.requests.filter((p) => /\/search\/[tpd]\//.test(p));
    try {
      await page.waitForSelector('#jawnik-search-results[data-state="idle"]', { state: 'attached' });
      await page.locator('#q').pressSequentially('k');
      await page.waitForFunction(() => document.getElementById('jawnik-search-status').textContent.includes('co najmniej dwa znaki'), null, { timeout: 10_000 });
      assert.equal(await page.getAttribute('#jawnik-search-results', 'data-state'), 'idle');
      assert.deepEqual(searchFiles(), [], 'a single typed character fetched search files');
      await page.press('#q', 'Enter');
      await page.waitForSelector('#jawnik-search-results[data-state="done"][data-query="k"]', { state: 'attached' });
      assert.match((await page.textContent('#jawnik-search-status')).trim(), /^(Znaleziono|Nie znaleziono)/);
      assert.ok(searchFiles().length > 0, 'Enter did not search');
      assertClean(url, problems);
    } finally {
      await page.close();
    }
  });

  test("unknown URL: the site's 404 page with status 404", { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const missing = new URL('nie-ma-takiej-strony/ani-tej/', site.url).href;
    const { page, response, problems } = await visit(browser.context, missing, {
      allowStatus: (u, status) => u === missing && status === 404,
    });
    try {
      await screenshot(page, '404');
      assert.equal(response?.status(), 404, `${missing} answered ${response?.status()}`);
      // The 404 page's assets must load from a nested unknown URL too.
      assertClean(missing, problems);
      const expected = /<title>([\s\S]*?)<\/title>/i.exec(readFileSync(path.join(site.dir, '404.html'), 'utf8'));
      assert.ok(expected, '404.html has no <title>');
      const decode = (t) =>
        t.replace(/\s+/g, ' ').trim().replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      assert.equal((await page.title()).trim(), decode(expected[1]), 'the page served is not 404.html');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe(missing, violations));
    } finally {
      await page.close();
    }
  });
});
