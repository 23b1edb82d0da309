// Searching the text of attachments in the browser (tests/fixtures/site-attachments: a report
// with the PDF, DOCX and ODT made from the seed documents, a damaged and an encrypted PDF): a
// word found only inside an attachment finds its document, and the result names the
// attachment and links to the file — to the PDF's page with `#page=N`. The document page lists
// format, size and pages, and says which attachments have no searchable text.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  launchBrowser,
  netlifyPathHeaders,
  screenshot,
  searchResults,
  searchSeq,
  serveSite,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

import { noFavicon } from './harness.mjs';
const DOCUMENT = 'Spotkania konsultacyjne w 2018 roku';

describe('attachments in the in-page search', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ headers: netlifyPathHeaders(), root: path.join(REPO_ROOT, 'tests/fixtures/site-attachments') }));
    browser = keep(await launchBrowser());
  });

  async function type(page, text) {
    const seq = await searchSeq(page);
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially(text, { delay: 35 });
    return waitForSearch(page, { query: typingQuery(text), afterSeq: seq });
  }

  /** The attachment line of each result: text and link. */
  function attachmentLines(page) {
    return page.$$eval('#jawnik-search-results .search-result', (items) =>
      items.map((li) => {
        const p = li.querySelector('.search-result-attachment');
        const a = p?.querySelector('a[data-attachment-link]');
        return { text: p?.textContent ?? '', href: a ? new URL(a.href).pathname + new URL(a.href).hash : '' };
      }),
    );
  }

  test('a word only inside a PDF page finds the document and links to that page', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: noFavicon });
    try {
      assert.equal(await type(page, 'mecenas '), 'done');
      const results = await searchResults(page);
      assert.equal(results.length, 1, results.map((r) => r.title).join('\n'));
      assert.equal(results[0].title, DOCUMENT);
      const [line] = await attachmentLines(page);
      assert.equal(line.text, 'w załączniku: Podsumowanie spotkania: kultura i sztuka, s. 4');
      assert.equal(line.href, '/pliki/raporty/files/spotkanie-kultura-2018-05-25.pdf#page=4');
      await screenshot(page, 'search-attachment');

      // The linked file is served.
      const response = await page.request.get(new URL(line.href, site.url).href);
      assert.equal(response.status(), 200);
      assert.equal((await response.body()).subarray(0, 5).toString(), '%PDF-');

      // A word only in the DOCX: the attachment, no page.
      assert.equal(await type(page, 'niekompetentni '), 'done');
      const [docx] = await attachmentLines(page);
      assert.equal(docx.text, 'w załączniku: Podsumowanie spotkania: przestrzeń publiczna');
      assert.equal(docx.href, '/pliki/raporty/files/spotkanie-przestrzen-2018-06-07.docx');

      // A word of the page itself: no attachment line.
      assert.equal(await type(page, 'załącznikach '), 'done');
      assert.equal((await searchResults(page))[0].title, DOCUMENT);
      assert.deepEqual(await attachmentLines(page), [{ text: '', href: '' }]);
      assertClean('attachment search', problems);
    } finally {
      await page.close();
    }
  });

  test('the document page gives format, size and pages, and says what cannot be searched', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('raporty/spotkania-2018/', site.url).href, { allowStatus: noFavicon });
    try {
      const items = await page.$$eval('.attachments li', (lis) => lis.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
      assert.equal(items.length, 5);
      assert.equal(items[0], 'Podsumowanie spotkania: kultura i sztuka (PDF, 25,5 KB, 4 strony)');
      assert.equal(items[3], 'Plik uszkodzony (PDF, 10,2 KB) — brak tekstu do przeszukania');
      assert.equal(items[4], 'Plik zaszyfrowany (PDF, 26,4 KB) — brak tekstu do przeszukania');
      assertClean('document page', problems);
    } finally {
      await page.close();
    }
  });
});
