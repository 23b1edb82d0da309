// Versions of a document in Chromium (issue #25), with the CSP from netlify.toml, over the
// tests/fixtures/versions site (the 1994/1997 procurement texts as two chains: Markdown
// bodies, and PDF attachments only). Checked: each version's page shows the chain with the
// current version marked (aria-current), following its link to the comparison reaches the
// built comparison page, whose summary and marks are read from the accessibility tree and
// whose links lead back to both versions; the changes answering a postulate (`answer_ref`)
// carry a visible "odpowiada na postulat" with a link reaching the postulate, and the
// postulates tracker links that postulate to the change; every page visited has no console errors or CSP
// violations and no axe findings.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  assertCleanAndAccessible,
  launchBrowser,
  netlifyHeaders,
  noFavicon,
  screenshot,
  serveSite,
  setUpSuite,
  visit,
} from './harness.mjs';

describe('versions of a document (tests/fixtures/versions, with the CSP from netlify.toml)', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ headers: netlifyHeaders(), root: path.join(REPO_ROOT, 'tests/fixtures/versions') }));
    browser = keep(await launchBrowser());
  });

  test('the chain links the versions and their comparison', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('programy/zamowienia-1997/', site.url).href, { allowStatus: noFavicon });
    try {
      assertClean('newer version', problems);
      const chain = page.getByRole('navigation', { name: 'Wersje' });
      const current = chain.locator('[aria-current="page"]');
      assert.equal(await current.count(), 1);
      assert.equal((await current.textContent()).trim(), '1997');
      assert.match(await chain.innerText(), /1994 \(10\.06\.1994\)\s*→\s*1997 \(29\.08\.1997\)/);

      await chain.getByRole('link', { name: 'Co się zmieniło względem poprzedniej wersji' }).click();
      await page.waitForURL(/\/programy\/zamowienia-1997\/zmiany\/$/);
      await page.waitForLoadState('load');
      await screenshot(page, 'versions-compare');
      assertClean('comparison page, reached by its link', problems);
      const tree = await page.locator('main').ariaSnapshot();
      assert.match(tree, /Zmiany w tekście: \d+ akapit\S* zmienion\S*, \d+ dodan\S*, \d+ usunięt\S*\./u, tree);
      assert.match(tree, /heading "dodano: Art\. 6a\."/, tree);
      assert.match(tree, /insertion: "dodano: /, tree);

      await page.getByRole('link', { name: '1994', exact: true }).first().click();
      await page.waitForURL(/\/programy\/zamowienia-1994\/$/);
      await page.waitForLoadState('load');
      assertClean('older version, reached by its link', problems);
      const older = page.getByRole('navigation', { name: 'Wersje' });
      assert.equal((await older.locator('[aria-current="page"]').textContent()).trim(), '1994');
      assert.equal(await older.getByRole('link', { name: /Co zmieniła następna wersja \(1997\)/ }).count(), 1);
    } finally {
      await page.close();
    }
  });

  test('a change answering a postulate says so, and the tracker links to it', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('postulaty/', site.url).href, { allowStatus: noFavicon });
    try {
      assertClean('postulates tracker', problems);
      const row = page.getByRole('row', { name: /Określić roboty budowlane/ });
      assert.match(await row.innerText(), /Odpowiedź w tekście: Ustawa o zamówieniach publicznych, rozdziały 1–2 \(1997\), Art\. 2\./);
      const change = row.getByRole('link', { name: /^zmiana \d+ w porównaniu wersji$/ }).first();
      const number = (await change.textContent()).match(/\d+/)[0];
      await change.click();
      await page.waitForURL(new RegExp(`/programy/zamowienia-1997/zmiany/#zmiana_${number}$`));
      await page.waitForLoadState('load');
      assertClean('comparison page, reached from the tracker', problems);
      // The change the link points at is visible, labelled in words, with a link back.
      const block = page.locator(`#zmiana_${number}`);
      assert.ok(await block.isVisible());
      const label = block.getByRole('listitem').filter({ hasText: 'odpowiada na postulat:' });
      assert.equal(await label.count(), 1, await block.innerText());
      assert.match(await label.innerText(), /odpowiada na postulat: nr 1 z raportu „Postulat do ustawy o zamówieniach publicznych \(fikstura testowa\)” — Określić roboty budowlane/);
      // Only the changes of art. 2 carry it (the jump list names each change's headings).
      const inArt2 = await page.getByRole('navigation', { name: 'Spis zmian' }).getByRole('listitem').filter({ hasText: '› Art. 2.:' }).count();
      assert.ok(inArt2 >= 1);
      assert.equal(await page.locator('.cmp-change .cmp-answers').count(), inArt2);
      await label.getByRole('link', { name: /nr 1 z raportu/ }).click();
      await page.waitForURL(/\/raporty\/postulat-roboty-budowlane\/#postulat-1$/);
      await page.waitForLoadState('load');
      assertClean('the postulate, reached from the change', problems);
      assert.ok(await page.locator('#postulat-1').isVisible());
    } finally {
      await page.close();
    }
  });

  // Each page on a fresh visit: axe's injection is itself refused by the CSP, so it runs last.
  test('version and comparison pages are clean and accessible', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const rel of [
      'programy/zamowienia-1994/',
      'programy/zamowienia-1997/',
      'programy/zamowienia-1997/zmiany/',
      'strategie/zamowienia-pdf-1997/',
      'strategie/zamowienia-pdf-1997/zmiany/',
      'postulaty/',
      'raporty/postulat-roboty-budowlane/',
    ]) {
      const { page, problems } = await visit(browser.context, new URL(rel, site.url).href, { allowStatus: noFavicon });
      try {
        await assertCleanAndAccessible(rel, page, problems);
        if (rel.startsWith('strategie/') && rel.endsWith('zmiany/')) {
          // The comparison of two versions whose text is only in their PDF attachments.
          const tree = await page.locator('main').ariaSnapshot();
          assert.match(tree, /Zmiany w tekście: \d+ akapit/, tree);
          assert.match(tree, /deletion: "usunięto: /, tree);
        }
      } finally {
        await page.close();
      }
    }
  });
});
