// The site built with a base URL that has a path (http://127.0.0.1:PORT/ngo/) and served
// only under /ngo/: every page and asset must load from under the sub-path.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  firstDocumentLink,
  launchBrowser,
  sameOriginRefs,
  screenshot,
  serveSite,
  visit,
  setUpSuite,
} from './harness.mjs';

describe('example site under the sub-path /ngo/', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ mount: '/ngo/' }));
    browser = keep(await launchBrowser());
  });

  async function check(url, name) {
    const { page, response, problems } = await visit(browser.context, url);
    try {
      await screenshot(page, name);
      assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
      assertClean(url, problems);
      const outside = (await sameOriginRefs(page)).filter((u) => !u.startsWith(site.url));
      assert.deepEqual(outside, [], `${url} refers to URLs outside ${site.url}`);
      return name === 'ngo-raporty-list' ? await firstDocumentLink(page, site.url, 'raporty') : null;
    } finally {
      await page.close();
    }
  }

  test('home, a list page and a document page load with no failed requests', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await check(site.url, 'ngo-home');
    const docUrl = await check(new URL('raporty/', site.url).href, 'ngo-raporty-list');
    await check(docUrl, 'ngo-raport-document');
  });

  test('feed and sitemap point under the sub-path', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const file of ['atom.xml', 'sitemap.xml']) {
      const url = new URL(file, site.url).href;
      const res = await fetch(url);
      assert.equal(res.status, 200, `${url} answered ${res.status}`);
      const body = await res.text();
      const ours = [...body.matchAll(/https?:\/\/127\.0\.0\.1:\d+[^"'<\s]*/g)].map((m) => m[0]);
      assert.ok(ours.length > 0, `${url} has no absolute URLs on ${site.origin}`);
      const outside = ours.filter((u) => !u.startsWith(site.url));
      assert.deepEqual(outside, [], `${url} has URLs outside ${site.url}`);
    }
  });
});
