// The in-page search of /szukaj/ (themes/default/static/js/search.js over search/jawnik.wasm),
// served with the headers netlify.toml sets (CSP included): results as you type, Polish
// inflection and diacritic-free queries, corrections, filters in the URL with a working back
// button, the filters closed at first (no facet table fetched until they are opened), the
// keyboard, the home page's form, axe, no console errors, no CSP violations.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  formatAxe,
  launchBrowser,
  openFilters,
  waitForFacets,
  netlifyHeaders,
  runAxe,
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
import { typingQuery } from '../../themes/default/static/js/search.js';

const FINAL_REPORT = 'Raport podsumowujący proces konsultacyjny';
const NOWA_HUTA = 'obszarze przestrzeni, rewitalizacji i Nowej Huty';

describe('in-page search (with the CSP from netlify.toml)', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ headers: netlifyHeaders() }));
    browser = keep(await launchBrowser());
  });

  const searchUrl = (query = '') => new URL(`szukaj/${query ? `?q=${encodeURIComponent(query)}` : ''}`, site.url).href;

  /** Type into #q like a person and wait for the search of what was typed. */
  async function type(page, text) {
    const seq = await searchSeq(page);
    await page.locator('#q').fill('');
    await page.locator('#q').pressSequentially(text, { delay: 35 });
    const sent = typingQuery(text);
    return waitForSearch(page, { query: sent, afterSeq: seq });
  }

  async function status(page) {
    return (await page.textContent('#jawnik-search-status')).trim();
  }

  test('typing: inflected, diacritic-free and misspelt queries find documents', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl(), { allowStatus: noFavicon });
    try {
      assert.equal(await searchSeq(page), 0, 'an empty query ran a search');

      assert.equal(await type(page, 'konsultacjach'), 'done', await status(page));
      let results = await searchResults(page);
      await screenshot(page, 'search');
      assert.ok(results.some((r) => r.title.includes(FINAL_REPORT)), `konsultacjach: no final report in\n${results.map((r) => r.title).join('\n')}`);
      assert.match(await status(page), /^Znaleziono \d+ wynik(i|ów)?\./);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', 'the focus left the input while typing');
      assert.ok(results.some((r) => r.marks.length > 0), 'no snippet has a <mark>');
      assert.ok(results.every((r) => r.href.startsWith('/')), 'result links are not absolute paths');
      assert.ok(new URL(page.url()).searchParams.get('q') === 'konsultacjach', `URL not updated: ${page.url()}`);

      assert.equal(await type(page, 'lodz'), 'done', await status(page));
      results = await searchResults(page);
      assert.ok(results.some((r) => r.title.includes(NOWA_HUTA)), `lodz: no Nowa Huta meeting in\n${results.map((r) => r.title).join('\n')}`);

      assert.equal(await type(page, 'mieszkancow'), 'done', await status(page));
      results = await searchResults(page);
      assert.ok(results.length > 0, 'mieszkancow: no results');
      assert.ok(results.every((r) => /mieszkańc/i.test(r.title) || r.kind !== 'Sekcja'), 'mieszkancow: unexpected results');

      assert.equal(await type(page, 'zrodla'), 'done', await status(page));
      assert.ok((await searchResults(page)).length > 0, 'zrodla: no results');

      // A typo, as a whole word (space typed after it: no prefix).
      assert.equal(await type(page, 'rewitalizacjq '), 'done', await status(page));
      assert.match(await status(page), /Pokazano wyniki dla „rewitaliz[^”]*” zamiast „rewitalizacjq”/);
      assert.ok(await page.isVisible('.search-correction'), 'no visible correction note');
      assert.ok((await searchResults(page)).length > 0, 'rewitalizacjq: no results');

      // A word found nowhere is left out, and the page says so.
      assert.equal(await type(page, 'siemacha qqqqzzzz '), 'done', await status(page));
      assert.match(await status(page), /Nie znaleziono: „qqqqzzzz”\./);
      assert.ok((await searchResults(page)).some((r) => r.title.includes('Siemacha')), 'siemacha qqqqzzzz: no Siemacha');

      // The pages with every word first, then those with part of the query, saying what they lack.
      assert.equal(await type(page, 'regranting dla młodzieży '), 'done', await status(page));
      results = await searchResults(page);
      const firstPartial = results.findIndex((r) => r.missing.length > 0);
      assert.ok(firstPartial > 0, `no partial match after the full ones: ${JSON.stringify(results.map((r) => r.missing))}`);
      assert.ok(results.slice(firstPartial).every((r) => r.missing.length > 0), 'a full match after a partial one');
      assert.ok(results[firstPartial].text.includes(`Brak: ${results[firstPartial].missing.join(', ')}`), results[firstPartial].text);

      // No page has every word: the best partial matches, with a note.
      assert.equal(await type(page, 'siemacha regranting '), 'done', await status(page));
      assert.match(await status(page), /Żaden dokument nie zawiera wszystkich słów/);

      assert.equal(await type(page, 'qqqqzzzz '), 'done');
      assert.equal(await status(page), 'Nie znaleziono wyników. Nie znaleziono: „qqqqzzzz”.');
      assert.equal((await searchResults(page)).length, 0);
      assertClean('search while typing', problems);
    } finally {
      await page.close();
    }
  });

  test('filters narrow the results, go into the URL, and the back button restores', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl(), { allowStatus: noFavicon });
    try {
      await type(page, 'konsultacje');
      await openFilters(page);
      const before = await searchResults(page);
      const beforeStatus = await status(page);
      assert.ok(before.length > 1, 'konsultacje: fewer than 2 results');
      assert.ok(await page.isVisible('#jawnik-search-filters'), 'the filters are not shown');
      const kinds = new Set(before.map((r) => r.kind));
      assert.ok(kinds.size > 1, `konsultacje: results of one kind only (${[...kinds]})`);

      const box = page.locator('input[data-facet="kind"][value="raport"]');
      const label = (await page.textContent(`label[for="${await box.getAttribute('id')}"]`)).trim();
      assert.match(label, /^Raport \(\d+\)$/);
      const seq = await searchSeq(page);
      await box.check();
      await waitForSearch(page, { afterSeq: seq });
      const narrowed = await searchResults(page);
      const totalOf = (text) => Number(text.match(/Znaleziono (\d+)/)?.[1] ?? 0);
      const narrowedTotal = totalOf(await status(page));
      assert.ok(narrowed.length > 0, 'no results with the kind filter');
      assert.ok(narrowedTotal < totalOf(beforeStatus), `the kind filter did not narrow: ${beforeStatus} → ${await status(page)}`);
      assert.equal(narrowedTotal, Number(label.match(/\((\d+)\)/)[1]), 'the count on the label is not the number of results');
      assert.ok(narrowed.every((r) => r.kind === 'Raport'), `not only reports: ${narrowed.map((r) => r.kind)}`);
      assert.equal(new URL(page.url()).searchParams.get('kind'), 'raport', page.url());
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'f:kind:raport', 'the focus left the checkbox');

      // Sort by date: the URL says so, the dates are in descending order.
      let s = await searchSeq(page);
      await page.selectOption('#jawnik-sort', 'date');
      await waitForSearch(page, { afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('sort'), 'date');
      const dates = await page.$$eval('#jawnik-search-results time', (ts) => ts.map((t) => t.dateTime));
      assert.deepEqual(dates, [...dates].sort().reverse(), 'not sorted by date');

      // Back: relevance again, then no filter again.
      s = await searchSeq(page);
      await page.goBack();
      await waitForSearch(page, { afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('sort'), null);
      assert.equal(await page.inputValue('#jawnik-sort'), 'relevance');
      s = await searchSeq(page);
      await page.goBack();
      await waitForSearch(page, { afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('kind'), null, page.url());
      assert.equal(await page.isChecked('input[data-facet="kind"][value="raport"]'), false);
      assert.equal(await page.inputValue('#q'), 'konsultacje');
      assert.deepEqual(await searchResults(page), before, 'going back did not restore the results');
      assert.equal(await status(page), beforeStatus);

      // Forward again.
      s = await searchSeq(page);
      await page.goForward();
      await waitForSearch(page, { afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('kind'), 'raport');
      assert.ok((await searchResults(page)).every((r) => r.kind === 'Raport'));

      // A date range.
      s = await searchSeq(page);
      await page.fill('#jawnik-from', '2018-06-01');
      await waitForSearch(page, { afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('from'), '2018-06-01');
      const ranged = await page.$$eval('#jawnik-search-results time', (ts) => ts.map((t) => t.dateTime));
      assert.ok(ranged.every((d) => d >= '2018-06-01'), `dates before the range: ${ranged}`);
      assertClean('filters', problems);
    } finally {
      await page.close();
    }
  });

  /** The facet counts the page shows: { facet: { value: n } } (from the checkboxes' labels). */
  function shownCounts(page) {
    return page.$$eval('#jawnik-facets input[data-facet]', (boxes) => {
      const out = {};
      for (const b of boxes) {
        const n = Number(document.querySelector(`label[for="${b.id}"] .count`).textContent.replace(/[()]/g, ''));
        (out[b.dataset.facet] ||= {})[b.value] = n;
      }
      return out;
    });
  }

  /**
   * The counts the engine gives for the page's last search when asked for them with the
   * results at once (`facets=1`, as the page asked before the filters were closed by
   * default): a second engine in the page, the page's own module. Values with no match left out.
   */
  function engineCounts(page) {
    return page.evaluate(async () => {
      const src = [...document.querySelectorAll('script[type="module"]')].find((s) => /search/.test(s.src)).src;
      const m = await import(src);
      const root = document.getElementById('jawnik-search-results');
      const engine = new m.Engine(root.dataset.indexUrl);
      const request = m.buildRequest(m.stateFromSearch(location.search), { query: root.dataset.query });
      const answer = await engine.search(`${request}\nfacets=1`);
      const out = {};
      // The facets the panel shows (`version` is the search form's own control, on a site
      // with versions).
      for (const [facet, values] of Object.entries(answer.facets)) {
        if (!m.FACETS.includes(facet)) continue;
        for (const [v, n] of Object.entries(values)) if (n > 0) (out[facet] ||= {})[v] = n;
      }
      return out;
    });
  }

  test('the filters are closed at first: results without the facet table; opening fetches it and shows the counts', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl(), { allowStatus: noFavicon });
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    const facetTable = () => requests.filter((p) => /\/search\/f-[^/]*\.bin$/.test(p));
    const toggle = page.locator('#jawnik-filters-toggle');
    try {
      assert.equal(await page.isVisible('#jawnik-filters-toggle'), false, 'the filters are offered before any results');
      // Typed (prefix searches of every partial word), then submitted as a whole word.
      assert.equal(await type(page, 'konsultacje'), 'done', await status(page));
      const s = await searchSeq(page);
      await page.press('#q', 'Enter');
      assert.equal(await waitForSearch(page, { query: 'konsultacje', afterSeq: s }), 'done');
      const results = await searchResults(page);
      assert.ok(results.length > 1, 'konsultacje: fewer than 2 results');
      await page.waitForTimeout(300); // a late request for the counts would be made by now
      assert.ok(requests.some((p) => p.includes('/search/t/')), `the requests were not recorded: ${requests}`);
      assert.deepEqual(facetTable(), [], 'the facet table was fetched for results without filters');
      // meta.json carries the meta file's bytes: one round trip fewer before the first search.
      assert.ok(problems.requests.some((p) => p.endsWith('/search/meta.json')), `meta.json not fetched: ${problems.requests}`);
      assert.deepEqual(problems.requests.filter((p) => /\/search\/meta-[^/]*\.bin$/.test(p)), [], 'the meta file was fetched although meta.json carries it');
      assert.ok(await toggle.isVisible(), 'no "Filtry i sortowanie" button with the results');
      assert.equal((await toggle.textContent()).trim(), 'Filtry i sortowanie');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await toggle.getAttribute('aria-controls'), 'jawnik-search-filters');
      assert.equal(await page.isVisible('#jawnik-search-filters'), false, 'the filters are open at first');

      // With the keyboard: from the search field, Tab past "Szukaj" to the toggle, then Enter.
      await page.focus('#q');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'jawnik-filters-toggle', 'Tab does not reach the toggle');
      await openFilters(page, { keyboard: true });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.ok(await page.isVisible('#jawnik-search-filters'), 'the filters did not open');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'jawnik-filters-toggle', 'the focus left the toggle');
      assert.equal(facetTable().length, 1, `the facet table fetched ${facetTable().length} times`);
      assert.deepEqual(await searchResults(page), results, 'opening the filters changed the results');
      const shown = await shownCounts(page);
      assert.ok(Object.keys(shown.kind || {}).length > 1, `counts of one kind only: ${JSON.stringify(shown)}`);
      assert.deepEqual(shown, await engineCounts(page), 'the counts shown are not the engine\'s');
      await screenshot(page, 'search-filters-open');

      // While open, a new query fills the counts again (the page keeps the table it has; the
      // second engine of engineCounts fetched its own).
      const fetched = facetTable().length;
      await type(page, 'rewitalizacja ');
      await waitForFacets(page);
      assert.equal(facetTable().length, fetched, 'the facet table fetched again');
      const again = await shownCounts(page);
      assert.notDeepEqual(again, shown, 'the counts did not follow the query');
      assert.deepEqual(again, await engineCounts(page));

      // Closed again with Space (the focus stays on the toggle); no filter is in use.
      await toggle.focus();
      await page.keyboard.press('Space');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.isVisible('#jawnik-search-filters'), false);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'jawnik-filters-toggle');
      assertClean('filters closed, then opened', problems);

      // Before axe: injecting it under the CSP is itself reported as a blocked inline script.
      let violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe('/szukaj/ with the filters closed', violations));
      await openFilters(page);
      violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe('/szukaj/ with the filters open', violations));
    } finally {
      await page.close();
    }
  });

  test('a URL with filters, a date range or sort by date opens the filters and applies them', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, `${searchUrl('konsultacje')}&kind=raport`, { allowStatus: noFavicon });
    try {
      assert.equal(await waitForSearch(page, { query: 'konsultacje' }), 'done', await status(page));
      await waitForFacets(page);
      assert.equal(await page.getAttribute('#jawnik-filters-toggle', 'aria-expanded'), 'true');
      assert.ok(await page.isVisible('#jawnik-search-filters'), 'the filters are closed');
      assert.equal((await page.textContent('#jawnik-filters-toggle')).trim(), 'Filtry i sortowanie (aktywne: 1)');
      assert.equal(await page.isChecked('input[data-facet="kind"][value="raport"]'), true);
      const results = await searchResults(page);
      assert.ok(results.length > 0, 'no reports for konsultacje');
      assert.ok(results.every((r) => r.kind === 'Raport'), `not only reports: ${results.map((r) => r.kind)}`);
      assert.deepEqual(await shownCounts(page).then((c) => c.kind.raport), Number((await status(page)).match(/Znaleziono (\d+)/)[1]));

      // Closing them keeps the filter (the toggle says so); the results stay the same.
      await page.click('#jawnik-filters-toggle');
      assert.equal(await page.isVisible('#jawnik-search-filters'), false);
      assert.match(await page.textContent('#jawnik-filters-toggle'), /\(aktywne: 1\)/);
      assert.deepEqual(await searchResults(page), results);

      for (const extra of ['&sort=date', '&from=2018-01-01']) {
        await page.goto(searchUrl('konsultacje') + extra);
        assert.equal(await waitForSearch(page, { query: 'konsultacje' }), 'done', `${extra}: ${await status(page)}`);
        await waitForFacets(page);
        assert.equal(await page.getAttribute('#jawnik-filters-toggle', 'aria-expanded'), 'true', `${extra}: closed`);
        if (extra.includes('sort')) assert.equal(await page.inputValue('#jawnik-sort'), 'date');
        else assert.equal(await page.inputValue('#jawnik-from'), '2018-01-01');
      }
      assertClean('filters from the URL', problems);
    } finally {
      await page.close();
    }
  });

  test('a URL with ?q= searches at once; arrows and Escape move the focus', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl('konsultacje'), { allowStatus: noFavicon });
    try {
      await waitForSearch(page, { query: 'konsultacje' });
      await screenshot(page, 'search-konsultacje');
      const links = await page.$$eval('#jawnik-search-results a[data-result-link]', (as) => as.map((a) => a.href));
      assert.ok(links.length >= 3);
      const active = () => page.evaluate(() => (document.activeElement?.id === 'q' ? 'q' : document.activeElement?.href ?? document.activeElement?.tagName));
      await page.focus('#q');
      await page.keyboard.press('ArrowDown');
      assert.equal(await active(), links[0]);
      await page.keyboard.press('ArrowDown');
      assert.equal(await active(), links[1]);
      await page.keyboard.press('ArrowUp');
      assert.equal(await active(), links[0]);
      await page.keyboard.press('ArrowUp');
      assert.equal(await active(), 'q');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Escape');
      assert.equal(await active(), 'q');

      // Before axe: injecting it under the CSP is itself reported as a blocked inline script.
      assertClean('/szukaj/?q=konsultacje', problems);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe('/szukaj/?q=konsultacje', violations));
    } finally {
      await page.close();
    }
  });

  test('"Pokaż więcej" appends the next results', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl('organizacji'), { allowStatus: noFavicon });
    try {
      await waitForSearch(page, { query: 'organizacji' });
      const first = await searchResults(page);
      const total = Number((await status(page)).match(/\d+/)?.[0] ?? 0);
      if (total <= first.length) {
        test.skip?.(`only ${total} results for "organizacji"`);
        return;
      }
      assert.equal(first.length, 10);
      const s = await searchSeq(page);
      await page.click('.search-more button');
      await waitForSearch(page, { afterSeq: s });
      const all = await searchResults(page);
      assert.equal(all.length, Math.min(total, 20));
      assert.deepEqual(all.slice(0, 10), first);
      assert.equal(new Set(all.map((r) => r.href)).size, all.length, 'a result is listed twice');
      assert.equal(await page.evaluate(() => document.activeElement?.href), new URL(all[10].href, site.url).href, 'the focus is not on the first new result');
      assertClean('more results', problems);
    } finally {
      await page.close();
    }
  });

  test('the home page form and the header link lead to the search', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, site.url, { allowStatus: noFavicon });
    try {
      await page.fill('#q', 'lodz');
      await Promise.all([page.waitForURL(/\/szukaj\/\?q=lodz$/), page.press('#q', 'Enter')]);
      await waitForSearch(page, { query: 'lodz' });
      assert.equal(await page.inputValue('#q'), 'lodz');
      const results = await searchResults(page);
      assert.ok(results.some((r) => r.title.includes(NOWA_HUTA)), `lodz from the home page: ${results.map((r) => r.title)}`);

      await Promise.all([page.waitForURL(/\/szukaj\/$/), page.click('header nav a[href$="szukaj/"]')]);
      await page.waitForLoadState('load');
      assert.equal(await page.inputValue('#q'), '');
      assert.equal(await searchResults(page).then((r) => r.length), 0);
      // Submitting the form on the search page searches the words as typed (no prefix).
      await page.fill('#q', 'nowa huta');
      const s = await searchSeq(page);
      await page.press('#q', 'Enter');
      await waitForSearch(page, { query: 'nowa huta', afterSeq: s });
      assert.equal(new URL(page.url()).searchParams.get('q'), 'nowa huta');
      assert.ok((await searchResults(page)).some((r) => r.title.includes(NOWA_HUTA)));
      assertClean('home → search', problems);
    } finally {
      await page.close();
    }
  });
  test('records by byte range where the host answers Range requests, whole files where it does not: the same results', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const query = 'konsultacje';
    const run = async () => {
      const from = site.requests.length;
      const page = await browser.context.newPage();
      try {
        await page.goto(searchUrl(query));
        assert.equal(await waitForSearch(page, { query }), 'done', await status(page));
        const results = (await searchResults(page)).map((r) => [r.title, r.href, r.marks]);
        assert.ok(results.length > 1, `${query}: fewer than 2 results`);
        return { results, docs: site.requests.slice(from).filter((r) => r.url.includes('/search/d/')) };
      } finally {
        await page.close();
      }
    };
    const ranged = await run();
    // The slots of the records shown, where the meta says they are: never a whole file, nor
    // its start.
    assert.ok(ranged.docs.length > 0, 'no record file fetched');
    assert.ok(ranged.docs.every((r) => r.range && !r.range.startsWith('bytes=0-') && r.status === 206), `record files fetched whole or from their start: ${JSON.stringify(ranged.docs)}`);
    site.setRanges(false);
    try {
      const whole = await run();
      assert.deepEqual(whole.results, ranged.results);
      // The first ranged request got the whole file: the page asks for whole files from then on.
      assert.ok(whole.docs.every((r) => r.status === 200), JSON.stringify(whole.docs));
      const files = whole.docs.map((r) => new URL(r.url, site.origin).pathname);
      assert.equal(new Set(files).size, files.length, `a record file fetched twice: ${files}`);
    } finally {
      site.setRanges(true);
    }
  });

  test('a .wasm served as application/octet-stream works; a chunk of another build says: refresh', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      // A host that does not know the .wasm type.
      await page.route('**/search/*.wasm', async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, headers: { ...res.headers(), 'content-type': 'application/octet-stream' } });
      });
      await page.goto(searchUrl('konsultacje'));
      assert.equal(await waitForSearch(page, { query: 'konsultacje' }), 'done', await status(page));
      assert.ok((await searchResults(page)).length > 0);

      // The site is rebuilt under the open page: the next chunk it fetches is not of its build.
      await page.route('**/search/t/**', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from('not a chunk of this build') }));
      const s = await searchSeq(page);
      await page.fill('#q', 'federalizacja sieciowanie');
      await page.press('#q', 'Enter');
      assert.equal(await waitForSearch(page, { afterSeq: s }), 'stale');
      assert.equal(await status(page), 'Indeks wyszukiwania jest nieaktualny — odśwież stronę.');
      assert.equal((await searchResults(page)).length, 0);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
  // The browser's snippet is the document's "W skrócie" summary with the matched words
  // marked (inflected forms too), plus a link to the section of the body where the words are:
  // the body text itself is not shipped to the browser (docs/browser-search.md).
  test('snippets mark inflected forms in the summary and link the body section of the match', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, searchUrl('rewitalizacja'), { allowStatus: noFavicon });
    try {
      await waitForSearch(page, { query: 'rewitalizacja' });
      const results = await searchResults(page);
      assert.ok(results.length > 0, 'rewitalizacja: no results');
      const marks = results.flatMap((r) => r.marks);
      // The summaries say "rewitalizacji", not the form typed.
      assert.ok(marks.includes('rewitalizacji'), `no inflected form marked: ${JSON.stringify(marks)}`);
      assert.ok(marks.every((m) => /^rewitaliz/i.test(m)), `marked words that do not match: ${JSON.stringify(marks)}`);

      const seq = await searchSeq(page);
      await page.goto(searchUrl('mieszkancow'));
      await waitForSearch(page, { query: 'mieszkancow' });
      // "mieszkańców" is in the bodies of these reports, not in their summaries: each result
      // links the section where it is.
      const sections = await page.$$eval('#jawnik-search-results .search-result', (items) =>
        items.map((li) => [...li.querySelectorAll('a')].map((a) => new URL(a.href).hash).find((h) => h.length > 1) || ''),
      );
      void seq;
      assert.ok(sections.length > 0, 'mieszkancow: no results');
      assert.deepEqual(sections.filter((h) => !h), [], `results without a section link: ${JSON.stringify(sections)}`);
      assertClean('snippets', problems);
    } finally {
      await page.close();
    }
  });
});
