// The example site served at the root of an origin: home page, a document page and the 404
// page load with no console errors, no failed requests, and no axe (WCAG 2.1 A/AA) violations.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  HOOK_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  assertClean,
  firstDocumentLink,
  formatAxe,
  launchBrowser,
  runAxe,
  screenshot,
  serveSite,
  visit,
} from './harness.mjs';

describe('example site at /', () => {
  let site;
  let browser;

  // A failing setup (e.g. the build) fails every test with its message, rather than
  // cancelling them.
  let setupError = null;
  const ready = () => {
    if (setupError) throw setupError;
  };

  before(
    async () => {
      try {
        site = await serveSite();
        browser = await launchBrowser();
      } catch (e) {
        setupError = e;
      }
    },
    { timeout: HOOK_TIMEOUT_MS },
  );

  after(async () => {
    await browser?.close();
    await site?.cleanup();
  });

  async function checkPage(url, name) {
    const { page, response, problems } = await visit(browser.context, url);
    try {
        assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
        assertClean(url, problems);
        const lang = await page.getAttribute('html', 'lang');
        assert.ok(lang && lang.toLowerCase().startsWith('pl'), `${url}: <html lang> is ${JSON.stringify(lang)}, expected "pl"`);
        const title = (await page.title()).trim();
        assert.ok(title.length > 0, `${url}: empty <title>`);
        const violations = await runAxe(page);
        await screenshot(page, name);
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
        assert.equal(response?.status(), 200, `${listUrl} answered ${response?.status()}`);
        assertClean(listUrl, problems);
        await screenshot(page, 'raporty-list');
        docUrl = await firstDocumentLink(page, site.url, 'raporty');
      } finally {
        await page.close();
      }
      await checkPage(docUrl, 'raport-document');
    });

    test('unknown URL: the site\'s 404 page with status 404', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
      const missing = new URL('nie-ma-takiej-strony/ani-tej/', site.url).href;
      const { page, response, problems } = await visit(browser.context, missing, {
        allowStatus: (u, status) => u === missing && status === 404,
      });
    try {
        assert.equal(response?.status(), 404, `${missing} answered ${response?.status()}`);
        // Assets of the 404 page must load from a nested unknown URL too.
        assertClean(missing, problems);
        const expected = /<title>([\s\S]*?)<\/title>/i.exec(readFileSync(path.join(site.dir, '404.html'), 'utf8'));
        assert.ok(expected, '404.html has no <title>');
        assert.equal((await page.title()).trim(), expected[1].replace(/\s+/g, ' ').trim().replace(/&amp;/g, '&'));
        const violations = await runAxe(page);
        await screenshot(page, '404');
        assert.equal(violations.length, 0, formatAxe(missing, violations));
      } finally {
        await page.close();
      }
    });
  });
