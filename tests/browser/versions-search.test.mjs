// Search knows versions (issue #25), in Chromium with the CSP from netlify.toml, over a copy
// of tests/fixtures/versions (two chains, 1994 → 1997; its own index for the CLI): typed into
// the page, a query shows the latest versions only, exactly as `jawnik search` (default
// `--versions latest`) lists them; ticking "pokaż wersje archiwalne" (a person's click on its
// label) adds the 1994 versions, each marked "wersja archiwalna", exactly as `jawnik search
// --versions all`; the choice is kept in the address and restored from it. No console errors,
// no CSP violations, no axe findings.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  assertCleanAndAccessible,
  copySiteRoot,
  jawnikCli,
  launchBrowser,
  netlifyHeaders,
  noFavicon,
  screenshot,
  searchSeq,
  serveSite,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';

const QUERIES = ['zamówienia publiczne', 'roboty budowlane', 'urząd zamówień publicznych', 'prezes urzędu'];

/** The results shown: [path, marked "wersja archiwalna"]. */
async function shown(page) {
  return page.$$eval('#jawnik-search-results .search-result', (items) =>
    items.map((li) => [
      ((u) => u.pathname + u.hash)(new URL(li.querySelector('a[data-result-link]').href)),
      li.querySelector('.search-archival')?.textContent === 'wersja archiwalna',
    ]),
  );
}

describe('search and versions (tests/fixtures/versions, with the CSP from netlify.toml)', () => {
  let site;
  let browser;
  let copy;
  const ready = setUpSuite(async (keep) => {
    copy = keep(await copySiteRoot(path.join(REPO_ROOT, 'tests/fixtures/versions')));
    site = keep(await serveSite({ headers: netlifyHeaders(), root: copy.root }));
    browser = keep(await launchBrowser());
  });

  async function cli(q, versions) {
    const answer = JSON.parse(await jawnikCli(['search', '--json', '--limit', '10', '--versions', versions, '--root', copy.root, q]));
    return answer.results.map((r) => [`/${r.path}`, r.archival]);
  }

  test('latest versions by default, archival ones when asked, as jawnik search lists them', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: noFavicon });
    try {
      const box = page.getByRole('checkbox', { name: 'pokaż wersje archiwalne' });
      assert.equal(await box.isChecked(), false);
      let archivalSeen = 0;
      for (const q of QUERIES) {
        // Typed as a person types, then Enter: the engine gets the query as the CLI does.
        if (await box.isChecked()) await page.getByText('pokaż wersje archiwalne').click();
        let seq = await searchSeq(page);
        await page.locator('#q').fill('');
        await page.locator('#q').pressSequentially(q, { delay: 20 });
        await page.locator('#q').press('Enter');
        assert.equal(await waitForSearch(page, { query: q, afterSeq: seq }), 'done');
        const latest = await shown(page);
        assert.deepEqual(latest, await cli(q, 'latest'), `${q}: the page's default against --versions latest`);
        assert.ok(latest.every(([, archival]) => !archival), `${q}: an archival version by default`);

        seq = await searchSeq(page);
        await page.getByText('pokaż wersje archiwalne').click();
        assert.equal(await waitForSearch(page, { query: q, afterSeq: seq }), 'done');
        assert.equal(await box.isChecked(), true);
        const all = await shown(page);
        assert.deepEqual(all, await cli(q, 'all'), `${q}: with archival versions against --versions all`);
        for (const [href, archival] of all) assert.equal(archival, href.includes('-1994/'), `${q}: ${href}`);
        archivalSeen += all.filter(([, a]) => a).length;
        assert.equal(new URL(page.url()).searchParams.get('archiwalne'), '1');
      }
      assert.ok(archivalSeen >= 4, `only ${archivalSeen} archival results shown`);
      await screenshot(page, 'versions-search');
      assertClean('search with versions', problems);

      // The address restores the choice.
      await page.goto(new URL(`szukaj/?q=${encodeURIComponent(QUERIES[0])}&archiwalne=1`, site.url).href);
      assert.equal(await waitForSearch(page, { query: QUERIES[0], afterSeq: 0 }), 'done');
      assert.equal(await page.getByRole('checkbox', { name: 'pokaż wersje archiwalne' }).isChecked(), true);
      assert.deepEqual(await shown(page), await cli(QUERIES[0], 'all'));
      assertClean('search restored from its address', problems);
    } finally {
      await page.close();
    }
  });

  test('the search page with archival results is accessible', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL(`szukaj/?q=${encodeURIComponent(QUERIES[0])}&archiwalne=1`, site.url).href;
    const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
    try {
      assert.equal(await waitForSearch(page, { query: QUERIES[0] }), 'done');
      assert.ok((await shown(page)).some(([, a]) => a), 'no archival result to check');
      await assertCleanAndAccessible('search with archival results', page, problems);
    } finally {
      await page.close();
    }
  });
});
