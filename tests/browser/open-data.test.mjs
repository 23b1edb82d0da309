// Open data and the freshness of the NGO directory in the browser, with the CSP from
// netlify.toml, on tests/fixtures/open-data-site built with --today 2026-12-06: an
// organisation confirmed long ago shows "Dane potwierdzone: …" and the visible note "dane mogą
// być nieaktualne", a fresh one shows the date without the note, and each has a "Zgłoś zmianę"
// link whose subject names the page; the directory is narrowed and ordered by freshness by
// using its form (ngo-filter.js); the /dane/ page is clean and accessible, and the files it
// links are served and read as CSV and JSON from the page.
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

describe('open data and the freshness of the directory (with the CSP from netlify.toml)', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({
      headers: netlifyHeaders(),
      root: path.join(REPO_ROOT, 'tests/fixtures/open-data-site'),
      today: '2026-12-06',
    }));
    browser = keep(await launchBrowser());
  });

  test('an entry page says when its details were confirmed, warns when that is long ago, and links "Zgłoś zmianę"', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const [slug, name, stale] of [
      ['stowarzyszenie-dawne', 'Stowarzyszenie Dawne (fikstura)', true],
      ['fundacja-swieza', 'Fundacja Świeża (fikstura)', false],
      ['kolo-niepotwierdzone', 'Koło Niepotwierdzone (fikstura)', true],
    ]) {
      const url = new URL(`organizacje/${slug}/`, site.url).href;
      const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
      try {
        const confirmed = await page.textContent('section.freshness p:first-of-type');
        assert.match(confirmed, slug === 'kolo-niepotwierdzone' ? /Dane potwierdzone: nie potwierdzono/ : /Dane potwierdzone: \d+ \S+ \d{4} r\./);
        const note = page.getByText('dane mogą być nieaktualne');
        if (stale) {
          assert.ok(await note.isVisible(), `${slug}: the note is visible`);
        } else {
          assert.equal(await note.count(), 0, `${slug}: no note`);
        }
        const link = page.getByRole('link', { name: 'Zgłoś zmianę' });
        assert.ok(await link.isVisible(), `${slug}: "Zgłoś zmianę" is visible`);
        const href = decodeURIComponent(await link.getAttribute('href'));
        assert.equal(href, `mailto:baza@example.org?subject=Zgłoszenie zmiany: ${name} (${url})`);
        if (slug === 'stowarzyszenie-dawne') await screenshot(page, 'freshness-stale-entry');
        await assertCleanAndAccessible(slug, page, problems);
      } finally {
        await page.close();
      }
    }
  });

  test('the directory is filtered and sorted by freshness with its form', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('organizacje/', site.url).href, { allowStatus: noFavicon });
    try {
      assert.ok(await page.isVisible('form#ngo-filter'), 'the script shows the form');
      const shown = () => page.$$eval('.items > .item', (items) => items.filter((i) => !i.hidden).map((i) => i.querySelector('a').textContent));
      const all = ['Fundacja Świeża (fikstura)', 'Koło Niepotwierdzone (fikstura)', 'Stowarzyszenie Dawne (fikstura)'];
      assert.deepEqual(await shown(), all, 'alphabetical at first');
      // Every entry says when it was confirmed, without JavaScript's help.
      assert.match(await page.textContent('.items'), /Dane potwierdzone: 10 stycznia 2024 r\. · dane mogą być nieaktualne/);

      await page.getByLabel('Aktualność danych').selectOption({ label: 'potwierdzone ponad 12 miesięcy temu' });
      assert.deepEqual(await shown(), ['Stowarzyszenie Dawne (fikstura)']);
      assert.match(await page.textContent('#ngo-filter-status'), /Pokazano 1 z 3/);
      await page.getByLabel('Aktualność danych').selectOption({ label: 'niepotwierdzone' });
      assert.deepEqual(await shown(), ['Koło Niepotwierdzone (fikstura)']);
      await page.getByLabel('Aktualność danych').selectOption({ label: 'potwierdzone w ciągu 12 miesięcy' });
      assert.deepEqual(await shown(), ['Fundacja Świeża (fikstura)']);
      await page.getByLabel('Aktualność danych').selectOption({ label: 'wszystkie' });
      assert.deepEqual(await shown(), all);

      await page.getByLabel('Kolejność').selectOption({ label: 'najdawniej potwierdzone najpierw' });
      assert.deepEqual(await shown(), ['Koło Niepotwierdzone (fikstura)', 'Stowarzyszenie Dawne (fikstura)', 'Fundacja Świeża (fikstura)']);
      assert.match(await page.textContent('#ngo-filter-status'), /Kolejność: najdawniej potwierdzone najpierw/);
      await page.getByLabel('Kolejność').selectOption({ label: 'najświeżej potwierdzone najpierw' });
      assert.deepEqual(await shown(), ['Fundacja Świeża (fikstura)', 'Stowarzyszenie Dawne (fikstura)', 'Koło Niepotwierdzone (fikstura)']);
      // Combined with a sector.
      await page.getByLabel('Branża').selectOption('kultura');
      assert.deepEqual(await shown(), ['Fundacja Świeża (fikstura)', 'Koło Niepotwierdzone (fikstura)']);
      await page.getByLabel('Branża').selectOption('');
      await page.getByLabel('Kolejność').selectOption({ label: 'alfabetycznie' });
      assert.deepEqual(await shown(), all, 'back to alphabetical');
      await screenshot(page, 'freshness-directory');
      await assertCleanAndAccessible('organizacje/', page, problems);
    } finally {
      await page.close();
    }
  });

  test('the /dane/ page is accessible and its files are served as CSV and JSON', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('dane/', site.url).href, { allowStatus: noFavicon });
    try {
      assert.equal(await page.getByRole('link', { name: 'CC0 1.0' }).getAttribute('rel'), 'license');
      const fetched = await page.evaluate(async () => {
        const out = {};
        for (const a of document.querySelectorAll('table.data-files a')) {
          const r = await fetch(a.href);
          out[a.textContent] = { type: r.headers.get('content-type'), text: await r.text() };
        }
        return out;
      });
      assert.deepEqual(Object.keys(fetched).sort(), ['dokumenty.csv', 'dokumenty.json', 'kalendarz.ics', 'konkursy.csv', 'koordynatorzy.csv', 'organizacje.csv', 'postulaty.csv']);
      for (const [name, { type, text }] of Object.entries(fetched)) {
        if (name.endsWith('.csv')) {
          assert.match(type, /^text\/csv/, name);
          assert.ok(text.startsWith('url,'), `${name}: header`);
        }
      }
      assert.match(fetched['organizacje.csv'].text, /\r\n.*Stowarzyszenie Dawne \(fikstura\),"'-2\+3 na początku/);
      const json = JSON.parse(fetched['dokumenty.json'].text);
      assert.equal(json.count, 2);
      assert.equal(json.documents.length, 2);
      // The rows column of the page equals the files' contents.
      const rows = await page.$$eval('table.data-files tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('a').textContent, tr.cells[3].textContent])));
      assert.equal(rows['postulaty.csv'], '3');
      assert.equal(rows['organizacje.csv'], '3');
      await assertCleanAndAccessible('dane/', page, problems);
    } finally {
      await page.close();
    }
  });
});
