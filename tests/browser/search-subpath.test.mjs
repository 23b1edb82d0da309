// The in-page search of a site built for and served under the sub-path /ngo/: the index and
// the module load from /ngo/search/ (the facet table too, when the filters are opened), result
// links start with /ngo/, a filter keeps the page under /ngo/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  launchBrowser,
  openFilters,
  screenshot,
  searchResults,
  searchSeq,
  serveSite,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';

// The theme has no favicon: chromium's own request for /favicon.ico is not the search's doing.
import { noFavicon } from './harness.mjs';

describe('in-page search under the sub-path /ngo/', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ mount: '/ngo/' }));
    browser = keep(await launchBrowser());
  });

  test('results link under /ngo/', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('szukaj/?q=konsultacje', site.url).href;
    const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
    try {
      assert.equal(await waitForSearch(page, { query: 'konsultacje' }), 'done');
      await screenshot(page, 'ngo-search');
      const results = await searchResults(page);
      assert.ok(results.length > 0, 'no results under /ngo/');
      const outside = results.map((r) => r.href).filter((h) => !h.startsWith('/ngo/'));
      assert.deepEqual(outside, [], 'result links outside /ngo/');
      const headings = await page.$$eval('.search-result-heading a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.deepEqual(headings.filter((h) => !h.startsWith('/ngo/')), [], 'section links outside /ngo/');
      // The filters (closed at first) fetch the facet table under /ngo/ too, and filter.
      assert.equal(site.requests.filter((r) => /\/search\/f-[^/]*\.bin$/.test(r.url)).length, 0, 'the facet table fetched with the filters closed');
      await openFilters(page);
      const s = await searchSeq(page);
      await page.check('input[data-facet="kind"][value="raport"]');
      assert.equal(await waitForSearch(page, { afterSeq: s }), 'done');
      const reports = await searchResults(page);
      assert.ok(reports.length > 0 && reports.every((r) => r.kind === 'Raport' && r.href.startsWith('/ngo/')), JSON.stringify(reports));
      assert.equal(new URL(page.url()).pathname, '/ngo/szukaj/');
      assert.equal(new URL(page.url()).searchParams.get('kind'), 'raport');
      const searchRequests = site.requests.filter((r) => r.url.includes('/search/'));
      assert.ok(searchRequests.some((r) => /^\/ngo\/search\/f-[^/]*\.bin$/.test(r.url)), 'no facet table from /ngo/search/');
      assert.ok(searchRequests.length > 0 && searchRequests.every((r) => r.url.startsWith('/ngo/search/')), JSON.stringify(searchRequests));
      // Following a result works.
      const first = reports[0].href;
      await Promise.all([page.waitForURL((u) => u.pathname + u.hash === first), page.click('#jawnik-search-results a[data-result-link]')]);
      assertClean(url, problems);
    } finally {
      await page.close();
    }
  });
});
