// Translated pages (issue #24, point 2) in Chromium, on the `translations` fixture (a Polish
// report with a Ukrainian and an English translation of a passage made by the team, and an
// untranslated Polish report), served with the headers of netlify.toml (CSP included): the
// Ukrainian page renders its Cyrillic text with `lang="uk"`, the language switcher leads from
// one translation to the next (followed with the keyboard, as a person would), the
// `hreflang` alternates are in <head>, a query typed in Ukrainian on /uk/szukaj/ finds the
// Ukrainian page through the one index at the root, the untranslated report is shown in Polish on the
// Ukrainian list with `lang="pl"` on its text, and axe finds nothing on the pages of any
// language.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertCleanAndAccessible,
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

const PAGE = 'raporty/spotkanie-antydyskryminacja-2018-06-15/';
const UNTRANSLATED = 'raporty/spotkanie-kultura-2018-05-25/';
const CYRILLIC = /[\u0400-\u04FF]/;

describe('translated pages', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ root: path.join(REPO_ROOT, 'tests/fixtures/translations'), headers: netlifyHeaders() }));
    browser = keep(await launchBrowser());
  });
  const url = (p) => new URL(p, site.url).href;

  test('the Ukrainian page renders Cyrillic text with lang="uk"', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, url(`uk/${PAGE}`), { allowStatus: noFavicon });
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'uk');
      const h1 = page.locator('main h1');
      assert.match(await h1.innerText(), /^Підсумок консультаційної зустрічі/);
      // The heading is in the page's language: no `lang` of its own, so it is read as Ukrainian.
      assert.equal(await h1.evaluate((el) => el.closest('[lang]').getAttribute('lang')), 'uk');
      const prose = await page.locator('main .prose').innerText();
      assert.match(prose, /У місті немає міграційної політики/);
      // The text is drawn (not tofu or empty): the Cyrillic heading has a width.
      const box = await h1.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 10, JSON.stringify(box));
      // The interface is Ukrainian too.
      assert.match(await page.locator('header.site-header').innerText(), CYRILLIC);
      await assertCleanAndAccessible('uk translation', page, problems);
    } finally {
      await page.close();
    }
  });

  test('the switcher navigates between translations', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, url(PAGE), { allowStatus: noFavicon });
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      const switcher = page.locator('nav.language-switcher');
      assert.equal(await switcher.locator('[aria-current]').innerText(), 'Polski');
      // To Ukrainian with the keyboard: focus the link, press Enter.
      await switcher.getByRole('link', { name: 'Українська' }).focus();
      await Promise.all([page.waitForURL(url(`uk/${PAGE}`)), page.keyboard.press('Enter')]);
      assert.equal(await page.getAttribute('html', 'lang'), 'uk');
      assert.match(await page.locator('main h1').innerText(), /^Підсумок/);
      assert.equal(await page.locator('nav.language-switcher [aria-current]').innerText(), 'Українська');
      // On to English, then back to Polish.
      await Promise.all([page.waitForURL(url(`en/${PAGE}`)), page.locator('nav.language-switcher').getByRole('link', { name: 'English' }).click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.match(await page.locator('main h1').innerText(), /^Summary of the consultation meeting/);
      await Promise.all([page.waitForURL(url(PAGE)), page.locator('nav.language-switcher').getByRole('link', { name: 'Polski' }).click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'pl');
      assert.match(await page.locator('main h1').innerText(), /^Podsumowanie spotkania/);
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.csp, []);
    } finally {
      await page.close();
    }
  });

  test('hreflang alternates are in <head>', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const prefix of ['', 'uk/', 'en/']) {
      const { page } = await visit(browser.context, url(`${prefix}${PAGE}`), { allowStatus: noFavicon });
      try {
        const links = await page.$$eval('head link[rel="alternate"][hreflang]', (ls) => ls.map((l) => [l.hreflang, new URL(l.href).pathname]));
        assert.deepEqual(links, [
          ['pl', `/${PAGE}`],
          ['uk', `/uk/${PAGE}`],
          ['en', `/en/${PAGE}`],
          ['x-default', `/${PAGE}`],
        ]);
      } finally {
        await page.close();
      }
    }
  });

  test('an untranslated document is shown in its own language, marked so', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, url('uk/raporty/'), { allowStatus: noFavicon });
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'uk');
      const polish = page.locator(`a[href$="/uk/${UNTRANSLATED}"]`);
      assert.equal(await polish.getAttribute('lang'), 'pl');
      assert.match(await polish.innerText(), /^Podsumowanie spotkania/);
      const translated = page.locator(`a[href$="/uk/${PAGE}"]`).first();
      assert.equal(await translated.getAttribute('lang'), null);
      assert.match(await translated.innerText(), CYRILLIC);
      await assertCleanAndAccessible('uk list', page, problems);
    } finally {
      await page.close();
    }
  });

  test('the Ukrainian search page finds the translation typed in Ukrainian', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, url('uk/szukaj/'), { allowStatus: noFavicon });
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'uk');
      const q = 'міграційної';
      const seq = await searchSeq(page);
      await page.locator('#q').pressSequentially(q, { delay: 25 });
      assert.equal(await waitForSearch(page, { query: typingQuery(q), afterSeq: seq }), 'done');
      // The one index at the root serves every language's search page; the result leads to
      // the Ukrainian page.
      const hrefs = await page.$$eval('#jawnik-search-results .search-result a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(hrefs.includes(`/uk/${PAGE}`), JSON.stringify(hrefs));
      await assertCleanAndAccessible('uk search', page, problems);
    } finally {
      await page.close();
    }
  });

  test('axe clean on the pl, uk and en pages', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const prefix of ['', 'uk/', 'en/']) {
      for (const p of ['', PAGE, UNTRANSLATED, 'raporty/']) {
        const { page, problems } = await visit(browser.context, url(`${prefix}${p}`), { allowStatus: noFavicon });
        try {
          assert.equal(await page.getAttribute('html', 'lang'), prefix ? prefix.slice(0, 2) : 'pl');
          await assertCleanAndAccessible(`/${prefix}${p}`, page, problems);
        } finally {
          await page.close();
        }
      }
    }
  });
});
