// The first page of a common word from its term chunk's heads (issue #21): on the example
// site built with `search_heads_from = 2` (so that its words in more than two pages get heads;
// 512 by default, for sites of thousands of pages), a query of a common word is answered
// without counting every match: the page says "około N" ("about N"), shows the first page,
// and the filters panel, when opened, still gets exact counts. Parity of the first page with
// the exhaustive search, to the bit, is tests/integration/shards.rs
// (`the_first_page_from_heads_is_the_exhaustive_one`).
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  launchBrowser,
  netlifyHeaders,
  noFavicon,
  openFilters,
  searchResults,
  serveSite,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('first page from heads', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    const root = await mkdtemp(path.join(tmpdir(), 'jawnik-heads-'));
    keep({ cleanup: () => rm(root, { recursive: true, force: true }) });
    for (const part of ['content', 'themes']) {
      await cp(path.join(REPO, part), path.join(root, part), { recursive: true });
    }
    const config = await readFile(path.join(REPO, 'jawnik.toml'), 'utf8');
    await writeFile(path.join(root, 'jawnik.toml'), `search_heads_from = 2\n${config}`);
    site = keep(await serveSite({ root, headers: netlifyHeaders() }));
    browser = keep(await launchBrowser());
  });

  test('a common word: "około N wyników", the first page, exact counts in the filters', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('szukaj/?q=miasto', site.url).href;
    const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
    try {
      await waitForSearch(page, { query: 'miasto' });
      const status = (await page.textContent('#jawnik-search-status')).trim();
      assert.match(status, /^Znaleziono około \d+ wynik/, status);
      const results = await searchResults(page);
      assert.equal(results.length, 10, 'a whole first page');
      const shown = (await page.textContent('.search-shown')).trim();
      assert.match(shown, /^Pokazano 10 z około \d+\.$/, shown);
      // The filters panel asks for counts: every match is counted then.
      await openFilters(page);
      const counts = await page.$$eval('#jawnik-facets .count', (els) => els.map((e) => e.textContent));
      assert.ok(counts.length > 0, 'facet counts shown');
      assertClean('search from heads', problems);
    } finally {
      await page.close();
    }
  });

  test('a rare word is counted exactly', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('szukaj/?q=siemacha', site.url).href;
    const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
    try {
      await waitForSearch(page, { query: 'siemacha' });
      const status = (await page.textContent('#jawnik-search-status')).trim();
      assert.match(status, /^Znaleziono \d+ wynik/, status);
      assertClean('search from heads', problems);
    } finally {
      await page.close();
    }
  });
});
