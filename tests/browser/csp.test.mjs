// The site served with the headers netlify.toml sets for "/*", Content-Security-Policy
// included: no page may violate its own policy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  HOOK_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  assertClean,
  firstDocumentLink,
  launchBrowser,
  netlifyHeaders,
  screenshot,
  serveSite,
  visit,
} from './harness.mjs';

describe('example site with the CSP from netlify.toml', () => {
  let site;
  let browser;
  let headers;

  // A failing setup (e.g. the build) fails every test with its message, rather than
  // cancelling them.
  let setupError = null;
  const ready = () => {
    if (setupError) throw setupError;
  };

  before(
    async () => {
      try {
        headers = netlifyHeaders();
        assert.ok(
          Object.keys(headers).some((k) => k.toLowerCase() === 'content-security-policy'),
          'netlify.toml [[headers]] for "/*" sets no Content-Security-Policy',
        );
        site = await serveSite({ headers });
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

  async function check(url, name) {
    const { page, response, problems } = await visit(browser.context, url);
    try {
        assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
        assert.ok(response.headers()['content-security-policy'], `${url} was served without the CSP header`);
        assertClean(`${url} (with CSP)`, problems);
        await screenshot(page, name);
      } finally {
        await page.close();
      }
    }

    test('home page: no CSP violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
      await check(site.url, 'csp-home');
    });

    test('document page: no CSP violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
      const listUrl = new URL('raporty/', site.url).href;
      const { page } = await visit(browser.context, listUrl);
      let docUrl;
    try {
        docUrl = await firstDocumentLink(page, site.url, 'raporty');
      } finally {
        await page.close();
      }
      await check(docUrl, 'csp-raport-document');
    });
  });
