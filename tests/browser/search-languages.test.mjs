// Search per language (issue #24, point 3) in Chromium, on the `translations` fixture (a
// Polish report with a Ukrainian and an English translation made by the team, and an
// untranslated Polish report): the site ships the multi-language module; a query typed in
// Ukrainian on /uk/szukaj/ finds the Ukrainian page (inflected forms by their Snowball stem)
// and says how many results the other languages have, with the CLDR plural form; the results of
// the page's language are not marked as another language; and for a few Ukrainian and English
// queries the page shows what `jawnik search --language … --json` gives: the same results in
// the same order and the same other-language count.
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
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
  searchResults,
  searchSeq,
  serveSite,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'translations');
const UK_PAGE = '/uk/raporty/spotkanie-antydyskryminacja-2018-06-15/';

/** Ukrainian CLDR categories written out: 1, 21… one; 2–4, 22–24… few; the rest many. */
function ukrainianOthers(n) {
  const [d, h] = [n % 10, n % 100];
  if (d === 1 && h !== 11) return `${n} результат іншими мовами.`;
  if (d >= 2 && d <= 4 && !(h >= 12 && h <= 14)) return `${n} результати іншими мовами.`;
  return `${n} результатів іншими мовами.`;
}
const englishOthers = (n) => (n === 1 ? '1 result in other languages.' : `${n} results in other languages.`);
const OTHERS = { uk: ukrainianOthers, en: englishOthers };

/** Types `q` into the page's search box a key at a time and waits for its results. */
async function typeQuery(page, q) {
  const seq = await searchSeq(page);
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially(q, { delay: 25 });
  assert.equal(await waitForSearch(page, { query: typingQuery(q), afterSeq: seq }), 'done');
  return (await page.textContent('#jawnik-search-status')).trim();
}

describe('search in the page\'s language', () => {
  let site;
  let browser;
  let copy;
  const ready = setUpSuite(async (keep) => {
    copy = keep(await copySiteRoot(FIXTURE));
    site = keep(await serveSite({ root: copy.root, headers: netlifyHeaders() }));
    browser = keep(await launchBrowser());
  });
  const url = (p) => new URL(p, site.url).href;

  test('typed in Ukrainian on /uk/szukaj/: the Ukrainian page, and the other languages counted', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, url('uk/szukaj/'), { allowStatus: noFavicon });
    try {
      assert.equal(await page.getAttribute('html', 'lang'), 'uk');
      // Inflected forms of one word (genitive and nominative plural) find the page by their stem.
      for (const q of ['мігрантів', 'мігранти', 'міграційної політики']) {
        const status = await typeQuery(page, q);
        const results = await searchResults(page);
        assert.deepEqual(results.map((r) => r.href), [UK_PAGE], `${q}: ${status}`);
        assert.ok(status.startsWith('Знайдено 1 результат.'), `${q}: ${status}`);
        // Nothing in Polish or English has these Ukrainian stems: no other-language sentence.
        assert.ok(!status.includes('іншими мовами'), `${q}: ${status}`);
        // Its words are marked in the snippet.
        assert.ok(results[0].marks.length > 0 || q !== 'мігрантів', `${q}: no marked word`);
        // A Ukrainian result on a Ukrainian page: no lang="pl" on its title.
        const titleLang = await page.$eval('#jawnik-search-results .search-result-title a', (a) => a.closest('[lang]').getAttribute('lang'));
        assert.equal(titleLang, 'uk', q);
      }
      // A name written alike in every language: one Ukrainian result, the Polish reports (2)
      // and the English translation (1) counted — three, CLDR "few" in Ukrainian.
      const status = await typeQuery(page, 'Chromniak');
      assert.deepEqual((await searchResults(page)).map((r) => r.href), [UK_PAGE]);
      assert.ok(status.includes(ukrainianOthers(3)), status);
      // An English word: nothing in Ukrainian, the English page counted.
      const english = await typeQuery(page, 'discrimination');
      assert.ok(english.includes(ukrainianOthers(1)), english);
      assert.equal((await searchResults(page)).length, 0);
      await assertCleanAndAccessible('uk search with other-language counts', page, problems);
    } finally {
      await page.close();
    }
  });

  test('the site ships the multi-language module', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const files = await readdir(path.join(site.dir, 'search'));
    const meta = await (await fetch(url('search/meta.json'))).json();
    assert.match(meta.wasm, /^jawnik-[0-9a-f]{8}\.wasm$/);
    assert.ok(files.includes(meta.wasm), `${meta.wasm} not in ${files}`);
    // The multi-language module is the larger one (the stemmers): larger than the Polish
    // module a Polish site ships (prebuilt/jawnik_web.wasm, the bytes a source build gives).
    const wasm = await fetch(url(`search/${meta.wasm}`));
    const polish = (await stat(path.join(REPO_ROOT, 'prebuilt', 'jawnik_web.wasm'))).size;
    const served = (await wasm.arrayBuffer()).byteLength;
    assert.ok(served > polish + 20_000, `served module ${served} B, the Polish one ${polish} B`);
  });

  test('browser = CLI for Ukrainian and English queries: results, order, other-language count', { timeout: 10 * 60 * 1000 }, async () => {
    ready();
    const cases = [
      ['uk', 'мігрантів'],
      ['uk', 'Кракова'],
      ['uk', 'мешканців'],
      ['uk', 'BIP'],
      ['uk', 'Chromniak'],
      ['uk', 'migrants'],
      ['en', 'migrants'],
      ['en', 'migration policy'],
      ['en', 'discrimination'],
      ['en', 'Chromniak'],
      ['en', 'мігрантів'],
      ['en', 'Krakowa'],
    ];
    const mismatches = [];
    const { page, problems } = await visit(browser.context, url('uk/szukaj/'), { allowStatus: noFavicon });
    try {
      let withOthers = 0;
      for (const [lang, q] of cases) {
        const cli = JSON.parse(await jawnikCli(['search', '--json', '--language', lang, '--root', copy.root, q]));
        assert.equal(cli.language, lang, q);
        const expected = cli.results.map((r) => `/${r.path}`);
        const others = Object.values(cli.other_languages).reduce((a, b) => a + b, 0);
        if (others > 0) withOthers++;
        await page.goto(url(`${lang}/szukaj/?q=${encodeURIComponent(q)}`));
        const state = await waitForSearch(page, { query: q, afterSeq: 0 });
        const got = state === 'done' ? (await searchResults(page)).map((r) => r.href) : [`(${state})`];
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          mismatches.push(`${lang} ${q}: cli ${expected.join(' ')}, browser ${got.join(' ')}`);
        }
        const status = await page.textContent('#jawnik-search-status');
        const sentence = others > 0 ? OTHERS[lang](others) : null;
        if (sentence ? !status.includes(sentence) : /іншими мовами|in other languages/.test(status)) {
          mismatches.push(`${lang} ${q}: ${others} in other languages (cli), status ${JSON.stringify(status)}`);
        }
      }
      assert.ok(withOthers >= 6, `only ${withOthers} queries have other-language matches`);
      assert.deepEqual(mismatches, [], mismatches.join('\n'));
      assertClean('uk/en parity run', problems);
    } finally {
      await page.close();
    }
  });
});
