// The site served with the headers netlify.toml sets for "/*", Content-Security-Policy
// included: no page may violate its own policy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  firstDocumentLink,
  launchBrowser,
  netlifyCsp,
  netlifyPathHeaders,
  screenshot,
  serveSite,
  visit,
  setUpSuite,
} from './harness.mjs';

describe('example site with the CSP from netlify.toml', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    netlifyCsp(); // fails with a clear message when there is none
    site = keep(await serveSite({ headers: netlifyPathHeaders() }));
    browser = keep(await launchBrowser());
  });

  async function check(url, name) {
    const { page, response, problems } = await visit(browser.context, url);
    try {
      await screenshot(page, name);
      assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
      assert.ok(response.headers()['content-security-policy'], `${url} was served without the CSP header`);
      assertClean(`${url} (with CSP)`, problems);
      return name === 'csp-raporty-list' ? await firstDocumentLink(page, site.url, 'raporty') : null;
    } finally {
      await page.close();
    }
  }

  test('home page: no CSP violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await check(site.url, 'csp-home');
  });

  test('a list page and a document page: no CSP violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const docUrl = await check(new URL('raporty/', site.url).href, 'csp-raporty-list');
    await check(docUrl, 'csp-raport-document');
  });
});
