// The example site built with `language = "uk"` and `language = "en"` (jawnik.toml), served
// with the headers of netlify.toml (CSP included): `<html lang>` follows the language, the
// interface is Ukrainian (Cyrillic) or English, a search typed in the page says how many results
// it found in that language with the plural form CLDR gives the number (checked here against
// the rules written out, not against the page's own Intl.PluralRules), and axe finds nothing on
// the home page, the search page with results and a report's page.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertCleanAndAccessible,
  copySiteRoot,
  firstDocumentLink,
  launchBrowser,
  netlifyHeaders,
  noFavicon,
  searchSeq,
  serveSite,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

/** Ukrainian cardinal plurals (CLDR): 1, 21, 31… one; 2–4, 22–24… few; the rest many. */
function ukrainianCount(n) {
  const [d, h] = [n % 10, n % 100];
  if (d === 1 && h !== 11) return `Знайдено ${n} результат.`;
  if (d >= 2 && d <= 4 && !(h >= 12 && h <= 14)) return `Знайдено ${n} результати.`;
  return `Знайдено ${n} результатів.`;
}

const englishCount = (n) => (n === 1 ? '1 result found.' : `${n} results found.`);

const LANGUAGES = [
  {
    lang: 'uk',
    script: /[\u0400-\u04FF]/,
    home: 'Найновіші документи',
    nav: 'Пошук',
    count: ukrainianCount,
    none: 'Нічого не знайдено.',
    submit: 'Шукати',
  },
  {
    lang: 'en',
    script: /[A-Za-z]/,
    home: 'Latest documents',
    nav: 'Search',
    count: englishCount,
    none: 'No results found.',
    submit: 'Search',
  },
];

// Polish words of the interface that must not be left on these pages.
const POLISH_UI = ['Szukaj', 'Najnowsze dokumenty', 'Przejdź do treści', 'Znaleziono', 'wyników', 'Strona główna', 'Branże'];

const POLISH_KINDS = ['Strategia', 'Program', 'Raport', 'Organizacja pozarządowa', 'Konkurs ofert', 'Koordynator współpracy', 'Postulat z konsultacji', 'Sekcja'];

// Queries over the (Polish) content with counts of different plural categories.
const QUERIES = ['konsultacje', 'rewitalizacja', 'dyskryminacja', 'kultura'];

for (const L of LANGUAGES) {
  describe(`the example site in ${L.lang}`, () => {
    let site;
    let browser;
    const ready = setUpSuite(async (keep) => {
      const copy = keep(await copySiteRoot());
      const config = path.join(copy.root, 'jawnik.toml');
      const text = await readFile(config, 'utf8');
      assert.match(text, /^language = "pl"$/m);
      await writeFile(config, text.replace(/^language = "pl"$/m, `language = "${L.lang}"`));
      site = keep(await serveSite({ root: copy.root, headers: netlifyHeaders() }));
      browser = keep(await launchBrowser());
    });

    test('home and a report: the interface in the language, axe clean', { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      const { page, problems } = await visit(browser.context, site.url, { allowStatus: noFavicon });
      try {
        assert.equal(await page.getAttribute('html', 'lang'), L.lang);
        const header = await page.textContent('header.site-header');
        assert.match(header, new RegExp(L.nav));
        assert.match(await page.textContent('#najnowsze'), new RegExp(L.home));
        assert.match(await page.textContent('nav[aria-label]'), L.script);
        const chrome = (await page.textContent('header.site-header')) + (await page.textContent('footer'));
        for (const w of POLISH_UI) assert.ok(!chrome.includes(w), `"${w}" in the header or footer`);
        await assertCleanAndAccessible(`${L.lang} home`, page, problems);
        const report = await firstDocumentLink(page, site.url, 'raporty');
        const doc = await visit(browser.context, report, { allowStatus: noFavicon });
        try {
          assert.equal(await doc.page.getAttribute('html', 'lang'), L.lang);
          const meta = await doc.page.textContent('.metryczka');
          assert.match(meta, L.script);
          assert.ok(!/Rodzaj dokumentu|Data dokumentu|Metryczka/.test(meta), meta);
          await assertCleanAndAccessible(`${L.lang} report`, doc.page, doc.problems);
        } finally {
          await doc.page.close();
        }
      } finally {
        await page.close();
      }
    });

    test('a search typed in the page counts its results in the language', { timeout: TEST_TIMEOUT_MS }, async () => {
      ready();
      const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: noFavicon });
      try {
        assert.equal(await page.getAttribute('html', 'lang'), L.lang);
        assert.equal((await page.textContent('.search-form button[type=submit]')).trim(), L.submit);
        const forms = new Set();
        for (const q of QUERIES) {
          const seq = await searchSeq(page);
          await page.locator('#q').fill('');
          await page.locator('#q').pressSequentially(q, { delay: 25 });
          assert.equal(await waitForSearch(page, { query: typingQuery(q), afterSeq: seq }), 'done');
          const status = (await page.textContent('#jawnik-search-status')).trim();
          const n = await page.$$eval('#jawnik-search-results .search-result', (li) => li.length);
          const total = Number(status.match(/\d+/)?.[0]);
          assert.ok(total >= n && n > 0, `${q}: ${status}`);
          assert.ok(status.startsWith(L.count(total)), `${q}: "${status}", want "${L.count(total)}"`);
          forms.add(L.count(total).replace(/\d+/, 'N'));
          // The results' titles and snippets are the (Polish) content: marked lang="pl".
          const langs = await page.$$eval('#jawnik-search-results .search-result-title a, #jawnik-search-results .search-snippet', (els) => els.map((e) => e.lang));
          assert.ok(langs.length >= n && langs.every((l) => l === 'pl'), `${q}: ${langs}`);
          // The kind of each result is named in the language too.
          const kinds = await page.$$eval('#jawnik-search-results .search-kind', (s) => s.map((x) => x.textContent));
          assert.ok(kinds.length, q);
          for (const k of kinds) {
            assert.ok(L.script.test(k) && !POLISH_KINDS.includes(k), `${q}: kind "${k}"`);
          }
        }
        // Ukrainian counts of these queries fall in two categories (few and many).
        if (L.lang === 'uk') assert.ok(forms.size >= 2, `only ${[...forms]}`);
        const seq = await searchSeq(page);
        await page.locator('#q').fill('');
        await page.locator('#q').pressSequentially('qqqqzzzz', { delay: 25 });
        await waitForSearch(page, { query: typingQuery('qqqqzzzz'), afterSeq: seq });
        assert.ok((await page.textContent('#jawnik-search-status')).trim().startsWith(L.none));
        await assertCleanAndAccessible(`${L.lang} search`, page, problems);
      } finally {
        await page.close();
      }
    });
  });
}
